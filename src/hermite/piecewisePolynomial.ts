/**
 * Exact piecewise polynomials in one variable with rational breakpoints, built from link expressions made of
 * polynomials, He, relu, abs, sign, step, max and min (with arguments that are linear on each piece), and
 * their exact Gaussian integrals against He_k, via the half-line moments
 *   I_n(t) = int_t^inf z^n phi(z) dz = t^{n-1} phi(t) + (n-1) I_{n-2}(t),  I_0 = Phibar(t),  I_1 = phi(t).
 */
import Fraction from "fraction.js";
import type { Expr } from "../link/expr.js";
import { ExactReal } from "../exact/exactReal.js";
import { gaussianMoment } from "../exact/bigint.js";
import { hermiteMonomialCoefficients } from "./basis.js";

/** Monomial coefficients p[0] + p[1] z + ... (trailing zeros trimmed). */
export type Poly = Fraction[];

/**
 * A function of one variable that is a polynomial with rational coefficients on each interval between rational cuts.
 */
export interface PiecewisePolynomial {
  /** Sorted breakpoints t_1 < ... < t_m. */
  readonly cuts: Fraction[];
  /** m + 1 polynomials: on (-inf, t_1), (t_1, t_2), ..., (t_m, inf). */
  readonly pieces: Poly[];
}

const F0 = new Fraction(0), F1 = new Fraction(1);
const trim = (p: Poly): Poly => { const q = [...p]; while (q.length && q[q.length - 1]!.equals(0)) q.pop(); return q; };
/** Sum of two polynomials a + b. */
export const polyAdd = (a: Poly, b: Poly): Poly => trim(Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? F0).add(b[i] ?? F0)));
/** Polynomial a scaled by the rational s. */
export const polyScale = (a: Poly, s: Fraction): Poly => trim(a.map((c) => c.mul(s)));
/** Product of two polynomials a * b. */
export function polyMul(a: Poly, b: Poly): Poly {
  if (!a.length || !b.length) return [];
  const out: Fraction[] = new Array(a.length + b.length - 1).fill(F0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] = out[i + j]!.add(a[i]!.mul(b[j]!));
  return trim(out);
}
/** Value p(x) by Horner's rule, exactly. */
export const polyEval = (p: Poly, x: Fraction): Fraction => p.reduceRight((acc, c) => acc.mul(x).add(c), F0);
/** He_k composed with a polynomial argument. */
export function polyHermite(k: number, arg: Poly): Poly {
  let prev: Poly = [F1], cur: Poly = arg;
  if (k === 0) return prev;
  for (let j = 1; j < k; j++) {
    const next = polyAdd(polyMul(arg, cur), polyScale(prev, new Fraction(-j)));
    prev = cur; cur = next;
  }
  return cur;
}

const single = (p: Poly): PiecewisePolynomial => ({ cuts: [], pieces: [trim(p)] });

/** Union of cut sets and each operand's piece on every interval of the union. */
function refine(a: PiecewisePolynomial, b: PiecewisePolynomial): { cuts: Fraction[]; pa: Poly[]; pb: Poly[] } {
  const cuts = uniqueSorted([...a.cuts, ...b.cuts]);
  const pick = (x: PiecewisePolynomial, lo: Fraction | null): Poly => {
    // the piece of x containing the interval starting at lo (lo = null: the leftmost interval)
    let i = 0;
    if (lo !== null) while (i < x.cuts.length && x.cuts[i]!.compare(lo) <= 0) i++;
    return x.pieces[i]!;
  };
  const pa: Poly[] = [], pb: Poly[] = [];
  for (let i = 0; i <= cuts.length; i++) {
    const lo = i === 0 ? null : cuts[i - 1]!;
    pa.push(pick(a, lo)); pb.push(pick(b, lo));
  }
  return { cuts, pa, pb };
}
function uniqueSorted(xs: Fraction[]): Fraction[] {
  const s = [...xs].sort((x, y) => x.compare(y));
  return s.filter((x, i) => i === 0 || !x.equals(s[i - 1]!));
}
function combine(a: PiecewisePolynomial, b: PiecewisePolynomial, f: (p: Poly, q: Poly) => Poly): PiecewisePolynomial {
  const { cuts, pa, pb } = refine(a, b);
  return simplify({ cuts, pieces: pa.map((p, i) => f(p, pb[i]!)) });
}
/** Drop cuts where the neighbouring pieces coincide. */
function simplify(x: PiecewisePolynomial): PiecewisePolynomial {
  const cuts: Fraction[] = [], pieces: Poly[] = [x.pieces[0]!];
  for (let i = 0; i < x.cuts.length; i++) {
    const next = x.pieces[i + 1]!;
    if (polyEqual(pieces[pieces.length - 1]!, next)) continue;
    cuts.push(x.cuts[i]!); pieces.push(next);
  }
  return { cuts, pieces };
}
const polyEqual = (a: Poly, b: Poly) => a.length === b.length && a.every((c, i) => c.equals(b[i]!));

