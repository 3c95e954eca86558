/**
 * Closed forms for kinked links against the numeric path and against independent formulas (Stein's identity on
 * distributional derivatives, theory notes §1.3, and the table of §2.5); kinks at shifted and irrational places;
 * exp and erf closed forms; links that grow exponentially.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { hermiteSpectrum } from "../../src/hermite/spectrum.js";
import { numericHermiteCoefficients } from "../../src/hermite/numericUnivariate.js";
import { hermiteHe } from "../../src/link/runtime.js";
import { legendreRule, referenceCoefficients } from "./reference.js";

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const phi = (t: number) => Math.exp(-(t * t) / 2) / SQRT_2PI;
const fact = (k: number) => { let r = 1; for (let i = 2; i <= k; i++) r *= i; return r; };
/** He_k for k >= 0 and 0 for k < 0 (so Stein terms of order below zero vanish). */
const He = (k: number, x: number) => (k < 0 ? 0 : hermiteHe(k, x));

/** int_a^b g(z) phi(z) dz by composite Gauss–Legendre; relative accuracy for a positive integrand. */
function gaussIntegral(g: (z: number) => number, a: number, b: number, panels = 400): number {
  const { x, w } = legendreRule(24);
  let s = 0;
  for (let p = 0; p < panels; p++) {
    const lo = a + ((b - a) * p) / panels, half = (b - a) / panels / 2, mid = lo + half;
    for (let i = 0; i < x.length; i++) { const z = mid + half * x[i]!; s += half * w[i]! * g(z) * phi(z); }
  }
  return s;
}
/** P(Z > t), computed as a positive integral (no 1 - Phi cancellation). */
const Phibar = (t: number) => (t >= 0 ? gaussIntegral(() => 1, t, t + 40) : 1 - gaussIntegral(() => 1, -t, -t + 40));

/** Exact-path spectrum, numeric spectrum, and a check of both against expected values. */
function checkLink(text: string, K: number, expected: (k: number) => number, tol = 1e-12) {
  const link = parseLink(text);
  const s = hermiteSpectrum(link, K);
  const n = numericHermiteCoefficients(link.f, link.breakpoints, K);
  const scale = Math.max(1, Math.sqrt(s.secondMoment));
  for (let k = 0; k <= K; k++) {
    const e = expected(k);
    expect(Math.abs(s.coefficients[k]! - e), `${text}: c_${k} (${s.method})`).toBeLessThanOrEqual(tol * scale);
    expect(Math.abs(n.coefficients[k]! - e), `${text}: numeric c_${k}`).toBeLessThanOrEqual(tol * scale);
    expect(Math.abs(s.coefficients[k]! - e), `${text}: c_${k} within its bound`).toBeLessThanOrEqual(s.errorBounds[k]! + 1e-15 * scale);
  }
  return s;
}

