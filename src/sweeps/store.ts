/**
 * Append-only results files. Each finished run is one JSON line, written with a single append and fsync'd, so a
 * killed sweep (even kill -9) loses at most the runs in flight; a torn last line (killed mid-write) is cut off when
 * the file is reopened. The sweep's manifest is written atomically (temporary file, fsync, rename).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../link/errors.js";
import type { RunConfig } from "../simulations/config.js";
import { readJsonLines } from "../io/durable.js";

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

export function readManifest(dir: string): Manifest | null {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) return null;
  try {
    const m = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    if (m.format !== "index-lab-sweep/1") throw new Error("format");
    return m;
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