/**
 * Split every piece of `arg` at its zero (arguments must be at most linear on each piece), then map each
 * sub-interval through `choose(sign of arg there, piece of arg)` to a polynomial.
 */
function throughSign(base: PiecewisePolynomial, choose: (sign: number, p: Poly, i: number) => Poly): PiecewisePolynomial | null {
  const cuts: Fraction[] = [], pieces: Poly[] = [];
  for (let i = 0; i <= base.cuts.length; i++) {
    const p = base.pieces[i]!;
    const lo = i === 0 ? null : base.cuts[i - 1]!;
    const hi = i === base.cuts.length ? null : base.cuts[i]!;
    if (p.length > 2) return null; // non-linear argument: its zeros need not be rational
    const sub: { lo: Fraction | null; hi: Fraction | null }[] = [];
    if (p.length === 2) {
      const root = p[0]!.neg().div(p[1]!);
      if ((lo === null || root.compare(lo) > 0) && (hi === null || root.compare(hi) < 0)) {
        sub.push({ lo, hi: root }, { lo: root, hi });
      } else sub.push({ lo, hi });
    } else sub.push({ lo, hi });
    for (let j = 0; j < sub.length; j++) {
      const s = sub[j]!;
      const mid = s.lo === null && s.hi === null ? F0 : s.lo === null ? s.hi!.sub(1) : s.hi === null ? s.lo.add(1) : s.lo.add(s.hi).div(2);
      const v = polyEval(p, mid);
      const sign = p.length === 0 ? 0 : v.compare(0);
      if (j > 0) cuts.push(s.lo!);
      else if (i > 0) cuts.push(lo!);
      pieces.push(choose(sign, p, i));
    }
  }
  return simplify({ cuts, pieces });
}

