/**
 * A `Link`: a parsed, validated link function g(z) (single-index) or g(z1..zr) (multi-index), with its compiled
 * closure, its kinks, and a proof-of-concept certificate that it is defined a.e. and square-integrable under N(0, I).
 */
import type { Expr } from "./expr.js";
import Fraction from "fraction.js";
import { show, walk } from "./expr.js";
import { parseExpression } from "./parse.js";
import { compileMultivariate, compileUnivariate } from "./compile.js";
import { InputError } from "./errors.js";
import { derivative, kinkArguments, withConstantSigns } from "./analysis.js";
import { runtime } from "./runtime.js";
import { logEvaluate } from "./logMagnitude.js";
import { bisect, findRoots, type RootScan } from "../numeric/roots.js";
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

/**
 * The growth measurement of the singularity checks: |f| at relative distances NEAR and FAR from z0 on side s (the
 * distances scaled by max(1, |z0|)), the points themselves, and whether |f| there exceeds the square-integrable
 * growth (NEAR/FAR)^(-1/2) (or is infinite).
 */
function growthNear(f: (t: number) => number, z0: number, s: number): { near: number; far: number; xn: number; xf: number; singular: boolean } {
  const scale = Math.max(1, Math.abs(z0));
  const xn = z0 + s * NEAR * scale, xf = z0 + s * FAR * scale;
  const near = Math.abs(f(xn)), far = Math.abs(f(xf));
  return { near, far, xn, xf, singular: !Number.isFinite(near) || near >= MAX_SQUARE_INTEGRABLE_GROWTH * Math.max(1, far) };
}

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
  // step(u), sign(u) of an argument of constant sign (step(sigmoid(h)) = 1) are that constant: every route then sees
  // the mathematical f, not a floating-point underflow of u to 0; the text keeps what was written
  const expr = withConstantSigns(parsed.expr);
  const g = compileMultivariate(expr, dimension);
  const variables = Array.from({ length: dimension }, (_, i) => variableName(kind, i));
  const text = show(parsed.expr, (i) => variableName(kind, i));
  const base = { source, expr, kind, dimension, variables, constant: parsed.style === null, g, text } as const;
  if (kind === "single") {
    const f = compileUnivariate(expr);
    const { breakpoints, peaks } = univariateBreakpoints(expr, source);
    checkUnivariateDomain(expr, f, breakpoints, source, new Set(peaks));
    return { ...base, f, breakpoints };
  }
  checkMultivariateDomain(expr, g, dimension, source);
  return { ...base, f: (z: number) => g([z]), breakpoints: [] };
}

/**
 * Arguments whose zeros may be touched without a sign change and still matter: denominators, bases of negative or
 * non-integer powers, arguments of log and sqrt. 1/(z - 0.3)^2 or (z^2)^(-0.3) have no sign change at their
 * singular point, so their zeros are found as minima of |h| that reach (numerically) zero.
 */
function touchingArguments(e: Expr): Expr[] {
  const out: Expr[] = [];
  for (const n of walk(e)) {
    if (n.op === "div") out.push(n.right);
    else if (n.op === "pow" && !(Number.isInteger(n.exponent) && n.exponent >= 0)) out.push(n.base);
    else if (n.op === "call" && (n.fn === "log" || n.fn === "sqrt")) out.push(n.arg);
  }
  return out;
}

/** Budget of the kink scan: total size of the kink arguments (each is evaluated on a grid of 144,000 points). */
export const MAX_KINK_WORK = 4000;

const nodeCount = (e: Expr) => { let n = 0; for (const _ of walk(e)) n++; return n; };

/** |h| at a local minimum is "zero" when it is below this fraction of |h| one grid step away on either side. */
const TOUCH_RATIO = 1e-6;
/** A local minimum of |h| below this fraction is a near-zero (a sharp peak of 1/h): it becomes a quadrature breakpoint. */
const NEAR_TOUCH_RATIO = 1e-2;

