/**
 * Seed 002 (Dandi, Troiani, Arnaboldi, Pesce, Zdeborová, Krzakala, "The benefits of reusing batches for gradient
 * descent in two-layer networks", arXiv 2402.03220, ICML 2024; notes §3.3): f(z) = sum_j a_j sigma(<w_j, z>/sqrt(d)),
 * y = g*(W* z / sqrt(d)) with rows of W* of norm sqrt(d), second layer frozen, square loss SUMMED over the batch
 * with the 1/2 factor, eta = Theta(1), optional weight decay lambda, n = alpha d:
 *
 *   H = Z W^T / sqrt(d);  r = y - sigma(H) a;  W <- (1 - eta lambda) W + eta ((r . sigma'(H)) diag(a))^T Z / sqrt(d)
 *
 * Algorithms on the same footing: multi-pass (one batch reused at every step), one-pass (a fresh batch of the same
 * size at every step), and the paper's mini-batch variants: the batch split into m mini-batches visited in order
 * (cycle) or drawn uniformly with replacement. Overlaps M = W W*^T / d, Q = W W^T / d.
 */
import { divergenceAt, rowSquaredNorms } from "../divergence.js";
import { countingFlops, type TensorBackend } from "../../tensors/backend.js";
import { blocks, gaussianRows, type GaussianBatch } from "../../tensors/data.js";
import { checkMemory, f32Bytes, f64Bytes, matrix } from "../../tensors/matrix.js";
import { InputError } from "../../link/errors.js";
import { inBasis, targetBasis, type TargetBasis } from "./basis.js";
import type { SeedHooks } from "./store.js";
import {
  checkBatchWork, checkSizes, firstLayer, labels, learningRate, matrixMeanSe, meanSe, secondLayer, stream, studentActivation, target,
  type Activation, type FirstLayerInit, type MeanSe, type SecondLayerInit, type Target,
} from "./common.js";

/**
 * How the data enter the steps of seed 002 (Dandi et al. 2024, arXiv 2402.03220): multi-pass reuses one batch of
 * n = alpha d samples at every step, one-pass draws a fresh batch of that size at every step, cycle visits m
 * mini-batches of the data set in order, replacement draws one of them uniformly with replacement.
 */
export type ReuseAlgorithm = "multi-pass" | "one-pass" | "cycle" | "replacement";

/**
 * Setting of a seed-002 run (Dandi et al. 2024, arXiv 2402.03220): T gradient steps of the first layer of a width-p
 * network with frozen second layer on n = alpha d samples, square loss summed over the batch, eta = Theta(1) and
 * weight decay lambda, for one algorithm, repeated over `seeds` replicates.
 */
export interface BatchReuseConfig {
  readonly target: string;
  readonly activation: string;
  readonly d: number;
  readonly p: number;
  /** n = alpha d (rounded): the size of the batch (of the whole data set for the mini-batch variants). */
  readonly alpha: number;
  readonly steps: number;
  /** Learning rate formula in n, p, d (Theta(1) in this scaling). */
  readonly eta: string;
  /** Weight decay lambda (the theorem uses eta lambda = 1). */
  readonly weightDecay: number;
  readonly algorithm: ReuseAlgorithm;
  /** Number of mini-batches m for cycle / replacement (each of n/m rows). */
  readonly minibatches: number;
  readonly secondLayer: SecondLayerInit;
  readonly init: FirstLayerInit;
  readonly nTest: number;
  readonly seeds: number;
  readonly masterSeed: number;
  /** Hold the reused batch in memory when it fits this many bytes (else regenerate it from the seed each step). */
  readonly cacheBytes?: number;
}

/**
 * Defaults of a seed-002 run: ReLU student, d = 1000, p = 4, alpha = 4, T = 5 multi-pass steps at eta = 1 without
 * weight decay, alternating second layer, zero initial overlap (orthogonal W0), 4096 test samples, 8 seeds.
 * The target has no default.
 */
export const BATCH_REUSE_DEFAULTS = {
  activation: "relu(z)", d: 1000, p: 4, alpha: 4, steps: 5, eta: "1", weightDecay: 0, algorithm: "multi-pass" as ReuseAlgorithm,
  minibatches: 1, secondLayer: "alternating" as SecondLayerInit, init: "orthogonal" as FirstLayerInit, nTest: 4096, seeds: 8, masterSeed: 1,
};

