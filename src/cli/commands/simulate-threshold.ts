/**
 * `index-lab simulate threshold`: the weak-recovery transition at n = alpha d (issue 15 §2), by Bayes-optimal GAMP
 * against its state evolution (default, `--method gamp`) or by the spectral (or linear) estimator's finite-size
 * crossing (`--method spectral`), with a bootstrap CI and the verdict against alpha_c.
 * Exit code: 0 consistent, 1 inconsistent, 3 inconclusive, 2 bad input.
 */
import type { Command } from "commander";
import { choice, intOpt, numberOption, parseDims, runSweepCommand, withSweepOptions, workersOption, type SweepFlags } from "../sweepOptions.js";
import { num, table } from "../format.js";
import { throwInput } from "../io.js";
import { parseShard } from "../../sweeps/plan.js";
import type { ThresholdExperimentResult } from "../../experiments/thresholdExperiment.js";
import { runCommand } from "../io.js";
import { recipeArgv, slurmWrittenText, writeSlurm } from "../paperSize.js";
import { coreHoursText, slurmShards, type SlurmPlan } from "../../sweeps/slurm.js";
import { schemaId } from "../../io/schemaId.js";
import type { ThresholdSchema, OutputOf } from "../../reports/schemas.js";

// the simulators and their dependencies load when a command runs, not when the commands are defined (start-up of
// --help: bench/issue18.ts): `load()` fills these bindings at the top of every action
let parseLink!: typeof import("../../link/link.js").parseLink;
let parseNoise!: typeof import("../../exponents/noise.js").parseNoise;
let parseBackend!: typeof import("../../tensors/select.js").parseBackend;
let gampWork!: typeof import("../../experiments/thresholdExperiment.js").gampWork;
let parseAlphaGrid!: typeof import("../../experiments/thresholdExperiment.js").parseAlphaGrid;
let runThresholdExperiment!: typeof import("../../experiments/thresholdExperiment.js").runThresholdExperiment;
let simulatableThreshold!: typeof import("../../experiments/thresholdExperiment.js").simulatableThreshold;
let spectralWork!: typeof import("../../experiments/thresholdExperiment.js").spectralWork;
async function load(): Promise<void> {
  ({ parseLink } = await import("../../link/link.js"));
  ({ parseNoise } = await import("../../exponents/noise.js"));
  ({ parseBackend } = await import("../../tensors/select.js"));
  ({ gampWork, parseAlphaGrid, runThresholdExperiment, simulatableThreshold, spectralWork } = await import("../../experiments/thresholdExperiment.js"));
}

interface ThresholdFlags extends SweepFlags {
  link?: string; noise?: string; alpha?: string; d?: string; seeds?: string; estimator?: string; backend?: string;
  maxIterations?: string; tolerance?: string; bootstrap?: string; method?: string; q0?: string; iterations?: string; slurm?: string;
}

/**
 * Multiply-adds per CPU-second of the threshold runs, calibrated on the GAMP default of `z^2` (1.66e10 multiply-adds,
 * 45 CPU-s measured); the spectral estimator's work is an upper bound (its Lanczos runs stop early), so its estimate is too.
 */
export const THRESHOLD_MULTIPLY_ADDS_PER_SECOND = 4e8;

/** The grid of a threshold run as the flags give it: method, dims, alphas, and the work of its runs (the work cap's model). */
function thresholdGrid(flags: ThresholdFlags) {
  const link = parseLink(flags.link!);
  const prediction = simulatableThreshold(link, parseNoise(flags.noise));
  const alphas = flags.alpha ? parseAlphaGrid(flags.alpha) : defaultAlphaGrid(prediction.regime, prediction.alphaC);
  const method = choice("--method", flags.method, ["gamp", "spectral"] as const, link.kind === "single" ? "gamp" : "spectral");
  const dims = parseDims(flags.d ?? (method === "gamp" ? "1024,2048,4096" : "256,512,1024"));
  const seeds = intOpt("--seeds", flags.seeds, 8, 2, 1000);
  const iterations = intOpt("--iterations", flags.iterations, 10, 1, 1000), maxIterations = intOpt("--max-iterations", flags.maxIterations, 400, 2, 5000);
  let work = 0;
  for (const d of dims) for (const a of alphas) work += seeds * (method === "gamp" ? gampWork(d, a, iterations) : spectralWork(d, a, maxIterations));
  return { prediction, alphas, method, dims, seeds, work, jobs: dims.length * alphas.length * seeds };
}

