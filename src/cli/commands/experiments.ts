/**
 * `simulate lr-transition | two-timescale | feature-strength`: the regime experiments of seeds 000, 003 and 004.
 * The `simulate` command may be created by another module (simulate online-sgd, giant-step, ...); we look it up and
 * add our subcommands, creating it if missing, so registration order does not matter.
 */
import * as path from "node:path";
import type { Command } from "commander";
import { runCommand, jsonReplacer } from "../io.js";
import { InputError } from "../../link/errors.js";
import { HERMITE_CONVENTION } from "../../hermite/basis.js";
import { formatSeconds, parseGrid, requireBudget, type ClaimVerdict } from "../../experiments/budget.js";
import {
  TWO_TIMESCALE_FULL, TWO_TIMESCALE_PRESET, estimateTwoTimescaleSeconds, runTwoTimescale, type TwoTimescaleConfig, type TwoTimescaleResult,
} from "../../experiments/twoTimescaleExperiment.js";
import {
  FEATURE_STRENGTH_FULL, FEATURE_STRENGTH_PRESET, estimateFeatureStrengthSeconds, runFeatureStrength, type FeatureStrengthConfig, type FeatureStrengthResult,
} from "../../experiments/featureStrengthExperiment.js";
import {
  LR_TRANSITION_FULL, LR_TRANSITION_PRESET, estimateLrTransitionSeconds, lrPredictions, runLrTransition, type LrTransitionConfig, type LrTransitionResult,
} from "../../experiments/lrTransitionExperiment.js";
import { parseShard, type Shard } from "../../sweeps/plan.js";
import { workersOption } from "../sweepOptions.js";
import { PROGRESS_HELP, progressMode, progressSink, type ProgressSink } from "../progress.js";
import type { SweepProgress } from "../../sweeps/sweep.js";
import { paperSize, paperSizeLine, recipeArgv, slurmWrittenText, writeSlurm, type PaperSize, type SlurmWritten } from "../paperSize.js";
import type { SlurmPlan } from "../../sweeps/slurm.js";
import { writeAtomic } from "../../io/durable.js";
import { schemaId } from "../../io/schemaId.js";
import type { VerdictWord } from "../exitCode.js";
import { ACTIVATION_FORMS, activationText } from "../activation.js";

interface CommonOpts {
  json?: boolean; debug?: boolean; preset?: boolean; full?: boolean; yes?: boolean; budget?: string; out?: string; quiet?: boolean;
  workers?: string; resume?: boolean; shard?: string; progress?: string; slurm?: string;
}

function simulateCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === "simulate")
    ?? program.command("simulate").description("simulations and regime experiments (see the subcommands)");
}

function common(cmd: Command): Command {
  return cmd
    .option("--preset", "the paper's main-figure setting at a size that runs in minutes here (default)")
    .option("--full", "with --preset: the paper-size setting (its core-hours are printed with every result; see --slurm)")
    .option("--slurm <file>", "write this run (add --full for the paper size) as a sharded Slurm array job (--shard i/N into --out, then a summary with --resume) to FILE; runs nothing")
    .option("--budget <seconds>", "refuse grids whose estimated wall time exceeds this without --yes", "900")
    .option("--yes", "run even when the estimate exceeds the budget")
    .option("--out <dir>", "sweep directory: every job's raw result appended (fsync'd) to <dir>/runs*.jsonl, manifest sweep.json, and the full result in summary.json")
    .option("--resume", "continue the sweep in --out (finished jobs are not recomputed; after kill -9 only jobs in flight are lost)")
    .option("--shard <i/N>", "run only the deterministic slice i of N into --out (shards may share the directory or be joined by 'index-lab merge'); summarise with --resume and no --shard")
    .option("--workers <n>", "worker threads of the sweep (default: all cores; 0: this thread); results do not depend on it")
    .option("--quiet", "no progress on stderr (same as --progress none)")
    .option("--progress <mode>", `${PROGRESS_HELP}; auto prints a line per tenth of the expected cost when stderr is not a terminal`, "auto")
    .option("--json", "print the full JSON result")
    .option("--debug", "print stack traces of internal errors");
}

