/**
 * Shared statistics for the regime experiments: least squares with t-based confidence intervals, continuous
 * piecewise-linear ("broken-stick") fits with the number of kinks chosen by BIC, censored medians and bootstrap
 * percentile intervals. Notes §5 (honest verification): medians not means, censored runs kept as +infinity, CIs by
 * resampling seeds within each grid point.
 */
import { seededRng, type Rng } from "../numeric/xoshiro.js";

export interface LinearFit {
  readonly slope: number;
  readonly intercept: number;
  readonly slopeStdErr: number;
  /** 95% t-interval of the slope (infinite when n <= 2). */
  readonly slopeCI: [number, number];
  readonly residualSd: number;
  readonly n: number;
}

/** Ordinary least squares y = intercept + slope x with the classical standard error of the slope. */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = x.length;
  if (n < 2 || y.length !== n) throw new Error(`linearFit needs >= 2 paired points, got ${n}`);
  const mx = mean(x), my = mean(y);
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - intercept - slope * x[i]) ** 2;
  const df = n - 2;
  const residualSd = df > 0 ? Math.sqrt(rss / df) : Infinity;
  const se = df > 0 && sxx > 0 ? residualSd / Math.sqrt(sxx) : Infinity;
  const t = df > 0 ? studentTQuantile(0.975, df) : Infinity;
  return { slope, intercept, slopeStdErr: se, slopeCI: [slope - t * se, slope + t * se], residualSd, n };
}

export const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

/** The p-quantile (linear interpolation, type 7) of values that may contain +Infinity (censored runs). */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p, lo = Math.floor(h), hi = Math.ceil(h);
  if (hi === lo || s[hi] === Infinity) return hi === lo ? s[lo] : Infinity;
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}
export const median = (v: readonly number[]) => quantile(v, 0.5);

/** Percentile bootstrap interval of a statistic of one sample (censored entries kept as +Infinity). */
export function bootstrapCI(values: readonly number[], stat: (v: number[]) => number, reps: number, rng: Rng, level = 0.95): [number, number] {
  const out: number[] = [];
  const n = values.length;
  for (let r = 0; r < reps; r++) {
    const sample = new Array<number>(n);
    for (let i = 0; i < n; i++) sample[i] = values[Math.floor(rng.uniform() * n)];
    out.push(stat(sample));
  }
  return [quantile(out, (1 - level) / 2), quantile(out, (1 + level) / 2)];
}

/**
 * Stratified bootstrap of a slope: resample the replicate values within each x stratum, take `summary` (e.g. the
 * median of log values) per stratum, refit by OLS. Strata whose summary is not finite (mostly censored) are dropped
 * from that replicate. Returns the percentile interval of the slope.
 */
export function stratifiedBootstrapSlope(
  x: readonly number[], replicates: readonly (readonly number[])[], summary: (v: number[]) => number, reps: number, seed: number,
): { ci: [number, number]; slopes: number[] } {
  const rng = seededRng(seed);
  const slopes: number[] = [];
  for (let r = 0; r < reps; r++) {
    const xs: number[] = [], ys: number[] = [];
    for (let j = 0; j < x.length; j++) {
      const v = replicates[j];
      if (v.length === 0) continue;
      const sample = Array.from({ length: v.length }, () => v[Math.floor(rng.uniform() * v.length)]);
      const s = summary(sample);
      if (Number.isFinite(s)) { xs.push(x[j]); ys.push(s); }
    }
    if (xs.length >= 2) slopes.push(linearFit(xs, ys).slope);
  }
  return { ci: [quantile(slopes, 0.025), quantile(slopes, 0.975)], slopes };
}

// ---------------------------------------------------------------- Student t quantile (for OLS intervals)

