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

/** JavaScript source of an expression; variables are `v0, v1, ...`. */
export function emit(e: Expr): string {
  switch (e.op) {
    case "num": return literal(e.value);
    case "var": return `v${e.index}`;
    case "neg": return `(-${emit(e.arg)})`;
    case "add": return `(${emit(e.left)}+${emit(e.right)})`;
    case "sub": return `(${emit(e.left)}-${emit(e.right)})`;
    case "mul": return `(${emit(e.left)}*${emit(e.right)})`;
    case "div": return `(${emit(e.left)}/${emit(e.right)})`;
    case "pow": {
      const b = emit(e.base);
      if (e.exponent === 2) return `(${b}*${b})`;
      if (Number.isInteger(e.exponent) && e.exponent >= 0 && e.exponent <= 64) {
        return `R.ipow(${b},${e.exponent})`;
      }
      return `R.pow(${b},${literal(e.exponent)})`;
    }
    case "call": return `R.${e.fn}(${emit(e.arg)})`;
    case "call2": return `R.${e.fn}(${emit(e.left)},${emit(e.right)})`;
    case "he": return `R.He(${e.order},${emit(e.arg)})`;
  }
}

const R = {
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
