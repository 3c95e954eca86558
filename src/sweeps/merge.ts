/**
 * `merge`: join the results files of shards (directories or files) into one `runs.jsonl`. A run present twice must
 * agree exactly (same seed -> same numbers); a disagreement is an error, never silently resolved.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../link/errors.js";
import { makeDirectory, writeAtomic } from "../io/durable.js";
import { expectedRuns, MANIFEST, readManifest, readRuns, runId, runsFiles, type JobRecord, type Manifest, type RunRecord } from "./store.js";

export interface MergeResult {
  readonly out: string;
  readonly files: string[];
  readonly runs: number;
  readonly duplicates: number;
  readonly expected: number | null;
  readonly missing: number | null;
  readonly manifest: Manifest | null;
  /** Online-SGD runs (RunRecord) or jobs of other kinds (JobRecord, with `kind`). */
  readonly records: (RunRecord | JobRecord)[];
}

/**
 * Join the results of shards (directories, with their manifest, or runs*.jsonl files) into `<outDir>/runs.jsonl`, one
 * record per run sorted by configuration and replicate, and copy the manifest; `missing` counts against the manifest.
 * @throws InputError when an input does not exist, directories belong to different sweeps, no results file is found,
 *   or a run appears twice with different results.
 */
export function mergeRuns(inputs: readonly string[], outDir: string): MergeResult {
  const files: string[] = [];
  let manifest: Manifest | null = null;
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new InputError(`merge: '${input}' does not exist`);
    if (fs.statSync(input).isDirectory()) {
      files.push(...runsFiles(input));
      const m = readManifest(input);
      if (m && manifest && (m.masterSeed !== manifest.masterSeed || JSON.stringify(m.configs.map((c) => c.id)) !== JSON.stringify(manifest.configs.map((c) => c.id)))) {
        throw new InputError(`merge: '${input}' belongs to a different sweep than the other inputs`);
      }
      manifest ??= m;
    } else files.push(input);
  }
  if (!files.length) throw new InputError("merge: no runs*.jsonl files found in the inputs");
  const byId = new Map<string, RunRecord | JobRecord>();
  let duplicates = 0;
  for (const f of files) {
    for (const r of readRuns<RunRecord | JobRecord>(f)) {
      const id = runId(r);
      const prev = byId.get(id);
      if (prev) {
        duplicates++;
        if (JSON.stringify(prev) !== JSON.stringify(r)) throw new InputError(`merge: run ${id} appears twice with different results (${path.basename(f)}); the shards do not come from the same sweep or code`);
      } else byId.set(id, r);
    }
  }
  const records = [...byId.values()].sort((a, b) => a.configId.localeCompare(b.configId) || a.replicate - b.replicate);
  makeDirectory(outDir, (m) => new InputError(m));
  writeAtomic(path.join(outDir, "runs.jsonl"), records.map((r) => JSON.stringify(r)).join("\n") + (records.length ? "\n" : ""));
  if (manifest && !fs.existsSync(path.join(outDir, MANIFEST))) writeAtomic(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const expected = manifest ? expectedRuns(manifest) : null;
  return { out: path.join(outDir, "runs.jsonl"), files, runs: records.length, duplicates, expected, missing: expected === null ? null : expected - records.length, manifest, records };
}
