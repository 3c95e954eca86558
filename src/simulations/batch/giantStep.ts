/**
 * Seed 001 (Dandi, Krzakala, Loureiro, Pesce, Stephan, "How two-layer neural networks learn, one (giant) step at a
 * time", arXiv 2305.18270; notes §3.2): a two-layer network f(z) = p^{-1/2} sum_i a_i sigma(<w_i, z>), W0 rows
 * N(0, I_d/d), second layer frozen, T full-batch gradient steps on the square loss (1/2n) sum (y - f)^2, each on a
 * FRESH batch of n samples, learning rate eta = Theta(p d^{(l-1)/2}) for n = Theta(d^l):
 *
 *   [preprocess: y <- y - mean(y) - Z b,  b = mean((y - mean y) z)]          (notes §6 item 6)
 *   R = y - sigma(Z W^T) a / sqrt(p);   W <- W + (eta/n) [(R a^T / sqrt(p)) . sigma'(Z W^T)]^T Z
 *
 * then a ridge refit of the second layer (with an unpenalised intercept) on a fresh batch, and test MSE on fresh
 * data, against the random-features (W0) and linear baselines fitted on the same refit batch.
 * The batch is streamed in blocks regenerated from the seed (src/tensors/data.ts), so n x d is never held whole.
 */
import { divergenceAt, rowSquaredNorms } from "../divergence.js";
import { countingFlops, type TensorBackend } from "../../tensors/backend.js";
import { blocks, gaussianBlock, type GaussianBatch } from "../../tensors/data.js";
import { checkMemory, f32Bytes, f64Bytes, matrix } from "../../tensors/matrix.js";
import { choleskySolve, choleskySolveBlocked, principalCosines, topRightSingular } from "../../tensors/ops.js";
import { InputError } from "../../link/errors.js";
import { inBasis, targetBasis, type TargetBasis } from "./basis.js";
import type { SeedHooks } from "./store.js";
import {
  checkBatchWork, checkSizes, firstLayer, labels, learningRate, activateBlock, matrixMeanSe, meanSe, reluSpec, secondLayer, stream, studentActivation, target,
  type Activation, type FirstLayerInit, type MeanSe, type SecondLayerInit, type Target,
} from "./common.js";

/**
 * Setting of a seed-001 run (Dandi et al. 2023, arXiv 2305.18270): T full-batch gradient steps of the first layer of a
 * width-p network on fresh batches of n samples in dimension d, then a ridge refit of the second layer on nRefit
 * samples and the test MSE on nTest, repeated over `seeds` replicates.
 */
export interface GiantStepConfig {
  readonly target: string;
  readonly activation: string;
  readonly d: number;
  readonly p: number;
  /** Batch size of each step. */
  readonly n: number;
  readonly steps: number;
  /** Learning-rate formula in n, p, d (default p*sqrt(n/d), i.e. eta0 = 1 in eta = eta0 p d^{(l-1)/2}). */
  readonly eta: string;
  readonly preprocess: boolean;
  /** Ridge penalty lambda in sum (y - F a - b)^2 + lambda |a|^2. */
  readonly ridge: number;
  readonly nRefit: number;
  readonly nTest: number;
  readonly secondLayer: SecondLayerInit;
  readonly init: FirstLayerInit;
  readonly seeds: number;
  readonly masterSeed: number;
  /** Rows per streamed block (rounded to a multiple of 256). */
  readonly blockRows?: number;
  /**
   * `index-lab` (default): W0 and a drawn per seed; ridge refit of the second layer with an unpenalised intercept on
   * a FRESH batch with the raw labels; test error on fresh data with nothing estimated from the test labels.
   * `notebook`: the protocol of the authors' notebook (lucpoisson/GiantStep, single_step/single_step.ipynb):
   * W0 and a drawn once for all seeds; the ridge refit (no intercept) on the TRAINING batch of the step, on the
   * preprocessed labels y - A - Z B (A = mean y, B = mean(y z) of that batch); the test prediction adds back
   * A_test + Z_test B_test estimated from the TEST labels themselves.
   */
  readonly protocol?: GiantStepProtocol;
}

/** How the seed-001 run is initialised, refitted and tested (see {@link GiantStepConfig.protocol}). */
export type GiantStepProtocol = "index-lab" | "notebook";

/**
 * Defaults of a seed-001 run: ReLU student, d = 256, p = 512, one step at eta = p sqrt(n/d) (eta0 = 1 in
 * eta = eta0 p d^{(l-1)/2}), preprocessing on, ridge lambda = 1, alternating second layer, random W0, 4 seeds.
 * The target, n and nRefit have no default.
 */
export const GIANT_STEP_DEFAULTS = {
  activation: "relu(z)", d: 256, p: 512, steps: 1, eta: "p*sqrt(n/d)", preprocess: true, ridge: 1, nTest: 8192,
  secondLayer: "alternating" as SecondLayerInit, init: "random" as FirstLayerInit, seeds: 4, masterSeed: 1,
};

