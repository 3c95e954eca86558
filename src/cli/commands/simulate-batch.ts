/**
 * `index-lab simulate giant-step` (seed 001) and `index-lab simulate batch-reuse` (seed 002): two-layer networks
 * trained by full-batch gradient steps on a tensor backend. The `simulate` parent command may be created by
 * another module: it is looked up first and created only when missing, so registration order does not matter.
 */
import type { Command } from "commander";
import { runCommand, throwInput } from "../io.js";
import { num, table } from "../format.js";
import { parseExpression } from "../../link/parse.js";
import { compilePositional } from "../../link/compile.js";
import { InputError } from "../../link/errors.js";
import { chooseBackend, parseBackend } from "../../tensors/select.js";
import { simulateGiantStep, GIANT_STEP_DEFAULTS, type GiantStepConfig, type GiantStepResult } from "../../simulations/batch/giantStep.js";
import { simulateBatchReuse, BATCH_REUSE_DEFAULTS, type BatchReuseConfig, type BatchReuseResult, type ReuseAlgorithm } from "../../simulations/batch/batchReuse.js";
import { BATCH_REUSE_PRESETS, GIANT_STEP_PRESETS, findPreset, dmftFor, onePassFor, predictionFor, type Preset, type PresetOverrides } from "../../simulations/batch/presets.js";
import type { ClaimVerdict } from "../../simulations/batch/claims.js";
import type { CurveComparison } from "../../simulations/batch/publishedCurves.js";
import type { FirstLayerInit, SecondLayerInit } from "../../simulations/batch/common.js";
import type { BatchStore as BatchStoreT, SeedHooks } from "../../simulations/batch/store.js";
import type { VerdictWord } from "../exitCode.js";
import { ACTIVATION_FORMS, activationText } from "../activation.js";
import { PROGRESS_HELP, progressMode, progressSink } from "../progress.js";
import { CostProgress } from "../../sweeps/progress.js";
import { giantSeedSeconds, reuseSeedSeconds } from "../../simulations/batch/cost.js";
import { paperSize, paperSizeLine, recipeArgv, slurmWrittenText, writeSlurm, type PaperSize } from "../paperSize.js";
import { coreHoursText, type SlurmPlan } from "../../sweeps/slurm.js";
import * as path from "node:path";
import { schemaId } from "../../io/schemaId.js";
import type { BatchRunSchema, OutputOf } from "../../reports/schemas.js";

// the simulators and their dependencies load when a command runs, not when the commands are defined (start-up of
// --help: bench/issue18.ts): `load()` fills these bindings at the top of every action
let BatchStore!: typeof import("../../simulations/batch/store.js").BatchStore;
async function load(): Promise<void> {
  ({ BatchStore } = await import("../../simulations/batch/store.js"));
}

interface CommonFlags {
  json?: boolean; debug?: boolean; preset?: string; target?: string; activation?: string; d?: string; p?: string;
  eta?: string; steps?: string; seeds?: string; seed?: string; backend?: string; init?: string; secondLayer?: string; nTest?: string;
  out?: string; resume?: boolean; full?: boolean; progress?: string; slurm?: string;
}
interface GiantFlags extends CommonFlags { n?: string; preprocess?: boolean; ridge?: string; nRefit?: string }
interface ReuseFlags extends CommonFlags { alpha?: string; algorithm?: string; minibatches?: string; weightDecay?: string; predict?: boolean }

function simulateCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === "simulate")
    ?? program.command("simulate").description("simulations and regime experiments (see the subcommands)");
}

const int = (name: string, raw: string | undefined, fallback: number, lo = 1, hi = 2 ** 31): number => {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || v < lo || v > hi) throwInput(`${name} must be an integer in [${lo}, ${hi}], got '${raw}'`);
  return v;
};
const real = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v)) throwInput(`${name} must be a finite number, got '${raw}'`);
  return v;
};
const oneOf = <T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T => {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throwInput(`${name} must be one of ${allowed.join(", ")}; got '${raw}'`);
  return raw as T;
};

/** --n as an integer or an expression in d (e.g. "d^1.65", "4*d"), rounded. */
function batchSize(raw: string | undefined, d: number): number {
  if (raw === undefined) return Math.round(d ** 1.65);
  let f: (...a: number[]) => number;
  try { f = compilePositional(parseExpression(raw, { symbols: ["d"], indexVariables: false }).expr, 1); } catch (e) {
    if (e instanceof InputError) throwInput(`--n: ${e.message}`);
    throw e;
  }
  const n = Math.round(f(d));
  if (!Number.isFinite(n) || n < 1) throwInput(`--n '${raw}' must give an integer >= 1 at d = ${d}, got ${n}`);
  return n;
}

