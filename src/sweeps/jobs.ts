/**
 * Kinds of sweep jobs. A job is one task of a sweep: a pure function of (configuration, master seed, replicate) to a
 * JSON result, so that a run gives the same numbers in this thread or in any worker, in any order. Kinds register
 * themselves by name when their module is imported and carry that module's URL, so that a worker thread can import
 * it: the sweep layer itself imports no experiment (imports flow experiments -> sweeps). The online-SGD run of
 * src/simulations is the built-in kind "online-sgd" and keeps its flat record format (RunRecord of store.ts).
 */
import { InputError } from "../link/errors.js";
import { buildProblem, canonicalConfig, configKey, runReplicate, runReplicates, type RunConfig } from "../simulations/config.js";
import type { Problem, RunOutcome } from "../simulations/model.js";
import { configurationId } from "../numeric/xoshiro.js";

/** What a job may depend on besides its configuration: the sweep's master seed and the replicate index. */
export interface JobContext {
  readonly masterSeed: number;
  readonly replicate: number;
}

/** A registered kind of sweep job: a deterministic function of (configuration, master seed, replicate) to JSON data. */
export interface JobKind<C = unknown, R = unknown> {
  /** Stable name, written into the manifest and every record: renaming a kind orphans its results. */
  readonly name: string;
  /** URL of the module that defines and registers the kind (its import.meta.url), imported by worker threads. */
  readonly module: string;
  /** Throws an InputError for a configuration that cannot run (checked for every job before anything runs). */
  readonly validate?: (config: C) => void;
  /** The job itself: deterministic in (config, masterSeed, replicate); the result must be plain JSON data. */
  readonly run: (config: C, ctx: JobContext) => R | Promise<R>;
  /** Id of a configuration; default: hash of the kind and the canonical (sorted-key) JSON of the configuration. */
  readonly id?: (config: C) => string;
  /**
   * Optional: several replicates of one configuration in one call, returning exactly what `run` returns for each (in
   * order); the runner then hands it groups of JOB_GROUP to 4 JOB_GROUP replicates (runner.ts groupSize; one worker
   * message per group).
   */
  readonly runGroup?: (config: C, ctx: { readonly masterSeed: number; readonly replicates: readonly number[] }) => R[] | Promise<R[]>;
  /** Expected cost of one job of a configuration, in any unit shared by the kind's jobs (weights the progress ETA); default 1. */
  readonly cost?: (config: C) => number;
}

const registry = new Map<string, JobKind>();

/** The usual number of replicates of one configuration run as one group (kinds with `runGroup`; runner.ts groupSize). */
export const JOB_GROUP = 8;

/**
 * Register a job kind under its name (call at module top level, with `module: import.meta.url`, so that a worker
 * thread importing the module registers the same kind). Defining the same name from another module throws.
 */
export function defineJobKind<C, R>(kind: JobKind<C, R>): JobKind<C, R> {
  const prev = registry.get(kind.name);
  if (prev && prev.module !== kind.module) throw new Error(`job kind '${kind.name}' is defined twice (${prev.module}, ${kind.module})`);
  registry.set(kind.name, kind as JobKind);
  return kind;
}

/** The kind registered under `name`, importing `module` first if it is not registered yet (worker threads). */
export async function loadJobKind(name: string, module?: string): Promise<JobKind> {
  if (!registry.has(name) && module) await import(module);
  const kind = registry.get(name);
  if (!kind) throw new Error(`unknown job kind '${name}'${module ? ` (not registered by ${module})` : ""}`);
  return kind;
}

export function getJobKind(name: string): JobKind {
  const kind = registry.get(name);
  if (!kind) throw new InputError(`unknown job kind '${name}' in the sweep`);
  return kind;
}

/** JSON with object keys sorted at every level: equal configurations give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export function jobConfigId(kind: JobKind, config: unknown): string {
  return kind.id ? kind.id(config) : configurationId(`${kind.name}:${canonicalJson(config)}`);
}

/** The online-SGD replicate of src/simulations (problems cached per configuration, e.g. inside a worker). */
const problems = new Map<string, Problem>();

export const ONLINE_SGD_KIND = "online-sgd";

function problemOf(config: RunConfig): Problem {
  const key = canonicalConfig(config);
  let problem = problems.get(key);
  if (!problem) { problem = buildProblem(config); if (problems.size > 64) problems.clear(); problems.set(key, problem); }
  return problem;
}

export const onlineSgdJob = defineJobKind<RunConfig, RunOutcome>({
  name: ONLINE_SGD_KIND,
  module: import.meta.url,
  validate: (config) => { buildProblem(config); },
  id: configKey,
  // the step budget bounds a run's steps; inner steps (reuse) multiply the work of a step
  cost: (config) => config.maxSteps * (config.variant === "reuse" ? 1 + config.innerSteps : 1),
  run: (config, { masterSeed, replicate }) => runReplicate(config, masterSeed, replicate, problemOf(config)),
  // the reduced engine's replicates run in lockstep (bitwise the single runs)
  runGroup: (config, { masterSeed, replicates }) => runReplicates(config, masterSeed, replicates, problemOf(config)),
});
