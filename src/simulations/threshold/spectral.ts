/**
 * Spectral and linear estimators of the hidden direction of a single-index model at n = alpha d, full-dimensional:
 *
 *   spectral  v = top eigenvector of D = (1/n) sum_i T(y_i) x_i x_i^T, with
 *               "optimal":  T*(y) = h(y)/(h(y) + c), h(y) = E[He_2(Z) | Y = y], c = max(sqrt(alpha/alpha_c), 1.01)
 *                           (Mondelli, Montanari 2018, arXiv 1708.05932, Eqs. (4)-(5), in its real-valued form). The
 *                           floor keeps T >= -1/(c - 1) = -100 bounded below at and under alpha_c, where no T works;
 *                           a fixed T_c has its spectral threshold at c alpha_c (Lu-Li characterisation, evaluated
 *                           numerically for y = z^2, derived here), so the floor can delay the transition by 1% at most;
 *               "identity": T(y) = y (the plain weighted covariance, for comparison);
 *   linear    v = (1/n) sum_i T(y_i) x_i with T(y) = E[Z | Y = y] (the trivial direction of a GE = 1 link):
 *             overlap^2 -> alpha lambda_1^2 / (1 + alpha lambda_1^2) (derived here: E[T Z] = E[T^2] = lambda_1^2).
 *
 * w* is the first coordinate axis (x isotropic and the estimators rotation equivariant, so this is equal in law to a
 * random w*). A multi-index link y = g(z1..zr) has W* = the first r axes; its preprocessing is built along a direction
 * v of R^r (multiIndexPreprocessing.ts) and the overlap is the norm of the projection of the unit estimate on the
 * hidden subspace, |P_{W*} v_hat| (weak recovery of the subspace). The data X (n x d, float32) is the one n x d block held; D is never formed: D v = X^T (T o (X v)) / n
 * by two products on the tensor backend. The top eigenpair comes from Lanczos with full reorthogonalisation (float64
 * basis); the Ritz residual |D y - theta y| is recorded and a run that does not reach the tolerance is reported as not
 * converged, never silently.
 */
import type { Link } from "../../link/link.js";
import { parseLink } from "../../link/link.js";
import { InputError } from "../../link/errors.js";
import { applyNoise, parseNoise, type NoiseModel } from "../../exponents/noise.js";
import { labelMoments } from "../../exponents/labelMoments.js";
import { multiIndexMoments } from "./multiIndexPreprocessing.js";
import { gaussianRows } from "../../tensors/data.js";
import { checkMemory, defaultMemoryLimit, f32Bytes, f64Bytes, matrix, type MemoryPlan } from "../../tensors/matrix.js";
import type { TensorBackend } from "../../tensors/backend.js";
import { Xoshiro128 } from "../../numeric/xoshiro.js";

/** Which estimator: the optimal spectral preprocessing, the plain T(y) = y, or the linear estimator E[Z | Y]. */
export type ThresholdEstimator = "optimal" | "identity" | "linear";

/** One run: link and noise, dimension d, alpha = n/d, estimator, alpha_c (for the optimal T), and solver settings. */
export interface SpectralRunConfig {
  readonly link: string;
  /** Noise in `--noise` syntax. */
  readonly noise: string;
  readonly d: number;
  readonly alpha: number;
  readonly estimator: ThresholdEstimator;
  /** alpha_c of the link (needed by the optimal preprocessing; finite and > 0). */
  readonly alphaC: number;
  /** Largest number of Lanczos steps (default 400, capped at d - 1). */
  readonly maxIterations?: number;
  /** Residual tolerance |D y - theta y| <= tol * max(1, |theta|) (default 1e-3). */
  readonly tolerance?: number;
  /**
   * Multi-index links: the unit direction v of R^r the preprocessing is built for (T from E[(v.z)^2 - 1 | y] or
   * E[v.z | y], multiIndexPreprocessing.ts); default the first axis.
   */
  readonly direction?: readonly number[];
}

/** Result of one run: the overlap with w*, the top eigenvalue, and how the solver ended. */
export interface SpectralRunResult {
  readonly n: number;
  /** |<v, w*>| for the unit estimator v (multi-index: |P_{W*} v|, the norm of its projection on the hidden subspace). */
  readonly overlap: number;
  readonly overlapSquared: number;
  /** Top eigenvalue of D (spectral) or |v| before normalisation (linear). */
  readonly eigenvalue: number | null;
  /** Second Ritz value (spectral): the gap to it tells a separated spike from the bulk edge. */
  readonly secondEigenvalue: number | null;
  /** Ritz residual |D y - theta y| (spectral; 0 for linear). */
  readonly residual: number;
  readonly converged: boolean;
  /** Lanczos steps (products D v). */
  readonly iterations: number;
  readonly backend: string;
  readonly seconds: number;
}

