/**
 * Append-only results files. Each finished run is one JSON line, written with a single append and fsync'd, so a
 * killed sweep (even kill -9) loses at most the runs in flight; a torn last line (killed mid-write) is cut off when
 * the file is reopened. The sweep's manifest is written atomically (temporary file, fsync, rename).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../link/errors.js";
import { readJsonLines } from "../io/durable.js";
import type { z } from "zod";
import { ManifestSchema, type ManifestEntrySchema, type RunRecordSchema } from "./schema.js";

/** A finished online-SGD run (the schema `runs`; see ./schema.ts). */
export type RunRecord = z.infer<typeof RunRecordSchema>;

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

/** A configuration of the manifest (see ./schema.ts). */
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

/** The manifest `sweep.json` of a sweep directory (the schema `sweep-manifest`). */
export type Manifest = z.infer<typeof ManifestSchema>;

export const MANIFEST = "sweep.json";

export function runsFileName(shard: { index: number; count: number } | null): string {
  return shard && shard.count > 1 ? `runs.shard-${shard.index}-of-${shard.count}.jsonl` : "runs.jsonl";
}

export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) return null;
  try {
    return ManifestSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    throw new InputError(`${file} is not an index-lab sweep manifest`);
  }
}

/** Identity of a run inside a sweep. */
export const runId = (r: { configId: string; replicate: number }) => `${r.configId}#${r.replicate}`;

/** Read every complete line of a results file (a torn last line is ignored and, if `repair`, cut off). */
export function readRuns<T extends { configId: string; replicate: number } = RunRecord>(file: string, repair = false): T[] {
  return readJsonLines<T>(file, repair);
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