export interface StepRecord {
  readonly t: number;
  /** M = W W*^T (p x k), rows of W and W* of unit norm on average (seed 001 normalisation). */
  readonly overlap: { mean: number[][]; se: number[][] };
  /** RMS over neurons of |P_{U*} w_i| / |w_i|. */
  readonly targetAlignment: MeanSe;
  /** RMS over neurons of the coordinates of M_i in the C_1-adapted basis of U* (names in summary.basisNames). */
  readonly basisRms: MeanSe[];
  /** Training loss (1/2n) sum R^2 of the batch used by step t + 1 (before its update); null after the last step. */
  readonly trainLoss: MeanSe | null;
}

export interface GiantStepSummary {
  readonly testMSE: MeanSe;
  readonly randomFeaturesMSE: MeanSe;
  readonly linearMSE: MeanSe;
  /** Var y on the test batch (the trivial, constant predictor). */
  readonly trivialMSE: MeanSe;
  /** Var g* - |C_1|^2 (best linear predictor in the population). */
  readonly linearBaselineTheory: number;
  /** Cosines of the principal angles between the top-k right singular space of W_T - W_0 and U* (descending). */
  readonly principalCosines: MeanSe[];
  /** Mean over neurons of |cos(w_i^T - w_i^0, u)| for u in the C_1-adapted basis of U* (names in basisNames). */
  readonly updateCosines: MeanSe[];
  readonly basisNames: string[];
  /** cos(Delta w_i, w*_r) per neuron and direction (p x k), mean and se over seeds (the quantity the authors plot). */
  readonly updateCosineMatrix: { mean: number[][]; se: number[][] };
}

export interface Divergence { readonly seed: number; readonly step: number; readonly reason: string }

/**
 * Outcome of a seed-001 run: per step t = 0..T the overlap M = W W*^T and the alignment with the target space (mean ± se
 * over seeds); after the refit the test MSE against the random-features, linear and trivial baselines and the
 * principal angles between the top singular space of W_T - W_0 and U* (null when every seed diverged); the diverged
 * seeds.
 */
export interface GiantStepResult {
  readonly experiment: "giant-step";
  readonly config: GiantStepConfig & { etaValue: number; k: number; normalisation: string; targetMoments: Target["moments"]; blockRows: number };
  readonly backend: { name: string; detail: string };
  readonly steps: StepRecord[];
  readonly summary: GiantStepSummary | null;
  readonly diverged: Divergence[];
  readonly seedsCompleted: number;
  readonly wallSeconds: number;
  /** Matrix-product work of this run (GFLOP, 2mkn per product) and its rate over the whole wall time (GFLOP/s). */
  readonly throughput: { readonly matmulGflop: number; readonly gflopPerSecond: number };
}

/** One seed's outcome (what a resumable run stores per finished seed; see store.ts). */
export interface SeedOutcome {
  readonly overlaps: Float64Array[];
  readonly alignment: number[];
  readonly trainLoss: number[];
  readonly divergence: { step: number; reason: string } | null;
  readonly test?: { mse: number; rf: number; lin: number; trivial: number; principal: number[]; updateCos: number[]; updateCosMatrix: Float64Array };
}

export type Progress = (message: string) => void;

/**
 * Result buffers of the backend's products reused across blocks, passes and seeds (MatmulOptions.out: onnxruntime
 * writes into them instead of allocating and copying out a result): the preactivations or features, the gradient
 * block, and the p x d and p x p products; and the float64 gradient accumulator and W - W0. Each is consumed before
 * the next product that reuses it.
 */
class Scratch {
  private readonly buffers = new Map<string, Float32Array>();
  private readonly buffers64 = new Map<string, Float64Array>();
  /** A buffer of at least `length` floats for `what` (grown when too small; its contents are not kept). */
  get(what: "H" | "G" | "D" | "FtF", length: number): Float32Array {
    let b = this.buffers.get(what);
    if (!b || b.length < length) { b = new Float32Array(length); this.buffers.set(what, b); }
    return b.length === length ? b : b.subarray(0, length);
  }
  /** A float64 buffer of exactly `length` entries for `what`, NOT zeroed (its contents are those of its last use). */
  get64(what: "acc" | "dW", length: number): Float64Array {
    let b = this.buffers64.get(what);
    if (!b || b.length < length) { b = new Float64Array(length); this.buffers64.set(what, b); }
    return b.length === length ? b : b.subarray(0, length);
  }
}

/**
 * Scratch sets of finished runs, reused by the next run in this process (a run takes one and gives it back when it
 * ends, so runs that overlap in time never share one): a run at d = 512, p = 1024 otherwise allocates and zeroes
 * about 60 MB of fresh buffers, and the garbage collector's threads then spend about as much CPU time freeing them.
 * At most two sets are kept.
 */
const idleScratch: Scratch[] = [];
const takeScratch = (): Scratch => idleScratch.pop() ?? new Scratch();
const giveBackScratch = (s: Scratch): void => { if (idleScratch.length < 2) idleScratch.push(s); };

