/**
 * Multivariate Hermite coefficients c_alpha = E[g(z) He_alpha(z)] / sqrt(alpha!), He_alpha = prod_i He_{alpha_i}(z_i),
 * for |alpha| <= K: exact for polynomials; tensor-product quadrature (split at axis-aligned kinks) for r <= 3;
 * seeded Monte Carlo with a standard-error bound beyond.
 */
import Fraction from "fraction.js";
import type { Expr } from "../link/expr.js";
import { ExactReal } from "../exact/exactReal.js";
import { factorial } from "../exact/bigint.js";
import { monomialInHermite, normalizedHermiteValues } from "./basis.js";
import { gaussLegendre } from "../numeric/gaussLegendre.js";
import { findRoots } from "../numeric/roots.js";
import { seededRng } from "../numeric/xoshiro.js";
import { compileMultivariate } from "../link/compile.js";
import { kinkArguments } from "../link/analysis.js";
import { NO_DEADLINE, TimeLimitExceeded, type Deadline } from "../numeric/deadline.js";

/** A multi-index alpha = (alpha_1, ..., alpha_r) of non-negative integers; |alpha| = sum_i alpha_i. */
export type MultiIndex = readonly number[];

/**
 * One multivariate Hermite coefficient c_alpha = E[g(z) He_alpha(z)] / sqrt(alpha!), with its exact form (or null)
 * and an error bound.
 */
export interface TensorEntry {
  /** The multi-index alpha (one entry per variable z1..zr). */
  readonly alpha: MultiIndex;
  /** c_alpha = E[g(z) He_alpha(z)] / sqrt(alpha!). */
  readonly value: number;
  /** Exact closed form (link-language text), or null. */
  readonly exact: string | null;
  /** Bound on |value - c_alpha|. */
  readonly errorBound: number;
}

/** All multi-indices of length r with total degree <= K, ordered by degree then lexicographically. */
export function multiIndices(r: number, K: number): number[][] {
  const out: number[][] = [];
  const rec = (prefix: number[], left: number) => {
    if (prefix.length === r) { out.push(prefix); return; }
    for (let a = 0; a <= left; a++) rec([...prefix, a], left - a);
  };
  rec([], K);
  const deg = (a: number[]) => a.reduce((s, x) => s + x, 0);
  return out.sort((a, b) => deg(a) - deg(b) || cmpLex(b, a));
}
const cmpLex = (a: number[], b: number[]) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!; return 0; };

// ---------- exact polynomials ----------

/** Multivariate polynomial: exponent tuple key -> coefficient. */
type MPoly = Map<string, { exps: number[]; coef: Fraction }>;
const key = (e: number[]) => e.join(",");
function mpConst(r: number, c: Fraction): MPoly { return c.equals(0) ? new Map() : new Map([[key(new Array(r).fill(0)), { exps: new Array(r).fill(0), coef: c }]]); }
function mpAdd(a: MPoly, b: MPoly, s = new Fraction(1)): MPoly {
  const out: MPoly = new Map(a);
  for (const [k, t] of b) {
    const prev = out.get(k);
    const coef = (prev?.coef ?? new Fraction(0)).add(t.coef.mul(s));
    if (coef.equals(0)) out.delete(k); else out.set(k, { exps: t.exps, coef });
  }
  return out;
}
function mpMul(a: MPoly, b: MPoly): MPoly {
  let out: MPoly = new Map();
  for (const x of a.values()) for (const y of b.values()) {
    const exps = x.exps.map((e, i) => e + y.exps[i]!);
    out = mpAdd(out, new Map([[key(exps), { exps, coef: x.coef.mul(y.coef) }]]));
  }
  return out;
}
const mpScale = (a: MPoly, s: Fraction): MPoly => mpAdd(new Map(), a, s);

