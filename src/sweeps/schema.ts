/**
 * The sweep files as zod schemas, the single definition of their format: the manifest (`sweep.json`) and a line of a
 * results file (`runs*.jsonl`). The store validates every record it reads back with them (src/sweeps/records.ts,
 * with line numbers), and `npm run schemas` turns them into the shipped JSON Schemas `sweep-manifest` and `runs`
 * (the cross-field rules of a run record, e.g. "censored exactly when there is no escape step", are checked by the
 * store but cannot be stated in JSON Schema).
 */
import { z } from "zod";
import { schemaId } from "../io/schemaId.js";

const id = z.string().min(1).max(200);
const count = z.int().min(0);
const seed = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A finished online-SGD run: identity, dimension, escape step (null when censored or diverged) and final overlaps. */
export const RunRecordSchema = z.object({
  configId: id.describe("hash of the canonical configuration (the manifest's configs[].id)"),
  replicate: count,
  d: z.int().min(1),
  masterSeed: seed,
  escapeStep: count.nullable().describe("first step with overlap >= threshold; null when censored or diverged"),
  censored: z.boolean(),
  diverged: z.boolean(),
  divergence: z.string().max(2000).optional().describe("what diverged, when it did"),
  finalOverlap: z.number().nullable(),
  finalSignedOverlap: z.number().nullable(),
  steps: count,
}).superRefine((r, ctx) => {
  if (r.escapeStep !== null && r.escapeStep > r.steps) ctx.addIssue({ code: "custom", path: ["escapeStep"], message: `escape step ${r.escapeStep} after the last step ${r.steps}` });
  // exactly one of: escaped, censored (budget exhausted), diverged (src/simulations/model.ts EscapeMonitor)
  if (r.diverged && (r.escapeStep !== null || r.censored)) ctx.addIssue({ code: "custom", path: ["diverged"], message: "a diverged run has no escape step and is not censored" });
  if (!r.diverged && r.censored !== (r.escapeStep === null)) ctx.addIssue({ code: "custom", path: ["censored"], message: "a run is censored exactly when it has no escape step" });
});

/** A finished job of another kind (src/sweeps/jobs.ts): identity, kind and its JSON result. */
export const JobRecordSchema = z.object({
  configId: id,
  replicate: count,
  masterSeed: seed,
  kind: z.string().min(1).max(200).describe("the job kind, e.g. lr-transition-point"),
  result: z.unknown().refine((v) => v !== undefined, "missing result").describe("the job's result, owned by its kind"),
});

/** One line of `runs*.jsonl`: an online-SGD run record or a job record. */
export const RunLineSchema = z.union([RunRecordSchema, JobRecordSchema]).meta({
  $id: schemaId("runs"), title: "index-lab sweep results line (runs*.jsonl)",
  description: "One JSON object per line of runs.jsonl (or runs.shard-I-of-N.jsonl): an online-SGD run or a job of another kind.",
});

/** A configuration of the manifest (kind absent: online-sgd; replicates absent: the manifest's seeds). */
export const ManifestEntrySchema = z.object({
  id,
  config: z.unknown().describe("the full configuration of the runs with this id"),
  kind: z.string().min(1).max(200).optional(),
  replicates: z.int().min(1).optional(),
});

/** The manifest of a sweep directory (`sweep.json`). */
export const ManifestSchema = z.object({
  $schema: z.string().optional(),
  format: z.literal("index-lab-sweep/1"),
  command: z.string(),
  masterSeed: seed,
  seeds: z.int().min(1),
  configs: z.array(ManifestEntrySchema).readonly(),
  meta: z.record(z.string(), z.unknown()),
}).meta({ $id: schemaId("sweep-manifest"), title: "index-lab sweep manifest (sweep.json)" });

/**
 * One line of `--progress json` (written to stderr, one JSON object per update, the last with `event: "final"`):
 * runs and expected cost done of the total (the cost model of the budget guard, in `costUnit`), elapsed wall seconds
 * and the ETA extrapolated from the cost computed so far (src/sweeps/progress.ts).
 */
export const ProgressLineSchema = z.looseObject({
  $schema: z.string().optional(),
  event: z.enum(["progress", "final"]).describe("'final' once, after the last run (also when the run stopped early: see runsDone)"),
  task: z.string().describe("what is running, e.g. 'verify', 'simulate lr-transition'"),
  runsDone: count,
  runsTotal: count,
  costDone: z.number().min(0).describe("expected cost of the runs done (computed now or read back from disk)"),
  costTotal: z.number().min(0),
  costUnit: z.string().describe("unit of the cost model, e.g. 'estimated core-seconds'"),
  fraction: z.number().min(0).max(1).describe("costDone / costTotal"),
  elapsedSeconds: z.number().min(0),
  etaSeconds: z.number().min(0).nullable().describe("wall seconds left at the rate of the cost computed so far; null before the first run ends"),
}).meta({ $id: schemaId("progress"), title: "index-lab --progress json line" });
