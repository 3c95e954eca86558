/**
 * A `Link`: a parsed, validated link function g(z) (single-index) or g(z1..zr) (multi-index), with its compiled
 * closure, its kinks, and a proof-of-concept certificate that it is defined a.e. and square-integrable under N(0, I).
 */
import type { Expr } from "./expr.js";
import { show, walk } from "./expr.js";
import { parseExpression } from "./parse.js";
import { compileMultivariate, compileUnivariate } from "./compile.js";
import { InputError } from "./errors.js";
import { kinkArguments } from "./analysis.js";
import { runtime } from "./runtime.js";
import { findRoots } from "../numeric/roots.js";
import { seededRng } from "../numeric/xoshiro.js";

/**
 * A validated link function: g(z) (single-index, variable `z`) or g(z1, ..., zr) (multi-index), defined almost
 * everywhere and square-integrable under z ~ N(0, I_r), with compiled closures and its kinks.
 */
export interface Link {
  /** The text as given. */
  readonly source: string;
  /** The checked expression tree (whitelisted operations only). */
  readonly expr: Expr;
  /** "single" (variable z) or "multi" (variables z1..zr). */
  readonly kind: "single" | "multi";
  /** r: 1 for single-index links, the largest index i of z_i for multi-index links. */
  readonly dimension: number;
  /** Variable names in order: ["z"] or ["z1", ..., "zr"]. */
  readonly variables: readonly string[];
  /** True when the expression does not depend on any variable. */
  readonly constant: boolean;
  /** g(z) with z of length `dimension`. */
  readonly g: (z: ArrayLike<number>) => number;
  /** f(z) for single-index links (for multi-index links, g restricted to z1 = z, others 0: not meaningful). */
  readonly f: (z: number) => number;
  /** Single-index: sorted points where the link or a derivative may jump (zeros of kink arguments). */
  readonly breakpoints: readonly number[];
  /** Canonical text of the expression. */
  readonly text: string;
}

/** Half-width of the window on which single-index links are scanned for kinks and checked. */
export const SCAN_HALF_WIDTH = 40;

/**
 * Singularity test: |f| is compared at distances 1e-9 and 1e-3 from a zero of a kink argument. A singularity
 * |z - z0|^(-a) grows by (1e6)^a between them, and is square-integrable iff a < 1/2, i.e. growth < (1e6)^(1/2).
 */
const NEAR = 1e-9, FAR = 1e-3;
const MAX_SQUARE_INTEGRABLE_GROWTH = Math.sqrt(FAR / NEAR) * (1 - 1e-9);

/** Name of the i-th (0-based) index variable: `z` for single-index links, `z{i+1}` for multi-index links. */
export function variableName(kind: "single" | "multi", i: number): string {
  return kind === "single" ? "z" : `z${i + 1}`;
}

/**
 * Parse and validate a link: the expression is checked against the link language, compiled, scanned for kinks
 * (single-index: zeros of kink arguments in [-40, 40]), and checked to be defined a.e. and square-integrable under
 * N(0, I) (singularities |z - z0|^-a are accepted iff a < 1/2).
 * @param source link text in `z` (single-index) or `z1..z8` (multi-index), e.g. `"He(3,z) + 0.5*relu(z)"`.
 * @param options.constants values for named parameters of a link family (e.g. `{ a: 0.25 }` for `He(3,z) + a*He(2,z)`).
 * @throws InputError (message says what and where, with a column when it is about a place in the text) for
 *   anything that is not a usable link.
 */
export function parseLink(source: string, options: { constants?: Readonly<Record<string, number>> } = {}): Link {
  const parsed = parseExpression(source, { constants: options.constants });
  const kind = parsed.style === "multi" ? "multi" : "single";
  const dimension = Math.max(1, parsed.dimension);
  const expr = parsed.expr;
  const g = compileMultivariate(expr, dimension);
  const variables = Array.from({ length: dimension }, (_, i) => variableName(kind, i));
  const text = show(expr, (i) => variableName(kind, i));
  const base = { source, expr, kind, dimension, variables, constant: parsed.style === null, g, text } as const;
  if (kind === "single") {
    const f = compileUnivariate(expr);
    const breakpoints = univariateBreakpoints(expr, source);
    checkUnivariateDomain(expr, f, breakpoints, source);
    return { ...base, f, breakpoints };
  }
  checkMultivariateDomain(expr, g, dimension, source);
  return { ...base, f: (z: number) => g([z]), breakpoints: [] };
}