/** Step 1's batch, its label moments (null without preprocessing) and, in the notebook protocol, its preprocessed labels. */
interface FirstBatch { readonly batch: GaussianBatch; readonly pre: { mean: number; b: Float64Array } | null; readonly y?: Float64Array }

export function defaultBlockRows(d: number, p: number): number {
  return Math.max(256, Math.min(16384, Math.round(2 ** 23 / Math.max(d, p) / 256) * 256));
}

/** Memory of one run, estimated before anything is allocated (InputError with the itemised estimate if too big). */
export function giantStepMemory(c: { d: number; p: number; k?: number; blockRows: number }): void {
  const { d, p, blockRows: B } = c;
  checkMemory([
    { what: "data block Z", bytes: f32Bytes(B, d) },
    { what: "preactivation blocks (H, sigma, sigma', gradient)", bytes: 4 * f32Bytes(B, p) + 2 * f32Bytes(B, p) },
    { what: "weights W, W0 and gradient products", bytes: 4 * f32Bytes(p, d) },
    { what: "float64 gradient accumulator and W - W0", bytes: 2 * f64Bytes(p, d) },
    { what: "ridge Gram matrices", bytes: 2 * f64Bytes(p + 1, p + 1) + f64Bytes(d + 1, d + 1) },
  ]);
}

export function validateGiantStep(c: GiantStepConfig): void {
  checkSizes({ "--d": c.d, "--p": c.p, "--n": c.n, "--steps": c.steps, "--seeds": c.seeds, "--n-refit": c.nRefit, "--n-test": c.nTest });
  if (!(c.ridge >= 0) || !Number.isFinite(c.ridge)) throw new InputError(`--ridge must be a finite number >= 0, got ${c.ridge}`);
  if (c.d < 2) throw new InputError(`--d must be at least 2, got ${c.d}`);
}

/**
 * One (giant) step at a time (Dandi et al. 2023, arXiv 2305.18270; notes §3.2): for each seed, T full-batch gradient
 * steps on fresh batches streamed through `backend`, then the ridge refit of the second layer and the test MSE against
 * the random-features and linear baselines. Seeds in `hooks.done` are read back, not recomputed; a seed whose loss or
 * weights become non-finite is reported in `diverged`.
 * @throws InputError for sizes that are not positive integers, d < 2 or d <= k, a negative or non-finite ridge, a
 *   target or activation that does not parse or cannot be used, a non-positive learning rate, or a run that exceeds
 *   the memory budget.
 */
export async function simulateGiantStep(
  c: GiantStepConfig, backend: TensorBackend, progress: Progress = () => {}, hooks: SeedHooks<SeedOutcome> = {},
): Promise<GiantStepResult> {
  validateGiantStep(c);
  const t0 = performance.now();
  const counter = countingFlops(backend);
  backend = counter.backend;
  const tgt = target(c.target);
  const act = studentActivation(c.activation);
  if (tgt.k >= c.d) throw new InputError(`d = ${c.d} must exceed the number of target directions k = ${tgt.k}`);
  const etaValue = learningRate(c.eta, { n: c.n, p: c.p, d: c.d });
  const blockRows = c.blockRows ?? defaultBlockRows(c.d, c.p);
  giantStepMemory({ d: c.d, p: c.p, blockRows });
  checkBatchWork(c); // the time it would take, before anything runs
  const basis = targetBasis(tgt.moments.c1);
  const outcomes: SeedOutcome[] = [];
  const diverged: Divergence[] = [];
  const resumed = [...(hooks.done?.keys() ?? [])].filter((s) => s < c.seeds).length;
  const scratch = takeScratch();
  try {
  for (let s = 0; s < c.seeds; s++) {
    // a seed finished by an earlier (interrupted) run is read back: its streams depend on (master seed, s) only
    const earlier = hooks.done?.get(s);
    const o = earlier ?? await runSeed(c, tgt, act, etaValue, basis, backend, blockRows, s, (m) => progress(`seed ${s + 1}/${c.seeds}${resumed ? ` (${resumed} resumed)` : ""}: ${m}`), scratch);
    if (!earlier) hooks.onSeed?.(s, o);
    outcomes.push(o);
    if (o.divergence) diverged.push({ seed: s, ...o.divergence });
  }
  } finally { giveBackScratch(scratch); }
  const k = tgt.k;
  const steps: StepRecord[] = [];
  for (let t = 0; t <= c.steps; t++) {
    const alive = outcomes.filter((o) => o.overlaps.length > t);
    if (!alive.length) break;
    steps.push({
      t,
      overlap: matrixMeanSe(alive.map((o) => o.overlaps[t]!), c.p, k),
      targetAlignment: meanSe(alive.map((o) => o.alignment[t]!)),
      basisRms: Array.from({ length: k }, (_, r) => meanSe(alive.map((o) => basisRmsOf(o.overlaps[t]!, basis, c.p, k)[r]!))),
      trainLoss: t < c.steps ? meanSe(alive.filter((o) => o.trainLoss.length > t).map((o) => o.trainLoss[t]!)) : null,
    });
  }
  const done = outcomes.filter((o) => o.test);
  const summary: GiantStepSummary | null = done.length ? {
    testMSE: meanSe(done.map((o) => o.test!.mse)),
    randomFeaturesMSE: meanSe(done.map((o) => o.test!.rf)),
    linearMSE: meanSe(done.map((o) => o.test!.lin)),
    trivialMSE: meanSe(done.map((o) => o.test!.trivial)),
    linearBaselineTheory: tgt.moments.linearBaseline,
    principalCosines: Array.from({ length: k }, (_, r) => meanSe(done.map((o) => o.test!.principal[r]!))),
    updateCosines: Array.from({ length: k }, (_, r) => meanSe(done.map((o) => o.test!.updateCos[r]!))),
    basisNames: basis.names,
    updateCosineMatrix: matrixMeanSe(done.map((o) => o.test!.updateCosMatrix), c.p, k),
  } : null;
  return {
    experiment: "giant-step",
    config: {
      ...c, etaValue, k, blockRows, targetMoments: tgt.moments,
      normalisation: "seed 001: f = p^{-1/2} sum a_i sigma(<w_i,z>), W0 rows N(0, I/d), W* = first k axes (orthonormal), overlap M = W W*^T; loss (1/2n) sum (y-f)^2; ridge objective sum (y - F a - b)^2 + lambda |a|^2 with F = sigma(Z W^T)/sqrt(p) and unpenalised intercept b",
    },
    backend: { name: backend.name, detail: backend.detail },
    steps, summary, diverged, seedsCompleted: done.length,
    wallSeconds: (performance.now() - t0) / 1000,
    throughput: { matmulGflop: counter.flops() / 1e9, gflopPerSecond: counter.flops() / 1e9 / ((performance.now() - t0) / 1000) },
  };
}

