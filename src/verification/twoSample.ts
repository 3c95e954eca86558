/**
 * Two-sample Kolmogorov–Smirnov test: D = sup |F_1 - F_2| and its asymptotic p-value
 * Q_KS(lambda) = 2 sum_{j>=1} (-1)^{j-1} exp(-2 j^2 lambda^2), lambda = (sqrt(n_e) + 0.12 + 0.11/sqrt(n_e)) D,
 * n_e = n1 n2 / (n1 + n2) (Stephens 1970; Numerical Recipes §14.3).
 */

/** The KS statistic D, its asymptotic p-value and the sample sizes. */
export interface TwoSampleTest { readonly statistic: number; readonly pValue: number; readonly n1: number; readonly n2: number }

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
