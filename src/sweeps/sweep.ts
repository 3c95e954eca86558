/**
 * A sweep: jobs (configuration x replicate, of any registered kind: src/sweeps/jobs.ts) run on a pool, results
 * appended per job to `<dir>/runs*.jsonl`, with `resume` skipping every job already on disk (a finished sweep is
 * never recomputed) and `shard` running a deterministic slice. Without a directory, results are kept in memory only.
 * `runSweep` is the online-SGD sweep (flat RunRecord lines); `runJobSweep` the general one (JobRecord lines).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../link/errors.js";
import { configKey, type RunConfig } from "../simulations/config.js";
import type { RunOutcome } from "../simulations/model.js";
import { getJobKind, jobConfigId, ONLINE_SGD_KIND } from "./jobs.js";
import { planJobs, shardTasks, type JobSpec, type JobTask, type Shard, type Task } from "./plan.js";
import { runJobTasks } from "./runner.js";
import { CostProgress, type ProgressState } from "./progress.js";
import {
  MANIFEST, expectedRuns, readManifest, readRunSet, runId, runsFileName, runsFiles,
  type JobRecord, type Manifest, type ManifestEntry, type RunRecord,
} from "./store.js";
import { JsonLinesAppender, makeDirectory, writeAtomic } from "../io/durable.js";
import { acquireLock, type HeldLock } from "../io/lock.js";

/** How any sweep runs: the command that wrote it, master seed, worker threads, directory, resume flag and shard. */
export interface SweepControl {
  readonly command: string;
  readonly masterSeed: number;
  readonly workers: number;
  readonly dir?: string;
  readonly resume?: boolean;
  readonly shard?: Shard | null;
  readonly meta?: Record<string, unknown>;
  /** Called as jobs finish: jobs done of this process's slice, and the progress weighted by expected cost. */
  readonly onProgress?: (done: number, total: number, progress: SweepProgress) => void;
  /**
   * Called with the jobs this process still has to compute (after the results on disk are read back), before
   * anything is written or run: throwing refuses the sweep (e.g. a budget check that should not count finished runs).
   */
  readonly admit?: (todo: readonly JobTask[]) => void;
  /** Expected cost of one job of a configuration (default: the job kind's `cost`, else 1): weights the ETA. */
  readonly cost?: (config: unknown) => number;
}

/**
 * Progress of a sweep weighted by the expected cost of each job (runs at large d cost more than at small d), from
 * src/sweeps/progress.ts: jobs read back from disk count as done, and the ETA extrapolates the work computed so far
 * in this process at its rate (null before the first job of this process finishes). `done`/`total` are the job
 * counts of this process's slice (runsDone/runsTotal).
 */
export interface SweepProgress extends ProgressState {
  readonly done: number;
  readonly total: number;
}

/** An online-SGD sweep: `seeds` replicates of every configuration. */
export interface SweepOptions extends SweepControl {
  readonly configs: readonly RunConfig[];
  readonly seeds: number;
  /** Called with every run computed now (not with runs read back from disk). */
  readonly onOutcome?: (task: Task, outcome: RunOutcome) => void;
}

/**
 * Outcome of an online-SGD sweep: the run records known so far, how many runs were computed now and how many were
 * skipped as already on disk, the number of runs over all shards, and the manifest.
 */
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

/** A job of a general sweep: kind, configuration and number of replicates. */
export interface JobRequest { readonly kind: string; readonly config: unknown; readonly replicates: number }

/** A general sweep: its jobs, master seed, worker threads, and the optional directory, resume flag and shard. */
export interface JobSweepOptions extends SweepControl {
  readonly jobs: readonly JobRequest[];
}

/** The records of a general sweep (read back from disk when a directory is used) and what was computed now. */
export interface JobSweepResult {
  /** Every job of the sweep known so far, one per identity, as read back from JSON (sorted by id and replicate). */
  readonly records: JobRecord[];
  readonly computed: number;
  readonly skipped: number;
  readonly total: number;
  /** Whether every job of the sweep (all shards) has a record. */
  readonly complete: boolean;
  readonly manifest: Manifest;
  /** Id of each requested job, in request order. */
  readonly ids: string[];
}

