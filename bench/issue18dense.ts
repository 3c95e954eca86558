/**
 * Issue 18's dense-kernel and start-up rows (sections 3 and 4), each with its baseline measured in the same run and
 * its target:
 * - dense float32 GEMM 4096x1024x1024: numpy/OpenBLAS with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset in that one
 *   command (the kernel it used is printed) against index-lab's openblas backend (the system's OpenBLAS through
 *   koffi, when both are installed; its kernel as `doctor --tune-blas` chose it, measured first when this machine has
 *   no such measurement) and onnxruntime-node for reference, by wall time and per CPU-second;
 * - one giant step (notebook protocol, d = 512, p = 1024) in numpy and in index-lab (openblas, onnx) at equal work,
 *   CPU seconds;
 * - the he3 batch-reuse preset's runs (one seed) against bench/python/batch_reuse.py, CPU seconds;
 * each with numpy and index-lab alternated and the median of the per-round ratios;
 * - CLI start-up against `node -e 0` (CPU and wall), and `index-lab analyze` of the 20 bench links in one process.
 * Run alone with `npm run bench -- issue18-dense issue18-startup`; `npm run bench -- issue18` runs them with the rest.
 * The machine may be shared: the load average is printed with the figures, and every target is judged on ratios.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createBackend } from "../src/tensors/select.js";
import { GIANT_STEP_DEFAULTS, simulateGiantStep, type GiantStepConfig } from "../src/simulations/batch/giantStep.js";
import { simulateBatchReuse } from "../src/simulations/batch/batchReuse.js";
import { BATCH_REUSE_PRESETS } from "../src/simulations/batch/presets.js";
import { forgetRecentBlocks } from "../src/tensors/data.js";
import { probeOpenblas } from "../src/tensors/openblas.js";
import { describeTuning, filledMatrix, readKernelTuning, tuneOpenblasKernel, tuningFile } from "../src/tensors/openblasKernel.js";
import { quantile } from "../src/numeric/statistics.js";
import { BENCH_LINKS } from "./analyze.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const cli = path.join(root, "dist", "src", "cli", "main.js");
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(" ")}`;

function python(script: string, args: string[], env: NodeJS.ProcessEnv): Record<string, unknown> | null {
  const r = spawnSync("python3", [path.join(root, "bench", "python", script), ...args], { env, encoding: "utf8" });
  if (r.status !== 0) return null;
  try { return JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>; } catch { return null; }
}

/** The environment of the numpy baselines: this machine's OpenBLAS overrides removed (this command only). */
function numpyEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; delete env.OPENBLAS_L2_SIZE;
  return env;
}

const TIME = "/usr/bin/time";

/** Best wall and CPU time of a command's runs, and whether any run failed. */
export interface BestRun { readonly wall: number; readonly cpu: number | null; readonly failed: boolean }

/**
 * Best wall time and best CPU time (user + system of the child, by /usr/bin/time when it is installed, else null) of
 * `reps` runs of a command: on a shared machine the CPU figure is the one to compare.
 */
export function bestRun(cmd: string, args: string[], reps = 5): BestRun {
  let wall = Infinity, cpu = Infinity, failed = false;
  const timed = existsSync(TIME);
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = timed
      ? spawnSync(TIME, ["-f", "%U %S", cmd, ...args], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] })
      : spawnSync(cmd, args, { stdio: "ignore" });
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    if (r.status !== 0) failed = true;
    const m = timed ? /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(String(r.stderr)) : null;
    if (m) cpu = Math.min(cpu, Number(m[1]) + Number(m[2]));
  }
  return { wall, cpu: Number.isFinite(cpu) ? cpu : null, failed };
}

interface GemmRate { readonly nn: number; readonly nt: number; readonly perCpuSecond: number; readonly detail: string }

/** The median of a non-empty list. */
const median = (xs: readonly number[]) => quantile(xs, 0.5);

type Backend = Awaited<ReturnType<typeof createBackend>>;

