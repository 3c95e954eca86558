/**
 * mathjs's parser and erf, built on first use from the few factory modules they need (`parse`, the expression node
 * classes, `numeric`, `number`, `typed`, `erf`: about 60 small CommonJS files of mathjs's own build) instead of the
 * full instance. The full instance (the single-file bundle `mathjs/lib/browser/math.js`) loads in ~85 ms and then
 * spends ~190 ms on the first `parse` call resolving its lazy factories (typed functions over every mathjs type); the
 * ES-module entry costs ~0.4 s. The parser is the same code (mathjs's `createParse`) with mathjs's default
 * configuration, so the syntax trees and error messages are the same; what only evaluation of a tree uses (`math`,
 * `subset`, `matrix`, ...) is left out, and the link language never evaluates a mathjs tree. The build puts those files
 * (52 with what they require) into one, dist/vendor/mathjs-subset.cjs (scripts/bundle-mathjs.ts): one read and one
 * compilation instead of 52 resolutions, about 20 ms less start-up; without it they are read from mathjs.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import type { MathNode } from "mathjs/number";

/** The part of mathjs the link language uses. */
export interface MathjsSubset {
  readonly parse: (source: string) => MathNode;
  readonly erf: { readonly signatures: Record<string, (x: number) => number> };
}

type Factory = ((deps: Record<string, unknown>) => unknown) & { readonly dependencies: readonly string[] };

const require = createRequire(import.meta.url);
let lib: MathjsSubset | null = null;

/** mathjs's own CommonJS build (its package exports only the entry points: the files are reached by path). */
export function mathjsCjsDirectory(): string {
  return path.join(path.dirname(require.resolve("mathjs/lib/browser/math.js")), "..", "cjs");
}

/** The build's bundle of mathjs's parser files (scripts/bundle-mathjs.ts). */
export interface MathjsBundle { readonly version: string; readonly files: number; readonly load: (id: string) => unknown }

/** How the bundle was compiled: with the build's V8 code cache accepted, rejected (other flags or V8), or without one. */
export type CodeCacheUse = "accepted" | "rejected" | "absent";

/**
 * The bundle's identity: the SHA-256 of its modules' text, which scripts/bundle-mathjs.ts writes into the bundle's
 * first line (`// mathjs-subset <hex>`) and in front of its code cache; null for a file without it.
 */
export function mathjsBundleId(source: string): string | null {
  return /^\/\/ mathjs-subset ([0-9a-f]{64})\n/.exec(source)?.[1] ?? null;
}

/**
 * Run the bundle file (its text in node's own module wrapper, as `require` would) with the build's code cache `cache`
 * when given: the cache must start with the bundle's id ({@link mathjsBundleId}, 64 hex digits; V8 itself checks only
 * the length of the source, and reading the id costs no hashing at start-up) and then V8 (its version and flags) must
 * accept it, else the bundle is compiled.
 */
export function runMathjsBundle(file: string, cache?: Buffer): { bundle: MathjsBundle; codeCache: CodeCacheUse; script: Script; id: string | null } {
  const source = readFileSync(file, "utf8");
  const id = mathjsBundleId(source);
  const data = cache && id !== null && cache.length > 64 && cache.toString("latin1", 0, 64) === id ? cache.subarray(64) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(data ? { cachedData: data } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void).call(module.exports, module.exports, require, module, file, path.dirname(file));
  return { bundle: module.exports as MathjsBundle, codeCache: cache ? (data && !script.cachedDataRejected ? "accepted" : "rejected") : "absent", script, id };
}

/** How this process loaded mathjs's parser files (null before the first parse): the build's bundle, and its code cache. */
export let mathjsLoad: { readonly from: "bundle" | "mathjs"; readonly codeCache: CodeCacheUse } | null = null;

/**
 * A file of mathjs's CommonJS build by its path below lib/cjs: from the build's bundle dist/vendor/mathjs-subset.cjs
 * (one file instead of ~52, see scripts/bundle-mathjs.ts), compiled from its code cache mathjs-subset.v8cache when V8
 * accepts it (made under the short commands' flags, cli/v8Flags.ts; about 12 CPU-ms less for analyze and predict),
 * when there is a bundle; else from mathjs itself.
 */