export interface ReuseStepRecord {
  readonly t: number;
  /** M = W W*^T / d (p x k). */
  readonly overlap: { mean: number[][]; se: number[][] };
  /** Q = W W^T / d (p x p; only when p <= 16, else null). */
  readonly q: { mean: number[][]; se: number[][] } | null;
  /** mean_j sign(a_j) <M_j, u_1> with u_1 = C_1/|C_1| (sign-coherent first-Hermite overlap); null when C_1 = 0. */
  readonly c1Signed: MeanSe | null;
  /** RMS over neurons of <M_j, u_1>; null when C_1 = 0. */
  readonly c1Rms: MeanSe | null;
  /** RMS over neurons of |M_j - <M_j, u_1> u_1| (the whole target space when C_1 = 0). */
  readonly perpRms: MeanSe;
  /** mean_j sign(a_j) <M_j, u_r> per basis vector (C_1 first when present). */
  readonly signedByDirection: MeanSe[];
  /** RMS over neurons of |M_j| (all target directions). */
  readonly overlapRms: MeanSe;
  /** Mean of diag Q. */
  readonly qDiag: MeanSe;
  /** Test error E[(y - f)^2] on a fixed fresh test set; null when diverged. */
  readonly testMSE: MeanSe;
  /** Training loss (1/2 n_batch) sum r^2 on the batch of step t + 1 before its update; null at t = T. */
  readonly trainLoss: MeanSe | null;
}

/**
 * Outcome of a seed-002 run: per step t = 0..T the overlaps M = W W*^T / d and Q = W W^T / d, their parts along C1 and
 * orthogonal to it in the target space, the sign-coherent overlaps and the test MSE (mean ± se over seeds); the
 * diverged seeds; and the per-seed overlaps for the closed-form and d = infinity comparisons.
 */
export interface BatchReuseResult {
  readonly experiment: "batch-reuse";
  readonly config: BatchReuseConfig & { n: number; etaValue: number; k: number; basisNames: string[]; normalisation: string; targetMoments: Target["moments"] };
  readonly backend: { name: string; detail: string };
  readonly steps: ReuseStepRecord[];
  readonly diverged: { seed: number; step: number; reason: string }[];
  readonly wallSeconds: number;
  /** Matrix-product work of the seeds computed now (GFLOP, 2mkn per product) and its rate over the whole wall time. */
  readonly throughput: { readonly matmulGflop: number; readonly gflopPerSecond: number };
  /** Per-seed raw overlaps (seed x (T+1) x p x k) and second layers, for closed-form checks. */
  readonly raw: { overlaps: number[][][]; a: number[][]; qDiag0: number[][] };
}

/** One seed's trajectory (what a resumable run stores per finished seed; see store.ts). */
export interface SeedTrace {
  readonly M: Float64Array[];
  /** Q = W W^T/d per step: p x p when p <= 16, else its diagonal (length p). */
  readonly Q: Float64Array[];
  readonly test: number[];
  readonly train: number[];
  readonly a: Float64Array;
  readonly divergence: { step: number; reason: string } | null;
}

export function validateBatchReuse(c: BatchReuseConfig): void {
  checkSizes({ "--d": c.d, "--p": c.p, "--steps": c.steps, "--seeds": c.seeds, "--n-test": c.nTest, "--minibatches": c.minibatches });
  if (!(c.alpha > 0) || !Number.isFinite(c.alpha)) throw new InputError(`--alpha must be a positive number, got ${c.alpha}`);
  if (Math.round(c.alpha * c.d) < 1) throw new InputError(`n = alpha d = ${c.alpha * c.d} must be at least 1`);
  if (!(c.weightDecay >= 0) || !Number.isFinite(c.weightDecay)) throw new InputError(`--weight-decay must be finite and >= 0, got ${c.weightDecay}`);
  if ((c.algorithm === "multi-pass" || c.algorithm === "one-pass") && c.minibatches !== 1) throw new InputError(`--minibatches applies to --algorithm cycle or replacement only`);
  if (Math.floor(Math.round(c.alpha * c.d) / c.minibatches) < 1) throw new InputError(`--minibatches ${c.minibatches} leaves empty mini-batches for n = ${Math.round(c.alpha * c.d)}`);
}

