/**
 * `index-lab verify <link> --algorithm online-sgd`: sweep the exact reduced chain over a grid of d, fit the escape
 * time's scaling with a bootstrap CI, and compare with the predicted exponent (claim bgj-online-sgd).
 */
import type { Command } from "commander";
import * as path from "node:path";
import { runCommand, throwInput } from "../io.js";
import { num, table } from "../format.js";
import type { SweepProgress } from "../../sweeps/sweep.js";
import { parseShard } from "../../sweeps/plan.js";
import { configurationId } from "../../numeric/xoshiro.js";
import type { OnlineSgdReport } from "../../verification/onlineSgd.js";
import type { ScalingPrediction } from "../../verification/prediction.js";
import type { SlopeFit } from "../../verification/fit.js";
import type { RunConfig } from "../../simulations/config.js";
import type { JobTask } from "../../sweeps/plan.js";
import type { RunRecord } from "../../sweeps/store.js";
import { BACKENDS } from "./simulate.js";
import type { VerdictWord } from "../exitCode.js";
import { choice, intOpt, numberOption, parseDims, runSweepCommand, checkSweepBudget, runCost, withOnlineSgdOptions, withSweepOptions, workersOption, type SweepFlags } from "../sweepOptions.js";
import { schemaId } from "../../io/schemaId.js";
import { argvOf, paperSize, paperSizeLine, slurmWrittenText, writeSlurm, type PaperSize } from "../paperSize.js";
import { shellWord, type SlurmPlan } from "../../sweeps/slurm.js";

// the simulators and their dependencies load when a command runs, not when the commands are defined (start-up of
// --help: bench/issue18.ts): `load()` fills these bindings at the top of every action
let runSweep!: typeof import("../../sweeps/sweep.js").runSweep;
let onlineSgdReport!: typeof import("../../verification/onlineSgd.js").onlineSgdReport;
let planOnlineSgd!: typeof import("../../verification/onlineSgd.js").planOnlineSgd;
let configKey!: typeof import("../../simulations/config.js").configKey;
/** Fill the lazy bindings (also called by `merge` before it uses {@link verifyResult}). */
export async function load(): Promise<void> {
  ({ runSweep } = await import("../../sweeps/sweep.js"));
  ({ onlineSgdReport, planOnlineSgd } = await import("../../verification/onlineSgd.js"));
  ({ configKey } = await import("../../simulations/config.js"));
}

interface VerifyFlags extends SweepFlags {
  algorithm?: string; d?: string; seeds?: string; seed?: string; eta?: string; student?: string; loss?: string; threshold?: string;
  overlap?: string; noise?: string; maxSteps?: string; engine?: string; full?: boolean; slurm?: string;
}

/** The paper-size sweep of verify (--full): d = 256..16384 in doublings, 64 seeds per d. */
export const VERIFY_FULL = { d: "256:16384", seeds: "64" } as const;

export interface VerifyResult {
  $schema: string;
  algorithm: "online-sgd";
  link: string;
  engine: string;
  backend: string;
  complete: boolean;
  runs: { done: number; expected: number; computedNow: number; out: string };
  masterSeed: number;
  seeds: number;
  eta: string;
  /** How the learning rate was chosen (the default rate's stability margin, or "given by --eta"). */
  etaRule?: string;
  maxSteps: string;
  prediction: ScalingPrediction;
  report: OnlineSgdReport | null;
  note: string;
  /** What the paper-size sweep (--full) needs: its sizes, estimated core-hours and the Slurm recipe. */
  paperSize?: PaperSize;
}