/** Regularised incomplete beta I_x(a, b) by the Lentz continued fraction (Numerical Recipes §6.4). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbeta = lgamma(a + b) - lgamma(a) - lgamma(b);
  const front = Math.exp(Math.log(x) * a + Math.log(1 - x) * b + lbeta);
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  let f = 1, c = 1, d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = Math.floor(i / 2);
    let num: number;
    if (i === 0) num = 1;
    else if (i % 2 === 0) num = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d; if (Math.abs(d) < 1e-300) d = 1e-300; d = 1 / d;
    c = 1 + num / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    const cd = c * d; f *= cd;
    if (Math.abs(1 - cd) < 1e-14) break;
  }
  return (front * (f - 1)) / a;
}

/** log Gamma by the Lanczos approximation (g = 7, 9 terms). */
export function lgamma(z: number): number {
  const g = 7, c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgamma(1 - z);
  z -= 1;
  let x = c[0];
  for (let i = 1; i < g + 2; i++) x += c[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}

/** Student t CDF with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * incompleteBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Student t quantile by bisection on the CDF (monotone). */
export function studentTQuantile(p: number, df: number): number {
  let lo = -1e3, hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < p) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

// ---------------------------------------------------------------- continuous piecewise-linear fits

export interface PiecewiseLinearFit {
  /** Kink locations (x values), increasing. */
  readonly kinks: number[];
  /** Slope of each of the kinks.length + 1 segments. */
  readonly slopes: number[];
  readonly intercept: number;
  readonly rss: number;
  /**
   * BIC = n ln(RSS/n) + p ln n with p = 2 + 3·kinks: intercept, first slope, and per kink a slope change plus a
   * location counted twice, because a fitted change point is a non-regular parameter whose likelihood-ratio gain under
   * "no kink" exceeds χ²_1 (with p = 2 + 2·kinks, straight noisy lines got spurious kinks in tests).
   */
  readonly bic: number;
  readonly n: number;
}

/** Least squares of y on the hinge basis [1, x, (x - k_1)_+, ...] for fixed kinks. */
function hingeLeastSquares(x: readonly number[], y: readonly number[], kinks: readonly number[]): { coef: number[]; rss: number } {
  const p = 2 + kinks.length, n = x.length;
  const row = (xi: number) => [1, xi, ...kinks.map((k) => Math.max(0, xi - k))];
  const A = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) {
    const r = row(x[i]);
    for (let a = 0; a < p; a++) { b[a] += r[a] * y[i]; for (let c = 0; c < p; c++) A[a][c] += r[a] * r[c]; }
  }
  const coef = solveSymmetric(A, b);
  let rss = 0;
  for (let i = 0; i < n; i++) { const r = row(x[i]); rss += (y[i] - r.reduce((s, v, j) => s + v * coef[j], 0)) ** 2; }
  return { coef, rss };
}

/** Gaussian elimination with partial pivoting and a tiny ridge for rank-deficient designs. */
function solveSymmetric(A: number[][], b: number[]): number[] {
  const n = b.length, M = A.map((r, i) => [...r, b[i]]);
  const scale = Math.max(1e-300, ...A.map((r, i) => Math.abs(r[i])));
  for (let i = 0; i < n; i++) M[i][i] += 1e-12 * scale;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    for (let r = c + 1; r < n; r++) { const f = M[r][c] / M[c][c]; for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k]; }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) { let s = M[r][n]; for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k]; x[r] = s / M[r][r]; }
  return x;
}

function toFit(x: readonly number[], kinks: number[], coef: number[], rss: number): PiecewiseLinearFit {
  const n = x.length, p = 2 + 3 * kinks.length;
  const slopes = [coef[1]];
  for (let j = 0; j < kinks.length; j++) slopes.push(slopes[j] + coef[2 + j]);
  return { kinks, slopes, intercept: coef[0], rss, bic: n * Math.log(Math.max(rss, 1e-300) / n) + p * Math.log(n), n };
}

/**
 * Best continuous piecewise-linear fit with exactly `k` kinks: exhaustive search over kink positions on a fine grid
 * inside the data range (each segment must contain at least `minPerSegment` points), then coordinate refinement.
 */