/** The Slurm plan of a threshold run (sharded like every sweep; summary: the same command with --out DIR --resume). */
function thresholdSlurmPlan(flags: ThresholdFlags): SlurmPlan {
  const g = thresholdGrid(flags);
  const argv = recipeArgv();
  const out = flags.out ?? "runs/threshold";
  return { name: "threshold", argv, out, coreSeconds: g.work / THRESHOLD_MULTIPLY_ADDS_PER_SECOND, jobs: g.jobs, sharded: true, summary: [...argv, "--out", out, "--resume"], runFlags: ["--workers", "${SLURM_CPUS_PER_TASK}", "--resume", "--progress", "none", "--json"] };
}

/** Default alpha grid: around alpha_c for an easy link, [0.1, 2] for a trivial one, up to 10 for a hard one. */
export function defaultAlphaGrid(regime: string, alphaC: number): number[] {
  if (regime === "easy") {
    const step = Number((0.1 * alphaC).toPrecision(2));
    return Array.from({ length: 9 }, (_, i) => Number((0.6 * alphaC + i * step).toPrecision(6)));
  }
  if (regime === "trivial") return [0.1, 0.25, 0.5, 1, 2];
  return [1, 2.5, 5, 10];
}

export function register(program: Command): void {
  const simulate = program.commands.find((c) => c.name() === "simulate")
    ?? program.command("simulate").description("simulate learning algorithms on single- and multi-index models (see the subcommands)");
  const command = simulate
    .command("threshold")
    .description("weak-recovery transition at n = alpha d: Bayes-optimal GAMP against its state evolution (default) or the optimal spectral estimator (Mondelli-Montanari) by finite-size scaling, judged against alpha_c")
    .requiredOption("--link <expr>", "link, e.g. \"z^2\", \"abs(z)\" or (multi-index, spectral method, r <= 4) \"z1^2+z2^2\"")
    .option("--noise <spec>", "label noise: none, gaussian:SIGMA or flip:P", "none")
    .option("--alpha <grid>", "alpha = n/d grid, a:b:step or a,b,c (default: 9 points 0.6..1.4 alpha_c; trivial links 0.1..2; hard links 1..10)")
    .option("--d <dims>", "dimensions, e.g. 256,512,1024 or 1024:4096 (doublings); default 1024,2048,4096 for gamp, 256,512,1024 for spectral")
    .option("--seeds <n>", "replicates per (d, alpha)", "8")
    .option("--method <m>", "gamp (GAMP from a planted overlap, fitted by state evolution; single-index links, the default for them) or spectral (finite-size crossing; the default and only method for multi-index links)")
    .option("--q0 <q>", "GAMP: planted initial overlap in (0, 1)", "0.1")
    .option("--iterations <T>", "GAMP: iterations per run", "10")
    .option("--estimator <e>", "spectral method: auto (by regime), optimal, identity (T(y) = y) or linear", "auto")
    .option("--backend <name>", "tensor backend: auto, openblas, tfjs-node, onnx, tfjs-wasm, js-cpu", "auto")
    .option("--max-iterations <k>", "largest number of Lanczos steps (capped at d - 1)", "400")
    .option("--tolerance <t>", "Ritz residual tolerance, relative to max(1, top eigenvalue)", "1e-3")
    .option("--bootstrap <B>", "bootstrap resamples for the CI of the transition", "1000")
    .option("--slurm <file>", "write this run as a sharded Slurm array job (--shard i/N into --out, then a summary with --resume) to FILE, with its estimated core-hours; runs nothing");
  withSweepOptions(command, "append every run to <dir>/runs*.jsonl (resumable with --resume, shardable with --shard)")
    .action(async (flags: ThresholdFlags) => {
      await load();
      return flags.slurm ? runCommand(flags, () => writeSlurm(flags.slurm!, thresholdSlurmPlan(flags)), slurmWrittenText) : runSweepCommand(flags, { task: "simulate threshold", costUnit: "estimated multiply-adds" }, async (progress) => {
      const link = parseLink(flags.link!);
      const noise = parseNoise(flags.noise);
      const prediction = simulatableThreshold(link, noise);
      const alphas = flags.alpha ? parseAlphaGrid(flags.alpha) : defaultAlphaGrid(prediction.regime, prediction.alphaC);
      const method = choice("--method", flags.method, ["gamp", "spectral"] as const, link.kind === "single" ? "gamp" : "spectral");
      const dims = parseDims(flags.d ?? (method === "gamp" ? "1024,2048,4096" : "256,512,1024"));
      if (dims.some((d) => d < 8 || d > 65536)) throwInput(`--d values must be in [8, 65536], got ${dims.join(",")}`);
      const r = await runThresholdExperiment({
        link: flags.link!, noise: flags.noise, dims, alphas,
        method,
        q0: numberOption("--q0", flags.q0, 0.1, (v) => v > 0 && v < 1, "a number in (0, 1)"),
        iterations: intOpt("--iterations", flags.iterations, 10, 1, 1000),
        seeds: intOpt("--seeds", flags.seeds, 8, 2, 1000),
        masterSeed: intOpt("--seed", flags.seed, 0, 0, 2 ** 31 - 1),
        estimator: choice("--estimator", flags.estimator, ["auto", "optimal", "identity", "linear"] as const, "auto"),
        backend: parseBackend(flags.backend),
        maxIterations: intOpt("--max-iterations", flags.maxIterations, 400, 2, 5000),
        tolerance: numberOption("--tolerance", flags.tolerance, 1e-3, (v) => v > 0 && v < 1, "a number in (0, 1)"),
        bootstrap: intOpt("--bootstrap", flags.bootstrap, 1000, 100, 100000),
        workers: flags.workers === undefined ? 0 : workersOption(flags.workers),
        dir: flags.out, resume: flags.resume, shard: flags.shard ? parseShard(flags.shard) : null, onProgress: progress,
      });
      return { $schema: schemaId("threshold"), ...r } satisfies OutputOf<typeof ThresholdSchema>;
    }, (r) => `${formatThreshold(r)}\n${clusterLine(flags)}`, (r) => [r.verdict]);
    });
}

