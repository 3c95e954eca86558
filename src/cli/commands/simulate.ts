/** `index-lab simulate online-sgd`: seeded replicates of online SGD on one configuration, exact at any d. */
import type { Command } from "commander";
import { throwInput } from "../io.js";
import { choice, intOpt, numberOption, parseDims, runSweepCommand, checkSweepBudget, runCost, withOnlineSgdOptions, withSweepOptions, workersOption, type SweepFlags } from "../sweepOptions.js";
import { num, table } from "../format.js";
import { InputError } from "../../link/errors.js";
import type { Engine, RunConfig } from "../../simulations/config.js";
import { FULL_BACKEND } from "../../simulations/full.js";
import type { SweepProgress } from "../../sweeps/sweep.js";
import { parseShard } from "../../sweeps/plan.js";
import { schemaId } from "../../io/schemaId.js";
import { runCommand } from "../io.js";
import { recipeArgv, slurmWrittenText, writeSlurm } from "../paperSize.js";
import { coreHoursText, slurmShards, type SlurmPlan } from "../../sweeps/slurm.js";

// the simulators and their dependencies load when a command runs, not when the commands are defined (start-up of
// --help: bench/issue18.ts): `load()` fills these bindings at the top of every action
let parseLink!: typeof import("../../link/link.js").parseLink;
let buildProblem!: typeof import("../../simulations/config.js").buildProblem;
let defaultOverlap!: typeof import("../../simulations/config.js").defaultOverlap;
let learningRate!: typeof import("../../simulations/model.js").learningRate;
let runSweep!: typeof import("../../sweeps/sweep.js").runSweep;
let observations!: typeof import("../../verification/onlineSgd.js").observations;
let planOnlineSgd!: typeof import("../../verification/onlineSgd.js").planOnlineSgd;
let summariseEscapes!: typeof import("../../verification/survival.js").summariseEscapes;
async function load(): Promise<void> {
  ({ parseLink } = await import("../../link/link.js"));
  ({ buildProblem, defaultOverlap } = await import("../../simulations/config.js"));
  ({ learningRate } = await import("../../simulations/model.js"));
  ({ runSweep } = await import("../../sweeps/sweep.js"));
  ({ observations, planOnlineSgd } = await import("../../verification/onlineSgd.js"));
  ({ summariseEscapes } = await import("../../verification/survival.js"));
}

export const BACKENDS: Record<Engine, string> = {
  reduced: "exact reduced chain in the overlap m (O(1) per step, any d)",
  gram: "exact Gram-matrix state (O((p+k)^3) per step, any d)",
  full: FULL_BACKEND,
  leap: "reduced chain leaping K steps from the one-step moments at small overlap, exact steps near the threshold (approximate; KS-tested against the exact chain)",
};

interface SimulateFlags extends SweepFlags {
  link?: string; student?: string; loss?: string; d?: string; eta?: string; seeds?: string; seed?: string; threshold?: string;
  overlap?: string; escape?: string; maxSteps?: string; m0?: string; noise?: string; engine?: string; width?: string; a0?: string;
  etaA?: string; variant?: string; etaInner?: string; innerSteps?: string; trace?: string | boolean; runToMax?: boolean; slurm?: string;
}

export function register(program: Command): void {
  // `simulate` may already exist (other modules add subcommands such as lr-transition): reuse it
  const simulate = program.commands.find((c) => c.name() === "simulate")
    ?? program.command("simulate").description("simulate learning algorithms on single- and multi-index models (see the subcommands)");
  const command = simulate
    .command("online-sgd")
    .description("online SGD (one fresh Gaussian sample per step) of spherical neurons, exact at any d via the reduced chain (theory-notes §4)")
    .requiredOption("--link <expr>", "target link, e.g. \"He(3,z)\" or \"z1*z2\"")
    .option("--d <d>", "dimension (an integer >= 3, up to 2^30)", "1024")
    .option("--eta <formula>", "first-layer learning rate as a formula in d, e.g. \"0.5*d^-1.5\" (default: the theory's scaling, see verify)")
    .option("--seeds <n>", "number of replicates", "16")
    .option("--escape <rule>", "p or k > 1: escape when any neuron passes on any direction, or when all directions are covered", "any")
    .option("--m0 <m>", "initial overlap (default: w uniform on the sphere, exact law)")
    .option("--engine <engine>", "reduced (p = k = 1), leap (p = k = 1, online, fixed a: K steps at a time at small overlap, for IE >= 4), gram (any p <= 32, k <= 4) or full (d-dimensional, for cross-checks)")
    .option("--width <p>", "number of student neurons p", "1")
    .option("--a0 <a>", "initial second-layer weight of every neuron (default 1/p)")
    .option("--eta-a <formula>", "second-layer learning rate (formula in d); default: fixed second layer")
    .option("--variant <v>", "online, reuse (inner steps on the same sample) or alternating (layer-wise)", "online")
    .option("--eta-inner <formula>", "reuse: inner learning rate; alternating: second-layer step (formula in d)")
    .option("--inner-steps <n>", "reuse: number of inner steps on each sample", "1")
    .option("--trace [points]", "add sub-sampled overlap trajectories (default 200 points)")
    .option("--run-to-max", "keep stepping after the escape until --max-steps")
    .option("--slurm <file>", "write this run as a sharded Slurm array job (--shard i/N into --out, then a summary with --resume) to FILE, with its estimated core-hours; runs nothing");
  withSweepOptions(withOnlineSgdOptions(command), "append every run to <dir>/runs.jsonl")
    .action(async (flags: SimulateFlags) => {
      await load();
      if (flags.slurm) return runCommand(flags, async () => writeSlurm(flags.slurm!, (await planned(flags)).slurm), slurmWrittenText);
      return runSweepCommand(flags, { task: "simulate online-sgd" }, (progress) => simulateOnlineSgd(flags, progress), (r) => `${formatSimulation(r)}\n${r.cluster}`);
    });
}