/**
 * The benefits of reusing batches (Dandi et al. 2024, arXiv 2402.03220; notes §3.3): for each seed, T gradient steps
 * W <- (1 - eta lambda) W + eta ((r . sigma'(H)) diag(a))^T Z / sqrt(d) with the batch reused, refreshed, cycled or
 * resampled as `algorithm` says, on `backend`. Seeds in `hooks.done` are read back, not recomputed.
 * @throws InputError for sizes that are not positive integers, alpha <= 0, a negative weight decay, more than one
 *   mini-batch for multi-pass or one-pass, empty mini-batches, d <= k, a target or activation that does not parse or
 *   cannot be used, a non-positive learning rate, or a run that exceeds the memory budget.
 */
export async function simulateBatchReuse(
  c: BatchReuseConfig, backend: TensorBackend, progress: (m: string) => void = () => {}, hooks: SeedHooks<SeedTrace> = {},
): Promise<BatchReuseResult> {
  validateBatchReuse(c);
  const t0 = performance.now();
  const counter = countingFlops(backend);
  backend = counter.backend;
  const tgt = target(c.target);
  const act = studentActivation(c.activation);
  const { d, p } = c, k = tgt.k;
  if (k >= d) throw new InputError(`d = ${d} must exceed the number of target directions k = ${k}`);
  const n = Math.round(c.alpha * d);
  const etaValue = learningRate(c.eta, { n, p, d });
  const cacheBytes = c.cacheBytes ?? 2 ** 30;
  const cached = f32Bytes(n, d) <= cacheBytes && c.algorithm !== "one-pass";
  checkMemory([
    { what: "reused batch (cached)", bytes: cached ? f32Bytes(n, d) : 0 },
    { what: "streamed data block", bytes: f32Bytes(Math.min(n, 8192), d) },
    { what: "test set", bytes: f32Bytes(c.nTest, d) },
    { what: "weights and gradient", bytes: 3 * f32Bytes(p, d) + f64Bytes(p, d) },
    { what: "preactivation blocks", bytes: 4 * f32Bytes(Math.min(n, 8192), p) },
  ]);
  checkBatchWork({ ...c, n }); // the time it would take, before anything runs
  const basis = targetBasis(tgt.moments.c1);
  const traces: SeedTrace[] = [];
  const resumed = [...(hooks.done?.keys() ?? [])].filter((s) => s < c.seeds).length;
  for (let s = 0; s < c.seeds; s++) {
    // a seed finished by an earlier (interrupted) run is read back, not recomputed: its streams depend on (master seed, s) only
    const earlier = hooks.done?.get(s);
    if (earlier) { traces.push(earlier); continue; }
    progress(`seed ${s + 1}/${c.seeds}${resumed ? ` (${resumed} resumed)` : ""}`);
    const trace = await runSeed(c, tgt, act, n, etaValue, cached, backend, s);
    hooks.onSeed?.(s, trace);
    traces.push(trace);
  }
  const steps: ReuseStepRecord[] = [];
  for (let t = 0; t <= c.steps; t++) {
    const alive = traces.filter((tr) => tr.M.length > t);
    if (!alive.length) break;
    const per = alive.map((tr) => neuronSummaries(tr.M[t]!, tr.a, basis, p, k));
    const qd = alive.map((tr) => { let s = 0; for (let i = 0; i < p; i++) s += qDiag(tr.Q[t]!, p, i); return s / p; });
    steps.push({
      t,
      overlap: matrixMeanSe(alive.map((tr) => tr.M[t]!), p, k),
      q: p <= FULL_Q ? matrixMeanSe(alive.map((tr) => tr.Q[t]!), p, p) : null,
      c1Signed: basis.hasC1 ? meanSe(per.map((x) => x.signed[0]!)) : null,
      c1Rms: basis.hasC1 ? meanSe(per.map((x) => x.c1Rms)) : null,
      perpRms: meanSe(per.map((x) => x.perpRms)),
      signedByDirection: Array.from({ length: k }, (_, r) => meanSe(per.map((x) => x.signed[r]!))),
      overlapRms: meanSe(per.map((x) => x.rms)),
      qDiag: meanSe(qd),
      testMSE: meanSe(alive.map((tr) => tr.test[t]!)),
      trainLoss: t < c.steps ? meanSe(alive.filter((tr) => tr.train.length > t).map((tr) => tr.train[t]!)) : null,
    });
  }
  return {
    experiment: "batch-reuse",
    config: {
      ...c, n, etaValue, k, basisNames: basis.names, targetMoments: tgt.moments,
      normalisation: "seed 002: f = sum_j a_j sigma(<w_j,z>/sqrt(d)), W0 rows N(0, I_d) (|w| ~ sqrt(d)), W* = sqrt(d) x (first k axes), M = W W*^T/d, Q = W W^T/d; loss (1/2) sum over the (mini-)batch; test MSE = E[(y - f)^2]",
    },
    backend: { name: backend.name, detail: backend.detail },
    steps,
    diverged: traces.flatMap((tr, seed) => (tr.divergence ? [{ seed, ...tr.divergence }] : [])),
    wallSeconds: (performance.now() - t0) / 1000,
    throughput: { matmulGflop: counter.flops() / 1e9, gflopPerSecond: counter.flops() / 1e9 / ((performance.now() - t0) / 1000) },
    raw: {
      overlaps: traces.map((tr) => tr.M.map((m) => Array.from(m))),
      a: traces.map((tr) => Array.from(tr.a)),
      qDiag0: traces.map((tr) => Array.from({ length: p }, (_, i) => qDiag(tr.Q[0]!, p, i))),
    },
  };
}