export function register(program: Command): void {
  const command = program
    .command("verify")
    .description("check a predicted sample-complexity exponent against exact simulations over a grid of d")
    .argument("<link>", "single-index link, e.g. \"He(3,z)\"")
    .option("--algorithm <name>", "the algorithm whose prediction is checked", "online-sgd")
    .option("--d <range>", "dimensions: a:b (doublings), a:b:factor or a,b,c (default 256:4096; --full: 256:16384)")
    .option("--seeds <n>", "replicates per dimension (default 32; --full: 64)")
    .option("--eta <formula>", "learning rate as a formula in d (default: gamma0 d^-max(k/2,1))")
    .option("--engine <engine>", "reduced (default), leap (K steps at a time at small overlap, for IE >= 4) or full (d-dimensional; slow)", "reduced")
    .option("--full", `the paper-size sweep: --d ${VERIFY_FULL.d} --seeds ${VERIFY_FULL.seeds} unless given (a cluster run: see --slurm)`)
    .option("--slurm <file>", "write the sweep as a sharded Slurm array job (--shard i/N into --out, then merge) to FILE, with its estimated core-hours; runs nothing");
  withSweepOptions(withOnlineSgdOptions(command), "directory for the raw runs (default: runs/verify-<id>)")
    .action(async (link: string, flags: VerifyFlags) => {
      await load();
      if (flags.slurm) return runCommand(flags, () => writeSlurm(flags.slurm!, verifySlurmPlan(link, flags)), slurmWrittenText);
      return runSweepCommand(flags, { task: "verify" }, (progress) => verify(link, flags, progress), formatVerify, verifyVerdicts);
    });
}

/** The sizes of a verify call: --d and --seeds as given, else --full's, else the defaults. */
function verifySizes(f: VerifyFlags): { d: string; seeds: string } {
  return { d: f.d ?? (f.full ? VERIFY_FULL.d : "256:4096"), seeds: f.seeds ?? (f.full ? VERIFY_FULL.seeds : "32") };
}

/** The plan of a verify sweep at the given sizes (no run): configurations and their expected steps. */
function verifyPlan(link: string, f: VerifyFlags, sizes: { d: string; seeds: string }) {
  if (f.algorithm !== "online-sgd") throwInput(`--algorithm '${f.algorithm}' is not supported yet; use online-sgd`);
  const dims = parseDims(sizes.d);
  if (dims[dims.length - 1]! > 2 ** 30) throwInput("d must be at most 2^30");
  const seeds = intOpt("--seeds", sizes.seeds, 32, 1, 100000);
  const engine = choice("--engine", f.engine, ["reduced", "leap", "full"] as const, "reduced");
  const plan = planOnlineSgd({
    link, student: f.student, loss: choice("--loss", f.loss, ["correlation", "square"] as const, "correlation"), dims, eta: f.eta,
    threshold: numberOption("--threshold", f.threshold, 0.5, (v) => v > 0 && v < 1, "a number in (0, 1)"),
    overlap: f.overlap === undefined ? undefined : choice("--overlap", f.overlap, ["signed", "abs"] as const, "signed"),
    noise: f.noise, maxSteps: f.maxSteps, engine,
  });
  const coreSeconds = plan.configs.reduce((s, config, i) => s + seeds * runCost(config, plan.expectedSteps[i]), 0);
  return { dims, seeds, engine, plan, coreSeconds };
}

/** The Slurm plan of a verify call at its sizes (with --full: the paper size). */
function verifySlurmPlan(link: string, f: VerifyFlags): SlurmPlan {
  const sizes = verifySizes(f);
  const { plan, seeds, coreSeconds } = verifyPlan(link, f, sizes);
  const masterSeed = intOpt("--seed", f.seed, 0, 0, Number.MAX_SAFE_INTEGER);
  const out = f.out ?? path.join("runs", `verify-${configurationId(JSON.stringify({ link, plan: plan.configs, seeds, masterSeed })).slice(0, 10)}`);
  return {
    name: "verify", out, coreSeconds, jobs: plan.configs.length * seeds, sharded: true, summary: ["merge", out],
    argv: ["verify", link, ...argvOf([
      ["--algorithm", f.algorithm], ["--d", sizes.d], ["--seeds", sizes.seeds], ["--seed", f.seed], ["--eta", f.eta], ["--engine", f.engine],
      ["--student", f.student], ["--loss", f.loss], ["--threshold", f.threshold], ["--overlap", f.overlap], ["--noise", f.noise], ["--max-steps", f.maxSteps],
    ])],
  };
}