describe("closed forms at 0 (notes §1.3 and the table of §2.5)", () => {
  it("relu: c_0 = 1/sqrt(2pi), c_1 = 1/2, c_k = He_{k-2}(0)/sqrt(2pi k!) (odd k >= 3 vanish), K = 40", () => {
    const s = checkLink("relu(z)", 40, (k) => (k === 0 ? 1 / SQRT_2PI : k === 1 ? 0.5 : He(k - 2, 0) / (SQRT_2PI * Math.sqrt(fact(k)))));
    expect(s.method).toBe("exact-piecewise");
    for (let k = 3; k <= 40; k += 2) expect(s.exact[k]).toBe("0");
    // table values: 1/sqrt(2pi), 1/2, 1/(2 sqrt(pi)), 0, -1/(sqrt(2pi) sqrt(24))
    expect(s.coefficients[2]).toBeCloseTo(1 / (2 * Math.sqrt(Math.PI)), 15);
    expect(s.coefficients[4]).toBeCloseTo(-1 / (SQRT_2PI * Math.sqrt(24)), 15);
  });

  it("abs = 2 relu - z: c_0 = sqrt(2/pi), c_2 = 1/sqrt(pi), c_4 = -0.16287 (table), odd c_k = 0", () => {
    const s = checkLink("abs(z)", 40, (k) => (k === 0 ? Math.sqrt(2 / Math.PI) : k % 2 ? 0 : (2 * He(k - 2, 0)) / (SQRT_2PI * Math.sqrt(fact(k)))));
    expect(s.coefficients[2]).toBeCloseTo(1 / Math.sqrt(Math.PI), 15);
    expect(Math.abs(s.coefficients[4]! + 0.16287)).toBeLessThan(5e-6);
  });

  it("sign: c_k = 2 He_{k-1}(0)/sqrt(2pi k!); c_1 = sqrt(2/pi), c_3 = -0.32574, c_5 = 0.21851 (table)", () => {
    const s = checkLink("sign(z)", 40, (k) => (k === 0 ? 0 : (2 * He(k - 1, 0)) / (SQRT_2PI * Math.sqrt(fact(k)))));
    expect(s.coefficients[1]).toBeCloseTo(Math.sqrt(2 / Math.PI), 15);
    expect(Math.abs(s.coefficients[3]! + 0.32574)).toBeLessThan(5e-6);
    expect(Math.abs(s.coefficients[5]! - 0.21851)).toBeLessThan(5e-6);
  });

  it("step: c_0 = 1/2, c_k = He_{k-1}(0)/sqrt(2pi k!)", () => {
    checkLink("step(z)", 30, (k) => (k === 0 ? 0.5 : He(k - 1, 0) / (SQRT_2PI * Math.sqrt(fact(k)))));
  });

  it("z*relu(z): f'' = 2 step, so c_0 = 1/2, c_1 = 2/sqrt(2pi), c_2 = 1/sqrt(2), c_k = 2 He_{k-3}(0)/sqrt(2pi k!)", () => {
    checkLink("z*relu(z)", 30, (k) => (k === 0 ? 0.5 : k === 1 ? 2 / SQRT_2PI : k === 2 ? Math.SQRT1_2 : (2 * He(k - 3, 0)) / (SQRT_2PI * Math.sqrt(fact(k)))));
  });

  it("relu(z)^2 = z*relu(z) and max(z, 0) = relu(z)", () => {
    const a = hermiteSpectrum(parseLink("relu(z)^2"), 20), b = hermiteSpectrum(parseLink("z*relu(z)"), 20);
    expect(a.exact).toEqual(b.exact);
    expect(hermiteSpectrum(parseLink("max(z, 0)"), 20).exact).toEqual(hermiteSpectrum(parseLink("relu(z)"), 20).exact);
  });
});

describe("shifted kinks: relu(z - t), sign(z - t), step(z - t), max(z, t)", () => {
  // Stein: relu(z-t)'' = delta_t, so E[relu(Z-t) He_k] = He_{k-2}(t) phi(t) for k >= 2, E[relu(Z-t) He_1] = Phibar(t)
  const reluShift = (t: number) => (k: number) =>
    k === 0 ? gaussIntegral((z) => z - t, t, Math.max(t, 0) + 40)
      : k === 1 ? Phibar(t) : (He(k - 2, t) * phi(t)) / Math.sqrt(fact(k));

  it("relu(z - 1/2) and max(z, 1) = 1 + relu(z - 1), K = 30", () => {
    checkLink("relu(z - 1/2)", 30, reluShift(0.5));
    checkLink("max(z, 1)", 30, (k) => (k === 0 ? 1 : 0) + reluShift(1)(k));
    checkLink("min(z, -3/2)", 20, (k) => (k === 1 ? 1 : 0) - reluShift(-1.5)(k)); // min(z, t) = z - relu(z - t)
  });

  it("random rational shifts: relu, sign and step against Stein's formula", () => {
    fc.assert(fc.property(fc.integer({ min: -24, max: 24 }), fc.constantFrom(1, 2, 4, 8), (n, d) => {
      const t = n / d, tt = `${n}/${d}`;
      checkLink(`relu(z - ${tt})`, 16, reluShift(t));
      checkLink(`sign(z - ${tt})`, 16, (k) => (k === 0 ? 2 * Phibar(t) - 1 : (2 * He(k - 1, t) * phi(t)) / Math.sqrt(fact(k))));
      checkLink(`step(z - ${tt})`, 16, (k) => (k === 0 ? Phibar(t) : (He(k - 1, t) * phi(t)) / Math.sqrt(fact(k))));
    }), { seed: 11, numRuns: 25 });
  });

  it("far shifts keep relative accuracy (Gaussian tail without 1 - Phi cancellation): relu(z - t), step(z - t), t = 3..12", () => {
    for (const t of [3, 4.5, 6, 8, 10, 12]) {
      for (const [text, expected] of [
        [`relu(z - ${t})`, reluShift(t)],
        [`step(z - ${t})`, (k: number) => (k === 0 ? Phibar(t) : (He(k - 1, t) * phi(t)) / Math.sqrt(fact(k)))],
      ] as const) {
        const s = hermiteSpectrum(parseLink(text), 8);
        for (let k = 0; k <= 8; k++) {
          const e = expected(k);
          expect(Math.abs(s.coefficients[k]! - e), `${text}: c_${k} = ${s.coefficients[k]} vs ${e}`).toBeLessThanOrEqual(1e-9 * Math.abs(e) + 1e-300);
        }
        // E[relu(Z - t)^2] is tiny but positive, and the residual cannot be negative beyond its error
        expect(s.secondMoment).toBeGreaterThan(0);
        expect(s.parsevalResidual).toBeGreaterThanOrEqual(-s.parsevalResidualError);
      }
    }
  });

  it("relu(z - 6) and relu(z + 6): exact and numeric agree to 1e-12 absolute, c_1 = Phibar(6) to 1e-9 relative", () => {
    checkLink("relu(z - 6)", 12, reluShift(6));
    checkLink("relu(z + 6)", 12, reluShift(-6));
    const c1 = hermiteSpectrum(parseLink("relu(z - 6)"), 1).coefficients[1]!;
    expect(Math.abs(c1 / 9.865876450376946e-10 - 1)).toBeLessThan(1e-9); // Phibar(6) (published value 9.8658764503769e-10)
  });
});

