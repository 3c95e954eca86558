/**
 * Identifiers of the JSON Schemas (draft 2020-12) that describe index-lab's outputs and files. Each schema ships in
 * the package as `schemas/<name>.schema.json` (package export `index-lab/schemas/<name>.schema.json`), generated
 * from the zod schemas in the code by `npm run schemas`; every JSON output names its schema in a `$schema` field.
 */

/** Names of the shipped schemas. */
export const SCHEMA_NAMES = [
  "analysis", "predictions", "online-sgd", "verify", "sweep-manifest", "runs", "batch-manifest", "seeds", "summary", "report", "progress",
  "check", "doctor", "merge", "export", "report-summary", "batch-run", "batch-preset", "threshold",
] as const;

/** Name of a shipped schema. */
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** The `$schema` value of an output described by schema `name`: its module path inside the installed package. */
export const schemaId = (name: SchemaName): string => `index-lab/schemas/${name}.schema.json`;
