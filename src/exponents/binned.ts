/**
 * The binned Monte-Carlo estimator of the generative spectrum, used as a cross-check, as the benchmark baseline
 * and as the fallback when the branch analysis is refused. Draw (Z_i, Y_i), sort by Y, cut into B bins (default N/100) of equal
 * count (never splitting tied labels, so atoms stay whole), and estimate
 *   lambda_k^2  >=  sum_b P(bin b) E[h_k(Z) | bin b]^2
 * (coarse-graining Y can only lower E[zeta_k^2]: Jensen). Each bin's squared mean is de-biased by s_b^2/n_b, so the
 * estimate is unbiased for the binned quantity, hence a lower bound of lambda_k^2 up to sampling noise; the
 * standard error is the delta-method one (influence function 2 m_b h_k - m_b^2):
 *   Var ~ sum_b p_b^2 (4 m_b^2 s_b^2/n_b + 2 s_b^4/(n_b(n_b-1)))  +  (sum_b p_b m_b^4 - (sum_b p_b m_b^2)^2)/N,
 * the last term being the sampling of Y itself.
 */
import { normalizedHermiteValues } from "../hermite/basis.js";
import { seededRng } from "../numeric/xoshiro.js";
import { applyNoise, type NoiseModel, NO_NOISE } from "./noise.js";

/** Monte Carlo estimates of lambda_k^2 (k = 0..K) with standard errors and the seeded design that produced them. */
export interface BinnedSpectrum {
  /** lambda_k^2 estimates for k = 0..K (index 0 is 1 by definition). */
  readonly lambdaSquared: number[];
  /** Delta-method standard error of each estimate (including the sampling of Y). */
  readonly standardErrors: number[];
  /** N, the number of (Z, Y) draws. */
  readonly samples: number;
  /** Number of equal-count label bins actually used (ties are never split). */
  readonly bins: number;
  /** Seed of the draws (same seed, same estimate). */
  readonly seed: number;
}

/**
 * Binned Monte Carlo estimate of the generative spectrum lambda_k^2 = E[E[h_k(Z) | Y]^2] of y = f(z) (+ noise):
 * sum_b P(bin b) E[h_k(Z) | bin b]^2 over equal-count bins of sorted labels, de-biased per bin, which is a lower bound
 * of lambda_k^2 up to sampling noise (Jensen). Seeded and reproducible.
 * @param options.samples N (default 1e6); options.bins (default N/100); options.seed (default 20240308); options.noise label noise.
 */
export function binnedGenerativeSpectrum(
  f: (z: number) => number, K: number,
  options: { samples?: number; bins?: number; seed?: number; noise?: NoiseModel } = {},
): BinnedSpectrum {
  const N = options.samples ?? 1_000_000;
  const B = Math.max(2, options.bins ?? Math.round(N / 100)); // ~100 per bin: little binning bias, de-biased noise
  const seed = options.seed ?? 20240308;
  const noise = options.noise ?? NO_NOISE;
  const rng = seededRng(seed);
  const z = new Float64Array(N), y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    z[i] = rng.normal();
    y[i] = applyNoise(noise, f(z[i]!), () => rng.uniform(), () => rng.normal());
  }
  const order = new Uint32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  order.sort((i, j) => y[i]! - y[j]!);
  const lambda = new Array<number>(K + 1).fill(0), variance = new Array<number>(K + 1).fill(0);
  const m2 = new Array<number>(K + 1).fill(0), m4 = new Array<number>(K + 1).fill(0);
  const h = new Float64Array(K + 1), sum = new Float64Array(K + 1), sumSq = new Float64Array(K + 1);
  let start = 0, bins = 0;
  const target = N / B;
  while (start < N) {
    let end = Math.min(N, Math.max(start + 2, Math.round((bins + 1) * target)));
    while (end < N && y[order[end]!] === y[order[end - 1]!]) end++; // keep ties (atoms) in one bin
    if (N - end < 2) end = N;
    sum.fill(0); sumSq.fill(0);
    for (let t = start; t < end; t++) {
      normalizedHermiteValues(z[order[t]!]!, K, h);
      for (let k = 0; k <= K; k++) { sum[k]! += h[k]!; sumSq[k]! += h[k]! * h[k]!; }
    }
    const n = end - start, p = n / N;
    for (let k = 0; k <= K; k++) {
      const m = sum[k]! / n, s2 = Math.max(0, (sumSq[k]! - n * m * m) / (n - 1));
      lambda[k]! += p * (m * m - s2 / n);
      m2[k]! += p * m * m; m4[k]! += p * m * m * m * m;
      variance[k]! += p * p * ((4 * m * m * s2) / n + (2 * s2 * s2) / (n * (n - 1)));
    }
    start = end; bins++;
  }
  const se = variance.map((v, k) => Math.sqrt(v + Math.max(0, m4[k]! - m2[k]! * m2[k]!) / N));
  return { lambdaSquared: lambda, standardErrors: se, samples: N, bins, seed };
}