/** The simulators' own status messages: only in --progress lines mode (the bar and the JSON lines carry the cost-weighted progress). */
const progress = (flags: CommonFlags) => (m: string) => { if (progressMode(flags.progress, flags) === "lines") process.stderr.write(`  ${m}\n`); };

/** The estimated CPU seconds of one seed of a giant-step or batch-reuse configuration (the batch cost model, src/simulations/batch/cost.ts). */
const giantSeedWork = (c: GiantStepConfig) => giantSeedSeconds(c);
const reuseSeedWork = (c: BatchReuseConfig) => reuseSeedSeconds(c);

/**
 * Cost-weighted progress over the seeds of a list of batch runs: every seed charged its estimated CPU seconds (the batch cost model),
 * seeds read back from --out counted as done; `hooks(i, h)` wraps run i's store hooks to report each finished seed.
 */
function batchProgress<C extends { seeds: number }>(flags: CommonFlags, task: string, list: readonly { tag: string; config: C }[], work: (c: C) => number, done: (tag: string) => ReadonlyMap<number, unknown> | undefined) {
  const sink = progressSink(progressMode(flags.progress, flags), task, "estimated core-seconds");
  const costs = list.flatMap(({ config }) => Array<number>(config.seeds).fill(work(config)));
  const clock = new CostProgress(costs);
  for (const { tag, config } of list) for (const s of done(tag)?.keys() ?? []) if (s < config.seeds) clock.skip(work(config));
  sink.update(clock.state());
  return {
    hooks: <S>(i: number, h: SeedHooks<S>): SeedHooks<S> => ({
      ...h, onSeed: (rep, o) => { h.onSeed?.(rep, o); sink.update(clock.finish(work(list[i]!.config))); },
    }),
    finish: () => sink.finish(),
  };
}

function overrides(f: CommonFlags): PresetOverrides {
  return {
    d: f.d === undefined ? undefined : int("--d", f.d, 0, 2),
    p: f.p === undefined ? undefined : int("--p", f.p, 0),
    seeds: f.seeds === undefined ? undefined : int("--seeds", f.seeds, 0),
    masterSeed: f.seed === undefined ? undefined : int("--seed", f.seed, 0, 0),
    full: f.full ?? false,
  };
}

interface PresetOutcome<R> {
  $schema: string; preset: string; description: string; paperSize: string; backend: { name: string; detail: string; skipped: { name: string; reason: string }[] };
  runs: { tag: string; result: R }[]; comparisons: CurveComparison[]; verdicts: ClaimVerdict[]; wallSeconds: number;
  /** What --full needs: its estimated core-hours (the seeds' CPU seconds by the batch cost model; the d = infinity predictions not counted) and the Slurm recipe. */
  fullRun: PaperSize;
}

/** The Slurm plan of a single batch run (one resumable job: --out, --resume). */
function singleSlurmPlan<C extends { seeds: number }>(experiment: string, flags: CommonFlags, config: C, work: (c: C) => number): SlurmPlan {
  const argv = recipeArgv(), out = flags.out ?? path.join("runs", experiment);
  return { name: experiment, argv, out, coreSeconds: config.seeds * work(config), jobs: 1, sharded: false, summary: [...argv, "--out", out, "--resume"], runFlags: ["--resume", "--json"] };
}

/** The cluster line of a single batch run: its estimated core-hours and the --slurm recipe. */
const clusterLine = (plan: SlurmPlan): string =>
  `cluster run: about ${coreHoursText(plan.coreSeconds)} (each seed's CPU seconds by the calibrated batch cost model); add --slurm FILE to write it as a resumable Slurm job (raise --d, --p, --seeds for a paper-size run)`;

/** The Slurm plan of a preset (one resumable job: the batch runs have no shards) at the sizes of `o`. */
function presetSlurmPlan<C extends { seeds: number }, R>(preset: Preset<C, R>, experiment: string, flags: CommonFlags, work: (c: C) => number, argv: string[]): SlurmPlan {
  const list = preset.runs(overrides(flags));
  const coreSeconds = list.reduce((s, { config }) => s + config.seeds * work(config), 0);
  const out = flags.out ?? path.join("runs", `${experiment}-${preset.name}${flags.full ? "-full" : ""}`);
  return { name: `${experiment}-${preset.name}`, argv, out, coreSeconds, jobs: 1, sharded: false, summary: [...argv, "--out", out, "--resume"], runFlags: ["--resume", "--json"] };
}