/** The cluster line of a threshold run: its estimated core-hours and the --slurm recipe (there is no --full: no paper size is fixed). */
function clusterLine(flags: ThresholdFlags): string {
  const plan = thresholdSlurmPlan(flags);
  return `cluster run: this grid is about ${coreHoursText(plan.coreSeconds)} (its multiply-adds at ${THRESHOLD_MULTIPLY_ADDS_PER_SECOND.toExponential(0)}/s); add --slurm FILE to write it as a ${slurmShards(plan)}-task Slurm array job (raise --d and --seeds for a paper-size grid)`;
}

/** Human-readable summary: prediction, curves (mean overlap^2 by d and alpha), located transition, verdict. */
export function formatThreshold(r: ThresholdExperimentResult): string {
  if (r.gamp) return formatGamp(r);
  const p = r.prediction;
  const lines: string[] = [];
  lines.push(`link ${r.link}  noise ${r.noise}`);
  lines.push(`predicted weak-recovery threshold: alpha_c = ${p.exact ?? num(p.alphaC, 8)} (${p.regime}; ${p.basis})  [${p.citation.split(";")[0]}]`);
  lines.push(`  ${p.convention}`);
  lines.push(`estimator: ${r.estimatorNote}`);
  lines.push(`backend: ${r.backend}; ${r.runs.length} runs (${r.seeds} seeds x ${r.alphas.length} alphas x ${r.dims.length} sizes), ${r.notConverged} not converged to the residual tolerance (kept, counted)`);
  const cells = r.transition!.curves;
  const header = ["alpha", ...r.dims.map((d) => `d=${d}: mean m^2 +- se`), ...(r.predictedCurve ? ["predicted m^2 (d=inf)"] : [])];
  const rows = r.alphas.map((a) => [
    num(a, 6),
    ...r.dims.map((d) => { const c = cells.find((x) => x.d === d && Math.abs(x.alpha - a) < 1e-12); return c ? `${num(c.mean, 4)} +- ${num(c.se, 2)}` : "-"; }),
    ...(r.predictedCurve ? [num(r.predictedCurve.find((x) => x.alpha === a)?.overlapSquared ?? NaN, 4)] : []),
  ]);
  lines.push("", `overlap^2 = ${r.estimatorNote.includes("multi-index") ? "|P_W* v|^2 (projection on the hidden subspace)" : "<v, w*>^2"} of the unit estimator, mean over seeds:`, table(header, rows));
  const t = r.transition!;
  if (t.crossings.length) lines.push("", `crossings of d^(1/3) mean m^2 curves: ${t.crossings.map((c) => `d ${c.d1}/${c.d2}: ${c.alpha === null ? "none" : num(c.alpha, 5)}`).join("; ")}`);
  if (t.estimate !== null) lines.push(`located transition: alpha = ${num(t.estimate, 5)}, 95% CI [${t.ci95[0] === null ? "-" : num(t.ci95[0], 5)}, ${t.ci95[1] === null ? "open" : num(t.ci95[1], 5)}] (bootstrap over seeds; ${(100 * t.noCrossingFraction).toFixed(1)}% of resamples without a crossing); ${t.relativeError === null ? "" : `${(100 * t.relativeError).toFixed(1)}% from alpha_c${t.within5Percent ? " (within 5%)" : " (not within 5%)"}`}`);
  lines.push(`verdict: ${t.verdict} — ${t.reason}`);
  if (!r.sweep.complete) lines.push(`sweep incomplete (${r.sweep.computed} computed now, ${r.sweep.skipped} read back, ${r.sweep.total} in all shards): the verdict covers the runs present; merge the shards for the full one`);
  lines.push(`time ${num(r.seconds, 3)} s`);
  return lines.join("\n");
}

