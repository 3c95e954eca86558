/**
 * The zod schemas of the sweep files, in one place: the manifest (`sweep.json`), the online-SGD run record and the
 * record of a job of any other kind (lines of `runs*.jsonl`). Every record read back (resume, merge, report) is
 * validated against the schema it was written with, so that a tampered or corrupted line is refused with its line
 * number instead of changing a report. (The JSON Schemas published for these files derive from the same objects.)
 */
import { z } from "zod";

const id = z.string().min(1).max(200);
const count = z.number().int().nonnegative();
const seed = z.number().int().min(0).max(2 ** 53 - 1);

/** One online-SGD run (src/sweeps/store.ts RunRecord): identity, outcome and the step budget it ran with. */
export const runRecordSchema = z.object({
  configId: id,
  replicate: count,
  d: z.number().int().min(1),
  masterSeed: seed,
  escapeStep: count.nullable(),
  censored: z.boolean(),
  diverged: z.boolean(),
  divergence: z.string().max(2000).optional(),
  finalOverlap: z.number().nullable(),
  finalSignedOverlap: z.number().nullable(),
  steps: count,
}).superRefine((r, ctx) => {
  if (r.escapeStep !== null && r.escapeStep > r.steps) ctx.addIssue({ code: "custom", path: ["escapeStep"], message: `escape step ${r.escapeStep} after the last step ${r.steps}` });
  // exactly one of: escaped, censored (budget exhausted), diverged (src/simulations/model.ts EscapeMonitor)
  if (r.diverged && (r.escapeStep !== null || r.censored)) ctx.addIssue({ code: "custom", path: ["diverged"], message: "a diverged run has no escape step and is not censored" });
  if (!r.diverged && r.censored !== (r.escapeStep === null)) ctx.addIssue({ code: "custom", path: ["censored"], message: "a run is censored exactly when it has no escape step" });
});

/** A job of a registered kind (src/sweeps/jobs.ts): identity, kind and the job's JSON result. */
export const jobRecordSchema = z.object({
  configId: id,
  replicate: count,
  masterSeed: seed,
  kind: z.string().min(1).max(200),
  result: z.unknown().refine((v) => v !== undefined, "missing result"),
});

/** A configuration entry of the manifest. */
export const manifestEntrySchema = z.object({
  id,
  config: z.unknown(),
  kind: z.string().min(1).max(200).optional(),
  replicates: z.number().int().min(1).optional(),
});

/** The manifest of a sweep directory (`sweep.json`). */
export const manifestSchema = z.object({
  format: z.literal("index-lab-sweep/1"),
  command: z.string(),
  masterSeed: seed,
  seeds: z.number().int().min(1),
  configs: z.array(manifestEntrySchema),
  meta: z.record(z.string(), z.unknown()),
});

/** Human-readable zod issue path, e.g. `configs[2].id`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("") || "(top level)";
}

/** The first issues of a failed validation as one line: "escapeStep: expected number, received string". */
export function describeIssues(error: z.ZodError, max = 2): string {
  return error.issues.slice(0, max).map((i) => `${issuePath(i.path)}: ${i.message}`).join("; ");
}

/**
 * A line of a results file: a job record when it has a `kind`, otherwise an online-SGD run record. Returns the
 * original object (not zod's copy) so that records compare equal to what was written.
 */
export function parseResultLine(value: unknown): { ok: true; value: { configId: string; replicate: number; masterSeed: number } } | { ok: false; reason: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, reason: `not a run record (got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value})` };
  const schema = "kind" in value ? jobRecordSchema : runRecordSchema;
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: value as { configId: string; replicate: number; masterSeed: number } } : { ok: false, reason: `not a valid ${"kind" in value ? "job" : "run"} record: ${describeIssues(r.error)}` };
}
