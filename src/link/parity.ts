/**
 * Parity of a link under z -> -z (all coordinates, or a chosen subset): proved symbolically from the expression
 * where the rules allow, otherwise decided by a tight numerical check at many points, and always said which.
 */
import type { Link } from "./link.js";
import { symbolicParity, type Parity } from "./analysis.js";
import { seededRng } from "../numeric/xoshiro.js";

/** Parity of a link under z -> -z, with how it was established. */
export interface ParityCertificate {
  /** "even", "odd", or "none" (not proved either). */
  readonly parity: Parity;
  /** "symbolic": proved from the expression; "numerical": |f(-z) -+ f(z)| <= 1e-12 (1+|f|) at 4000 points. */
  readonly method: "symbolic" | "numerical";
}

/**
 * Parity of the link under z_i -> -z_i for i in `flipped` (every coordinate when omitted): proved symbolically by
 * {@link symbolicParity} when possible, otherwise checked numerically at 4000 seeded points (|z_i| <= 10).
 * A link that is identically zero is reported even.
 */
export function parityOf(link: Link, flipped?: ReadonlySet<number>): ParityCertificate {
  const s = symbolicParity(link.expr, flipped);
  if (s !== "none") return { parity: s, method: "symbolic" };
  const r = link.dimension;
  let even = true, odd = true;
  const rng = seededRng(0x2545f491);
  const z = new Float64Array(r), zf = new Float64Array(r);
  for (let i = 0; i < 4000 && (even || odd); i++) {
    for (let j = 0; j < r; j++) {
      z[j] = (rng.uniform() * 2 - 1) * (i < 2000 ? 4 : 10);
      zf[j] = !flipped || flipped.has(j) ? -z[j]! : z[j]!;
    }
    const a = link.g(z), b = link.g(zf);
    const tol = 1e-12 * (1 + Math.abs(a) + Math.abs(b));
    if (Math.abs(a - b) > tol) even = false;
    if (Math.abs(a + b) > tol) odd = false;
  }
  if (even && odd) return { parity: "even", method: "numerical" }; // identically zero
  return { parity: even ? "even" : odd ? "odd" : "none", method: "numerical" };
}