/** Q is reported in full up to this width. */
const FULL_Q = 16;
/** Q_ii from a stored Q (full p x p when p <= FULL_Q, else its diagonal only). */
const qDiag = (Q: Float64Array, p: number, i: number) => (Q.length === p * p ? Q[i * p + i]! : Q[i]!);

function neuronSummaries(M: Float64Array, a: Float64Array, basis: TargetBasis, p: number, k: number) {
  const signed = new Array<number>(k).fill(0);
  let c1sq = 0, perpSq = 0, all = 0;
  for (let j = 0; j < p; j++) {
    const row = M.subarray(j * k, j * k + k);
    const coords = inBasis(row, basis, k);
    const sgn = Math.sign(a[j]!) || 1;
    coords.forEach((v, r) => { signed[r] += (sgn * v) / p; });
    const norm2 = coords.reduce((s, v) => s + v * v, 0);
    all += norm2;
    if (basis.hasC1) { c1sq += coords[0]! ** 2; perpSq += norm2 - coords[0]! ** 2; } else perpSq += norm2;
  }
  return { signed, c1Rms: Math.sqrt(c1sq / p), perpRms: Math.sqrt(Math.max(0, perpSq) / p), rms: Math.sqrt(all / p) };
}

/** Rows of the data set used by step t (1-based): [start, count) within the batch named by the returned label. */
function stepData(c: BatchReuseConfig, n: number, t: number, rep: number, pick: () => number): { label: string; start: number; count: number; size: number } {
  switch (c.algorithm) {
    case "multi-pass": return { label: `reuse/rep=${rep}/train`, start: 0, count: n, size: n };
    case "one-pass": return { label: `reuse/rep=${rep}/train/step=${t}`, start: 0, count: n, size: n };
    case "cycle":
    case "replacement": {
      const m = c.minibatches, size = Math.floor(n / m);
      const j = c.algorithm === "cycle" ? (t - 1) % m : pick();
      return { label: `reuse/rep=${rep}/train`, start: j * size, count: size, size: n };
    }
  }
}

