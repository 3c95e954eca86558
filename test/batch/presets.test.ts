import { describe, expect, it } from "vitest";
import { createJsCpuBackend } from "../../src/tensors/jsCpu.js";
import { createBackend } from "../../src/tensors/select.js";
import { simulateBatchReuse, type BatchReuseResult } from "../../src/simulations/batch/batchReuse.js";
import { BATCH_REUSE_PRESETS, GIANT_STEP_PRESETS, NOTEBOOK_TEST_ERRORS, findPreset, runsCost, type PresetOverrides } from "../../src/simulations/batch/presets.js";
import { simulateGiantStep, type GiantStepResult } from "../../src/simulations/batch/giantStep.js";
import { tCritical2, welchDof, type ClaimVerdict } from "../../src/simulations/batch/claims.js";

const backend = await createBackend("onnx").catch(() => createJsCpuBackend());

/** Run a batch-reuse preset at reduced size (as `--preset NAME --d D --seeds S` does) and judge it. */
async function runReusePreset(name: string, o: PresetOverrides): Promise<{ verdicts: ClaimVerdict[]; results: Map<string, BatchReuseResult> }> {
  const preset = findPreset(BATCH_REUSE_PRESETS, name)!;
  const results = new Map<string, BatchReuseResult>();
  for (const { tag, config } of preset.runs(o)) results.set(tag, await simulateBatchReuse({ ...config, nTest: 256 }, backend));
  return { verdicts: preset.judge(results), results };
}

describe("batch-reuse presets at reduced size (d in {D, 4D})", () => {
  it("he3: the simulated sign-coherent overlap at t = 2 agrees with the d = infinity two-step prediction for both algorithms", async () => {
    const { verdicts, results } = await runReusePreset("he3", { d: 150, seeds: 6 });
    expect([...results.keys()].sort()).toEqual(["He3/multi-pass/d=150", "He3/multi-pass/d=600", "He3/one-pass/d=150", "He3/one-pass/d=600"]);
    const matches = verdicts.filter((v) => /equals the d = infinity prediction/.test(v.claim));
    expect(matches).toHaveLength(4);
    // a 3-se test against an independent d = infinity computation: fails if the simulator or the derivation is wrong
    for (const v of matches) expect(v.verdict, v.evidence).not.toBe("inconsistent");
    for (const v of verdicts) expect(v.evidence).not.toMatch(/NaN/);
  }, 60_000);

  it("even: targets invariant under a reflection of each direction gain no overlap that survives d -> 4d", async () => {
    const { verdicts } = await runReusePreset("even", { d: 100, seeds: 4 });
    expect(verdicts).toHaveLength(8); // 4 targets x 2 algorithms
    // the RMS overlap is pure O(d^-1/2) noise: a Theta(1) verdict would mean a symmetry-breaking bug
    for (const v of verdicts) expect(v.verdict, `${v.claim}: ${v.evidence}`).not.toBe("inconsistent");
  }, 60_000);
});

describe("giant-step staircase preset at reduced size", () => {
  it("with a linear connection the C1-orthogonal direction is learned (Theta(1) update cosine at d and 8d); without, it is not", async () => {
    const preset = findPreset(GIANT_STEP_PRESETS, "staircase")!;
    const results = new Map<string, GiantStepResult>();
    for (const { tag, config } of preset.runs({ d: 24, p: 96, seeds: 2 })) results.set(tag, await simulateGiantStep({ ...config, nTest: 1024 }, backend));
    const verdicts = preset.judge(results);
    expect(verdicts.map((v) => v.claim.split(":")[0])).toEqual(expect.arrayContaining(["staircase", "staircase, connected", "staircase, unconnected"]));
    for (const v of verdicts) expect(v.verdict, `${v.claim}: ${v.evidence}`).not.toBe("inconsistent");
    expect(verdicts.find((v) => v.claim.startsWith("staircase, connected"))!.verdict).toBe("consistent");
  }, 60_000);
});