export function fitKinks(x: readonly number[], y: readonly number[], k: number, minPerSegment = 3): PiecewiseLinearFit | null {
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const xs = order.map((i) => x[i]), ys = order.map((i) => y[i]);
  const n = xs.length;
  if (k === 0) { const { coef, rss } = hingeLeastSquares(xs, ys, []); return toFit(xs, [], coef, rss); }
  if (n < (k + 1) * minPerSegment) return null;
  const lo = xs[minPerSegment - 1], hi = xs[n - minPerSegment];
  if (!(hi > lo)) return null;
  const steps = k === 1 ? 200 : k === 2 ? 60 : 20;
  const grid = Array.from({ length: steps + 1 }, (_, i) => lo + ((hi - lo) * i) / steps);
  const countBetween = (a: number, b: number) => xs.filter((v) => v > a && v <= b).length;
  const feasible = (ks: number[]) => {
    const edges = [-Infinity, ...ks, Infinity];
    for (let j = 0; j + 1 < edges.length; j++) {
      const c = j === 0 ? xs.filter((v) => v <= edges[1]).length : countBetween(edges[j], edges[j + 1]);
      if (c < minPerSegment) return false;
    }
    return true;
  };
  let best: { ks: number[]; rss: number; coef: number[] } | null = null;
  const visit = (ks: number[]) => {
    if (!feasible(ks)) return;
    const { coef, rss } = hingeLeastSquares(xs, ys, ks);
    if (!best || rss < best.rss) best = { ks: [...ks], rss, coef };
  };
  const recurse = (start: number, acc: number[]) => {
    if (acc.length === k) { visit(acc); return; }
    for (let i = start; i < grid.length; i++) recurse(i + 1, [...acc, grid[i]]);
  };
  recurse(0, []);
  if (!best) return null;
  // coordinate refinement by golden-section search on each kink within its neighbours
  let cur: { ks: number[]; rss: number; coef: number[] } = best;
  const h = (hi - lo) / steps;
  for (let sweep = 0; sweep < 3; sweep++) {
    for (let j = 0; j < k; j++) {
      let a = Math.max(lo, cur.ks[j] - h), b = Math.min(hi, cur.ks[j] + h);
      const rssAt = (v: number) => { const ks = [...cur.ks]; ks[j] = v; ks.sort((p, q) => p - q); return feasible(ks) ? hingeLeastSquares(xs, ys, ks).rss : Infinity; };
      const g = (Math.sqrt(5) - 1) / 2;
      let c = b - g * (b - a), d = a + g * (b - a), fc = rssAt(c), fd = rssAt(d);
      for (let it = 0; it < 40; it++) {
        if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = rssAt(c); }
        else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = rssAt(d); }
      }
      const v = 0.5 * (a + b), ks = [...cur.ks]; ks[j] = v; ks.sort((p, q) => p - q);
      if (feasible(ks)) { const r = hingeLeastSquares(xs, ys, ks); if (r.rss < cur.rss) cur = { ks, rss: r.rss, coef: r.coef }; }
    }
  }
  return toFit(xs, cur.ks, cur.coef, cur.rss);
}

/** Fits with 0..maxKinks kinks; the chosen one minimises BIC (stated criterion, ties go to fewer kinks). */
export function fitPiecewiseLinearBIC(x: readonly number[], y: readonly number[], maxKinks: number, minPerSegment = 3): { chosen: PiecewiseLinearFit; candidates: PiecewiseLinearFit[] } {
  const candidates: PiecewiseLinearFit[] = [];
  for (let k = 0; k <= maxKinks; k++) { const f = fitKinks(x, y, k, minPerSegment); if (f) candidates.push(f); }
  let chosen = candidates[0];
  for (const c of candidates) if (c.bic < chosen.bic - 1e-9) chosen = c;
  return { chosen, candidates };
}

export { seededRng };
