import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { kaplanMeier, kaplanMeierMedian, summariseEscapes, type Observation } from "../../src/verification/survival.js";
import { fitSlope } from "../../src/verification/fit.js";
import { ols } from "../../src/numeric/statistics.js";
import { judgeScaling } from "../../src/verification/verdict.js";
import { onlineSgdPrediction } from "../../src/verification/prediction.js";
import { ksTwoSample } from "../../src/numeric/statistics.js";
import { Xoshiro128 } from "../../src/numeric/xoshiro.js";

const events = (ts: number[]): Observation[] => ts.map((time) => ({ time, event: true }));

describe("Kaplan–Meier", () => {
  it("without censoring, S is the empirical survival function and the median is the lower sample median", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 40 }), (ts) => {
      const km = kaplanMeier(events(ts));
      const sorted = [...ts].sort((a, b) => a - b);
      for (const st of km) if (Math.abs(st.survival - sorted.filter((t) => t > st.time).length / ts.length) > 1e-12) return false;
      return kaplanMeierMedian(events(ts)) === sorted[Math.ceil(ts.length / 2) - 1];
    }));
  });

  it("handles censoring as in the textbook example (Kaplan & Meier 1958 style)", () => {
    // times 1, 2+, 3, 4, 5+ : S(1) = 4/5, S(3) = 4/5 * 2/3, S(4) = 4/5 * 2/3 * 1/2
    const obs: Observation[] = [{ time: 1, event: true }, { time: 2, event: false }, { time: 3, event: true }, { time: 4, event: true }, { time: 5, event: false }];
    const km = kaplanMeier(obs);
    expect(km.map((s) => s.time)).toEqual([1, 3, 4]);
    expect(km[0]!.survival).toBeCloseTo(0.8, 14);
    expect(km[1]!.survival).toBeCloseTo(0.8 * 2 / 3, 14);
    expect(km[2]!.survival).toBeCloseTo(0.8 * 2 / 3 * 0.5, 14);
    // Greenwood at t = 1: S^2 * 1/(5*4)
    expect(km[0]!.greenwoodVariance).toBeCloseTo(0.64 / 20, 14);
    expect(kaplanMeierMedian(obs)).toBe(4);
  });

  it("the median is not identified when half or more of the runs are censored before escaping", () => {
    const obs: Observation[] = [...events([5, 7, 9]), ...Array.from({ length: 4 }, () => ({ time: 100, event: false }))];
    expect(kaplanMeierMedian(obs)).toBeNull();
    const s = summariseEscapes(obs, 0, "t");
    expect(s.median).toBeNull();
    expect(s.censored).toBe(4);
    expect(s.note).toContain("not identified");
  });

  it("bootstrap CI of the median covers the true median of an exponential law about 95% of the time", () => {
    let cover = 0;
    const trials = 100;
    for (let k = 0; k < trials; k++) {
      const g = Xoshiro128.forKey({ masterSeed: 4, configuration: "boot", replicate: k });
      const ts = Array.from({ length: 60 }, () => Math.ceil(-1000 * Math.log(g.uniform())));
      const s = summariseEscapes(events(ts), 0, `b${k}`, 400);
      const truth = 1000 * Math.LN2;
      if (s.ci95[0]! <= truth && truth <= s.ci95[1]! + 1) cover++;
    }
    expect(cover).toBeGreaterThan(85);
    expect(cover).toBeLessThanOrEqual(100);
  });
});

/** Synthetic escape times T = C d^beta (ln d)^kappa * LogNormal(0, s), some censored at a budget. */
function synthetic(beta: number, kappa: number, dims: number[], seeds: number, s = 0.7, budget = Infinity, tag = "syn") {
  return dims.map((d, i) => {
    const g = Xoshiro128.forKey({ masterSeed: 5, configuration: tag, replicate: i });
    const obs = Array.from({ length: seeds }, () => {
      const t = Math.ceil(3 * d ** beta * Math.log(d) ** kappa * Math.exp(s * g.normal()));
      return t > budget ? { time: budget, event: false } : { time: t, event: true };
    });
    return { d, obs };
  });
}