describe("giant-step notebook preset (lucpoisson/GiantStep protocol) at reduced size", () => {
  it("shares W0 and a across seeds, uses the notebook's eta and test-side linear part, and gives no verdict away from d = 512, p = 1024", async () => {
    const preset = findPreset(GIANT_STEP_PRESETS, "notebook")!;
    const runs = preset.runs({ d: 24, p: 48, seeds: 3 });
    expect(runs.map((r) => r.tag)).toEqual(["notebook/n=d^1.3", "notebook/n=d^1.65", "index-lab/n=d^1.3"]);
    expect(preset.runs({ full: true }).map((r) => [r.tag, r.config.n])).toEqual([
      ["notebook/n=d^1.3", 3326], ["notebook/n=d^1.65", 29532], ["notebook/n=d^2", 262144], ["index-lab/n=d^1.3", 3326]]);
    const results = new Map<string, GiantStepResult>();
    for (const { tag, config } of [runs[0]!, runs[2]!]) results.set(tag, await simulateGiantStep({ ...config, nTest: 2048 }, backend));
    const nb = results.get("notebook/n=d^1.3")!, il = results.get("index-lab/n=d^1.3")!;
    // one initialisation for every seed: the t = 0 overlap has no spread across seeds (index-lab's has)
    expect(Math.max(...nb.steps[0]!.overlap.se.flat())).toBe(0);
    expect(Math.max(...il.steps[0]!.overlap.se.flat())).toBeGreaterThan(0);
    expect(nb.config.etaValue).toBeCloseTo(10 * Math.sqrt(nb.config.n * nb.config.p), 9);
    // the test-side linear part is estimated from the test labels: at most Var y - |C1|^2 up to a few d/nTest
    expect(nb.summary!.linearMSE.mean).toBeLessThan(nb.config.targetMoments.linearBaseline * (1 + 4 * 24 / 2048));
    expect(Number.isNaN(nb.summary!.randomFeaturesMSE.mean)).toBe(true);
    const verdicts = preset.judge(results);
    expect(verdicts.find((v) => /n = d\^1.3 = 3326/.test(v.claim))!.verdict).toBe("inconclusive");
  }, 60_000);
});

describe("notebook preset: a default of at most 3 CPU-minutes that is still judged at the notebook's sizes", () => {
  const preset = findPreset(GIANT_STEP_PRESETS, "notebook")!;
  it("default: the notebook's d, p, n and 10^5 test samples with 4 seeds (cost model <= 3 CPU-min); --full: 10 seeds and n = d^2", () => {
    const def = preset.runs({}), full = preset.runs({ full: true });
    for (const r of [...def, ...full].filter((x) => x.tag.startsWith("notebook/"))) expect([r.config.d, r.config.p, r.config.nTest]).toEqual([512, 1024, 100000]);
    expect(def.map((r) => r.config.seeds)).toEqual([4, 4, 4]);
    expect(full.map((r) => r.config.seeds)).toEqual([10, 10, 10, 10]);
    // 1.5e10 multiply-adds per CPU-second is the cost model's measured rate (common.ts, checkBatchWork)
    expect(runsCost(def).cpuMinutes).toBeLessThan(3);
    expect(runsCost(full).cpuMinutes).toBeGreaterThan(5 * runsCost(def).cpuMinutes);
    expect(preset.paperSize).toMatch(/--full: .*CPU-min/);
  });

  it("Student t critical values at the 2-sigma level match scipy.stats.t.ppf(Phi(2), dof); Welch dof of equal halves", () => {
    // scipy 1.x: t.ppf(norm.cdf(2), v) for v = 1, 3, 9, 12, 30
    const ref: [number, number][] = [[1, 13.968], [3, 3.307], [9, 2.320], [12, 2.231], [30, 2.087]];
    for (const [v, t] of ref) expect(Math.abs(tCritical2(v) - t)).toBeLessThan(2e-3);
    expect(welchDof(0.1, 5, 0.1, 5)).toBeCloseTo(8, 12);
  });

  it("a 2.4-se gap is consistent with 4 seeds (Welch dof 6: t critical 2.52) and inconsistent against 10 published seeds with a precise simulation (dof 9: 2.32)", () => {
    const pub = NOTEBOOK_TEST_ERRORS[0], se = pub.std / 3;
    const judge = (seeds: number, oursSe: number) => {
      const mean = pub.mean + 2.4 * Math.hypot(oursSe, se);
      const r = { config: { d: 512, p: 1024, n: pub.n }, seedsCompleted: seeds, summary: { testMSE: { mean, se: oursSe } } } as unknown as GiantStepResult;
      return preset.judge(new Map([["notebook/n=d^1.3", r]]))[0]!;
    };
    expect(judge(4, 0.003).verdict).toBe("consistent");
    expect(judge(1000, 0.0002).verdict).toBe("inconsistent");
    expect(judge(1, 0.003).verdict).toBe("inconclusive");
  });
});