type Backend = Awaited<ReturnType<typeof chooseBackend>>["backend"];

/** --out DIR: a resumable store of finished seeds (null without --out); --resume without --out is an input error. */
function openStore(flags: CommonFlags, experiment: string, preset: string | null, runs: { tag: string; config: unknown }[], backend: Backend): BatchStoreT | null {
  if (!flags.out) {
    if (flags.resume) throwInput("--resume needs --out DIR (the directory of the run to continue)");
    return null;
  }
  return BatchStore.open(flags.out, { format: "index-lab-batch/1", experiment, preset, runs, backend: backend.name }, flags.resume ?? false);
}

async function runPreset<C extends { seeds: number }, R, S>(preset: Preset<C, R>, experiment: string, flags: CommonFlags, work: (c: C) => number, run: (c: C, b: Backend, pr: (m: string) => void, hooks: SeedHooks<S>) => Promise<R>): Promise<PresetOutcome<R>> {
  const t0 = performance.now();
  const list = preset.runs(overrides(flags));
  const { backend, skipped } = await chooseBackend(parseBackend(flags.backend));
  let store: BatchStoreT | null = null;
  try {
    store = openStore(flags, experiment, preset.name, list, backend);
    const st = store;
    const tracker = batchProgress(flags, `simulate ${experiment} --preset ${preset.name}`, list, work, (tag) => st?.hooks(tag).done);
    const runs: { tag: string; result: R }[] = [];
    try {
      for (const [i, { tag, config }] of list.entries()) {
        runs.push({ tag, result: await run(config, backend, (m) => progress(flags)(`[${i + 1}/${list.length} ${tag}] ${m}`), tracker.hooks(i, store?.hooks<S>(tag) ?? {})) });
      }
    } finally { tracker.finish(); }
    const results = new Map(runs.map((r) => [r.tag, r.result]));
    if (preset.compare) progress(flags)("published curves: index-lab DMFT");
    const comparisons = preset.compare?.(results) ?? [];
    const fullArgv = recipeArgv().filter((a) => a !== "--full").concat("--full");
    const paper = paperSize("the preset's larger size, see 'paper size'", presetSlurmPlan(preset, experiment, { ...flags, full: true, d: undefined, p: undefined, seeds: undefined }, work, fullArgv), `index-lab simulate ${experiment} --preset ${preset.name}`);
    return {
      $schema: schemaId("batch-preset"), fullRun: paper,
      preset: preset.name, description: preset.description, paperSize: preset.paperSize,
      backend: { name: backend.name, detail: backend.detail, skipped }, runs, comparisons,
      verdicts: [...preset.judge(results), ...comparisons.flatMap((c) => c.verdicts)], wallSeconds: (performance.now() - t0) / 1000,
    };
  } finally { store?.close(); await backend.dispose(); }
}

const ms = (m: { mean: number; se: number } | null | undefined) => (m ? `${num(m.mean, 4)} ± ${num(m.se, 2)}` : "n/a");

function verdictLines(v: ClaimVerdict[]): string {
  return v.map((c) => `${c.verdict.toUpperCase().padEnd(12)} ${c.claim}\n             ${c.evidence}\n             [${c.source}]`).join("\n");
}

