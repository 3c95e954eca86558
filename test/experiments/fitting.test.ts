import { describe, expect, it } from "vitest";
import { fitPiecewiseLinearBIC } from "../../src/experiments/fitting.js";
import { linearFit, studentTCdf, studentTQuantile, median, quantile } from "../../src/numeric/statistics.js";
import { seededRng } from "../../src/numeric/xoshiro.js";

describe("fitting helpers", () => {
  it("Student t quantiles invert the CDF and approach the normal", () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959964, 3);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 2); // tan(0.475 π)
    for (const df of [2, 5, 17]) for (const p of [0.6, 0.9, 0.99]) expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 8);
  });

  it("OLS recovers a noisy line and its CI covers the true slope", () => {
    const rng = seededRng(1);
    const x = Array.from({ length: 40 }, (_, i) => i / 10), y = x.map((v) => 1 - 2 * v + 0.1 * rng.normal());
    const f = linearFit(x, y);
    expect(f.slopeCI[0]).toBeLessThan(-2);
    expect(f.slopeCI[1]).toBeGreaterThan(-2);
  });

  it("censored values count as +infinity in medians", () => {
    expect(median([1, 2, Infinity])).toBe(2);
    expect(median([1, Infinity, Infinity])).toBe(Infinity);
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
  });

  it("BIC picks one kink for most noisy broken lines and then locates it (change-point BIC has a small false-kink rate)", () => {
    let one = 0;
    const n = 60;
    for (let seed = 1; seed <= n; seed++) {
      const rng = seededRng(seed), kink = -2 + 4 * rng.uniform(), jump = 1 + 2 * rng.uniform();
      const x = Array.from({ length: 25 }, (_, i) => -4 + (8 * i) / 24);
      const y = x.map((v) => 0.5 * v - jump * Math.max(0, v - kink) + 0.02 * rng.normal());
      const { chosen, candidates } = fitPiecewiseLinearBIC(x, y, 2);
      expect(chosen.kinks.length).toBeGreaterThanOrEqual(1); // never misses a real kink of this size
      const single = candidates.find((c) => c.kinks.length === 1)!;
      expect(Math.abs(single.kinks[0] - kink)).toBeLessThan(0.25);
      expect(single.slopes[1] - single.slopes[0]).toBeCloseTo(-jump, 1);
      if (chosen.kinks.length === 1) one++;
    }
    expect(one / n).toBeGreaterThan(0.85);
  });

  it("BIC keeps zero kinks for a straight noisy line", () => {
    const rng = seededRng(7);
    const x = Array.from({ length: 20 }, (_, i) => i), y = x.map((v) => 2 * v + rng.normal());
    expect(fitPiecewiseLinearBIC(x, y, 2).chosen.kinks.length).toBe(0);
  });
});
