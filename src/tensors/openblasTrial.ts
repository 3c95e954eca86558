/**
 * One trial of an OpenBLAS kernel, run as a child process by `tuneOpenblasKernel` (src/tensors/openblasKernel.ts):
 * the kernel is fixed when the library loads (OPENBLAS_CORETYPE, set by the parent), so each kernel is measured in a
 * process of its own. Prints one JSON line: the kernel OpenBLAS reports, its build (openblas_get_config), and the float32 GEMM rates
 * (GFLOP/s over wall time, best of 3 after a warm-up) on {@link TRIAL_SHAPES}; or, when the backend does not load, why.
 */
import { createOpenblasBackend, openblasIdentity } from "./openblas.js";
import { TRIAL_SHAPES, filledMatrix as filled } from "./openblasKernel.js";

const backend = await createOpenblasBackend().catch((e: unknown) => {
  // the parent reads why from the last stdout line
  process.stdout.write(`${JSON.stringify({ failed: (e instanceof Error ? e.message : String(e)).split("\n")[0] })}\n`);
  process.exit(1);
});
const gflops: number[] = [];
for (const [i, s] of TRIAL_SHAPES.entries()) {
  const a = s.transA ? filled(s.k, s.m, 2 * i + 1) : filled(s.m, s.k, 2 * i + 1);
  const b = s.transB ? filled(s.n, s.k, 2 * i + 2) : filled(s.k, s.n, 2 * i + 2);
  const out = new Float32Array(s.m * s.n);
  const product = () => backend.matmul(a, b, { transA: s.transA, transB: s.transB, out });
  await product();
  let best = Infinity;
  for (let r = 0; r < 3; r++) { const t0 = performance.now(); await product(); best = Math.min(best, (performance.now() - t0) / 1000); }
  gflops.push((2 * s.m * s.k * s.n) / best / 1e9);
}
const id = openblasIdentity()!;
process.stdout.write(`${JSON.stringify({ config: id.config, core: id.core, gflops })}\n`);