function univariateBreakpoints(expr: Expr, source: string): number[] {
  const points = new Set<number>();
  for (const arg of kinkArguments(expr)) {
    const h = compileUnivariate(arg);
    // an argument that vanishes identically (max(z, z), step(0*z)) makes a constant, not a kink
    if (Array.from({ length: 64 }, (_, i) => -SCAN_HALF_WIDTH + (2 * SCAN_HALF_WIDTH * (i + 0.37)) / 64).every((z) => h(z) === 0)) continue;
    const scan = findRoots(h, -SCAN_HALF_WIDTH, SCAN_HALF_WIDTH, { grid: 16000, maxRoots: 200 });
    // zeros that accumulate (sign(sin(1/z))) show up as a count that keeps growing when the grid is refined
    const finer = scan.tooMany ? scan : findRoots(h, -SCAN_HALF_WIDTH, SCAN_HALF_WIDTH, { grid: 128000, maxRoots: 200 });
    if (scan.tooMany || finer.tooMany || finer.roots.length > scan.roots.length + 2) {
      throw new InputError(`the link has too many kinks or jumps to analyse: the zeros of '${show(arg, () => "z")}' accumulate or exceed 200 in [-${SCAN_HALF_WIDTH}, ${SCAN_HALF_WIDTH}]`, { column: arg.col || undefined, source });
    }
    for (const r of scan.roots) points.add(r);
  }
  return [...points].sort((a, b) => a - b);
}

/** The deepest sub-expression that is undefined (NaN or infinite) at a point where its arguments are finite. */
export function undefinedAt(e: Expr, z: ArrayLike<number>): { node: Expr; value: number } | null {
  const evalNode = (x: Expr): { value: number; culprit: { node: Expr; value: number } | null } => {
    const f = compileMultivariate(x, Math.max(1, z.length));
    for (const c of childExprs(x)) {
      const r = evalNode(c);
      if (r.culprit) return r;
    }
    const value = f(z);
    return { value, culprit: Number.isFinite(value) ? null : { node: x, value } };
  };
  return evalNode(e).culprit;
}

function childExprs(e: Expr): Expr[] {
  const out: Expr[] = [];
  for (const n of walk(e)) if (n !== e) { out.push(n); }
  // immediate children only: walk yields descendants in pre-order; keep those whose parent is e
  return out.filter((n) => isChildOf(e, n));
}
function isChildOf(parent: Expr, n: Expr): boolean {
  switch (parent.op) {
    case "num": case "var": return false;
    case "neg": case "call": case "he": return parent.arg === n;
    case "pow": return parent.base === n;
    default: return parent.left === n || parent.right === n;
  }
}

function describeUndefined(node: Expr, at: string): string {
  if (node.op === "call" && node.fn === "log") return `log needs a positive argument: it is undefined for ${at} (a set of positive probability)`;
  if (node.op === "call" && node.fn === "sqrt") return `sqrt needs a non-negative argument: it is undefined for ${at} (a set of positive probability)`;
  if (node.op === "pow") return `a negative number to the non-integer power ${node.exponent} is undefined, e.g. at ${at}`;
  if (node.op === "div") return `division by zero on a set of positive probability (e.g. at ${at})`;
  return `the link is undefined or infinite at ${at} (a set of positive probability)`;
}

function checkUnivariateDomain(expr: Expr, f: (z: number) => number, breakpoints: readonly number[], source: string): void {
  // 1. defined almost everywhere: sample a grid that avoids the breakpoints
  const n = 6000;
  for (let i = 0; i < n; i++) {
    const z = -15 + (30 * (i + 0.5)) / n + 1.2345e-7;
    if (!Number.isFinite(f(z))) {
      const bad = undefinedAt(expr, [z]);
      const node = bad?.node ?? expr;
      throw new InputError(`${describeUndefined(node, `z = ${fmt(z)}`)}${node.col ? ` at column ${node.col}` : ""}`, { column: node.col || undefined, source });
    }
  }
  // 2. square-integrable near singular points: |f| must not blow up like |z - z0|^(-1/2) or faster
  for (const z0 of breakpoints) {
    for (const s of [-1, 1]) {
      const near = Math.abs(f(z0 + s * NEAR * Math.max(1, Math.abs(z0))));
      const far = Math.abs(f(z0 + s * FAR * Math.max(1, Math.abs(z0))));
      if (!Number.isFinite(near) || near >= MAX_SQUARE_INTEGRABLE_GROWTH * Math.max(1, far)) {
        throw new InputError(`the link is singular at z = ${fmt(z0)} and not square-integrable under the Gaussian (|f| grows from ${fmt(far)} to ${fmt(near)} approaching it)`, { source });
      }
    }
  }
  // 3. square-integrable at infinity: f(z)^2 phi(z) must decay
  checkTail((t) => f(t), source, "z");
}