/** The exact polynomial of an expression in z1..zr, or null when it is not a polynomial with rational coefficients. */
export function toMultiPolynomial(e: Expr, r: number): MPoly | null {
  const rec = (x: Expr): MPoly | null => {
    switch (x.op) {
      case "num": return x.exact ? mpConst(r, x.exact) : null;
      case "var": { const exps = new Array(r).fill(0); exps[x.index] = 1; return new Map([[key(exps), { exps, coef: new Fraction(1) }]]); }
      case "neg": { const a = rec(x.arg); return a && mpScale(a, new Fraction(-1)); }
      case "add": case "sub": case "mul": {
        const a = rec(x.left), b = rec(x.right);
        if (!a || !b) return null;
        return x.op === "add" ? mpAdd(a, b) : x.op === "sub" ? mpAdd(a, b, new Fraction(-1)) : mpMul(a, b);
      }
      case "div": {
        const a = rec(x.left), b = rec(x.right);
        if (!a || !b || b.size !== 1) return null;
        const t = [...b.values()][0]!;
        if (t.exps.some((v) => v !== 0)) return null;
        return mpScale(a, new Fraction(1).div(t.coef));
      }
      case "pow": {
        if (!Number.isInteger(x.exponent) || x.exponent < 0 || x.exponent > 32) return null;
        const a = rec(x.base);
        if (!a) return null;
        let p = mpConst(r, new Fraction(1));
        for (let i = 0; i < x.exponent; i++) p = mpMul(p, a);
        return p;
      }
      case "he": {
        const a = rec(x.arg);
        if (!a) return null;
        let prev = mpConst(r, new Fraction(1)), cur = a;
        if (x.order === 0) return prev;
        for (let j = 1; j < x.order; j++) { const next = mpAdd(mpMul(a, cur), prev, new Fraction(-j)); prev = cur; cur = next; }
        return cur;
      }
      default: return null;
    }
  };
  return rec(e);
}

/** Exact c_alpha for |alpha| <= K of a polynomial. E[z^n He_j] = M[n][j] j! (monomialInHermite). */
export function exactTensorCoefficients(p: MPoly, r: number, K: number): { alpha: number[]; value: ExactReal }[] {
  const conv = new Map<number, bigint[]>();
  const M = (n: number) => { let c = conv.get(n); if (!c) { c = monomialInHermite(n); conv.set(n, c); } return c; };
  return multiIndices(r, K).map((alpha) => {
    let s = new Fraction(0);
    for (const t of p.values()) {
      let prod = 1n;
      for (let i = 0; i < r && prod !== 0n; i++) {
        const n = t.exps[i]!, a = alpha[i]!;
        prod *= a <= n ? M(n)[a]! * factorial(a) : 0n;
      }
      if (prod !== 0n) s = s.add(t.coef.mul(new Fraction(prod)));
    }
    const alphaFactorial = alpha.reduce((acc, a) => acc * factorial(a), 1n);
    return { alpha, value: ExactReal.rational(s).divSqrt(alphaFactorial) };
  });
}

/**
 * Exact E[g^2] of a polynomial, as a rational: sum over pairs of terms of coef coef' prod_i E[Z^(n_i + n'_i)], with
 * E[Z^(2m)] = (2m - 1)!! (Parseval's sum of c_alpha^2 over all |alpha| <= deg g, without the sqrt(alpha!) of each
 * c_alpha: He_5(z)^16 of degree 80 in three variables took seconds through 92,000 square roots).
 */
export function exactPolynomialSecondMoment(p: MPoly, r: number): ExactReal {
  const terms = [...p.values()];
  const moments: bigint[] = [1n];
  const moment = (n: number): bigint => {
    if (n % 2 === 1) return 0n;
    while (moments.length <= n / 2) { const m = moments.length; moments.push(moments[m - 1]! * BigInt(2 * m - 1)); }
    return moments[n / 2]!;
  };
  let s = new Fraction(0);
  for (let a = 0; a < terms.length; a++) {
    for (let b = a; b < terms.length; b++) {
      let prod = 1n;
      for (let i = 0; i < r && prod !== 0n; i++) prod *= moment(terms[a]!.exps[i]! + terms[b]!.exps[i]!);
      if (prod === 0n) continue;
      const term = terms[a]!.coef.mul(terms[b]!.coef).mul(new Fraction(prod));
      s = s.add(a === b ? term : term.mul(2));
    }
  }
  return ExactReal.rational(s);
}

// ---------- numeric ----------

