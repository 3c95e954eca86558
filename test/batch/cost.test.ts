// The batch cost model (src/simulations/batch/cost.ts) against what was measured: the seeds it was calibrated on
// (stored with the calibration) and, held out, the presets' measured CPU totals (reports/readme-timings.json, by
// `npm run bench -- presets`). No timing here: the figures are data; a change of the model that breaks its
// agreement with them fails.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BATCH_COST_CALIBRATION, batchReuseWork, giantSeedSeconds, giantStepWork, reuseSeedSeconds, workSeconds, type GiantShape, type ReuseShape } from "../../src/simulations/batch/cost.js";
import { CALIBRATION } from "../../src/simulations/batch/costCalibration.js";
import { BATCH_REUSE_PRESETS, GIANT_STEP_PRESETS } from "../../src/simulations/batch/presets.js";
import { GIANT_STEP_DEFAULTS } from "../../src/simulations/batch/giantStep.js";
import { BATCH_REUSE_DEFAULTS } from "../../src/simulations/batch/batchReuse.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
type M = { label: string; kind: string; shape: Record<string, unknown>; cpuSeconds: number };
const measured = CALIBRATION.measurements as unknown as M[];
const model = (m: M) => (m.kind === "giant-step" ? workSeconds(giantStepWork(m.shape as unknown as GiantShape)) : workSeconds(batchReuseWork(m.shape as unknown as ReuseShape)));

/** Spearman rank correlation. */
function spearman(a: number[], b: number[]): number {
  const rank = (x: number[]) => { const o = x.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]); const r = new Array<number>(x.length); o.forEach(([, i], k) => { r[i] = k; }); return r; };
  const ra = rank(a), rb = rank(b), n = a.length, mean = (n - 1) / 2;
  let num = 0, da = 0, db = 0;
  for (let i = 0; i < n; i++) { num += (ra[i]! - mean) * (rb[i]! - mean); da += (ra[i]! - mean) ** 2; db += (rb[i]! - mean) ** 2; }
  return num / Math.sqrt(da * db);
}

describe("batch cost model", () => {
  it("has a calibration with provenance and every rate finite and >= 0", () => {
    expect(BATCH_COST_CALIBRATION.provenance).toMatch(/npm run bench -- batch-cost, \d{4}-\d\d-\d\d/);
    for (const v of Object.values(BATCH_COST_CALIBRATION.secondsPer)) { expect(Number.isFinite(v)).toBe(true); expect(v).toBeGreaterThanOrEqual(0); }
    expect(measured.length).toBeGreaterThanOrEqual(20);
  });

  it("is within 1.6x of every calibration seed of at least 0.1 CPU-s, and orders all of them as measured (Spearman >= 0.9)", () => {
    for (const m of measured.filter((x) => x.cpuSeconds >= 0.1)) {
      const r = m.cpuSeconds / model(m);
      expect(r, m.label).toBeGreaterThan(1 / 1.6);
      expect(r, m.label).toBeLessThan(1.6);
    }
    expect(spearman(measured.map(model), measured.map((m) => m.cpuSeconds))).toBeGreaterThanOrEqual(0.9);
  });

  it("held out: each giant-step / batch-reuse preset's measured CPU total is within 1.5x of the model's seeds (the d = infinity predictions not counted)", () => {
    const timings = JSON.parse(readFileSync(path.join(root, "reports/readme-timings.json"), "utf8")) as { rows: { command: string; cpuSeconds: number; exit: number }[] };
    let compared = 0;
    for (const [kind, presets, seconds] of [["giant-step", GIANT_STEP_PRESETS, giantSeedSeconds], ["batch-reuse", BATCH_REUSE_PRESETS, reuseSeedSeconds]] as const) {
      for (const p of presets) {
        const row = timings.rows.find((r) => r.command === `index-lab simulate ${kind} --preset ${p.name}`);
        if (!row) continue;
        const est = (p.runs({}) as unknown as { config: never }[]).reduce((s, r) => s + (r.config as { seeds: number }).seeds * (seconds as (c: never) => number)(r.config), 0);
        // process start-up, the target's moments and the backend's load (~1-2 s) are not in the per-seed model
        const r = row.cpuSeconds / (est + 1.5);
        expect(r, `${kind} ${p.name}: measured ${row.cpuSeconds} CPU-s, model ${est.toFixed(1)}`).toBeGreaterThan(1 / 1.5);
        expect(r, `${kind} ${p.name}: measured ${row.cpuSeconds} CPU-s, model ${est.toFixed(1)}`).toBeLessThan(1.5);
        compared++;
      }
    }
    expect(compared).toBe(GIANT_STEP_PRESETS.length + BATCH_REUSE_PRESETS.length);
  });

  it("charges what the simulators do: one-pass draws every step, multi-pass once; a larger batch costs more; ReLU blocks are cheaper than closure calls", () => {
    const reuse = { ...BATCH_REUSE_DEFAULTS, d: 1000, p: 4, alpha: 4, steps: 5 };
    expect(reuseSeedSeconds({ ...reuse, algorithm: "one-pass" })).toBeGreaterThan(1.5 * reuseSeedSeconds({ ...reuse, algorithm: "multi-pass" }));
    const giant = { ...GIANT_STEP_DEFAULTS, target: "He(2,z)", n: 4096, nRefit: 4096 };
    const big = { ...giant, n: 16384, nRefit: 16384 };
    expect(giantSeedSeconds(big)).toBeGreaterThan(1.5 * giantSeedSeconds(giant)); // 4x the batch; the test set and the per-seed cost stay
    expect(giantSeedSeconds({ ...big, activation: "tanh(z)" })).toBeGreaterThan(giantSeedSeconds(big));
    // the notebook protocol has no random-features refit, so at equal sizes it costs less than index-lab's
    expect(giantSeedSeconds({ ...big, protocol: "notebook" })).toBeLessThan(giantSeedSeconds(big));
  });
});
