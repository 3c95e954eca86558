/**
 * Numeric implementations of the link language's functions, used by compiled closures.
 * Conventions at the kinks (measure zero under the Gaussian): sign(0) = 0, step(0) = 1/2.
 */
import { erfc, erfNumber } from "../numeric/special.js";

export { erfc };

/** Probabilists' Hermite polynomial He_k(x) by the recurrence He_{k+1} = x He_k - k He_{k-1}. */
export function hermiteHe(k: number, x: number): number {
  if (k === 0) return 1;
  let prev = 1, cur = x;
  for (let j = 1; j < k; j++) {
    const next = x * cur - j * prev;
    prev = cur; cur = next;
  }
  return cur;
}

/**
 * Numeric implementations of the link language's functions (sign(0) = 0, step(0) = 1/2; log and sqrt give NaN
 * off their domain, which the domain checks of `parseLink` turn into an InputError).
 */
export const runtime = {
  // NaN propagates through every function (relu(sqrt(z)) is undefined where sqrt(z) is): x > 0, x <= 0, else NaN
  relu: (x: number) => (x > 0 ? x : x <= 0 ? 0 : NaN),
  sign: (x: number) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  abs: Math.abs,
  step: (x: number) => (x > 0 ? 1 : x < 0 ? 0 : x === 0 ? 0.5 : NaN),
  tanh: Math.tanh,
  sigmoid: (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  erf: erfNumber,
  exp: Math.exp,
  log: (x: number) => (x > 0 ? Math.log(x) : x === 0 ? -Infinity : NaN),
  sin: Math.sin,
  cos: Math.cos,
  sqrt: (x: number) => (x >= 0 ? Math.sqrt(x) : NaN),
  max: Math.max,
  min: Math.min,
  He: hermiteHe,
  /** x^p with real p: integer powers by repeated multiplication, negative bases only for integer p. */
  pow: (x: number, p: number) => Math.pow(x, p),
};
/** The table of runtime functions a compiled link closure receives. */
export type Runtime = typeof runtime;
