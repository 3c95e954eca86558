/**
 * Locating a weak-recovery transition from overlaps measured at several d (finite-size scaling) and judging it
 * against the predicted alpha_c.
 *
 * Near a BBP-type transition the top eigenvector's overlap obeys m^2 ~ d^(-1/3) F((alpha - alpha_c) d^(1/3)), so the
 * curves Q_d(alpha) = d^(1/3) mean m^2 of successive sizes cross at alpha_c: below it m^2 = O(1/d) and Q falls with
 * d, above it m^2 -> m_inf^2 > 0 and Q grows. The crossing of each pair of successive sizes is found by linear
 * interpolation of Q_{d2} - Q_{d1} on the alpha grid (its first sign change from - to +); the estimate is the crossing
 * of the two largest sizes; its 95% CI comes from a bootstrap over seeds within each d (the alpha grid shares its
 * data across alpha, so a seed is resampled with all of its alphas). Resamples without a crossing in the grid are
 * counted; more than 5% of them makes the CI open.
 *
 * Verdicts: "consistent" when the CI covers alpha_c, "inconsistent" when it excludes it, "inconclusive" when no
 * crossing was found or the CI is open. A trivial direction (alpha_c = 0) is "consistent" when m^2 exceeds the null
 * level 1/d by more than 3 standard errors at every alpha; a hard one (alpha_c = inf) when d m^2 stays at the null
 * level (mean below 10) at every alpha of the largest d, i.e. no transition inside the grid.
 */
import { bootstrapStream } from "./survival.js";
import { nearestRankQuantile as percentile } from "../numeric/statistics.js";

/** Overlaps of one configuration (d, alpha), one per seed (index = seed). */
export interface OverlapCell {
  readonly d: number;
  readonly alpha: number;
  /** overlap^2 per seed, by seed index (the same seed index across alphas shares its data). */
  readonly overlapSquared: readonly number[];
}

/** Mean overlap^2 of one (d, alpha) with its standard error and the finite-size-scaled d^(1/3) mean. */
export interface CurvePoint {
  readonly d: number;
  readonly alpha: number;
  readonly mean: number;
  readonly se: number;
  readonly scaled: number;
  readonly seeds: number;
}

/** The verdict on the predicted threshold. */
export type TransitionVerdict = "consistent" | "inconsistent" | "inconclusive";

/** The located transition, its CI, the crossings of every pair of sizes, and the verdict against alpha_c. */
export interface TransitionReport {
  readonly alphaC: number;
  readonly regime: "trivial" | "easy" | "hard" | "undetermined";
  /** Crossing of the two largest sizes (null: none in the grid). */
  readonly estimate: number | null;
  /** Bootstrap 95% CI of the estimate ([lo, Infinity] or [null, null] when open or absent). */
  readonly ci95: readonly [number | null, number | null];
  /** Fraction of bootstrap resamples with no crossing inside the grid. */
  readonly noCrossingFraction: number;
  /** Crossing of each pair of successive sizes. */
  readonly crossings: { d1: number; d2: number; alpha: number | null }[];
  /** (estimate - alpha_c)/alpha_c. */
  readonly relativeError: number | null;
  readonly within5Percent: boolean | null;
  readonly verdict: TransitionVerdict;
  /** Why, including what could not be distinguished and the size that would resolve it. */
  readonly reason: string;
  readonly curves: CurvePoint[];
}

const NULL_LEVEL_HARD = 10;
const OPEN_FRACTION = 0.05;

/** Mean, standard error and d^(1/3)-scaled mean of every cell. */
export function curvePoints(cells: readonly OverlapCell[]): CurvePoint[] {
  return cells.map((c) => {
    const v = c.overlapSquared, n = v.length;
    const mean = v.reduce((s, x) => s + x, 0) / n;
    const sd = n > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : NaN;
    return { d: c.d, alpha: c.alpha, mean, se: sd / Math.sqrt(n), scaled: Math.cbrt(c.d) * mean, seeds: n };
  }).sort((a, b) => a.d - b.d || a.alpha - b.alpha);
}

