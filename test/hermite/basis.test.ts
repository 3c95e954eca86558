/**
 * Hermite algebra (theory notes §1.1, §1.5): orthogonality E[He_j He_k] = k! delta_jk by quadrature, the three-term
 * recurrence against the explicit monomial formula, E[He_k(Z)^2] = k!, z^n in the Hermite basis, and the stability of
 * the normalised recurrence to degree 60.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Fraction from "fraction.js";
import { hermiteMonomialCoefficients, monomialInHermite, normalizedHermiteValues } from "../../src/hermite/basis.js";
import { hermiteHe } from "../../src/link/runtime.js";
import { gaussHermite } from "../../src/numeric/gaussHermite.js";
import { hermiteExplicit } from "../arbitraries.js";
import { factorial, legendreRule } from "./reference.js";

/** E[g(Z)] by composite 24-point Gauss–Legendre on [-L, L] (independent of the library's rules). */
function expectation(g: (z: number) => number, L = 18, panels = 180): number {
  const { x, w } = legendreRule(24);
  let s = 0;
  for (let p = 0; p < panels; p++) {
    const lo = -L + (2 * L * p) / panels, hi = lo + (2 * L) / panels;
    const mid = (lo + hi) / 2, half = (hi - lo) / 2;
    for (let i = 0; i < x.length; i++) {
      const z = mid + half * x[i]!;
      s += half * w[i]! * g(z) * Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
    }
  }
  return s;
}

const h = (k: number, z: number): number => {
  const out = new Float64Array(k + 1);
  normalizedHermiteValues(z, k, out);
  return out[k]!;
};

