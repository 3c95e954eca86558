/**
 * The OpenBLAS kernel chosen by measurement, FFTW-wisdom style: `index-lab doctor --tune-blas` measures the kernel
 * OpenBLAS picks by itself against the others this CPU runs, each in a child process of its own (the kernel is fixed
 * when the library loads: OPENBLAS_CORETYPE), the kernels alternated over several rounds (the machine may be shared),
 * and writes the choice to `<cache>/openblas-kernel.json`. The backend (src/tensors/openblas.ts) then loads OpenBLAS
 * with that kernel when OPENBLAS_CORETYPE is unset, and its `detail` says so. The choice is stored, never re-measured
 * in a run, so that a run's float32 rounding (which depends on the kernel) is the same from one run to the next.
 *
 * Why: on the Zen 4 build machine Debian's OpenBLAS 0.3.21 picks its Cooperlake kernel, and its Haswell kernel was
 * 3-5 % faster on 4096x1024x1024 (C harness, 40 alternated rounds: 1.03x numpy's 0.3.31 against 0.99x), but not on
 * every shape or under load: a rule keyed to one CPU model would be tuned to one machine, a measurement is not.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDirectory } from "../io/cacheDirectory.js";
import { writeAtomic } from "../io/durable.js";
import { InputError } from "../link/errors.js";
import { median } from "../numeric/statistics.js";
import { matrix, type Matrix } from "./matrix.js";

/** One product of a trial: op(A) is m x k, op(B) k x n. */
export interface TrialShape { readonly m: number; readonly k: number; readonly n: number; readonly transA: boolean; readonly transB: boolean }

/**
 * The products a trial times: the issue-18 GEMM (A B and A B^T, 4096x1024x1024) and the giant step's two products at
 * d = 512, p = 1024 on 8192 samples (X W^T, and the gradient X^T G).
 */
export const TRIAL_SHAPES: readonly TrialShape[] = [
  { m: 4096, k: 1024, n: 1024, transA: false, transB: false },
  { m: 4096, k: 1024, n: 1024, transA: false, transB: true },
  { m: 8192, k: 512, n: 1024, transA: false, transB: true },
  { m: 512, k: 8192, n: 1024, transA: true, transB: false },
];

/** A trial's input: Uniform(-1/2, 1/2) entries from a linear congruential sequence (only the shape matters). */
export function filledMatrix(rows: number, cols: number, seed: number): Matrix {
  const m = matrix(rows, cols);
  let s = seed;
  for (let i = 0; i < m.data.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; m.data[i] = s / 2 ** 32 - 0.5; }
  return m;
}

/** Kernels tried besides OpenBLAS's own choice (x86-64 builds with DYNAMIC_ARCH; elsewhere none). */
export const CANDIDATE_KERNELS: readonly string[] = process.arch === "x64" ? ["Haswell", "SkylakeX", "Cooperlake", "Zen"] : [];

/** A candidate replaces OpenBLAS's own kernel only when its median per-round ratio is at least 1 + MARGIN ... */
export const MARGIN = 0.02;
/** ... and it is faster in at least this fraction of the rounds (10 rounds: 8 wins, one-sided sign test p = 0.055). */
export const WIN_FRACTION = 0.8;

/** The rounds of one kernel: its score in each round (geometric mean of the shapes' GFLOP/s; NaN: the trial failed). */
export interface KernelRounds { readonly kernel: string; readonly scores: readonly number[] }

/** The decision and what it rests on. */
export interface KernelChoice {
  /** OPENBLAS_CORETYPE to set, or null: OpenBLAS's own choice. */
  readonly kernel: string | null;
  /** Every candidate's median per-round ratio to OpenBLAS's own kernel and its wins, by kernel name. */
  readonly ratios: Readonly<Record<string, { readonly median: number; readonly wins: number }>>;
  readonly rounds: number;
}

/**
 * Choose between OpenBLAS's own kernel (`own`) and the candidates from alternated rounds: per round the ratio of a
 * candidate's score to `own`'s; a candidate with a failed round is out; among those whose median ratio is at least
 * 1 + {@link MARGIN} and that win at least {@link WIN_FRACTION} of the rounds, the largest median ratio wins.
 */
