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
 * random w*). The data X (n x d, float32) is the one n x d block held; D is never formed: D V = X^T (T o (X V)) / n
 * by two products on the tensor backend, in blocks of b vectors. The top eigenpair comes from block Lanczos with full
 * reorthogonalisation (float64 basis) and Rayleigh-Ritz; the Ritz residual |D y - theta y| = |B_k s_k| is recorded
 * and a run that does not reach the tolerance is reported as not converged, never silently.
 */
import type { Link } from "../../link/link.js";
import { parseLink } from "../../link/link.js";
import { InputError } from "../../link/errors.js";
import { applyNoise, parseNoise, type NoiseModel } from "../../exponents/noise.js";
import { labelMoments } from "../../exponents/labelMoments.js";
import { gaussianRows } from "../../tensors/data.js";
import { checkMemory, defaultMemoryLimit, f32Bytes, f64Bytes, matrix, type MemoryPlan } from "../../tensors/matrix.js";
import { symmetricEigenQL } from "../../tensors/tridiagonalEigen.js";
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
  /** Block size b of the Lanczos iteration (default 4). */
  readonly block?: number;
  /** Largest number of blocks (Krylov dimension b * maxBlocks; default 48, capped below d/b). */
  readonly maxBlocks?: number;
  /** Relative residual tolerance |D y - theta y| <= tol * max|Ritz value| (default 1e-4). */
  readonly tolerance?: number;
}

/** Result of one run: the overlap with w*, the top eigenvalue, and how the solver ended. */
export interface SpectralRunResult {
  readonly n: number;
  /** |<v, w*>| for the unit estimator v. */
  readonly overlap: number;
  readonly overlapSquared: number;
  /** Top eigenvalue of D (spectral) or |v| before normalisation (linear). */
  readonly eigenvalue: number | null;
  /** Second Ritz value (spectral): the gap to it tells a separated spike from the bulk edge. */
  readonly secondEigenvalue: number | null;
  /** Ritz residual |D y - theta y| (spectral; 0 for linear). */
  readonly residual: number;
  readonly converged: boolean;
  /** Products D V computed (blocks). */
  readonly blocks: number;
  readonly backend: string;
  readonly seconds: number;
}

/** Memory budget of a threshold run: 2 GiB, or less when the machine default is smaller. */
export const THRESHOLD_MEMORY_LIMIT = () => Math.min(2 * 2 ** 30, defaultMemoryLimit());

/** The blocks one run holds at once; refuses with the itemised estimate when they exceed the budget. */
export function thresholdMemoryPlan(d: number, n: number, block = 4, maxBlocks = 48, limit = THRESHOLD_MEMORY_LIMIT()): MemoryPlan {
  return checkMemory([
    { what: `data X (${n} x ${d}, float32)`, bytes: f32Bytes(n, d) },
    { what: "X V and its weighted copy", bytes: 2 * f32Bytes(n, block) },
    { what: `Lanczos basis (${d} x ${block * (maxBlocks + 1)}, float64)`, bytes: f64Bytes(d, block * (maxBlocks + 1)) },
    { what: "projected matrix", bytes: f64Bytes(block * maxBlocks, block * maxBlocks) * 3 },
    { what: "labels, weights", bytes: f64Bytes(n) * 3 },
  ], limit);
}

/** The seeded stream of label noise of one replicate (rows in order, so a smaller alpha sees a prefix). */
const noiseStream = (masterSeed: number, key: string, replicate: number) => Xoshiro128.forKey({ masterSeed, configuration: `threshold-noise/${key}`, replicate });

/** Sample size n = round(alpha d), at least one Gaussian chunk's worth of structure (n >= 2). */
export const sampleSize = (alpha: number, d: number) => Math.max(2, Math.round(alpha * d));

/**
 * Validate a run configuration (sizes, alpha, estimator, alpha_c) and its memory; returns the parsed link and noise.
 * @throws InputError naming the field and its allowed range, or the memory estimate.
 */
