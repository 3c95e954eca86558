/**
 * Multi-index Hermite tensors (theory notes §1.6): exact coefficients of random polynomials in z1..z3 against an
 * independent product formula and against the tensor quadrature path; sign(z1 z2 z3); Parseval in r dimensions.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Fraction from "fraction.js";
import { parseLink } from "../../src/link/link.js";
import { hermiteSpectrum } from "../../src/hermite/spectrum.js";
import { exactPolynomialSecondMoment, exactTensorCoefficients, multiIndices, numericTensorCoefficients, toMultiPolynomial } from "../../src/hermite/multivariate.js";
import { multiPolynomialLink } from "../arbitraries.js";
import { factorial, polynomialHermiteIntegrals } from "./reference.js";

/** c_alpha of sum_t a_t prod_i z_i^{n_ti}: by independence E[prod z_i^n_i He_alpha_i] = prod_i E[z^n_i He_alpha_i]. */
function expectedTensor(terms: { coef: Fraction; exps: number[] }[], alpha: readonly number[]): number {
  let s = new Fraction(0);
  for (const t of terms) {
    let prod = t.coef;
    for (let i = 0; i < alpha.length && !prod.equals(0); i++) {
      const mono = Array.from({ length: t.exps[i]! + 1 }, (_, j) => new Fraction(j === t.exps[i] ? 1 : 0));
      prod = prod.mul(polynomialHermiteIntegrals(mono, alpha[i]!)[alpha[i]!]!);
    }
    s = s.add(prod);
  }
  const af = alpha.reduce((acc, a) => acc * factorial(a), 1n);
  return s.valueOf() / Math.sqrt(Number(af));
}

const key = (a: readonly number[]) => a.join(",");

describe("multi-index Hermite tensors", () => {
  it("multiIndices(r, K) lists every alpha with |alpha| <= K once, by degree", () => {
    for (const [r, K] of [[1, 5], [2, 4], [3, 6], [4, 3]] as const) {
      const all = multiIndices(r, K);
      const binom = (n: number, k: number) => { let x = 1; for (let i = 1; i <= k; i++) x = (x * (n - k + i)) / i; return x; };
      expect(all.length).toBe(binom(K + r, r));
      expect(new Set(all.map(key)).size).toBe(all.length);
      const degs = all.map((a) => a.reduce((s, x) => s + x, 0));
      expect(degs).toEqual([...degs].sort((a, b) => a - b));
      expect(all.every((a) => a.length === r && a.every((x) => x >= 0))).toBe(true);
    }
  });

  it("random polynomials in z1..z3: exact c_alpha equal the product formula; Parseval residual within its bound", () => {
    fc.assert(fc.property(multiPolynomialLink(3, 5), ({ text, terms }) => {
      const s = hermiteSpectrum(parseLink(text), 5);
      expect(s.method).toBe("exact-polynomial");
      const m2 = s.secondMoment;
      for (const t of s.tensor!) {
        expect(Math.abs(t.value - expectedTensor(terms, t.alpha)), `${text}: c_(${t.alpha})`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.sqrt(m2)));
        expect(t.exact).not.toBeNull();
      }
      expect(Math.abs(s.parsevalResidual)).toBeLessThanOrEqual(s.parsevalResidualError);
    }), { seed: 3, numRuns: 60 });
  });

  it("random polynomials in z1..z3: the exact path's Parseval residual is exactly 0 (as for single-index)", () => {
    fc.assert(fc.property(multiPolynomialLink(3, 5), ({ text }) => {
      expect(hermiteSpectrum(parseLink(text), 5).parsevalResidual).toBe(0);
    }), { seed: 3, numRuns: 60 });
  });

  const tensorCases = (r: number, runs: number, seed: number) => fc.sample(multiPolynomialLink(r, 5), { numRuns: runs, seed });

  it("random polynomials in z1..z2 and z1..z3: tensor quadrature c_alpha agree with the exact path to 1e-12 * max(1, ||g||), within their bounds", () => {
    for (const [r, runs] of [[2, 10], [3, 2]] as const) {
      for (const { text } of tensorCases(r, runs, 4 + r)) {
        const link = parseLink(text);
        const exact = hermiteSpectrum(link, 5);
        const num = numericTensorCoefficients(link.expr, r, 5);
        expect(num.method).toBe("tensor-quadrature");
        const byAlpha = new Map(num.entries.map((e) => [key(e.alpha), e]));
        const scale = Math.max(1, Math.sqrt(exact.secondMoment));
        for (const t of exact.tensor!) {
          const e = byAlpha.get(key(t.alpha))!;
          expect(Math.abs(e.value - t.value), `${text}: c_(${t.alpha})`).toBeLessThanOrEqual(1e-12 * scale);
          expect(Math.abs(e.value - t.value), `${text}: c_(${t.alpha}) bound`).toBeLessThanOrEqual(e.errorBound + t.errorBound);
        }
      }
    }
  });

  it("tensor quadrature E[g^2] of polynomials in z1..z3 is within 1e-12 relative and within its error bound", () => {
    for (const text of ["-1*z3 + -1", "z1*z2*z3 + 2"]) {
      const link = parseLink(text);
      const exact = hermiteSpectrum(link, 3);
      const num = numericTensorCoefficients(link.expr, 3, 3);
      const err = Math.abs(num.secondMoment - exact.secondMoment);
      expect(err, text).toBeLessThanOrEqual(1e-12 * Math.max(1, exact.secondMoment));
      expect(err, text).toBeLessThanOrEqual(num.secondMomentError);
    }
  });

  it("sign(z1*z2*z3): c_(1,1,1) = (2/pi)^(3/2), every |alpha| < 3 vanishes (table §2.5), by both paths", () => {
    const link = parseLink("sign(z1*z2*z3)");
    const s = hermiteSpectrum(link, 5);
    const num = numericTensorCoefficients(link.expr, 3, 5);
    const target = (2 / Math.PI) ** 1.5;
    for (const entries of [s.tensor!, num.entries]) {
      const c111 = entries.find((t) => key(t.alpha) === "1,1,1")!;
      expect(Math.abs(c111.value - target)).toBeLessThan(1e-12);
      for (const t of entries) if (t.alpha.reduce((a, b) => a + b, 0) < 3) expect(Math.abs(t.value)).toBeLessThan(1e-12);
      // sign(z1 z2 z3) = sign(z1) sign(z2) sign(z3): c_alpha = prod_i c_{alpha_i}[sign], zero unless every alpha_i is odd
      for (const t of entries) {
        const expected = t.alpha.every((a) => a % 2 === 1) ? t.alpha.reduce((p, a) => p * signCoefficient(a), 1) : 0;
        expect(Math.abs(t.value - expected), `c_(${t.alpha})`).toBeLessThan(1e-12);
      }
    }
    expect(Math.abs(s.secondMoment - 1)).toBeLessThan(1e-12);
    expect(s.coefficients[3]).toBeCloseTo(target, 12); // the degree-3 norm is that single entry
  });

  it("z1*z2 has c_(1,1) = 1 and z1 + z1*z2 has c_(1,0) = c_(1,1) = 1 (table §2.5)", () => {
    const a = hermiteSpectrum(parseLink("z1*z2"), 4).tensor!;
    for (const t of a) expect(t.value).toBe(key(t.alpha) === "1,1" ? 1 : 0);
    const b = hermiteSpectrum(parseLink("z1 + z1*z2"), 4).tensor!;
    for (const t of b) expect(t.value).toBe(["1,0", "1,1"].includes(key(t.alpha)) ? 1 : 0);
  });

  it("non-separable kinks: relu(z1 + z2) has c_alpha = c_|alpha|[relu] (|alpha|!/alpha!)^(1/2) 2^(-|alpha|/2) (rotation)", () => {
    // relu((z1 + z2)/sqrt 2 * sqrt 2) = sqrt2 relu(u), u = (z1+z2)/sqrt2 ~ N(0,1); He_l(u) = sum_alpha (l!/alpha!) 2^(-l/2) He_alpha(z)
    const link = parseLink("relu(z1 + z2)");
    const s = hermiteSpectrum(link, 4);
    const relu = hermiteSpectrum(parseLink("relu(z)"), 4).coefficients;
    for (const t of s.tensor!) {
      const l = t.alpha[0]! + t.alpha[1]!;
      const multinomial = Number(factorial(l)) / (Number(factorial(t.alpha[0]!)) * Number(factorial(t.alpha[1]!)));
      const expected = Math.SQRT2 * relu[l]! * Math.sqrt(multinomial) * 2 ** (-l / 2);
      expect(Math.abs(t.value - expected), `c_(${t.alpha}) by ${s.method}`).toBeLessThanOrEqual(Math.max(1e-9, t.errorBound * 2));
      expect(Math.abs(t.value - expected)).toBeLessThanOrEqual(t.errorBound + 1e-15);
    }
  });
});

