/**
 * `npm run bench -- regime-cost`: measured against predicted CPU time of the regime experiments' cost models (the
 * budget guard's and the ETA's, src/experiments/costCalibration.ts). Every job runs in this thread (workers 0), so
 * its CPU time (process.cpuUsage) is its own; a job kind's run is wrapped to record (kind, model units, CPU seconds).
 * Sizes: each preset (lr-transition at the preset's middle d with 2 seeds, the runs being the cost unit), and a 2x
 * smaller and a 2x larger size of the parameter the cost scales with (two-timescale: particles m on a 4-epsilon grid;
 * lr-transition: d; feature-strength: the toy budget and the MLP steps). REGIME_COST_ONLY=substring restricts the
 * rows; REGIME_COST_FIT=1 prints the per-kind rates that would make the measured/model ratio 1 (the constants of
 * costCalibration.ts are fitted from them, by hand, with the provenance written beside them).
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { getJobKind } from "../src/sweeps/jobs.js";
import { runTwoTimescale, TWO_TIMESCALE_PRESET, estimateTwoTimescaleSeconds, twoTimescaleFlowJob, twoTimescaleCheckJob, type TwoTimescaleConfig } from "../src/experiments/twoTimescaleExperiment.js";
import { runFeatureStrength, FEATURE_STRENGTH_PRESET, estimateFeatureStrengthSeconds, type FeatureStrengthConfig } from "../src/experiments/featureStrengthExperiment.js";
import { runLrTransition, LR_TRANSITION_PRESET, estimateLrTransitionSeconds, lrPredictions, type LrTransitionConfig } from "../src/experiments/lrTransitionExperiment.js";

const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

type Sample = { kind: string; predicted: number; cpu: number };

/** Wrap every registered job kind's run so that each job records its predicted and measured CPU seconds. */
function instrument(kinds: string[], samples: Sample[]): () => void {
  const undo: (() => void)[] = [];
  for (const name of kinds) {
    const k = getJobKind(name) as { run: (c: unknown, ctx: unknown) => unknown; cost?: (c: unknown) => number };
    const run = k.run;
    k.run = (c, ctx) => {
      const t0 = cpuNow();
      const r = run(c, ctx);
      const done = () => samples.push({ kind: name, predicted: k.cost?.(c) ?? 0, cpu: cpuNow() - t0 });
      if (r instanceof Promise) return r.then((v) => { done(); return v; });
      done();
      return r;
    };
    undo.push(() => { k.run = run; });
  }
  return () => undo.forEach((u) => u());
}

interface Row { label: string; predicted: number; cpu: number; samples: Sample[] }

async function twoTimescale(label: string, c: TwoTimescaleConfig): Promise<Row> {
  const samples: Sample[] = [];
  const undo = instrument([twoTimescaleFlowJob.name, twoTimescaleCheckJob.name], samples);
  const t0 = cpuNow();
  try { await runTwoTimescale(c, undefined, { workers: 0 }); } finally { undo(); }
  return { label, predicted: estimateTwoTimescaleSeconds(c), cpu: cpuNow() - t0, samples };
}

async function featureStrength(label: string, c: FeatureStrengthConfig): Promise<Row> {
  const samples: Sample[] = [];
  const names = ["feature-strength.toy-row", "feature-strength.collapse", "feature-strength.triangle-row", "feature-strength.min-steps", "feature-strength.mlp", "feature-strength.mlp-edge"];
  const undo = instrument(names.filter((n) => { try { getJobKind(n); return true; } catch { return false; } }), samples);
  const t0 = cpuNow();
  try { await runFeatureStrength(c, undefined, { workers: 0 }); } finally { undo(); }
  return { label, predicted: estimateFeatureStrengthSeconds(c), cpu: cpuNow() - t0, samples };
}

async function lrTransition(label: string, c: LrTransitionConfig): Promise<Row> {
  const p = lrPredictions(c).p!;
  const samples: Sample[] = [];
  let last = cpuNow(), lastCost = 0, lastDone = 0;
  const t0 = cpuNow();
  // one sample per finished run: the CPU since the previous run finished, against the cost model's charge for it
  await runLrTransition(c, undefined, {
    workers: 0,
    onProgress: (done, _t, st) => {
      if (done <= lastDone) return;
      const now = cpuNow();
      samples.push({ kind: "lr-transition.run", predicted: st.costDone - lastCost, cpu: now - last });
      last = now; lastCost = st.costDone; lastDone = done;
    },
  });
  return { label, predicted: estimateLrTransitionSeconds(c, p), cpu: cpuNow() - t0, samples };
}

