/**
 * The schema of `theory/definitions.yaml` (`kind: definitions`): each exponent or subspace index-lab computes, the
 * paper and place that define it, the definition as implemented, how much of it was read, and which claims of the
 * catalog use it and why (issue 14: a claim must say which definition, e.g. a leap on subspaces or in a fixed basis,
 * it is stated for).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError } from "../link/errors.js";
import { defaultTheoryDirectory } from "./loader.js";

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "ids are kebab-case (a-z, 0-9, '-')");

/** One definition: where it is defined, what is implemented, what was read, and the claims that use it. */
export const definitionSchema = z.object({
  id: kebab,
  name: z.string(),
  paper: z.object({
    authors: z.array(z.string()).min(1),
    year: z.number().int().min(1900).max(2100),
    arxiv: z.string().regex(/^\d{4}\.\d{4,5}$/),
    location: z.string(),
  }).strict(),
  definition: z.string().min(20),
  /** "subspaces" (basis-free), "given-basis" (fixed coordinates), or "scalar" (single-index). */
  basis: z.enum(["subspaces", "given-basis", "scalar"]),
  readStatus: z.string(),
  implementedIn: z.array(z.string()).min(1),
  /** The catalog claims that use this definition, each with the reason this is the right definition for it. */
  usedBy: z.array(z.object({ claim: kebab, why: z.string().min(10) }).strict()).default([]),
}).strict();

/** The definitions file. */
export const definitionsFileSchema = z.object({ kind: z.literal("definitions"), definitions: z.array(definitionSchema).min(1) }).strict();

/** A validated definition. */
export type Definition = z.infer<typeof definitionSchema>;

/**
 * Load and validate `definitions.yaml` of a theory directory (default: the package's theory/).
 * @throws InputError naming the field when the file is missing or does not validate, or an id repeats.
 */
export function loadDefinitions(directory: string = defaultTheoryDirectory()): Definition[] {
  const path = join(directory, "definitions.yaml");
  if (!existsSync(path)) throw new InputError(`theory definitions file ${path} does not exist`);
  const parsed = definitionsFileSchema.safeParse(parseYaml(readFileSync(path, "utf8")));
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ");
    throw new InputError(`theory file definitions.yaml: ${first}`);
  }
  const ids = new Set<string>();
  for (const d of parsed.data.definitions) {
    if (ids.has(d.id)) throw new InputError(`theory file definitions.yaml: definition id '${d.id}' used twice`);
    ids.add(d.id);
  }
  return parsed.data.definitions;
}
