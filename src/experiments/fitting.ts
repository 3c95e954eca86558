/**
 * Continuous piecewise-linear ("broken-stick") fits for the regime experiments, with the number of kinks chosen by
 * BIC. The estimators they share with the rest of the project (OLS with t intervals, quantiles, bootstrap) live in
 * numeric/statistics.ts. Notes §5 (honest verification): medians not means, censored runs kept as +infinity, CIs by
 * resampling seeds within each grid point.
 */
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