/** The exact piecewise polynomial of an expression in one variable, or null when it is not one of that class. */
export function toPiecewisePolynomial(e: Expr): PiecewisePolynomial | null {
  switch (e.op) {
    case "num": return e.exact ? single([e.exact]) : null;
    case "var": return e.index === 0 ? single([F0, F1]) : null;
    case "neg": { const a = toPiecewisePolynomial(e.arg); return a && { cuts: a.cuts, pieces: a.pieces.map((p) => polyScale(p, new Fraction(-1))) }; }
    case "add": case "sub": case "mul": {
      const a = toPiecewisePolynomial(e.left), b = toPiecewisePolynomial(e.right);
      if (!a || !b) return null;
      const f = e.op === "add" ? polyAdd : e.op === "sub" ? (p: Poly, q: Poly) => polyAdd(p, polyScale(q, new Fraction(-1))) : polyMul;
      return combine(a, b, f);
    }
    case "div": {
      const a = toPiecewisePolynomial(e.left), b = toPiecewisePolynomial(e.right);
      if (!a || !b || b.cuts.length || b.pieces[0]!.length !== 1) return null;
      const c = b.pieces[0]![0]!;
      return { cuts: a.cuts, pieces: a.pieces.map((p) => polyScale(p, F1.div(c))) };
    }
    case "pow": {
      if (!Number.isInteger(e.exponent) || e.exponent < 0 || e.exponent > 64) return null;
      const a = toPiecewisePolynomial(e.base);
      if (!a) return null;
      let r: PiecewisePolynomial = single([F1]);
      for (let i = 0; i < e.exponent; i++) r = combine(r, a, polyMul);
      return r;
    }
    case "he": {
      const a = toPiecewisePolynomial(e.arg);
      return a && { cuts: a.cuts, pieces: a.pieces.map((p) => polyHermite(e.order, p)) };
    }
    case "call": {
      const a = toPiecewisePolynomial(e.arg);
      if (!a) return null;
      const half = new Fraction(1, 2);
      switch (e.fn) {
        case "relu": return throughSign(a, (s, p) => (s > 0 ? p : []));
        case "abs": return throughSign(a, (s, p) => (s >= 0 ? p : polyScale(p, new Fraction(-1))));
        case "sign": return throughSign(a, (s) => (s === 0 ? [] : [new Fraction(s)]));
        case "step": return throughSign(a, (s) => (s > 0 ? [F1] : s < 0 ? [] : [half]));
        default: return null;
      }
    }
    case "call2": {
      const a = toPiecewisePolynomial(e.left), b = toPiecewisePolynomial(e.right);
      if (!a || !b) return null;
      const { cuts, pa, pb } = refine(a, b);
      const diff: PiecewisePolynomial = { cuts, pieces: pa.map((p, i) => polyAdd(p, polyScale(pb[i]!, new Fraction(-1)))) };
      return throughSign(diff, (s, _p, i) => ((e.fn === "max") === (s >= 0) ? pa[i]! : pb[i]!));
    }
  }
}

/** I_n(t) = int_t^inf z^n phi(z) dz for n = 0..N (t rational; t = null means -inf). */
function halfLineMoments(t: Fraction | null, N: number): ExactReal[] {
  const out: ExactReal[] = [];
  if (t === null) {
    for (let n = 0; n <= N; n++) out.push(ExactReal.rational(gaussianMoment(n)));
    return out;
  }
  const phi = ExactReal.phi(t);
  out.push(ExactReal.phibar(t));
  if (N >= 1) out.push(phi);
  for (let n = 2; n <= N; n++) out.push(phi.scale(t.pow(n - 1)).add(out[n - 2]!.scale(n - 1)));
  return out;
}

/** E[f(Z) He_k(Z)] for k = 0..K, exactly. */
export function gaussianHermiteIntegrals(f: PiecewisePolynomial, K: number): ExactReal[] {
  const degree = Math.max(0, ...f.pieces.map((p) => p.length - 1));
  const N = degree + K;
  const bounds: (Fraction | null)[] = [null, ...f.cuts];
  const moments = bounds.map((t) => halfLineMoments(t, N));
  const upper = (i: number, n: number): ExactReal => (i + 1 < bounds.length ? moments[i + 1]![n]! : ExactReal.zero);
  const out: ExactReal[] = [];
  for (let k = 0; k <= K; k++) {
    const he = hermiteMonomialCoefficients(k).map((c) => new Fraction(c));
    let total = ExactReal.zero;
    for (let i = 0; i < f.pieces.length; i++) {
      const q = polyMul(f.pieces[i]!, he);
      for (let n = 0; n < q.length; n++) {
        if (q[n]!.equals(0)) continue;
        // int over the i-th interval = I_n(lower) - I_n(upper)
        total = total.add(moments[i]![n]!.sub(upper(i, n)).scale(q[n]!));
      }
    }
    out.push(total);
  }
  return out;
}

/** E[f(Z)^2] exactly. */
export function gaussianSecondMoment(f: PiecewisePolynomial): ExactReal {
  const sq: PiecewisePolynomial = { cuts: f.cuts, pieces: f.pieces.map((p) => polyMul(p, p)) };
  return gaussianHermiteIntegrals(sq, 0)[0]!;
}