async function verify(link: string, f: VerifyFlags, progress: (done: number, total: number, p: SweepProgress) => void): Promise<VerifyResult> {
  const { seeds, engine, plan } = verifyPlan(link, f, verifySizes(f));
  const masterSeed = intOpt("--seed", f.seed, 0, 0, Number.MAX_SAFE_INTEGER);
  const full = verifySlurmPlan(link, { ...f, d: undefined, seeds: undefined, full: true });
  const out = f.out ?? path.join("runs", `verify-${configurationId(JSON.stringify({ link, plan: plan.configs, seeds, masterSeed })).slice(0, 10)}`);
  const workers = workersOption(f.workers), shard = parseShard(f.shard);
  // a fresh sweep is checked before its folder is made; a resumed one once the runs on disk are known (only the rest count)
  if (!f.resume) checkSweepBudget(f, plan.configs.map((config, i) => ({ config, runs: seeds, steps: plan.expectedSteps[i] })), workers, shard?.count ?? 1, "verify");
  const admit = (todo: readonly JobTask[]) => {
    const left = new Map<string, number>();
    for (const t of todo) left.set(t.configId, (left.get(t.configId) ?? 0) + 1);
    checkSweepBudget(f, plan.configs.map((config, i) => ({ config, runs: left.get(configKey(config)) ?? 0, steps: plan.expectedSteps[i] })), workers, 1, "verify (the runs left)");
  };
  const costs = new Map(plan.configs.map((config, i) => [configKey(config), runCost(config, plan.expectedSteps[i])]));
  const meta = { kind: "verify-online-sgd", link, prediction: plan.prediction, eta: plan.eta, etaRule: plan.etaRule, maxSteps: plan.maxStepsRule, engine };
  const sweep = await runSweep({
    command: "verify online-sgd", configs: plan.configs, seeds, masterSeed,
    workers, dir: out, resume: f.resume, shard, meta, onProgress: progress, admit,
    // the ETA weights each run by its estimated core-seconds, the cost model of the budget guard
    cost: (config) => costs.get(configKey(config as RunConfig)) ?? 1,
  });
  const paper = paperSize(`--d ${VERIFY_FULL.d} --seeds ${VERIFY_FULL.seeds}`, full, `index-lab verify ${shellWord(link)}`);
  return { ...verifyResult(meta, plan.configs, sweep.records, seeds, masterSeed, sweep.computed, out), paperSize: paper };
}

/** The verify report from a manifest's configurations and whatever runs exist (also used by `merge`). */
export function verifyResult(meta: { link: string; prediction: ScalingPrediction; eta: string; etaRule?: string; maxSteps: string; engine: string }, configs: RunConfig[], records: RunRecord[], seeds: number, masterSeed: number, computedNow: number, out: string): VerifyResult {
  const expected = configs.length * seeds;
  const complete = records.length >= expected;
  return {
    $schema: schemaId("verify"), algorithm: "online-sgd", link: meta.link, engine: meta.engine, backend: BACKENDS[meta.engine as "reduced" | "leap" | "full"] ?? meta.engine, complete,
    runs: { done: records.length, expected, computedNow, out },
    masterSeed, seeds, eta: meta.eta, ...(meta.etaRule ? { etaRule: meta.etaRule } : {}), maxSteps: meta.maxSteps, prediction: meta.prediction,
    report: complete ? onlineSgdReport(configs, records, meta.prediction) : null,
    note: complete ? "" : `${expected - records.length} of ${expected} runs are missing (a shard of the sweep?): join the shards with 'index-lab merge ${out} ...' and re-run with --resume`,
  };
}

/** The verdict a verify result states: none for a shard (the merged sweep is judged), else the scaling verdict. */
export const verifyVerdicts = (r: VerifyResult): VerdictWord[] => (r.report ? [r.report.verdict.verdict] : []);

const ciText = (ci: [number | null, number | null]) => `[${ci[0] === null ? "open" : ci[0].toFixed(3)}, ${ci[1] === null ? "open" : ci[1].toFixed(3)}]`;
const fitText = (name: string, fit: SlopeFit | null) => fit === null ? "" : `${name}: ${fit.slope === null ? "not identified" : fit.slope.toFixed(3)}  95% CI ${ciText(fit.ci95)}${fit.se !== null ? `  (bootstrap SE ${fit.se.toFixed(3)})` : ""}`;

