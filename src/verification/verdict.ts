/**
 * Verdict on a scaling claim from escape-time fits (theory-notes §5): `consistent` when the predicted exponent lies
 * in the bootstrap 95% CI of the fitted slope (of the fit in the form the theory states, with its log factor),
 * `inconsistent` when it lies outside, `inconclusive` with the reason when the data cannot decide: too few seeds,
 * too narrow a range of d, censoring, a CI too wide to discriminate, or constants dominating (the local slope moves
 * towards the prediction as d grows, so the range is pre-asymptotic). A fit is never rounded towards the prediction.
 */
import { fitSlope, lawSlope, localSlopes, type DimensionGroup, type SlopeFit } from "./fit.js";
import type { ScalingPrediction } from "./prediction.js";

/** Outcome of confronting a scaling fit with a prediction. */
export type Verdict = "consistent" | "inconsistent" | "inconclusive";

/**
 * The verdict with its reason, the prediction, and every fit it was based on (plain, theory form, lower and upper
 * halves of the d grid, local slopes), so a reader can check it.
 */
export interface VerdictReport {
  /** consistent, inconsistent, or inconclusive. */
  readonly verdict: Verdict;
  /** Why, with the fitted slope and its CI (or what the data lack). */
  readonly reason: string;
  /** The prediction judged. */
  readonly predicted: { readonly claimId: string; readonly exponent: number; readonly logPower: number; readonly formula: string; readonly source: string };
  /** Plain power-law fit ln T = a + beta ln d. */
  readonly plainFit: SlopeFit;
  /** Fit in the theory's form (log factor removed); the same as plainFit when the theory has no log factor. */
  readonly theoryFormFit: SlopeFit;
  /** Fits over the lower and upper halves of the d grid (theory form), to expose drifting local slopes. */
  readonly lowerHalfFit: SlopeFit | null;
  /** Fit over the upper half of the d grid (null with fewer than 4 dimensions). */
  readonly upperHalfFit: SlopeFit | null;
  /** Slopes between consecutive dimensions (point estimates). */
  readonly localSlopes: { from: number; to: number; slope: number | null }[];
  /**
   * Slope of the finite-d law's predicted median over the fitted dimensions (same form, same OLS as the fit), the
   * exponent a correct simulation shows at these d; null when no finite-d law is available for the run.
   */
  readonly finiteDSlope: { readonly slope: number; readonly dims: number[]; readonly source: string } | null;
}

/** Predicted median escape step per d of a finite-d law (e.g. theory/escape-time-law.yaml), with its provenance. */
export interface FiniteDLaw {
  readonly predictedMedian: ReadonlyMap<number, number>;
  readonly source: string;
}

/** Fewest runs per dimension for a verdict other than inconclusive. */
export const MIN_SEEDS = 8;
/** Fewest doublings of d (log2(d_max/d_min)) for a verdict other than inconclusive. */
export const MIN_DOUBLINGS = 2;
/** Widest 95% CI half-width of the fitted slope that can still discriminate. */
export const MAX_CI_HALF_WIDTH = 0.5;

const contains = (ci: [number | null, number | null], x: number) => ci[0] !== null && ci[1] !== null && ci[0] <= x && x <= ci[1];

/**
 * Verdict on a predicted scaling exponent from escape times at several d (theory notes §5): "consistent" when the
 * predicted exponent lies in the bootstrap 95% CI of the slope fitted in the theory's form (log factor removed),
 * "inconsistent" when outside, "inconclusive" with the reason when the data cannot decide (fewer than 3 dimensions or
 * {@link MIN_DOUBLINGS} doublings, fewer than {@link MIN_SEEDS} seeds, censored medians, a CI wider than
 * 2 x {@link MAX_CI_HALF_WIDTH}, or local slopes drifting towards the prediction).
 * With a finite-d law, a CI that excludes the asymptotic exponent but contains the law's own slope over the fitted d
 * is consistent (a correct simulation at small d shows the pre-asymptotic slope, not the limit).
 * @param label names the bootstrap stream (reproducible); replicates bootstrap replicates (default 1000).
 */