function signCoefficient(k: number): number {
  // c_k[sign] = 2 He_{k-1}(0)/sqrt(2 pi k!)
  let he = 0;
  if ((k - 1) % 2 === 0) { he = 1; for (let i = k - 2; i > 1; i -= 2) he *= i; if (((k - 1) / 2) % 2 === 1) he = -he; }
  return (2 * he) / Math.sqrt(2 * Math.PI * Number(factorial(k)));
}

describe("exact second moment of a multi-index polynomial (issue 19: it took 3 s for He(5, z3)^16)", () => {
  it("Parseval: E[g^2] from moments of pairs of terms equals the sum of c_alpha^2 over |alpha| <= deg g", () => {
    for (const src of ["z1*z2 + z3^2", "He(3, z1)*He(2, z2) - 0.5*z2", "(z1 + 2*z2)^3 - z1", "(z1 - z2^2)^2*z3"]) {
      const link = parseLink(src);
      const p = toMultiPolynomial(link.expr, link.dimension)!;
      const sum = exactTensorCoefficients(p, link.dimension, 6).reduce((s, c) => s + c.value.toNumber() ** 2, 0);
      expect(exactPolynomialSecondMoment(p, link.dimension).toNumber()).toBeCloseTo(sum, 9);
    }
  });

  it("((-He(5, z3))^4)^4: E[g^2] = E[He_5(Z)^32] exactly, as a rational, without a square root per multi-index", () => {
    const link = parseLink("((-He(5, z3))^4)^4");
    const m2 = exactPolynomialSecondMoment(toMultiPolynomial(link.expr, link.dimension)!, link.dimension).toNumber();
    // exact integer sum_i a_i E[Z^i] of the expanded He_5^32 (Python, big integers): 7.144362002808467e140
    expect(m2 / 7.144362002808467e140).toBeCloseTo(1, 12);
  });
});
