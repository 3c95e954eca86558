/**
 * Published reference curves (`theory/*.yaml` with top-level `kind: reference-curves`): numbers transcribed from an
 * authors' repository with provenance, validated by the zod schema (schema.ts), and their projections on a direction
 * with the propagated standard error.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { InputError } from "../link/errors.js";
import type { ReferenceCurve, ReferenceCurvesFile } from "./schema.js";
import { defaultTheoryDirectory, schemaModule } from "./loader.js";

// zod and the YAML parser on first use: importing this module (the batch presets do) costs neither (start-up of
// --help: bench/issue18.ts)
const require = createRequire(import.meta.url);
const parseYaml = (text: string): unknown => (require("yaml") as { parse: (t: string) => unknown }).parse(text);

/**
 * Validate one parsed reference-curves document; every point's mean must have the dimension of the first one.
 * @throws InputError naming the file and the field (the first three schema issues).
 */
export function validateReferenceCurves(doc: unknown, file: string): ReferenceCurvesFile {
  const parsed = schemaModule().referenceCurvesFileSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.map(String).join(".") || "(top level)"}: ${i.message}`).join("; ");
    throw new InputError(`reference curves ${file}: ${first}`);
  }
  const k = parsed.data.curves[0]!.points[0]!.mean.length;
  for (const c of parsed.data.curves) for (const p of c.points) {
    if (p.mean.length !== k) throw new InputError(`reference curves ${file}: curve ${c.id}, t = ${p.t}: mean has ${p.mean.length} entries, expected ${k}`);
  }
  return parsed.data;
}

/**
 * Every reference-curves file of `directory` (default: the package's theory/), validated.
 * @throws InputError when a file does not parse or validate, or an id is used twice.
 */
export function loadReferenceCurves(directory: string = defaultTheoryDirectory()): ReferenceCurvesFile[] {
  const dir = resolve(directory);
  if (!existsSync(dir)) throw new InputError(`theory directory ${directory} does not exist`);
  const out: ReferenceCurvesFile[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    let doc: unknown;
    try { doc = parseYaml(readFileSync(join(dir, file), "utf8")); } catch (e) {
      throw new InputError(`reference curves ${file}: not valid YAML (${(e as Error).message.split("\n")[0]})`);
    }
    if (doc === null || typeof doc !== "object" || (doc as { kind?: unknown }).kind !== "reference-curves") continue;
    const ref = validateReferenceCurves(doc, file);
    if (out.some((r) => r.id === ref.id)) throw new InputError(`reference curves ${file}: id '${ref.id}' already used`);
    out.push(ref);
  }
  return out;
}

/**
 * A reference-curves file by id.
 * @throws InputError for an unknown id, listing the known ones.
 */
export function referenceCurvesById(id: string, directory?: string): ReferenceCurvesFile {
  const all = loadReferenceCurves(directory);
  const r = all.find((x) => x.id === id);
  if (!r) throw new InputError(`unknown reference curves '${id}' (known: ${all.map((x) => x.id).join(", ") || "none"})`);
  return r;
}

/**
 * Projection <u, m> of a curve's point on the direction u, with the standard error sqrt(u^T Sigma u) of a Monte
 * Carlo curve (0 for a theory curve, whose Monte Carlo error the source does not give); null when t is absent.
 */
export function projectReference(curve: ReferenceCurve, t: number, u: readonly number[]): { mean: number; se: number } | null {
  const p = curve.points.find((x) => x.t === t);
  if (!p) return null;
  const k = p.mean.length;
  if (u.length !== k) throw new RangeError(`direction has ${u.length} entries, the curve ${k}`);
  const mean = p.mean.reduce((s, m, i) => s + m * u[i]!, 0);
  if (!p.covariance) return { mean, se: 0 };
  let v = 0, idx = 0;
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) { const c = p.covariance[idx++]!; v += (i === j ? 1 : 2) * c * u[i]! * u[j]!; }
  return { mean, se: Math.sqrt(Math.max(0, v)) };
}