/** First alpha where g = Q_{d2} - Q_{d1} turns from negative to positive, by linear interpolation; null if none. */
export function crossing(alphas: readonly number[], q1: readonly number[], q2: readonly number[]): number | null {
  for (let i = 0; i + 1 < alphas.length; i++) {
    const g0 = q2[i]! - q1[i]!, g1 = q2[i + 1]! - q1[i + 1]!;
    if (g0 < 0 && g1 >= 0) return alphas[i]! + ((alphas[i + 1]! - alphas[i]!) * -g0) / (g1 - g0);
  }
  return null;
}

/** Per d: the sorted alpha grid and, per seed, overlap^2 at every alpha (seeds present at every alpha only). */
function bySize(cells: readonly OverlapCell[]): Map<number, { alphas: number[]; rows: number[][] }> {
  const out = new Map<number, { alphas: number[]; rows: number[][] }>();
  for (const d of [...new Set(cells.map((c) => c.d))].sort((a, b) => a - b)) {
    const mine = cells.filter((c) => c.d === d).sort((a, b) => a.alpha - b.alpha);
    const seeds = Math.min(...mine.map((c) => c.overlapSquared.length));
    out.set(d, { alphas: mine.map((c) => c.alpha), rows: Array.from({ length: seeds }, (_, s) => mine.map((c) => c.overlapSquared[s]!)) });
  }
  return out;
}

const scaledMeans = (d: number, rows: readonly number[][], pick: readonly number[]) =>
  rows[0]!.map((_, j) => Math.cbrt(d) * pick.reduce((s, i) => s + rows[i]![j]!, 0) / pick.length);

/**
 * Locate the transition by the crossing of d^(1/3) mean overlap^2 curves, with a bootstrap CI over seeds, and judge
 * it against alpha_c (see the module comment for the rules).
 * @param cells overlaps on a common alpha grid at >= 2 sizes (trivial/hard regimes need only one).
 */
