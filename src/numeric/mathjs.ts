/**
 * mathjs's parser and erf, built on first use from the few factory modules they need (`parse`, the expression node
 * classes, `numeric`, `number`, `typed`, `erf`: about 60 small CommonJS files of mathjs's own build) instead of the
 * full instance. The full instance (the single-file bundle `mathjs/lib/browser/math.js`) loads in ~85 ms and then
 * spends ~190 ms on the first `parse` call resolving its lazy factories (typed functions over every mathjs type); the
 * ES-module entry costs ~0.4 s. The parser is the same code (mathjs's `createParse`) with mathjs's default
 * configuration, so the syntax trees and error messages are the same; what only evaluation of a tree uses (`math`,
 * `subset`, `matrix`, ...) is left out, and the link language never evaluates a mathjs tree.
 */
import { createRequire } from "node:module";
import path from "node:path";
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
function cjsDir(): string {
  return path.join(path.dirname(require.resolve("mathjs/lib/browser/math.js")), "..", "cjs");
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
/** Dependencies that only evaluating (compiling) a tree or indexing uses: never called here. */
const EVALUATION_ONLY = new Set(["mathWithTransform", "math", "subset", "matrix", "ResultSet", "size"]);

let made: Map<string, unknown> | null = null;
let dir = "";
/** The mathjs function or class `name`, made by its factory from its dependencies (each made once). */
function make(name: string): unknown {
  if (made === null) {
    dir = cjsDir();
    made = new Map<string, unknown>([["config", { ...(require(path.join(dir, "core", "config.js")) as { DEFAULT_CONFIG: object }).DEFAULT_CONFIG }]]);
  }
  if (made.has(name)) return made.get(name);
  const file = FILES[name];
  if (file === undefined) throw new Error(`mathjs subset: no factory for '${name}'`);
  const key = `create${name[0]!.toUpperCase()}${name.slice(1)}`;
  const factory = (require(path.join(dir, file)) as Record<string, Factory>)[key]!;
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
}

/** mathjs's parser and erf (built on the first call). */
export function mathjs(): MathjsSubset {
  return (lib ??= { parse: make("parse") as MathjsSubset["parse"], erf: mathjsErf() });
}

/** mathjs's erf alone (its typed function with its signatures; built on the first call, without the parser). */
export function mathjsErf(): MathjsSubset["erf"] {
  return make("erf") as MathjsSubset["erf"];
}
