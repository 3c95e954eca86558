/**
 * Benchmark of the regime experiments: wall time of each preset (reduced where noted so `npm run bench` stays short),
 * and the steps/s of the centred μP MLP trainer on TensorFlow.js against the plain float64 JavaScript reference, in
 * the same run and on the same model/batch sizes.
 */
import { runTwoTimescale, TWO_TIMESCALE_PRESET } from "../src/experiments/twoTimescaleExperiment.js";
import { runFeatureStrength, FEATURE_STRENGTH_PRESET } from "../src/experiments/featureStrengthExperiment.js";
import { runLrTransition, LR_TRANSITION_PRESET } from "../src/experiments/lrTransitionExperiment.js";
import { trainMlpJs, trainMlpTf } from "../src/experiments/centredMlp.js";
import { defaultWorkers } from "../src/sweeps/runner.js";
import { regimeCostRows } from "./regimeCost.js";

export async function benchExperiments(): Promise<string> {
  const rows: string[] = [];
  const time = async (name: string, f: () => unknown) => { const t0 = performance.now(); await f(); rows.push(`${name.padEnd(58)} ${((performance.now() - t0) / 1000).toFixed(1)} s`); };
  // the presets run as sweeps on worker threads, as the CLI runs them (results do not depend on the worker count)
  const workers = defaultWorkers();
  await time(`two-timescale --preset (${workers} workers)`, () => runTwoTimescale(TWO_TIMESCALE_PRESET, undefined, { workers }));
  await time(`feature-strength --preset (${workers} workers)`, () => runFeatureStrength(FEATURE_STRENGTH_PRESET, undefined, { workers }));
  await time(`lr-transition --preset, d = 2048 only (${workers} workers; the preset d = 1024..4096 took 185 CPU-s here)`, () => runLrTransition({ ...LR_TRANSITION_PRESET, ds: [2048] }, undefined, { workers }));
  // the budget guard's and the ETA's cost models against measured CPU, on the two cheapest sizes (seconds)
  rows.push(...await regimeCostRows(["two-timescale m = 16", "lr-transition d = 1024"]));
  for (const N of [64, 256]) {
    const o = { shape: { d: 16, N, L: 3 }, gamma: 1, eta: 1e-3, steps: 200, batch: 16, target: (z: number) => z * z - 1, seed: 1, recordAt: [] };
    trainMlpJs({ ...o, steps: 5 }); await trainMlpTf({ ...o, steps: 5 }); // warm-up
    const js = trainMlpJs(o), tf = await trainMlpTf(o);
    rows.push(`MLP L=3 N=${N} batch 16: ${tf.backend} ${(o.steps / tf.seconds).toFixed(0)} steps/s vs js-float64 reference ${(o.steps / js.seconds).toFixed(0)} steps/s (x${(js.seconds / tf.seconds).toFixed(2)})`);
  }
  return rows.join("\n");
}