function humanGiant(r: GiantStepResult): string {
  const c = r.config;
  const lines = [
    `giant step (seed 001): target ${c.target}, activation ${c.activation}, d = ${c.d}, p = ${c.p}, n = ${c.n}, T = ${c.steps}, eta = ${num(c.etaValue, 6)} ('${c.eta}'), ${c.seeds} seeds, backend ${r.backend.name} (${r.backend.detail})`,
    `C1 = E[g*(h*) h*] = [${c.targetMoments.c1.map((x) => num(x, 5)).join(", ")}] (probabilists' He_k convention)`,
    table(["t", "target alignment", ...(r.summary?.basisNames ?? []).map((n) => `RMS overlap ${n}`), "train loss"],
      r.steps.map((s) => [String(s.t), ms(s.targetAlignment), ...s.basisRms.map(ms), ms(s.trainLoss)])),
  ];
  if (r.summary) {
    const s = r.summary;
    lines.push(table(["quantity", "mean ± se"], [
      ["test MSE (after steps, ridge refit)", ms(s.testMSE)], ["random features (no step)", ms(s.randomFeaturesMSE)],
      ["linear ridge", ms(s.linearMSE)], ["trivial (Var y)", ms(s.trivialMSE)], ["linear baseline (theory)", num(s.linearBaselineTheory, 5)],
      ...s.principalCosines.map((p, i) => [`principal cosine ${i + 1} (top singular space of W-W0 vs U*)`, ms(p)]),
      ...s.updateCosines.map((p, i) => [`mean |cos(dw_i, ${s.basisNames[i]})|`, ms(p)]),
    ]));
  }
  for (const d of r.diverged) lines.push(`DIVERGED: seed ${d.seed} at step ${d.step} (${d.reason})`);
  lines.push(`wall time ${r.wallSeconds.toFixed(1)} s`);
  return lines.join("\n");
}

function humanReuse(r: BatchReuseResult & { dInfinity?: ReturnType<typeof predictionFor>; onePassDInfinity?: ReturnType<typeof onePassFor>; multiPassDInfinity?: ReturnType<typeof dmftFor> }): string {
  const c = r.config;
  const lines = [
    `batch reuse (seed 002): ${c.algorithm}${c.minibatches > 1 ? ` (${c.minibatches} mini-batches)` : ""}, target ${c.target}, activation ${c.activation}, d = ${c.d}, p = ${c.p}, n = ${c.n} (alpha = ${c.alpha}), eta = ${num(c.etaValue, 6)}, lambda = ${c.weightDecay}, ${c.seeds} seeds, backend ${r.backend.name}`,
    `C1 = E[g*(h*) h*] = [${c.targetMoments.c1.map((x) => num(x, 5)).join(", ")}] (probabilists' He_k convention); overlaps M = W W*^T/d`,
    table(["t", "RMS |M_j|", "signed C1 proj", "RMS C1-perp", "mean Q_jj", "test MSE"],
      r.steps.map((s) => [String(s.t), ms(s.overlapRms), ms(s.c1Signed), ms(s.perpRms), ms(s.qDiag), ms(s.testMSE)])),
  ];
  if (r.dInfinity) {
    const p = r.dInfinity;
    lines.push(`sign-coherent overlap mean_j sign(a_j) <M_j, u>: simulation vs d = infinity (${p.method})`);
    lines.push(table(["direction", "t = 1 simulated", "t = 1 d = inf", "t = 2 simulated", "t = 2 d = inf"],
      c.basisNames.map((name, q) => [name, ms(r.steps[1]?.signedByDirection[q]), num(p.t1[q]!, 4), ms(r.steps[2]?.signedByDirection[q]), ms(p.t2[q])])));
  }
  if (r.multiPassDInfinity) {
    const o = r.multiPassDInfinity;
    lines.push(`multi-pass at d = infinity, every step (${o.method})`);
    lines.push(table(["t", ...c.basisNames.flatMap((n) => [`${n} simulated`, `${n} DMFT`])],
      r.steps.map((s) => [String(s.t), ...c.basisNames.flatMap((_, q) => [ms(s.signedByDirection[q]), ms(o.signed[s.t]![q])])])));
  }
  if (r.onePassDInfinity) {
    const o = r.onePassDInfinity;
    lines.push(`one-pass at d = infinity, every step (${o.method})`);
    lines.push(table(["t", ...c.basisNames.flatMap((n) => [`${n} simulated`, `${n} d = inf`]), "test MSE simulated", "test MSE d = inf"],
      r.steps.map((s) => [String(s.t), ...c.basisNames.flatMap((_, q) => [ms(s.signedByDirection[q]), num(o.signed[s.t]![q]!, 4)]), ms(s.testMSE), num(o.testMSE[s.t]!, 4)])));
  }
  for (const d of r.diverged) lines.push(`DIVERGED: seed ${d.seed} at step ${d.step} (${d.reason})`);
  lines.push(`wall time ${r.wallSeconds.toFixed(1)} s`);
  return lines.join("\n");
}

