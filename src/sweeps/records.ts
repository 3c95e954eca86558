/**
 * Reading sweep records back: every line of a results file (resume, merge, report) is validated against the schema
 * it was written with, so that a tampered or corrupted line is refused with its line number instead of changing a
 * report. The schemas are defined once, in src/sweeps/schema.ts, from which the shipped JSON Schemas are generated.
 */
import type { z } from "zod";
import { JobRecordSchema, RunRecordSchema } from "./schema.js";

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
  const schema = "kind" in value ? JobRecordSchema : RunRecordSchema;
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: value as { configId: string; replicate: number; masterSeed: number } } : { ok: false, reason: `not a valid ${"kind" in value ? "job" : "run"} record: ${describeIssues(r.error)}` };
}