async function runSeed(
  c: GiantStepConfig, tgt: Target, act: Activation, eta: number, basis: TargetBasis, backend: TensorBackend,
  blockRows: number, rep: number, progress: Progress, scratch: Scratch = new Scratch(),
): Promise<SeedOutcome> {
  const { d, p } = c, k = tgt.k;
  const duplicate = c.secondLayer === "symmetric";
  const notebook = c.protocol === "notebook";
  // the notebook draws W0 and a once, before its loop over seeds: every seed then shares replicate 0's init streams
  const initRep = notebook ? 0 : rep;
  const a = secondLayer(c.secondLayer, p, 1 / Math.sqrt(p), stream(c.masterSeed, "giant/a", initRep));
  const W0 = firstLayer(p, d, k, 1 / Math.sqrt(d), c.init, duplicate, stream(c.masterSeed, "giant/W0", initRep));
  const W = Float32Array.from(W0);
  const overlaps: Float64Array[] = [overlapOf(W, p, d, k)];
  const alignment: number[] = [alignmentOf(W, p, d, k)];
  const trainLoss: number[] = [];
  let firstBatch: FirstBatch | null = null;
  const aOverSqrtP = Float64Array.from(a, (x) => x / Math.sqrt(p));
  const relu = reluSpec(act);
  for (let t = 1; t <= c.steps; t++) {
    const batch: GaussianBatch = { seed: c.masterSeed, label: `giant/rep=${rep}/train/step=${t}`, d, n: c.n };
    progress(`step ${t}/${c.steps}`);
    const pre = c.preprocess ? await labelMoments(batch, tgt, blockRows, notebook) : null;
    // the notebook refits on step 1's batch with the same preprocessed labels: kept from this pass (8n bytes)
    const keep = t === 1 && notebook && pre ? new Float64Array(c.n) : undefined;
    if (t === 1) firstBatch = { batch, pre, y: keep };
    const acc = scratch.get64("acc", p * d);
    acc.fill(0);
    let loss = 0;
    for (const [start, rows] of blocks(c.n, blockRows)) {
      const Z = gaussianBlock(batch, start, rows);
      const y = new Float64Array(rows);
      labels(Z, rows, d, tgt, y);
      if (pre) preprocessLabels(Z, rows, d, pre, y);
      keep?.set(y, start);
      const H = (await backend.matmul(matrix(rows, d, Z), matrix(p, d, W), { transB: true, out: scratch.get("H", rows * p) })).data;
      const G = scratch.get("G", rows * p); // every entry written below
      if (relu) {
        // the same arithmetic, in the same order, as the closure loop below, without a call per element
        loss = reluGradient(H, y, aOverSqrtP, relu.primeAtZero, rows, p, G, loss);
      } else {
        for (let r = 0; r < rows; r++) {
          let f = 0;
          for (let i = 0; i < p; i++) f += aOverSqrtP[i]! * act.sigma(H[r * p + i]!);
          const R = y[r]! - f;
          loss += R * R;
          for (let i = 0; i < p; i++) G[r * p + i] = R * aOverSqrtP[i]! * act.sigmaPrime(H[r * p + i]!);
        }
      }
      const D = (await backend.matmul(matrix(rows, p, G), matrix(rows, d, Z), { transA: true, out: scratch.get("D", p * d) })).data;
      addInto(acc, D);
    }
    trainLoss.push(loss / (2 * c.n));
    const scale = eta / c.n;
    addScaled(W, scale, acc);
    // a NaN/Inf anywhere in the loss or the new weights: the run diverged at this step
    // the divergence rule of every simulator (src/simulations/divergence.ts): non-finite or beyond the bound
    const div = divergenceAt(t, { "training loss": loss / (2 * c.n), "|w_i|^2": rowSquaredNorms(W, p, d) });
    if (div) return { overlaps, alignment, trainLoss, divergence: div };
    overlaps.push(overlapOf(W, p, d, k));
    alignment.push(alignmentOf(W, p, d, k));
  }
  progress("ridge refit and test");
  const test = notebook
    ? await refitAndTestNotebook(c, tgt, act, W, blockRows, rep, backend, firstBatch!, scratch)
    : await refitAndTest(c, tgt, act, W, W0, blockRows, rep, backend);
  const dW = scratch.get64("dW", p * d); // every entry written here
  difference(W, W0, dW);
  const { vectors } = topRightSingular(dW, p, d, k);
  const axes = new Float64Array(k * d);
  for (let r = 0; r < k; r++) axes[r * d + r] = 1;
  const principal = principalCosines(vectors, axes, k, d);
  const updateCosMatrix = new Float64Array(p * k);
  const updateCos = new Array<number>(k).fill(0);
  const norms = rowNorms(dW, p, d);
  for (let i = 0; i < p; i++) {
    const norm = norms[i]!;
    const m = Array.from({ length: k }, (_, r) => dW[i * d + r]! / norm);
    m.forEach((v, r) => { updateCosMatrix[i * k + r] = v; });
    inBasis(m, basis, k).forEach((v, r) => { updateCos[r] += Math.abs(v) / p; });
  }
  const late = divergenceAt(c.steps, { "test MSE after the refit": test.mse });
  if (late) return { overlaps, alignment, trainLoss, divergence: late };
  return { overlaps, alignment, trainLoss, divergence: null, test: { ...test, principal, updateCos, updateCosMatrix } };
}