export function judgeScaling(groups: readonly DimensionGroup[], prediction: ScalingPrediction, label: string, replicates = 1000, law: FiniteDLaw | null = null): VerdictReport {
  const sorted = [...groups].sort((a, b) => a.d - b.d);
  const plainFit = fitSlope(sorted, 0, label, replicates);
  const theoryFormFit = prediction.logPower === 0 ? plainFit : fitSlope(sorted, prediction.logPower, label, replicates);
  const half = Math.ceil(sorted.length / 2);
  const lower = sorted.length >= 4 ? sorted.slice(0, half) : null;
  const upper = sorted.length >= 4 ? sorted.slice(sorted.length - half) : null;
  const lowerHalfFit = lower ? fitSlope(lower, prediction.logPower, `${label}:lower`, replicates) : null;
  const upperHalfFit = upper ? fitSlope(upper, prediction.logPower, `${label}:upper`, replicates) : null;
  const base = {
    predicted: { claimId: prediction.claimId, exponent: prediction.exponent, logPower: prediction.logPower, formula: prediction.formula, source: prediction.source },
    plainFit, theoryFormFit, lowerHalfFit, upperHalfFit, localSlopes: localSlopes(sorted, prediction.logPower),
    finiteDSlope: finiteDSlope(law, theoryFormFit.dims, prediction.logPower),
  };
  const inconclusive = (reason: string): VerdictReport => ({ verdict: "inconclusive", reason, ...base });
  const fewest = Math.min(...sorted.map((g) => g.obs.length));
  if (sorted.length < 3) return inconclusive(`too narrow a range: ${sorted.length} dimension(s); at least 3 are needed`);
  const doublings = Math.log2(sorted[sorted.length - 1]!.d / sorted[0]!.d);
  if (doublings < MIN_DOUBLINGS) return inconclusive(`too narrow a range: d spans ${doublings.toFixed(1)} doublings; at least ${MIN_DOUBLINGS} are needed`);
  if (fewest < MIN_SEEDS) return inconclusive(`too few seeds: ${fewest} runs at some d; at least ${MIN_SEEDS} are needed`);
  const lostDims = sorted.filter((g) => !theoryFormFit.dims.includes(g.d)).map((g) => g.d);
  if (lostDims.length) return inconclusive(`censoring: the median escape time is not identified (or is 0) at d = ${lostDims.join(", ")}; raise --max-steps`);
  const ci = theoryFormFit.ci95;
  if (ci[0] === null || ci[1] === null) return inconclusive(`censoring: ${theoryFormFit.undefinedResamples} of ${theoryFormFit.replicates} bootstrap resamples have a censored median, so the slope CI is open; raise --max-steps`);
  if ((ci[1] - ci[0]) / 2 > MAX_CI_HALF_WIDTH) return inconclusive(`the 95% CI [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}] is too wide to discriminate (half-width > ${MAX_CI_HALF_WIDTH}); add seeds or widen the range of d`);
  const beta = prediction.exponent;
  const fitted = `fitted slope ${theoryFormFit.slope!.toFixed(3)} with 95% CI [${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]${prediction.logPower ? ` (after removing (ln d)^${prediction.logPower})` : ""}`;
  if (contains(ci, beta)) return { verdict: "consistent", reason: `${fitted} contains the predicted exponent ${beta}`, ...base };
  const fd = base.finiteDSlope;
  const atD = fd ? `the finite-d law's slope ${fd.slope.toFixed(3)} over d = ${fd.dims[0]}..${fd.dims[fd.dims.length - 1]} (${fd.source})` : "";
  if (fd && contains(ci, fd.slope)) {
    return { verdict: "consistent", reason: `${fitted} excludes the asymptotic exponent ${beta} but contains ${atD}: the range of d is pre-asymptotic and the simulation follows the law`, ...base };
  }
  if (lowerHalfFit?.slope != null && upperHalfFit?.slope != null) {
    const towards = Math.abs(upperHalfFit.slope - beta) < Math.abs(lowerHalfFit.slope - beta);
    const lowerMisses = !contains(lowerHalfFit.ci95, beta);
    if (towards && lowerMisses && contains(upperHalfFit.ci95, beta)) {
      return inconclusive(`constants dominating: ${fitted} excludes ${beta}, but the local slope moves from ${lowerHalfFit.slope.toFixed(3)} (small d) to ${upperHalfFit.slope.toFixed(3)} (large d), whose CI contains ${beta}; extend the range of d`);
    }
  }
  return { verdict: "inconsistent", reason: `${fitted} excludes the predicted exponent ${beta}${fd ? ` and ${atD}` : ""}`, ...base };
}

/** The law's slope over exactly the dimensions the fit used (null without a law or a prediction at one of them). */
function finiteDSlope(law: FiniteDLaw | null, dims: readonly number[], kappa: number): VerdictReport["finiteDSlope"] {
  if (!law || dims.length < 2) return null;
  const meds = dims.map((d) => law.predictedMedian.get(d));
  if (meds.some((m) => m === undefined || !(m > 0))) return null;
  return { slope: lawSlope(dims, meds as number[], kappa), dims: [...dims], source: law.source };
}