describe("kinks of non-linear arguments (roots found numerically)", () => {
  it("sign(z^3 - 3z): jumps at -sqrt 3, 0, sqrt 3, c_k = 2 [He_{k-1}(-r)phi(r) - He_{k-1}(0)phi(0) + He_{k-1}(r)phi(r)]/sqrt(k!)", () => {
    const r = Math.sqrt(3);
    const link = parseLink("sign(z^3 - 3*z)");
    expect(link.breakpoints.length).toBe(3);
    link.breakpoints.forEach((b, i) => expect(Math.abs(b - [-r, 0, r][i]!)).toBeLessThan(1e-14));
    checkLink("sign(z^3 - 3*z)", 30, (k) => (k === 0 ? 0 : (2 * (He(k - 1, -r) * phi(r) - He(k - 1, 0) * phi(0) + He(k - 1, r) * phi(r))) / Math.sqrt(fact(k))));
    checkLink("sign(He(3, z))", 12, (k) => (k === 0 ? 0 : (2 * (He(k - 1, -r) * phi(r) - He(k - 1, 0) * phi(0) + He(k - 1, r) * phi(r))) / Math.sqrt(fact(k))));
  });

  it("random cubics with known roots: step((z - a)(z - b)(z - c)) against the jump formula", () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: -30, max: 30 }), { minLength: 3, maxLength: 3 }), fc.boolean(), (ns, expanded) => {
      const roots = ns.map((n) => n / 10).sort((a, b) => a - b);
      const [a, b, c] = roots as [number, number, number];
      const text = expanded
        ? `step(z^3 - (${a + b + c})*z^2 + (${a * b + a * c + b * c})*z - (${a * b * c}))`
        : `step((z - (${a}))*(z - (${b}))*(z - (${c})))`;
      // p rises through a and c, falls through b: step(p)' = delta_a - delta_b + delta_c
      const expected = (k: number) => k === 0
        ? Phibar(c) + (Phibar(a) - Phibar(b))
        : (He(k - 1, a) * phi(a) - He(k - 1, b) * phi(b) + He(k - 1, c) * phi(c)) / Math.sqrt(fact(k));
      // the expanded coefficients are rounded decimals, so their roots move by ~1e-15: tolerance 1e-11
      checkLink(text, 12, expected, 1e-11);
    }), { seed: 5, numRuns: 20 });
  });

  it("relu(z^2 - 1), abs(z^2 - 2), max(z^2, 1), relu(sin(2z)), sign(cos(z)) against fixed-panel quadrature split at the known kinks", () => {
    const cases: [string, number[]][] = [
      ["relu(z^2 - 1)", [-1, 1]],
      ["abs(z^2 - 2)", [-Math.SQRT2, Math.SQRT2]],
      ["max(z^2, 1)", [-1, 1]],
      ["relu(sin(2*z))", Array.from({ length: 25 }, (_, i) => ((i - 12) * Math.PI) / 2)],
      ["sign(cos(z))", Array.from({ length: 14 }, (_, i) => Math.PI / 2 + (i - 7) * Math.PI)],
      ["tanh(z)*abs(z^3 - 3*z)", [-Math.sqrt(3), 0, Math.sqrt(3)]],
    ];
    for (const [text, kinks] of cases) {
      const link = parseLink(text);
      const s = hermiteSpectrum(link, 20);
      const ref = referenceCoefficients(link.f, 20, kinks, { L: 20, width: 0.2 });
      const scale = Math.max(1, Math.sqrt(ref.m2));
      for (let k = 0; k <= 20; k++) {
        expect(Math.abs(s.coefficients[k]! - ref.c[k]!), `${text}: c_${k}`).toBeLessThanOrEqual(1e-12 * scale);
        expect(s.errorBounds[k]!, `${text}: bound of c_${k}`).toBeLessThanOrEqual(1e-12 * scale);
      }
      expect(Math.abs(s.secondMoment - ref.m2)).toBeLessThanOrEqual(1e-12 * Math.max(1, ref.m2));
    }
  });
});

