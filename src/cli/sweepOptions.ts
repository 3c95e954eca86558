/**
 * Option parsing shared by the sweep commands (simulate online-sgd, verify): numbers with their allowed ranges,
 * choices, dimension grids, the sweep flags (--seed, --workers, --out, --resume, --shard, --json, --debug) and the
 * progress bar on stderr.
 */
import type { Command } from "commander";
import { runCommand, throwInput } from "./io.js";
import type { VerdictWord } from "./exitCode.js";
import { ACTIVATION_FORMS, activationText } from "./activation.js";
import { defaultWorkers, maxWorkers } from "../sweeps/runner.js";
import { runsSeconds } from "../simulations/cost.js";
import type { RunConfig } from "../simulations/config.js";
import { requireBudget } from "../experiments/budget.js";
import { PROGRESS_HELP, progressMode, progressSink } from "./progress.js";
import type { SweepProgress } from "../sweeps/sweep.js";

/** The largest number of dimensions of a grid. */
export const MAX_DIMS = 64;

/** Parse a list of dimensions: "4096", "256,512,1024", "256:16384" (doublings) or "100:10000:10" (factor 10). */
export function parseDims(text: string): number[] {
  const bad = () => throwInput(`--d '${text}' must be an integer, a list a,b,c, or a range a:b (doublings) / a:b:factor`);
  const int = (s: string) => { const v = Number(s.trim()); if (!/^\s*\d+\s*$/.test(s) || !Number.isSafeInteger(v)) bad(); return v; };
  let dims: number[];
  if (text.includes(":")) {
    const parts = text.split(":");
    if (parts.length > 3) bad();
    const a = int(parts[0]!), b = int(parts[1]!), f = parts[2] !== undefined ? Number(parts[2]) : 2;
    if (!(f > 1) || !Number.isFinite(f) || a > b || a < 1) bad();
    dims = [];
    // the grid's length is known before it is built: a factor close to 1 would otherwise fill the memory
    const points = Math.floor(Math.log(b / a) / Math.log(f) + 1e-9) + 1;
    if (!(points <= MAX_DIMS * 16)) throwInput(`--d '${text}' asks for ${Number.isFinite(points) ? points.toExponential(2) : points} grid points; at most ${MAX_DIMS} dimensions (use a larger factor)`);
    for (let x = a; x <= b * (1 + 1e-12); x *= f) dims.push(Math.round(x));
  } else dims = text.split(",").map(int);
  dims = [...new Set(dims)].sort((x, y) => x - y);
  for (const d of dims) if (d < 3) throwInput(`d must be at least 3, got ${d}`);
  if (dims.length > MAX_DIMS) throwInput(`--d lists ${dims.length} dimensions; at most ${MAX_DIMS}`);
  return dims;
}

export function numberOption(name: string, raw: string | undefined, fallback: number, check: (v: number) => boolean, what: string): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || !check(v)) throwInput(`${name} must be ${what}, got '${raw}'`);
  return v;
}

export function intOpt(name: string, raw: string | undefined, fallback: number, lo: number, hi: number): number {
  return numberOption(name, raw, fallback, (v) => Number.isInteger(v) && v >= lo && v <= hi, `an integer in [${lo}, ${hi}]`);
}

export function choice<T extends string>(name: string, raw: string | undefined, options: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!options.includes(raw as T)) throwInput(`${name} must be one of ${options.join(", ")}, got '${raw}'`);
  return raw as T;
}

/**
 * `--workers`: an integer in [0, maxWorkers()] (0: this thread), default one per core. The bound is stated in the
 * refusal: more threads than cores only cost memory.
 */
export function workersOption(raw: string | undefined): number {
  const hi = maxWorkers();
  if (raw === undefined) return defaultWorkers();
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(v) || v < 0 || v > hi) {
    throwInput(`--workers must be an integer in [0, ${hi}] (at most twice the ${defaultWorkers()} cores of this machine; 0 runs in this thread), got '${raw}'`);
  }
  return v;
}

/** The flags every sweep command accepts. */
export interface SweepFlags { progress?: string; budget?: string; yes?: boolean; seed?: string; workers?: string; out?: string; resume?: boolean; shard?: string; json?: boolean; debug?: boolean }

