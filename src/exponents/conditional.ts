/**
 * The conditional law of Z given Y = f(Z) for a deterministic, piecewise-monotone single-index link
 * (theory notes §2.2, "Deterministic y = f(z)"; Damian, Pillaud-Vivien, Lee, Bruna 2024, arXiv 2403.05529, §2):
 *
 *   - on a strictly monotone piece, a non-atom level y has one preimage z_b per piece, with weight
 *     phi(z_b)/|f'(z_b)|, so  zeta_k(y) = E[h_k(Z) | Y = y] = sum_b h_k(z_b) w_b / sum_b w_b ;
 *   - where f is constant (flat pieces: relu's left half, sign, step) Y has an atom, and
 *     zeta_k(atom) = E[h_k(Z) | Z in A] = sum_{[a,b] in A} int_a^b h_k phi / P(Z in A), with the closed form
 *     int_a^b He_k phi = -[He_{k-1} phi]_a^b, i.e. int_a^b h_k phi = (h_{k-1}(a)phi(a) - h_{k-1}(b)phi(b))/sqrt(k).
 *
 * The line is cut at the link's kinks and at the sign changes of f' inside [-L, L]; the Gaussian mass outside
 * the window (2 Phibar(L)) is the truncation error, reported. When the cut cannot be made (f' changes sign between
 * grid points after refinement) `branchStructure` throws `BranchAnalysisError` and callers fall back to Monte Carlo.
 */
import type { Link } from "../link/link.js";
import { derivative } from "../link/analysis.js";
import { compileUnivariate } from "../link/compile.js";
import { logEvaluate } from "../link/logMagnitude.js";
import { walk } from "../link/expr.js";
import { erfc } from "../link/runtime.js";
import { budgeted, NO_DEADLINE, type Deadline } from "../numeric/deadline.js";
import { normalizedHermiteValues } from "../hermite/basis.js";

/** 1/sqrt(2 pi), the normalisation of the standard Gaussian density. */
export const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Standard Gaussian density phi(z) = exp(-z^2/2)/sqrt(2 pi). */
export const phi = (z: number) => INV_SQRT_2PI * Math.exp(-(z * z) / 2);
/** P(Z > t), accurate in both tails. */
export const phibar = (t: number) => (t === Infinity ? 0 : t === -Infinity ? 1 : 0.5 * erfc(t / Math.SQRT2));
/** P(a < Z < b) without cancellation in the tails. */
export function gaussianMass(a: number, b: number): number {
  if (b <= a) return 0;
  if (a >= 0) return phibar(a) - phibar(b);
  if (b <= 0) return phibar(-b) - phibar(-a);
  return 1 - phibar(b) - phibar(-a);
}

/**
 * The branch analysis could not cut the line into monotone and flat pieces (e.g. critical points accumulate);
 * callers fall back to the Monte Carlo estimator.
 */
export class BranchAnalysisError extends Error {
  constructor(message: string) { super(message); this.name = "BranchAnalysisError"; }
}

/** An interval (a, b) on which f is strictly monotone, with its one-sided end values. */
export interface MonotonePiece {
  readonly a: number;
  readonly b: number;
  /** One-sided limits f(a+) and f(b-). */
  readonly fa: number;
  readonly fb: number;
  readonly increasing: boolean;
}

/** A level set of positive probability: Y = value on a union of intervals (ends may be infinite). */
export interface Atom {
  readonly value: number;
  readonly intervals: [number, number][];
  readonly mass: number;
  /**
   * True when some interval of the atom ends where f' merely underflows (e.g. tanh saturating in floating point),
   * not at a kink: the link is not truly constant there, so the atom is a floating-point artefact whose effect
   * on lambda_k^2 is bounded by E[h_k(Z)^2; Z in the interval] (added to the error bound).
   */
  readonly saturated: boolean;
}

/**
 * The line cut into strictly monotone pieces and atoms (level sets of positive probability) of f on [-L, L], from
 * which zeta_k(y) = E[h_k(Z) | Y = y] is computed exactly on atoms and by preimage weights phi(z_b)/|f'(z_b)| elsewhere.
 */