function num(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v)) throw new InputError(`${name} must be a number, got '${raw}'`);
  return v;
}

function budgetOf(o: CommonOpts): number {
  const b = num("--budget", o.budget) ?? 900;
  if (!(b > 0)) throw new InputError(`--budget must be > 0 seconds, got ${o.budget}`);
  return b;
}

/** Sweep options shared by the three experiments: --out, --resume, --shard, --workers, and the progress sink (--progress). */
function sweepOf(o: CommonOpts, dir: string | undefined, sink: ProgressSink): { workers: number; dir?: string; resume?: boolean; shard: Shard | null; onProgress: (done: number, total: number, p: SweepProgress) => void } {
  const workers = workersOption(o.workers);
  const shard = parseShard(o.shard);
  if ((shard || o.resume) && !dir) throw new InputError("--shard and --resume need --out (the sweep directory)");
  return { workers, dir, resume: o.resume, shard, onProgress: (_d, _t, p) => sink.update(p) };
}

type SweepSettings = ReturnType<typeof sweepOf>;

/** A regime experiment at the CLI: its name, estimated core-seconds, jobs, and how many workers can help. */
interface ExperimentRun { readonly what: string; readonly coreSeconds: number; readonly jobs: number; readonly parallel: number }

/**
 * With --slurm FILE: write the recipe of this run and stop. Otherwise refuse (without --yes) a run whose estimate,
 * spread over the workers that help (at most `parallel`) and the shards, exceeds --budget; run it; add the paper-size
 * line (--full's core-hours and recipe); and write the full result to <dir>/summary.json (atomically) once complete.
 */
async function budgetedSweep<T extends { sweep?: { complete: boolean } }>(
  o: CommonOpts, dir: string | undefined, e: ExperimentRun, full: ExperimentRun, run: (sw: SweepSettings) => Promise<T>,
): Promise<(T & { $schema: string; paperSize: PaperSize }) | SlurmWritten> {
  const plan = (x: ExperimentRun, argv: string[]): SlurmPlan => {
    const out = dir ?? path.join("runs", x.what);
    return { name: x.what, argv, out, coreSeconds: x.coreSeconds, jobs: x.jobs, sharded: true, summary: [...argv, "--out", out, "--resume", "--yes"] };
  };
  if (o.slurm) return writeSlurm(o.slurm, plan(e, recipeArgv()));
  const fullArgv = recipeArgv().filter((a) => a !== "--full").concat("--full");
  const paper = paperSize(FULL_SIZES[e.what] ?? "the paper's sizes", plan(full, fullArgv), `index-lab simulate ${e.what} --preset`);
  const sink = progressSink(progressMode(o.progress, o, o.quiet ? "none" : "lines"), `simulate ${e.what}`, "estimated core-seconds");
  const sw = sweepOf(o, dir, sink);
  requireBudget(e.coreSeconds / Math.max(1, Math.min(sw.workers, e.parallel)) / (sw.shard?.count ?? 1), budgetOf(o), !!o.yes, e.what);
  let ran: T;
  try { ran = await run(sw); } finally { sink.finish(); }
  const r = { $schema: schemaId("summary"), ...ran, paperSize: paper };
  if (dir && (r.sweep?.complete ?? true)) writeAtomic(path.join(dir, "summary.json"), `${JSON.stringify(r, jsonReplacer, 2)}\n`);
  return r;
}

/** What --full sets, per experiment (printed in the paper-size line). */
const FULL_SIZES: Record<string, string> = {
  "lr-transition": `d = ${LR_TRANSITION_FULL.ds.join(", ")}, ${LR_TRANSITION_FULL.etas.length} etas x ${LR_TRANSITION_FULL.gamma0s.length} gamma0, ${LR_TRANSITION_FULL.seeds} seeds`,
  "two-timescale": `${TWO_TIMESCALE_FULL.epsilons.length} epsilons, m = ${TWO_TIMESCALE_FULL.m}, ${TWO_TIMESCALE_FULL.seeds} seeds`,
  "feature-strength": `${FEATURE_STRENGTH_FULL.toy.gammas.length} gammas x depths ${FEATURE_STRENGTH_FULL.toy.Ls.join(",")}, budget ${FEATURE_STRENGTH_FULL.toy.budget} steps${FEATURE_STRENGTH_FULL.mlp ? `, MLP ${FEATURE_STRENGTH_FULL.mlp.gammas.length} x ${FEATURE_STRENGTH_FULL.mlp.etas.length}` : ""}`,
};