/**
 * Local minima of |h| on the grid where h does not change sign and |h| drops by at least NEAR_TOUCH_RATIO: the
 * point x0 (refined as a sign change of h' when h' is available, else by golden section on |h|) and whether
 * |h(x0)| is numerically zero (ratio <= TOUCH_RATIO).
 */
export function touchingZeros(h: (x: number) => number, dh: ((x: number) => number) | null, a: number, b: number, grid: number): { x: number; zero: boolean }[] {
  const step = (b - a) / grid;
  const out: { x: number; zero: boolean }[] = [];
  let xm = a, hm = Math.abs(h(a)), x0 = a + step, h0 = Math.abs(h(x0));
  for (let i = 2; i <= grid; i++) {
    const x1 = a + i * step, h1 = Math.abs(h(x1));
    if (h0 <= hm && h0 <= h1 && Number.isFinite(hm) && Number.isFinite(h1) && h0 <= NEAR_TOUCH_RATIO * Math.min(hm, h1)) {
      let x = x0;
      const dlo = dh ? dh(xm) : NaN, dhi = dh ? dh(x1) : NaN;
      if (dh && Number.isFinite(dlo) && Number.isFinite(dhi) && dlo * dhi < 0) x = bisect(dh, xm, x1, dlo);
      else x = goldenMinimum((t) => Math.abs(h(t)), xm, x1);
      const hx = Math.abs(h(x));
      out.push({ x, zero: !(hx > TOUCH_RATIO * Math.min(hm, h1)) });
    }
    xm = x0; hm = h0; x0 = x1; h0 = h1;
  }
  return out;
}

/** Minimum of a unimodal g on [a, b] by golden-section search (to about sqrt(machine epsilon) relative). */
function goldenMinimum(g: (x: number) => number, a: number, b: number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let lo = a, hi = b, c = hi - r * (hi - lo), d = lo + r * (hi - lo), gc = g(c), gd = g(d);
  for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); it++) {
    if (gc <= gd) { hi = d; d = c; gd = gc; c = hi - r * (hi - lo); gc = g(c); }
    else { lo = c; c = d; gc = gd; d = lo + r * (hi - lo); gd = g(d); }
  }
  return gc <= gd ? c : d;
}

/**
 * A lossless key of an expression without its source columns: two arguments with the same key compile to the same
 * function, so their scans are the same (numbers as JSON doubles, exact rationals as fractions).
 */
function expressionKey(e: Expr): string {
  return JSON.stringify(e, (k, v: unknown) => (k === "col" ? undefined : v instanceof Fraction ? v.toFraction() : typeof v === "bigint" ? String(v) : v));
}

/** The grid scans of one kink argument (null: it vanishes identically), and its touching zeros once asked for. */
interface ArgumentScan { readonly scan: RootScan; readonly finer: RootScan; touching?: { x: number; zero: boolean }[] }

/**
 * Scans by argument key, kept for the process: a link's label powers f^2..f^4 and links sharing an argument
 * (relu(z), abs(z), sign(z)) repeat the same 144,000-point scans otherwise. Bounded (cleared past 512 entries).
 */
const argumentScans = new Map<string, ArgumentScan | null>();

function scanArgument(arg: Expr): ArgumentScan | null {
  const key = expressionKey(arg);
  const known = argumentScans.get(key);
  if (known !== undefined) return known;
  const h = compileUnivariate(arg);
  let out: ArgumentScan | null = null;
  if (!Array.from({ length: 64 }, (_, i) => -SCAN_HALF_WIDTH + (2 * SCAN_HALF_WIDTH * (i + 0.37)) / 64).every((z) => h(z) === 0)) {
    const scan = findRoots(h, -SCAN_HALF_WIDTH, SCAN_HALF_WIDTH, { grid: 16000, maxRoots: 200 });
    // zeros that accumulate (sign(sin(1/z))) show up as a count that keeps growing when the grid is refined
    const finer = scan.tooMany ? scan : findRoots(h, -SCAN_HALF_WIDTH, SCAN_HALF_WIDTH, { grid: 128000, maxRoots: 200 });
    out = { scan, finer };
  }
  if (argumentScans.size >= 512) argumentScans.clear();
  argumentScans.set(key, out);
  return out;
}