export interface BranchStructure {
  /** Half-width L of the analysed window. */
  readonly window: number;
  readonly monotone: MonotonePiece[];
  readonly atoms: Atom[];
  /** Values where the number of preimages changes: f at every piece end. */
  readonly criticalValues: number[];
  /** All cut points in (-L, L), sorted. */
  readonly cuts: number[];
  readonly f: (z: number) => number;
  readonly fprime: (z: number) => number;
  /**
   * f without the deadline checks of `f` (the link's own closure), for the bisections of {@link preimageOf}, which
   * check the deadline once per preimage instead of at every one of their ~55 evaluations.
   */
  readonly unchecked: (z: number) => number;
  /** The deadline `f` and `fprime` check. */
  readonly deadline: Deadline;
  /** Gaussian mass outside the window: a bound on what the truncation can change in any E[bounded-by-1 quantity]. */
  readonly truncatedMass: number;
  readonly warnings: string[];
}

/** Default half-width L of the analysed window (Gaussian mass outside: 2 Phibar(12) ~ 3.6e-33). */
export const DEFAULT_WINDOW = 12;

/**
 * Points where sign(f') (in {-1, 0, +1}) changes on a grid, located by bisection: the ends of the monotone
 * and of the flat stretches. Null when there are more than `max` (accumulating critical points).
 */
export function signTransitions(fprime: (z: number) => number, a: number, b: number, grid: number, max: number, sign?: (z: number) => number): number[] | null {
  const cls = sign ?? ((x: number) => { const d = fprime(x); return Number.isFinite(d) ? Math.sign(d) : 2; });
  const out: number[] = [];
  let x0 = a, c0 = cls(a);
  for (let i = 1; i <= grid; i++) {
    const x1 = a + ((b - a) * i) / grid, c1 = cls(x1);
    if (c1 !== c0) {
      let lo = x0, hi = x1;
      for (let it = 0; it < 80; it++) { const mid = 0.5 * (lo + hi); if (mid <= lo || mid >= hi) break; if (cls(mid) === c0) lo = mid; else hi = mid; }
      out.push(0.5 * (lo + hi));
      if (out.length > max) return null;
    }
    x0 = x1; c0 = c1;
  }
  return out;
}

/** One-sided limit of f at x from the side of `toward`. */
function limit(f: (z: number) => number, x: number, toward: number): number {
  const h = Math.max(1e-12, 1e-12 * Math.abs(x)) * Math.sign(toward - x);
  const v = f(x + h);
  return Number.isFinite(v) ? v : f(x + 1e3 * h);
}

/**
 * Branch structure of a single-index link on [-window, window]: cuts at the kinks and at the sign changes of f',
 * monotone pieces, atoms with their Gaussian masses, and the truncated mass 2 Phibar(window) as the error.
 * @param deadline checked by every evaluation of f and f' (also later, through the structure's f and fprime).
 * @throws BranchAnalysisError when the link is multi-index or the cut cannot be made (accumulating critical points);
 *   TimeLimitExceeded when the deadline passes.
 */
