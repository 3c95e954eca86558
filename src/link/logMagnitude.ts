/**
 * Evaluation of a link in log space: every value is carried as (sign, log|x|), so that z^1000 at z = 80
 * (|f| = 10^1903) or He(60, 80) have a finite representation where doubles overflow. Used for the integrability and
 * range checks of `parseLink`, never in a hot path. Bounded functions of an unrepresentable argument (sin, cos of
 * 10^400) are replaced by their bound |.| <= 1, an upper bound on |f|.
 */
import type { Expr } from "./expr.js";
import { runtime, hermiteHe } from "./runtime.js";

/** A real number as sign (-1, 0, +1, or NaN when undefined) and log of its magnitude. */
export interface SignedLog { readonly s: number; readonly l: number }

const ZERO: SignedLog = { s: 0, l: -Infinity };
const UNDEFINED: SignedLog = { s: NaN, l: NaN };

/** The signed log of a double. */
export function fromNumber(x: number): SignedLog {
  if (Number.isNaN(x)) return UNDEFINED;
  return x === 0 ? ZERO : { s: Math.sign(x), l: Math.log(Math.abs(x)) };
}

/** The double of a signed log (may overflow to +-Infinity or underflow to 0). */
export function toNumber(v: SignedLog): number {
  return v.s === 0 ? 0 : v.s * Math.exp(v.l);
}

function addSL(a: SignedLog, b: SignedLog): SignedLog {
  if (Number.isNaN(a.s) || Number.isNaN(b.s)) return UNDEFINED;
  if (a.s === 0) return b;
  if (b.s === 0) return a;
  const hi = a.l >= b.l ? a : b, lo = a.l >= b.l ? b : a;
  if (hi.l === Infinity) return lo.l === Infinity && lo.s !== hi.s ? UNDEFINED : hi;
  const r = Math.exp(lo.l - hi.l);
  if (a.s === b.s) return { s: hi.s, l: hi.l + Math.log1p(r) };
  return r === 1 ? ZERO : { s: hi.s, l: hi.l + Math.log1p(-r) };
}

const neg = (a: SignedLog): SignedLog => ({ s: -a.s || 0, l: a.l });

function mulSL(a: SignedLog, b: SignedLog): SignedLog {
  if (Number.isNaN(a.s) || Number.isNaN(b.s)) return UNDEFINED;
  if (a.s === 0 || b.s === 0) return (a.l === Infinity || b.l === Infinity) ? UNDEFINED : ZERO;
  return { s: a.s * b.s, l: a.l + b.l };
}

/** He_n(x) in log space: directly when x^n fits in a double, else x^n r_n with r_{k+1} = r_k - k r_{k-1} / x^2. */
function hermiteSL(n: number, x: SignedLog): SignedLog {
  if (Number.isNaN(x.s)) return UNDEFINED;
  if (n === 0) return { s: 1, l: 0 };
  if (x.l <= 20 && n * Math.max(0, x.l) < 600) return fromNumber(hermiteHe(n, toNumber(x)));
  const inv2 = Math.exp(-2 * x.l);
  let prev = 1, cur = 1; // r_0 = 1, r_1 = 1
  for (let k = 1; k < n; k++) { const next = cur - k * inv2 * prev; prev = cur; cur = next; }
  const r = fromNumber(cur);
  return { s: r.s * (n % 2 === 1 ? x.s : 1), l: n * x.l + r.l };
}

const less = (a: SignedLog, b: SignedLog) => (a.s !== b.s ? a.s < b.s : a.s > 0 ? a.l < b.l : a.s < 0 ? a.l > b.l : false);

/** The value of `e` at z (variables z[i]) in log space. */
export function logEvaluate(e: Expr, z: ArrayLike<number>): SignedLog {
  // the range checks of parseLink walk the tree at ~1600 points a link: direct calls, no closure per node
  const ev = logEvaluate;
  switch (e.op) {
    case "num": return fromNumber(e.value);
    case "var": return fromNumber(z[e.index] ?? 0);
    case "neg": return neg(ev(e.arg, z));
    case "add": return addSL(ev(e.left, z), ev(e.right, z));
    case "sub": return addSL(ev(e.left, z), neg(ev(e.right, z)));
    case "mul": return mulSL(ev(e.left, z), ev(e.right, z));
    case "div": {
      const a = ev(e.left, z), b = ev(e.right, z);
      if (b.s === 0) return a.s === 0 || Number.isNaN(a.s) ? UNDEFINED : { s: a.s, l: Infinity };
      return mulSL(a, { s: b.s, l: -b.l });
    }
    case "pow": {
      const b = ev(e.base, z), p = e.exponent;
      if (Number.isNaN(b.s)) return UNDEFINED;
      if (b.s === 0) return p > 0 ? ZERO : p === 0 ? { s: 1, l: 0 } : { s: 1, l: Infinity };
      if (Number.isInteger(p)) return { s: b.s < 0 && Math.abs(p) % 2 === 1 ? -1 : 1, l: p * b.l };
      return b.s < 0 ? UNDEFINED : { s: 1, l: p * b.l };
    }
    case "he": return hermiteSL(e.order, ev(e.arg, z));
    case "call2": {
      const a = ev(e.left, z), b = ev(e.right, z);
      if (Number.isNaN(a.s) || Number.isNaN(b.s)) return UNDEFINED;
      return e.fn === "max" ? (less(a, b) ? b : a) : (less(a, b) ? a : b);
    }
    case "call": {
      const a = ev(e.arg, z);
      if (Number.isNaN(a.s)) return UNDEFINED;
      switch (e.fn) {
        case "exp": return a.s === 0 ? { s: 1, l: 0 } : { s: 1, l: toNumber(a) };
        case "log": return a.s > 0 ? fromNumber(a.l) : a.s === 0 ? { s: -1, l: Infinity } : UNDEFINED;
        case "sqrt": return a.s > 0 ? { s: 1, l: a.l / 2 } : a.s === 0 ? ZERO : UNDEFINED;
        case "abs": return { s: Math.abs(a.s), l: a.l };
        case "relu": return a.s > 0 ? a : ZERO;
        case "sign": return a.s === 0 ? ZERO : { s: a.s, l: 0 };
        case "step": return a.s > 0 ? { s: 1, l: 0 } : a.s < 0 ? ZERO : { s: 1, l: Math.log(0.5) };
        default: {
          // bounded functions: tanh, sigmoid, erf, sin, cos
          const x = toNumber(a);
          const v = runtime[e.fn](x);
          return Number.isFinite(v) ? fromNumber(v) : { s: 1, l: 0 };
        }
      }
    }
  }
}