/** Memory budget of a threshold run: 2 GiB, or less when the machine default is smaller. */
export const THRESHOLD_MEMORY_LIMIT = () => Math.min(2 * 2 ** 30, defaultMemoryLimit());

/** The blocks one run holds at once; refuses with the itemised estimate when they exceed the budget. */
export function thresholdMemoryPlan(d: number, n: number, maxIterations = 400, limit = THRESHOLD_MEMORY_LIMIT()): MemoryPlan {
  const m = Math.min(maxIterations, d - 1) + 1;
  return checkMemory([
    { what: `data X (${n} x ${d}, float32)`, bytes: f32Bytes(n, d) },
    { what: "X v and its weighted copy", bytes: 2 * f32Bytes(n) },
    { what: `Lanczos basis (${m} vectors of ${d}, float64)`, bytes: f64Bytes(d, m) },
    { what: "labels, weights", bytes: f64Bytes(n) * 3 },
  ], limit);
}

/**
 * The data of one replicate of a threshold run, shared by every estimator: X (n x d, rows x_i ~ N(0, I_d), w* = e_1)
 * and the labels y_i = f(x_i1) through the noise channel. The rows and the label noise are seeded streams read in
 * order, so a smaller alpha sees a prefix (common random numbers across the alpha grid and across estimators).
 */
export function thresholdSample(link: Link, noise: NoiseModel, noiseSpec: string, d: number, n: number, masterSeed: number, replicate: number): { X: Float32Array; y: Float64Array } {
  const key = `${link.text}/${noiseSpec}`;
  const X = new Float32Array(n * d);
  gaussianRows({ seed: masterSeed, label: `threshold/${key}/r=${replicate}`, d, n }, 0, n, X);
  const rng = Xoshiro128.forKey({ masterSeed, configuration: `threshold-noise/${key}`, replicate });
  const r = link.dimension, y = new Float64Array(n), zArg = new Float64Array(r);
  for (let i = 0; i < n; i++) { for (let j = 0; j < r; j++) zArg[j] = X[i * d + j]!; y[i] = applyNoise(noise, link.g(zArg), () => rng.uniform(), () => rng.normal()); }
  if (!y.every(Number.isFinite)) throw new InputError(`the link '${link.source}' gave a non-finite label on the sampled data`);
  return { X, y };
}

/** Sample size n = round(alpha d), at least one Gaussian chunk's worth of structure (n >= 2). */
export const sampleSize = (alpha: number, d: number) => Math.max(2, Math.round(alpha * d));

/**
 * Validate a run configuration (sizes, alpha, estimator, alpha_c) and its memory; returns the parsed link and noise.
 * @throws InputError naming the field and its allowed range, or the memory estimate.
 */
export function validateSpectralRun(c: SpectralRunConfig): { link: Link; noise: NoiseModel } {
  if (!(Number.isInteger(c.d) && c.d >= 8 && c.d <= 65536)) throw new InputError(`--d must be an integer in [8, 65536], got ${c.d}`);
  if (!(Number.isFinite(c.alpha) && c.alpha > 0 && c.alpha <= 1000)) throw new InputError(`alpha must be in (0, 1000], got ${c.alpha}`);
  const maxIterations = c.maxIterations ?? 400;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 2 && maxIterations <= 5000)) throw new InputError(`--max-iterations must be an integer in [2, 5000], got ${maxIterations}`);
  if (c.estimator === "optimal" && !(Number.isFinite(c.alphaC) && c.alphaC > 0)) throw new InputError(`the optimal preprocessing needs a finite alpha_c > 0 (got ${c.alphaC}); use --estimator identity or linear`);
  const link = parseLink(c.link);
  if (link.kind !== "single") {
    if (link.dimension > 4) throw new InputError(`the multi-index spectral estimator runs links of r <= 4 latent directions (got r = ${link.dimension})`);
    if (c.direction && !(c.direction.length === link.dimension && c.direction.every(Number.isFinite) && Math.hypot(...c.direction) > 0)) throw new InputError(`the preprocessing direction must be a non-zero vector of length r = ${link.dimension}`);
  }
  thresholdMemoryPlan(c.d, sampleSize(c.alpha, c.d), maxIterations);
  return { link, noise: parseNoise(c.noise) };
}