describe("degree 40 on smooth links (stability)", () => {
  it("sin(a z + b) and cos(a z): c_k = e^(-a^2/2) a^k sin(b + k pi/2)/sqrt(k!) (Stein), K = 40", () => {
    for (const [text, a, b] of [["sin(3*z + 1/2)", 3, 0.5], ["cos(2*z)", 2, Math.PI / 2], ["sin(z/2)", 0.5, 0], ["cos(5*z - 1)", 5, Math.PI / 2 - 1]] as const) {
      const link = parseLink(text);
      const s = hermiteSpectrum(link, 40);
      for (let k = 0; k <= 40; k++) {
        const expected = (Math.exp(-(a * a) / 2) * a ** k * Math.sin(b + (k * Math.PI) / 2)) / Math.sqrt(fact(k));
        expect(Math.abs(s.coefficients[k]! - expected), `${text}: c_${k}`).toBeLessThanOrEqual(1e-12);
        expect(s.errorBounds[k]!).toBeLessThanOrEqual(1e-12);
      }
    }
  });
});

describe("exp and erf closed forms, and exponential growth", () => {
  it("exp(a z + b): c_k = e^(b + a^2/2) a^k / sqrt(k!), exact and numeric, K = 20", () => {
    fc.assert(fc.property(fc.integer({ min: -12, max: 12 }).filter((n) => n !== 0), fc.integer({ min: -4, max: 4 }), (n, m) => {
      const a = n / 4, b = m / 2;
      checkLink(`exp(${n}/4*z + ${m}/2)`, 20, (k) => (Math.exp(b + (a * a) / 2) * a ** k) / Math.sqrt(fact(k)));
    }), { seed: 17, numRuns: 20 });
  });

  it("exp(z) and exp(4z): Parseval E[f^2] = e^(2a^2) and the window holds the mass of f^2 phi (peak at z = 2a)", () => {
    for (const a of [1, 2, 4]) {
      const link = parseLink(`exp(${a}*z)`);
      const n = numericHermiteCoefficients(link.f, [], 20);
      const m2 = Math.exp(2 * a * a);
      expect(Math.abs(n.secondMoment / m2 - 1), `a = ${a}`).toBeLessThan(1e-12);
      expect(n.window).toBeGreaterThan(2 * a + 6); // f^2 phi ~ N(2a, 1) up to a constant
      const s = hermiteSpectrum(link, 60);
      // sum_k c_k^2 = sum a^(2k)/k! e^(a^2) -> e^(2a^2): the residual at K = 60 is the tail of the exponential series
      let tail = 0;
      for (let k = 61; k < 400; k++) tail += Math.exp(a * a + 2 * k * Math.log(a) - lgamma(k + 1));
      expect(Math.abs(s.parsevalResidual - tail)).toBeLessThanOrEqual(1e-12 * m2 + s.parsevalResidualError);
    }
  });

  it("erf(a z): odd coefficients from the closed form equal the numeric path; even ones vanish exactly", () => {
    for (const [a, av] of [["1/2", 0.5], ["1", 1], ["3", 3], ["5/4", 1.25]] as const) {
      const link = parseLink(`erf(${a}*z)`);
      const s = hermiteSpectrum(link, 30);
      const n = numericHermiteCoefficients(link.f, [], 30);
      for (let k = 0; k <= 30; k++) {
        expect(Math.abs(s.coefficients[k]! - n.coefficients[k]!), `erf(${a} z) c_${k}`).toBeLessThanOrEqual(1e-12);
        if (k % 2 === 0) expect(s.exact[k]).toBe("0");
      }
      // E[erf(aZ)^2] = (2/pi) arcsin(2a^2/(1+2a^2))
      expect(Math.abs(n.secondMoment - (2 / Math.PI) * Math.asin((2 * av * av) / (1 + 2 * av * av)))).toBeLessThan(1e-12);
    }
  });
});

/** log Gamma by Lanczos (g = 7), for the exponential-series tail. */
function lgamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
