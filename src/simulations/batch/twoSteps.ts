/**
 * d = infinity prediction of the first TWO steps of seed 002 (Dandi, Troiani, Arnaboldi, Pesce, Zdeborová,
 * Krzakala, arXiv 2402.03220; notes §3.3 "hidden progress" and the DMFT single-process form) by Monte Carlo over
 * the effective process. Scaling of batchReuse.ts: h = W z / sqrt(d), M = W W*^T / d, n = alpha d, loss summed,
 * zero initial overlap (M^0 = 0), Q^0 = I, |z|^2/d = 1.
 *
 * Write g_j = sum_mu r0_mu sigma'(h0_{j mu}) z_mu / sqrt(d) (the step-1 gradient of neuron j without eta a_j). Its
 * projections on the rows of W0 and W* are population averages, and its part orthogonal to them is a Gaussian
 * field independent of any one sample's (h0, h*) (leave-one-out). Hence, for a sample seen at step 2,
 *
 *   h1_j = (1 - eta lambda) h0_j + eta a_j [ D r0 sigma'(h0_j) + alpha sum_k A_jk h0_k + alpha sum_r B_jr h*_r + xi_j ]
 *   A_jk = E[r0 sigma'(h0_j) h0_k],  B_jr = E[r0 sigma'(h0_j) h*_r],  xi ~ N(0, alpha C),  C_jk = E[r0^2 sigma'(h0_j) sigma'(h0_k)]
 *
 * with r0 = g*(h*) - sum_k a_k sigma(h0_k). D = 1 for multi-pass (the sample's own term of the gradient, the
 * "hidden progress" h1 = h0 + eta a (y - f) sigma'(h0) |z|^2/d of notes §3.3) and D = 0 for one-pass (a fresh
 * sample). Then
 *
 *   M1_j = eta alpha a_j B_j = eta alpha a_j E[sigma'(Z)] C1    (the first-step closed form, firstStep.ts)
 *   M2_j = (1 - eta lambda) M1_j + eta alpha a_j E[r1 sigma'(h1_j) h*],   r1 = g*(h*) - sum_k a_k sigma(h1_k)
 *
 * This is the DMFT of the paper evaluated at t <= 2, before its memory (response) terms act on M. It is our
 * derivation [derived here], checked against direct simulation in test/batch/presets.test.ts.
 */
import { InputError } from "../../link/errors.js";
import { stream, studentActivation, target, type LimitSetting, type MeanSe } from "./common.js";
import { meanDerivative } from "./firstStep.js";

/** Setting of the two-step d = infinity prediction: the shared limit setting and the algorithm (multi-pass or one-pass). */
export interface TwoStepInput extends LimitSetting {
  readonly algorithm: "multi-pass" | "one-pass";
  /** Monte Carlo samples per stage (default 2^20). */
  readonly samples?: number;
  readonly seed?: number;
}

/**
 * M^1 and M^2 at d = infinity after the first two steps, the Monte Carlo error of M^2, and the sign-coherent overlaps
 * mean_j sign(a_j) M^t_j that the seed-002 presets compare with simulation.
 */
export interface TwoStepPrediction {
  /** M^1, M^2 (p x k) at d = infinity. */
  readonly m1: number[][];
  readonly m2: number[][];
  /** Monte Carlo standard error of each entry of M^2. */
  readonly m2Se: number[][];
  /** mean_j sign(a_j) M^t_j per target direction, t = 1, 2 (the sign-coherent overlap the presets test). */
  readonly signed: { t1: MeanSe[]; t2: MeanSe[] };
  readonly method: string;
}

/** Cholesky factor L (lower, row-major) of a symmetric positive semi-definite m x m matrix (zero pivots allowed). */
function cholesky(S: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * m + j]!;
      for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
      if (i === j) L[i * m + i] = Math.sqrt(Math.max(0, s));
      else L[i * m + j] = L[j * m + j]! > 1e-14 ? s / L[j * m + j]! : 0;
    }
  }
  return L;
}

/**
 * d = infinity prediction of the first two steps of multi-pass or one-pass GD (Dandi et al. 2024, arXiv 2402.03220;
 * notes §3.3): M^1 in closed form and M^2 by Monte Carlo over the effective process of this file's header, in which
 * only multi-pass keeps the sample's own gradient term ("hidden progress").
 * @throws InputError for p outside [1, 64], alpha <= 0, eta <= 0 or lambda < 0, or a target or activation that does
 *   not parse or cannot be used (too many directions, no finite second moment, no usable derivative).
 */
