/**
 * Running a list of jobs on all cores (piscina worker threads) or in-process, with per-job results handed to a
 * callback as they finish. Every job is deterministic in (configuration, master seed, replicate) (online-SGD runs
 * draw from their own keyed stream), so the results do not depend on the number of workers or on the completion order.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { fileURLToPath } from "node:url";
import type { RunOutcome } from "../simulations/model.js";
import { loadJobKind, ONLINE_SGD_KIND } from "./jobs.js";
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

export async function runJobTasks(tasks: readonly JobTask[], options: JobRunnerOptions): Promise<void> {
  const file = options.workers > 0 && tasks.length > 1 ? workerFile() : null;
  if (!file) {
    for (const task of tasks) {
      const kind = await loadJobKind(task.kind);
      options.onResult(task, await kind.run(task.config, { masterSeed: options.masterSeed, replicate: task.replicate }));
      await new Promise((r) => setImmediate(r)); // let signals and progress output through
    }
    return;
  }
  const { Piscina } = await import("piscina");
  const pool = new Piscina({ filename: file, maxThreads: options.workers, minThreads: Math.min(options.workers, tasks.length), idleTimeout: 1000 });
  try {
    await Promise.all(tasks.map(async (task) => {
      const kind = await loadJobKind(task.kind);
      const message: WorkerTask = { kind: task.kind, module: kind.module, config: task.config, masterSeed: options.masterSeed, replicate: task.replicate };
      options.onResult(task, await pool.run(message));
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