export function validateSpectralRun(c: SpectralRunConfig): { link: Link; noise: NoiseModel } {
  if (!(Number.isInteger(c.d) && c.d >= 8 && c.d <= 65536)) throw new InputError(`--d must be an integer in [8, 65536], got ${c.d}`);
  if (!(Number.isFinite(c.alpha) && c.alpha > 0 && c.alpha <= 1000)) throw new InputError(`alpha must be in (0, 1000], got ${c.alpha}`);
  const block = c.block ?? 4, maxBlocks = c.maxBlocks ?? 48;
  if (!(Number.isInteger(block) && block >= 1 && block <= 64)) throw new InputError(`block size must be an integer in [1, 64], got ${block}`);
  if (!(Number.isInteger(maxBlocks) && maxBlocks >= 2 && maxBlocks <= 400)) throw new InputError(`max blocks must be an integer in [2, 400], got ${maxBlocks}`);
  if (2 * block > c.d) throw new InputError(`the Lanczos block size ${block} must be at most d/2 = ${c.d / 2}`);
  if (c.estimator === "optimal" && !(Number.isFinite(c.alphaC) && c.alphaC > 0)) throw new InputError(`the optimal preprocessing needs a finite alpha_c > 0 (got ${c.alphaC}); use --estimator identity or linear`);
  const link = parseLink(c.link);
  if (link.kind !== "single") throw new InputError("simulate threshold runs single-index links (multi-index easy subspaces are not implemented)");
  thresholdMemoryPlan(c.d, sampleSize(c.alpha, c.d), block, maxBlocks);
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
  const X = new Float32Array(n * d);
  gaussianRows({ seed: masterSeed, label: `threshold/${key}/r=${replicate}`, d, n }, 0, n, X);
  const rng = noiseStream(masterSeed, key, replicate);
  const y = new Float64Array(n);
  const zArg = new Float64Array(1);
  for (let i = 0; i < n; i++) { zArg[0] = X[i * d]!; y[i] = applyNoise(noise, link.g(zArg), () => rng.uniform(), () => rng.normal()); }
  if (!y.every(Number.isFinite)) throw new InputError(`the link '${c.link}' gave a non-finite label on the sampled data`);
  const moments = c.estimator === "identity" ? null : labelMoments(link, noise);
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
    const m = norm > 0 ? Math.abs(v.data[0]!) / norm : 0;
    return { n, overlap: m, overlapSquared: m * m, eigenvalue: norm, secondEigenvalue: null, residual: 0, converged: true, blocks: 1, backend: backend.name, seconds: (performance.now() - t0) / 1000 };
  }
  // D V for b vectors stored as rows (b x d): X V^T (n x b), weighted by T_i/n, then (T o X V^T)^T X (b x d)
  const apply = async (V: Float32Array, b: number): Promise<Float32Array> => {
    const Y = await backend.matmul(Xm, matrix(b, d, V), { transB: true });
    const Yw = new Float32Array(n * b);
    for (let i = 0; i < n; i++) { const w = T[i]! / n; for (let j = 0; j < b; j++) Yw[i * b + j] = Y.data[i * b + j]! * w; }
    return (await backend.matmul(matrix(n, b, Yw), Xm, { transA: true })).data;
  };
  const block = c.block ?? 4, maxBlocks = Math.min(c.maxBlocks ?? 48, Math.floor(d / block) - 1); // Krylov dimension < d
  const r = await blockLanczosTop(apply, d, block, maxBlocks, c.tolerance ?? 1e-4, Xoshiro128.forKey({ masterSeed, configuration: `threshold-start/${key}/d=${d}`, replicate }));
  const m = Math.abs(r.vector[0]!);
  return { n, overlap: m, overlapSquared: m * m, eigenvalue: r.value, secondEigenvalue: r.second, residual: r.residual, converged: r.converged, blocks: r.blocks, backend: backend.name, seconds: (performance.now() - t0) / 1000 };
}

/** Top eigenpair of a symmetric operator from block Lanczos (full reorthogonalisation, Rayleigh-Ritz). */
export interface TopEigenpair {
  readonly value: number;
  readonly second: number | null;
  readonly vector: Float64Array;
  readonly residual: number;
  readonly converged: boolean;
  readonly blocks: number;
}