/*
 * The per-element loops of a step, as small synchronous functions: in the async functions that await the backend
 * between them, these loops ran 2-10x slower (unoptimised or on-stack-replaced code in a function entered once per
 * run; a profile at d = 512, p = 1024, n = 3326 gave 20 ns an element for W - W0). Same arithmetic, same order.
 */

/** y[r] <- y[r] - mean - <z_r, b> for the rows of a block (the preprocessing of the labels). */
function preprocessLabels(Z: Float32Array, rows: number, d: number, pre: { mean: number; b: Float64Array }, y: Float64Array): void {
  const b = pre.b, mean = pre.mean;
  for (let r = 0; r < rows; r++) { let zb = 0; for (let l = 0; l < d; l++) zb += Z[r * d + l]! * b[l]!; y[r] = y[r]! - mean - zb; }
}

/**
 * ReLU network on a block of preactivations H (rows x p): residuals R = y - sum_i a_i relu(h_i) / sqrt(p), gradient
 * block G = R a_i relu'(h_i) / sqrt(p); returns `loss` plus the sum of R^2 (added row by row, in order). Branch-free:
 * h * (h > 0) is h or 0 and NaN for NaN; the sign of Gaussian preactivations is a coin flip, which a branch
 * mispredicts half the time (7-10 ns an element against 1.6-2.1 measured). The same arithmetic, in the same order, as
 * the closure loop of runSeed.
 */
function reluGradient(H: Float32Array, y: Float64Array, aOverSqrtP: Float64Array, p0: number, rows: number, p: number, G: Float32Array, loss: number): number {
  for (let r = 0; r < rows; r++) {
    const o = r * p;
    let f = 0;
    for (let i = 0; i < p; i++) { const h = H[o + i]!; f += aOverSqrtP[i]! * (h * +(h > 0)); }
    const R = y[r]! - f;
    loss += R * R;
    // sigma'(0) = 0: +(h > 0) + 0 * +(h === 0) is +(h > 0) exactly, so the same values
    if (p0 === 0) for (let i = 0; i < p; i++) G[o + i] = R * aOverSqrtP[i]! * +(H[o + i]! > 0);
    else for (let i = 0; i < p; i++) { const h = H[o + i]!; G[o + i] = R * aOverSqrtP[i]! * (+(h > 0) + p0 * +(h === 0)); }
  }
  return loss;
}

/** acc[j] += D[j]. */
function addInto(acc: Float64Array, D: Float32Array): void {
  for (let j = 0; j < acc.length; j++) acc[j] += D[j]!;
}