/**
 * One replicate: draw X (n x d) and the labels, build the estimator, return its overlap with w* (see the module
 * comment). Deterministic in (config, masterSeed, replicate); the rows of X do not depend on alpha (a smaller alpha
 * uses a prefix of the same rows: common random numbers across the alpha grid).
 */
export async function spectralRun(c: SpectralRunConfig, masterSeed: number, replicate: number, backend: TensorBackend): Promise<SpectralRunResult> {
  const t0 = performance.now();
  const { link, noise } = validateSpectralRun(c);
  const d = c.d, n = sampleSize(c.alpha, d);
  const key = `${link.text}/${c.noise}`;
  const { X, y } = thresholdSample(link, noise, c.noise, d, n, masterSeed, replicate);
  const r = link.dimension;
  const moments = c.estimator === "identity" ? null
    : link.kind === "single" ? labelMoments(link, noise)
    : multiIndexMoments(link, noise, c.direction ?? Array.from({ length: r }, (_, j) => (j === 0 ? 1 : 0)));
  const T = new Float64Array(n);
  if (c.estimator === "identity") T.set(y);
  else if (c.estimator === "linear") for (let i = 0; i < n; i++) T[i] = moments!.he1(y[i]!);
  else {
    const cc = Math.max(Math.sqrt(c.alpha / c.alphaC), 1.01);
    for (let i = 0; i < n; i++) { const h = moments!.he2(y[i]!); T[i] = h / (h + cc); }
  }
  const Xm = matrix(n, d, X);
  if (c.estimator === "linear") {
    const w = matrix(n, 1, Float32Array.from(T, (t) => t / n));
    const v = await backend.matmul(Xm, w, { transA: true });
    let norm = 0;
    for (let j = 0; j < d; j++) norm += v.data[j]! ** 2;
    norm = Math.sqrt(norm);
    let proj = 0;
    for (let j = 0; j < r; j++) proj += v.data[j]! ** 2;
    const m = norm > 0 ? Math.sqrt(proj) / norm : 0;
    return { n, overlap: m, overlapSquared: m * m, eigenvalue: norm, secondEigenvalue: null, residual: 0, converged: true, iterations: 1, backend: backend.name, seconds: (performance.now() - t0) / 1000 };
  }
  // D v = X^T (T o X v) / n: two products on the backend, D never formed
  const apply = async (v: Float32Array): Promise<Float32Array> => {
    const y = await backend.matmul(Xm, matrix(d, 1, v));
    const yw = new Float32Array(n);
    for (let i = 0; i < n; i++) yw[i] = (y.data[i]! * T[i]!) / n;
    return (await backend.matmul(Xm, matrix(n, 1, yw), { transA: true })).data;
  };
  const maxIterations = Math.min(c.maxIterations ?? 400, d - 1);
  const res = await lanczosTop(apply, d, maxIterations, c.tolerance ?? 1e-3, Xoshiro128.forKey({ masterSeed, configuration: `threshold-start/${key}/d=${d}`, replicate }));
  let proj = 0;
  for (let j = 0; j < r; j++) proj += res.vector[j]! ** 2;
  const m = Math.sqrt(proj);
  return { n, overlap: m, overlapSquared: m * m, eigenvalue: res.value, secondEigenvalue: res.second, residual: res.residual, converged: res.converged, iterations: res.iterations, backend: backend.name, seconds: (performance.now() - t0) / 1000 };
}

/** Top eigenpair of a symmetric operator from Lanczos (full reorthogonalisation, Rayleigh-Ritz). */
export interface TopEigenpair {
  readonly value: number;
  readonly second: number | null;
  readonly vector: Float64Array;
  /** |A y - theta y| = beta_{k+1} |s_k| for the top Ritz pair. */
  readonly residual: number;
  readonly converged: boolean;
  readonly iterations: number;
}

/**
 * Lanczos for the largest eigenvalue of a symmetric d x d operator `apply` (one vector in, its image out), with full
 * reorthogonalisation of a float64 basis (two passes), the top Ritz pair of the tridiagonal T_k by Sturm bisection and
 * inverse iteration at every step, and the residual |A y - theta y| = beta_{k+1} |s_k|. Converged when the residual
 * is below tolerance * max(1, |theta|). The spectra here are wide on the negative side (the optimal preprocessing is
 * unbounded below as alpha -> alpha_c), so the top edge needs many steps: the residual is what says whether it got there.
 */