function checkTail(h: (t: number) => number, source: string, where: string): void {
  const logTail = (t: number) => {
    const v = Math.abs(h(t));
    return v === 0 ? -Infinity : 2 * Math.log(v) - (t * t) / 2;
  };
  for (const s of [-1, 1]) {
    // the farthest of 80 .. 20 where |f| does not overflow (exp(z^2/8) is square-integrable but exp(800) = Infinity)
    const t = [80, 60, 40, 30, 20].find((x) => Number.isFinite(h(x * s)));
    if (t === undefined) {
      throw new InputError(`the link grows too fast to analyse: |f(${where})| overflows double precision already at ${where} = ${20 * s}, so E[f(Z)^2] is infinite or beyond 1e308`, { source });
    }
    const l80 = logTail(t * s);
    if (!(l80 < -60)) {
      const val = Math.abs(h(t * s));
      throw new InputError(`the link is not square-integrable under the Gaussian: f(${where})^2 phi(${where}) does not decay (|f| = ${fmt(val)} at ${where} = ${t * s}${t < 80 ? `, and f overflows double precision beyond it, so E[f(Z)^2] is infinite or too large to compute` : ""}); E[f(Z)^2] must be finite`, { source });
    }
  }
}

function checkMultivariateDomain(expr: Expr, g: (z: ArrayLike<number>) => number, r: number, source: string): void {
  const rng = seededRng(0x9e3779b9);
  const normal = () => rng.normal();
  const z = new Float64Array(r);
  for (let i = 0; i < 4000; i++) {
    const scale = i < 2000 ? 1 : 4;
    for (let j = 0; j < r; j++) z[j] = scale * normal();
    if (!Number.isFinite(g(z))) {
      const bad = undefinedAt(expr, z);
      const node = bad?.node ?? expr;
      const at = `(${[...z].map(fmt).join(", ")})`;
      throw new InputError(`${describeUndefined(node, at)}${node.col ? ` at column ${node.col}` : ""}`, { column: node.col || undefined, source });
    }
  }
  for (let i = 0; i < 16; i++) {
    const u = Array.from({ length: r }, normal);
    const norm = Math.hypot(...u);
    checkTail((t) => g(u.map((x) => (t * x) / norm)), source, "|z|");
  }
  checkMultivariateSingularities(expr, g, r, source, normal);
}

/**
 * Square-integrable near singular sets (z1/z2, 1/(z1 - z2)): along random lines z = u + t v, the link must not blow
 * up like |t - t0|^(-1/2) or faster at a zero t0 of a kink argument (the univariate test, applied on each line).
 */
function checkMultivariateSingularities(expr: Expr, g: (z: ArrayLike<number>) => number, r: number, source: string, normal: () => number): void {
  const args = kinkArguments(expr);
  if (!args.length) return;
  const compiled = args.map((a) => compileMultivariate(a, r));
  const z = new Float64Array(r);
  for (let line = 0; line < 12; line++) {
    const u = Array.from({ length: r }, normal), v = Array.from({ length: r }, normal);
    const at = (t: number) => { for (let j = 0; j < r; j++) z[j] = u[j]! + t * v[j]!; return z; };
    for (let a = 0; a < args.length; a++) {
      const h = compiled[a]!;
      for (const t0 of findRoots((t) => h(at(t)), -6, 6, { grid: 1200, maxRoots: 50 }).roots) {
        for (const s of [-1, 1]) {
          const near = Math.abs(g(at(t0 + s * NEAR * Math.max(1, Math.abs(t0)))));
          const far = Math.abs(g(at(t0 + s * FAR * Math.max(1, Math.abs(t0)))));
          if (!Number.isFinite(near) || near >= MAX_SQUARE_INTEGRABLE_GROWTH * Math.max(1, far)) {
            const where = `(${[...at(t0)].map(fmt).join(", ")})`;
            const col = args[a]!.col;
            throw new InputError(`the link is singular where '${show(args[a]!, (i) => variableName("multi", i))}' = 0 (e.g. at ${where}) and not square-integrable under the Gaussian${col ? ` at column ${col}` : ""}`, { column: col || undefined, source });
          }
        }
      }
    }
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));

/** A formula's compiled runtime, exposed for tests. */
export { runtime };
