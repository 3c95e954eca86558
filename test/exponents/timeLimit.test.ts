// Issue 19, "time limits": the generative spectrum runs under a wall-clock budget and answers with what is proved
// when the budget runs out; deep expressions are refused before any expensive scan.
import { describe, expect, it } from "vitest";
import { analyzeLink } from "../../src/analyze.js";
import { parseLink, MAX_KINK_WORK } from "../../src/link/link.js";
import { predictLink } from "../../src/predictions/predictLink.js";
import { generativeExponent } from "../../src/exponents/generative.js";
import { TimeLimitExceeded, deadlineAfter, budgeted } from "../../src/numeric/deadline.js";

const nest = (fn: string, n: number) => `${fn}(`.repeat(n) + "z" + ")".repeat(n);

describe("deadlines", () => {
  it("a budgeted function throws TimeLimitExceeded once the deadline has passed, and never before", () => {
    const f = budgeted((x) => x + 1, deadlineAfter(3600));
    for (let i = 0; i < 5000; i++) expect(f(i)).toBe(i + 1);
    const g = budgeted((x) => x, deadlineAfter(0));
    expect(() => { for (let i = 0; i < 5000; i++) g(i); }).toThrow(TimeLimitExceeded);
  });
});

describe("the generative exponent under a time limit", () => {
  it("sin(50 z) (383 monotone pieces): GE >= 1, not resolved within the budget, with an empty spectrum and no alpha_c claimed", () => {
    const a = analyzeLink("sin(50*z)", { maxDegree: 4, timeLimit: 0.2 });
    expect(a.generativeExponent).toBeNull();
    expect(a.generativeBounds).toEqual({ lower: 1, upper: null, resolved: false });
    expect(a.generativeExponentNote).toMatch(/^GE >= 1, not resolved within the time limit.*0\.2 s/);
    expect(a.generativeSpectrum).toEqual([]);
    expect(a.weakRecoveryThreshold!.regime).toBe("undetermined");
  });

  it("He(60, z): GE = 2 from bounds alone (even, so lambda_1 = 0; IE(f^2) = 2) when the spectrum does not fit the budget", () => {
    const ge = generativeExponent(parseLink("He(60,z)"), { maxDegree: 4, timeLimit: 0.2 });
    expect(ge.resolved).toBe(false);
    expect(ge.value).toBe(2);
    expect(ge.bounds).toEqual({ lower: 2, upper: 2 });
    expect(ge.note).toMatch(/GE >= 2 since f\(-z\) = f\(z\).*GE <= IE\(f\^2\) = 2/);
  });

  it("tanh nested 120 times: GE = 1 from bounds (GE <= IE = 1) within the budget", () => {
    const ge = generativeExponent(parseLink(nest("tanh", 120)), { maxDegree: 2, timeLimit: 0.2 });
    expect(ge.value).toBe(1);
    expect(ge.note).toMatch(/GE <= IE = 1/);
  });

  it("predict refuses a GE the budget left unresolved instead of reading it as GE > K", () => {
    expect(() => predictLink("sin(50*z)", { timeLimit: 0.2 })).toThrow(/not resolved within the time limit/);
  });

  it("He(6, z - 0.32) (a polynomial) is not slow: the full spectrum with finite, certified entries, no budget needed", () => {
    const ge = generativeExponent(parseLink("He(6, z-0.32)"), { maxDegree: 6, timeLimit: 60 });
    expect(ge.resolved).toBe(true);
    expect(ge.value).toBe(1);
    for (const e of ge.spectrum) {
      expect(Number.isFinite(e.lambdaSquared) && Number.isFinite(e.errorBound)).toBe(true);
      expect(e.lambdaSquared).toBeGreaterThanOrEqual(0);
      expect(e.lambdaSquared).toBeLessThanOrEqual(1 + e.errorBound);
    }
  });

  it("erf(z^3) (f' underflows where f saturates): lambda_k are finite numbers, never NaN labelled zero", () => {
    const ge = generativeExponent(parseLink("erf(z^3)"), { maxDegree: 4 });
    expect(ge.spectrum.every((e) => Number.isFinite(e.lambda) && Number.isFinite(e.errorBound))).toBe(true);
    // f is injective, so lambda_k = 1 for every k: each estimate is within its error bound of 1
    for (const e of ge.spectrum) expect(1 - e.lambdaSquared).toBeLessThanOrEqual(e.errorBound);
  });
});

describe("deep expressions are refused before the kink scan", () => {
  it(`abs nested 199 times is refused by the kink-work budget (${MAX_KINK_WORK} nodes), which is counted before any scan`, () => {
    expect(() => parseLink(nest("abs", 199))).toThrow(/too deeply nested to analyse.*19900 nodes/);
    // the refusal counts nodes; it does not evaluate: a budget just above the limit is accepted (abs x 80: 3240 nodes)
    expect(() => parseLink(nest("abs", 80))).not.toThrow();
  });
});