/** Human text of an experiment's result, or of --slurm FILE. */
const orSlurm = <T>(human: (r: T) => string) => (r: T | SlurmWritten): string => ("script" in (r as object) ? slurmWrittenText(r as SlurmWritten) : `${human(r as T)}\n${paperSizeLine((r as { paperSize: PaperSize }).paperSize)}`);
const orSlurmVerdicts = (r: { sweep: { complete: boolean }; claims: readonly ClaimVerdict[] } | SlurmWritten): VerdictWord[] => ("script" in r ? [] : experimentVerdicts(r));

/** The verdicts an experiment states: one per claim once its sweep is complete; none for a shard (the joined sweep is judged). */
const experimentVerdicts = (r: { sweep: { complete: boolean }; claims: readonly ClaimVerdict[] }): VerdictWord[] => (r.sweep.complete ? r.claims.map((c) => c.verdict) : []);

function claimsTable(claims: ClaimVerdict[]): string {
  return claims.map((c) => `[${c.verdict.toUpperCase()}] ${c.id}: ${c.statement}\n    predicted: ${c.predicted}\n    measured:  ${c.measured}\n    why:       ${c.reason}\n    source:    ${c.source}`).join("\n");
}

export function register(program: Command): void {
  const sim = simulateCommand(program);

  common(sim.command("two-timescale")
    .description("seed 003 (Berthier-Montanari-Zhou 2303.00055): two-timescale mean-field flow, plateaus/drops, learning order, drop time vs epsilon")
    .option("--target <link>", "target link phi", TWO_TIMESCALE_PRESET.target)
    .option("--activation <link>", `activation sigma: ${ACTIVATION_FORMS}`, activationText, TWO_TIMESCALE_PRESET.activation)
    .option("--epsilons <grid>", "epsilon grid: 'lo:hi:n' (log-spaced) or a comma list")
    .option("--width <m>", "number of particles m")
    .option("--dim <d>", "dimension of the random initialisation s_i(0)")
    .option("--seeds <n>", "initialisations per epsilon")
    .option("--max-degree <K>", "Hermite truncation K")
    .option("--t-end <T>", "integration horizon")
    .option("--no-checks", "skip the finite-d, SGD and phi_1 = 0 checks"))
    .action(async (o: CommonOpts & { target: string; activation: string; epsilons?: string; width?: string; dim?: string; seeds?: string; maxDegree?: string; tEnd?: string; checks: boolean }) => {
      await runCommand(o, async () => {
        const base = o.full ? TWO_TIMESCALE_FULL : TWO_TIMESCALE_PRESET;
        const cfg: TwoTimescaleConfig = {
          ...base, target: o.target, activation: o.activation,
          epsilons: o.epsilons ? parseGrid("--epsilons", o.epsilons) : base.epsilons,
          m: num("--width", o.width) ?? base.m, d: num("--dim", o.dim) ?? base.d, seeds: num("--seeds", o.seeds) ?? base.seeds,
          K: num("--max-degree", o.maxDegree) ?? base.K, tEnd: num("--t-end", o.tEnd) ?? base.tEnd,
          checks: o.checks ? base.checks : {},
        };
        const tt = (c: TwoTimescaleConfig): ExperimentRun => ({ what: "two-timescale", coreSeconds: estimateTwoTimescaleSeconds(c), jobs: c.epsilons.length * c.seeds + 3, parallel: 2 });
        return budgetedSweep(o, o.out, tt(cfg), tt(TWO_TIMESCALE_FULL), (sw) => runTwoTimescale(cfg, undefined, sw));
      }, orSlurm(formatTwoTimescale), orSlurmVerdicts);
    });

  common(sim.command("feature-strength")
    .description("seed 004 (Atanasov-Meterez-Simon-Pehlevan 2410.04642): gamma x eta landscape of the exact toy chain and a small centred muP MLP")
    .option("--depths <list>", "toy depths L, comma list", "2,3,4")
    .option("--gammas <grid>", "toy gamma grid: 'lo:hi:n' or a comma list")
    .option("--eta-min <eta>", "smallest toy learning rate")
    .option("--eta-max <eta>", "largest toy learning rate")
    .option("--steps <T>", "toy budget of GD steps per grid point")
    .option("--target <link>", "MLP target link (Gaussian single-index data)")
    .option("--mlp-gammas <grid>", "MLP gamma grid")
    .option("--mlp-etas <grid>", "MLP learning-rate grid")
    .option("--mlp-backend <b>", "tfjs | js64 | auto (float64 reference below gamma 0.05)", "auto")
    .option("--no-mlp", "toy model only"))
    .action(async (o: CommonOpts & { depths: string; gammas?: string; etaMin?: string; etaMax?: string; steps?: string; target?: string; mlpGammas?: string; mlpEtas?: string; mlpBackend: string; mlp: boolean }) => {
      await runCommand(o, async () => {
        const base = o.full ? FEATURE_STRENGTH_FULL : FEATURE_STRENGTH_PRESET;
        const Ls = o.depths.split(",").map((s) => {
          const v = Number(s.trim());
          if (!Number.isInteger(v) || v < 1) throw new InputError(`--depths entries must be integers L >= 1, got '${s.trim()}'`);
          return v;
        });
        if (!["tfjs", "js64", "auto"].includes(o.mlpBackend)) throw new InputError(`--mlp-backend must be tfjs, js64 or auto, got '${o.mlpBackend}'`);
        const etaMin = num("--eta-min", o.etaMin), etaMax = num("--eta-max", o.etaMax);
        for (const [n, v] of [["--eta-min", etaMin], ["--eta-max", etaMax]] as const) if (v !== undefined && !(v > 0)) throw new InputError(`${n} must be a learning rate in (0, inf), got ${v}`);
        const cfg: FeatureStrengthConfig = {
          toy: {
            ...base.toy, Ls, gammas: o.gammas ? parseGrid("--gammas", o.gammas) : base.toy.gammas,
            etaMin: etaMin ?? base.toy.etaMin, etaMax: etaMax ?? base.toy.etaMax, budget: num("--steps", o.steps) ?? base.toy.budget,
            triangle: { ...base.toy.triangle, L: Ls.includes(base.toy.triangle.L) ? base.toy.triangle.L : Math.max(...Ls) },
            collapse: { ...base.toy.collapse, L: Ls.includes(base.toy.collapse.L) ? base.toy.collapse.L : Math.max(...Ls) },
          },
          mlp: o.mlp && base.mlp ? {
            ...base.mlp, target: o.target ?? base.mlp.target, backend: o.mlpBackend as "tfjs" | "js64" | "auto",
            gammas: o.mlpGammas ? parseGrid("--mlp-gammas", o.mlpGammas) : base.mlp.gammas,
            etas: o.mlpEtas ? parseGrid("--mlp-etas", o.mlpEtas) : base.mlp.etas,
          } : null,
        };
        const fs = (c: FeatureStrengthConfig): ExperimentRun => ({ what: "feature-strength", coreSeconds: estimateFeatureStrengthSeconds(c), jobs: c.toy.Ls.length * c.toy.gammas.length, parallel: 2 });
        return budgetedSweep(o, o.out, fs(cfg), fs(FEATURE_STRENGTH_FULL), (sw) => runFeatureStrength(cfg, undefined, sw));
      }, orSlurm(formatFeatureStrength), orSlurmVerdicts);
    });

  common(sim.command("lr-transition")
    .description("seed 000 (Tsiolis-Mousavi-Hosseini-Erdogdu 2510.21020): samples to weak recovery vs inner learning rate eta, kinks vs d")
    .option("--target <link>", "target link sigma*", LR_TRANSITION_PRESET.target)
    .option("--activation <link>", `student activation sigma: ${ACTIVATION_FORMS}`, activationText, LR_TRANSITION_PRESET.activation)
    .option("--algorithm <a>", "online | batch-reuse | alternating", LR_TRANSITION_PRESET.algorithm)
    .option("--dims <list>", "dimensions, comma list")
    .option("--etas <grid>", "inner learning rates: 'lo:hi:n' or a comma list")
    .option("--gamma0 <grid>", "global-rate prefactors scanned (gamma = gamma0 d^{-max(p/2,1)})")
    .option("--seeds <n>", "runs per grid point")
    .option("--out-dir <dir>", "same as --out (kept for earlier scripts)"))
    .action(async (o: CommonOpts & { target: string; activation: string; algorithm: string; dims?: string; etas?: string; gamma0?: string; seeds?: string; outDir?: string }) => {
      await runCommand(o, async () => {
        const base = o.full ? LR_TRANSITION_FULL : LR_TRANSITION_PRESET;
        const cfg: LrTransitionConfig = {
          ...base, target: o.target, activation: o.activation, algorithm: o.algorithm as LrTransitionConfig["algorithm"],
          ds: o.dims ? o.dims.split(",").map((s) => { const v = Number(s.trim()); if (!Number.isInteger(v) || v < 3) throw new InputError(`--dims entries must be integers >= 3, got '${s.trim()}'`); return v; }) : base.ds,
          etas: o.etas ? parseGrid("--etas (learning rates)", o.etas) : base.etas,
          gamma0s: o.gamma0 ? parseGrid("--gamma0", o.gamma0) : base.gamma0s,
          seeds: num("--seeds", o.seeds) ?? base.seeds,
        };
        const p = lrPredictions(cfg).p ?? 1;
        if (o.out && o.outDir && o.out !== o.outDir) throw new InputError("--out and --out-dir name the same sweep directory; give one of them");
        const dir = o.out ?? o.outDir;
        const lr = (c: LrTransitionConfig): ExperimentRun => ({ what: "lr-transition", coreSeconds: estimateLrTransitionSeconds(c, p), jobs: c.ds.length * c.etas.length * c.gamma0s.length * c.seeds, parallel: Infinity });
        return budgetedSweep(o, dir, lr(cfg), lr({ ...LR_TRANSITION_FULL, target: cfg.target, activation: cfg.activation, algorithm: cfg.algorithm }), (sw) => runLrTransition(cfg, undefined, sw));
      }, orSlurm(formatLrTransition), orSlurmVerdicts);
    });
}

