/**
 * Reading sweep records back: every line of a results file (resume, merge, report) is validated against the schema
 * it was written with, so that a tampered or corrupted line is refused with its line number instead of changing a
 * report. The schemas are defined once, in src/sweeps/schema.ts, from which the shipped JSON Schemas are generated.
 */
import { createRequire } from "node:module";
import type { z } from "zod";

type SweepSchemaModule = typeof import("./schema.js");
// zod on the first record or manifest read: a command that only defines itself (--help) or never reads a sweep does
// not import it (start-up: bench/issue18.ts). Required synchronously under node's require(esm) (node >= 20.19,
// 22.12); imported with this module under a TypeScript runner on the sources or an older node, as before.
const lazy = (process.features as { require_module?: boolean }).require_module === true && !import.meta.url.endsWith(".ts");
let schemas: SweepSchemaModule | null = lazy ? null : await import("./schema.js");
/** The sweep schemas (schema.ts), loaded on first use (also by store.ts). */
export function sweepSchemas(): SweepSchemaModule {
  schemas ??= createRequire(import.meta.url)("./schema.js") as SweepSchemaModule;
  return schemas;
}

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
  const { JobRecordSchema, RunRecordSchema } = sweepSchemas();
  const schema = "kind" in value ? JobRecordSchema : RunRecordSchema;
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: value as { configId: string; replicate: number; masterSeed: number } } : { ok: false, reason: `not a valid ${"kind" in value ? "job" : "run"} record: ${describeIssues(r.error)}` };
}