export function formatVerify(r: VerifyResult): string {
  const lines = [
    `verify online SGD on ${r.link}: ${r.engine} engine (${r.backend})`,
    `eta = ${r.eta}; budget: ${r.maxSteps}; ${r.seeds} seeds per d; master seed ${r.masterSeed}; runs in ${r.runs.out} (${r.runs.done}/${r.runs.expected}, ${r.runs.computedNow} computed now)`,
    ...(r.etaRule ? [`rate: ${r.etaRule}`] : []),
    `predicted: ${r.prediction.formula}  [claim ${r.prediction.claimId}; ${r.prediction.source}]`,
  ];
  if (r.paperSize) lines.push(paperSizeLine(r.paperSize));
  if (!r.report) { lines.push(r.note); return lines.join("\n"); }
  const rep = r.report;
  lines.push(table(["d", "eta", "budget", "escaped", "censored", "diverged", "median T", "95% CI"], rep.perDimension.map((p) => [
    String(p.d), num(p.eta, 4), String(p.maxSteps), String(p.escaped), String(p.censored), String(p.diverged),
    p.median === null ? "not identified" : String(p.median), `[${p.ci95[0] ?? "n/a"}, ${p.ci95[1] ?? "open"}]`])));
  const v = rep.verdict;
  lines.push(fitText("fitted exponent, log T on log d", v.plainFit));
  if (v.predicted.logPower) lines.push(fitText(`fitted exponent after removing (ln d)^${v.predicted.logPower}`, v.theoryFormFit));
  if (v.lowerHalfFit && v.upperHalfFit) lines.push(`local slopes (theory form): lower half ${v.lowerHalfFit.slope?.toFixed(3) ?? "n/a"} ${ciText(v.lowerHalfFit.ci95)}, upper half ${v.upperHalfFit.slope?.toFixed(3) ?? "n/a"} ${ciText(v.upperHalfFit.ci95)}`);
  lines.push(`predicted exponent: ${v.predicted.exponent}${v.predicted.logPower ? ` with (ln d)^${v.predicted.logPower}` : ""} (claim ${v.predicted.claimId})`);
  lines.push(`verdict: ${v.verdict} — ${v.reason}`);
  const c = rep.constant;
  if (!c) { if (rep.constantNote) lines.push(`constant: ${rep.constantNote}`); return lines.join("\n"); }
  lines.push(`predicted constant (gamma0 = ${num(c.constant.gamma0, 4)}, A = ${num(c.constant.A, 4)}, B = ${num(c.constant.B, 4)}, B_xi = ${num(c.constant.Bxi, 4)}): ${c.constant.formula}  [derived here: theory/escape-time-law.yaml]`);
  const r3 = (x: number | null) => (x === null ? "n/a" : x.toFixed(3));
  lines.push(table(["d", "predicted median (d)", "measured/predicted", "95% CI", "leading-order median", "measured/leading", "95% CI", "KS (d)", "KS p", "KS (limit)", "KS 95% floor", "law d vs limit"], c.perDimension.map((p) => [
    String(p.d), p.predictedMedian === null ? "n/a" : num(p.predictedMedian, 4), r3(p.ratio), `[${r3(p.ratioCi95[0])}, ${p.ratioCi95[1] === null ? "open" : r3(p.ratioCi95[1])}]`,
    p.leadingMedian === null ? "n/a" : num(p.leadingMedian, 4), r3(p.ratioLeading), `[${r3(p.ratioLeadingCi95[0])}, ${p.ratioLeadingCi95[1] === null ? "open" : r3(p.ratioLeadingCi95[1])}]`,
    r3(p.ks), r3(p.ksPValue), r3(p.ksLimit), r3(p.ksCritical95), r3(p.lawDistance)])));
  lines.push(`constant verdict: ${c.verdict} — ${c.reason}`);
  lines.push(`note: ${c.note}`);
  return lines.join("\n");
}