const e = (x: number | null | undefined) => (x == null || !Number.isFinite(x) ? "n/a" : x.toExponential(2));

function formatTwoTimescale(r: TwoTimescaleResult): string {
  const lines = [
    `two-timescale (${r.paper})`,
    `target ${r.config.target}, activation ${r.config.activation}; ${HERMITE_CONVENTION}`,
    `phi_k = ${r.coefficients.phi.slice(0, 6).map((v) => v.toFixed(4)).join(", ")}, ...; sigma_k = ${r.coefficients.sigma.slice(0, 6).map((v) => v.toFixed(4)).join(", ")}, ... (K = ${r.config.K})`,
    `m = ${r.config.m} particles, s_i(0) from d = ${r.config.d}, ${r.config.seeds} seeds per epsilon; degree k learned when r_k^2 <= ${r.config.theta} phi_k^2; solver: ${r.solver}`,
    `sweep: ${r.sweep.computed} jobs computed, ${r.sweep.skipped} read back${r.sweep.dir ? ` from ${r.sweep.dir}` : ""} (${r.sweep.total} in all)`,
    "",
    "acquisition time per degree (median over seeds; '>' censored):",
    ["eps      " + r.fits.map((f) => `t_${f.degree}`.padEnd(11)).join(""), ...r.config.epsilons.map((eps, i) => eps.toExponential(1).padEnd(9) + r.fits.map((f) => (f.medianTimes[i] == null ? `>${r.config.tEnd}` : e(f.medianTimes[i])).padEnd(11)).join(""))].join("\n"),
    "",
    "loss drops (first seed; time:degree):",
    ...r.config.epsilons.map((eps) => `  eps ${eps.toExponential(1)}: ${r.runs.filter((x) => x.eps === eps && x.seed === 0).flatMap((x) => x.drops.map((d) => `${e(d.t)}:deg ${d.degree}`)).join("  ")}`),
    "",
    claimsTable(r.claims),
    `wall time ${formatSeconds(r.seconds)}`,
  ];
  return lines.join("\n");
}