/** The online-SGD problem flags shared by `simulate online-sgd` and `verify`: student, loss, escape rule, noise, budget. */
export function withOnlineSgdOptions(command: Command): Command {
  return command
    .option("--student <expr>", `student activation sigma(z): ${ACTIVATION_FORMS} (default: the link, single-index links only)`, activationText)
    .option("--loss <loss>", "correlation (-y yhat) or square ((y-yhat)^2/2)", "correlation")
    .option("--threshold <m>", "escape threshold on the overlap, in (0, 1)", "0.5")
    .option("--overlap <kind>", "signed or abs (default: abs when the sign of w* is not identifiable, e.g. even links)")
    .option("--noise <spec>", "label noise: none, gaussian:SIGMA or flip:P", "none")
    .option("--max-steps <formula>", "step budget per run, a formula in d (default: 20 x the drift-ODE escape estimate)")
    .option("--budget <seconds>", "refuse a sweep whose estimated wall time exceeds this without --yes", String(DEFAULT_SWEEP_BUDGET))
    .option("--yes", "run even when the estimate exceeds the budget");
}

/** Default wall-time budget (seconds) of `simulate online-sgd` and `verify` before --yes is needed. */
export const DEFAULT_SWEEP_BUDGET = 3600;

/** The runs of one configuration of a sweep and the steps each is expected to take (the cost model). */
export interface PlannedRuns { readonly config: RunConfig; readonly runs: number; readonly steps?: number; readonly targets?: number }

/**
 * Refuse, before anything runs, an online-SGD sweep whose estimated wall time (src/simulations/cost.ts, spread over
 * the worker threads that can help and the shards) exceeds --budget, unless --yes; the refusal carries the estimate
 * and the largest per-run budget. Runs already on disk are counted too (an upper bound for a resume).
 */
export function checkSweepBudget(flags: { budget?: string; yes?: boolean }, planned: readonly PlannedRuns[], workers: number, shards: number, what: string): number {
  const budget = numberOption("--budget", flags.budget, DEFAULT_SWEEP_BUDGET, (v) => v > 0, "a number of seconds > 0");
  let seconds = 0, runs = 0, maxSteps = 0;
  for (const p of planned) {
    seconds += runsSeconds(p.config, p.runs, p.steps ?? p.config.maxSteps, p.targets ?? 1);
    runs += p.runs;
    maxSteps = Math.max(maxSteps, p.config.maxSteps);
  }
  const wall = seconds / Math.max(1, Math.min(workers, Math.ceil(runs / Math.max(1, shards)))) / Math.max(1, shards);
  requireBudget(wall, budget, !!flags.yes, `${what} (${runs} run${runs === 1 ? "" : "s"}, up to ${maxSteps.toExponential(2)} steps each)`);
  return wall;
}

/** Add the sweep flags to a command; `out` describes where --out writes. */
export function withSweepOptions(command: Command, out: string): Command {
  return command
    .option("--seed <n>", "master seed", "0")
    .option("--workers <n>", "worker threads (default: all cores)")
    .option("--out <dir>", out)
    .option("--resume", "continue the sweep in --out; finished runs are not recomputed")
    .option("--shard <i/N>", "run only the deterministic slice i of N (0 <= i < N); join with 'index-lab merge'")
    .option("--progress <mode>", PROGRESS_HELP, "auto")
    .option("--json", "print JSON")
    .option("--debug", "print stack traces of internal errors");
}

/** The estimated core-seconds of one run of `config` (the budget guard's cost model): weights the progress ETA. */
export function runCost(config: RunConfig, steps?: number, targets = 1): number {
  return runsSeconds(config, 1, steps ?? config.maxSteps, targets);
}

/**
 * Run a sweep body with its cost-weighted progress on stderr (--progress; a bar by default at a terminal, JSON lines
 * with --progress json) and the CLI's error handling, output and exit code (from `verdicts`).
 */
export async function runSweepCommand<F extends SweepFlags, R>(
  flags: F,
  what: { task: string; costUnit?: string },
  body: (progress: (done: number, total: number, p: SweepProgress) => void) => Promise<R>,
  human: (r: R) => string,
  verdicts?: (r: R) => readonly VerdictWord[],
): Promise<void> {
  await runCommand(flags, async () => {
    const sink = progressSink(progressMode(flags.progress, flags), what.task, what.costUnit ?? "estimated core-seconds");
    try { return await body((_d, _t, p) => sink.update(p)); } finally { sink.finish(); }
  }, human, verdicts);
}