export interface SimulationResult {
  $schema: string;
  engine: Engine;
  backend: string;
  config: Record<string, unknown>;
  runs: { seed: number; escapeStep: number | null; censored: boolean; diverged: boolean; finalOverlap: number | null; trace?: [number, number][] }[];
  summary: { median: number | null; ci95: [number | null, number | null]; censored: number; diverged: number };
  /** The run's estimated core-hours (the budget guard's cost model) and how to write it as a Slurm array job. */
  cluster: string;
}

async function simulateOnlineSgd(f: SimulateFlags, progress: (done: number, total: number, p: SweepProgress) => void): Promise<SimulationResult> {
  const { config, problem, seeds, masterSeed, expectedSteps, engine, slurm } = await planned(f);
  const workers = workersOption(f.workers), shard = parseShard(f.shard);
  const budget = (runs: number, shards: number) => checkSweepBudget(f, [{ config, runs, steps: expectedSteps, targets: problem.targets }], workers, shards, "simulate online-sgd");
  // a fresh sweep is checked before its folder is made; a resumed one once the runs on disk are known (only the rest count)
  if (!f.resume) budget(seeds, shard?.count ?? 1);
  const traces = new Map<number, [number, number][]>();
  const sweep = await runSweep({
    command: "simulate online-sgd", configs: [config], seeds, masterSeed,
    workers, dir: f.out, resume: f.resume, shard, onProgress: progress, admit: (todo) => budget(todo.length, 1),
    cost: () => runCost(config, expectedSteps, problem.targets), // the budget guard's cost model
    onOutcome: (task, o) => { if (o.trace) traces.set(task.replicate, o.trace); },
  });
  const { obs, diverged } = observations(sweep.records);
  const s = summariseEscapes(obs, diverged, "simulate");
  return {
    $schema: schemaId("online-sgd"), engine, backend: BACKENDS[engine],
    config: { ...config, masterSeed, seeds, etaValue: problem.eta, overlapDefinition: overlapDefinition(config, problem.targets),
      steps: "one fresh sample per step; escapeStep = first step with overlap >= threshold (0: at initialisation)" },
    runs: sweep.records.map((r) => ({ seed: r.replicate, escapeStep: r.escapeStep, censored: r.censored, diverged: r.diverged, finalOverlap: r.finalOverlap, ...(traces.has(r.replicate) ? { trace: traces.get(r.replicate)! } : {}) })),
    summary: { median: s.median, ci95: s.ci95, censored: s.censored, diverged: s.diverged },
    cluster: `cluster run: about ${coreHoursText(slurm.coreSeconds)} for these ${seeds} seeds by the budget guard's cost model; add --slurm FILE to write it as a ${slurmShards(slurm)}-task Slurm array job (raise --seeds for a paper-size sample)`,
  };
}