/** Human-readable summary of the GAMP method: prediction, trajectories against state evolution, located transition. */
export function formatGamp(r: ThresholdExperimentResult): string {
  const p = r.prediction, g = r.gamp!, rep = g.report;
  const lines: string[] = [];
  lines.push(`link ${r.link}  noise ${r.noise}`);
  lines.push(`predicted weak-recovery threshold: alpha_c = ${p.exact ?? num(p.alphaC, 8)} (${p.regime}; ${p.basis})  [${p.citation.split(";")[0]}]`);
  lines.push(`  ${p.convention}`);
  lines.push(`state evolution (d = infinity, ${g.stateEvolutionMethod}): alpha_c = 1/Psi'(0) = ${Number.isFinite(g.stateEvolutionAlphaC) ? num(g.stateEvolutionAlphaC, 6) : "inf"}${g.stateEvolutionAlphaCError > 0 ? ` +- ${num(g.stateEvolutionAlphaCError, 2)}` : ""}`);
  lines.push(`method: ${r.estimatorNote}`);
  lines.push(`backend: ${r.backend}; ${g.runs.length} runs (${r.seeds} seeds x ${r.alphas.length} alphas x ${r.dims.length} sizes), ${g.diverged} diverged`);
  const T = g.iterations;
  const header = ["alpha", ...r.dims.map((d) => `d=${d}: m_${T} +- se`), "state evolution m_T (d=inf)"];
  const rows = r.alphas.map((a) => [
    num(a, 6),
    ...r.dims.map((d) => { const c = rep.curves.find((x) => x.d === d && Math.abs(x.alpha - a) < 1e-12); return c ? `${num(c.mean[c.mean.length - 1]!, 4)} +- ${num(c.se[c.se.length - 1]!, 2)}` : "-"; }),
    (() => { const c = rep.curves.find((x) => Math.abs(x.alpha - a) < 1e-12); return c ? num(c.predicted[c.predicted.length - 1]!, 4) : "-"; })(),
  ]);
  lines.push("", `overlap m_t = <w_hat_t, w>/d after ${T} GAMP iterations (${g.start === "zero" ? "from w_hat = 0" : `from m_0 = q0 = ${g.q0}`}), mean over seeds, against state evolution at the predicted alpha_c:`, table(header, rows));
  if (rep.fits.length) lines.push("", `state-evolution fit of the threshold s by size: ${rep.fits.map((f) => `d ${f.d}: ${num(f.estimate, 5)} [${num(f.ci95[0], 5)}, ${num(f.ci95[1], 5)}] (${(100 * f.relativeError).toFixed(1)}%, chi^2/dof ${f.chi2PerDof.toFixed(2)})`).join("; ")}`);
  if (rep.estimate !== null) lines.push(`located transition: alpha = ${num(rep.estimate, 5)}, 95% CI [${num(rep.ci95[0]!, 5)}, ${num(rep.ci95[1]!, 5)}] (bootstrap over seeds); ${(100 * rep.relativeError!).toFixed(1)}% from alpha_c${rep.within5Percent ? " (within 5%)" : " (not within 5%)"}`);
  lines.push(`verdict: ${r.verdict} — ${rep.reason}`);
  if (!r.sweep.complete) lines.push(`sweep incomplete (${r.sweep.computed} computed now, ${r.sweep.skipped} read back, ${r.sweep.total} in all shards): the verdict covers the runs present; merge the shards for the full one`);
  lines.push(`time ${num(r.seconds, 3)} s`);
  return lines.join("\n");
}
