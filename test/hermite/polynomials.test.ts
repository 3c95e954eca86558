/**
 * Random links (fast-check): the exact path against an independent exact reference, exact against numeric
 * quadrature, Parseval, reflection, linearity, and Stein's identity (theory notes §1.2, §1.3).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Fraction from "fraction.js";
import { parseLink } from "../../src/link/link.js";
import { derivative } from "../../src/link/analysis.js";
import { compileUnivariate } from "../../src/link/compile.js";
import { hermiteSpectrum } from "../../src/hermite/spectrum.js";
import { numericHermiteCoefficients } from "../../src/hermite/numericUnivariate.js";
import { closedFormIntegrals } from "../../src/hermite/closedForms.js";
import { ExactReal } from "../../src/exact/exactReal.js";
import type { Expr } from "../../src/link/expr.js";
import { piecewiseLink, polynomialLink, reflect, smoothLink, nonZeroRational } from "../arbitraries.js";
import { normalize, polynomialHermiteIntegrals, polynomialSecondMoment, referenceCoefficients } from "./reference.js";

const SEED = 20240901;
const sqrtFact = (k: number) => { let r = 1; for (let i = 2; i <= k; i++) r *= i; return Math.sqrt(r); };

describe("random polynomials: exact path", () => {
  it("E[p(Z) He_k(Z)] is exactly the reference rational for every k <= deg p + 2", () => {
    fc.assert(fc.property(polynomialLink(10), ({ text, coefficients }) => {
      const link = parseLink(text);
      const K = coefficients.length + 1;
      const integrals = closedFormIntegrals(link.expr, K);
      expect(integrals).not.toBeNull();
      const expected = polynomialHermiteIntegrals(coefficients, K);
      integrals!.forEach((v, k) => expect(v.sub(ExactReal.rational(expected[k]!)).isZero(), `k = ${k} of ${text}`).toBe(true));
    }), { seed: SEED, numRuns: 150 });
  });

  it("spectrum: coefficients, exact strings present, Parseval residual exactly 0 when K >= degree, E[f^2] exact", () => {
    fc.assert(fc.property(polynomialLink(10), fc.integer({ min: 0, max: 4 }), ({ text, coefficients }, extra) => {
      const deg = coefficients.length - 1;
      const s = hermiteSpectrum(parseLink(text), deg + extra);
      expect(s.method).toBe("exact-polynomial");
      const expected = normalize(polynomialHermiteIntegrals(coefficients, deg + extra));
      const m2 = polynomialSecondMoment(coefficients).valueOf();
      s.coefficients.forEach((c, k) => expect(Math.abs(c - expected[k]!)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.sqrt(m2))));
      expect(s.exact.every((e) => typeof e === "string")).toBe(true);
      expect(Math.abs(s.secondMoment - m2)).toBeLessThanOrEqual(1e-13 * Math.max(1, m2));
      expect(s.parsevalResidual).toBe(0); // exactly: sum_{k <= deg} c_k^2 = E[p^2] in exact arithmetic
      expect(s.parsevalResidualError).toBeLessThanOrEqual(1e-12 * Math.max(1, m2));
    }), { seed: SEED, numRuns: 120 });
  });

  it("Parseval below the degree: the residual is exactly the tail sum_{k > K} c_k^2", () => {
    fc.assert(fc.property(polynomialLink(10).filter((p) => p.coefficients.length >= 3), fc.nat(), ({ text, coefficients }, r) => {
      const deg = coefficients.length - 1;
      const K = r % deg; // K < deg
      const s = hermiteSpectrum(parseLink(text), K);
      const all = polynomialHermiteIntegrals(coefficients, deg);
      let tail = new Fraction(0);
      for (let k = K + 1; k <= deg; k++) {
        let f = 1n; for (let i = 2; i <= k; i++) f *= BigInt(i);
        tail = tail.add(all[k]!.mul(all[k]!).div(new Fraction(f)));
      }
      expect(Math.abs(s.parsevalResidual - tail.valueOf())).toBeLessThanOrEqual(1e-12 * Math.max(1, polynomialSecondMoment(coefficients).valueOf()));
    }), { seed: SEED, numRuns: 60 });
  });
});

describe("random polynomials: exact against numeric quadrature", () => {
  it("numericHermiteCoefficients on the compiled closure agrees with the exact c_k to 1e-12 * max(1, ||f||)", () => {
    fc.assert(fc.property(polynomialLink(12), fc.integer({ min: 0, max: 8 }), ({ text, coefficients }, extra) => {
      const link = parseLink(text);
      const K = Math.min(40, coefficients.length - 1 + extra);
      const exact = normalize(polynomialHermiteIntegrals(coefficients, K));
      const norm = Math.sqrt(polynomialSecondMoment(coefficients).valueOf());
      const num = numericHermiteCoefficients(link.f, link.breakpoints, K);
      for (let k = 0; k <= K; k++) {
        const err = Math.abs(num.coefficients[k]! - exact[k]!);
        expect(err, `c_${k} of ${text}`).toBeLessThanOrEqual(1e-12 * Math.max(1, norm));
        // the reported error bound must cover the actual error (with the exact value's rounding)
        expect(err, `bound of c_${k} of ${text}`).toBeLessThanOrEqual(num.errors[k]! + 4 * Number.EPSILON * Math.max(1, norm));
      }
      expect(Math.abs(num.secondMoment - norm * norm)).toBeLessThanOrEqual(1e-12 * Math.max(1, norm * norm));
    }), { seed: SEED, numRuns: 60 });
  });

  it("degree 40: He(40, z) + He(37, z)/7 and (z^2 - 2)^20 are reproduced by quadrature to 1e-12 * ||f||", () => {
    for (const [text, K] of [["He(40, z) + He(37, z)/7", 40], ["(z^2 - 2)^20", 40], ["z^40", 44]] as const) {
      const link = parseLink(text);
      const exact = hermiteSpectrum(link, K);
      const num = numericHermiteCoefficients(link.f, link.breakpoints, K);
      const norm = Math.sqrt(exact.secondMoment);
      for (let k = 0; k <= K; k++) expect(Math.abs(num.coefficients[k]! - exact.coefficients[k]!), `${text} c_${k}`).toBeLessThanOrEqual(1e-12 * norm);
    }
  });
});

describe("symmetries and linearity (any link)", () => {
  const anyLink = fc.oneof(polynomialLink(6).map((p) => p.text), piecewiseLink.map((p) => p.text), smoothLink);

  it("c_k[f(-z)] = (-1)^k c_k[f]", () => {
    fc.assert(fc.property(anyLink, (text) => {
      const K = 12;
      const a = hermiteSpectrum(parseLink(text), K), b = hermiteSpectrum(parseLink(reflect(text)), K);
      const scale = Math.max(1, Math.sqrt(Math.abs(a.secondMoment)));
      for (let k = 0; k <= K; k++) {
        const tol = 1e-12 * scale + a.errorBounds[k]! + b.errorBounds[k]!;
        expect(Math.abs(b.coefficients[k]! - (k % 2 ? -1 : 1) * a.coefficients[k]!), `${text}, k = ${k}`).toBeLessThanOrEqual(tol);
      }
    }), { seed: SEED, numRuns: 60 });
  });

  it("c_k[a f + b g] = a c_k[f] + b c_k[g]", () => {
    fc.assert(fc.property(anyLink, anyLink, nonZeroRational(5), nonZeroRational(5), (f, g, a, b) => {
      const K = 10;
      const sf = hermiteSpectrum(parseLink(f), K), sg = hermiteSpectrum(parseLink(g), K);
      const sh = hermiteSpectrum(parseLink(`${a.text}*(${f}) + ${b.text}*(${g})`), K);
      const av = a.value.valueOf(), bv = b.value.valueOf();
      const scale = Math.max(1, Math.abs(av) * Math.sqrt(sf.secondMoment) + Math.abs(bv) * Math.sqrt(sg.secondMoment));
      for (let k = 0; k <= K; k++) {
        const tol = 2e-12 * scale + sh.errorBounds[k]! + Math.abs(av) * sf.errorBounds[k]! + Math.abs(bv) * sg.errorBounds[k]!;
        expect(Math.abs(sh.coefficients[k]! - av * sf.coefficients[k]! - bv * sg.coefficients[k]!), `k = ${k}`).toBeLessThanOrEqual(tol);
      }
    }), { seed: SEED, numRuns: 40 });
  });
});

describe("Parseval for any link", () => {
  it("0 <= E[f^2] - sum_{k<=K} c_k^2 (up to its error), and the residual shrinks as K grows", () => {
    fc.assert(fc.property(fc.oneof(piecewiseLink.map((p) => p.text), smoothLink), (text) => {
      const link = parseLink(text);
      const a = hermiteSpectrum(link, 8), b = hermiteSpectrum(link, 24);
      for (const s of [a, b]) {
        expect(s.parsevalResidual, text).toBeGreaterThanOrEqual(-s.parsevalResidualError - 1e-14 * s.secondMoment);
        expect(s.parsevalResidual).toBeLessThanOrEqual(s.secondMoment + s.parsevalResidualError);
      }
      expect(b.parsevalResidual).toBeLessThanOrEqual(a.parsevalResidual + a.parsevalResidualError + b.parsevalResidualError);
    }), { seed: SEED, numRuns: 40 });
  });
});

describe("Stein's identity E[f He_k] = E[f^(k)] (notes §1.3)", () => {
  const nthDerivative = (e: Expr, k: number) => { let d = e; for (let i = 0; i < k; i++) d = derivative(d); return d; };

  it("random smooth links: numeric E[f He_k] equals numeric E[f^(k)] of the symbolic derivative, k <= 4", () => {
    fc.assert(fc.property(smoothLink, (text) => {
      const link = parseLink(text);
      const K = 4;
      const c = numericHermiteCoefficients(link.f, [], K);
      for (let k = 1; k <= K; k++) {
        const dk = compileUnivariate(nthDerivative(link.expr, k));
        const m = numericHermiteCoefficients(dk, [], 0);
        const lhs = c.coefficients[k]! * sqrtFact(k); // E[f He_k]
        const scale = Math.max(1, Math.sqrt(c.secondMoment), Math.sqrt(m.secondMoment));
        expect(Math.abs(lhs - m.coefficients[0]!), `${text}, k = ${k}`).toBeLessThanOrEqual(1e-11 * scale);
      }
    }), { seed: SEED, numRuns: 40 });
  });

  it("c_k[f'] = sqrt(k+1) c_{k+1}[f] on smooth and piecewise-linear links (a.e. derivative, kinks not jumps)", () => {
    const kinked = ["relu(z)", "abs(z - 1/2)", "max(z, 1)", "min(2*z, -z)", "relu(z)*tanh(z)"];
    fc.assert(fc.property(fc.oneof(smoothLink, fc.constantFrom(...kinked)), (text) => {
      const link = parseLink(text);
      const K = 8;
      const f = numericHermiteCoefficients(link.f, link.breakpoints, K + 1);
      const d = numericHermiteCoefficients(compileUnivariate(derivative(link.expr)), link.breakpoints, K);
      for (let k = 0; k <= K; k++) {
        const scale = Math.max(1, Math.sqrt(f.secondMoment), Math.sqrt(d.secondMoment));
        expect(Math.abs(d.coefficients[k]! - Math.sqrt(k + 1) * f.coefficients[k + 1]!), `${text}, k = ${k}`).toBeLessThanOrEqual(1e-11 * scale);
      }
    }), { seed: SEED, numRuns: 30 });
  });
});

describe("numeric path against an independent fixed-panel quadrature", () => {
  it("random piecewise links (kinks known by construction) and smooth links agree to 1e-12 * max(1, ||f||), K = 20", () => {
    fc.assert(fc.property(fc.oneof(piecewiseLink, smoothLink.map((text) => ({ text, kinks: [] as number[] }))), ({ text, kinks }) => {
      const link = parseLink(text);
      const K = 20;
      const num = numericHermiteCoefficients(link.f, link.breakpoints, K);
      const ref = referenceCoefficients(link.f, K, kinks, { L: 20, width: 0.2 });
      const scale = Math.max(1, Math.sqrt(ref.m2));
      for (let k = 0; k <= K; k++) {
        const err = Math.abs(num.coefficients[k]! - ref.c[k]!);
        expect(err, `${text}, k = ${k}`).toBeLessThanOrEqual(1e-12 * scale);
        // the reported bound covers the actual error (up to the reference's own rounding)
        expect(err, `${text}, bound of c_${k}`).toBeLessThanOrEqual(num.errors[k]! + 1e-14 * scale);
      }
    }), { seed: SEED, numRuns: 40 });
  });

  it("tanh(z) to degree 40 (stability of the numeric path)", () => {
    const link = parseLink("tanh(z)");
    const num = numericHermiteCoefficients(link.f, [], 40);
    const ref = referenceCoefficients(link.f, 40, [], { L: 20, width: 0.1 });
    for (let k = 0; k <= 40; k++) {
      expect(Math.abs(num.coefficients[k]! - ref.c[k]!), `k = ${k}`).toBeLessThanOrEqual(1e-12);
      expect(num.errors[k]!).toBeLessThanOrEqual(1e-12);
    }
    // notes §2.5: c_1 = 0.60571, c_3 = -0.14844, c_5 = 0.06255
    expect(num.coefficients[1]!).toBeCloseTo(0.60571, 5);
    expect(num.coefficients[3]!).toBeCloseTo(-0.14844, 5);
    expect(num.coefficients[5]!).toBeCloseTo(0.06255, 5);
  });
});