/**
 * One backend on 4096x1024 times 1024x1024 (B as is, and B stored transposed), the same protocol as gemm.py: inputs
 * allocated outside the timing, one warm-up product, best of 7 by wall and by CPU time (all threads).
 */
async function gemmRate(b: Backend): Promise<GemmRate> {
  const [M, K, N] = [4096, 1024, 1024];
  const A = filledMatrix(M, K, 1), B = filledMatrix(K, N, 2), Bt = filledMatrix(N, K, 3);
  let cpuBest = Infinity;
  const rate = async (f: () => Promise<unknown>) => {
    await f();
    let best = Infinity;
    for (let r = 0; r < 7; r++) {
      const t0 = performance.now(), c0 = process.cpuUsage();
      await f();
      const c = process.cpuUsage(c0);
      best = Math.min(best, (performance.now() - t0) / 1000);
      cpuBest = Math.min(cpuBest, (c.user + c.system) / 1e6);
    }
    return (2 * M * K * N) / best / 1e9;
  };
  const nn = await rate(() => b.matmul(A, B)), nt = await rate(() => b.matmul(A, Bt, { transB: true }));
  return { nn, nt, perCpuSecond: (2 * M * K * N) / cpuBest / 1e9, detail: b.detail };
}

/** Giant-step configuration of the notebook protocol at d = 512, p = 1024 (what bench/python/giant_step.py reproduces). */
const giantConfig = (n: number): GiantStepConfig => ({
  ...GIANT_STEP_DEFAULTS, target: "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))",
  d: 512, p: 1024, n, nRefit: n, nTest: 8192, steps: 1, preprocess: true, ridge: 1, eta: "10*sqrt(n*p)",
  secondLayer: "gaussian", init: "random", seeds: 1, masterSeed: 1, protocol: "notebook",
});

/** CPU seconds (user + system, all threads) of an async call. */
async function cpuOf<T>(f: () => Promise<T>): Promise<{ cpu: number; value: T }> {
  const c0 = process.cpuUsage();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, value };
}

/**
 * The dense backends measured against numpy: openblas (the system's OpenBLAS through koffi) when it loads, and
 * onnxruntime for reference. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from this process's environment before
 * OpenBLAS is loaded, as they are for numpy's command, so both OpenBLAS builds pick their kernel by themselves.
 */
async function denseBackends(lines: string[]): Promise<{ backends: Backend[]; missing: string[] }> {
  delete process.env.OPENBLAS_CORETYPE; delete process.env.OPENBLAS_L2_SIZE;
  // the kernel measurement index-lab's setup stores (doctor --tune-blas), made now when this machine has none
  if (probeOpenblas(false).available && readKernelTuning().tuning === null && tuningFile() !== null) {
    const t0 = performance.now();
    try {
      const t = tuneOpenblasKernel();
      lines.push(`no OpenBLAS kernel tuning for this CPU: measured now (index-lab doctor --tune-blas, ${((performance.now() - t0) / 1000).toFixed(0)} s): ${describeTuning(t)}`);
    } catch (e) { lines.push(`OpenBLAS kernel tuning failed: ${(e as Error).message}`); }
  }
  const backends: Backend[] = [], missing: string[] = [];
  for (const name of ["openblas", "onnx"] as const) {
    try { backends.push(await createBackend(name)); } catch (e) { missing.push(`${name}: not available (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`); }
  }
  if (!backends.length) backends.push(await createBackend("js-cpu"));
  return { backends, missing };
}

/**
 * GEMM against numpy, one giant step against the numpy reproduction of the notebook, and the he3 batch-reuse preset's
 * runs against bench/python/batch_reuse.py, numpy and index-lab repetitions alternated (the machine is shared): each
 * ratio is the median of the per-round ratios. GEMM and giant step run every dense backend (openblas, onnx) in each
 * round; batch reuse runs the first (the one `--backend auto` picks among them). index-lab's remembered data blocks
 * are forgotten before each of its runs, so that every run draws its normals (equal work with numpy, which draws them
 * every time).
 */