function sameSweep(a: Manifest, b: Manifest): boolean {
  return a.masterSeed === b.masterSeed && a.seeds === b.seeds && a.command === b.command
    && JSON.stringify(a.configs.map((c) => c.id)) === JSON.stringify(b.configs.map((c) => c.id));
}

interface Core<R> extends SweepControl {
  readonly seeds: number;
  readonly specs: readonly JobSpec[];
  readonly entries: readonly ManifestEntry[];
  /** The record written for a job computed now. */
  readonly record: (task: JobTask, result: unknown) => R;
}

/** Plan, read back what is on disk, run the rest, append each result as it finishes. */
async function sweepCore<R extends { configId: string; replicate: number }>(o: Core<R>): Promise<{ known: Map<string, R>; computed: number; skipped: number; total: number; manifest: Manifest }> {
  const manifest: Manifest = { format: "index-lab-sweep/1", command: o.command, masterSeed: o.masterSeed, seeds: o.seeds, configs: o.entries, meta: o.meta ?? {} };
  const tasks = planJobs(o.specs);
  const mine = shardTasks(tasks, o.shard ?? null);
  const known = new Map<string, R>();
  let writer: JsonLinesAppender | null = null;
  let lock: HeldLock | null = null;
  if (o.dir) {
    makeDirectory(o.dir, (m) => new InputError(m));
    const ownFile = path.join(o.dir, runsFileName(o.shard ?? null));
    // one writer per results file: a second copy of the same sweep (or shard) is refused, not run twice
    lock = acquireLock(`${ownFile}.lock`, `${o.command} sweep${o.shard && o.shard.count > 1 ? `, shard ${o.shard.index}/${o.shard.count}` : ""}`, (m) => new InputError(m));
    try {
      const existing = readManifest(o.dir);
      const files = runsFiles(o.dir);
      if (existing && !sameSweep(existing, manifest)) {
        throw new InputError(`${o.dir} holds a different sweep (other configurations, seeds or master seed); use another --out directory`);
      }
      if (files.some((f) => fs.statSync(f).size > 0) && !o.resume) {
        throw new InputError(`${o.dir} already holds results of this sweep; pass --resume to continue it (finished runs are not recomputed)`);
      }
      const wanted = new Map(o.specs.map((s) => [s.configId, s.replicates]));
      for (const [key, r] of readRunSet<R>(files, ownFile).records) {
        // a record of this directory must belong to this sweep: a known configuration, replicate and master seed
        const seed = (r as unknown as { masterSeed?: number }).masterSeed;
        const reps = wanted.get(r.configId);
        if (reps === undefined || seed !== o.masterSeed) {
          throw new InputError(`${o.dir}: run ${key} does not belong to this sweep (${reps === undefined ? "unknown configuration" : `master seed ${seed}, not ${o.masterSeed}`}); the results files were edited or mixed`);
        }
        known.set(key, r);
      }
      o.admit?.(mine.filter((t) => !known.has(runId(t))));
      if (!existing) writeAtomic(path.join(o.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      writer = new JsonLinesAppender(ownFile);
    } catch (e) {
      lock.release();
      throw e;
    }
  }
  if (!o.dir) o.admit?.(mine);
  const todo = mine.filter((t) => !known.has(runId(t)));
  const costs = new Map<string, number>();
  const costOf = (t: JobTask): number => {
    let c = costs.get(t.configId);
    if (c === undefined) {
      const raw = o.cost ? o.cost(t.config) : getJobKind(t.kind).cost?.(t.config) ?? 1;
      c = Number.isFinite(raw) && raw > 0 ? raw : 1;
      costs.set(t.configId, c);
    }
    return c;
  };
  const clock = new CostProgress(mine.map(costOf));
  const report = (st: ProgressState) => o.onProgress?.(st.runsDone, st.runsTotal, { ...st, done: st.runsDone, total: st.runsTotal });
  let st = clock.state();
  for (const t of mine) if (known.has(runId(t))) st = clock.skip(costOf(t));
  report(st);
  try {
    await runJobTasks(todo, {
      workers: o.workers, masterSeed: o.masterSeed, cost: costOf,
      onResult: (task, result) => {
        const rec = o.record(task, result);
        writer?.append(rec as unknown as RunRecord);
        known.set(runId(rec), rec);
        report(clock.finish(costOf(task)));
      },
    });
  } finally {
    writer?.close();
    lock?.release();
  }
  return { known, computed: todo.length, skipped: mine.length - todo.length, total: tasks.length, manifest };
}

/**
 * Run an online-SGD sweep: `seeds` replicates of every configuration on `workers` threads, each run appended to
 * `<dir>/runs*.jsonl` as it finishes; with `resume` the runs on disk are skipped, with `shard` only its slice runs.
 * @throws InputError for an invalid or repeated configuration, or a directory that holds a different sweep or already
 *   holds results of this one without `resume`.
 */
export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  const kind = getJobKind(ONLINE_SGD_KIND);
  for (const c of o.configs) kind.validate?.(c); // every configuration is valid before anything runs
  const ids = o.configs.map(configKey);
  const specs = o.configs.map((config, i) => ({ kind: ONLINE_SGD_KIND, config, configId: ids[i]!, replicates: o.seeds }));
  const entries = o.configs.map((config, i) => ({ id: ids[i]!, config }));
  const onOutcome = o.onOutcome;
  const r = await sweepCore<RunRecord>({
    ...o, specs, entries,
    record: (task, result) => {
      const t: Task = { config: task.config as RunConfig, configId: task.configId, replicate: task.replicate };
      onOutcome?.(t, result as RunOutcome);
      return toRecord(t, o.masterSeed, result as RunOutcome);
    },
  });
  const idSet = new Set(ids);
  const records = [...r.known.values()].filter((x) => idSet.has(x.configId) && x.replicate < o.seeds)
    .sort((a, b) => a.configId.localeCompare(b.configId) || a.replicate - b.replicate);
  return { records, computed: r.computed, skipped: r.skipped, total: r.total, manifest: r.manifest };
}

/**
 * A sweep of jobs of registered kinds. Records hold the job's result after a JSON round trip, so a summary built
 * from a fresh run, from a resumed one and from merged shards sees exactly the same numbers.
 */
export async function runJobSweep(o: JobSweepOptions): Promise<JobSweepResult> {
  const specs: JobSpec[] = o.jobs.map((j) => {
    const kind = getJobKind(j.kind);
    if (!(Number.isInteger(j.replicates) && j.replicates >= 1)) throw new InputError(`job of kind ${j.kind}: replicates must be an integer >= 1, got ${j.replicates}`);
    kind.validate?.(j.config); // every configuration is valid before anything runs
    return { kind: j.kind, config: j.config, configId: jobConfigId(kind, j.config), replicates: j.replicates };
  });
  const seeds = Math.max(1, ...specs.map((s) => s.replicates));
  const entries: ManifestEntry[] = specs.map((s) => ({ id: s.configId, kind: s.kind, config: s.config, ...(s.replicates !== seeds ? { replicates: s.replicates } : {}) }));
  const r = await sweepCore<JobRecord>({
    ...o, specs, entries, seeds,
    record: (task, result) => JSON.parse(JSON.stringify({ configId: task.configId, replicate: task.replicate, masterSeed: o.masterSeed, kind: task.kind, result })) as JobRecord,
  });
  const wanted = new Map(specs.map((s) => [s.configId, s.replicates]));
  const records = [...r.known.values()].filter((x) => x.replicate < (wanted.get(x.configId) ?? 0))
    .sort((a, b) => a.configId.localeCompare(b.configId) || a.replicate - b.replicate);
  return { records, computed: r.computed, skipped: r.skipped, total: r.total, complete: records.length === expectedRuns(r.manifest), manifest: r.manifest, ids: specs.map((s) => s.configId) };
}

/** The records of one configuration id, by replicate. */
export function recordsOf<R>(records: readonly JobRecord[], configId: string): R[] {
  return records.filter((r) => r.configId === configId).sort((a, b) => a.replicate - b.replicate).map((r) => r.result as R);
}