export async function lanczosTop(
  apply: (v: Float32Array) => Promise<Float32Array>, d: number, maxIterations: number, tolerance: number, rng: Xoshiro128,
): Promise<TopEigenpair> {
  const Q: Float64Array[] = [];
  const a: number[] = [], beta: number[] = [];
  let q = Float64Array.from({ length: d }, () => rng.normal());
  scale(q, 1 / Math.sqrt(dot(q, q)));
  let last: TopEigenpair | null = null;
  for (let k = 0; k < maxIterations; k++) {
    Q.push(q);
    const w = Float64Array.from(await apply(Float32Array.from(q)));
    a.push(dot(q, w));
    for (let pass = 0; pass < 2; pass++) for (const u of Q) axpy(w, u, -dot(u, w));
    const b = Math.sqrt(dot(w, w));
    const m = k + 1;
    const theta = kthLargest(a, beta, m, 1);
    const s = tridiagonalEigenvector(a, beta, m, theta);
    const residual = b * Math.abs(s[m - 1]!);
    const converged = residual <= tolerance * Math.max(1, Math.abs(theta));
    if (converged || k === maxIterations - 1 || b < 1e-12) {
      const vector = new Float64Array(d);
      for (let i = 0; i < m; i++) axpy(vector, Q[i]!, s[i]!);
      scale(vector, 1 / Math.sqrt(dot(vector, vector)));
      last = { value: theta, second: m > 1 ? kthLargest(a, beta, m, 2) : null, vector, residual, converged: converged || b < 1e-12, iterations: m };
      break;
    }
    beta.push(b);
    q = w;
    scale(q, 1 / b);
  }
  return last!;
}

/** The j-th largest eigenvalue of the symmetric tridiagonal (a_0..a_{m-1}; beta_0..beta_{m-2}) by Sturm bisection. */
function kthLargest(a: readonly number[], beta: readonly number[], m: number, j: number): number {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1]!) : 0) + (i < m - 1 ? Math.abs(beta[i]!) : 0);
    lo = Math.min(lo, a[i]! - r); hi = Math.max(hi, a[i]! + r);
  }
  // count(x) = number of eigenvalues > x (sign changes of the LDL^T pivots of T - x I)
  const count = (x: number) => {
    let c = 0, piv = 1;
    for (let i = 0; i < m; i++) {
      piv = a[i]! - x - (i > 0 ? (beta[i - 1]! * beta[i - 1]!) / piv : 0);
      if (piv === 0) piv = -1e-300;
      if (piv > 0) c++;
    }
    return c;
  };
  for (let it = 0; it < 200 && hi - lo > 1e-14 * Math.max(1, Math.abs(hi)); it++) {
    const mid = 0.5 * (lo + hi);
    if (count(mid) >= j) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Unit eigenvector of the tridiagonal for the eigenvalue theta, by three steps of inverse iteration. */
function tridiagonalEigenvector(a: readonly number[], beta: readonly number[], m: number, theta: number): Float64Array {
  let x = new Float64Array(m).fill(1 / Math.sqrt(m));
  const shift = theta + 1e-10 * Math.max(1, Math.abs(theta));
  for (let it = 0; it < 3; it++) {
    // solve (T - shift I) y = x by Gaussian elimination without pivoting (Thomas), guarding zero pivots
    const c = new Float64Array(m), dd = new Float64Array(m), y = new Float64Array(m);
    let piv = a[0]! - shift;
    if (piv === 0) piv = 1e-300;
    dd[0] = x[0]! / piv;
    for (let i = 1; i < m; i++) {
      c[i - 1] = beta[i - 1]! / piv;
      piv = a[i]! - shift - beta[i - 1]! * c[i - 1]!;
      if (piv === 0) piv = 1e-300;
      dd[i] = (x[i]! - beta[i - 1]! * dd[i - 1]!) / piv;
    }
    y[m - 1] = dd[m - 1]!;
    for (let i = m - 2; i >= 0; i--) y[i] = dd[i]! - c[i]! * y[i + 1]!;
    const norm = Math.sqrt(dot(y, y));
    x = norm > 0 && Number.isFinite(norm) ? (scale(y, 1 / norm), y) : x;
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** y += a x. */
function axpy(y: Float64Array, x: Float64Array, a: number): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}

function scale(x: Float64Array, a: number): void {
  for (let i = 0; i < x.length; i++) x[i]! *= a;
}
