/**
 * The regime experiments' cost models (src/experiments/costCalibration.ts) in their own units, not timing: the
 * estimate the budget guard uses is the sum of the costs the ETA charges per job, and it scales with the size as the
 * model says (two-timescale m^FLOW_EXPONENT and linear in log10(1/eps); lr-transition d^(p-1) for budget-bound
 * runs; feature-strength linear in the toy budget and the MLP steps, gamma^(1-2/L) for the fewest-steps scans).
 */
import { describe, it, expect } from "vitest";
import { getJobKind } from "../../src/sweeps/jobs.js";
import { FLOW_EXPONENT, FLOW_RATE, LR_RATE, REGIME_COST_PROVENANCE } from "../../src/experiments/costCalibration.js";
import { TWO_TIMESCALE_PRESET, estimateTwoTimescaleSeconds, flowRunSeconds, twoTimescaleFlowJob, type TwoTimescaleConfig } from "../../src/experiments/twoTimescaleExperiment.js";
import { LR_TRANSITION_PRESET, estimateLrTransitionSeconds, lrRunSteps } from "../../src/experiments/lrTransitionExperiment.js";
import { FEATURE_STRENGTH_PRESET, estimateFeatureStrengthSeconds, featureStrengthJobs, minStepsSeconds, type FeatureStrengthConfig } from "../../src/experiments/featureStrengthExperiment.js";

const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe("two-timescale cost model", () => {
  const flowsOnly = (m: number): TwoTimescaleConfig => ({ ...TWO_TIMESCALE_PRESET, m, checks: {} });
  it("doubling m multiplies every flow's cost, and the estimate, by 2^FLOW_EXPONENT", () => {
    expect(FLOW_EXPONENT).toBeGreaterThan(2); // the Jacobian alone is O(m^2) per step
    for (const eps of [1e-1, 1e-3, 1e-5]) expect(rel(flowRunSeconds(64, eps) / flowRunSeconds(32, eps), 2 ** FLOW_EXPONENT)).toBeLessThan(1e-12);
    expect(rel(estimateTwoTimescaleSeconds(flowsOnly(64)) / estimateTwoTimescaleSeconds(flowsOnly(32)), 2 ** FLOW_EXPONENT)).toBeLessThan(1e-12);
  });
  it("each decade of 1/eps adds the same cost (linear in log10(1/eps))", () => {
    const step = flowRunSeconds(32, 1e-2) - flowRunSeconds(32, 1e-1);
    expect(rel(flowRunSeconds(32, 1e-4) - flowRunSeconds(32, 1e-3), step)).toBeLessThan(1e-9);
    expect(rel(step, FLOW_RATE * 32 ** FLOW_EXPONENT)).toBeLessThan(1e-9);
  });
  it("the estimate (budget guard) is the sum of the jobs' costs (ETA weights): flows x seeds + checks", () => {
    const c = TWO_TIMESCALE_PRESET;
    const flows = c.epsilons.reduce((s, eps) => s + c.seeds * twoTimescaleFlowJob.cost!({ target: c.target, activation: c.activation, K: c.K, m: c.m, d: c.d, eps, theta: c.theta, tEnd: c.tEnd, degrees: c.degrees }), 0);
    const checks = (["phi1Zero", "finiteD", "sgd"] as const).reduce((s, name) => s + getJobKind("two-timescale.check").cost!({ name, target: c.target, activation: c.activation, K: c.K, m: c.m, theta: c.theta, check: c.checks[name] }), 0);
    expect(rel(estimateTwoTimescaleSeconds(c), flows + checks)).toBeLessThan(1e-12);
  });
});

describe("lr-transition cost model", () => {
  it("budget-bound runs (online prescription) cost LR_RATE x d^(p-1) each: doubling d multiplies the estimate by 2^(p-1)", () => {
    const c = { ...LR_TRANSITION_PRESET, rate: "online" as const, ds: [1024] };
    for (const p of [3, 4]) {
      const ratio = estimateLrTransitionSeconds({ ...c, ds: [2048] }, p) / estimateLrTransitionSeconds(c, p);
      expect(rel(ratio, 2 ** (p - 1))).toBeLessThan(1e-12);
    }
    const runs = c.etas.length * c.gamma0s.length * c.seeds;
    expect(rel(estimateLrTransitionSeconds(c, 3), runs * 1024 ** 2 * c.maxStepsFactor * LR_RATE)).toBeLessThan(1e-12);
  });
  it("the estimate is LR_RATE times the expected steps the ETA charges, summed over the grid", () => {
    const c = LR_TRANSITION_PRESET;
    let steps = 0;
    for (const d of c.ds) for (const eta of c.etas) for (const g of c.gamma0s) steps += c.seeds * lrRunSteps(c, 3, d, eta, g);
    expect(rel(estimateLrTransitionSeconds(c, 3), steps * LR_RATE)).toBeLessThan(1e-12);
  });
});

describe("feature-strength cost model", () => {
  const scaled = (f: number): FeatureStrengthConfig => ({
    toy: { ...FEATURE_STRENGTH_PRESET.toy, budget: FEATURE_STRENGTH_PRESET.toy.budget * f, bisectionSteps: FEATURE_STRENGTH_PRESET.toy.bisectionSteps * f },
    mlp: { ...FEATURE_STRENGTH_PRESET.mlp!, steps: FEATURE_STRENGTH_PRESET.mlp!.steps * f },
  });
  const partCost = (c: FeatureStrengthConfig, kinds: string[]) => featureStrengthJobs(c).filter((j) => kinds.includes(j.kind)).reduce((s, j) => s + j.replicates * getJobKind(j.kind).cost!(j.config), 0);
  it("the estimate is the sum of the jobs' costs", () => {
    expect(rel(estimateFeatureStrengthSeconds(FEATURE_STRENGTH_PRESET), partCost(FEATURE_STRENGTH_PRESET, [...new Set(featureStrengthJobs(FEATURE_STRENGTH_PRESET).map((j) => j.kind))]))).toBeLessThan(1e-12);
  });
  it("toy rows and MLP runs are linear in the budget / steps: doubling them doubles those parts", () => {
    const kinds = ["feature-strength.toy-row", "feature-strength.mlp", "feature-strength.mlp-edge"];
    expect(rel(partCost(scaled(2), kinds) / partCost(scaled(1), kinds), 2)).toBeLessThan(1e-12);
  });
  it("a fewest-steps scan grows as gamma^(1 - 2/L) (the fewest steps N* ~ tau* gamma / eta_max)", () => {
    const big = (g: number) => minStepsSeconds({ gamma: g, L: 4 }) - minStepsSeconds({ gamma: 0, L: 4 });
    expect(rel(big(4e6) / big(1e6), 2)).toBeLessThan(1e-12);
    expect(rel((minStepsSeconds({ gamma: 8e6, L: 3 }) - minStepsSeconds({ gamma: 0, L: 3 })) / (minStepsSeconds({ gamma: 1e6, L: 3 }) - minStepsSeconds({ gamma: 0, L: 3 })), 2)).toBeLessThan(1e-12);
  });
});

describe("provenance", () => {
  it("the constants say how they were measured: command, date, machine", () => {
    expect(REGIME_COST_PROVENANCE.command).toMatch(/npm run bench -- regime-cost/);
    expect(REGIME_COST_PROVENANCE.date).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(REGIME_COST_PROVENANCE.machine).toMatch(/cores/);
  });
});