/** W[j] += scale * acc[j] (rounded to float32). */
function addScaled(W: Float32Array, scale: number, acc: Float64Array): void {
  for (let j = 0; j < acc.length; j++) W[j] += scale * acc[j]!;
}

/** out[j] <- W[j] - W0[j] in float64. */
function difference(W: Float32Array, W0: Float32Array, out: Float64Array): void {
  for (let j = 0; j < out.length; j++) out[j] = W[j]! - W0[j]!;
}

/** Euclidean norm of each row of A (p x d), 1 for a zero row. */
function rowNorms(A: Float64Array, p: number, d: number): Float64Array {
  const out = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let norm = 0;
    for (let l = 0; l < d; l++) norm += A[i * d + l]! ** 2;
    out[i] = Math.sqrt(norm) || 1;
  }
  return out;
}

/**
 * Sums of a block for the label moments: syz[l] += y_r z_rl (and, unless `raw`, sz[l] += z_rl), row by row; returns
 * sy plus the labels' sum. The raw moments (the notebook's b = mean(y z)) need no column sums of Z.
 */
function momentSums(Z: Float32Array, y: Float64Array, rows: number, d: number, raw: boolean, syz: Float64Array, sz: Float64Array, sy: number): number {
  for (let r = 0; r < rows; r++) {
    const yr = y[r]!, o = r * d;
    sy += yr;
    if (raw) for (let l = 0; l < d; l++) syz[l] += yr * Z[o + l]!;
    else for (let l = 0; l < d; l++) { const z = Z[o + l]!; syz[l] += yr * z; sz[l] += z; }
  }
  return sy;
}

/**
 * The test sums of a block (index-lab protocol), added row by row into sums = [sum (y - f_learned)^2,
 * sum (y - f_rf)^2, sum (y - f_linear)^2, sum y, sum y^2]; each fit's last coefficient is its intercept.
 */
function testSums(
  Z: Float32Array, FL: Float32Array, FR: Float32Array, y: Float64Array, aL: Float64Array, aR: Float64Array, aZ: Float64Array,
  rows: number, d: number, p: number, sums: Float64Array,
): void {
  let se = sums[0]!, seR = sums[1]!, seZ = sums[2]!, sy = sums[3]!, syy = sums[4]!;
  for (let r = 0; r < rows; r++) {
    let fL = aL[p]!, fR = aR[p]!, fZ = aZ[d]!;
    for (let i = 0; i < p; i++) { fL += aL[i]! * FL[r * p + i]!; fR += aR[i]! * FR[r * p + i]!; }
    for (let l = 0; l < d; l++) fZ += aZ[l]! * Z[r * d + l]!;
    const yr = y[r]!;
    se += (yr - fL) ** 2; seR += (yr - fR) ** 2; seZ += (yr - fZ) ** 2; sy += yr; syy += yr * yr;
  }
  sums[0] = se; sums[1] = seR; sums[2] = seZ; sums[3] = sy; sums[4] = syy;
}

/**
 * The notebook's test sums of a block, added row by row into sums = [sum (y - f)^2, sum (y - lin)^2, sum y, sum y^2]
 * with lin = A_t + <z, B_t> and f = lin + sum_i a_i F_i.
 */
function notebookTestSums(
  Z: Float32Array, F: Float32Array, y: Float64Array, tpre: { mean: number; b: Float64Array }, aL: Float64Array, rows: number, d: number, p: number, sums: Float64Array,
): void {
  let se = sums[0]!, seZ = sums[1]!, sy = sums[2]!, syy = sums[3]!;
  const b = tpre.b;
  for (let r = 0; r < rows; r++) {
    let lin = tpre.mean;
    for (let l = 0; l < d; l++) lin += Z[r * d + l]! * b[l]!;
    let fL = lin;
    for (let i = 0; i < p; i++) fL += aL[i]! * F[r * p + i]!;
    const yr = y[r]!;
    se += (yr - fL) ** 2; seZ += (yr - lin) ** 2; sy += yr; syy += yr * yr;
  }
  sums[0] = se; sums[1] = seZ; sums[2] = sy; sums[3] = syy;
}

function basisRmsOf(M: Float64Array, basis: TargetBasis, p: number, k: number): number[] {
  const acc = new Array<number>(k).fill(0);
  for (let i = 0; i < p; i++) inBasis(M.subarray(i * k, i * k + k), basis, k).forEach((v, r) => { acc[r] += (v * v) / p; });
  return acc.map(Math.sqrt);
}

function overlapOf(W: Float32Array, p: number, d: number, k: number): Float64Array {
  const M = new Float64Array(p * k);
  for (let i = 0; i < p; i++) for (let r = 0; r < k; r++) M[i * k + r] = W[i * d + r]!;
  return M;
}