export function locateTransition(cells: readonly OverlapCell[], alphaC: number, regime: TransitionReport["regime"], replicates = 1000, label = "threshold"): TransitionReport {
  const curves = curvePoints(cells);
  const sizes = bySize(cells);
  const ds = [...sizes.keys()];
  const base = { alphaC, regime, curves };
  if (regime === "trivial") {
    const bad = curves.filter((p) => !(p.mean - 3 * p.se > 1 / p.d));
    return {
      ...base, estimate: null, ci95: [null, null], noCrossingFraction: 1, crossings: [], relativeError: null, within5Percent: null,
      verdict: bad.length === 0 ? "consistent" : "inconsistent",
      reason: bad.length === 0 ? `alpha_c = 0 (trivial direction): overlap^2 exceeds the null level 1/d by more than 3 standard errors at every alpha and d (${curves.length} cells)`
        : `alpha_c = 0 predicts overlap at every alpha, but at ${bad.map((p) => `(d ${p.d}, alpha ${p.alpha})`).join(", ")} overlap^2 is within 3 SE of the null level 1/d`,
    };
  }
  if (regime === "hard") {
    const dmax = ds[ds.length - 1]!;
    const top = curves.filter((p) => p.d === dmax);
    const worst = top.reduce((a, p) => (p.mean * p.d > a.mean * a.d ? p : a), top[0]!);
    const ok = worst.mean * worst.d < NULL_LEVEL_HARD;
    const amax = Math.max(...top.map((p) => p.alpha));
    return {
      ...base, estimate: null, ci95: [null, null], noCrossingFraction: 1, crossings: [], relativeError: null, within5Percent: null,
      verdict: ok ? "consistent" : "inconsistent",
      reason: ok ? `alpha_c = inf (hard direction): at d = ${dmax} the overlap stays at the null level at every alpha <= ${amax} (largest d * mean overlap^2 = ${worst.mean * worst.d >= 0 ? (worst.mean * worst.d).toPrecision(3) : "0"} at alpha ${worst.alpha}; a random direction gives 1)`
        : `alpha_c = inf predicts no recovery, but at d = ${dmax}, alpha ${worst.alpha} d * mean overlap^2 = ${(worst.mean * worst.d).toPrecision(3)} >= ${NULL_LEVEL_HARD}`,
    };
  }
  if (ds.length < 2) {
    return { ...base, estimate: null, ci95: [null, null], noCrossingFraction: 1, crossings: [], relativeError: null, within5Percent: null, verdict: "inconclusive", reason: "locating a transition by finite-size scaling needs at least two sizes d" };
  }
  const grid = sizes.get(ds[0]!)!.alphas;
  for (const d of ds) {
    const g = sizes.get(d)!.alphas;
    if (g.length !== grid.length || g.some((a, i) => Math.abs(a - grid[i]!) > 1e-12)) {
      return { ...base, estimate: null, ci95: [null, null], noCrossingFraction: 1, crossings: [], relativeError: null, within5Percent: null, verdict: "inconclusive", reason: `the alpha grids differ between d = ${ds[0]} and d = ${d} (incomplete sweep?)` };
    }
  }
  const all = (d: number) => Array.from({ length: sizes.get(d)!.rows.length }, (_, i) => i);
  const crossings = ds.slice(1).map((d2, i) => {
    const d1 = ds[i]!;
    return { d1, d2, alpha: crossing(grid, scaledMeans(d1, sizes.get(d1)!.rows, all(d1)), scaledMeans(d2, sizes.get(d2)!.rows, all(d2))) };
  });
  const [d1, d2] = [ds[ds.length - 2]!, ds[ds.length - 1]!];
  const estimate = crossings[crossings.length - 1]!.alpha;
  const rng = bootstrapStream(`${label}:${d1}:${d2}`);
  const boot: number[] = [];
  let none = 0;
  const r1 = sizes.get(d1)!.rows, r2 = sizes.get(d2)!.rows;
  for (let b = 0; b < replicates; b++) {
    const p1 = r1.map(() => Math.floor(rng.uniform() * r1.length)), p2 = r2.map(() => Math.floor(rng.uniform() * r2.length));
    const c = crossing(grid, scaledMeans(d1, r1, p1), scaledMeans(d2, r2, p2));
    if (c === null) none++; else boot.push(c);
  }
  boot.sort((a, b) => a - b);
  const noCrossingFraction = none / replicates;
  const open = noCrossingFraction > OPEN_FRACTION || boot.length === 0;
  const ci95: [number | null, number | null] = open ? [boot.length ? percentile(boot, 0.025) : null, null] : [percentile(boot, 0.025), percentile(boot, 0.975)];
  const relativeError = estimate === null ? null : (estimate - alphaC) / alphaC;
  const within5Percent = relativeError === null ? null : Math.abs(relativeError) <= 0.05;
  const gridText = `[${grid[0]}, ${grid[grid.length - 1]}]`;
  if (estimate === null || open) {
    return {
      ...base, estimate, ci95, noCrossingFraction, crossings, relativeError, within5Percent, verdict: "inconclusive",
      reason: estimate === null
        ? `no crossing of the d^(1/3) overlap^2 curves of d = ${d1} and ${d2} inside the alpha grid ${gridText}: widen the grid around alpha_c = ${fmt(alphaC)} or add seeds`
        : `crossing at ${fmt(estimate)}, but ${(100 * noCrossingFraction).toFixed(1)}% of bootstrap resamples have none in ${gridText}: the CI is open; add seeds or larger d`,
    };
  }
  const covers = ci95[0]! <= alphaC && alphaC <= ci95[1]!;
  const half = (ci95[1]! - ci95[0]!) / 2;
  return {
    ...base, estimate, ci95, noCrossingFraction, crossings, relativeError, within5Percent,
    verdict: covers ? "consistent" : "inconsistent",
    reason: covers
      ? `the crossing of d = ${d1} and ${d2} at alpha = ${fmt(estimate)} (95% CI [${fmt(ci95[0]!)}, ${fmt(ci95[1]!)}], ${(100 * (relativeError ?? 0)).toFixed(1)}% from alpha_c) covers alpha_c = ${fmt(alphaC)}; the CI half-width ${fmt(half)} (${(100 * half / alphaC).toFixed(1)}% of alpha_c) is what this sweep can distinguish`
      : `the crossing of d = ${d1} and ${d2} at alpha = ${fmt(estimate)} (95% CI [${fmt(ci95[0]!)}, ${fmt(ci95[1]!)}]) excludes alpha_c = ${fmt(alphaC)} (${(100 * (relativeError ?? 0)).toFixed(1)}%); finite-size corrections shift the crossing by O(d^(-1/3)): compare the crossings of smaller pairs (${crossings.map((c) => `${c.d1}/${c.d2}: ${c.alpha === null ? "none" : fmt(c.alpha)}`).join(", ")}) to see whether it drifts toward alpha_c`,
  };
}

const fmt = (x: number) => Number(x.toPrecision(4)).toString();