export function branchStructure(link: Link, window = DEFAULT_WINDOW, deadline: Deadline = NO_DEADLINE): BranchStructure {
  if (link.kind !== "single") throw new BranchAnalysisError("branch analysis is for single-index links");
  // with a deadline, every use of f and f' (here and in the quadratures over the structure) checks it
  const f = budgeted(link.f, deadline);
  const dexpr = derivative(link.expr);
  const fprime = budgeted(compileUnivariate(dexpr), deadline);
  // the sign of f' where the double underflows to 0 (z^80 near 0: 80 z^79 < 5e-324 for |z| < 8e-5, and f itself
  // underflows there): read in log space, so that such a stretch is the strictly monotone piece it is, not a flat
  // atom; a true zero (relu's left half: step(z) = 0) and a saturation (tanh(z) = 1 in doubles) stay 0 in log space too
  // (only for derivatives of moderate size: the tree walk costs far more than the compiled f')
  let size = 0;
  for (const _ of walk(dexpr)) if (++size > 400) break;
  const signOfFprime = (z: number): number => {
    const d = fprime(z);
    if (d !== 0 || size > 400) return Number.isFinite(d) ? Math.sign(d) : 2;
    deadline.check();
    const s = logEvaluate(dexpr, [z]).s;
    return Number.isNaN(s) ? 0 : s;
  };
  const L = window;
  const warnings: string[] = [];
  const transitions = signTransitions(fprime, -L, L, 24000, 400, signOfFprime);
  if (transitions === null) throw new BranchAnalysisError(`f' changes sign more than 400 times in [-${L}, ${L}]: too many monotone pieces to analyse`);
  let cuts = [...link.breakpoints.filter((t) => t > -L && t < L), ...transitions].sort((x, y) => x - y);
  cuts = cuts.filter((t, i) => i === 0 || t - cuts[i - 1]! > 1e-12 * Math.max(1, Math.abs(t)));

  const monotone: MonotonePiece[] = [];
  const flat: { a: number; b: number; value: number }[] = [];
  const kinks = [...link.breakpoints];
  const classify = (a: number, b: number, depth: number): void => {
    const m = 24;
    let pos = 0, neg = 0, zero = 0;
    const vals: number[] = [];
    for (let i = 0; i < m; i++) {
      const z = a + ((b - a) * (i + 0.5)) / m;
      const d = signOfFprime(z);
      vals.push(f(z));
      if (d === 2) continue;
      if (d > 0) pos++; else if (d < 0) neg++; else zero++;
    }
    if (pos === 0 && neg === 0) {
      const v = vals[Math.floor(m / 2)]!;
      const spread = Math.max(...vals) - Math.min(...vals);
      if (spread <= 1e-12 * Math.max(1, Math.abs(v))) { flat.push({ a, b, value: v }); return; }
      throw new BranchAnalysisError(`f' vanishes on (${fmt(a)}, ${fmt(b)}) but f is not constant there`);
    }
    if (pos > 0 && neg > 0) {
      if (depth > 2) throw new BranchAnalysisError(`could not split (${fmt(a)}, ${fmt(b)}) into monotone pieces`);
      const inner = (signTransitions(fprime, a, b, 20000, 400, signOfFprime) ?? []).filter((t) => t > a && t < b);
      if (inner.length === 0) throw new BranchAnalysisError(`f' changes sign in (${fmt(a)}, ${fmt(b)}) at no detectable point`);
      const pts = [a, ...inner, b];
      for (let i = 0; i + 1 < pts.length; i++) classify(pts[i]!, pts[i + 1]!, depth + 1);
      return;
    }
    if (zero > 0) warnings.push(`f' is numerically zero at some points of (${fmt(a)}, ${fmt(b)}) where f is monotone: treated as one monotone piece (f is numerically flat there)`);
    monotone.push({ a, b, fa: limit(f, a, b), fb: limit(f, b, a), increasing: pos > 0 });
  };
  const ends = [-L, ...cuts, L];
  for (let i = 0; i + 1 < ends.length; i++) classify(ends[i]!, ends[i + 1]!, 0);
  monotone.sort((p, q) => p.a - q.a);

  // flat pieces with equal values form one atom; the outermost ones extend to infinity (closed forms handle it)
  const atoms: { value: number; intervals: [number, number][]; mass: number; saturated: boolean }[] = [];
  for (const p of flat) {
    const a = p.a === -L ? -Infinity : p.a, b = p.b === L ? Infinity : p.b;
    const isKink = (t: number) => kinks.some((c) => Math.abs(c - t) <= 1e-9 * Math.max(1, Math.abs(t)));
    const saturated = (Number.isFinite(a) && !isKink(a)) || (Number.isFinite(b) && !isKink(b));
    if (saturated) warnings.push(`f is constant in floating point on (${fmt(a)}, ${fmt(b)}) although no kink bounds it (saturation): treated as an atom, with its effect bounded in the error`);
    const hit = atoms.find((t) => Math.abs(t.value - p.value) <= 1e-12 * Math.max(1, Math.abs(p.value)));
    if (hit) { hit.intervals.push([a, b]); hit.saturated ||= saturated; }
    else atoms.push({ value: p.value, intervals: [[a, b]], mass: 0, saturated });
  }
  const atomsWithMass = atoms.map((t) => ({ ...t, mass: t.intervals.reduce((s, [a, b]) => s + gaussianMass(a, b), 0) }));
  const criticalValues = [...new Set(monotone.flatMap((p) => [p.fa, p.fb]))].sort((x, y) => x - y);
  const outerMonotone = monotone.some((p) => p.a === -L) || monotone.some((p) => p.b === L);
  return {
    window: L, monotone, atoms: atomsWithMass, criticalValues, cuts: ends.slice(1, -1), f, fprime, unchecked: link.f, deadline,
    truncatedMass: outerMonotone ? 2 * phibar(L) : 0, warnings,
  };
}