/** The published curves beside index-lab's: one table per direction, then the conclusion. */
function humanComparison(c: CurveComparison): string {
  const ts = [...new Set(c.curves.flatMap((x) => x.points.map((p) => p.t)))].sort((a, b) => a - b);
  const cell = (x: CurveComparison["curves"][number], t: number, q: number) => ms(x.points.find((p) => p.t === t)?.values[q]);
  return [
    `\npublished curves beside index-lab's (${c.reference.cite}; github.com/${c.reference.repository} @ ${c.reference.commit.slice(0, 7)})`,
    `  figure: ${c.reference.figure}`, `  ${c.basisNote}`,
    ...c.directions.map((name, q) => `\noverlap along ${name}\n${table(["t", ...c.curves.map((x) => x.label)], ts.map((t) => [String(t), ...c.curves.map((x) => cell(x, t, q))]))}`),
    `\n${c.conclusion}`,
  ].join("\n");
}

function humanPreset<R>(o: PresetOutcome<R>, each: (r: R) => string): string {
  return [
    `preset ${o.preset}: ${o.description}`, `paper size: ${o.paperSize}`, paperSizeLine(o.fullRun).replace(/^paper size: /, "paper-size run: "), `backend ${o.backend.name} (${o.backend.detail})`,
    ...o.runs.map((r) => `\n[${r.tag}]\n${each(r.result)}`), ...o.comparisons.map(humanComparison),
    "\nverdicts:", verdictLines(o.verdicts), `total wall time ${o.wallSeconds.toFixed(1)} s`,
  ].join("\n");
}

/** A preset states one verdict per claim; a single run states none. */
const presetVerdicts = <R>(o: PresetOutcome<R>): VerdictWord[] => o.verdicts.map((v) => v.verdict);

const presetError = (name: string, list: readonly { name: string }[]) => throwInput(`unknown --preset '${name}'; available: ${list.map((p) => p.name).join(", ")}`);

/** What differs between the batch commands in their --preset / --slurm dispatch. */
interface BatchKind<C extends { seeds: number }, R, S> {
  experiment: "giant-step" | "batch-reuse";
  presets: readonly Preset<C, R>[];
  work: (c: C) => number;
  simulate: (c: C, b: Backend, pr: (m: string) => void, hooks: SeedHooks<S>) => Promise<R>;
  human: (r: R) => string;
  /** The single run's configuration from the flags (read only when there is no --preset). */
  config: () => C;
}

/**
 * The --preset and --slurm paths of a batch command: run a preset, or write a preset's or a single run's Slurm job.
 * Returns false when none applies (the caller runs the single configuration). Preset lookups run inside runCommand,
 * so that an unknown name is a one-line input error (exit 2).
 */
async function presetOrSlurm<C extends { seeds: number }, R, S>(flags: CommonFlags, kind: BatchKind<C, R, S>): Promise<boolean> {
  const { experiment, presets, work } = kind;
  const preset = (name: string) => findPreset(presets, name) ?? presetError(name, presets);
  if (flags.preset) {
    const name = flags.preset;
    if (flags.slurm) await runCommand(flags, () => writeSlurm(flags.slurm!, presetSlurmPlan(preset(name), experiment, flags, work, recipeArgv())), slurmWrittenText);
    else await runCommand(flags, () => runPreset(preset(name), experiment, flags, work, kind.simulate), (o) => humanPreset(o, kind.human), presetVerdicts);
    return true;
  }
  if (!flags.slurm) return false;
  await runCommand(flags, () => writeSlurm(flags.slurm!, singleSlurmPlan(experiment, flags, kind.config(), work)), slurmWrittenText);
  return true;
}

function giantConfig(f: GiantFlags): GiantStepConfig {
  const d = int("--d", f.d, GIANT_STEP_DEFAULTS.d, 2);
  const n = batchSize(f.n, d);
  return {
    ...GIANT_STEP_DEFAULTS,
    target: f.target ?? throwInput("--target is required (or use --preset)"),
    activation: f.activation ?? GIANT_STEP_DEFAULTS.activation, d, p: int("--p", f.p, GIANT_STEP_DEFAULTS.p), n,
    steps: int("--steps", f.steps, GIANT_STEP_DEFAULTS.steps), eta: f.eta ?? GIANT_STEP_DEFAULTS.eta,
    preprocess: f.preprocess ?? GIANT_STEP_DEFAULTS.preprocess, ridge: real("--ridge", f.ridge, GIANT_STEP_DEFAULTS.ridge),
    nRefit: int("--n-refit", f.nRefit, n), nTest: int("--n-test", f.nTest, GIANT_STEP_DEFAULTS.nTest),
    secondLayer: oneOf<SecondLayerInit>("--second-layer", f.secondLayer, ["alternating", "gaussian", "symmetric"], GIANT_STEP_DEFAULTS.secondLayer),
    init: oneOf<FirstLayerInit>("--init", f.init, ["random", "orthogonal"], GIANT_STEP_DEFAULTS.init),
    seeds: int("--seeds", f.seeds, GIANT_STEP_DEFAULTS.seeds), masterSeed: int("--seed", f.seed, GIANT_STEP_DEFAULTS.masterSeed, 0),
  };
}