/** Minima of |arg| that (nearly) reach zero, computed once per scanned argument. */
function touchingZerosOf(arg: Expr, scanned: ArgumentScan): { x: number; zero: boolean }[] {
  if (scanned.touching) return scanned.touching;
  const h = compileUnivariate(arg);
  const d = derivative(arg);
  const dh = nodeCount(d) <= 20 * nodeCount(arg) + 50 ? compileUnivariate(d) : null;
  return (scanned.touching = touchingZeros(h, dh, -SCAN_HALF_WIDTH, SCAN_HALF_WIDTH, 16000));
}

/** Kinks and singular points of a single-index link, and the sharp peaks (near-zeros of a denominator) among them. */
function univariateBreakpoints(expr: Expr, source: string): { breakpoints: number[]; peaks: number[] } {
  const points = new Set<number>();
  const peaks: number[] = [];
  const args = kinkArguments(expr);
  // the scan evaluates every argument on 144,000 points: its cost is bounded before it starts (linear refusal)
  const work = args.reduce((s, a) => s + nodeCount(a), 0);
  if (work > MAX_KINK_WORK) {
    throw new InputError(`the link is too deeply nested to analyse: its ${args.length} kink or singular arguments (relu, abs, sign, step, max, min, sqrt, log, divisions, powers) have ${work} nodes in all, at most ${MAX_KINK_WORK}`, { source });
  }
  const touchArgs = new Set(touchingArguments(expr));
  for (const arg of scannedArguments(args, touchArgs)) {
    const scanned = scanArgument(arg);
    // an argument that vanishes identically (max(z, z), step(0*z)) makes a constant, not a kink
    if (scanned === null) continue;
    const { scan, finer } = scanned;
    if (scan.tooMany || finer.tooMany || finer.roots.length > scan.roots.length + 2) {
      throw new InputError(`the link has too many kinks or jumps to analyse: the zeros of '${show(arg, () => "z")}' accumulate or exceed 200 in [-${SCAN_HALF_WIDTH}, ${SCAN_HALF_WIDTH}]`, { column: arg.col || undefined, source });
    }
    for (const r of scan.roots) points.add(r);
    if (touchArgs.has(arg)) {
      const found = touchingZerosOf(arg, scanned);
      if (found.length > 200) throw new InputError(`the link has too many singular points to analyse: '${show(arg, () => "z")}' nearly vanishes at more than 200 points in [-${SCAN_HALF_WIDTH}, ${SCAN_HALF_WIDTH}]`, { column: arg.col || undefined, source });
      // a minimum of |h| next to a sign change of h is that zero, already found
      const step = (2 * SCAN_HALF_WIDTH) / 16000;
      for (const t of found) {
        if (scan.roots.some((r) => Math.abs(r - t.x) <= 2 * step)) continue;
        points.add(t.x);
        if (!t.zero) peaks.push(t.x);
      }
    }
  }
  return { breakpoints: [...points].sort((a, b) => a - b), peaks };
}

/**
 * The kink arguments to scan, each once: relu, abs, sign, step and negation keep the places where their argument
 * vanishes or changes sign, so a kink argument of that form (abs(abs(z)) has abs(z) and z) is scanned as its
 * innermost other argument, and shared ones once. Nested abs(abs(...(z))) then costs one scan, not one per level
 * (the sum of the levels' sizes is quadratic in the depth). Denominator-like arguments (touching zeros) are kept
 * as they are.
 */