/** The preimage of y on a monotone piece (y strictly inside its range), by bisection to machine precision. */
export function preimage(p: MonotonePiece, f: (z: number) => number, y: number): number {
  let lo = p.a, hi = p.b;
  const up = p.increasing;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    const v = f(mid);
    if (v === y) return mid;
    if ((v < y) === up) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** {@link preimage} on a piece of `s`, with the deadline checked once (the bisection's evaluations skip the checks). */
export function preimageOf(s: BranchStructure, p: MonotonePiece, y: number): number {
  s.deadline.check();
  return preimage(p, s.unchecked, y);
}

/** Whether the level y lies strictly inside the range of f on the monotone piece p. */
export const inRange = (p: MonotonePiece, y: number) => y > Math.min(p.fa, p.fb) && y < Math.max(p.fa, p.fb);

/** h_0..h_K at one preimage in {@link zetaContinuous} (reused: it is called once per quadrature node). */
let zetaScratch = new Float64Array(0);

/**
 * zeta_0..zeta_K at a continuous level y (normalised h_k): the phi/|f'|-weighted average over the preimages.
 * `own` gives a known preimage (piece index, z) to skip one inversion. Returns null when y has no preimage.
 */
export function zetaContinuous(
  s: BranchStructure, y: number, K: number, out: Float64Array, own?: { piece: number; z: number }, error?: Float64Array,
): { density: number } | null {
  if (zetaScratch.length < K + 1) zetaScratch = new Float64Array(K + 1);
  const h = zetaScratch;
  out.fill(0);
  error?.fill(0);
  let total = 0, infinite = false;
  // a preimage found by bisection on the floating-point f is uncertain by ulp(y)/|f'| (large where f saturates):
  // it moves h_k by about sqrt(k) |h_{k-1}| ulp(y)/|f'| (h_k' = sqrt(k) h_{k-1}); capped by 2 max|h_k| there
  const ulp = 4 * Number.EPSILON * Math.max(1, Math.abs(y));
  const acc = (z: number, exact: boolean) => {
    // |f'| so small that phi/|f'| (times h_k) overflows (erf(z^3) at z = -3: f' = 7.6e-316) is an infinite density,
    // like f' = 0
    const pz = phi(z), d0 = Math.abs(s.fprime(z)), d = pz / d0 < 1e250 ? d0 : 0;
    normalizedHermiteValues(z, K, h);
    if (error && !exact && !infinite) {
      const w = d === 0 ? 1 : pz / d;
      const dz = d === 0 ? Infinity : ulp / d;
      for (let k = 1; k <= K; k++) error[k]! += w * Math.min(Math.sqrt(k) * Math.abs(h[k - 1]!) * dz, 2 * Math.max(1, Math.abs(h[k]!)));
    }
    if (d === 0) {
      if (!infinite) { infinite = true; total = 0; out.fill(0); }
      total += 1;
      for (let k = 0; k <= K; k++) out[k]! += h[k]!;
      return;
    }
    if (infinite) return;
    const w = pz / d;
    total += w;
    for (let k = 0; k <= K; k++) out[k]! += w * h[k]!;
  };
  const pieces = s.monotone;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (own && own.piece === i) acc(own.z, true);
    else if (inRange(p, y)) acc(preimageOf(s, p, y), false);
  }
  if (total === 0) return null;
  for (let k = 0; k <= K; k++) out[k]! /= total;
  if (error) for (let k = 0; k <= K; k++) error[k] = infinite ? 2 * Math.max(1, Math.abs(out[k]!)) : error[k]! / total;
  return { density: infinite ? Infinity : total };
}

/** int_a^b h_k(z) phi(z) dz for k = 0..K, closed form (k >= 1: (h_{k-1}(a)phi(a) - h_{k-1}(b)phi(b))/sqrt(k)). */
export function hermiteIntervalIntegrals(a: number, b: number, K: number): Float64Array {
  const out = new Float64Array(K + 1);
  out[0] = gaussianMass(a, b);
  if (K === 0) return out;
  const ha = new Float64Array(K + 1), hb = new Float64Array(K + 1);
  const pa = Number.isFinite(a) ? phi(a) : 0, pb = Number.isFinite(b) ? phi(b) : 0;
  if (pa > 0) normalizedHermiteValues(a, K, ha);
  if (pb > 0) normalizedHermiteValues(b, K, hb);
  for (let k = 1; k <= K; k++) out[k] = ((pa > 0 ? ha[k - 1]! * pa : 0) - (pb > 0 ? hb[k - 1]! * pb : 0)) / Math.sqrt(k);
  return out;
}

/** E[h_k(Z) 1{Z in atom}] for k = 0..K from the closed form. */
export function atomHermiteMoments(atom: Atom, K: number): Float64Array {
  const out = new Float64Array(K + 1);
  for (const [a, b] of atom.intervals) {
    const I = hermiteIntervalIntegrals(a, b, K);
    for (let k = 0; k <= K; k++) out[k]! += I[k]!;
  }
  return out;
}

const fmt = (x: number) => Number(x.toPrecision(6)).toString();