/** The configuration of a simulate online-sgd call, its expected steps, and its Slurm plan (nothing runs). */
async function planned(f: SimulateFlags) {
  const link = parseLink(f.link!);
  const width = intOpt("--width", f.width, 1, 1, 32);
  const dims = parseDims(f.d ?? "1024");
  if (dims.length !== 1) throwInput("simulate takes one --d; use 'verify' for a grid of dimensions");
  const d = dims[0]!;
  if (d > 2 ** 30) throwInput(`d must be at most 2^30, got ${d}`);
  const student = f.student ?? (link.kind === "single" ? f.link! : throwInput("a multi-index link needs --student (an activation in z)"));
  const single = width === 1 && link.kind === "single";
  const engine = choice("--engine", f.engine, ["reduced", "gram", "full", "leap"] as const, single ? "reduced" : "gram");
  const seeds = intOpt("--seeds", f.seeds, 16, 1, 1_000_000);
  const masterSeed = intOpt("--seed", f.seed, 0, 0, Number.MAX_SAFE_INTEGER);
  const threshold = numberOption("--threshold", f.threshold, 0.5, (v) => v > 0 && v < 1, "a number in (0, 1)");
  const loss = choice("--loss", f.loss, ["correlation", "square"] as const, "correlation");
  const variant = choice("--variant", f.variant, ["online", "reuse", "alternating"] as const, "online");
  if (variant !== "online" && f.etaInner === undefined) throwInput(`--variant ${variant} needs --eta-inner`);
  const m0 = f.m0 === undefined ? null : numberOption("--m0", f.m0, 0, (v) => Math.abs(v) <= 1, "a number in [-1, 1]");
  const tracePoints = f.trace === undefined || f.trace === false ? 0 : f.trace === true ? 200 : intOpt("--trace", f.trace, 200, 2, 100000);
  let eta = f.eta, maxStepsFormula = f.maxSteps;
  let plannedMax: number | null = null, expectedSteps: number | undefined;
  if (eta === undefined || maxStepsFormula === undefined) {
    if (link.kind !== "single" || width > 1) throwInput("give --eta and --max-steps explicitly for multi-index links or p > 1 (the default scaling is derived for one neuron)");
    try {
      const plan = planOnlineSgd({ link: f.link!, student, loss, dims: [d], eta, threshold, maxSteps: maxStepsFormula });
      eta = plan.eta; plannedMax = plan.configs[0]!.maxSteps; expectedSteps = plan.expectedSteps[0];
    } catch (e) {
      if (e instanceof InputError) throwInput(`cannot choose a default --eta/--max-steps (${e.message}); give them explicitly`);
      throw e;
    }
  } else if (link.kind === "single" && width === 1) {
    // the drift-ODE escape time at the given rate, for the cost estimate only (none: every run costs the budget)
    try { expectedSteps = planOnlineSgd({ link: f.link!, student, loss, dims: [d], eta, threshold, maxSteps: maxStepsFormula }).expectedSteps[0]; } catch { /* no estimate */ }
  }
  const maxSteps = plannedMax ?? Math.ceil(learningRate(maxStepsFormula!, d, "--max-steps"));
  const config: RunConfig = {
    engine, link: f.link!, student, loss, d, eta: eta!, width,
    a0: numberOption("--a0", f.a0, 1 / width, Number.isFinite, "a finite number"),
    etaSecondLayer: f.etaA ?? "0", variant, etaInner: f.etaInner ?? "0", innerSteps: intOpt("--inner-steps", f.innerSteps, 1, 1, 1000),
    noise: f.noise ?? "none", threshold,
    overlap: choice("--overlap", f.overlap, ["signed", "abs"] as const, single ? defaultOverlap(f.link!, student) : "abs"),
    escape: choice("--escape", f.escape, ["any", "all"] as const, "any"),
    maxSteps, m0, runToMax: !!f.runToMax, tracePoints,
  };
  const problem = buildProblem(config);
  const argv = recipeArgv(), out = f.out ?? "runs/online-sgd";
  const slurm: SlurmPlan = { name: "online-sgd", argv, out, coreSeconds: seeds * runCost(config, expectedSteps, problem.targets), jobs: seeds, sharded: true, summary: [...argv, "--out", out, "--resume", "--yes"] };
  return { config, problem, seeds, masterSeed, expectedSteps, engine, slurm };
}

function overlapDefinition(c: RunConfig, k: number): string {
  const m = c.overlap === "abs" ? "|<w_i, w*_j>|" : "<w_i, w*_j>";
  if (c.width === 1 && k === 1) return c.overlap === "abs" ? "|m|, m = <w, w*>" : "m = <w, w*>";
  return c.escape === "any" ? `max_{i,j} ${m}` : `min_j max_i ${m}`;
}

function formatSimulation(r: SimulationResult): string {
  const c = r.config;
  const lines = [
    `online SGD, ${r.engine} engine (${r.backend})`,
    `link ${c.link}, student ${c.student}, ${c.loss} loss, d = ${c.d}, eta = ${c.eta} = ${num(c.etaValue as number, 6)}, p = ${c.width}, variant ${c.variant}, noise ${c.noise}`,
    `threshold ${c.threshold} on ${c.overlapDefinition}; budget ${c.maxSteps} steps; master seed ${c.masterSeed}`,
    table(["seed", "escape step", "status", "final overlap"], r.runs.map((x) => [String(x.seed), x.escapeStep === null ? "-" : String(x.escapeStep), x.diverged ? "diverged" : x.censored ? "censored" : "escaped", x.finalOverlap === null ? "n/a" : num(x.finalOverlap, 6)])),
  ];
  const s = r.summary;
  const ci = `[${s.ci95[0] ?? "n/a"}, ${s.ci95[1] ?? "open"}]`;
  lines.push(s.median === null
    ? `median escape step: not identified (${s.censored} censored, ${s.diverged} diverged of ${r.runs.length}; the median exceeds the budget)`
    : `median escape step (Kaplan–Meier): ${s.median}, bootstrap 95% CI ${ci}; ${s.censored} censored, ${s.diverged} diverged of ${r.runs.length}`);
  return lines.join("\n");
}
