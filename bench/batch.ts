/**
 * Batch simulators (seeds 001/002): GFLOP/s of each available backend's matrix product at (n, d, p) =
 * (8192, 512, 1024), for H = Z W^T and the gradient product G^T Z, against a plain float64 JavaScript reference in
 * the same run; then the wall time of the seed-001 learning-curve preset at n = d^1.65 (one seed) on the fastest
 * backend against the same run on the js-cpu backend. Target (issue 7): fastest backend within 2x of the machine's
 * BLAS. numpy is not run here: the issue18 section (bench/issue18dense.ts) measures it in the same run, with this
 * machine's OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for that command (the old "70-120 GFLOP/s" was numpy on the slow
 * kernel those settings force).
 */
import { BACKEND_NAMES, type TensorBackend } from "../src/tensors/backend.js";
import { createBackend } from "../src/tensors/select.js";
import { matmulInto } from "../src/tensors/jsCpu.js";
import { matrix } from "../src/tensors/matrix.js";
import { simulateGiantStep } from "../src/simulations/batch/giantStep.js";
import { GIANT_STEP_PRESETS } from "../src/simulations/batch/presets.js";

const [N, D, P] = [8192, 512, 1024];

function randomMatrix(rows: number, cols: number, seed: number) {
  const m = matrix(rows, cols);
  let s = seed >>> 0;
  for (let i = 0; i < m.data.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; m.data[i] = s / 2 ** 32 - 0.5; }
  return m;
}

async function gflops(b: TensorBackend, reps = 3): Promise<{ forward: number; gradient: number }> {
  const Z = randomMatrix(N, D, 1), W = randomMatrix(P, D, 2), G = randomMatrix(N, P, 3);
  await b.matmul(Z, W, { transB: true }); // warm-up (session creation, wasm compilation)
  const time = async (f: () => Promise<unknown>) => {
    let best = Infinity;
    for (let r = 0; r < reps; r++) { const t0 = performance.now(); await f(); best = Math.min(best, (performance.now() - t0) / 1000); }
    return (2 * N * D * P) / best / 1e9;
  };
  return { forward: await time(() => b.matmul(Z, W, { transB: true })), gradient: await time(() => b.matmul(G, Z, { transA: true })) };
}

function float64Reference(): number {
  const Z = randomMatrix(N, D, 1), W = randomMatrix(P, D, 2);
  const Z64 = { rows: N, cols: D, data: Float64Array.from(Z.data) }, W64 = { rows: P, cols: D, data: Float64Array.from(W.data) };
  const out = new Float64Array(N * P);
  const t0 = performance.now();
  matmulInto(Z64, W64, out, { transB: true });
  return (2 * N * D * P) / ((performance.now() - t0) / 1000) / 1e9;
}

export async function benchBatch(): Promise<string> {
  const lines = [`matrix product at (n, d, p) = (${N}, ${D}, ${P}), best of 3, GFLOP/s (2ndp flops)`];
  const loaded: { b: TensorBackend; rate: number }[] = [];
  for (const name of BACKEND_NAMES) {
    let b: TensorBackend;
    try { b = await createBackend(name); } catch (e) {
      lines.push(`  ${name.padEnd(10)} not available: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
      continue;
    }
    const r = await gflops(b, name === "js-cpu" ? 1 : 3);
    lines.push(`  ${name.padEnd(10)} Z W^T ${r.forward.toFixed(1).padStart(6)}   G^T Z ${r.gradient.toFixed(1).padStart(6)}   (${b.detail})`);
    loaded.push({ b, rate: Math.min(r.forward, r.gradient) });
  }
  const ref = float64Reference();
  lines.push(`  float64 JS reference (Z W^T): ${ref.toFixed(2)} GFLOP/s`);
  const best = loaded.reduce((x, y) => (y.rate > x.rate ? y : x));
  lines.push(`  fastest: ${best.b.name} at ${best.rate.toFixed(1)} GFLOP/s (numpy's GEMM, measured in the same run: the issue18 section's GEMM row)`);

  const preset = GIANT_STEP_PRESETS.find((p) => p.name === "learning-curve")!;
  const run = preset.runs({ seeds: 1 }).find((r) => r.tag === "n=d^1.65")!;
  const jsCpu = loaded.find((l) => l.b.name === "js-cpu")!.b;
  const fast = await simulateGiantStep(run.config, best.b);
  const slow = await simulateGiantStep(run.config, jsCpu);
  lines.push(`seed-001 preset learning-curve at n = d^1.65 (d = ${run.config.d}, p = ${run.config.p}, n = ${run.config.n}), one seed:`);
  lines.push(`  ${best.b.name}: ${fast.wallSeconds.toFixed(1)} s   js-cpu reference: ${slow.wallSeconds.toFixed(1)} s   speed-up ${(slow.wallSeconds / fast.wallSeconds).toFixed(1)}x`);
  lines.push(`  test MSE ${fast.summary?.testMSE.mean.toFixed(4)} (${best.b.name}) vs ${slow.summary?.testMSE.mean.toFixed(4)} (js-cpu): same seed, agreement to float32 rounding expected`);
  for (const l of loaded) await l.b.dispose();
  return lines.join("\n");
}
