/**
 * A sweep: tasks (configuration x replicate) run on a pool, results appended per run to `<dir>/runs*.jsonl`, with
 * `resume` skipping every run already on disk (a finished sweep is never recomputed) and `shard` running a
 * deterministic slice. Without a directory, results are kept in memory only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../link/errors.js";
import { buildProblem, configKey, type RunConfig } from "../simulations/config.js";
import type { RunOutcome } from "../simulations/model.js";
import { planTasks, shardTasks, type Shard, type Task } from "./plan.js";
import { runTasks } from "./runner.js";
import { MANIFEST, ResultsWriter, readManifest, readRuns, runId, runsFileName, runsFiles, writeAtomic, type Manifest, type RunRecord } from "./store.js";

export interface SweepOptions {
  readonly command: string;
  readonly configs: readonly RunConfig[];
  readonly seeds: number;
  readonly masterSeed: number;
  readonly workers: number;
  readonly dir?: string;
  readonly resume?: boolean;
  readonly shard?: Shard | null;
  readonly meta?: Record<string, unknown>;
  readonly onProgress?: (done: number, total: number) => void;
  /** Called with every run computed now (not with runs read back from disk). */
  readonly onOutcome?: (task: Task, outcome: RunOutcome) => void;
}

export interface SweepResult {
  /** Every run of the sweep known so far (read back from disk when a directory is used), one per identity. */
  readonly records: RunRecord[];
  readonly computed: number;
  readonly skipped: number;
  readonly total: number;
  readonly manifest: Manifest;
}

export function toRecord(task: Task, masterSeed: number, o: RunOutcome): RunRecord {
  return {
    configId: task.configId, replicate: task.replicate, d: task.config.d, masterSeed,
    escapeStep: o.escapeStep, censored: o.censored, diverged: o.diverged, ...(o.divergence ? { divergence: o.divergence } : {}),
    finalOverlap: Number.isFinite(o.finalOverlap) ? o.finalOverlap : null,
    finalSignedOverlap: Number.isFinite(o.finalSignedOverlap) ? o.finalSignedOverlap : null,
    steps: o.steps,
  };
}

function sameSweep(a: Manifest, b: Manifest): boolean {
  return a.masterSeed === b.masterSeed && a.seeds === b.seeds && a.command === b.command
    && JSON.stringify(a.configs.map((c) => c.id)) === JSON.stringify(b.configs.map((c) => c.id));
}

export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  for (const c of o.configs) buildProblem(c); // every configuration is valid before anything runs
  const manifest: Manifest = {
    format: "index-lab-sweep/1", command: o.command, masterSeed: o.masterSeed, seeds: o.seeds,
    configs: o.configs.map((config) => ({ id: configKey(config), config })), meta: o.meta ?? {},
  };
  const tasks = planTasks(o.configs, o.seeds);
  const mine = shardTasks(tasks, o.shard ?? null);
  const known = new Map<string, RunRecord>();
  let writer: ResultsWriter | null = null;
  if (o.dir) {
    fs.mkdirSync(o.dir, { recursive: true });
    const existing = readManifest(o.dir);
    const files = runsFiles(o.dir);
    if (existing && !sameSweep(existing, manifest)) {
      throw new InputError(`${o.dir} holds a different sweep (other configurations, seeds or master seed); use another --out directory`);
    }
    if (files.some((f) => fs.statSync(f).size > 0) && !o.resume) {
      throw new InputError(`${o.dir} already holds results of this sweep; pass --resume to continue it (finished runs are not recomputed)`);
    }
    if (!existing) writeAtomic(path.join(o.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const ownFile = path.join(o.dir, runsFileName(o.shard ?? null));
    for (const f of files) for (const r of readRuns(f, f === ownFile)) known.set(runId(r), r);
    writer = new ResultsWriter(ownFile);
  }
  const todo = mine.filter((t) => !known.has(runId(t)));
  let done = mine.length - todo.length;
  o.onProgress?.(done, mine.length);
  try {
    await runTasks(todo, {
      workers: o.workers, masterSeed: o.masterSeed,
      onResult: (task, outcome) => {
        const rec = toRecord(task, o.masterSeed, outcome);
        writer?.append(rec);
        known.set(runId(rec), rec);
        o.onOutcome?.(task, outcome);
        o.onProgress?.(++done, mine.length);
      },
    });
  } finally {
    writer?.close();
  }
  const ids = new Set(manifest.configs.map((c) => c.id));
  const records = [...known.values()].filter((r) => ids.has(r.configId) && r.replicate < o.seeds)
    .sort((a, b) => a.configId.localeCompare(b.configId) || a.replicate - b.replicate);
  return { records, computed: todo.length, skipped: mine.length - todo.length, total: tasks.length, manifest };
}