function reuseConfig(f: ReuseFlags): BatchReuseConfig {
  return {
    ...BATCH_REUSE_DEFAULTS,
    target: f.target ?? throwInput("--target is required (or use --preset)"),
    activation: f.activation ?? BATCH_REUSE_DEFAULTS.activation, d: int("--d", f.d, BATCH_REUSE_DEFAULTS.d, 2),
    p: int("--p", f.p, BATCH_REUSE_DEFAULTS.p), alpha: real("--alpha", f.alpha, BATCH_REUSE_DEFAULTS.alpha),
    steps: int("--steps", f.steps, BATCH_REUSE_DEFAULTS.steps), eta: f.eta ?? BATCH_REUSE_DEFAULTS.eta,
    weightDecay: real("--weight-decay", f.weightDecay, 0),
    algorithm: oneOf<ReuseAlgorithm>("--algorithm", f.algorithm, ["multi-pass", "one-pass", "cycle", "replacement"], BATCH_REUSE_DEFAULTS.algorithm),
    minibatches: int("--minibatches", f.minibatches, 1),
    secondLayer: oneOf<SecondLayerInit>("--second-layer", f.secondLayer, ["alternating", "gaussian", "symmetric"], BATCH_REUSE_DEFAULTS.secondLayer),
    init: oneOf<FirstLayerInit>("--init", f.init, ["random", "orthogonal"], BATCH_REUSE_DEFAULTS.init),
    nTest: int("--n-test", f.nTest, BATCH_REUSE_DEFAULTS.nTest),
    seeds: int("--seeds", f.seeds, BATCH_REUSE_DEFAULTS.seeds), masterSeed: int("--seed", f.seed, BATCH_REUSE_DEFAULTS.masterSeed, 0),
  };
}

function common(cmd: Command): Command {
  return cmd
    .option("--preset <name>", "run a named paper experiment (with its claims and verdicts)")
    .option("--target <expr>", "target link g*(z) or g*(z1,...,zk)")
    .option("--activation <expr>", `student activation sigma(z): ${ACTIVATION_FORMS}`, activationText)
    .option("--d <int>", "input dimension").option("--p <int>", "width (number of neurons)")
    .option("--eta <expr>", "learning rate, an expression in n, p, d")
    .option("--steps <int>", "number of gradient steps T").option("--seeds <int>", "replicates").option("--seed <int>", "master seed")
    .option("--backend <name>", "auto | openblas | tfjs-node | onnx | tfjs-wasm | js-cpu", "auto")
    .option("--init <kind>", "random | orthogonal (zero initial overlap)")
    .option("--second-layer <kind>", "alternating | gaussian | symmetric")
    .option("--n-test <int>", "fresh test samples")
    .option("--out <dir>", "append each finished seed to DIR/seeds.jsonl (with the configuration in DIR/batch.json) so the run can be resumed")
    .option("--resume", "continue the run in --out DIR: finished seeds are read back, not recomputed (identical results)")
    .option("--full", "with --preset: the larger size the preset documents (see its 'paper size' line, with its core-hours)")
    .option("--slurm <file>", "write the run (with --preset, add --full for the paper size) as a resumable Slurm job to FILE (--out, --resume); runs nothing")
    .option("--progress <mode>", PROGRESS_HELP, "auto")
    .option("--json", "print JSON").option("--debug", "print stack traces of internal errors");
}