function scannedArguments(args: readonly Expr[], touching: ReadonlySet<Expr>): Expr[] {
  const out = new Set<Expr>();
  for (const arg of args) {
    if (touching.has(arg)) { out.add(arg); continue; }
    let h = arg;
    while (h.op === "neg" || (h.op === "call" && (h.fn === "abs" || h.fn === "sign" || h.fn === "relu" || h.fn === "step"))) h = h.arg;
    out.add(h);
  }
  return [...out];
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

function checkUnivariateDomain(expr: Expr, f: (z: number) => number, breakpoints: readonly number[], source: string, peaks: ReadonlySet<number>): void {
  // 1. defined almost everywhere: sample a grid that avoids the breakpoints
  const n = 6000;
  for (let i = 0; i < n; i++) {
    const z = -15 + (30 * (i + 0.5)) / n + 1.2345e-7;
    if (!Number.isFinite(f(z))) {
      // an overflow (z^1000 at z = -15 is 10^1176, not undefined) is a range problem, said as such
      const lv = logEvaluate(expr, [z]);
      if (!Number.isNaN(lv.s) && lv.s !== 0 && Number.isFinite(lv.l)) {
        checkTail((t) => logEvaluate(expr, [t]).l, source, "z", 0.1);
        throw new InputError(`the link is out of double range: |f(z)| = ${pow10(lv.l)} at z = ${fmt(z)} overflows double precision (at most 1.8e308)`, { source });
      }
      const bad = undefinedAt(expr, [z]);
      const node = bad?.node ?? expr;
      throw new InputError(`${describeUndefined(node, `z = ${fmt(z)}`)}${node.col ? ` at column ${node.col}` : ""}`, { column: node.col || undefined, source });
    }
  }
  // 2. square-integrable near singular points: |f| must not blow up like |z - z0|^(-1/2) or faster
  for (const z0 of breakpoints) {
    for (const s of [-1, 1]) {
      const { near, far, singular } = growthNear(f, z0, s);
      if (singular) {
        if (peaks.has(z0)) {
          throw new InputError(`the link has a peak too sharp to integrate in double precision at z = ${fmt(z0)} (|f| = ${fmt(Math.abs(f(z0)))} there, ${fmt(far)} at distance ${fmt(FAR * Math.max(1, Math.abs(z0)))}): a denominator nearly vanishes, and its coefficients cannot be computed reliably`, { source });
        }
        // a zero of a denominator and a near-zero (1/(z^2 + 1e-300), square-integrable with E[f^2] ~ 1e450) look alike
        // in double precision at these distances: both are refused, and the message says so
        const peak = Number.isFinite(f(z0)) ? `, or its peak is so sharp that E[f(Z)^2] is beyond double range (|f(${fmt(z0)})| = ${fmt(Math.abs(f(z0)))})` : "";
        throw new InputError(`the link is singular at z = ${fmt(z0)} and not square-integrable under the Gaussian${peak} (|f| grows from ${fmt(far)} to ${fmt(near)} approaching it)`, { source });
      }
    }
  }
  // 2b. the same at the boundary, exactly: a power |h|^p whose base vanishes to order m at z0 is |z - z0|^(m p)
  const powers = negativePowers(expr).map((n) => ({ node: n, h: compileUnivariate(n.base) }));
  singularPower(powers, f, breakpoints, (n, z0, power, m) => {
    const col = n.col;
    throw new InputError(`the link is singular at z = ${fmt(z0)} and not square-integrable under the Gaussian: '${show(n, () => "z")}' behaves like |z - ${fmt(z0)}|^(${fracText(power)}) there (its base vanishes to order ${m}), and its square |z - ${fmt(z0)}|^(${fracText(power.mul(2))}) is not integrable (a singular power must be > -1/2)${col ? ` at column ${col}` : ""}`, { column: col || undefined, source });
  });
  // 3. square-integrable at infinity (f(z)^2 phi(z) must decay) and within double range, in log space
  const logAbs = logAbsOf(expr);
  checkTail((t) => logAbs([t]), source, "z", 0.1);
}

/**
 * Order of vanishing of h at z0: the integer m with |h(z0 + d)| ~ C d^m on both sides, or null when h does not vanish
 * there like a power (the distances are the ones realized in floating point, x - z0 exactly by Sterbenz).
 */
function vanishingOrder(h: (z: number) => number, z0: number): number | null {
  const scale = Math.max(1, Math.abs(z0));
  let order: number | null = null;
  for (const s of [-1, 1]) {
    const x1 = z0 + s * 1e-4 * scale, x2 = z0 + s * 1e-6 * scale;
    const h1 = Math.abs(h(x1)), h2 = Math.abs(h(x2));
    if (!(h1 > 0 && h2 > 0 && Number.isFinite(h1) && Number.isFinite(h2))) return null;
    const m = Math.log(h1 / h2) / Math.log((x1 - z0) / (x2 - z0));
    const k = Math.round(m);
    if (k < 1 || Math.abs(m - k) > 0.05) return null;
    if (order !== null && order !== k) return null;
    order = k;
  }
  return order;
}

/**
 * Singular powers decided from the expression: a node h^p with p < 0 whose base vanishes to order m at z0 behaves like
 * |z - z0|^(m p), and (|z - z0|^(m p))^2 is integrable at z0 iff m p > -1/2. The comparison m p <= -1/2 is exact (p
 * as the fraction the user wrote), so the boundary |z - z0|^(-1/2) is refused, not lost to rounding in the numeric
 * growth test. It is refused only when f inherits the singularity (its own growth toward z0 is at least half of
 * it), so that a cancelling factor (z * |z|^(-1/2) = sign(z) |z|^(1/2)) is not refused. Shared by the single-index
 * check (points: the breakpoints) and the multi-index one (along random lines, points: zeros of kink arguments).
 */
function singularPower(powers: readonly { node: PowNode; h: (t: number) => number }[], f: (t: number) => number, points: readonly number[], fail: (node: PowNode, z0: number, power: Fraction, order: number) => never): void {
  for (const { node: n, h } of powers) {
    const p = n.exactExponent ?? new Fraction(n.exponent);
    for (const z0 of points) {
      const scale = Math.max(1, Math.abs(z0));
      if (!(Math.abs(h(z0)) <= 1e-12 * scale) && Number.isFinite(h(z0))) continue;
      const m = vanishingOrder(h, z0);
      if (m === null) continue;
      const power = p.mul(m);
      if (power.compare(new Fraction(-1, 2)) > 0) continue;
      // f must grow toward z0 at least like |z - z0|^(m p / 2) (it does, with the full power, unless a factor cancels)
      const inherits = [-1, 1].every((s) => {
        const { near, far, xn, xf } = growthNear(f, z0, s);
        if (!Number.isFinite(near)) return true;
        const growth = Math.log(near / far) / Math.log((xf - z0) / (xn - z0));
        return growth >= -power.valueOf() / 2;
      });
      if (inherits) fail(n, z0, power, m);
    }
  }
}

type PowNode = Extract<Expr, { op: "pow" }>;
/** The powers h^p with p < 0 of an expression (the candidates for a singular power). */
const negativePowers = (expr: Expr): PowNode[] => [...walk(expr)].filter((n): n is PowNode => n.op === "pow" && n.exponent < 0);

const fracText = (q: Fraction) => q.toFraction();

/** Points where the Gaussian tail must have won: log(f(t)^2 phi(t)) < -60 at each (after a polynomial's peak at sqrt(2n)). */
const TAIL_POINTS = [640, 960, 1280];
/** log(1e300): E[f(Z)^2] beyond this is out of double range (the coefficients and E[f^2] would overflow). */
const LOG_RANGE = Math.log(1e300);

/**
 * Square-integrable at infinity and within double range, in log space (`logAbs(t)` = log|f| along a ray, computed
 * by logEvaluate so that nothing overflows): log(f^2 phi) must be below -60 far out, and the peak of f^2 phi, which
 * estimates log E[f(Z)^2] to within a few units, must be below log(1e300).
 */
function checkTail(logAbs: (t: number) => number, source: string, where: string, step: number): void {
  const logDensity = (t: number) => 2 * logAbs(t) - (t * t) / 2 - 0.5 * Math.log(2 * Math.PI);
  // the peak ignores points where f is infinite: singular points are the business of the singularity checks
  const finiteDensity = (t: number) => { const v = logDensity(t); return v === Infinity ? -Infinity : v; };
  for (const sgn of [-1, 1]) {
    for (const t of TAIL_POINTS) {
      const v = logDensity(sgn * t);
      if (!(v < -60) && !Number.isNaN(v)) {
        throw new InputError(`the link is not square-integrable under the Gaussian: f(${where})^2 phi(${where}) does not decay (|f| = ${pow10(logAbs(sgn * t))} at ${where} = ${sgn * t}); E[f(Z)^2] must be finite`, { source });
      }
    }
  }
  let peak = -Infinity, at = 0;
  for (let t = -80; t <= 80; t += step) {
    const v = finiteDensity(t);
    if (v > peak) { peak = v; at = t; }
  }
  for (const t of [100, 140, 200, 280, 400, 560]) for (const x of [-t, t]) { const v = finiteDensity(x); if (v > peak) { peak = v; at = x; } }
  if (peak > LOG_RANGE) {
    throw new InputError(`the link is out of double range: E[f(Z)^2] is about ${pow10(peak)} (|f| = ${pow10(logAbs(at))} at ${where} = ${fmt(at)}), beyond 1e300, so its coefficients and E[f^2] cannot be computed in double precision`, { source });
  }
}

/** e^x as "10^k" text (x a natural log), or a plain number when it fits. */
function pow10(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "infinite" : "0";
  const k = x / Math.LN10;
  return k < 300 ? fmt(Math.exp(x)) : `10^${Math.round(k)}`;
}

const logAbsOf = (expr: Expr) => (z: ArrayLike<number>) => logEvaluate(expr, z).l;

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
  const logAbs = logAbsOf(expr);
  for (let i = 0; i < 16; i++) {
    const u = Array.from({ length: r }, normal);
    const norm = Math.hypot(...u);
    checkTail((t) => logAbs(u.map((x) => (t * x) / norm)), source, "|z|", 0.25);
  }
  checkMultivariateSingularities(expr, g, r, source, normal);
}

