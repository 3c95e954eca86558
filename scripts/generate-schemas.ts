/**
 * `npm run schemas`: writes the JSON Schemas (draft 2020-12) of every JSON output and sweep file into schemas/,
 * generated from the zod schemas the code uses (src/reports/schemas.ts, src/sweeps/schema.ts,
 * src/simulations/batch/schema.ts). Never edit those files by hand; test/api/schemas.test.ts checks they are current.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_NAMES } from "../src/io/schemaId.js";
import { jsonSchema } from "../src/reports/schemas.js";

const dir = process.argv[2] ?? "schemas";
mkdirSync(dir, { recursive: true });
for (const name of SCHEMA_NAMES) writeFileSync(join(dir, `${name}.schema.json`), `${JSON.stringify(jsonSchema(name), null, 2)}\n`);
process.stdout.write(`wrote ${SCHEMA_NAMES.length} schemas to ${dir}/\n`);
