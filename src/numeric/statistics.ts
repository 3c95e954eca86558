/**
 * The statistics of index-lab, one implementation of each estimator (issue #17): means and standard errors,
 * ordinary least squares with its Student-t interval, quantiles (two rules, named), bootstrap resampling, the
 * Student t distribution, the two-sample Kolmogorov–Smirnov test and the Mann–Whitney U test. Every function is
 * checked against scipy reference values stored in test/numeric/statistics.test.ts.
 *
 * Censored observations are +Infinity where a function says so (escape times of runs that never escaped).
 */
import { erfc, incompleteBeta } from "./special.js";
import { seededRng } from "./xoshiro.js";

// ---------------------------------------------------------------- moments

/** Arithmetic mean (NaN for an empty sample). */
export const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

/** Sample standard deviation with Bessel's correction, sqrt(sum (x - mean)^2 / (n - 1)); NaN when n < 2. */
export function sampleSd(v: readonly number[]): number {
  const n = v.length;
  if (n < 2) return NaN;
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
}

/** A mean with its standard error. */
export interface MeanSe { readonly mean: number; readonly se: number }

/** Mean and standard error (sample SD / sqrt(count)): 0 samples -> NaN mean, 1 sample -> NaN se. */
export function meanSe(values: readonly number[]): MeanSe {
  const n = values.length;
  const m = values.reduce((s, v) => s + v, 0) / n;
  const varc = n > 1 ? values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1) : NaN;
  return { mean: m, se: Math.sqrt(varc / n) };
}

// ---------------------------------------------------------------- least squares

/** OLS slope and intercept of y on x: slope = S_xy / S_xx, intercept = mean(y) - slope mean(x). */
export function ols(x: readonly number[], y: readonly number[]): { slope: number; intercept: number } {
  const n = x.length;
  const mx = mean(x), my = mean(y);
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i]! - mx) ** 2; sxy += (x[i]! - mx) * (y[i]! - my); }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}

/** An OLS line with the classical inference on its slope. */
export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  readonly slopeStdErr: number;
  /** 95% t-interval of the slope (infinite when n <= 2). */
  readonly slopeCI: [number, number];
  readonly residualSd: number;
  readonly n: number;
}

/**
 * Ordinary least squares y = intercept + slope x with the classical standard error of the slope,
 * se = s / sqrt(S_xx), s^2 = RSS / (n - 2), and the interval slope ± t_{0.975, n-2} se.
 */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = x.length;
  if (n < 2 || y.length !== n) throw new Error(`linearFit needs >= 2 paired points, got ${n}`);
  const { slope, intercept } = ols(x, y);
  const mx = mean(x);
  let sxx = 0, rss = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i]! - mx) ** 2; rss += (y[i]! - intercept - slope * x[i]!) ** 2; }
  const df = n - 2;
  const residualSd = df > 0 ? Math.sqrt(rss / df) : Infinity;
  const se = df > 0 && sxx > 0 ? residualSd / Math.sqrt(sxx) : Infinity;
  const t = df > 0 ? studentTQuantile(0.975, df) : Infinity;
  return { slope, intercept, slopeStdErr: se, slopeCI: [slope - t * se, slope + t * se], residualSd, n };
}

// ---------------------------------------------------------------- quantiles

/**
 * The p-quantile by linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default "linear"),
 * of values that may contain +Infinity (censored runs): an interpolation towards +Infinity is +Infinity.
 */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p, lo = Math.floor(h), hi = Math.ceil(h);
  if (hi === lo || s[hi] === Infinity) return hi === lo ? s[lo]! : Infinity;
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** The median (type-7 quantile at 1/2). */
export const median = (v: readonly number[]): number => quantile(v, 0.5);

/**
 * The order statistic of rank round(q (n - 1)) of an already sorted sample (numpy's "nearest" away from exact
 * halves, where this rounds up): the bootstrap percentile rule of the verdicts, which never interpolates, so an
 * interval end is always a resampled value (or +Infinity when censoring leaves it open).
 */
export function nearestRankQuantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[idx]!;
}

// ---------------------------------------------------------------- bootstrap

/** What the bootstrap draws from: uniforms on (0, 1) (a `Xoshiro128` or a `seededRng` stream). */
export interface UniformSource { uniform(): number }

/**
 * One bootstrap resample: out[i] = values[floor(U_i n)] for i < n, drawing n uniforms in order (every bootstrap of
 * the project resamples this way, so its streams are those of the code it replaced).
 */
export function resample<T>(values: readonly T[], rng: UniformSource, out: T[] = new Array<T>(values.length)): T[] {
  const n = values.length;
  for (let i = 0; i < n; i++) out[i] = values[Math.floor(rng.uniform() * n)]!;
  return out;
}

/** Percentile bootstrap interval (type-7 quantiles) of a statistic of one sample; censored entries are +Infinity. */
export function bootstrapCI(values: readonly number[], stat: (v: number[]) => number, reps: number, rng: UniformSource, level = 0.95): [number, number] {
  const out: number[] = [];
  for (let r = 0; r < reps; r++) out.push(stat(resample(values, rng)));
  return [quantile(out, (1 - level) / 2), quantile(out, (1 + level) / 2)];
}

