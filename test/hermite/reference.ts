/**
 * Independent reference computations for the Hermite tests, written from the definitions and sharing no code with
 * src/: Gaussian moments, exact E[p(Z) He_k(Z)] for polynomials, and a fixed composite Gauss–Legendre quadrature
 * (nodes by Newton's method on P_n) split at given kinks.
 */
import Fraction from "fraction.js";
import { hermiteExplicit } from "../arbitraries.js";

/** E[Z^n] = (n-1)!! for even n, 0 for odd n. */
export function gaussianMoment(n: number): bigint {
  if (n % 2 === 1) return 0n;
  let r = 1n;
  for (let i = n - 1; i > 1; i -= 2) r *= BigInt(i);
  return r;
}

export const factorial = (n: number): bigint => { let r = 1n; for (let i = 2; i <= n; i++) r *= BigInt(i); return r; };

/** Exact E[p(Z) He_k(Z)], k = 0..K, for a polynomial p with monomial coefficients. */
export function polynomialHermiteIntegrals(p: readonly Fraction[], K: number): Fraction[] {
  return Array.from({ length: K + 1 }, (_, k) => {
    const he = hermiteExplicit(k);
    let s = new Fraction(0);
    for (let i = 0; i < p.length; i++) for (let j = 0; j < he.length; j++) {
      if (p[i]!.equals(0) || he[j]!.equals(0)) continue;
      s = s.add(p[i]!.mul(he[j]!).mul(new Fraction(gaussianMoment(i + j))));
    }
    return s;
  });
}

/** Exact E[p(Z)^2]. */
export function polynomialSecondMoment(p: readonly Fraction[]): Fraction {
  let s = new Fraction(0);
  for (let i = 0; i < p.length; i++) for (let j = 0; j < p.length; j++) s = s.add(p[i]!.mul(p[j]!).mul(new Fraction(gaussianMoment(i + j))));
  return s;
}

/** c_k = E[p He_k]/sqrt(k!) as doubles. */
export const normalize = (integrals: readonly Fraction[]): number[] =>
  integrals.map((v, k) => v.valueOf() / Math.sqrt(Number(factorial(k))));

// ---------------------------------------------------------------- reference quadrature

const legendreCache = new Map<number, { x: number[]; w: number[] }>();

/** n-point Gauss–Legendre rule on [-1, 1]. */
export function legendreRule(n: number): { x: number[]; w: number[] } {
  const hit = legendreCache.get(n);
  if (hit) return hit;
  const x: number[] = [], w: number[] = [];
  for (let i = 1; i <= n; i++) {
    let t = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = t;
      for (let k = 2; k <= n; k++) { const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k; p0 = p1; p1 = p2; }
      dp = (n * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / dp;
      t -= dt;
      if (Math.abs(dt) < 1e-16) break;
    }
    x.push(t); w.push(2 / ((1 - t * t) * dp * dp));
  }
  const rule = { x, w };
  legendreCache.set(n, rule);
  return rule;
}

/**
 * E[f(Z) h_k(Z)], h_k = He_k/sqrt(k!), k = 0..K, and E[f(Z)^2], by a fixed composite 24-point Gauss–Legendre rule
 * on [-L, L] with panels of width <= `width`, split at `cuts` (where f or a derivative jumps).
 */
export function referenceCoefficients(f: (z: number) => number, K: number, cuts: readonly number[] = [], options: { L?: number; width?: number } = {}): { c: number[]; m2: number } {
  const L = options.L ?? 16, width = options.width ?? 0.25;
  const rule = legendreRule(24);
  const edges = [-L, ...cuts.filter((t) => t > -L && t < L).sort((a, b) => a - b), L];
  const c = new Array<number>(K + 1).fill(0);
  let m2 = 0;
  const h = new Array<number>(K + 1).fill(0);
  for (let e = 0; e + 1 < edges.length; e++) {
    const a = edges[e]!, b = edges[e + 1]!;
    const panels = Math.max(1, Math.ceil((b - a) / width));
    for (let p = 0; p < panels; p++) {
      const lo = a + ((b - a) * p) / panels, hi = a + ((b - a) * (p + 1)) / panels;
      const mid = (lo + hi) / 2, half = (hi - lo) / 2;
      for (let i = 0; i < rule.x.length; i++) {
        const z = mid + half * rule.x[i]!;
        const wz = half * rule.w[i]! * Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
        const fz = f(z);
        h[0] = 1; if (K >= 1) h[1] = z;
        for (let k = 1; k < K; k++) h[k + 1] = (z * h[k]! - Math.sqrt(k) * h[k - 1]!) / Math.sqrt(k + 1);
        for (let k = 0; k <= K; k++) c[k]! += wz * fz * h[k]!;
        m2 += wz * fz * fz;
      }
    }
  }
  return { c, m2 };
}
