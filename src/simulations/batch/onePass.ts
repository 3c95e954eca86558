/**
 * d = infinity trajectory of ONE-PASS gradient descent in seed 002's scaling (Dandi, Troiani, Arnaboldi, Pesce,
 * Zdeborová, Krzakala, arXiv 2402.03220: the no-reuse baseline of their figures), for every step t [derived here].
 *
 * With a fresh batch at each step, the fields of a new sample, (h, h*) = (W z, W* z)/sqrt(d), are jointly Gaussian
 * given the weights, with covariance K = [[Q, M], [M^T, I]] (Q = W W^T/d, M = W W*^T/d). The step
 * W' = c W + eta diag(a) G, c = 1 - eta lambda, G_j = sum_mu phi_j(mu) z_mu / sqrt(d), phi_j = r sigma'(h_j),
 * r = g*(h*) - sum_k a_k sigma(h_k), over n = alpha d samples, gives by the law of large numbers
 *
 *   M'_j   = c M_j + eta alpha a_j E[phi_j h*]
 *   Q'_jk  = c^2 Q_jk + c eta alpha (a_k E[phi_k h_j] + a_j E[phi_j h_k])
 *            + eta^2 a_j a_k (alpha E[phi_j phi_k] + alpha^2 v_j^T K^{-1} v_k),    v_j = E[phi_j (h, h*)]
 *
 * (the last term: |z|^2/d -> 1 on the diagonal of G G^T/d; the off-diagonal pairs add the squared population mean
 * of G, whose inner products are v^T K^{-1} v). Expectations are Monte Carlo over N(0, K) at every step, so the
 * recursion is an exact d = infinity statement up to Monte Carlo error. For multi-pass the fields of a reused
 * sample are not Gaussian given W (hidden progress): see twoSteps.ts for its first two steps.
 */
import { InputError } from "../../link/errors.js";
import { stream, studentActivation, target, type LimitSetting } from "./common.js";

/** Setting of the one-pass recursion: target, student activation, frozen a, alpha = n/d per step, eta, lambda, T. */
export interface OnePassInput extends LimitSetting {
  readonly steps: number;
  /** Initial Q (p x p, row-major; default identity) and M (p x k; default zero). */
  readonly q0?: readonly number[];
  readonly m0?: readonly number[];
  /** Monte Carlo samples per step (default 2^18). */
  readonly samples?: number;
  readonly seed?: number;
}

/** d = infinity trajectory of one-pass GD: M^t, Q^t and the test error at t = 0..T. */
export interface OnePassTrajectory {
  /** M^t (p x k, row-major) for t = 0..T. */
  readonly m: number[][];
  /** Q^t (p x p, row-major) for t = 0..T. */
  readonly q: number[][];
  /** Test error E[(y - f)^2] at t = 0..T. */
  readonly testMSE: number[];
  readonly method: string;
}

/** Cholesky factor (lower, row-major) of an m x m symmetric positive definite matrix; InputError if it is not. */
function cholesky(S: ArrayLike<number>, m: number): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * m + j]!;
      for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
      if (i === j) {
        if (!(s > 0)) throw new InputError("the one-pass prediction needs a positive definite overlap matrix [[Q, M], [M^T, I]] (duplicated or collinear neurons are not supported)");
        L[i * m + i] = Math.sqrt(s);
      } else L[i * m + j] = s / L[j * m + j]!;
    }
  }
  return L;
}

/** x = K^{-1} b from the Cholesky factor L of K. */
function cholSolve(L: Float64Array, b: Float64Array, m: number): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < m; i++) { let s = x[i]!; for (let k = 0; k < i; k++) s -= L[i * m + k]! * x[k]!; x[i] = s / L[i * m + i]!; }
  for (let i = m - 1; i >= 0; i--) { let s = x[i]!; for (let k = i + 1; k < m; k++) s -= L[k * m + i]! * x[k]!; x[i] = s / L[i * m + i]!; }
  return x;
}

