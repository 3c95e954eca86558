/**
 * Benchmark of the online-SGD simulators (issue 6), every ratio measured in this run:
 * - reduced single-neuron chain: steps/s per core at d = 2^8 .. 2^20 (target >= 2e7, flat in d);
 * - full d-dimensional simulator (Float64Array loops) at d = 1024, and the reduced/full ratio there;
 * - Gram-state engine with p = 8 neurons, k = 2 directions;
 * - wall time of the He3 verify sweep d = 2^8 .. 2^14 x 32 seeds on all cores (target: under 2 minutes on 2 cores).
 * Set BENCH_ONLINE_SWEEP_MAX_D (e.g. 4096) to shorten the sweep part.
 */
import { buildProblem, type RunConfig } from "../src/simulations/config.js";
import { simulateReduced } from "../src/simulations/reduced.js";
import { simulateGram } from "../src/simulations/gram.js";
import { simulateFull, FULL_BACKEND } from "../src/simulations/full.js";
import { Xoshiro128 } from "../src/numeric/xoshiro.js";
import type { Problem, RunOutcome } from "../src/simulations/model.js";
import { planOnlineSgd, onlineSgdReport } from "../src/verification/onlineSgd.js";
import { runSweep } from "../src/sweeps/sweep.js";
import { defaultWorkers } from "../src/sweeps/runner.js";

function cfg(over: Partial<RunConfig>): RunConfig {
  return {
    engine: "reduced", link: "He(3,z)", student: "He(3,z)", loss: "correlation", d: 1024, eta: "1e-9", width: 1, a0: 1,
    etaSecondLayer: "0", variant: "online", etaInner: "0", innerSteps: 1, noise: "none", threshold: 0.999, overlap: "signed",
    escape: "any", maxSteps: 1000, m0: 0, runToMax: true, tracePoints: 0, ...over,
  };
}

/** Steps per second of `sim` on `problem` (best of 3 timed passes after a warm-up pass). */
function stepsPerSecond(problem: Problem, sim: (p: Problem, g: Xoshiro128) => RunOutcome): number {
  let best = 0;
  for (let rep = 0; rep < 4; rep++) {
    const g = Xoshiro128.forKey({ masterSeed: 1, configuration: "bench", replicate: rep });
    const t0 = performance.now();
    const o = sim(problem, g);
    const dt = (performance.now() - t0) / 1000;
    if (rep > 0) best = Math.max(best, o.steps / dt);
  }
  return best;
}

const sci = (x: number) => x.toExponential(2);

export async function benchOnline(): Promise<string> {
  const lines: string[] = [];
  const reducedSteps = 2_000_000;
  const reduced: [number, number][] = [];
  for (const e of [8, 12, 16, 20]) {
    const p = buildProblem(cfg({ d: 2 ** e, maxSteps: reducedSteps }));
    reduced.push([2 ** e, stepsPerSecond(p, simulateReduced)]);
  }
  const full1024 = stepsPerSecond(buildProblem(cfg({ engine: "full", d: 1024, maxSteps: 3000 })), simulateFull);
  const red1024 = stepsPerSecond(buildProblem(cfg({ d: 1024, maxSteps: reducedSteps })), simulateReduced);
  const gram = stepsPerSecond(buildProblem(cfg({ engine: "gram", link: "z1*z2", student: "tanh(z)", width: 8, a0: 0.125, d: 1024, m0: null, maxSteps: 200_000 })), simulateGram);
  lines.push("reduced single-neuron chain (He3, correlation loss), one core:");
  for (const [d, s] of reduced) lines.push(`  d = 2^${Math.log2(d)}: ${sci(s)} steps/s`);
  const flat = Math.max(...reduced.map((r) => r[1])) / Math.min(...reduced.map((r) => r[1]));
  lines.push(`  max/min over d = 2^8..2^20: ${flat.toFixed(2)} (flat in d means ~1); target >= 2e7 steps/s: ${Math.min(...reduced.map((r) => r[1])) >= 2e7 ? "met" : "NOT met"}`);
  lines.push(`full simulator (${FULL_BACKEND}) at d = 1024: ${sci(full1024)} steps/s; reduced at d = 1024: ${sci(red1024)} steps/s; ratio reduced/full = ${sci(red1024 / full1024)}`);
  lines.push(`Gram-state engine, p = 8 neurons, k = 2 directions (z1*z2, tanh student): ${sci(gram)} steps/s`);

  const maxD = Number(process.env.BENCH_ONLINE_SWEEP_MAX_D ?? 2 ** 14);
  const dims: number[] = [];
  for (let d = 256; d <= maxD; d *= 2) dims.push(d);
  const plan = planOnlineSgd({ link: "He(3,z)", dims });
  const workers = defaultWorkers();
  const t0 = performance.now();
  const sweep = await runSweep({ command: "bench", configs: plan.configs, seeds: 32, masterSeed: 0, workers });
  const wall = (performance.now() - t0) / 1000;
  const totalSteps = sweep.records.reduce((s, r) => s + r.steps, 0);
  const report = onlineSgdReport(plan.configs, sweep.records, plan.prediction, 200);
  const fit = report.verdict.plainFit;
  lines.push(`He3 verify sweep d = 2^8..2^${Math.log2(maxD)} x 32 seeds (eta = ${plan.eta}), ${workers} worker(s): ${wall.toFixed(1)} s wall, ${sci(totalSteps)} steps (${sci(totalSteps / wall)} steps/s overall); target < 120 s on 2 cores: ${wall < 120 ? "met" : "NOT met"}`);
  if (maxD < 2 ** 14) {
    // the steps of the missing dimensions extrapolated from the largest one measured with the fitted slope
    const stepsAt = (d: number) => sweep.records.filter((r) => r.d === d).reduce((s, r) => s + r.steps, 0);
    const slope = fit.slope ?? plan.prediction.exponent;
    let projected = totalSteps;
    for (let d = 2 * maxD; d <= 2 ** 14; d *= 2) projected += stepsAt(maxD) * (d / maxD) ** slope;
    lines.push(`  projected to d = 2^14 (steps of the missing dimensions ~ d^${slope.toFixed(2)} from d = ${maxD}): ${sci(projected)} steps, ${(projected / (totalSteps / wall)).toFixed(0)} s wall at this run's overall rate; at the 2e7 steps/s/core target it would take ${(projected / (2e7 * workers)).toFixed(0)} s`);
  }
  lines.push(`  fitted slope ${fit.slope?.toFixed(3) ?? "n/a"} [${fit.ci95[0]?.toFixed(3) ?? "open"}, ${fit.ci95[1]?.toFixed(3) ?? "open"}], predicted ${plan.prediction.exponent} (claim ${plan.prediction.claimId}): ${report.verdict.verdict}`);
  return lines.join("\n");
}
