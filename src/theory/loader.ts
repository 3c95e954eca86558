/**
 * Loads the theory catalog: every `theory/*.yaml|yml|json` whose top level says `kind: claims`, validated by the
 * zod schema (schema.ts), with every formula compiled by the safe evaluator. Other files in `theory/` (such as
 * `definitions.yaml`, a different self-contained format) are skipped and listed with the reason.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { InputError } from "../link/errors.js";
import { cacheDirectory } from "../io/cacheDirectory.js";
import type { Claim, Source, ScalingCase, TheoryFile } from "./schema.js";
import { compileFormula, type CompiledFormula } from "./formula.js";

/** One case of a piecewise scaling with its exponent and log power compiled. */
export interface CompiledCase { readonly spec: ScalingCase; readonly exponent: CompiledFormula; readonly logPower: CompiledFormula }

/** A validated claim with its source and every formula compiled, ready for the prediction engine. */
export interface LoadedClaim {
  /** The validated claim as written in the theory file. */
  readonly claim: Claim;
  /** The paper it comes from. */
  readonly source: Source;
  /** File the claim came from, relative to the theory directory. */
  readonly file: string;
  /** The cases of its piecewise scaling, compiled. */
  readonly cases: CompiledCase[];
  /** The scaling's constant, compiled, when the source gives one. */
  readonly prefactor: CompiledFormula | null;
  /** The learning-rate curve's formulas, compiled (seed-000 claims). */
  readonly curve: { logExponent: CompiledFormula; smallEnd: CompiledFormula; largeEnd: CompiledFormula } | null;
  /** Regimes in a setting parameter, compiled. */
  readonly regimes: { name: string; exponent: CompiledFormula; prefactor: CompiledFormula | null; note?: string }[];
}

/** Every claim of the theory directory, the files they came from, and the files skipped with the reason. */
export interface TheoryCatalog {
  /** Absolute path of the theory directory read. */
  readonly directory: string;
  /** The claims files read, their sources and claim ids. */
  readonly files: { file: string; source: Source; claimIds: string[] }[];
  /** Every claim, validated and compiled. */
  readonly claims: LoadedClaim[];
  /** Files not in the claims format, with the reason. */
  readonly skipped: { file: string; reason: string }[];
}

/** The `theory/` directory of the installed package (searched upwards from this module). */
export function defaultTheoryDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "theory"))) return join(dir, "theory");
    dir = dirname(dir);
  }
  throw new Error("internal: theory/ directory not found next to package.json");
}

/** Human-readable zod issue path, e.g. `claims[2].scaling.cases[0].exponent`. */
function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("") || "(top level)";
}

/**
 * Validate one parsed theory document against the claims schema and compile its formulas.
 * @param file the name used in error messages.
 * @throws InputError naming the file, claim and field (the first three schema issues, or the bad formula).
 */
export function validateTheoryDocument(doc: unknown, file: string): { source: Source; claims: LoadedClaim[] } {
  return compileTheoryDocument(schemaCheck(doc, file), file);
}

