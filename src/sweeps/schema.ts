/**
 * The sweep files as zod schemas: the manifest (`sweep.json`) and a line of a results file (`runs*.jsonl`). The
 * store's types are inferred from them, `readManifest` validates with them, and `npm run schemas` turns them into the
 * shipped JSON Schemas `sweep-manifest` and `runs`.
 */
import { z } from "zod";
import { schemaId } from "../io/schemaId.js";

/** A finished online-SGD run: identity, dimension, escape step (null when censored or diverged) and final overlaps. */
export const RunRecordSchema = z.object({
  configId: z.string().describe("hash of the canonical configuration (the manifest's configs[].id)"),
  replicate: z.int().min(0),
  d: z.int().min(1),
  masterSeed: z.int(),
  escapeStep: z.int().nullable().describe("first step with overlap >= threshold; null when censored or diverged"),
  censored: z.boolean(),
  diverged: z.boolean(),
  divergence: z.string().optional().describe("what diverged, when it did"),
  finalOverlap: z.number().nullable(),
  finalSignedOverlap: z.number().nullable(),
  steps: z.int().min(0),
});

/** A finished job of another kind (src/sweeps/jobs.ts): identity, kind and its JSON result. */
export const JobRecordSchema = z.object({
  configId: z.string(),
  replicate: z.int().min(0),
  masterSeed: z.int(),
  kind: z.string().describe("the job kind, e.g. lr-transition-point"),
  result: z.unknown().describe("the job's result, owned by its kind"),
});

/** One line of `runs*.jsonl`: an online-SGD run record or a job record. */
export const RunLineSchema = z.union([RunRecordSchema, JobRecordSchema]).meta({
  $id: schemaId("runs"), title: "index-lab sweep results line (runs*.jsonl)",
  description: "One JSON object per line of runs.jsonl (or runs.shard-I-of-N.jsonl): an online-SGD run or a job of another kind.",
});

/** A configuration of the manifest (kind absent: online-sgd; replicates absent: the manifest's seeds). */
export const ManifestEntrySchema = z.object({
  id: z.string(),
  config: z.unknown().describe("the full configuration of the runs with this id"),
  kind: z.string().optional(),
  replicates: z.int().min(1).optional(),
});

/** The manifest of a sweep directory (`sweep.json`). */
export const ManifestSchema = z.object({
  $schema: z.string().optional(),
  format: z.literal("index-lab-sweep/1"),
  command: z.string(),
  masterSeed: z.int(),
  seeds: z.int().min(0),
  configs: z.array(ManifestEntrySchema).readonly(),
  meta: z.record(z.string(), z.unknown()),
}).meta({ $id: schemaId("sweep-manifest"), title: "index-lab sweep manifest (sweep.json)" });
