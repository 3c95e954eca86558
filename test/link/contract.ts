/**
 * The parser's contract, shared by the test suite (test/link/parser.test.ts) and `npm run fuzz` (bench/fuzz.ts):
 * every input either becomes a link whose compiled code is built only from the IR, or is refused with an InputError
 * whose message is one line and whose column, where it names a place, is consistent and in range. Anything else is
 * a `ContractViolation`. No test-framework imports here, so the fuzz script can run it under plain node.
 */
import { parseLink } from "../../src/link/link.js";
import { emit } from "../../src/link/compile.js";
import { InputError } from "../../src/link/errors.js";

export class ContractViolation extends Error {
  constructor(readonly input: string, message: string) {
    super(`${JSON.stringify(input)}: ${message}`);
    this.name = "ContractViolation";
  }
}

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: InputError };

const RUNTIME = new Set(["relu", "sign", "abs", "step", "tanh", "sigmoid", "erf", "exp", "log", "sin", "cos", "sqrt", "max", "min", "He", "pow", "ipow"]);

/** Generated code may hold numeric literals, v0..v7, R.<runtime function>, operators and parentheses only. */
export function checkEmitted(input: string, code: string): void {
  const noNumbers = code.replace(/(?<![A-Za-z_$\d])\d+(\.\d+)?(e[+-]?\d+)?/g, " ");
  for (const id of noNumbers.match(/[A-Za-z_$][\w$]*/g) ?? []) {
    if (id === "R" || /^v[0-7]$/.test(id) || RUNTIME.has(id)) continue;
    throw new ContractViolation(input, `unexpected identifier '${id}' in generated code: ${code}`);
  }
  if (/["'`;=[\]{}]/.test(code)) throw new ContractViolation(input, `unexpected character in generated code: ${code}`);
}

/** Messages that name a place in the text, and so must carry a column. */
const PLACED = /^(syntax error|unknown function|variable '|function '[^']*' is not allowed|operator '|[a-z ]+ not allowed in a link|strings not|He needs|He takes|number .* out of range|character )/;

export function checkError(input: string, error: InputError): void {
  const m = error.message;
  if (!m.length) throw new ContractViolation(input, "empty error message");
  if (/\n/.test(m)) throw new ContractViolation(input, `multi-line message: ${m}`);
  if (/\[object|undefined at|NaN at|at column 0\b/.test(m)) throw new ContractViolation(input, `garbled message: ${m}`);
  const at = /at column (\d+)/.exec(m);
  if (at && error.column !== Number(at[1])) throw new ContractViolation(input, `message says column ${at[1]} but error.column = ${error.column}: ${m}`);
  if (error.column !== undefined && !(error.column >= 1 && error.column <= input.length + 1)) {
    throw new ContractViolation(input, `column ${error.column} out of range: ${m}`);
  }
  if (PLACED.test(m) && error.column === undefined) throw new ContractViolation(input, `no column for: ${m}`);
}

/** Parse `input` and check the contract; returns the outcome or throws a ContractViolation. */
export function attempt(input: string): Outcome {
  let link;
  try {
    link = parseLink(input);
  } catch (e) {
    if (!(e instanceof InputError)) throw new ContractViolation(input, `non-InputError escaped: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    checkError(input, e);
    return { ok: false, error: e };
  }
  checkEmitted(input, emit(link.expr));
  const v = link.g(Array.from({ length: link.dimension }, (_, i) => 0.3183 + 0.1 * i));
  if (typeof v !== "number") throw new ContractViolation(input, `the closure returned ${typeof v}`);
  return { ok: true };
}