/**
 * Block Lanczos for the largest eigenvalue of a symmetric d x d operator given by `apply` (b vectors as rows,
 * b x d -> their images, b x d), with full reorthogonalisation of a float64 basis (two passes), Rayleigh-Ritz on the
 * projected matrix H = Q^T A Q every 4 blocks, and the residual |A y - theta y| = |B_k s_k| (B_k: the triangular
 * factor of the next block).
 */
export async function blockLanczosTop(
  apply: (V: Float32Array, b: number) => Promise<Float32Array>, d: number, b: number, maxBlocks: number, tolerance: number, rng: Xoshiro128,
): Promise<TopEigenpair> {
  const Q: Float64Array[] = []; // basis vectors, each of length d
  const mMax = b * maxBlocks;
  const H = new Float64Array(mMax * mMax); // projected matrix (leading m x m block used)
  let next: Float64Array[] = Array.from({ length: b }, () => Float64Array.from({ length: d }, () => rng.normal()));
  orthonormalise(next);
  for (let k = 0; k < maxBlocks; k++) {
    const base = Q.length;
    Q.push(...next);
    const V = new Float32Array(b * d);
    next.forEach((q, r) => V.set(q, r * d));
    const AV = await apply(V, b);
    const W = Array.from({ length: b }, (_, r) => Float64Array.from(AV.subarray(r * d, (r + 1) * d)));
    // H[:, new] = Q^T A Q_new (exact while Q is orthonormal); the other triangle by symmetry
    for (let i = 0; i < Q.length; i++) for (let s = 0; s < b; s++) {
      const h = dot(Q[i]!, W[s]!);
      H[i * mMax + base + s] = h; H[(base + s) * mMax + i] = h;
    }
    for (let pass = 0; pass < 2; pass++) for (const w of W) for (const q of Q) axpy(w, q, -dot(q, w));
    const B = orthonormalise(W);
    next = W;
    const m = Q.length, last = k === maxBlocks - 1;
    if (!last && (k + 1) % 4 !== 0) continue;
    const Hm = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) Hm[i * m + j] = 0.5 * (H[i * mMax + j]! + H[j * mMax + i]!);
    const { values, vectors } = symmetricEigenQL(Hm, m);
    // residual |B s_last|, B upper triangular (b x b), s_last the coefficients on the newest block
    let res = 0;
    for (let r = 0; r < b; r++) { let t = 0; for (let j = r; j < b; j++) t += B[r * b + j]! * vectors[base + j]!; res += t * t; }
    res = Math.sqrt(res);
    const scale = Math.max(Math.abs(values[0]!), Math.abs(values[m - 1]!), 1e-300);
    const converged = res <= tolerance * scale;
    if (converged || last) {
      const vector = new Float64Array(d);
      for (let i = 0; i < m; i++) axpy(vector, Q[i]!, vectors[i]!);
      const norm = Math.sqrt(dot(vector, vector));
      for (let l = 0; l < d; l++) vector[l]! /= norm;
      return { value: values[0]!, second: m > 1 ? values[1]! : null, vector, residual: res, converged, blocks: k + 1 };
    }
  }
  throw new Error("internal: block Lanczos ended without a Ritz pair");
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

/**
 * Orthonormalise the vectors W in place by modified Gram-Schmidt (twice) against each other; returns the b x b upper
 * triangular factor R with W_in = R^T-combinations of W_out (W_in[j] = sum_i R[i][j] W_out[i]). A vector that
 * vanishes becomes zero (its row of R is 0).
 */
function orthonormalise(W: Float64Array[]): Float64Array {
  const b = W.length;
  const R = new Float64Array(b * b);
  for (let j = 0; j < b; j++) {
    for (let pass = 0; pass < 2; pass++) for (let i = 0; i < j; i++) { const c = dot(W[i]!, W[j]!); R[i * b + j]! += c; axpy(W[j]!, W[i]!, -c); }
    const norm = Math.sqrt(dot(W[j]!, W[j]!));
    R[j * b + j] = norm;
    if (norm > 1e-300) for (let l = 0; l < W[j]!.length; l++) W[j]![l]! /= norm; else W[j]!.fill(0);
  }
  return R;
}