/**
 * Square-integrable near singular sets (z1/z2, 1/(z1 - z2)): along random lines z = u + t v, the link must not blow
 * up like |t - t0|^(-1/2) or faster at a zero t0 of a kink argument (the univariate test, applied on each line).
 */
function checkMultivariateSingularities(expr: Expr, g: (z: ArrayLike<number>) => number, r: number, source: string, normal: () => number): void {
  const touching = new Set(touchingArguments(expr));
  const args = scannedArguments(kinkArguments(expr), touching);
  if (!args.length) return;
  const compiled = args.map((a) => compileMultivariate(a, r));
  const powers = negativePowers(expr).map((n) => ({ node: n, hb: compileMultivariate(n.base, r) }));
  checkPointSingularities(args.filter((a) => touching.has(a)), g, r, source, normal);
  const z = new Float64Array(r);
  for (let line = 0; line < 12; line++) {
    const u = Array.from({ length: r }, normal), v = Array.from({ length: r }, normal);
    const at = (t: number) => { for (let j = 0; j < r; j++) z[j] = u[j]! + t * v[j]!; return z; };
    for (let a = 0; a < args.length; a++) {
      const h = compiled[a]!;
      const line = (t: number) => h(at(t));
      const roots = findRoots(line, -6, 6, { grid: 1200, maxRoots: 50 }).roots;
      // zeros without a sign change (1/(z1 - z2)^2): minima of |h| along the line that reach zero
      if (touching.has(args[a]!)) for (const t of touchingZeros(line, null, -6, 6, 1200)) if (t.zero && !roots.some((r) => Math.abs(r - t.x) <= 0.02)) roots.push(t.x);
      const gLine = (t: number) => g(at(t));
      for (const t0 of roots) {
        for (const s of [-1, 1]) {
          if (growthNear(gLine, t0, s).singular) {
            const where = `(${[...at(t0)].map(fmt).join(", ")})`;
            const col = args[a]!.col;
            throw new InputError(`the link is singular where '${show(args[a]!, (i) => variableName("multi", i))}' = 0 (e.g. at ${where}) and not square-integrable under the Gaussian${col ? ` at column ${col}` : ""}`, { column: col || undefined, source });
          }
        }
      }
      // at the boundary |t - t0|^(-1/2) the growth test is at the mercy of rounding: singular powers exactly
      singularPower(powers.map(({ node, hb }) => ({ node, h: (t: number) => hb(at(t)) })), gLine, roots, (n, t0, power, m) => {
        const where = `(${[...at(t0)].map(fmt).join(", ")})`;
        const col = n.col;
        throw new InputError(`the link is singular at ${where} and not square-integrable under the Gaussian: '${show(n, (i) => variableName("multi", i))}' behaves like (distance)^(${fracText(power)}) across the set where its base vanishes (to order ${m}), and its square is not integrable (a singular power must be > -1/2)${col ? ` at column ${col}` : ""}`, { column: col || undefined, source });
      });
    }
  }
}