const TT_GRID = { epsilons: [1e-1, 1e-2, 1e-3, 1e-4], seeds: 1, checks: {} };
const fsScaled = (f: number): FeatureStrengthConfig => ({
  toy: { ...FEATURE_STRENGTH_PRESET.toy, budget: Math.round(FEATURE_STRENGTH_PRESET.toy.budget * f), bisectionSteps: Math.round(FEATURE_STRENGTH_PRESET.toy.bisectionSteps * f), triangle: { ...FEATURE_STRENGTH_PRESET.toy.triangle, T: Math.round(FEATURE_STRENGTH_PRESET.toy.triangle.T * f) } },
  mlp: { ...FEATURE_STRENGTH_PRESET.mlp!, steps: Math.round(FEATURE_STRENGTH_PRESET.mlp!.steps * f) },
});
const lrAt = (d: number): LrTransitionConfig => ({ ...LR_TRANSITION_PRESET, ds: [d], seeds: 2 });

export const REGIME_COST_CASES: [string, () => Promise<Row>][] = [
  ["two-timescale --preset", () => twoTimescale("two-timescale --preset", TWO_TIMESCALE_PRESET)],
  ["two-timescale m = 16 (1/2x), 4 eps, 1 seed", () => twoTimescale("two-timescale m = 16 (1/2x), 4 eps, 1 seed", { ...TWO_TIMESCALE_PRESET, ...TT_GRID, m: 16 })],
  ["two-timescale m = 64 (2x), 4 eps, 1 seed", () => twoTimescale("two-timescale m = 64 (2x), 4 eps, 1 seed", { ...TWO_TIMESCALE_PRESET, ...TT_GRID, m: 64 })],
  ["lr-transition --preset at d = 2048, 2 seeds", () => lrTransition("lr-transition --preset at d = 2048, 2 seeds", lrAt(2048))],
  ["lr-transition d = 1024 (1/2x), 2 seeds", () => lrTransition("lr-transition d = 1024 (1/2x), 2 seeds", lrAt(1024))],
  ["lr-transition d = 4096 (2x), 2 seeds", () => lrTransition("lr-transition d = 4096 (2x), 2 seeds", lrAt(4096))],
  ["feature-strength --preset", () => featureStrength("feature-strength --preset", FEATURE_STRENGTH_PRESET)],
  ["feature-strength budget/steps 1/2x", () => featureStrength("feature-strength budget/steps 1/2x", fsScaled(0.5))],
  ["feature-strength budget/steps 2x", () => featureStrength("feature-strength budget/steps 2x", fsScaled(2))],
];

/** The measured / predicted rows of the cases whose name contains one of `names` (the experiments bench's short rows). */
export async function regimeCostRows(names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const [name, run] of REGIME_COST_CASES) {
    if (!names.some((n) => name.includes(n))) continue;
    const r = await run();
    out.push(`cost model ${r.label}: measured ${r.cpu.toFixed(2)} CPU-s, predicted ${r.predicted.toFixed(2)}, ratio ${(r.cpu / r.predicted).toFixed(2)} (target [0.8, 1.25]; all sizes: npm run bench -- regime-cost)`);
  }
  return out;
}

export async function benchRegimeCost(): Promise<string> {
  const only = process.env.REGIME_COST_ONLY;
  const lines = [`regime experiments: measured / predicted CPU time (cost models of src/experiments/costCalibration.ts), one thread, ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}), load ${loadavg().map((x) => x.toFixed(1)).join("/")} at the start (shared machine); target [0.8, 1.25]`];
  const all: Sample[] = [];
  for (const [name, run] of REGIME_COST_CASES) {
    if (only && !name.includes(only)) continue;
    const r = await run();
    all.push(...r.samples);
    const ok = r.cpu / r.predicted >= 0.8 && r.cpu / r.predicted <= 1.25;
    lines.push(`  ${r.label.padEnd(48)} measured ${r.cpu.toFixed(2).padStart(7)} CPU-s  predicted ${r.predicted.toFixed(2).padStart(7)}  ratio ${(r.cpu / r.predicted).toFixed(2)} ${ok ? "met" : "NOT met"}`);
    process.stderr.write(`${lines[lines.length - 1]}\n`);
  }
  if (process.env.REGIME_COST_FIT) {
    const kinds = [...new Set(all.map((s) => s.kind))];
    for (const k of kinds) {
      const s = all.filter((x) => x.kind === k);
      const P = s.reduce((a, x) => a + x.predicted, 0), C = s.reduce((a, x) => a + x.cpu, 0);
      lines.push(`  fit ${k}: ${s.length} jobs, measured ${C.toFixed(2)} CPU-s, predicted ${P.toFixed(2)}: ratio ${(C / P).toFixed(3)}; per job ${s.map((x) => (x.cpu / x.predicted).toFixed(2)).join(" ")}`);
    }
  }
  return lines.join("\n");
}
