/**
 * Running a list of jobs on all cores (piscina worker threads) or in-process, with per-job results handed to a
 * callback as they finish. Every job is deterministic in (configuration, master seed, replicate) (online-SGD runs
 * draw from their own keyed stream), so the results do not depend on the number of workers or on the completion order.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { fileURLToPath } from "node:url";
import type { RunOutcome } from "../simulations/model.js";
import { JOB_GROUP, loadJobKind, ONLINE_SGD_KIND, type JobKind } from "./jobs.js";
import type { JobTask, Task } from "./plan.js";
import type { WorkerTask } from "./worker.js";

export interface RunnerOptions {
  /** 0: run in this thread; n >= 1: a pool of n worker threads. */
  readonly workers: number;
  readonly masterSeed: number;
  readonly onResult: (task: Task, outcome: RunOutcome) => void;
}

export interface JobRunnerOptions {
  readonly workers: number;
  readonly masterSeed: number;
  readonly onResult: (task: JobTask, result: unknown) => void;
  /** Expected cost of a job (default: its kind's `cost`, else 1): on a pool the costliest units are sent first. */
  readonly cost?: (task: JobTask) => number;
}

/** The default number of worker threads: one per core. */
export function defaultWorkers(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/**
 * The largest number of worker threads a sweep may start: twice the cores, at least 4. Each thread holds its own
 * V8 heap (~30 MB), and threads beyond the cores add memory, not speed, to these CPU-bound jobs.
 */
export function maxWorkers(): number {
  return Math.max(4, 2 * defaultWorkers());
}

/** The compiled worker module next to this one (absent when running from TypeScript sources). */
function workerFile(): string | null {
  const url = new URL("./worker.js", import.meta.url);
  const file = fileURLToPath(url);
  return fs.existsSync(file) ? url.href : null;
}

/**
 * The units of work: one task each, except that the tasks of a configuration whose kind can run replicates together
 * (`runGroup`) form groups, in the order of their first task. A group holds up to `groupSize(n, workers)` of the n
 * tasks of its configuration.
 */
function units(tasks: readonly JobTask[], kinds: ReadonlyMap<string, JobKind>, workers: number): JobTask[][] {
  const out: JobTask[][] = [];
  const open = new Map<string, JobTask[]>();
  const count = new Map<string, number>();
  const key = (task: JobTask) => `${task.kind}\u0000${task.configId}`;
  for (const task of tasks) if (kinds.get(task.kind)!.runGroup) count.set(key(task), (count.get(key(task)) ?? 0) + 1);
  for (const task of tasks) {
    if (!kinds.get(task.kind)!.runGroup) { out.push([task]); continue; }
    const k = key(task), size = groupSize(count.get(k)!, workers);
    let group = open.get(k);
    if (!group || group.length >= size) { group = []; open.set(k, group); out.push(group); }
    group.push(task);
  }
  return out;
}

/**
 * Replicates of one configuration per group when it has n on `workers` workers: n / workers (one group per worker
 * for the costliest configuration, which the pool sends first), between JOB_GROUP and 4 JOB_GROUP. A group runs its
 * replicates in lockstep lanes that narrow (4, 2, 1) as the last ones finish, so larger groups spend fewer steps in
 * the narrow, slower lanes: with 32 seeds on 2 workers, groups of 16 instead of 8 take about half as many of those
 * steps (simulated on the He3 verify sweep's escape times); from 4 workers on, groups stay at JOB_GROUP so that every
 * worker has work. The grouping does not change any result (each replicate draws from its own stream).
 */
export function groupSize(n: number, workers: number): number {
  if (workers <= 0) return JOB_GROUP; // in this thread: groups stay small so that signals and progress get through
  return Math.min(4 * JOB_GROUP, Math.max(JOB_GROUP, Math.ceil(n / workers)));
}

export async function runJobTasks(tasks: readonly JobTask[], options: JobRunnerOptions): Promise<void> {
  const kinds = new Map<string, JobKind>();
  for (const t of tasks) if (!kinds.has(t.kind)) kinds.set(t.kind, await loadJobKind(t.kind));
  const work = units(tasks, kinds, options.workers);
  const file = options.workers > 0 && work.length > 1 ? workerFile() : null;
  const deliver = (unit: JobTask[], results: unknown) => {
    if (unit.length === 1 && !kinds.get(unit[0]!.kind)!.runGroup) { options.onResult(unit[0]!, results); return; }
    unit.forEach((task, i) => options.onResult(task, (results as unknown[])[i]));
  };
  if (!file) {
    for (const unit of work) {
      const kind = kinds.get(unit[0]!.kind)!, first = unit[0]!;
      deliver(unit, kind.runGroup
        ? await kind.runGroup(first.config, { masterSeed: options.masterSeed, replicates: unit.map((t) => t.replicate) })
        : await kind.run(first.config, { masterSeed: options.masterSeed, replicate: first.replicate }));
      await new Promise((r) => setImmediate(r)); // let signals and progress output through
    }
    return;
  }
  // longest processing time first: the costliest units (runs at the largest d) start at once and the cheap ones fill
  // the gaps at the end, so no worker idles through a long tail (the order of results does not affect them)
  const cost = (t: JobTask) => {
    const c = options.cost ? options.cost(t) : kinds.get(t.kind)!.cost?.(t.config) ?? 1;
    return Number.isFinite(c) && c > 0 ? c : 1;
  };
  const unitCost = new Map(work.map((u) => [u, u.reduce((s, t) => s + cost(t), 0)]));
  work.sort((a, b) => unitCost.get(b)! - unitCost.get(a)!);
  const { Piscina } = await import("piscina");
  const pool = new Piscina({ filename: file, maxThreads: options.workers, minThreads: Math.min(options.workers, work.length), idleTimeout: 1000 });
  try {
    await Promise.all(work.map(async (unit) => {
      const kind = kinds.get(unit[0]!.kind)!, first = unit[0]!;
      const message: WorkerTask = {
        kind: first.kind, module: kind.module, config: first.config, masterSeed: options.masterSeed, replicate: first.replicate,
        ...(kind.runGroup ? { replicates: unit.map((t) => t.replicate) } : {}),
      };
      deliver(unit, await pool.run(message));
    }));
  } finally {
    await pool.destroy();
  }
}

/** Online-SGD tasks (the original interface of the runner). */
export async function runTasks(tasks: readonly Task[], options: RunnerOptions): Promise<void> {
  const original = new Map<JobTask, Task>();
  const jobs = tasks.map((t) => { const j: JobTask = { kind: ONLINE_SGD_KIND, config: t.config, configId: t.configId, replicate: t.replicate }; original.set(j, t); return j; });
  await runJobTasks(jobs, { workers: options.workers, masterSeed: options.masterSeed, onResult: (j, r) => options.onResult(original.get(j)!, r as RunOutcome) });
}
