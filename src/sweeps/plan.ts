/**
 * The task list of a sweep: every (configuration, replicate) pair in a fixed order, and deterministic shards of it
 * (task number j goes to shard j mod N), so that a Slurm job array covers the sweep exactly once.
 */
import { InputError } from "../link/errors.js";
import { configKey, type RunConfig } from "../simulations/config.js";

export interface Task { readonly config: RunConfig; readonly configId: string; readonly replicate: number }

export interface Shard { readonly index: number; readonly count: number }

/**
 * Every (configuration, replicate) task of an online-SGD sweep in replicate-major order (all configurations at
 * replicate 0, then 1, ...), so that a partial sweep covers every configuration evenly.
 * @throws InputError when a configuration is listed twice.
 */
export function planTasks(configs: readonly RunConfig[], seeds: number): Task[] {
  const tasks: Task[] = [];
  const ids = configs.map(configKey);
  if (new Set(ids).size !== ids.length) throw new InputError("the sweep lists the same configuration twice");
  // replicate-major order: early results cover every configuration, so partial sweeps are balanced
  for (let r = 0; r < seeds; r++) configs.forEach((config, i) => tasks.push({ config, configId: ids[i]!, replicate: r }));
  return tasks;
}

/** One job of a sweep of any registered kind (src/sweeps/jobs.ts): configuration, its id and the replicate index. */
export interface JobTask { readonly kind: string; readonly config: unknown; readonly configId: string; readonly replicate: number }

/** A configuration of a sweep with its kind and its number of replicates (e.g. seeds of an initialisation). */
export interface JobSpec { readonly kind: string; readonly config: unknown; readonly configId: string; readonly replicates: number }

/** Replicate-major order as in planTasks; a configuration with fewer replicates simply drops out of later rounds. */
export function planJobs(specs: readonly JobSpec[]): JobTask[] {
  const ids = specs.map((s) => s.configId);
  if (new Set(ids).size !== ids.length) throw new InputError("the sweep lists the same configuration twice");
  const rounds = Math.max(0, ...specs.map((s) => s.replicates));
  const tasks: JobTask[] = [];
  for (let r = 0; r < rounds; r++) for (const s of specs) if (r < s.replicates) tasks.push({ kind: s.kind, config: s.config, configId: s.configId, replicate: r });
  return tasks;
}

/**
 * Shard i of N of a task list: task j goes to shard j mod N, so the N shards of a Slurm job array cover the sweep
 * exactly once. No shard (null) or N = 1 keeps every task.
 */
export function shardTasks<T>(tasks: readonly T[], shard: Shard | null): T[] {
  if (!shard || shard.count === 1) return [...tasks];
  return tasks.filter((_, j) => j % shard.count === shard.index);
}

/** Parse "i/N" with 0 <= i < N (Slurm: --shard $SLURM_ARRAY_TASK_ID/N with --array=0-(N-1)). */
export function parseShard(text: string | undefined): Shard | null {
  if (text === undefined) return null;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(`--shard '${text}' must look like i/N, e.g. 0/8 (i counts from 0)`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || count > 100000 || index >= count) throw new InputError(`--shard '${text}': need 0 <= i < N and 1 <= N <= 100000`);
  return { index, count };
}