/** Axis-aligned kink locations of g: zeros in z_i of each kink argument that do not move with the other coordinates. */
export function axisBreakpoints(e: Expr, r: number, L: number): number[][] {
  const out: number[][] = Array.from({ length: r }, () => []);
  const generic = [[0.3711, -0.8123, 1.137, -0.5519, 0.9431, -1.2711, 0.6617, -0.2413], [-1.0219, 0.5573, -0.4421, 1.3317, -0.7727, 0.2971, -1.1539, 0.8861]];
  for (const arg of kinkArguments(e)) {
    const g = compileMultivariate(arg, r);
    // an argument that vanishes identically (max(z1, z1)) makes no kink; its "roots" would be every grid point,
    // splitting each axis into ~50 more panels (a 3-index grid of 10^8 nodes instead of 10^7)
    const probe = new Float64Array(r);
    if (Array.from({ length: 64 }, (_, j) => { for (let i = 0; i < r; i++) probe[i] = Math.sin(1.7 * j + 2.3 * i + 0.37) * 4; return g(probe); }).every((v) => v === 0)) continue;
    for (let i = 0; i < r; i++) {
      const scans = generic.map((base) => {
        const z = Float64Array.from(base.slice(0, r));
        return findRoots((t) => { z[i] = t; return g(z); }, -L, L, { grid: 4000, maxRoots: 50 }).roots;
      });
      for (const x of scans[0]!) if (scans[1]!.some((y) => Math.abs(x - y) < 1e-9)) out[i]!.push(x);
    }
  }
  return out.map((xs) => [...new Set(xs)].sort((a, b) => a - b));
}

/** Composite Gauss–Legendre rule for the N(0,1) weight on [-L, L], split at the given points. */
function axisRule(breaks: number[], L: number, panelWidth: number, order: number): { x: Float64Array; w: Float64Array } {
  const cuts = [-L, ...breaks.filter((b) => b > -L && b < L), L];
  const gl = gaussLegendre(order);
  const xs: number[] = [], ws: number[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i]!, b = cuts[i + 1]!;
    const panels = Math.max(1, Math.ceil((b - a) / panelWidth));
    for (let p = 0; p < panels; p++) {
      const lo = a + ((b - a) * p) / panels, hi = a + ((b - a) * (p + 1)) / panels;
      const c = (lo + hi) / 2, h = (hi - lo) / 2;
      for (let j = 0; j < order; j++) {
        const x = c + h * gl.nodes[j]!;
        xs.push(x); ws.push(h * gl.weights[j]! * Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI));
      }
    }
  }
  return { x: Float64Array.from(xs), w: Float64Array.from(ws) };
}

