import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseGrid, requireBudget } from "../../src/experiments/budget.js";
import { InputError } from "../../src/link/errors.js";
import { lrPredictions, lrRunConfig, matchKink, runLrTransition, LR_TRANSITION_PRESET, type LrTransitionConfig } from "../../src/experiments/lrTransitionExperiment.js";
import { buildProblem, runReplicate } from "../../src/simulations/config.js";
import { ksTwoSample } from "../../src/numeric/statistics.js";

/** A grid small enough for the suite: He_3, two small sizes, budget 4 d^2 samples per run. */
const TINY: LrTransitionConfig = {
  ...LR_TRANSITION_PRESET, ds: [16, 24], etas: [1e-4, 1e-3, 1e-2, 1e-1, 1], gamma0s: [1], seeds: 3, maxStepsFactor: 4, bootstrap: 10,
};

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), "lr-transition-")); dirs.push(d); return d; };
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("lr-transition predictions come from the prediction engine", () => {
  it("alternating: the drop starts at eta ~ d^{-[(p-1)v1 - (p2-1)v1]/2} (notes §3.1) for He_3 and He_4", () => {
    for (const [k, p, p2] of [[3, 3, 2], [4, 4, 2]] as const) {
      const pr = lrPredictions({ target: `He(${k},z)`, algorithm: "alternating", ds: [256] });
      expect([pr.p, pr.p2]).toEqual([p, p2]);
      const first = pr.curve!.curve!.kinks[0]!;
      expect(first.x).toBeCloseTo(-(Math.max(p - 1, 1) - Math.max(p2 - 1, 1)) / 2, 9);
      expect(first.slopeLeft).toBeGreaterThan(first.slopeRight); // a drop in samples, not a rise
      expect(pr.curve!.aliases).toContain("000.alternating-kink");
    }
  });

  it("batch reuse on He_3: kinks at eta d ~ d^{-1/2} and eta d ~ 1; online has no curve", () => {
    const br = lrPredictions({ target: "He(3,z)", algorithm: "batch-reuse", ds: [256] });
    expect(br.curve!.curve!.kinks.map((k) => k.x)).toEqual([-1.5, -1]);
    expect(lrPredictions({ target: "He(3,z)", algorithm: "online", ds: [256] }).curve).toBeNull();
  });
});

describe("lr-transition runs the shared reduced engine through the sweep machinery", () => {
  it("every recorded run is the engine's replicate of that configuration (same keyed stream)", async () => {
    const r = await runLrTransition({ ...TINY, ds: [16], etas: [1e-3, 1e-2, 1e-1, 1] }, undefined);
    expect(r.sweep.complete).toBe(true);
    const pt = r.points.find((q) => q.eta === 1e-1)!;
    const cfg = lrRunConfig(TINY, 3, 16, 1e-1, 1);
    expect(cfg.variant).toBe("alternating");
    const problem = buildProblem(cfg);
    const direct = Array.from({ length: TINY.seeds }, (_, i) => runReplicate(cfg, TINY.baseSeed, i, problem).escapeStep ?? Infinity);
    expect(pt.steps).toEqual(direct);
  });

  it("online SGD ignores the inner rate: every eta shares the same runs", async () => {
    const r = await runLrTransition({ ...TINY, algorithm: "online", ds: [16], etas: [1e-3, 1e-2, 1e-1, 1] });
    const steps = r.points.map((q) => JSON.stringify(q.steps));
    expect(new Set(steps).size).toBe(1);
  });

  it("resume recomputes nothing and reproduces the result; a shard alone is summarised as partial", async () => {
    const dir = tempDir();
    const a = await runLrTransition(TINY, undefined, { dir });
    expect(a.sweep.computed).toBe(a.sweep.total);
    await expect(runLrTransition(TINY, undefined, { dir })).rejects.toThrow(InputError); // no silent overwrite
    const b = await runLrTransition(TINY, undefined, { dir, resume: true });
    expect(b.sweep.computed).toBe(0);
    expect(b.points).toEqual(a.points);
    expect(b.claims).toEqual(a.claims);
    const sharded = tempDir();
    const s0 = await runLrTransition(TINY, undefined, { dir: sharded, shard: { index: 0, count: 2 } });
    expect(s0.sweep.complete).toBe(false);
    expect(s0.claims.map((c) => c.verdict)).toEqual(["inconclusive"]);
    await runLrTransition(TINY, undefined, { dir: sharded, shard: { index: 1, count: 2 } });
    const merged = await runLrTransition(TINY, undefined, { dir: sharded, resume: true });
    expect(merged.sweep.computed).toBe(0);
    expect(merged.points).toEqual(a.points);
  });

  it("alternating with a vanishing inner rate has the law of online SGD (notes §3.1 claim 5), KS at n = 150", () => {
    const base = { ...TINY, ds: [24], maxStepsFactor: 30 };
    const alt = lrRunConfig({ ...base, algorithm: "alternating" }, 3, 24, 1e-9, 1);
    const onl = lrRunConfig({ ...base, algorithm: "online" }, 3, 24, 1e-9, 1);
    const sample = (c: typeof alt) => { const pb = buildProblem(c); return Array.from({ length: 150 }, (_, i) => runReplicate(c, 7, i, pb).escapeStep ?? c.maxSteps + 1); };
    const a = sample(alt), o = sample(onl);
    expect(ksTwoSample(a, o).pValue).toBeGreaterThan(0.001);
    // and a large inner rate changes the law (the test can fail)
    const big = sample(lrRunConfig({ ...base, algorithm: "alternating" }, 3, 24, 3, 1));
    expect(ksTwoSample(big, o).pValue).toBeLessThan(0.001);
  });
});