export function chooseKernel(own: readonly number[], candidates: readonly KernelRounds[]): KernelChoice {
  const rounds = own.length;
  const ratios: Record<string, { median: number; wins: number }> = {};
  let kernel: string | null = null, best = 1 + MARGIN;
  for (const c of candidates) {
    if (c.scores.length !== rounds || rounds === 0) continue;
    const r = c.scores.map((s, j) => s / own[j]!);
    if (r.some((x) => !Number.isFinite(x))) continue;
    const m = median(r), wins = r.filter((x) => x > 1).length;
    ratios[c.kernel] = { median: m, wins };
    if (m >= best && wins >= Math.ceil(WIN_FRACTION * rounds)) { kernel = c.kernel; best = m; }
  }
  return { kernel, ratios, rounds };
}

/** What is stored: the choice, the machine and library it was measured on, and when. */
export interface KernelTuning extends KernelChoice {
  readonly version: 1;
  /** CPU model (os.cpus()[0].model) and core count the measurement was made on. */
  readonly cpu: string;
  /** INDEX_LAB_OPENBLAS at tuning time ("" when unset: the usual library search). */
  readonly library: string;
  /** OpenBLAS's build ({@link buildOf} openblas_get_config) and its own kernel (openblas_get_corename) at tuning time. */
  readonly config: string;
  readonly ownKernel: string;
  readonly measured: string;
}

/** An OpenBLAS build without the kernel name that openblas_get_config includes (the same build under any kernel). */
export const buildOf = (config: string, core: string) => config.split(/\s+/).filter((w) => w.toLowerCase() !== core.toLowerCase()).join(" ");

/** The machine a tuning belongs to. */
export const cpuIdentity = () => `${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${cpus().length} cores`;

/** The tuning file: INDEX_LAB_OPENBLAS_TUNING when it names a file, else `<cache>/openblas-kernel.json`; null when `off`. */
export function tuningFile(): string | null {
  const env = process.env.INDEX_LAB_OPENBLAS_TUNING?.trim();
  if (env && /^(off|0|none|false)$/i.test(env)) return null;
  return env || join(cacheDirectory(), "openblas-kernel.json");
}

/** The stored tuning when it was measured on this CPU with the same library setting, else null (with why, if one exists). */
export function readKernelTuning(): { tuning: KernelTuning | null; note: string | null } {
  const file = tuningFile();
  if (!file || !existsSync(file)) return { tuning: null, note: null };
  let t: KernelTuning;
  try { t = JSON.parse(readFileSync(file, "utf8")) as KernelTuning; } catch { return { tuning: null, note: `${file} is not valid JSON: ignored` }; }
  if (t.version !== 1 || typeof t.cpu !== "string" || (t.kernel !== null && typeof t.kernel !== "string")) return { tuning: null, note: `${file} is not a kernel tuning: ignored` };
  if (t.cpu !== cpuIdentity()) return { tuning: null, note: `${file} was measured on ${t.cpu}: ignored` };
  if (t.library !== (process.env.INDEX_LAB_OPENBLAS?.trim() ?? "")) return { tuning: null, note: `${file} was measured with INDEX_LAB_OPENBLAS=${t.library || "(unset)"}: ignored` };
  return { tuning: t, note: null };
}

/** The trial script beside this module (dist/src/tensors/openblasTrial.js once built). */
function trialScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, "openblasTrial.js");
  if (existsSync(built)) return built;
  // from the TypeScript sources (tests): the build's copy
  const dist = join(here, "..", "..", "dist", "src", "tensors", "openblasTrial.js");
  if (existsSync(dist)) return dist;
  throw new Error("the trial script dist/src/tensors/openblasTrial.js is not built (npm run build)");
}

/** One trial's result. */
export interface Trial { readonly core: string; readonly config: string; readonly gflops: readonly number[] }

/**
 * Run one trial with OPENBLAS_CORETYPE = kernel (null: unset): its rates, or why it failed (the child crashed, e.g.
 * SIGILL on a kernel this CPU lacks, or OpenBLAS reported another kernel than the one named).
 */