/** The document as the claims schema returns it (defaults filled in). @throws InputError for a schema issue. */
function schemaCheck(doc: unknown, file: string): TheoryFile {
  const parsed = schemaModule().theoryFileSchema.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${issuePath(i.path)}: ${i.message}`).join("; ");
    throw new InputError(`theory file ${file}: ${first}`);
  }
  return parsed.data;
}

/** Compile the formulas of a document the schema has accepted. @throws InputError for a bad formula. */
function compileTheoryDocument(data: TheoryFile, file: string): { source: Source; claims: LoadedClaim[] } {
  const { source, claims } = data;
  return {
    source,
    claims: claims.map((claim) => {
      const at = (field: string) => `theory file ${file}, claim ${claim.id}, ${field}`;
      const cases = (claim.scaling?.cases ?? []).map((c, i) => ({
        spec: c,
        exponent: compileFormula(c.exponent, at(`scaling.cases[${i}].exponent`)),
        logPower: compileFormula(c.logPower, at(`scaling.cases[${i}].logPower`)),
      }));
      for (const [i, c] of cases.entries()) {
        if (c.exponent.symbols.includes("x")) throw new InputError(`${at(`scaling.cases[${i}].exponent`)}: 'x' belongs in a curve, not a scaling`);
      }
      const curve = claim.curve ? {
        logExponent: compileFormula(claim.curve.logExponent, at("curve.logExponent")),
        smallEnd: compileFormula(claim.curve.smallEnd, at("curve.smallEnd")),
        largeEnd: compileFormula(claim.curve.largeEnd, at("curve.largeEnd")),
      } : null;
      const regimes = (claim.regimes ?? []).map((r, i) => ({
        name: r.name, note: r.note,
        exponent: compileFormula(r.exponent, at(`regimes[${i}].exponent`)),
        prefactor: r.prefactor ? compileFormula(r.prefactor, at(`regimes[${i}].prefactor`)) : null,
      }));
      const prefactor = claim.scaling?.prefactor ? compileFormula(claim.scaling.prefactor, at("scaling.prefactor")) : null;
      return { claim, source, file, cases, prefactor, curve, regimes };
    }),
  };
}

const require = createRequire(import.meta.url);

type SchemaModule = typeof import("./schema.js");
/**
 * The zod schema module, loaded on the first validation only: a catalog that comes validated from the cache (see
 * {@link loadTheory}) never loads zod (~0.1 s of a `predict`). Under node's require(esm) (node >= 20.19, 22.12) it is
 * required synchronously on demand; elsewhere (a TypeScript runner on the sources, an older node) it is imported
 * with this module, as before.
 */
const requireEsm = (process.features as { require_module?: boolean }).require_module === true && !import.meta.url.endsWith(".ts");
let schemaLoaded: SchemaModule | null = requireEsm ? null : await import("./schema.js");
/** The zod schema module (schema.ts), loaded on first use (also by references.ts). */
export function schemaModule(): SchemaModule {
  schemaLoaded ??= require("./schema.js") as SchemaModule;
  return schemaLoaded;
}

/**
 * Parsed documents of one theory directory, keyed by the SHA-256 of every file's name and text; with them, the
 * claims files as the schema returned them, valid for the schema module whose text hashes to `schema` (zod's
 * validation was ~0.1 s of a `predict`; a changed schema.js, or any changed theory file, validates afresh).
 */
type ParsedCache = { key: string; docs: Record<string, unknown>; validated?: { schema: string; files: Record<string, TheoryFile> } };

function readParsedCache(path: string, key: string): ParsedCache | null {
  try {
    const c = JSON.parse(readFileSync(path, "utf8")) as ParsedCache;
    return c.key === key ? c : null;
  } catch { return null; }
}

/**
 * SHA-256 of the schema module's text and of the vocabularies it uses (schema.js and symbols.js next to this module;
 * the .ts files when run from the sources), or null when unreadable (then every load validates).
 */
function schemaKey(): string | null {
  const hash = createHash("sha256");
  for (const base of ["./schema", "./symbols"]) {
    const text = [".js", ".ts"].map((ext) => {
      try { return readFileSync(fileURLToPath(new URL(base + ext, import.meta.url))); } catch { return null; }
    }).find((t) => t !== null);
    if (!text) return null;
    hash.update(text).update("\0");
  }
  return hash.digest("hex");
}

/** Write the cache atomically (temporary file, then rename); a read-only or missing home only costs speed. */
function writeParsedCache(path: string, full: ParsedCache): void {
  const roundTrips = (c: ParsedCache) => isDeepStrictEqual(JSON.parse(JSON.stringify(c)), c);
  // a YAML value JSON cannot carry (.inf, a date) would come back changed: such a catalog (or its validated form) is
  // not cached
  const cache = roundTrips(full) ? full : { key: full.key, docs: full.docs };
  if (cache !== full && !roundTrips(cache)) return;
  const text = JSON.stringify(cache);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch { /* no cache */ }
}

function parseText(text: string, file: string): unknown {
  try {
    return file.endsWith(".json") ? JSON.parse(text) : (require("yaml") as { parse: (t: string) => unknown }).parse(text);
  } catch (e) {
    throw new InputError(`theory file ${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML"} (${(e as Error).message.split("\n")[0]})`);
  }
}

