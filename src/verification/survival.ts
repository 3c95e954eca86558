/**
 * Escape times with censoring (theory-notes §5): Kaplan–Meier survival, its median, and a bootstrap CI for the
 * median in which a resample whose median is not identified (more than half censored) counts as +infinity, so the
 * CI's upper end is open when that happens often enough. Means are never reported (for IE = 3 the escape time has
 * an infinite mean: T ∝ 1/|m0| with m0 ≈ N(0, 1/d), theory-notes §4.2).
 */
import { Xoshiro128 } from "../numeric/xoshiro.js";
import { nearestRankQuantile, resample } from "../numeric/statistics.js";

/** One run's observation: the escape step, or the step at which observation stopped without an escape. */
export interface Observation {
  /** Steps until the escape (event) or until observation stopped (censored). */
  readonly time: number;
  /** true: escaped at `time`; false: censored at `time` (budget reached, or diverged there). */
  readonly event: boolean;
}

/** One event time of the Kaplan–Meier curve: S(t), the number at risk, the events, and Greenwood's variance. */
export interface SurvivalStep { readonly time: number; readonly survival: number; readonly atRisk: number; readonly events: number; readonly greenwoodVariance: number }

/**
 * Kaplan–Meier estimate S(t) = prod_{t_i <= t} (1 - e_i / n_i) with Greenwood's variance
 * S(t)^2 sum e_i / (n_i (n_i - e_i)). Censored runs at a time t are at risk at t (events before censoring).
 */
export function kaplanMeier(obs: readonly Observation[]): SurvivalStep[] {
  const sorted = [...obs].sort((a, b) => a.time - b.time || Number(b.event) - Number(a.event));
  const out: SurvivalStep[] = [];
  let atRisk = sorted.length, s = 1, gw = 0;
  let i = 0;
  while (i < sorted.length) {
    const t = sorted[i]!.time;
    let events = 0, leaving = 0;
    while (i < sorted.length && sorted[i]!.time === t) { if (sorted[i]!.event) events++; leaving++; i++; }
    if (events > 0) {
      s *= 1 - events / atRisk;
      if (atRisk > events) gw += events / (atRisk * (atRisk - events));
      out.push({ time: t, survival: s, atRisk, events, greenwoodVariance: s * s * gw });
    }
    atRisk -= leaving;
  }
  return out;
}

/** Kaplan–Meier median: the first time with S(t) <= 1/2, or null when the curve never gets there. */
export function kaplanMeierMedian(obs: readonly Observation[]): number | null {
  return kaplanMeierQuantile(obs, 0.5);
}

/** First time with S(t) <= 1 - q (the q-quantile of the escape time), or null. */
export function kaplanMeierQuantile(obs: readonly Observation[], q: number): number | null {
  // Tolerance: S is a product of rationals; compare with a little slack so that exactly 1/2 counts.
  for (const st of kaplanMeier(obs)) if (st.survival <= 1 - q + 1e-12) return st.time;
  return null;
}

/** Kaplan–Meier median escape time with its bootstrap 95% CI and how many runs escaped, were censored, or diverged. */
export interface MedianSummary {
  /** KM median, or null when not identified (at least half the runs censored before escaping). */
  readonly median: number | null;
  /** Percentile bootstrap 95% CI of the KM median; an entry is null when open (infinite) or not identified. */
  readonly ci95: [number | null, number | null];
  /** Runs in all. */
  readonly n: number;
  /** Runs that escaped (events). */
  readonly escaped: number;
  /** Runs that reached the step budget without escaping. */
  readonly censored: number;
  /** Runs that diverged (censored at the step where they did, counted apart). */
  readonly diverged: number;
  /** Why the median is not given, when it is not. */
  readonly note: string;
}

/** Default number of bootstrap replicates for the median CI. */
export const BOOTSTRAP_REPLICATES = 2000;

/** Deterministic bootstrap stream, so that reports are reproducible. */
export function bootstrapStream(label: string): Xoshiro128 {
  return Xoshiro128.forKey({ masterSeed: 0x5eed, configuration: `bootstrap:${label}`, replicate: 0 });
}

/**
 * KM median with a bootstrap 95% CI over runs (resample runs with replacement; a resample without an identified
 * median contributes +infinity). Diverged runs are censored at the step where they diverged and counted apart.
 */
export function summariseEscapes(obs: readonly Observation[], diverged: number, label: string, replicates = BOOTSTRAP_REPLICATES): MedianSummary {
  const n = obs.length;
  const escaped = obs.filter((o) => o.event).length;
  const censored = n - escaped - diverged;
  if (n === 0) return { median: null, ci95: [null, null], n, escaped, censored, diverged, note: "no runs" };
  const median = kaplanMeierMedian(obs);
  const g = bootstrapStream(label);
  const meds: number[] = [];
  const sample: Observation[] = new Array(n);
  for (let b = 0; b < replicates; b++) meds.push(kaplanMeierMedian(resample(obs, g, sample)) ?? Infinity);
  meds.sort((a, b) => a - b);
  const lo = nearestRankQuantile(meds, 0.025), hi = nearestRankQuantile(meds, 0.975);
  const fin = (x: number) => (Number.isFinite(x) ? x : null);
  const note = median === null
    ? `median not identified: ${censored + diverged} of ${n} runs did not escape (${censored} censored at the step budget${diverged ? `, ${diverged} diverged` : ""}); the median exceeds the budget`
    : hi === Infinity ? `the CI's upper end is open: more than 2.5% of bootstrap resamples have over half their runs censored` : "";
  return { median, ci95: [fin(lo), fin(hi)], n, escaped, censored, diverged, note };
}