export function register(program: Command): void {
  const sim = simulateCommand(program);
  common(sim.command("giant-step").description(`one or a few giant full-batch steps (seed 001, arXiv 2305.18270); presets: ${GIANT_STEP_PRESETS.map((p) => p.name).join(", ")}`))
    .option("--n <expr>", "batch size per step, an integer or an expression in d (default d^1.65)")
    .option("--preprocess", "remove the empirical mean and linear part of the labels before each step")
    .option("--no-preprocess", "keep the raw labels")
    .option("--ridge <lambda>", "ridge penalty of the second-layer refit").option("--n-refit <int>", "refit samples (default n)")
    .action(async (flags: GiantFlags) => {
      await load();
      if (await presetOrSlurm(flags, { experiment: "giant-step", presets: GIANT_STEP_PRESETS, work: giantSeedWork, simulate: simulateGiantStep, human: humanGiant, config: () => giantConfig(flags) })) return;
      await runCommand(flags, async () => {
        const config = giantConfig(flags);
        const { backend, skipped } = await chooseBackend(parseBackend(flags.backend));
        let store: BatchStoreT | null = null;
        try {
          store = openStore(flags, "giant-step", null, [{ tag: "run", config }], backend);
          const tracker = batchProgress(flags, "simulate giant-step", [{ tag: "run", config }], giantSeedWork, () => store?.hooks("run").done);
          let r: GiantStepResult;
          try { r = await simulateGiantStep(config, backend, progress(flags), tracker.hooks(0, store?.hooks("run") ?? {})); } finally { tracker.finish(); }
          return { $schema: schemaId("batch-run"), ...r, backend: { ...r.backend, skipped }, cluster: clusterLine(singleSlurmPlan("giant-step", flags, config, giantSeedWork)) } satisfies OutputOf<typeof BatchRunSchema>;
        } finally { store?.close(); await backend.dispose(); }
      }, (r) => `${humanGiant(r)}\n${r.cluster}`);
    });
  common(sim.command("batch-reuse").description(`multi-pass vs one-pass gradient descent (seed 002, arXiv 2402.03220); presets: ${BATCH_REUSE_PRESETS.map((p) => p.name).join(", ")}`))
    .option("--alpha <x>", "n = alpha d").option("--algorithm <name>", "multi-pass | one-pass | cycle | replacement")
    .option("--minibatches <int>", "mini-batches per epoch (cycle, replacement)").option("--weight-decay <lambda>", "weight decay lambda")
    .option("--predict", "add the d = infinity prediction of the first two steps (effective-process Monte Carlo) next to the simulation")
    .action(async (flags: ReuseFlags) => {
      await load();
      if (await presetOrSlurm(flags, { experiment: "batch-reuse", presets: BATCH_REUSE_PRESETS, work: reuseSeedWork, simulate: simulateBatchReuse, human: humanReuse, config: () => reuseConfig(flags) })) return;
      await runCommand(flags, async () => {
        const config = reuseConfig(flags);
        const { backend, skipped } = await chooseBackend(parseBackend(flags.backend));
        let store: BatchStoreT | null = null;
        try {
          store = openStore(flags, "batch-reuse", null, [{ tag: "run", config }], backend);
          if (flags.predict && (config.secondLayer !== "alternating" || config.init !== "orthogonal" || !(config.algorithm === "multi-pass" || config.algorithm === "one-pass"))) {
            throwInput("--predict needs --second-layer alternating, --init orthogonal and --algorithm multi-pass or one-pass (the setting of the two-step prediction)");
          }
          const st = store;
          const tracker = batchProgress(flags, "simulate batch-reuse", [{ tag: "run", config }], reuseSeedWork, () => st?.hooks("run").done);
          let r: BatchReuseResult;
          try { r = await simulateBatchReuse(config, backend, progress(flags), tracker.hooks(0, store?.hooks("run") ?? {})); } finally { tracker.finish(); }
          if (flags.predict) progress(flags)("d = infinity two-step prediction");
          const dInfinity = flags.predict ? predictionFor(r) : undefined;
          const onePassDInfinity = flags.predict && config.algorithm === "one-pass" ? onePassFor(r) : undefined;
          const multiPassDInfinity = flags.predict && config.algorithm === "multi-pass" && config.p <= 16 && config.steps <= 12 ? dmftFor(r) : undefined;
          return { $schema: schemaId("batch-run"), ...r, backend: { ...r.backend, skipped }, ...(dInfinity ? { dInfinity } : {}), ...(onePassDInfinity ? { onePassDInfinity } : {}), ...(multiPassDInfinity ? { multiPassDInfinity } : {}), cluster: clusterLine(singleSlurmPlan("batch-reuse", flags, config, reuseSeedWork)) } satisfies OutputOf<typeof BatchRunSchema>;
        } finally { store?.close(); await backend.dispose(); }
      }, (r) => `${humanReuse(r)}\n${r.cluster}`);
    });
}
