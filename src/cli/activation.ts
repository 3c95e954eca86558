/** Activations on the command line: a bare function name of the link language (`relu`) means that function of z (`relu(z)`). */
import { UNARY_FUNCTIONS } from "../link/expr.js";

/** The --help text of an activation option. */
export const ACTIVATION_FORMS = `an expression in z, or a bare function name (${UNARY_FUNCTIONS.join(", ")}) meaning f(z)`;

/** `relu` -> `relu(z)` for a bare one-argument function of the link language; any other text is returned unchanged (and parsed later). */
export function activationText(raw: string): string {
  const t = raw.trim();
  return (UNARY_FUNCTIONS as readonly string[]).includes(t) ? `${t}(z)` : raw;
}
