/**
 * Scaling fits of escape times against d (theory-notes §5): OLS of ln(median T) on ln d, optionally with a known log
 * factor T = C d^beta (ln d)^kappa removed first (fit ln T - kappa ln ln d), with a stratified bootstrap CI on the
 * slope (resample runs within each d, recompute the Kaplan–Meier medians, refit). A resample in which some median is
 * not identified has no slope; if more than 2.5% of resamples lack one, the CI is open on that side we cannot bound.
 */
import { kaplanMeierMedian, bootstrapStream, type Observation } from "./survival.js";
import { nearestRankQuantile, ols, resample, sampleSd } from "../numeric/statistics.js";

/** The escape-time observations (with censoring) of all runs at one dimension d. */
export interface DimensionGroup { readonly d: number; readonly obs: readonly Observation[] }

/** Fit ln(median T) - kappa ln ln d = a + beta ln d with a stratified-bootstrap 95% CI on the slope beta. */
export interface SlopeFit {
  /** Power of ln d removed before fitting (0: plain power law). */
  readonly kappa: number;
  /** Fitted exponent beta (OLS on the identified medians); null when fewer than two are identified. */
  readonly slope: number | null;
  /** Fitted a. */
  readonly intercept: number | null;
  /** Stratified-bootstrap 95% CI of beta; an end is null when too many resamples lack a slope (censoring). */
  readonly ci95: [number | null, number | null];
  /** Bootstrap standard deviation of the slope (over resamples with a slope). */
  readonly se: number | null;
  /** d values used (those with an identified median >= 1). */
  readonly dims: number[];
  /** Resamples (of `replicates`) without a slope because some median was not identified. */
  readonly undefinedResamples: number;
  /** Bootstrap replicates drawn. */
  readonly replicates: number;
}

function response(median: number, d: number, kappa: number): number {
  return Math.log(median) - kappa * Math.log(Math.log(d));
}

/** OLS slope of ln T - kappa ln ln d on ln d for given (noise-free) medians T at dimensions d: a law's own slope. */
export function lawSlope(dims: readonly number[], medians: readonly number[], kappa: number): number {
  return ols(dims.map(Math.log), medians.map((m, i) => response(m, dims[i]!, kappa))).slope;
}

/**
 * Fit ln T - kappa ln ln d = a + beta ln d over the groups. Groups whose median is not identified (or is 0: escaped
 * at initialisation) are left out of the point estimate and make every resample slope undefined.
 */
export function fitSlope(groups: readonly DimensionGroup[], kappa: number, label: string, replicates = 1000): SlopeFit {
  const meds = groups.map((gr) => kaplanMeierMedian(gr.obs));
  const ok = groups.map((_, i) => meds[i] !== null && meds[i]! >= 1);
  const dims = groups.filter((_, i) => ok[i]).map((gr) => gr.d);
  const empty: SlopeFit = { kappa, slope: null, intercept: null, ci95: [null, null], se: null, dims, undefinedResamples: replicates, replicates };
  if (dims.length < 2) return empty;
  const x = groups.filter((_, i) => ok[i]).map((gr) => Math.log(gr.d));
  const y = groups.map((gr, i) => (ok[i] ? response(meds[i]!, gr.d, kappa) : NaN)).filter((v) => !Number.isNaN(v));
  const point = ols(x, y);
  const g = bootstrapStream(`${label}:kappa=${kappa}`);
  const slopes: number[] = [];
  let undef = 0;
  const allOk = ok.every(Boolean);
  const xs = groups.map((gr) => Math.log(gr.d));
  for (let b = 0; b < replicates; b++) {
    const yb: number[] = [];
    let defined = allOk;
    for (const gr of groups) {
      const m = kaplanMeierMedian(resample(gr.obs, g));
      if (m === null || m < 1) defined = false;
      else yb.push(response(m, gr.d, kappa));
    }
    if (defined) slopes.push(ols(xs, yb).slope); else undef++;
  }
  slopes.sort((a, b) => a - b);
  const open = undef > 0.025 * replicates;
  const se = slopes.length > 1 ? sampleSd(slopes) : null;
  const ci95: [number | null, number | null] = open || slopes.length === 0 ? [null, null] : [nearestRankQuantile(slopes, 0.025), nearestRankQuantile(slopes, 0.975)];
  return { kappa, slope: point.slope, intercept: point.intercept, ci95, se, dims, undefinedResamples: undef, replicates };
}

/** Local slopes between consecutive dimensions (point estimates): they drift when sub-leading terms matter. */
export function localSlopes(groups: readonly DimensionGroup[], kappa: number): { from: number; to: number; slope: number | null }[] {
  const meds = groups.map((gr) => kaplanMeierMedian(gr.obs));
  const out: { from: number; to: number; slope: number | null }[] = [];
  for (let i = 0; i + 1 < groups.length; i++) {
    const a = meds[i], b = meds[i + 1], da = groups[i]!.d, db = groups[i + 1]!.d;
    out.push({ from: da, to: db, slope: a && b && a >= 1 && b >= 1 ? (response(b, db, kappa) - response(a, da, kappa)) / Math.log(db / da) : null });
  }
  return out;
}