/** One-pass GD at d = infinity: the (M, Q) recursion of the module comment, with Monte Carlo expectations. */
export function onePassPrediction(o: OnePassInput): OnePassTrajectory {
  const tgt = target(o.target), act = studentActivation(o.activation);
  const p = o.a.length, k = tgt.k, m = p + k, N = o.samples ?? 2 ** 18;
  if (p < 1 || p > 64) throw new InputError(`the one-pass prediction needs 1 <= p <= 64, got ${p}`);
  if (!Number.isInteger(o.steps) || o.steps < 0) throw new InputError(`steps must be an integer >= 0, got ${o.steps}`);
  let Q = Float64Array.from(o.q0 ?? Array.from({ length: p * p }, (_, i) => (i % (p + 1) === 0 ? 1 : 0)));
  let M = Float64Array.from(o.m0 ?? new Array<number>(p * k).fill(0));
  const rng = stream(o.seed ?? 11, `one-pass/${tgt.link.text}/${o.activation}`, 0);
  const c = 1 - o.eta * o.weightDecay, { alpha, eta, a } = o;
  const ms: number[][] = [Array.from(M)], qs: number[][] = [Array.from(Q)], mse: number[] = [];
  const e = new Float64Array(m), x = new Float64Array(m), phi = new Float64Array(p);
  for (let t = 0; t <= o.steps; t++) {
    // K = [[Q, M], [M^T, I]] over (h_1..h_p, h*_1..h*_k)
    const K = new Float64Array(m * m);
    for (let i = 0; i < p; i++) { for (let j = 0; j < p; j++) K[i * m + j] = Q[i * p + j]!; for (let r = 0; r < k; r++) K[i * m + p + r] = K[(p + r) * m + i] = M[i * k + r]!; }
    for (let r = 0; r < k; r++) K[(p + r) * m + p + r] = 1;
    const L = cholesky(K, m);
    const V = new Float64Array(p * m), PP = new Float64Array(p * p);
    let se = 0;
    for (let s = 0; s < N; s++) {
      for (let i = 0; i < m; i++) e[i] = rng.normal();
      for (let i = 0; i < m; i++) { let v = 0; for (let j = 0; j <= i; j++) v += L[i * m + j]! * e[j]!; x[i] = v; }
      let f = 0;
      for (let j = 0; j < p; j++) f += a[j]! * act.sigma(x[j]!);
      const r = tgt.link.g(x.subarray(p)) - f;
      se += (r * r) / N;
      for (let j = 0; j < p; j++) phi[j] = r * act.sigmaPrime(x[j]!);
      for (let j = 0; j < p; j++) {
        for (let i = 0; i < m; i++) V[j * m + i] += (phi[j]! * x[i]!) / N;
        for (let l = 0; l <= j; l++) PP[j * p + l] += (phi[j]! * phi[l]!) / N;
      }
    }
    mse.push(se);
    if (t === o.steps) break;
    const KinvV = Array.from({ length: p }, (_, j) => cholSolve(L, V.subarray(j * m, (j + 1) * m), m));
    const M2 = new Float64Array(p * k), Q2 = new Float64Array(p * p);
    for (let j = 0; j < p; j++) for (let r = 0; r < k; r++) M2[j * k + r] = c * M[j * k + r]! + eta * alpha * a[j]! * V[j * m + p + r]!;
    for (let j = 0; j < p; j++) {
      for (let l = 0; l <= j; l++) {
        let vKv = 0;
        for (let i = 0; i < m; i++) vKv += V[j * m + i]! * KinvV[l]![i]!;
        const v = c * c * Q[j * p + l]! + c * eta * alpha * (a[l]! * V[l * m + j]! + a[j]! * V[j * m + l]!)
          + eta * eta * a[j]! * a[l]! * (alpha * PP[j * p + l]! + alpha * alpha * vKv);
        Q2[j * p + l] = Q2[l * p + j] = v;
      }
    }
    M = M2; Q = Q2;
    ms.push(Array.from(M)); qs.push(Array.from(Q));
  }
  return { m: ms, q: qs, testMSE: mse, method: `one-pass d = infinity recursion of (M, Q), Monte Carlo over N(0, K) with ${N} samples per step (seeded)` };
}