function alignmentOf(W: Float32Array, p: number, d: number, k: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) {
    let all = 0, inside = 0;
    for (let l = 0; l < d; l++) { const w = W[i * d + l]!; all += w * w; if (l < k) inside += w * w; }
    s += all > 0 ? inside / all : 0;
  }
  return Math.sqrt(s / p);
}

/**
 * Pass 1 of the preprocessing: mean(y) and b = mean((y - mean y) z) over the whole batch (streamed); `raw`: the
 * notebook's b = mean(y z), without centring y.
 */
async function labelMoments(batch: GaussianBatch, tgt: Target, blockRows: number, raw = false): Promise<{ mean: number; b: Float64Array }> {
  const { d, n } = batch;
  let sy = 0;
  const syz = new Float64Array(d), sz = new Float64Array(d);
  for (const [start, rows] of blocks(n, blockRows)) {
    const Z = gaussianBlock(batch, start, rows);
    const y = new Float64Array(rows);
    labels(Z, rows, d, tgt, y);
    sy = momentSums(Z, y, rows, d, raw, syz, sz, sy);
  }
  const mean = sy / n;
  return { mean, b: Float64Array.from(syz, (v, l) => (raw ? v : v - mean * sz[l]!) / n) };
}

/** Normal equations of a ridge fit with an unpenalised intercept, accumulated block by block. */
class RidgeAccumulator {
  readonly m: number;
  readonly gram: Float64Array;
  readonly rhs: Float64Array;
  /** Without intercept the last coordinate stays 0 and is pinned by a huge penalty (the solution is the plain ridge). */
  /** Column sums of F (the gram's last column), kept contiguous while rows are added and written into it by solve. */
  private readonly colSum: Float64Array;
  constructor(features: number, readonly intercept = true) {
    this.m = features + 1; this.gram = new Float64Array(this.m * this.m); this.rhs = new Float64Array(this.m); this.colSum = new Float64Array(features);
  }
  /** Add rows F (rows x features) with labels y; FtF is F^T F for these rows (features x features). */
  add(F: Float32Array, FtF: Float32Array, y: Float64Array, rows: number): void {
    const q = this.m - 1, m = this.m, col = this.colSum, rhs = this.rhs, gram = this.gram;
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) gram[i * m + j] += FtF[i * q + j]!;
    // the column sums in a contiguous array (the same sums in the same order as into the gram's column, whose stride of
    // m doubles missed the cache on every row: 80 -> a few CPU-ms at n = 3326, p = 1024)
    for (let r = 0; r < rows; r++) {
      const yr = y[r]!, o = r * q;
      for (let i = 0; i < q; i++) { const f = F[o + i]!; col[i] += f; rhs[i] += f * yr; }
      rhs[q] += yr;
    }
    this.gram[q * m + q] += rows;
  }
  /** The ridge solution, by the blocked Cholesky when the backend has a float64 product (ops.ts), else in JavaScript. */
  solve(lambda: number, backend?: TensorBackend): Promise<Float64Array> | Float64Array {
    const m = this.m;
    for (let i = 0; i < m - 1; i++) { this.gram[i * m + m - 1] = this.colSum[i]!; this.gram[(m - 1) * m + i] = this.colSum[i]!; }
    const penalty = new Float64Array(m).fill(lambda);
    penalty[m - 1] = 0;
    if (!this.intercept) {
      // drop the intercept: zero its row and column and put 1 on the diagonal, so that b = rhs = 0
      for (let i = 0; i < m; i++) { this.gram[i * m + m - 1] = 0; this.gram[(m - 1) * m + i] = 0; }
      this.gram[(m - 1) * m + m - 1] = 1; this.rhs[m - 1] = 0;
    }
    // a tiny relative jitter keeps lambda = 0 (least squares) solvable when features are collinear
    const jitter = 1e-10 * Math.max(...Array.from({ length: m }, (_, i) => this.gram[i * m + i]!));
    for (let i = 0; i < m - 1; i++) penalty[i] = Math.max(penalty[i]!, jitter);
    return backend?.productF64 ? choleskySolveBlocked(this.gram, this.rhs, m, penalty, backend.productF64) : choleskySolve(this.gram, this.rhs, m, penalty);
  }
}