export function runTrial(kernel: string | null): Trial | { failed: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, INDEX_LAB_OPENBLAS_TUNING: "off" };
  delete env.OPENBLAS_CORETYPE;
  if (kernel) env.OPENBLAS_CORETYPE = kernel;
  const r = spawnSync(process.execPath, [trialScript()], { env, encoding: "utf8", timeout: 120_000 });
  let line: Partial<Trial> & { failed?: string } = {};
  try { line = JSON.parse(String(r.stdout).trim().split("\n").pop()!) as typeof line; } catch { /* no line: crashed */ }
  if (line.failed) return { failed: line.failed };
  if (r.status !== 0) return { failed: r.signal ? `killed by ${r.signal}` : `exit ${r.status}` };
  const { core, config, gflops } = line;
  if (typeof core !== "string" || typeof config !== "string" || gflops?.length !== TRIAL_SHAPES.length || !gflops.every((g) => g > 0)) return { failed: "no rates" };
  if (kernel && core.toLowerCase() !== kernel.toLowerCase()) return { failed: `OpenBLAS loaded ${core} instead` };
  return { core, config, gflops };
}

const ok = (t: Trial | { failed: string }): t is Trial => !("failed" in t);

/** Geometric mean of a trial's rates (NaN for a failed trial). */
export const trialScore = (t: Trial | { failed: string }) => (ok(t) ? Math.exp(t.gflops.reduce((s, g) => s + Math.log(g), 0) / t.gflops.length) : NaN);

/**
 * Measure OpenBLAS's own kernel against {@link CANDIDATE_KERNELS}, alternated over `rounds` rounds, choose
 * ({@link chooseKernel}) and write the tuning file (atomically). A candidate that fails or that OpenBLAS reports as
 * another kernel (or as its own) is dropped after its first round.
 * @throws InputError saying why when OpenBLAS's own kernel cannot be measured (no koffi, no library).
 */
export function tuneOpenblasKernel(options: { rounds?: number; onRound?: (round: number, rounds: number) => void } = {}): KernelTuning & { file: string | null } {
  const rounds = options.rounds ?? 10;
  const first = runTrial(null);
  if (!ok(first)) throw new InputError(`--tune-blas: OpenBLAS's own kernel could not be measured (${first.failed}); index-lab doctor says whether the openblas backend is available`);
  const ownKernel = first.core;
  let live = CANDIDATE_KERNELS.filter((k) => k.toLowerCase() !== ownKernel.toLowerCase());
  const own: number[] = [];
  const scores = new Map<string, number[]>(live.map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    options.onRound?.(round, rounds);
    own.push(trialScore(runTrial(null)));
    for (const k of live) scores.get(k)!.push(trialScore(runTrial(k)));
    live = live.filter((k) => Number.isFinite(scores.get(k)!.at(-1)!));
  }
  const choice = chooseKernel(own, [...scores].map(([kernel, s]) => ({ kernel, scores: s })));
  const tuning: KernelTuning = {
    version: 1, ...choice, cpu: cpuIdentity(), library: process.env.INDEX_LAB_OPENBLAS?.trim() ?? "",
    config: buildOf(first.config, first.core), ownKernel, measured: new Date().toISOString(),
  };
  const file = tuningFile();
  if (file) { mkdirSync(dirname(file), { recursive: true }); writeAtomic(file, `${JSON.stringify(tuning, null, 2)}\n`); }
  return { ...tuning, file };
}

/** One line on a tuning: the kernel chosen and the evidence. */
export function describeTuning(t: KernelTuning): string {
  const evidence = Object.entries(t.ratios).map(([k, r]) => `${k} ${r.median.toFixed(3)}x, faster in ${r.wins}/${t.rounds}`).join(", ");
  const what = t.kernel ? `${t.kernel} instead of OpenBLAS's own ${t.ownKernel}` : `OpenBLAS's own ${t.ownKernel}`;
  return `${what} (measured ${t.measured.slice(0, 10)} by index-lab doctor --tune-blas, ${t.rounds} alternated rounds, median rate against ${t.ownKernel}: ${evidence || "no other kernel ran"})`;
}
