/**
 * Running a list of tasks on all cores (piscina worker threads) or in-process, with per-run results handed to a
 * callback as they finish. Every run draws from its own keyed stream, so the results do not depend on the number of
 * workers or on the completion order.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { fileURLToPath } from "node:url";
import { runReplicate } from "../simulations/config.js";
import type { RunOutcome } from "../simulations/model.js";
import type { Task } from "./plan.js";

export interface RunnerOptions {
  /** 0: run in this thread; n >= 1: a pool of n worker threads. */
  readonly workers: number;
  readonly masterSeed: number;
  readonly onResult: (task: Task, outcome: RunOutcome) => void;
}

export function defaultWorkers(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** The compiled worker module next to this one (absent when running from TypeScript sources). */
function workerFile(): string | null {
  const url = new URL("./worker.js", import.meta.url);
  const file = fileURLToPath(url);
  return fs.existsSync(file) ? url.href : null;
}

export async function runTasks(tasks: readonly Task[], options: RunnerOptions): Promise<void> {
  const file = options.workers > 0 && tasks.length > 1 ? workerFile() : null;
  if (!file) {
    for (const task of tasks) {
      options.onResult(task, runReplicate(task.config, options.masterSeed, task.replicate));
      await new Promise((r) => setImmediate(r)); // let signals and progress output through
    }
    return;
  }
  const { Piscina } = await import("piscina");
  const pool = new Piscina({ filename: file, maxThreads: options.workers, minThreads: Math.min(options.workers, tasks.length), idleTimeout: 1000 });
  try {
    await Promise.all(tasks.map(async (task) => {
      const outcome = (await pool.run({ config: task.config, masterSeed: options.masterSeed, replicate: task.replicate })) as RunOutcome;
      options.onResult(task, outcome);
    }));
  } finally {
    await pool.destroy();
  }
}