function formatFeatureStrength(r: FeatureStrengthResult): string {
  const lines = [`feature-strength (${r.paper})`, "toy chain f = (prod_l w_l - 1)/gamma, GD on one example, float64:", ""];
  if (!r.toy) return [`feature-strength: ${r.sweep.computed} jobs computed, ${r.sweep.skipped} read back (${r.sweep.total} in all)`, claimsTable(r.claims)].join("\n");
  lines.push(`sweep: ${r.sweep.computed} jobs computed, ${r.sweep.skipped} read back${r.sweep.dir ? ` from ${r.sweep.dir}` : ""} (${r.sweep.total} in all)`);
  lines.push("eta_max(gamma): measured (bisection) vs 2/lambda_max at the balanced minimiser");
  for (const L of r.config.toy.Ls) lines.push(`  L=${L}: ` + r.toy.etaMax.filter((x) => x.L === L).filter((_, i) => i % 2 === 0).map((x) => `g=${x.gamma.toExponential(0)}:${e(x.measured)}(${e(x.predictedBalanced)})`).join(" "));
  lines.push("", `triangle of optimizability, L = ${r.toy.triangle.L}, T = ${r.toy.triangle.T}:`, ...r.toy.triangle.map);
  lines.push(`fewest steps over eta, N*(gamma): ${r.toy.triangle.scaling.minSteps.map((m) => `${m.gamma.toExponential(0)}:${m.steps ?? "none"}`).join(" ")}`);
  if (r.mlp) {
    lines.push("", `centred muP MLP (${r.mlp.backends.join(", ")}); ${r.mlp.note}`);
    lines.push("  eta_max (grid):      " + r.mlp.etaMax.map((x) => `g=${x.gamma}:${e(x.eta)}`).join("  "));
    if (r.mlp.etaMaxBisected.length) lines.push("  eta_max (bisected):  " + r.mlp.etaMaxBisected.map((x) => `g=${x.gamma}:${e(x.eta)}`).join("  "));
    lines.push("  eta*:    " + r.mlp.etaStar.map((x) => `g=${x.gamma}:${e(x.eta)} (loss ${x.loss?.toFixed(3) ?? "n/a"})`).join("  "));
    lines.push("  The paper's image datasets (MNIST-1M, CIFAR-5M) are out of scope: Gaussian single-index targets only.");
  }
  lines.push("", claimsTable(r.claims), `wall time ${formatSeconds(r.seconds)}`);
  return lines.join("\n");
}