describe("one deadline for every analysis path (multi-index, predict)", () => {
  // a link from the fuzz campaign that took 7.8 s under a 0.5 s limit (tensor quadrature of f and its powers, then
  // the generative leap's Monte-Carlo tests, none budgeted)
  const slow = "max(He(6, z3), z2) * erf(z1)";

  it(`${slow}: the generative leap is cut honestly (>= its lower bound, resolved false), never a wrong number; GE = 1 is still proved by a witness`, () => {
    const t0 = performance.now();
    const a = analyzeLink(slow, { maxDegree: 4, timeLimit: 0.05 });
    const seconds = (performance.now() - t0) / 1000;
    expect(a.generativeLeap).toBeNull();
    expect(a.generativeLeapBounds).toEqual({ lower: 1, resolved: false });
    expect(a.generativeLeapNote).toMatch(/^generative leap >= 1 .*not resolved within the time limit of 0\.05 s/);
    // c_(1,0,0) != 0 (z1 enters through erf, odd): F = y reaches degree 1 before any Monte-Carlo test
    expect(a.generativeExponent).toBe(1);
    expect(a.generativeBounds).toEqual({ lower: 1, upper: 1, resolved: true });
    expect(a.warnings.some((w) => /not resolved within the time limit/.test(w))).toBe(true);
    // without the budget this analysis takes over 10 s here; a loose bound (a loaded machine is no slow analysis)
    expect(seconds).toBeLessThan(5);
  });

  it("predict shares one budget between the profile and the facts, and refuses an unresolved leap rather than read it as 'not reached'", () => {
    expect(() => predictLink(slow, { maxDegree: 4, timeLimit: 0.05 })).toThrow(/not resolved within the time limit|not all computed within the time limit/);
  });

  it("a cut subspace leap says Leap >= k with the finished stages; with time, the same link resolves", async () => {
    const { subspaceLeap } = await import("../../src/exponents/subspaceStaircase.js");
    const { hermiteSpectrum } = await import("../../src/hermite/spectrum.js");
    const link = parseLink("z1 + He(3, z2)");
    const sp = hermiteSpectrum(link, 4);
    const cut = subspaceLeap(link, sp, 4, deadlineAfter(0));
    expect(cut).toMatchObject({ value: null, resolved: false, lowerBound: 1, stages: [] });
    expect(cut.note).toMatch(/^Leap >= 1 .*not resolved within the time limit/);
    const full = subspaceLeap(link, sp, 4, deadlineAfter(3600));
    expect(full).toMatchObject({ value: 3, resolved: true, lowerBound: 3 });
  });
});

describe("a cut at any point of the analysis is an honest answer, never an escaped TimeLimitExceeded", () => {
  // a deadline that passes after its n-th reading: every place the analysis reads the clock becomes a cut point, so
  // the seeded campaign's rare timing-dependent escapes (the optimal-transformation table, evaluated after the
  // generative spectrum, once let TimeLimitExceeded through for "(z)") are found deterministically
  const afterReadings = (n: number) => {
    let readings = 0;
    const expired = () => ++readings > n;
    return { seconds: 0.01, expired, check: () => { if (expired()) throw new TimeLimitExceeded(0.01); } };
  };
  // (analyze then predict read the clock about 60 + 120 times for the single-index links, 60 for the multi-index)
  const every = (to: number, step: number) => Array.from({ length: Math.floor(to / step) + 1 }, (_, i) => i * step);
  const links: [string, number[]][] = [["(z)", every(125, 1)], ["relu(z)", every(110, 2)], ["sign(z1*z2)", every(60, 10)], ["z1*z2 + z3", every(18, 3)]];

  it.each(links)("%s: analyze and predict return or refuse (InputError) at every cut point, and a cut leap is never a value", async (source, cuts) => {
    const { isInputError } = await import("../../src/link/errors.js");
    const { nonFiniteNumbers } = await import("../fuzz/campaign.js");
    for (const n of cuts) {
      let a;
      try { a = analyzeLink(source, { maxDegree: 3, deadline: afterReadings(n) }); } catch (e) { expect(isInputError(e), `${source} cut after ${n}: ${String(e)}`).toBe(true); }
      if (a) {
        expect(nonFiniteNumbers(a), `${source} cut after ${n}`).toEqual([]);
        if (a.generativeLeapBounds && !a.generativeLeapBounds.resolved) expect(a.generativeLeap).toBeNull();
      }
      try { predictLink(source, { maxDegree: 3, deadline: afterReadings(n) }); } catch (e) { expect(isInputError(e), `predict ${source} cut after ${n}: ${String(e)}`).toBe(true); }
    }
  });
});