describe("scaling fits", () => {
  it("OLS recovers an exact line", () => {
    fc.assert(fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (a, b) => {
      const x = [1, 2, 3, 5], r = ols(x, x.map((v) => a + b * v));
      return Math.abs(r.slope - b) < 1e-9 && Math.abs(r.intercept - a) < 1e-9;
    }));
  });

  it("the bootstrap CI of the slope covers the true exponent, and removing the log factor recovers beta", () => {
    const dims = [256, 512, 1024, 2048, 4096, 8192];
    const plain = fitSlope(synthetic(2, 0, dims, 32), 0, "p", 400);
    expect(plain.ci95[0]!).toBeLessThanOrEqual(2); expect(plain.ci95[1]!).toBeGreaterThanOrEqual(2);
    const logData = synthetic(1, 1, dims, 32, 0.5, Infinity, "log");
    const withLog = fitSlope(logData, 1, "l", 400), naive = fitSlope(logData, 0, "n", 400);
    expect(withLog.ci95[0]!).toBeLessThanOrEqual(1); expect(withLog.ci95[1]!).toBeGreaterThanOrEqual(1);
    // the naive slope is biased up by about kappa / ln d (theory-notes §5)
    expect(naive.slope! - withLog.slope!).toBeGreaterThan(0.08);
  });

  it("verdicts: consistent, inconsistent, and inconclusive for each stated reason", () => {
    const dims = [256, 512, 1024, 2048, 4096, 8192];
    const he3 = onlineSgdPrediction({ value: 3, note: "", evidence: [] }); // d^2
    expect(judgeScaling(synthetic(2, 0, dims, 32), he3, "a", 400).verdict).toBe("consistent");
    const wrong = judgeScaling(synthetic(1.5, 0, dims, 32, 0.7, Infinity, "w"), he3, "b", 400);
    expect(wrong.verdict).toBe("inconsistent");
    expect(judgeScaling(synthetic(2, 0, [256, 384], 32), he3, "c", 400).reason).toContain("too narrow");
    expect(judgeScaling(synthetic(2, 0, dims, 4), he3, "d", 400).reason).toContain("too few seeds");
    expect(judgeScaling(synthetic(2, 0, dims, 32, 0.7, 3 * 4096 ** 2), he3, "e", 400).reason).toContain("censoring");
    expect(judgeScaling(synthetic(2, 0, [256, 512, 1024], 8, 2.5), he3, "f", 400).reason).toContain("too wide");
  });

  it("small d: a simulation that follows the finite-d law's slope (1.7 < 2) is consistent, one that does not stays inconsistent", () => {
    const dims = [64, 128, 256, 512], he3 = onlineSgdPrediction({ value: 3, note: "", evidence: [] }); // d^2
    const groups = synthetic(1.7, 0, dims, 32, 0.5, Infinity, "fd2"); // fitted 1.80 [1.59, 1.95]
    const law = (beta: number) => ({ predictedMedian: new Map(dims.map((d) => [d, 3 * d ** beta] as [number, number])), source: "test law" });
    // without the law the asymptotic exponent alone judges the pre-asymptotic slope: today's false inconsistency
    expect(judgeScaling(groups, he3, "fd", 400).verdict).toBe("inconsistent");
    const withLaw = judgeScaling(groups, he3, "fd", 400, law(1.7));
    expect(withLaw.verdict).toBe("consistent");
    expect(withLaw.finiteDSlope!.slope).toBeCloseTo(1.7, 12);
    expect(withLaw.reason).toContain("pre-asymptotic");
    // a law whose slope the data exclude gives no cover: the verdict names both slopes
    const other = judgeScaling(groups, he3, "fd", 400, law(1.45));
    expect(other.verdict).toBe("inconsistent");
    expect(other.reason).toContain("finite-d law's slope");
    // a law without a prediction at a fitted d is not used
    expect(judgeScaling(groups, he3, "fd", 400, { predictedMedian: new Map([[64, 1]]), source: "x" }).finiteDSlope).toBeNull();
  });

  it("a fit is never moved towards the prediction: the reported slope is the OLS slope of the medians", () => {
    const groups = synthetic(1.7, 0, [256, 1024, 4096], 16);
    const fit = fitSlope(groups, 0, "x", 100);
    const meds = groups.map((g) => [...g.obs].map((o) => o.time).sort((a, b) => a - b)[7]!);
    expect(fit.slope).toBeCloseTo(ols(groups.map((g) => Math.log(g.d)), meds.map(Math.log)).slope, 12);
  });
});

describe("two-sample KS", () => {
  it("under the null the p-value is roughly uniform; a shift is detected", () => {
    const g = Xoshiro128.forKey({ masterSeed: 6, configuration: "ks", replicate: 0 });
    let small = 0;
    for (let k = 0; k < 200; k++) {
      const a = Array.from({ length: 200 }, () => g.normal()), b = Array.from({ length: 200 }, () => g.normal());
      if (ksTwoSample(a, b).pValue < 0.05) small++;
    }
    expect(small).toBeGreaterThan(2); expect(small).toBeLessThan(22);
    const a = Array.from({ length: 2000 }, () => g.normal()), b = Array.from({ length: 2000 }, () => g.normal() + 0.3);
    expect(ksTwoSample(a, b).pValue).toBeLessThan(1e-6);
  });
});
