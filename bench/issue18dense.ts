/**
 * Issue 18's dense-kernel and start-up rows (sections 3 and 4), each with its baseline measured in the same run and
 * its target:
 * - dense float32 GEMM 4096x1024x1024: numpy/OpenBLAS with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset in that one
 *   command (the kernel it used is printed) against onnxruntime-node, by wall time and per CPU-second;
 * - one giant step (notebook protocol, d = 512, p = 1024) in numpy and in index-lab at equal work, CPU seconds;
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
import { matrix } from "../src/tensors/matrix.js";
import { GIANT_STEP_DEFAULTS, simulateGiantStep, type GiantStepConfig } from "../src/simulations/batch/giantStep.js";
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

interface OnnxGemm { readonly nn: number; readonly nt: number; readonly perCpuSecond: number; readonly detail: string }

/** onnxruntime-node on 4096x1024 times 1024x1024 (B as is, and B stored transposed): best of 7 each, wall and CPU. */
async function onnxGemm(): Promise<OnnxGemm | null> {
  let b;
  try { b = await createBackend("onnx"); } catch { return null; }
  const [M, K, N] = [4096, 1024, 1024];
  const rnd = (r: number, c: number, seed: number) => { const m = matrix(r, c); let s = seed; for (let i = 0; i < m.data.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; m.data[i] = s / 2 ** 32 - 0.5; } return m; };
  const A = rnd(M, K, 1), B = rnd(K, N, 2), Bt = rnd(N, K, 3);
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
  const detail = b.detail;
  await b.dispose();
  return { nn, nt, perCpuSecond: (2 * M * K * N) / cpuBest / 1e9, detail };
}