/** c_alpha for all |alpha| <= K by tensor-product quadrature with per-axis rules. */
function tensorQuadrature(g: (z: ArrayLike<number>) => number, r: number, K: number, breaks: number[][], panelWidth: number, order: number, L: number, deadline: Deadline = NO_DEADLINE): { coeffs: Map<string, number>; secondMoment: number; rounding: number } {
  const rules = breaks.map((b) => axisRule(b, L, panelWidth, order));
  const sizes = rules.map((ru) => ru.x.length);
  // H_i[node, k] = h_k(x_node) on axis i
  const H = rules.map((ru) => {
    const h = new Float64Array(ru.x.length * (K + 1));
    for (let j = 0; j < ru.x.length; j++) normalizedHermiteValues(ru.x[j]!, K, h, j * (K + 1));
    return h;
  });
  // values F[n_1, ..., n_r] * prod w
  const total = sizes.reduce((a, b) => a * b, 1);
  let T = new Float64Array(total);
  const idx = new Array(r).fill(0);
  const z = new Float64Array(r);
  // E[g^2] by Neumaier (compensated) summation over up to ~10^6 nodes; `mass` bounds the rounding left
  let second = 0, compensation = 0, mass = 0;
  for (let flat = 0; flat < total; flat++) {
    if ((flat & 65535) === 65535) deadline.check();
    let rem = flat, w = 1;
    for (let i = r - 1; i >= 0; i--) { idx[i] = rem % sizes[i]!; rem = Math.floor(rem / sizes[i]!); z[i] = rules[i]!.x[idx[i]]!; w *= rules[i]!.w[idx[i]]!; }
    const v = g(z);
    T[flat] = v * w;
    const term = v * v * w;
    const t = second + term;
    compensation += Math.abs(second) >= Math.abs(term) ? (second - t) + term : (term - t) + second;
    second = t;
    mass += Math.abs(term);
  }
  second += compensation;
  // contract axis by axis: shape (K+1)^(i) x n_i x ... -> (K+1)^(i+1) x ...
  let shape = [...sizes];
  for (let axis = 0; axis < r; axis++) {
    const before = shape.slice(0, axis).reduce((a, b) => a * b, 1);
    const n = shape[axis]!;
    const after = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    const out = new Float64Array(before * (K + 1) * after);
    const h = H[axis]!;
    for (let b = 0; b < before; b++) for (let j = 0; j < n; j++) {
      const src = (b * n + j) * after;
      for (let k = 0; k <= K; k++) {
        const hk = h[j * (K + 1) + k]!;
        if (hk === 0) continue;
        const dst = (b * (K + 1) + k) * after;
        for (let a = 0; a < after; a++) out[dst + a]! += hk * T[src + a]!;
      }
    }
    T = out;
    shape = [...shape.slice(0, axis), K + 1, ...shape.slice(axis + 1)];
  }
  const coeffs = new Map<string, number>();
  for (const alpha of multiIndices(r, K)) {
    let flat = 0;
    for (let i = 0; i < r; i++) flat = flat * (K + 1) + alpha[i]!;
    coeffs.set(key(alpha), T[flat]!);
  }
  return { coeffs, secondMoment: second, rounding: 8 * Number.EPSILON * mass };
}

/** Numerical multivariate Hermite coefficients with error bounds, and E[g^2]. */
/** Seconds of Monte Carlo a tensor quadrature cut by its deadline falls back to (and the fewest samples it draws). */
export const FALLBACK_MONTE_CARLO_SECONDS = 0.15;
const MIN_FALLBACK_SAMPLES = 20_000;

export interface NumericTensorResult {
  readonly entries: TensorEntry[];
  readonly secondMoment: number;
  readonly secondMomentError: number;
  readonly method: "tensor-quadrature" | "monte-carlo";
}

/**
 * c_alpha for |alpha| <= K of a non-polynomial r-variate expression: tensor-product Gauss-Legendre quadrature split at
 * axis-aligned kinks for r <= 3 (error = difference between two resolutions), seeded Monte Carlo beyond (error = 4
 * standard errors).
 * @param options.seed Monte Carlo seed (default 12345); options.samples Monte Carlo sample count (default 400000).
 */