/**
 * Load and validate every claims file (`*.yaml`, `*.yml`, `*.json` with top-level `kind: claims`) in `directory`
 * (default: the package's theory/); other files are listed in `skipped` with the reason.
 * @throws InputError when the directory is missing, a file does not parse or validate, or an id is used twice.
 */
export function loadTheory(directory: string = defaultTheoryDirectory()): TheoryCatalog {
  const dir = resolve(directory);
  if (!existsSync(dir)) throw new InputError(`theory directory ${directory} does not exist`);
  const names = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const texts = names.map((f) => readFileSync(join(dir, f), "utf8"));
  const hash = createHash("sha256");
  names.forEach((f, i) => hash.update(`${f}\0${texts[i]}\0`));
  const key = hash.digest("hex");
  // parsed (and validated) documents are reused only for byte-identical files and schema; compilation always runs
  // the parsed-theory cache: the YAML parser is most of a `predict`'s theory-loading time (~0.12 s of 0.16 s)
  const cachePath = join(cacheDirectory(), `theory-${key.slice(0, 16)}.json`);
  const cache = readParsedCache(cachePath, key);
  const cachedDocs = cache?.docs ?? null;
  const docs: Record<string, unknown> = cachedDocs ?? {};
  const schema = schemaKey();
  const validated = schema !== null && cache?.validated?.schema === schema ? cache.validated.files : null;
  const checked: Record<string, TheoryFile> = {};
  const files: TheoryCatalog["files"] = [];
  const claims: LoadedClaim[] = [];
  const skipped: TheoryCatalog["skipped"] = [];
  const seen = new Map<string, string>();
  for (const file of names) {
    const doc = cachedDocs ? cachedDocs[file] : (docs[file] = parseText(texts[names.indexOf(file)]!, file));
    const kind = doc !== null && typeof doc === "object" && !Array.isArray(doc) ? (doc as { kind?: unknown }).kind : undefined;
    if (kind !== "claims") {
      skipped.push({ file, reason: kind === undefined ? "no top-level 'kind: claims' (another format, e.g. definitions)" : `kind '${String(kind)}' is not 'claims'` });
      continue;
    }
    const data = validated?.[file] ?? schemaCheck(doc, file);
    checked[file] = data;
    const loaded = compileTheoryDocument(data, file);
    for (const c of loaded.claims) {
      for (const name of [c.claim.id, ...c.claim.aliases]) {
        const prev = seen.get(name);
        if (prev) throw new InputError(`theory file ${file}: claim id or alias '${name}' already used in ${prev}`);
        seen.set(name, file);
      }
    }
    files.push({ file, source: loaded.source, claimIds: loaded.claims.map((c) => c.claim.id) });
    claims.push(...loaded.claims);
  }
  if (!cachedDocs || (!validated && schema !== null)) writeParsedCache(cachePath, { key, docs, ...(schema !== null ? { validated: { schema, files: checked } } : {}) });
  return { directory: dir, files, claims, skipped };
}

let cached: TheoryCatalog | null = null;
/**
 * The package's catalog (theory/ next to package.json), loaded and validated once per process.
 * @throws InputError when a shipped theory file is invalid (see {@link loadTheory}).
 */
export function theoryCatalog(): TheoryCatalog {
  cached ??= loadTheory();
  return cached;
}

/**
 * A claim by id or alias (e.g. `bgj-online-sgd`).
 * @throws InputError for an unknown id, listing the known ones.
 */
export function claimById(id: string, catalog: TheoryCatalog = theoryCatalog()): LoadedClaim {
  const c = catalog.claims.find((l) => l.claim.id === id || l.claim.aliases.includes(id));
  if (!c) throw new InputError(`unknown claim '${id}' (known: ${catalog.claims.map((l) => l.claim.id).join(", ")})`);
  return c;
}

/** The citation string printed with every prediction: authors, year, arXiv id, place in the paper. */
export function citationOf(l: LoadedClaim): string {
  return `${l.source.cite} ${l.source.year}, arXiv ${l.source.arxiv}, ${l.claim.location}`;
}
