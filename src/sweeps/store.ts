/**
 * Append-only results files. Each finished run is one JSON line, written with a single append and fsync'd, so a
 * killed sweep (even kill -9) loses at most the runs in flight; a torn last line (killed mid-write) is cut off when
 * the file is reopened. The sweep's manifest is written atomically (temporary file, fsync, rename).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../link/errors.js";
import type { RunConfig } from "../simulations/config.js";
import { readJsonLinesNumbered } from "../io/durable.js";
import { describeIssues, parseResultLine, sweepSchemas } from "./records.js";

export interface RunRecord {
  /** Configuration id (hash of the canonical configuration) and the replicate index: the run's identity. */
  readonly configId: string;
  readonly replicate: number;
  readonly d: number;
  readonly masterSeed: number;
  readonly escapeStep: number | null;
  readonly censored: boolean;
  readonly diverged: boolean;
  readonly divergence?: string;
  readonly finalOverlap: number | null;
  readonly finalSignedOverlap: number | null;
  readonly steps: number;
}

/**
 * The record of a job of any other kind (src/sweeps/jobs.ts): identity, kind and the job's JSON result. Online-SGD
 * runs keep the flat RunRecord above (no `kind`), so sweeps written before job kinds existed still resume.
 */
export interface JobRecord<R = unknown> {
  readonly configId: string;
  readonly replicate: number;
  readonly masterSeed: number;
  readonly kind: string;
  readonly result: R;
}

/**
 * A configuration of the manifest. `kind` (absent: online-sgd) names its job kind and `replicates` (absent: the
 * manifest's `seeds`) its number of replicates.
 */
export interface ManifestEntry { readonly id: string; readonly config: RunConfig | unknown; readonly kind?: string; readonly replicates?: number }

export interface Manifest {
  readonly format: "index-lab-sweep/1";
  readonly command: string;
  readonly masterSeed: number;
  /** Replicates per configuration (the largest, when entries carry their own `replicates`). */
  readonly seeds: number;
  readonly configs: readonly ManifestEntry[];
  /** Anything the command needs to rebuild its report from the runs alone (e.g. the prediction). */
  readonly meta: Record<string, unknown>;
}

export const MANIFEST = "sweep.json";

export function runsFileName(shard: { index: number; count: number } | null): string {
  return shard && shard.count > 1 ? `runs.shard-${shard.index}-of-${shard.count}.jsonl` : "runs.jsonl";
}

/**
 * The manifest of a sweep directory (null when there is none), validated against its schema (src/sweeps/records.ts).
 * @throws InputError naming the file and the first bad field.
 */
export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) return null;
  let value: unknown;
  try { value = JSON.parse(fs.readFileSync(file, "utf8")); } catch {
    throw new InputError(`${file} is not an index-lab sweep manifest (not JSON)`);
  }
  const r = sweepSchemas().ManifestSchema.safeParse(value);
  if (!r.success) throw new InputError(`${file} is not an index-lab sweep manifest (${describeIssues(r.error)})`);
  return value as Manifest;
}

/** Identity of a run inside a sweep. */
export const runId = (r: { configId: string; replicate: number }) => `${r.configId}#${r.replicate}`;

/**
 * Read every complete line of a results file (a torn last line is ignored and, if `repair`, cut off by bytes), each
 * validated against the record schema it was written with (src/sweeps/records.ts).
 * @throws InputError "FILE:LINE: reason" for a line that is not UTF-8, not JSON or not a valid record.
 */
export function readRuns<T extends { configId: string; replicate: number } = RunRecord>(file: string, repair = false): T[] {
  return readJsonLinesNumbered(file, repair, { parse: parseResultLine, error: (m) => new InputError(m) }).map((x) => x.record as unknown as T);
}

/**
 * The records of several results files, one per run identity. A run present twice must agree exactly (same seed,
 * same numbers); a run that appears twice with different results is refused, as by `merge`.
 * @throws InputError for a bad line or a conflicting duplicate.
 */
export function readRunSet<T extends { configId: string; replicate: number }>(files: readonly string[], repairFile?: string): { records: Map<string, T>; duplicates: number } {
  const records = new Map<string, T>();
  let duplicates = 0;
  for (const f of files) {
    for (const r of readRuns<T>(f, f === repairFile)) {
      const key = runId(r);
      const prev = records.get(key);
      if (prev === undefined) { records.set(key, r); continue; }
      duplicates++;
      if (JSON.stringify(prev) !== JSON.stringify(r)) {
        throw new InputError(`${f}: run ${key} appears twice with different results; the files were edited or come from different code`);
      }
    }
  }
  return { records, duplicates };
}

/** All results files of a sweep directory (unsharded and every shard). */
export function runsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /^runs(\.shard-\d+-of-\d+)?\.jsonl$/.test(f)).sort().map((f) => path.join(dir, f));
}

/** Number of runs a complete sweep holds (entries may carry their own number of replicates). */
export function expectedRuns(m: Manifest): number {
  return m.configs.reduce((s, c) => s + (c.replicates ?? m.seeds), 0);
}