describe("lr-transition kink matching", () => {
  const fitOf = (d: number, kinks: number[], slopes: number[]) => ({
    d, best: [], candidates: [], kinkCIs: kinks.map(() => [0, 0] as [number, number]),
    fit: { kinks: kinks.map((k) => k * Math.LN10), slopes, intercept: 0, rss: 0, bic: 0, n: 11 },
  });
  it("a drop start matches only a kink followed by a descending segment; its location follows d", () => {
    // synthetic kinks at log10 eta = -0.5 log10 d: the fitted exponent must be -1/2
    const fits = [100, 1000, 10000].map((d) => fitOf(d, [-0.5 * Math.log10(d)], [0, -2]));
    const m = matchKink(fits, 0, -0.5, 0, -2);
    expect(m.fit!.slope).toBeCloseTo(-0.5, 9);
    // the same kinks with rising samples after them (large-eta degradation) are not the predicted transition
    const rising = [100, 1000].map((d) => fitOf(d, [-0.5 * Math.log10(d)], [0, 0.9]));
    expect(matchKink(rising, 0, -0.5, 0, -2).matched.every((x) => x.log10Eta === null)).toBe(true);
    // a drop end (-2 -> 0) picks the second kink of a full drop
    const full = [fitOf(100, [-1, 0], [0, -2, 0])];
    expect(matchKink(full, 1, 0, -2, 0).matched[0]!.log10Eta).toBeCloseTo(0, 12);
    expect(matchKink(full, 0, -0.5, 0, -2).matched[0]!.log10Eta).toBeCloseTo(-1, 12);
  });
});

describe("lr-transition bad input", () => {
  it("bad grids and over-budget runs are input errors", async () => {
    expect(() => parseGrid("--etas", "0:1:4")).toThrow(InputError);
    expect(() => parseGrid("--etas", "1e-3,inf")).toThrow(InputError);
    expect(() => requireBudget(1000, 10, false, "x")).toThrow(/estimated wall time/);
    expect(() => requireBudget(1000, 10, true, "x")).not.toThrow();
    await expect(runLrTransition({ ...LR_TRANSITION_PRESET, etas: [1e-3, -1, 1, 2] })).rejects.toThrow(InputError);
    await expect(runLrTransition({ ...TINY, etas: [1e-3, 1e-3, 1, 2] })).rejects.toThrow(/repeat/);
  });
});