export function numericTensorCoefficients(e: Expr, r: number, K: number, options: { seed?: number; samples?: number; deadline?: Deadline; monteCarlo?: boolean; monteCarloSeconds?: number } = {}): NumericTensorResult {
  const g = compileMultivariate(e, r);
  if (r <= 3 && !options.monteCarlo) {
    const L = 10;
    const breaks = axisBreakpoints(e, r, L);
    const [coarse, fine] = r === 1
      ? [[1, 20], [0.5, 30]] : r === 2 ? [[1, 12], [0.5, 16]] : [[2, 10], [1, 12]];
    // past the deadline the tensor grid (10^7 nodes and more for r = 3 with kinks) gives way to Monte Carlo
    let a, b;
    try {
      a = tensorQuadrature(g, r, K, breaks, coarse![0]!, coarse![1]!, L, options.deadline);
      b = tensorQuadrature(g, r, K, breaks, fine![0]!, fine![1]!, L, options.deadline);
    } catch (err) {
      if (!(err instanceof TimeLimitExceeded)) throw err;
      return numericTensorCoefficients(e, r, K, { ...options, deadline: undefined, monteCarlo: true, monteCarloSeconds: FALLBACK_MONTE_CARLO_SECONDS });
    }
    const entries = multiIndices(r, K).map((alpha) => {
      const va = a.coeffs.get(key(alpha))!, vb = b.coeffs.get(key(alpha))!;
      return { alpha, value: vb, exact: null, errorBound: Math.abs(va - vb) + 1e-15 * Math.max(1, Math.sqrt(Math.abs(b.secondMoment))) };
    });
    const secondMomentError = Math.abs(a.secondMoment - b.secondMoment) + a.rounding + b.rounding + 1e-15;
    // a singular set through the nodes (log|z1 - z2| on the diagonal of a symmetric grid) makes the rule infinite:
    // Monte Carlo, whose points miss a null set almost surely, is the safer route then
    if ([b.secondMoment, secondMomentError, ...entries.flatMap((t) => [t.value, t.errorBound])].every(Number.isFinite)) {
      return { entries, secondMoment: b.secondMoment, secondMomentError, method: "tensor-quadrature" };
    }
  }
  // Monte Carlo: seeded, error bound = 4 standard errors plus the rounding of the sums. Each sum is shifted by its
  // first term (a constant link then sums exact zeros: the mean is the value itself, not the value with the
  // rounding of 400,000 additions, 1.7e-12 for erf(pi)) and compensated (Neumaier), and the variance comes from the
  // shifted terms (no cancellation of mean2 - mean^2 when the spread is tiny against the mean)
  const N = options.samples ?? 400_000;
  const rng = seededRng(options.seed ?? 12345);
  const alphas = multiIndices(r, K);
  const A = alphas.length;
  // per alpha, then the last two slots for f^2 and f^4: shift, compensated sum and its compensation, sum of squares
  // of the shifted terms, sum of |terms| (for the rounding allowance)
  const shift = new Float64Array(A + 1), sum = new Float64Array(A + 1), comp = new Float64Array(A + 1);
  const sum2 = new Float64Array(A + 1), sumAbs = new Float64Array(A + 1);
  const z = new Float64Array(r), h = new Float64Array(r * (K + 1));
  const add = (a: number, p: number, first: boolean) => {
    if (first) shift[a] = p;
    const d = p - shift[a]!;
    const t = sum[a]! + d;
    comp[a]! += Math.abs(sum[a]!) >= Math.abs(d) ? sum[a]! - t + d : d - t + sum[a]!;
    sum[a] = t;
    sum2[a]! += d * d;
    sumAbs[a]! += Math.abs(p);
  };
  // a fallback past the deadline draws samples for at most monteCarloSeconds (then the bound is that of the samples
  // drawn, at least MIN_FALLBACK_SAMPLES); so does a direct Monte Carlo (r > 3) past the caller's deadline: the count,
  // and so the numbers, depend on the machine's speed then
  const stopAt = options.monteCarloSeconds === undefined ? Infinity : performance.now() + 1000 * options.monteCarloSeconds;
  const deadline = options.deadline ?? NO_DEADLINE;
  let drawn = N;
  for (let n = 0; n < N; n++) {
    if (n >= MIN_FALLBACK_SAMPLES && n % 4096 === 0 && (performance.now() > stopAt || deadline.expired())) { drawn = n; break; }
    for (let i = 0; i < r; i++) z[i] = rng.normal();
    for (let i = 0; i < r; i++) normalizedHermiteValues(z[i]!, K, h, i * (K + 1));
    const v = g(z);
    add(A, v * v, n === 0);
    for (let a = 0; a < A; a++) {
      let p = v;
      const al = alphas[a]!;
      for (let i = 0; i < r; i++) p *= h[i * (K + 1) + al[i]!]!;
      add(a, p, n === 0);
    }
  }
  const estimate = (a: number) => {
    const md = (sum[a]! + comp[a]!) / drawn;
    const se = Math.sqrt(Math.max(0, sum2[a]! / drawn - md * md) / drawn);
    // rounding: each shifted term and each addition is good to a few ulps of the terms' magnitude
    return { mean: shift[a]! + md, bound: 4 * se + 8 * Number.EPSILON * (sumAbs[a]! / drawn + Math.abs(shift[a]!)) };
  };
  const entries = alphas.map((alpha, a) => {
    const { mean, bound } = estimate(a);
    return { alpha, value: mean, exact: null, errorBound: bound };
  });
  const m = estimate(A);
  return { entries, secondMoment: m.mean, secondMomentError: m.bound, method: "monte-carlo" };
}