async function runSeed(c: BatchReuseConfig, tgt: Target, act: Activation, n: number, eta: number, cached: boolean, backend: TensorBackend, rep: number): Promise<SeedTrace> {
  const { d, p } = c, k = tgt.k;
  const sqrtD = Math.sqrt(d);
  const duplicate = c.secondLayer === "symmetric";
  const a = secondLayer(c.secondLayer, p, 1 / Math.sqrt(p), stream(c.masterSeed, "reuse/a", rep));
  const W = firstLayer(p, d, k, 1, c.init, duplicate, stream(c.masterSeed, "reuse/W0", rep));
  const pickRng = stream(c.masterSeed, "reuse/minibatch-choice", rep);
  const pick = () => Math.min(c.minibatches - 1, Math.floor(pickRng.uniform() * c.minibatches));
  // the reused data set, generated once when cached
  let cache: { Z: Float32Array; y: Float64Array } | null = null;
  if (cached) {
    const Z = new Float32Array(n * d);
    gaussianRows({ seed: c.masterSeed, label: `reuse/rep=${rep}/train`, d, n }, 0, n, Z);
    const y = new Float64Array(n);
    labels(Z, n, d, tgt, y);
    cache = { Z, y };
  }
  const testBatch: GaussianBatch = { seed: c.masterSeed, label: `reuse/rep=${rep}/test`, d, n: c.nTest };
  const Zt = new Float32Array(c.nTest * d);
  gaussianRows(testBatch, 0, c.nTest, Zt);
  const yt = new Float64Array(c.nTest);
  labels(Zt, c.nTest, d, tgt, yt);

  const M: Float64Array[] = [], Q: Float64Array[] = [], test: number[] = [], train: number[] = [];
  const record = async () => {
    // Q = W W^T/d in full for p <= FULL_Q (reported), else only its diagonal (length p): p^2 d work and p^2 numbers per
    // step and seed (also in a resumable run's seeds file) would dominate at large p
    const m = new Float64Array(p * k), q = new Float64Array(p <= FULL_Q ? p * p : p);
    for (let i = 0; i < p; i++) for (let r = 0; r < k; r++) m[i * k + r] = W[i * d + r]! / sqrtD; // W* rows = sqrt(d) e_r
    for (let i = 0; i < p; i++) for (let j = i; j < (p <= FULL_Q ? p : i + 1); j++) {
      let s = 0;
      for (let l = 0; l < d; l++) s += W[i * d + l]! * W[j * d + l]!;
      if (p <= FULL_Q) q[i * p + j] = q[j * p + i] = s / d; else q[i] = s / d;
    }
    M.push(m); Q.push(q);
    let se = 0;
    for (const [start, rows] of blocks(c.nTest, 8192)) {
      const H = (await backend.matmul(matrix(rows, d, Zt.subarray(start * d, (start + rows) * d)), matrix(p, d, W), { transB: true })).data;
      for (let r = 0; r < rows; r++) {
        let f = 0;
        for (let i = 0; i < p; i++) f += a[i]! * act.sigma(H[r * p + i]! / sqrtD);
        se += (yt[start + r]! - f) ** 2;
      }
    }
    test.push(se / c.nTest);
  };
  await record();
  for (let t = 1; t <= c.steps; t++) {
    const data = stepData(c, n, t, rep, pick);
    const acc = new Float64Array(p * d);
    let loss = 0;
    for (const [off, rows] of blocks(data.count, 8192)) {
      const start = data.start + off;
      let Z: Float32Array, y: Float64Array;
      if (cache && data.label === `reuse/rep=${rep}/train`) {
        Z = cache.Z.subarray(start * d, (start + rows) * d);
        y = cache.y.subarray(start, start + rows);
      } else {
        Z = new Float32Array(rows * d);
        gaussianRows({ seed: c.masterSeed, label: data.label, d, n: data.size }, start, rows, Z);
        y = new Float64Array(rows);
        labels(Z, rows, d, tgt, y);
      }
      const H = (await backend.matmul(matrix(rows, d, Z), matrix(p, d, W), { transB: true })).data;
      const G = new Float32Array(rows * p);
      for (let r = 0; r < rows; r++) {
        let f = 0;
        for (let i = 0; i < p; i++) f += a[i]! * act.sigma(H[r * p + i]! / sqrtD);
        const R = y[r]! - f;
        loss += R * R;
        for (let i = 0; i < p; i++) G[r * p + i] = R * a[i]! * act.sigmaPrime(H[r * p + i]! / sqrtD);
      }
      const D = (await backend.matmul(matrix(rows, p, G), matrix(rows, d, Z), { transA: true })).data;
      for (let j = 0; j < acc.length; j++) acc[j] += D[j]!;
    }
    train.push(loss / (2 * data.count));
    const decay = 1 - eta * c.weightDecay, scale = eta / sqrtD;
    for (let j = 0; j < W.length; j++) W[j] = decay * W[j]! + scale * acc[j]!;
    // the divergence rule of every simulator (src/simulations/divergence.ts): non-finite or beyond the bound
    const div = divergenceAt(t, { "training loss": loss / (2 * data.count), "|w_i|^2/d": rowSquaredNorms(W, p, d, d) });
    if (div) return { M, Q, test, train, a, divergence: div };
    await record();
    const late = divergenceAt(t, { "test MSE": test[test.length - 1]! });
    if (late) { M.pop(); Q.pop(); test.pop(); return { M, Q, test, train, a, divergence: late }; }
  }
  return { M, Q, test, train, a, divergence: null };
}