describe("Hermite algebra", () => {
  it("the first polynomials are He_2 = z^2-1, He_3 = z^3-3z, He_4 = z^4-6z^2+3, He_5 = z^5-10z^3+15z (notes §1.1)", () => {
    expect(hermiteMonomialCoefficients(2)).toEqual([-1n, 0n, 1n]);
    expect(hermiteMonomialCoefficients(3)).toEqual([0n, -3n, 0n, 1n]);
    expect(hermiteMonomialCoefficients(4)).toEqual([3n, 0n, -6n, 0n, 1n]);
    expect(hermiteMonomialCoefficients(5)).toEqual([0n, 15n, 0n, -10n, 0n, 1n]);
  });

  it("the recurrence's monomial coefficients equal the explicit sum k! sum_m (-1)^m z^(k-2m)/(m!(k-2m)!2^m), k <= 40", () => {
    for (let k = 0; k <= 40; k++) {
      const rec = hermiteMonomialCoefficients(k);
      const explicit = hermiteExplicit(k);
      expect(rec.length).toBe(explicit.length);
      rec.forEach((c, j) => expect(new Fraction(c).equals(explicit[j]!)).toBe(true));
    }
  });

  it("hermiteHe(k, x) (recurrence in doubles) agrees with the exact polynomial at rational points", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 25 }), fc.integer({ min: -40, max: 40 }), fc.constantFrom(1, 2, 4, 8), (k, n, d) => {
      const x = new Fraction(n, d);
      const exact = hermiteExplicit(k).reduceRight((acc, c) => acc.mul(x).add(c), new Fraction(0));
      const got = hermiteHe(k, x.valueOf());
      // |He_k(x)| can be small by cancellation: compare against the size of the terms
      const scale = hermiteExplicit(k).reduce((s, c, j) => s + Math.abs(c.valueOf()) * Math.abs(x.valueOf()) ** j, 0);
      expect(Math.abs(got - exact.valueOf())).toBeLessThanOrEqual(1e-13 * scale + 1e-300);
    }), { numRuns: 300 });
  });

  it("normalised values h_k = He_k/sqrt(k!) match He_k/sqrt(k!) exactly evaluated, to degree 60 (stability)", () => {
    fc.assert(fc.property(fc.integer({ min: -80, max: 80 }), fc.constantFrom(1, 2, 4, 8), (n, d) => {
      const x = new Fraction(n, d);
      const K = 60;
      const out = new Float64Array(K + 1);
      normalizedHermiteValues(x.valueOf(), K, out);
      // the size of the basis at x, which bounds the rounding of a backward-stable recurrence
      let envelope = 1;
      for (let k = 0; k <= K; k++) envelope = Math.max(envelope, Math.abs(out[k]!));
      for (const k of [0, 1, 2, 7, 20, 33, 40, 60]) {
        const exact = hermiteExplicit(k).reduceRight((acc, c) => acc.mul(x).add(c), new Fraction(0));
        const target = exact.valueOf() / Math.sqrt(Number(factorial(k)));
        expect(Math.abs(out[k]! - target)).toBeLessThanOrEqual(1e-12 * envelope);
      }
    }), { numRuns: 80 });
  });

  it("orthonormality E[h_j(Z) h_k(Z)] = delta_jk by quadrature, j, k <= 40", () => {
    const K = 40;
    const { x, w } = legendreRule(24);
    const G = Array.from({ length: K + 1 }, () => new Float64Array(K + 1));
    const hv = new Float64Array(K + 1);
    const L = 18, panels = 240;
    for (let p = 0; p < panels; p++) {
      const lo = -L + (2 * L * p) / panels, half = L / panels, mid = lo + half;
      for (let i = 0; i < x.length; i++) {
        const z = mid + half * x[i]!;
        const wz = half * w[i]! * Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
        normalizedHermiteValues(z, K, hv);
        for (let j = 0; j <= K; j++) for (let k = 0; k <= K; k++) G[j]![k]! += wz * hv[j]! * hv[k]!;
      }
    }
    for (let j = 0; j <= K; j++) for (let k = 0; k <= K; k++) {
      expect(Math.abs(G[j]![k]! - (j === k ? 1 : 0))).toBeLessThan(1e-12);
    }
  });

  it("E[He_j(Z) He_k(Z)] = k! delta_jk with the unnormalised recurrence and a Gauss-Hermite rule, j, k <= 20", () => {
    const rule = gaussHermite(40); // exact for degree <= 79
    const weights = [...rule.weights];
    expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-14);
    for (let j = 0; j <= 20; j++) for (let k = 0; k <= 20; k++) {
      let s = 0;
      for (let i = 0; i < rule.nodes.length; i++) s += rule.weights[i]! * hermiteHe(j, rule.nodes[i]!) * hermiteHe(k, rule.nodes[i]!);
      const kf = Number(factorial(k));
      if (j === k) expect(Math.abs(s / kf - 1)).toBeLessThan(1e-11);
      else expect(Math.abs(s) / Math.sqrt(Number(factorial(j)) * kf)).toBeLessThan(1e-11);
    }
  });

  it("E[He_k(Z)^2] = k! by adaptive-free quadrature, k <= 25", () => {
    for (let k = 0; k <= 25; k++) {
      const m = expectation((z) => hermiteHe(k, z) ** 2);
      expect(Math.abs(m / Number(factorial(k)) - 1)).toBeLessThan(1e-11);
    }
  });

  it("parity He_k(-z) = (-1)^k He_k(z), derivative He_k' = k He_{k-1}, and He_k(0) = (-1)^(k/2) (k-1)!! (notes §1.1)", () => {
    for (let k = 0; k <= 30; k++) {
      for (const z of [0.3, 1.7, 4.2]) expect(hermiteHe(k, -z) === (k % 2 ? -1 : 1) * hermiteHe(k, z)).toBe(true);
      const he0 = k % 2 ? 0 : (k / 2) % 2 ? -1 : 1;
      let dfact = 1n;
      for (let i = k - 1; i > 1; i -= 2) dfact *= BigInt(i);
      expect(hermiteHe(k, 0) === he0 * Number(dfact)).toBe(true);
      if (k >= 1) {
        const a = hermiteMonomialCoefficients(k), b = hermiteMonomialCoefficients(k - 1);
        for (let j = 1; j < a.length; j++) expect(BigInt(j) * a[j]!).toBe(BigInt(k) * (b[j - 1] ?? 0n));
      }
    }
  });

  it("monomialInHermite round trip: sum_j M[n][j] He_j(z) = z^n exactly, n <= 30; z^3 = He_3 + 3He_1, z^4 = He_4 + 6He_2 + 3", () => {
    expect(monomialInHermite(3)).toEqual([0n, 3n, 0n, 1n]);
    expect(monomialInHermite(4)).toEqual([3n, 0n, 6n, 0n, 1n]);
    for (let n = 0; n <= 30; n++) {
      const M = monomialInHermite(n);
      const acc: bigint[] = new Array(n + 1).fill(0n);
      M.forEach((m, j) => hermiteExplicit(j).forEach((c, i) => { acc[i]! += m * (c.s * c.n) / c.d; }));
      expect(acc).toEqual(Array.from({ length: n + 1 }, (_, i) => (i === n ? 1n : 0n)));
      // and E[z^n He_j] = M[n][j] j! (moment identity, checked with the Gaussian moments)
      for (let j = 0; j <= n; j++) {
        const lhs = hermiteExplicit(j).reduce((s, c, i) => s.add(c.mul(new Fraction(moment(n + i)))), new Fraction(0));
        expect(lhs.equals(new Fraction(M[j]! * factorial(j)))).toBe(true);
      }
    }
  });
});

function moment(n: number): bigint {
  if (n % 2) return 0n;
  let r = 1n;
  for (let i = n - 1; i > 1; i -= 2) r *= BigInt(i);
  return r;
}