function formatLrTransition(r: LrTransitionResult): string {
  const lines = [`lr-transition (${r.paper})`, `${r.config.algorithm}, target ${r.config.target}, activation ${r.config.activation}; IE p = ${r.informationExponents.p}, IE(sigma*^2) = ${r.informationExponents.p2}`, r.globalRate, `engine: ${r.engine}`, `sweep: ${r.sweep.computed} runs computed, ${r.sweep.skipped} read back${r.sweep.dir ? ` from ${r.sweep.dir}` : ""} (${r.sweep.total} in all)`,
    `predictions (src/predictions): ${r.predictions.map((q) => `${q.claimId}: ${q.kinks.length ? q.kinks.map((k) => `kink at eta ~ d^${k.x} (slope ${k.slopeLeft} -> ${k.slopeRight})`).join(", ") : q.reason}`).join("; ")}`, ""];
  lines.push("median samples to |m| >= " + r.config.threshold + " (best gamma0; c = censored, v = diverged of " + r.config.seeds + "):");
  for (const f of r.fits) lines.push(`  d=${f.d}: ` + f.best.map((b) => `${b.eta.toExponential(0)}:${e(b.median)}${b.censored ? ` c${b.censored}` : ""}${b.diverged ? ` v${b.diverged}` : ""}`).join("  "));
  lines.push("", claimsTable(r.claims), `wall time ${formatSeconds(r.seconds)}`);
  return lines.join("\n");
}