/** GEMM against numpy and one giant step against the numpy reproduction of the notebook, interleaved. */
export async function denseRows(): Promise<string[]> {
  const lines: string[] = [];
  const env = numpyEnv();
  // interleaved rounds (the machine is shared): the best of each over three rounds
  let npBest: Record<string, unknown> | null = null, npCpu = 0, ortBest: OnnxGemm | null = null;
  for (let round = 0; round < 3; round++) {
    const np = python("gemm.py", [], env);
    if (np && (!npBest || (np.gflops as number) > (npBest.gflops as number))) npBest = np;
    if (np) npCpu = Math.max(npCpu, np.gflopsPerCpuSecond as number);
    const o = await onnxGemm();
    if (o) ortBest = ortBest ? { nn: Math.max(ortBest.nn, o.nn), nt: Math.max(ortBest.nt, o.nt), perCpuSecond: Math.max(ortBest.perCpuSecond, o.perCpuSecond), detail: o.detail } : o;
  }
  const npRate = npBest ? (npBest.gflops as number) : NaN;
  lines.push("dense f32 GEMM 4096x1024x1024 (best of 3 interleaved rounds; GFLOP/s over wall time, and GFLOP per CPU-second of all threads):");
  lines.push(`  baseline numpy (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset for this command): ${npBest ? `${npRate.toFixed(1)} GFLOP/s, ${npCpu.toFixed(1)} GFLOP/CPU-s, ${String(npBest.kernel)}` : "python3/numpy not available: no baseline"}`);
  if (ortBest) {
    const worst = Math.min(ortBest.nn, ortBest.nt), wallRatio = worst / npRate, cpuRatio = ortBest.perCpuSecond / npCpu;
    lines.push(`  onnxruntime-node (${ortBest.detail}): A B ${ortBest.nn.toFixed(1)} GFLOP/s (${(ortBest.nn / npRate).toFixed(2)}x), A B^T ${ortBest.nt.toFixed(1)} GFLOP/s (${(ortBest.nt / npRate).toFixed(2)}x), ${ortBest.perCpuSecond.toFixed(1)} GFLOP/CPU-s (${cpuRatio.toFixed(2)}x numpy's); target >= 0.9x numpy: ${wallRatio >= 0.9 && cpuRatio >= 0.9 ? "met" : `NOT met (wall ${wallRatio.toFixed(2)}x, CPU ${cpuRatio.toFixed(2)}x)`} (${load()})`);
  } else lines.push("  onnxruntime-node: not available");
  // one giant step, notebook protocol (no random-features baseline), equal work in numpy and index-lab, CPU seconds
  lines.push("one giant step, d = 512, p = 1024, notebook protocol, n_test = 8192 (CPU seconds, all threads, best of 2 interleaved):");
  const giantConfig = (n: number): GiantStepConfig => ({
    ...GIANT_STEP_DEFAULTS, target: "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))",
    d: 512, p: 1024, n, nRefit: n, nTest: 8192, steps: 1, preprocess: true, ridge: 1, eta: "10*sqrt(n*p)",
    secondLayer: "gaussian", init: "random", seeds: 1, masterSeed: 1, protocol: "notebook",
  });
  const giantBackend = await createBackend("onnx").catch(async () => createBackend("js-cpu"));
  for (const n of [3326, 29532]) {
    let np: Record<string, unknown> | null = null, ours = Infinity, oursRate = 0;
    for (let round = 0; round < 2; round++) {
      const r = python("giant_step.py", ["512", "1024", String(n), "8192"], env);
      if (r && (!np || (r.cpuSeconds as number) < (np.cpuSeconds as number))) np = r;
      const c0 = process.cpuUsage();
      const res = await simulateGiantStep(giantConfig(n), giantBackend);
      const c = process.cpuUsage(c0);
      oursRate = Math.max(oursRate, res.throughput.gflopPerSecond);
      ours = Math.min(ours, (c.user + c.system) / 1e6);
    }
    const npCpu = np ? (np.cpuSeconds as number) : NaN;
    lines.push(`  n = ${n}: baseline numpy ${np ? `${npCpu.toFixed(2)} CPU-s, ${(np.gflops as number).toFixed(1)} GFLOP/CPU-s (${String(np.kernel)})` : "python3/numpy not available"}; index-lab (${giantBackend.name}) ${ours.toFixed(2)} CPU-s, ${oursRate.toFixed(1)} GFLOP/s of matmul over wall, the figure its --json reports (${(ours / npCpu).toFixed(2)}x numpy's CPU time); target <= 1.0x: ${ours <= npCpu ? "met" : "NOT met"} (${load()})`);
  }
  await giantBackend.dispose();
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
  const row = (name: string, args: string[], target: number) => {
    const r = bestRun(process.execPath, [cli, ...args], 7);
    return `  ${name.padEnd(20)} ${cpuText(r)}, ${r.wall.toFixed(2)} s wall: ${over(r).toFixed(2)} s over node (${r.cpu !== null ? "CPU" : "wall"}); target <= ${target} s over node: ${over(r) <= target && !r.failed ? "met" : "NOT met"}`;
  };
  lines.push(`CLI start-up, best of 7 by CPU time (user + system) and by wall time (baseline node -e 0: ${cpuText(node0)}, ${node0.wall.toFixed(2)} s wall; ${load()}):`);
  lines.push(row("--version", ["--version"], 0.3), row("--help", ["--help"], 0.3), row('analyze "z^3-3*z"', ["analyze", "z^3-3*z"], 0.3), row('predict "z^3-3*z"', ["predict", "z^3-3*z"], 0.3));
  // the CLI itself, all links in one invocation (one process, start-up included), default options
  const t20 = bestRun(process.execPath, [cli, "analyze", ...BENCH_LINKS], 3);
  const t20s = t20.cpu ?? t20.wall;
  lines.push(`  index-lab analyze <the 20 bench links> (bench/analyze.ts: polynomials, He(4,z), relu, abs, sign, step, tanh, erf, kinks of polynomials), one process, best of 3: ${cpuText(t20)}, ${t20.wall.toFixed(2)} s wall, with start-up; baseline: the mpmath 40-digit oracle, 118 s (issue 18's table, not re-run: ${(118 / t20s).toFixed(0)}x); target <= 2 s: ${t20s <= 2 && !t20.failed ? "met" : "NOT met"} (${load()})`);
  const tm = bestRun(process.execPath, [cli, "analyze", ...MULTI_INDEX_LINKS], 3);
  lines.push(`  beside them, index-lab analyze ${MULTI_INDEX_LINKS.map((l) => `"${l}"`).join(" ")} (multi-index products: tensor-grid AMP thresholds), one process: ${cpuText(tm)}, ${tm.wall.toFixed(2)} s wall (${load()})`);
  return lines;
}
