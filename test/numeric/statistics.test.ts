// The one statistics module against scipy. Reference values: test/numeric/scipy-reference.json, computed once by
// test/numeric/statistics_reference.py (scipy 1.17.1, numpy 2.4.6; versions also recorded in the file).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bootstrapCI, kolmogorovQ, ksTwoSample, linearFit, mannWhitneyLess, meanSe, median, nearestRankQuantile, normalCdf, ols,
  quantile, resample, sampleSd, studentTCdf, studentTQuantile,
} from "../../src/numeric/statistics.js";
import { incompleteBeta, lgamma } from "../../src/numeric/special.js";
import { seededRng } from "../../src/numeric/xoshiro.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(path.join(here, "scipy-reference.json"), "utf8"));

/** |a - b| <= tol * max(1, |b|). */
const close = (a: number, b: number, tol: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
/** Relative agreement for values that may be tiny. */
const rel = (a: number, b: number, tol: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.abs(b));

describe("statistics against scipy", () => {
  it("Student t CDF and quantiles (scipy.stats.t)", () => {
    for (const [t, df, p] of ref.tCdf) close(studentTCdf(t, df), p, 1e-12);
    for (const [p, df, q] of ref.tQuantile) close(studentTQuantile(p, df), q, 1e-10);
  });
  it("normal CDF in both tails (scipy.stats.norm.cdf)", () => {
    for (const [z, p] of ref.normalCdf) rel(normalCdf(z), p, 1e-12);
  });
  it("Kolmogorov's survival function (scipy.special.kolmogorov)", () => {
    for (const [l, q] of ref.kolmogorovQ) rel(kolmogorovQ(l), q, 1e-10);
  });
  it("log Gamma and the regularised incomplete beta (scipy.special.gammaln, betainc)", () => {
    for (const [z, g] of ref.gammaln) close(lgamma(z), g, 1e-13);
    for (const [x, a, b, v] of ref.betainc) rel(incompleteBeta(x, a, b), v, 1e-11);
  });
  it("two-sample KS statistic (scipy.stats.ks_2samp)", () => {
    expect(ksTwoSample(ref.ks.a, ref.ks.b).statistic).toBeCloseTo(ref.ks.statistic, 14);
  });
  it("Mann–Whitney U with ties, one-sided asymptotic p with continuity correction (scipy.stats.mannwhitneyu)", () => {
    for (const c of ref.mannWhitneyLess) {
      const r = mannWhitneyLess(c.a, c.b);
      expect(r.u).toBe(c.u);
      rel(r.pValue, c.p, 1e-12);
    }
  });
  it("quantiles: type 7 (numpy 'linear') and nearest rank (numpy 'nearest'), with +Infinity for censored values", () => {
    for (const [p, q] of ref.quantile.rows) close(quantile(ref.quantile.values, p), q, 1e-15);
    for (const [p, q] of ref.nearest.rows) expect(nearestRankQuantile(ref.nearest.sorted, p)).toBe(q);
    expect(quantile([1, 2, Infinity], 0.75)).toBe(Infinity);
  });
  it("OLS with its t-interval (scipy.stats.linregress, t.ppf)", () => {
    const { x, y, slope, intercept, stderr, ci } = ref.linregress;
    const f = linearFit(x, y);
    close(f.slope, slope, 1e-14); close(f.intercept, intercept, 1e-13); close(f.slopeStdErr, stderr, 1e-12);
    close(f.slopeCI[0], ci[0], 1e-10); close(f.slopeCI[1], ci[1], 1e-10);
    expect(ols(x, y)).toEqual({ slope: f.slope, intercept: f.intercept });
  });
  it("sample SD and standard error (numpy.std ddof=1, scipy.stats.sem)", () => {
    close(sampleSd(ref.sd.values), ref.sd.sd, 1e-14);
    close(meanSe(ref.sd.values).se, ref.sd.se, 1e-14);
  });
});

describe("statistics: properties", () => {
  it("the t quantile inverts the t CDF, and the median is the type-7 quantile at 1/2", () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: 200 }), (p, df) =>
      Math.abs(studentTCdf(studentTQuantile(p, df), df) - p) < 1e-9), { numRuns: 40 });
    expect(median([5, 1, 3, 2])).toBe(2.5);
  });
  it("a bootstrap resample draws from the sample, one uniform per entry, and its interval brackets the statistic", () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8];
    const r = resample(v, seededRng(3));
    expect(r.every((x) => v.includes(x))).toBe(true);
    const a = seededRng(3);
    expect(r).toEqual(v.map(() => v[Math.floor(a.uniform() * v.length)]));
    const [lo, hi] = bootstrapCI(v, median, 400, seededRng(9));
    expect(lo).toBeLessThan(median(v)); expect(hi).toBeGreaterThan(median(v));
  });
});