export function twoStepPrediction(o: TwoStepInput): TwoStepPrediction {
  const tgt = target(o.target), act = studentActivation(o.activation);
  const p = o.a.length, k = tgt.k, N = o.samples ?? 2 ** 20;
  if (p < 1 || p > 64) throw new InputError(`the two-step prediction needs 1 <= p <= 64, got ${p}`);
  if (!(o.alpha > 0) || !(o.eta > 0) || !(o.weightDecay >= 0)) throw new InputError("the two-step prediction needs alpha > 0, eta > 0 and lambda >= 0");
  const rng = stream(o.seed ?? 7, `two-steps/${tgt.link.text}/${o.activation}`, 0);
  const hs = new Float64Array(k), h0 = new Float64Array(p), h1 = new Float64Array(p), xi = new Float64Array(p), e = new Float64Array(p);
  const y0 = (): { y: number; r0: number } => {
    for (let r = 0; r < k; r++) hs[r] = rng.normal();
    for (let j = 0; j < p; j++) h0[j] = rng.normal();
    const y = tgt.link.g(hs);
    let f = 0;
    for (let j = 0; j < p; j++) f += o.a[j]! * act.sigma(h0[j]!);
    return { y, r0: y - f };
  };
  // stage 1: the population constants A, C of the step-1 gradient by Monte Carlo. B is exact: h0 and f0 are
  // independent of h* (zero initial overlap), so B_jr = E[sigma'(h0_j)] E[g*(h*) h*_r] = E[sigma'(Z)] C1_r
  const A = new Float64Array(p * p), B = new Float64Array(p * k), C = new Float64Array(p * p);
  const es = meanDerivative(act);
  for (let j = 0; j < p; j++) for (let r = 0; r < k; r++) B[j * k + r] = es * tgt.moments.c1[r]!;
  for (let s = 0; s < N; s++) {
    const { r0 } = y0();
    for (let j = 0; j < p; j++) {
      const g = r0 * act.sigmaPrime(h0[j]!);
      for (let l = 0; l < p; l++) A[j * p + l] += (g * h0[l]!) / N;
      for (let l = 0; l <= j; l++) C[j * p + l] += (g * r0 * act.sigmaPrime(h0[l]!)) / N;
    }
  }
  for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) C[l * p + j] = C[j * p + l]!;
  const L = cholesky(Float64Array.from(C, (c) => o.alpha * c), p);
  const decay = 1 - o.eta * o.weightDecay, D = o.algorithm === "multi-pass" ? 1 : 0;
  // stage 2: E[r1 sigma'(h1_j) h*_r] over fresh draws of the effective process
  const sum = new Float64Array(p * k), sumSq = new Float64Array(p * k);
  // per-sample sign-coherent combination (1/p) sum_j sign(a_j) eta alpha a_j r1 sigma'(h1_j) h*_r, for its own standard error
  const sgnSum = new Float64Array(k), sgnSq = new Float64Array(k), sgnRow = new Float64Array(k);
  const coef = o.a.map((aj) => ((Math.sign(aj) || 1) * o.eta * o.alpha * aj) / p);
  for (let s = 0; s < N; s++) {
    const { y, r0 } = y0();
    for (let j = 0; j < p; j++) e[j] = rng.normal();
    for (let j = 0; j < p; j++) { let v = 0; for (let l = 0; l <= j; l++) v += L[j * p + l]! * e[l]!; xi[j] = v; }
    for (let j = 0; j < p; j++) {
      let proj = 0;
      for (let l = 0; l < p; l++) proj += A[j * p + l]! * h0[l]!;
      for (let r = 0; r < k; r++) proj += B[j * k + r]! * hs[r]!;
      h1[j] = decay * h0[j]! + o.eta * o.a[j]! * (D * r0 * act.sigmaPrime(h0[j]!) + o.alpha * proj + xi[j]!);
    }
    let f1 = 0;
    for (let j = 0; j < p; j++) f1 += o.a[j]! * act.sigma(h1[j]!);
    const r1 = y - f1;
    sgnRow.fill(0);
    for (let j = 0; j < p; j++) {
      const g = r1 * act.sigmaPrime(h1[j]!);
      for (let r = 0; r < k; r++) { const v = g * hs[r]!; sum[j * k + r] += v; sumSq[j * k + r] += v * v; sgnRow[r] += coef[j]! * v; }
    }
    for (let r = 0; r < k; r++) { sgnSum[r] += sgnRow[r]!; sgnSq[r] += sgnRow[r]! ** 2; }
  }
  const m1: number[][] = [], m2: number[][] = [], m2Se: number[][] = [];
  for (let j = 0; j < p; j++) {
    const c = o.eta * o.alpha * o.a[j]!;
    const r1: number[] = [], r2: number[] = [], rs: number[] = [];
    for (let r = 0; r < k; r++) {
      const mean = sum[j * k + r]! / N, sd = Math.sqrt(Math.max(0, sumSq[j * k + r]! / N - mean * mean));
      const first = c * B[j * k + r]!;
      r1.push(first); r2.push(decay * first + c * mean); rs.push(Math.abs(c) * sd / Math.sqrt(N));
    }
    m1.push(r1); m2.push(r2); m2Se.push(rs);
  }
  const signedOf = (m: number[][]): number[] => Array.from({ length: k }, (_, r) => m.reduce((s, row, j) => s + (Math.sign(o.a[j]!) || 1) * row[r]!, 0) / p);
  const t1 = signedOf(m1), t2 = signedOf(m2);
  return {
    m1, m2, m2Se,
    signed: {
      t1: t1.map((mean) => ({ mean, se: 0 })),
      // Monte Carlo se of stage 2 only (stage 1 constants are treated as exact; their error is of the same order)
      t2: t2.map((mean, r) => ({ mean, se: Math.sqrt(Math.max(0, sgnSq[r]! / N - (sgnSum[r]! / N) ** 2) / N) })),
    },
    method: `effective-process Monte Carlo at d = infinity, 2 x ${N} samples (seeded); ${o.algorithm}; the first two steps of the DMFT of arXiv 2402.03220`,
  };
}