/**
 * Stratified bootstrap of a slope: resample the replicate values within each x stratum, take `summary` (e.g. the
 * median of log values) per stratum, refit by OLS. Strata whose summary is not finite (mostly censored) are dropped
 * from that replicate. Returns the type-7 percentile interval of the slope and the slopes; the resamples come from
 * `seededRng(seed)`.
 */
export function stratifiedBootstrapSlope(
  x: readonly number[], replicates: readonly (readonly number[])[], summary: (v: number[]) => number, reps: number, seed: number,
): { ci: [number, number]; slopes: number[] } {
  const rng = seededRng(seed);
  const slopes: number[] = [];
  for (let r = 0; r < reps; r++) {
    const xs: number[] = [], ys: number[] = [];
    for (let j = 0; j < x.length; j++) {
      const v = replicates[j]!;
      if (v.length === 0) continue;
      const s = summary(resample(v, rng));
      if (Number.isFinite(s)) { xs.push(x[j]!); ys.push(s); }
    }
    if (xs.length >= 2) slopes.push(ols(xs, ys).slope);
  }
  return { ci: [quantile(slopes, 0.025), quantile(slopes, 0.975)], slopes };
}

// ---------------------------------------------------------------- distributions

/** Standard normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2 (accurate in both tails). */
export const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/** Student t CDF with df degrees of freedom: 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 for t >= 0, by symmetry below. */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Student t quantile by bisection on the CDF (monotone) over [-1000, 1000]. */
export function studentTQuantile(p: number, df: number): number {
  let lo = -1e3, hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < p) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Two-sided critical value of Student's t at the level of a normal `sigmas`-sigma test: the t quantile at
 * p = Phi(sigmas) with `dof` degrees of freedom (Infinity below 1). Fractional dof <= 10 (Welch) are rounded down,
 * which is conservative where the t quantile still moves fast.
 */
export function studentTCritical(sigmas: number, dof: number): number {
  if (!(dof >= 1)) return Infinity;
  return studentTQuantile(normalCdf(sigmas), dof <= 10 ? Math.floor(dof) : dof);
}

/** Kolmogorov's survival function Q_KS(lambda) = 2 sum_{j>=1} (-1)^{j-1} exp(-2 j^2 lambda^2) (1 for lambda < 1e-3). */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0, sign = 1;
  for (let j = 1; j <= 200; j++) {
    const term = sign * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-16 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

// ---------------------------------------------------------------- two-sample tests

/** The KS statistic D, its asymptotic p-value and the sample sizes. */
export interface TwoSampleTest { readonly statistic: number; readonly pValue: number; readonly n1: number; readonly n2: number }

/**
 * Two-sample Kolmogorov–Smirnov test of equal distributions: D = sup_x |F_1(x) - F_2(x)| and its asymptotic p-value
 * Q_KS((sqrt(n_e) + 0.12 + 0.11/sqrt(n_e)) D), n_e = n1 n2/(n1 + n2) (Stephens 1970; Numerical Recipes §14.3).
 */
export function ksTwoSample(a: readonly number[], b: readonly number[]): TwoSampleTest {
  const x = [...a].sort((p, q) => p - q), y = [...b].sort((p, q) => p - q);
  const n1 = x.length, n2 = y.length;
  let i = 0, j = 0, D = 0;
  while (i < n1 && j < n2) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < n1 && x[i]! <= v) i++;
    while (j < n2 && y[j]! <= v) j++;
    D = Math.max(D, Math.abs(i / n1 - j / n2));
  }
  const ne = (n1 * n2) / (n1 + n2);
  const sq = Math.sqrt(ne);
  return { statistic: D, pValue: kolmogorovQ((sq + 0.12 + 0.11 / sq) * D), n1, n2 };
}

/**
 * Mann–Whitney U of "a smaller than b" with mid-ranks for ties, U = R_a - n1 (n1 + 1)/2 (pairs with a_i > b_j, ties
 * 1/2), and its one-sided normal p-value Phi((U - n1 n2/2 + 1/2)/sigma) with the tie-corrected variance
 * sigma^2 = n1 n2/12 (n + 1 - sum(t^3 - t)/(n (n - 1))) and the continuity correction (scipy's mannwhitneyu,
 * alternative "less", method "asymptotic").
 */
export function mannWhitneyLess(a: readonly number[], b: readonly number[]): { u: number; z: number; pValue: number } {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((p, q) => p.v - q.v);
  const n1 = a.length, n2 = b.length, n = n1 + n2;
  let rankA = 0, tieTerm = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j < n && all[j]!.v === all[i]!.v) j++;
    const mid = (i + 1 + j) / 2, t = j - i;
    tieTerm += t * t * t - t;
    for (let k = i; k < j; k++) if (all[k]!.g === 0) rankA += mid;
    i = j;
  }
  const u = rankA - (n1 * (n1 + 1)) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const z = (u - (n1 * n2) / 2 + 0.5) / Math.sqrt(variance);
  return { u, z, pValue: normalCdf(z) };
}