async function refitAndTest(
  c: GiantStepConfig, tgt: Target, act: Activation, W: Float32Array, W0: Float32Array, blockRows: number, rep: number, backend: TensorBackend,
): Promise<{ mse: number; rf: number; lin: number; trivial: number }> {
  const { d, p } = c;
  const invSqrtP = 1 / Math.sqrt(p);
  const features = async (Z: Float32Array, rows: number, Wm: Float32Array) => {
    const H = (await backend.matmul(matrix(rows, d, Z), matrix(p, d, Wm), { transB: true })).data;
    activateBlock(act, H, invSqrtP);
    return H;
  };
  const learned = new RidgeAccumulator(p), rf = new RidgeAccumulator(p), lin = new RidgeAccumulator(d);
  const refit: GaussianBatch = { seed: c.masterSeed, label: `giant/rep=${rep}/refit`, d, n: c.nRefit };
  for (const [start, rows] of blocks(c.nRefit, blockRows)) {
    const Z = gaussianBlock(refit, start, rows);
    const y = new Float64Array(rows);
    labels(Z, rows, d, tgt, y);
    for (const [acc, Wm] of [[learned, W], [rf, W0]] as const) {
      const F = await features(Z, rows, Wm);
      const FtF = (await backend.matmul(matrix(rows, p, F), matrix(rows, p, F), { transA: true })).data;
      acc.add(F, FtF, y, rows);
    }
    const ZtZ = (await backend.matmul(matrix(rows, d, Z), matrix(rows, d, Z), { transA: true })).data;
    lin.add(Z, ZtZ, y, rows);
  }
  const [aL, aR, aZ] = [await learned.solve(c.ridge, backend), await rf.solve(c.ridge, backend), await lin.solve(c.ridge, backend)];
  const test: GaussianBatch = { seed: c.masterSeed, label: `giant/rep=${rep}/test`, d, n: c.nTest };
  const sums = new Float64Array(5); // squared errors of the learned, random-features and linear fits, sum y, sum y^2
  for (const [start, rows] of blocks(c.nTest, blockRows)) {
    const Z = gaussianBlock(test, start, rows);
    const y = new Float64Array(rows);
    labels(Z, rows, d, tgt, y);
    const FL = await features(Z, rows, W), FR = await features(Z, rows, W0);
    testSums(Z, FL, FR, y, aL, aR, aZ, rows, d, p, sums);
  }
  const n = c.nTest, [se, seR, seZ, sy, syy] = sums as unknown as [number, number, number, number, number];
  return { mse: se / n, rf: seR / n, lin: seZ / n, trivial: syy / n - (sy / n) ** 2 };
}

/**
 * The notebook's refit and test (lucpoisson/GiantStep, single_step.ipynb, cell "Learning curve construction"):
 * ridge w = argmin |y~ - X w / sqrt(p)|^2 + lambda |w|^2 without intercept on the TRAINING batch of the step, with
 * y~ = y - A - Z B its preprocessed labels; test prediction A_t + Z_t B_t + X_t w / sqrt(p) with A_t = mean(y_t),
 * B_t = mean(y_t z_t) computed from the TEST labels. "linear" is A_t + Z_t B_t alone; the notebook fits no
 * random-features baseline, and neither does this protocol (it would double the cost): rf is NaN.
 */
async function refitAndTestNotebook(
  c: GiantStepConfig, tgt: Target, act: Activation, W: Float32Array, blockRows: number, rep: number, backend: TensorBackend,
  first: FirstBatch, scratch: Scratch,
): Promise<{ mse: number; rf: number; lin: number; trivial: number }> {
  const { d, p } = c;
  const invSqrtP = 1 / Math.sqrt(p);
  // one features block alive at a time here (refit, then test): the preactivation scratch serves both
  const features = async (Z: Float32Array, rows: number, Wm: Float32Array) => {
    const H = (await backend.matmul(matrix(rows, d, Z), matrix(p, d, Wm), { transB: true, out: scratch.get("H", rows * p) })).data;
    activateBlock(act, H, invSqrtP);
    return H;
  };
  const pre = first.pre ?? await labelMoments(first.batch, tgt, blockRows, true);
  const learned = new RidgeAccumulator(p, false);
  for (const [start, rows] of blocks(first.batch.n, blockRows)) {
    const Z = gaussianBlock(first.batch, start, rows);
    let y: Float64Array;
    if (first.y) y = first.y.subarray(start, start + rows); // the values the lines below would compute
    else {
      y = new Float64Array(rows);
      labels(Z, rows, d, tgt, y);
      preprocessLabels(Z, rows, d, pre, y);
    }
    const F = await features(Z, rows, W);
    const FtF = (await backend.matmul(matrix(rows, p, F), matrix(rows, p, F), { transA: true, out: scratch.get("FtF", p * p) })).data;
    learned.add(F, FtF, y, rows);
  }
  const aL = await learned.solve(c.ridge, backend);
  const test: GaussianBatch = { seed: c.masterSeed, label: `giant/rep=${rep}/test`, d, n: c.nTest };
  const tpre = await labelMoments(test, tgt, blockRows, true);
  const sums = new Float64Array(4); // squared errors of the network and of the linear part, sum y, sum y^2
  for (const [start, rows] of blocks(c.nTest, blockRows)) {
    const Z = gaussianBlock(test, start, rows);
    const y = new Float64Array(rows);
    labels(Z, rows, d, tgt, y);
    const FL = await features(Z, rows, W);
    notebookTestSums(Z, FL, y, tpre, aL, rows, d, p, sums);
  }
  const n = c.nTest, [se, seZ, sy, syy] = sums as unknown as [number, number, number, number];
  return { mse: se / n, rf: NaN, lin: seZ / n, trivial: syy / n - (sy / n) ** 2 };
}
