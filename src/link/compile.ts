/**
 * Compiles the checked IR to a fast numeric closure.
 *
 * The generated source is built only from IR nodes: numeric literals formatted from parsed numbers, fixed variable
 * names, operators and the whitelisted runtime functions. No user text reaches it.
 */
import type { Expr } from "./expr.js";
import { runtime } from "./runtime.js";

function literal(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`internal: non-finite literal ${x}`);
  const s = x.toString();
  return x < 0 || s.includes("e") ? `(${s})` : s;
}

/**
 * JavaScript source of an expression; variables are `v0, v1, ...`. `hermite(order, argument)` may replace the runtime
 * call `R.He(order, argument)` (the straight-line kernels of src/simulations/reducedKernel.ts).
 */
export function emit(e: Expr, hermite?: (order: number, arg: string) => string): string {
  const emit1 = (x: Expr) => emit(x, hermite);
  switch (e.op) {
    case "num": return literal(e.value);
    case "var": return `v${e.index}`;
    case "neg": return `(-${emit1(e.arg)})`;
    case "add": return `(${emit1(e.left)}+${emit1(e.right)})`;
    case "sub": return `(${emit1(e.left)}-${emit1(e.right)})`;
    case "mul": return `(${emit1(e.left)}*${emit1(e.right)})`;
    case "div": return `(${emit1(e.left)}/${emit1(e.right)})`;
    case "pow": {
      const b = emit1(e.base);
      if (e.exponent === 2) return `(${b}*${b})`;
      // a variable to a small power: R.ipow's products inline, in its order (the same value bit for bit, no call)
      if (e.base.op === "var" && (e.exponent === 3 || e.exponent === 4)) return inlinePow(b, e.exponent);
      if (Number.isInteger(e.exponent) && e.exponent >= 0 && e.exponent <= 64) {
        return `R.ipow(${b},${e.exponent})`;
      }
      return `R.pow(${b},${literal(e.exponent)})`;
    }
    case "call": return `R.${e.fn}(${emit1(e.arg)})`;
    case "call2": return `R.${e.fn}(${emit1(e.left)},${emit1(e.right)})`;
    case "he": return hermite ? hermite(e.order, emit1(e.arg)) : `R.He(${e.order},${emit1(e.arg)})`;
  }
}

/** The products R.ipow(x, n) forms for the name x, as one expression (square-and-multiply: x*x, then (x*x)*(x*x), ...). */
function inlinePow(x: string, n: number): string {
  let r: string | null = null, b = x;
  for (let k = n; k > 0; k >>= 1) {
    // R.ipow starts from r = 1, and 1 * b is b exactly
    if (k & 1) r = r === null ? b : `(${r}*${b})`;
    if (k > 1) b = `(${b}*${b})`;
  }
  return r!;
}

/**
 * Straight-line source of He_k(x) with the very operations of `hermiteHe`'s recurrence He_{j+1} = x He_j - j He_{j-1}
 * (so the value is bitwise the same), as the body of a function of `x`.
 */
export function hermiteStraightLine(k: number): string {
  if (k === 0) return "return 1;";
  const lines = ["let p = 1, c = x, n = 0;"];
  for (let j = 1; j < k; j++) lines.push(`n = x * c - ${j} * p; p = c; c = n;`);
  lines.push("return c;");
  return lines.join(" ");
}

/** The runtime table compiled closures receive (`R`): the link language's functions plus integer powers. */
export const R = {
  ...runtime,
  ipow: (x: number, n: number) => {
    let r = 1, b = x, k = n;
    while (k > 0) { if (k & 1) r *= b; b *= b; k >>= 1; }
    return r;
  },
};

/** f(z) for an expression in one variable (index 0), compiled to a closure from the checked IR (never from user text). */
export function compileUnivariate(e: Expr): (z: number) => number {
  return new Function("R", `"use strict"; return function link(v0){ return ${emit(e)}; };`)(R) as (z: number) => number;
}

/** g(z) for an expression in r variables, reading z[0..r-1], compiled to a closure from the checked IR. */
export function compileMultivariate(e: Expr, r: number): (z: ArrayLike<number>) => number {
  const decl = Array.from({ length: r }, (_, i) => `const v${i}=z[${i}];`).join("");
  return new Function("R", `"use strict"; return function link(z){ ${decl} return ${emit(e)}; };`)(R) as (z: ArrayLike<number>) => number;
}

/**
 * f(v0, v1, ...) with positional arguments for the expression's variables 0..arity-1 (formulas in named symbols such
 * as d, eta: `compilePositional(parseExpression("d^2", { symbols: ["d"], indexVariables: false }).expr, 1)`).
 */
export function compilePositional(e: Expr, arity: number): (...args: number[]) => number {
  const params = Array.from({ length: arity }, (_, i) => `v${i}`).join(",");
  return new Function("R", `"use strict"; return function formula(${params}){ return ${emit(e)}; };`)(R) as (...a: number[]) => number;
}
