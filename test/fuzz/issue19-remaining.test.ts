// Regressions of the issue-19 campaign after m19 (seed 11 quick run and the 10k report): deep kink nests scanned in
// linear time, links whose kink argument vanishes on a half-line (relu(relu(z))) accepted, and the Monte-Carlo
// route's c_0 of a constant link exact (a bound must bound: erf(pi) was off by 1.7e-12 with a bound of 0).
import { describe, expect, it } from "vitest";
import { parseLink } from "../../src/link/link.js";
import { numericTensorCoefficients } from "../../src/hermite/multivariate.js";
import { findRoots } from "../../src/numeric/roots.js";
import { numericHermiteCoefficients } from "../../src/hermite/numericUnivariate.js";
import { hermiteSpectrum } from "../../src/hermite/spectrum.js";
import { deadlineAfter } from "../../src/numeric/deadline.js";
import { weakRecoveryThreshold } from "../../src/exponents/threshold.js";

const nest = (fn: string, n: number, x = "z") => `${fn}(`.repeat(n) + x + ")".repeat(n);
const cpu = (f: () => void) => { const t = process.cpuUsage(); f(); const c = process.cpuUsage(t); return (c.user + c.system) / 1e6; };

describe("issue 19 campaign regressions", () => {
  it("nested abs and sign 88 deep are scanned once, not once per level (CPU ratio to an 8-deep nest)", () => {
    for (const fn of ["abs", "sign"]) {
      const deep = parseLink(nest(fn, 88)), shallow = parseLink(nest(fn, 8));
      expect(deep.breakpoints).toEqual([0]);
      expect(shallow.breakpoints).toEqual([0]);
      // one scan per level cost 0.6-0.9 s (abs) and 2.7 s (sign) for 88 levels against ~0.01 s for 8: ~60-250x
      const t8 = Math.min(...[0, 1, 2].map(() => cpu(() => parseLink(nest(fn, 8))))), t88 = Math.min(...[0, 1, 2].map(() => cpu(() => parseLink(nest(fn, 88)))));
      expect(t88, `${fn}: ${t88} s vs ${t8} s`).toBeLessThan(15 * t8 + 0.05);
    }
  });

  it("a kink argument that vanishes on a half-line is not 'too many kinks': relu(relu(z)), step(relu(z - 1)), abs(relu(z))", () => {
    expect(parseLink("relu(relu(z))").breakpoints).toEqual([0]);
    expect(parseLink("step(relu(z - 1))").breakpoints).toEqual([1]);
    expect(parseLink("abs(relu(z))").breakpoints).toEqual([0]);
    expect(parseLink("relu(min(z, 0) + 1)").breakpoints).toEqual([-1, 0]);
    // findRoots: a run of exact zeros gives its two ends, an isolated exact zero itself
    expect(findRoots((x) => (x > 0 ? 0 : x < -1 ? x + 1 : 0), -2, 2, { grid: 40 }).roots).toEqual([-1, 2]);
    expect(findRoots((x) => Math.max(0, x - 0.5), -2, 2, { grid: 40, maxRoots: 5 }).tooMany).toBe(false);
  });

  it("Monte Carlo c_0 of a constant multi-index link is the constant, within its bound (erf(pi), mpmath 0.99999112385363236)", () => {
    const link = parseLink("max(-max(z1, (z2)^4), erf(pi))");
    const r = numericTensorCoefficients(link.expr, 2, 2, { monteCarlo: true, samples: 50000 });
    const c0 = r.entries.find((e) => e.alpha.every((a) => a === 0))!;
    const truth = 0.99999112385363236; // mpmath.erf(mpmath.pi), 30 digits
    expect(Math.abs(c0.value - truth)).toBeLessThanOrEqual(c0.errorBound);
    expect(Math.abs(r.secondMoment - truth * truth)).toBeLessThanOrEqual(r.secondMomentError);
    // a non-constant link: the bound still covers the truth (E[max(z1, z2)] = 1/sqrt(pi))
    const m = numericTensorCoefficients(parseLink("max(z1, z2)").expr, 2, 1, { monteCarlo: true, samples: 50000 });
    expect(Math.abs(m.entries[0]!.value - 1 / Math.sqrt(Math.PI))).toBeLessThanOrEqual(m.entries[0]!.errorBound);
  });

  it("-max(He(8, z)^3, 1): the scale-finding pass stays small (3.4 million evaluations, 0.65 s before), values within bounds (mpmath)", () => {
    const link = parseLink("-max((He(8, z))^3, (z)^0)");
    const n = numericHermiteCoefficients(link.f, link.breakpoints, 4);
    expect(n.evaluations).toBeLessThan(500_000);
    // mpmath quad at 40 digits, split at the 8 roots of He_8 = 1: E[f] and E[f^2]
    expect(Math.abs(n.coefficients[0]! - -4757763082.97690651473993)).toBeLessThanOrEqual(n.errors[0]!);
    expect(Math.abs(n.secondMoment - 2.615266302154837789046662e28)).toBeLessThanOrEqual(n.secondMomentError);
  });

  it("a singular power exactly at -1/2 on a multi-index line is refused from the exponent, not from a rounded growth ratio", () => {
    // |t|^(-1/2) e^|t| grows by 1000 e^(-(1e-3 - 1e-9)|v|) < 1000 (1 - 1e-9) between the distances of the numeric
    // test, so that test alone accepted it; the square |t|^(-1) e^(2|t|) is not integrable across z1 = z2
    expect(() => parseLink("abs(z1-z2)^(-0.5)*exp(abs(z1-z2))")).toThrow(/'abs\(z1 - z2\)\^\(-1\/2\)' behaves like \(distance\)\^\(-1\/2\)/);
    expect(() => parseLink("abs(z)^(-0.5)*exp(abs(z))")).toThrow(/\|z - 0\|\^\(-1\/2\)/);
    // just inside, and a cancelling factor: accepted
    expect(parseLink("abs(z1 - z2)^(-0.49)*exp(abs(z1-z2))").dimension).toBe(2);
    expect(parseLink("(z1-z2)*abs(z1-z2)^(-0.5)*exp(abs(z1-z2))").dimension).toBe(2);
  });

  it("the separable route obeys the deadline (sin(abs(0.5/z2)) quadrature took 0.6 s unbudgeted), and the Monte-Carlo fallback is capped", () => {
    const link = parseLink("sin(abs((0.5/z2)))");
    const free = hermiteSpectrum(link, 2);
    expect(free.method).toBe("separable-quadrature");
    const cut = hermiteSpectrum(link, 2, { deadline: deadlineAfter(0) });
    expect(cut.method).toBe("monte-carlo");
    // the capped fallback still bounds: its c_0 agrees with the quadrature within the two bounds
    expect(Math.abs(cut.coefficients[0]! - free.coefficients[0]!)).toBeLessThanOrEqual(cut.errorBounds[0]! + free.errorBounds[0]!);
    const capped = numericTensorCoefficients(parseLink("max(z1, z2)").expr, 2, 1, { monteCarlo: true, monteCarloSeconds: 0 });
    const full = numericTensorCoefficients(parseLink("max(z1, z2)").expr, 2, 1, { monteCarlo: true, samples: 100_000 });
    expect(capped.entries[0]!.errorBound).toBeGreaterThan(full.entries[0]!.errorBound);
    expect(Math.abs(capped.entries[0]!.value - 1 / Math.sqrt(Math.PI))).toBeLessThanOrEqual(capped.entries[0]!.errorBound);
  });

  it("max(max(z3, 20), z1) + 1e-3: c_0 = 20.001 (to 1e-88) by both multi-index routes, within their bounds (the seed-11 campaign's oracle failure, 1.1e-10 off)", () => {
    const e = parseLink("max(max(z3, 20), z1) + 1e-3").expr;
    for (const monteCarlo of [true, false]) {
      const r = numericTensorCoefficients(e, 3, 0, { monteCarlo, samples: 20000 });
      expect(Math.abs(r.entries[0]!.value - 20.001), `monteCarlo ${monteCarlo}`).toBeLessThanOrEqual(r.entries[0]!.errorBound);
    }
  });
});

describe("alpha_c of high even powers (campaign seed 20261203: z^80 had an Infinity upper end)", () => {
  it("z^80 and 3 z^80 + 1 have alpha_c = 1/2 exactly (Y determines Z^2, proved from the expression), every number finite", () => {
    for (const s of ["z^80", "3*z^80 + 1", "-(z^64)/2"]) {
      const t = weakRecoveryThreshold(parseLink(s));
      expect(t.exact).toBe("1/2");
      expect(t.interval).toEqual([0.5, 0.5]);
      expect(Number.isFinite(t.errorBound)).toBe(true);
    }
  });
  it("a numerical alpha_c never certifies less than 1/2 (Jensen: E[E[He_2|Y]^2] <= E[He_2^2] = 2)", () => {
    for (const s of ["abs(z) + 0.3*z^2", "relu(z)^2 - z", "cos(z)", "z^2 + 0.5*z^4"]) {
      const t = weakRecoveryThreshold(parseLink(s));
      if (t.regime === "easy") expect(t.interval[0]).toBeGreaterThanOrEqual(0.5);
    }
  });
});