export async function denseRows(): Promise<string[]> {
  const lines: string[] = [];
  const env = numpyEnv();
  const { backends, missing } = await denseBackends(lines);
  const dense = backends.filter((b) => b.name !== "js-cpu");
  const rounds = 7;
  const np: Record<string, unknown>[] = [], rates: GemmRate[][] = dense.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const r = python("gemm.py", [], env);
    if (r) np.push(r);
    for (const [i, b] of dense.entries()) rates[i]!.push(await gemmRate(b));
  }
  lines.push(`dense f32 GEMM 4096x1024x1024, numpy and ${dense.map((b) => b.name).join(" and ") || "no dense backend"} alternated over ${rounds} rounds (each round best of 7 after a warm-up, inputs allocated outside the timing, as gemm.py does); GFLOP/s over wall time and GFLOP per CPU-second of all threads; ratios: median over rounds (${load()}):`);
  if (!np.length) lines.push("  baseline numpy: python3/numpy not available: no baseline");
  else lines.push(`  baseline numpy (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset for this command): median ${median(np.map((x) => x.gflops as number)).toFixed(1)} GFLOP/s, ${median(np.map((x) => x.gflopsPerCpuSecond as number)).toFixed(1)} GFLOP/CPU-s, ${String(np[0]!.kernel)}`);
  for (const [i, b] of dense.entries()) {
    const rs = rates[i]!;
    const label = b.name === "openblas" ? "openblas (koffi)" : b.name === "onnx" ? `onnxruntime-node${dense.length > 1 ? " (reference)" : ""}` : b.name;
    if (!np.length) { lines.push(`  ${label} (${b.detail}): A B median ${median(rs.map((o) => o.nn)).toFixed(1)} GFLOP/s, A B^T ${median(rs.map((o) => o.nt)).toFixed(1)} GFLOP/s, ${median(rs.map((o) => o.perCpuSecond)).toFixed(1)} GFLOP/CPU-s`); continue; }
    const m = Math.min(np.length, rs.length);
    const ratio = (f: (o: GemmRate) => number, g: (n: Record<string, unknown>) => number) => median(Array.from({ length: m }, (_, j) => f(rs[j]!) / g(np[j]!)));
    const rNN = ratio((o) => o.nn, (x) => x.gflops as number), rNT = ratio((o) => o.nt, (x) => x.gflops as number);
    const rCpu = ratio((o) => o.perCpuSecond, (x) => x.gflopsPerCpuSecond as number);
    const wall = Math.min(rNN, rNT);
    lines.push(`  ${label} (${b.detail}): A B median ${median(rs.map((o) => o.nn)).toFixed(1)} GFLOP/s (${rNN.toFixed(2)}x), A B^T ${median(rs.map((o) => o.nt)).toFixed(1)} GFLOP/s (${rNT.toFixed(2)}x), ${median(rs.map((o) => o.perCpuSecond)).toFixed(1)} GFLOP/CPU-s (${rCpu.toFixed(2)}x numpy's); target >= 0.9x numpy: ${wall >= 0.9 && rCpu >= 0.9 ? "met" : `NOT met (wall ${wall.toFixed(2)}x, CPU ${rCpu.toFixed(2)}x)`} (${load()})`);
  }
  for (const x of missing) lines.push(`  ${x}`);
  // one giant step, notebook protocol (no random-features baseline), equal work in numpy and index-lab, CPU seconds
  lines.push(`one giant step, d = 512, p = 1024, notebook protocol, n_test = 8192, numpy and index-lab (${backends.map((b) => b.name).join(", ")}) alternated over 5 rounds at n = 3326 and 3 at n = 29532 after one unmeasured index-lab run per backend (CPU seconds, all threads; ratio: median over rounds):`);
  // one unmeasured index-lab run first: JIT compilation, the float64 session, the target's parse and moments (numpy's
  // figure likewise excludes the interpreter's start and numpy's import: giant_step.py times from after its imports)
  for (const b of backends) { forgetRecentBlocks(); await simulateGiantStep(giantConfig(3326), b); }
  for (const n of [3326, 29532]) {
    const npCpu: number[] = [], npRate: number[] = [];
    const per = backends.map(() => ({ ratios: [] as number[], ours: [] as number[], oursRate: [] as number[], jsonRate: [] as number[] }));
    let kernel = "";
    for (let round = 0; round < (n < 10000 ? 5 : 3); round++) {
      const r = python("giant_step.py", ["512", "1024", String(n), "8192"], env);
      if (r) { npCpu.push(r.cpuSeconds as number); npRate.push(r.gflops as number); kernel = String(r.kernel); }
      for (const [i, b] of backends.entries()) {
        forgetRecentBlocks();
        const { cpu, value: res } = await cpuOf(() => simulateGiantStep(giantConfig(n), b));
        const o = per[i]!;
        o.ours.push(cpu); o.oursRate.push(res.throughput.matmulGflop / cpu); o.jsonRate.push(res.throughput.gflopPerSecond);
        if (r) o.ratios.push(cpu / (r.cpuSeconds as number));
      }
    }
    lines.push(`  n = ${n}: baseline numpy ${npCpu.length ? `${median(npCpu).toFixed(2)} CPU-s, ${median(npRate).toFixed(1)} GFLOP/CPU-s (${kernel})` : "python3/numpy not available"} (${load()})`);
    for (const [i, b] of backends.entries()) {
      const o = per[i]!;
      const ratio = o.ratios.length ? median(o.ratios) : NaN;
      lines.push(`    index-lab (${b.name}${b.name === "onnx" && backends.length > 1 ? ", reference" : ""}) ${median(o.ours).toFixed(2)} CPU-s, ${median(o.oursRate).toFixed(1)} GFLOP/CPU-s (matmul GFLOP of its --json over its CPU time; its --json's throughput.gflopPerSecond, over wall time: ${median(o.jsonRate).toFixed(1)}), ${ratio.toFixed(2)}x numpy's CPU time; target <= 1.0x: ${ratio <= 1 ? "met" : "NOT met"}`);
    }
  }
  // the he3 batch-reuse preset's runs (its default sizes, one seed) against the numpy reproduction of the same run
  const backend = backends[0]!;
  lines.push(`batch-reuse preset he3 (He3(z)/sqrt(6), ReLU, p = 2, alpha = 5, eta = 0.2, T = 2, n_test = 2048), one seed, numpy and index-lab (${backend.name}) alternated over 5 rounds after one unmeasured index-lab run per configuration, as for the giant step (CPU seconds; ratio: median over rounds):`);
  const he3 = BATCH_REUSE_PRESETS.find((p) => p.name === "he3")!;
  for (const run of he3.runs({ seeds: 1 })) {
    const c = run.config;
    const ratios: number[] = [], npCpu: number[] = [], ours: number[] = [], oursRate: number[] = [], npRate: number[] = [];
    // the d = 500 runs take 0.03-0.08 CPU-s once compiled; the first, with JIT compilation, 0.15
    forgetRecentBlocks(); await simulateBatchReuse(c, backend);
    for (let round = 0; round < 5; round++) {
      const r = python("batch_reuse.py", [String(c.d), String(c.p), String(c.steps), c.algorithm], env);
      forgetRecentBlocks();
      const { cpu, value: res } = await cpuOf(() => simulateBatchReuse(c, backend));
      ours.push(cpu); oursRate.push(res.throughput.matmulGflop / cpu);
      if (r) { npCpu.push(r.cpuSeconds as number); npRate.push(r.gflopPerCpuSecond as number); ratios.push(cpu / (r.cpuSeconds as number)); }
    }
    const ratio = ratios.length ? median(ratios) : NaN;
    lines.push(`  ${run.tag}: baseline numpy ${npCpu.length ? `${median(npCpu).toFixed(2)} CPU-s, ${median(npRate).toFixed(2)} GFLOP/CPU-s` : "python3/numpy not available"}; index-lab (${backend.name}) ${median(ours).toFixed(2)} CPU-s, ${median(oursRate).toFixed(2)} GFLOP/CPU-s (matmul GFLOP of its --json over its CPU time), ${ratio.toFixed(2)}x numpy's CPU time; target <= 1.0x: ${ratio <= 1 ? "met" : "NOT met"} (${load()})`);
  }
  for (const b of backends) await b.dispose();
  return lines;
}