/**
 * Singular sets of codimension >= 2 (1/(z1^2 + z2^2) vanishes at a point), which random lines miss: |h| of each
 * denominator-like argument is minimised by compass search from seeded starts; where it reaches 0, |g| must grow
 * slower than |z - z0|^(-1) toward z0 (square-integrable near a set of codimension c iff the power is < c/2; c = 2
 * is the smallest codimension lines miss, so this refuses conservatively).
 */
function checkPointSingularities(args: Expr[], g: (z: ArrayLike<number>) => number, r: number, source: string, normal: () => number): void {
  const y = new Float64Array(r);
  for (const arg of args) {
    const h = compileMultivariate(arg, r);
    for (let start = 0; start < 16; start++) {
      const z = Array.from({ length: r }, () => 2 * normal());
      let best = Math.abs(h(z)), step = 1;
      for (let it = 0; it < 400 && step > 1e-13 && best > 0; it++) {
        let improved = false;
        for (let j = 0; j < r && !improved; j++) for (const s of [step, -step]) {
          z[j]! += s;
          const v = Math.abs(h(z));
          if (v < best) { best = v; improved = true; break; }
          z[j]! -= s;
        }
        if (!improved) step /= 2;
      }
      if (!(best <= 1e-12 * Math.max(1, ...z.map(Math.abs)))) continue;
      const dir = Array.from({ length: r }, normal), n = Math.hypot(...dir);
      const at = (t: number) => { for (let j = 0; j < r; j++) y[j] = z[j]! + (t * dir[j]!) / n; return y; };
      const near = Math.abs(g(at(NEAR))), far = Math.abs(g(at(FAR)));
      // growth (FAR/NEAR)^a with a >= 1
      if (!Number.isFinite(near) || near >= (FAR / NEAR) * (1 - 1e-9) * Math.max(1, far)) {
        const col = arg.col;
        throw new InputError(`the link is singular where '${show(arg, (i) => variableName("multi", i))}' = 0 (e.g. at (${z.map(fmt).join(", ")})) and not square-integrable under the Gaussian (|g| grows from ${fmt(far)} to ${fmt(near)} approaching it)${col ? ` at column ${col}` : ""}`, { column: col || undefined, source });
      }
    }
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));

/** A formula's compiled runtime, exposed for tests. */
export { runtime };