function loader(): (file: string) => unknown {
  // dist/src/numeric/mathjs.js -> dist/vendor/; from the TypeScript sources there is none
  const file = fileURLToPath(new URL("../../vendor/mathjs-subset.cjs", import.meta.url));
  if (import.meta.url.endsWith(".js") && existsSync(file)) {
    let cache: Buffer | undefined;
    try { cache = readFileSync(file.replace(/\.cjs$/, ".v8cache")); } catch { cache = undefined; }
    const { bundle, codeCache } = runMathjsBundle(file, cache);
    mathjsLoad = { from: "bundle", codeCache };
    return (f) => bundle.load(`mathjs/lib/cjs/${f}`);
  }
  mathjsLoad = { from: "mathjs", codeCache: "absent" };
  const dir = mathjsCjsDirectory();
  return (f) => require(path.join(dir, f));
}

const NODES = ["Accessor", "Array", "Assignment", "Block", "Conditional", "Constant", "FunctionAssignment", "Index", "Object", "Operator", "Parenthesis", "Range", "Relational", "Symbol", "Function"];
const FILES: Readonly<Record<string, string>> = {
  typed: "core/function/typed.js",
  number: "type/number.js",
  numeric: "function/utils/numeric.js",
  isBounded: "function/utils/isBounded.js",
  erf: "function/special/erf.js",
  parse: "expression/parse.js",
  Node: "expression/node/Node.js",
  ...Object.fromEntries(NODES.map((n) => [`${n}Node`, `expression/node/${n}Node.js`])),
};
/**
 * The files below {@link mathjsCjsDirectory} that `make` loads (with what they require, they are the bundle
 * scripts/bundle-mathjs.ts writes at build time).
 */
export const MATHJS_SUBSET_ROOTS: readonly string[] = ["core/config.js", ...Object.values(FILES)];

/** Dependencies that only evaluating (compiling) a tree or indexing uses: never called here. */
const EVALUATION_ONLY = new Set(["mathWithTransform", "math", "subset", "matrix", "ResultSet", "size"]);

/**
 * The factory `make(name)` of the mathjs functions and classes, each made once from its dependencies, with the files
 * of mathjs's CommonJS build read by `load` (a path below lib/cjs -> the file's exports).
 */
function maker(load: (file: string) => unknown): (name: string) => unknown {
  const made = new Map<string, unknown>([["config", { ...(load("core/config.js") as { DEFAULT_CONFIG: object }).DEFAULT_CONFIG }]]);
  const make = (name: string): unknown => {
    if (made.has(name)) return made.get(name);
    const file = FILES[name];
    if (file === undefined) throw new Error(`mathjs subset: no factory for '${name}'`);
    const key = `create${name[0]!.toUpperCase()}${name.slice(1)}`;
    const factory = (load(file) as Record<string, Factory>)[key]!;
    const deps: Record<string, unknown> = {};
    for (const dep of factory.dependencies) {
      const optional = dep.startsWith("?");
      const d = optional ? dep.slice(1) : dep;
      if (EVALUATION_ONLY.has(d)) {
        deps[d] = d === "mathWithTransform" || d === "math" ? {} : () => { throw new Error(`mathjs subset: '${d}' is not available (link trees are never evaluated by mathjs)`); };
      } else if (FILES[d] !== undefined || made.has(d)) deps[d] = make(d);
      else if (!optional) throw new Error(`mathjs subset: '${name}' needs '${d}'`);
    }
    const value = factory(deps);
    made.set(name, value);
    return value;
  };
  return make;
}

/**
 * mathjs's parser and erf made from the files `load` reads (a path below lib/cjs -> the file's exports): the test
 * of the build's bundle compares the bundle's parser with the one made from mathjs's own files.
 */
export function mathjsSubsetFrom(load: (file: string) => unknown): MathjsSubset {
  const make = maker(load);
  return { parse: make("parse") as MathjsSubset["parse"], erf: make("erf") as MathjsSubset["erf"] };
}

let make: ((name: string) => unknown) | null = null;

/** mathjs's parser and erf (built on the first call). */
export function mathjs(): MathjsSubset {
  return (lib ??= { parse: (make ??= maker(loader()))("parse") as MathjsSubset["parse"], erf: mathjsErf() });
}

/** mathjs's erf alone (its typed function with its signatures; built on the first call, without the parser). */
export function mathjsErf(): MathjsSubset["erf"] {
  return (make ??= maker(loader()))("erf") as MathjsSubset["erf"];
}
