import { describe, expect, it } from "vitest";
import { gammaSample, hittingTime } from "../../src/experiments/reducedChain.js";
import { predictedKinks } from "../../src/experiments/lrPredictions.js";
import { parseGrid, requireBudget } from "../../src/experiments/budget.js";
import { InputError } from "../../src/link/errors.js";
import { runLrTransition, LR_TRANSITION_PRESET } from "../../src/experiments/lrTransitionExperiment.js";
import { seededRng } from "../../src/exponents/random.js";

describe("lr-transition pieces", () => {
  it("chi-square sampler has mean nu and variance 2 nu", () => {
    const rng = seededRng(5), nu = 30, n = 20000;
    const v = Array.from({ length: n }, () => 2 * gammaSample(nu / 2, rng));
    const mean = v.reduce((s, x) => s + x, 0) / n, varr = v.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean - nu)).toBeLessThan(4 * Math.sqrt((2 * nu) / n));
    expect(Math.abs(varr / (2 * nu) - 1)).toBeLessThan(0.06);
  });

  it("a zero global rate never moves the overlap: every run is censored", () => {
    const He3 = (z: number) => z ** 3 - 3 * z;
    const r = hittingTime({ d: 50, algorithm: "alternating", target: He3, sigma: He3, dsigma: (z) => 3 * z * z - 3, gamma: 0, eta: 0.1, a0: 1, threshold: 0.5, maxSteps: 500 }, seededRng(1));
    expect(r.censored).toBe(true);
  });

  it("predictions: alternating He3 kink at d^{-1/2}, batch-reuse kinks at d^{-3/2} and d^{-1}", () => {
    const alt = predictedKinks("alternating", "He(3,z)", 1);
    expect(alt[0].exponent).toBe(-0.5);
    expect(alt[0].at(10000)).toBeCloseTo(1 / (108 * 100), 12);
    expect(predictedKinks("batch-reuse", "He(3,z)", 1).map((k) => k.exponent)).toEqual([-1.5, -1]);
  });

  it("bad grids and over-budget runs are input errors", () => {
    expect(() => parseGrid("--etas", "0:1:4")).toThrow(InputError);
    expect(() => parseGrid("--etas", "1e-3,inf")).toThrow(InputError);
    expect(() => requireBudget(1000, 10, false, "x")).toThrow(/estimated wall time/);
    expect(() => requireBudget(1000, 10, true, "x")).not.toThrow();
    expect(() => runLrTransition({ ...LR_TRANSITION_PRESET, etas: [1e-3, -1, 1, 2] })).toThrow(InputError);
  });
});
