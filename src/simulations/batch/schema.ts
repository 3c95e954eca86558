/**
 * The files of a resumable batch-run directory as zod schemas: the manifest (`batch.json`) and a line of
 * `seeds.jsonl`, defined once: the store (store.ts) validates every line it reads back with them and `npm run schemas` turns them into the shipped JSON Schemas
 * `batch-manifest` and `seeds`.
 */
import { z } from "zod";
import { schemaId } from "../../io/schemaId.js";

/** The manifest `batch.json`: experiment, preset, every run with its full configuration, and the tensor backend. */
export const BatchManifestSchema = z.object({
  $schema: z.string().optional(),
  format: z.literal("index-lab-batch/1"),
  experiment: z.string().describe("giant-step or batch-reuse"),
  preset: z.string().nullable(),
  runs: z.array(z.object({ tag: z.string(), config: z.unknown() })).readonly(),
  backend: z.string().describe("tensor backend the seeds were computed with"),
}).meta({ $id: schemaId("batch-manifest"), title: "index-lab batch-run manifest (batch.json)" });

/**
 * An encoded outcome: JSON data in which a Float64Array is {f64: [...]}, a Float32Array {f32: [...]}, and NaN,
 * ±Infinity and -0 are {num: "NaN" | "Infinity" | "-Infinity" | "-0"} (store.ts encodeOutcome).
 */
export const EncodedOutcomeSchema = z.unknown().describe("the simulator's per-seed outcome, encoded: typed arrays as {f64: [...]} or {f32: [...]}, non-finite numbers and -0 as {num: \"NaN\" | \"Infinity\" | \"-Infinity\" | \"-0\"}");

/** One line of `seeds.jsonl`: a finished seed of one run of the batch. */
export const SeedLineSchema = z.object({
  tag: z.string().min(1).max(500).describe("the run's tag in batch.json"),
  replicate: z.int().min(0),
  outcome: EncodedOutcomeSchema,
}).meta({ $id: schemaId("seeds"), title: "index-lab batch-run seed line (seeds.jsonl)" });