/** Multi-index products analysed beside the 20 bench links (tensor-grid AMP thresholds: the slowest typical links). */
export const MULTI_INDEX_LINKS = ["z1*z2", "sign(z1*z2*z3)", "He(2,z1) + z2"];

/** CLI start-up of --version, --help, analyze and predict against node -e 0, and analyze of the 20 bench links. */
export function startupRows(): string[] {
  if (!existsSync(cli)) return ["CLI start-up: dist/src/cli/main.js not built"];
  const lines: string[] = [];
  const node0 = bestRun(process.execPath, ["-e", "0"], 7);
  const cpuText = (r: BestRun) => `${r.cpu === null ? "CPU n/a (no /usr/bin/time)" : `${r.cpu.toFixed(2)} CPU-s`}${r.failed ? " (A RUN FAILED)" : ""}`;
  const over = (r: BestRun) => (r.cpu !== null && node0.cpu !== null ? r.cpu - node0.cpu : r.wall - node0.wall);
  // aim: the margin a loaded machine needs below the target (analyze and predict: half of it)
  const row = (name: string, args: string[], target: number, aim?: number) => {
    const r = bestRun(process.execPath, [cli, ...args], 7);
    const margin = aim === undefined ? "" : `; margin aim <= ${aim} s: ${over(r) <= aim && !r.failed ? "met" : "NOT met"}`;
    return `  ${name.padEnd(20)} ${cpuText(r)}, ${r.wall.toFixed(2)} s wall: ${over(r).toFixed(2)} s over node (${r.cpu !== null ? "CPU" : "wall"}); target <= ${target} s over node: ${over(r) <= target && !r.failed ? "met" : "NOT met"}${margin}`;
  };
  lines.push(`CLI start-up, best of 7 by CPU time (user + system) and by wall time (baseline node -e 0: ${cpuText(node0)}, ${node0.wall.toFixed(2)} s wall; ${load()}):`);
  lines.push(row("--version", ["--version"], 0.3), row("--help", ["--help"], 0.3), row('analyze "z^3-3*z"', ["analyze", "z^3-3*z"], 0.3, 0.15), row('predict "z^3-3*z"', ["predict", "z^3-3*z"], 0.3, 0.15));
  // the CLI itself, all links in one invocation (one process, start-up included), default options
  const t20 = bestRun(process.execPath, [cli, "analyze", ...BENCH_LINKS], 3);
  const t20s = t20.cpu ?? t20.wall;
  lines.push(`  index-lab analyze <the 20 bench links> (bench/analyze.ts: polynomials, He(4,z), relu, abs, sign, step, tanh, erf, kinks of polynomials), one process, best of 3: ${cpuText(t20)}, ${t20.wall.toFixed(2)} s wall, with start-up; baseline: the mpmath 40-digit oracle, 118 s (issue 18's table, not re-run: ${(118 / t20s).toFixed(0)}x); target <= 2 s: ${t20s <= 2 && !t20.failed ? "met" : "NOT met"} (${load()})`);
  const tm = bestRun(process.execPath, [cli, "analyze", ...MULTI_INDEX_LINKS], 3);
  lines.push(`  beside them, index-lab analyze ${MULTI_INDEX_LINKS.map((l) => `"${l}"`).join(" ")} (multi-index products: tensor-grid AMP thresholds), one process: ${cpuText(tm)}, ${tm.wall.toFixed(2)} s wall (${load()})`);
  return lines;
}
