/**
 * Pieces shared by the giant-step (seed 001) and batch-reuse (seed 002) simulators: the target and its Gaussian
 * moments, the student activation, learning-rate formulas in (n, p, d), second-layer and first-layer
 * initialisations, and mean / standard-error summaries over seeds.
 *
 * Target directions: W* is taken to be the first k coordinate axes (scaled to the paper's normalisation). The data
 * are isotropic Gaussian and every initialisation is rotation invariant, so this is equal in law to a random
 * orthonormal W* and saves a k x d product per block.
 */
import { parseLink, type Link } from "../../link/link.js";
import { parseExpression } from "../../link/parse.js";
import { compilePositional } from "../../link/compile.js";
import { InputError } from "../../link/errors.js";
import { gaussHermite } from "../../numeric/gaussHermite.js";
import { gaussLegendre, type Rule } from "../../numeric/gaussLegendre.js";
import { activation as parseActivation, type Activation } from "../model.js";
import { Xoshiro128 } from "../../numeric/xoshiro.js";
import { meanSe, type MeanSe } from "../../numeric/statistics.js";

export { meanSe, type MeanSe };

export type { Activation };

export interface TargetMoments {
  /** E[g*(h*)] */
  readonly mean: number;
  /** E[g*(h*)^2] */
  readonly secondMoment: number;
  /** C_1 = E[g*(h*) h*] in R^k (the first-Hermite / linear direction; notes §1.6). */
  readonly c1: number[];
  /** Var g* - |C_1|^2: test MSE of the best linear predictor (notes §3.2 claim 5). */
  readonly linearBaseline: number;
  /** How the moments were computed. */
  readonly method: string;
}

export interface Target {
  readonly source: string;
  readonly link: Link;
  /** Number of relevant directions k. */
  readonly k: number;
  readonly moments: TargetMoments;
}

/** Gauss–Hermite nodes per axis for the tensor rule, by dimension (exact for polynomials of degree < 2 * nodes). */
const GH_NODES = [0, 80, 60, 24, 12] as const;

/**
 * Composite Gauss–Legendre rule for N(0, 1) on [-10, 10] (tail mass 1.5e-23): 60 panels of 8 nodes, weights times
 * the normal density. Used for k <= 2, where Gauss–Hermite converges slowly on links that are steep along a
 * curve (tanh(z1 + He3(z2)): 60-node GH gives C_1 = (0.35912, -0.29791), 0.16 degrees off the true
 * (0.3576620530, -0.2984198111) [scipy composite quadrature, 1e-12]; this rule agrees to 5e-13).
 */
function compositeNormalRule(): Rule {
  const gl = gaussLegendre(8), panels = 60, L = 10, h = L / panels;
  const nodes = new Float64Array(panels * 8), weights = new Float64Array(panels * 8);
  for (let p = 0; p < panels; p++) {
    const mid = -L + (2 * p + 1) * h;
    for (let j = 0; j < 8; j++) {
      const x = mid + h * gl.nodes[j]!;
      nodes[p * 8 + j] = x;
      weights[p * 8 + j] = h * gl.weights[j]! * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }
  }
  return { nodes, weights };
}

/** Targets parsed in this process, by source text (the runs and seeds of a preset share theirs; at most 64 kept). */
const targets = new Map<string, Target>();

/** Parse a target link (single- or multi-index) and compute its moments under N(0, I_k). */
export function target(source: string): Target {
  const known = targets.get(source);
  if (known) return known;
  const link = parseLink(source);
  const k = link.dimension;
  if (k > 8) throw new InputError(`at most 8 target directions are supported, '${source}' uses ${k}`);
  const t: Target = { source, link, k, moments: targetMoments(link) };
  if (targets.size >= 64) targets.clear();
  targets.set(source, t);
  return t;
}

/**
 * E[g], E[g^2], E[g h*] by a tensor product rule: composite Gauss–Legendre (480 nodes per axis) for k <= 2,
 * Gauss–Hermite for k = 3, 4 (symmetric nodes in both: odd moments of even functions vanish to rounding); by
 * seeded Monte Carlo with 2^20 points for k > 4.
 */
export function targetMoments(link: Link): TargetMoments {
  const k = link.dimension;
  let m0 = 0, m2 = 0;
  const c1 = new Array<number>(k).fill(0);
  const z = new Float64Array(k);
  let method: string;
  if (k <= 4) {
    const rule = k <= 2 ? compositeNormalRule() : gaussHermite(GH_NODES[k]!);
    const q = rule.nodes.length;
    const idx = new Array<number>(k).fill(0);
    for (let total = q ** k, c = 0; c < total; c++) {
      let w = 1;
      for (let r = 0; r < k; r++) { z[r] = rule.nodes[idx[r]!]!; w *= rule.weights[idx[r]!]!; }
      const y = link.g(z);
      m0 += w * y; m2 += w * y * y;
      for (let r = 0; r < k; r++) c1[r] += w * y * z[r]!;
      for (let r = 0; r < k; r++) { if (++idx[r]! < q) break; idx[r] = 0; }
    }
    method = k <= 2 ? "tensor composite Gauss-Legendre on [-10, 10], 60 panels x 8 nodes per axis" : `tensor Gauss-Hermite, ${GH_NODES[k]} nodes per axis`;
  } else {
    const rng = Xoshiro128.forKey({ masterSeed: 0, configuration: `moments/${link.text}`, replicate: 0 });
    const N = 2 ** 20;
    for (let s = 0; s < N; s++) {
      for (let r = 0; r < k; r++) z[r] = rng.normal();
      const y = link.g(z);
      m0 += y / N; m2 += (y * y) / N;
      for (let r = 0; r < k; r++) c1[r] += (y * z[r]!) / N;
    }
    method = "Monte Carlo, 2^20 points (seeded)";
  }
  for (let r = 0; r < k; r++) if (Math.abs(c1[r]!) < 1e-12 * Math.max(1, Math.sqrt(m2))) c1[r] = 0;
  if (!Number.isFinite(m2)) throw new InputError(`the target '${link.source}' has no finite second moment under N(0, I)`);
  const c1sq = c1.reduce((s, v) => s + v * v, 0);
  return { mean: m0, secondMoment: m2, c1, linearBaseline: Math.max(0, m2 - m0 * m0 - c1sq), method };
}

/** The student activation and its a.e. derivative; refuses activations whose derivative cannot be evaluated. */
export function studentActivation(source: string): Activation {
  const act = parseActivation(source);
  for (const z of [-1.3, -0.2, 0.4, 2.1]) {
    if (!Number.isFinite(act.sigmaPrime(z))) {
      throw new InputError(`the activation '${source}' has no usable derivative (sigma'(${z}) is not finite); gradient steps need sigma'`);
    }
  }
  // sign, step and other piecewise-constant activations: sigma' = 0 almost everywhere, so no gradient ever flows
  const probes = Array.from({ length: 41 }, (_, i) => -4 + 0.2 * i + 0.0137);
  if (probes.every((z) => act.sigmaPrime(z) === 0) && probes.some((z) => act.sigma(z) !== act.sigma(0.0137))) {
    throw new InputError(`the activation '${source}' is piecewise constant: its derivative is 0 almost everywhere, so gradient steps cannot move the first layer; use a differentiable activation (relu, tanh, ...)`);
  }
  return act;
}

/** A learning-rate formula in n, p and d (e.g. "10*sqrt(n*p)"), evaluated; must be finite and > 0. */
export function learningRate(formula: string, at: { n: number; p: number; d: number }, what = "--eta"): number {
  let f: (...a: number[]) => number;
  try {
    f = compilePositional(parseExpression(formula, { symbols: ["n", "p", "d"], indexVariables: false }).expr, 3);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${what}: ${e.message}`, { column: e.column, source: formula });
    throw e;
  }
  const v = f(at.n, at.p, at.d);
  if (!Number.isFinite(v) || v <= 0) throw new InputError(`${what} '${formula}' must be a positive finite number; at n = ${at.n}, p = ${at.p}, d = ${at.d} it is ${v}`);
  return v;
}

export type SecondLayerInit = "alternating" | "gaussian" | "symmetric";
export type FirstLayerInit = "random" | "orthogonal";

/**
 * Second layer a (length p) with entries of scale `scale` (1/sqrt(p) in both papers' conventions):
 * alternating +-scale; gaussian N(0, scale^2); symmetric: a_{i + p/2} = -a_i with a_i = +-scale alternating
 * (duplicated neurons, so the network output is exactly 0 at initialisation; seed 001's analysis).
 */
export function secondLayer(kind: SecondLayerInit, p: number, scale: number, rng: Xoshiro128): Float64Array {
  const a = new Float64Array(p);
  if (kind === "symmetric") {
    if (p % 2 !== 0) throw new InputError(`--second-layer symmetric needs an even width p, got ${p}`);
    for (let i = 0; i < p / 2; i++) { a[i] = (i % 2 === 0 ? 1 : -1) * scale; a[i + p / 2] = -a[i]!; }
  } else if (kind === "alternating") {
    for (let i = 0; i < p; i++) a[i] = (i % 2 === 0 ? 1 : -1) * scale;
  } else {
    for (let i = 0; i < p; i++) a[i] = rng.normal() * scale;
  }
  return a;
}

/**
 * First layer W0 (p x d) with i.i.d. N(0, rowScale^2) entries. `orthogonal` zeroes the k target coordinates (zero
 * initial overlap, W0 W*^T = 0) and rescales the rest so E|w|^2 is unchanged. `symmetric` copies row i to
 * row i + p/2 (duplicated neurons paired with opposite a).
 */
export function firstLayer(p: number, d: number, k: number, rowScale: number, init: FirstLayerInit, duplicate: boolean, rng: Xoshiro128): Float32Array {
  const W = new Float32Array(p * d);
  const rows = duplicate ? p / 2 : p;
  const scale = init === "orthogonal" ? rowScale * Math.sqrt(d / (d - k)) : rowScale;
  // one block draw (fillNormal gives exactly the values of successive normal() calls), then scaled row by row
  const z = new Float64Array(rows * d);
  rng.fillNormal(z);
  for (let i = 0; i < rows; i++) {
    for (let l = 0; l < d; l++) {
      const v = z[i * d + l]! * scale;
      W[i * d + l] = init === "orthogonal" && l < k ? 0 : v;
    }
  }
  if (duplicate) W.copyWithin((p / 2) * d, 0, (p / 2) * d);
  return W;
}

/** Labels y = g*(z_1..z_k) for a block of rows (W* = first k axes scaled so that h* = z[0..k-1]). */
export function labels(Z: Float32Array, rows: number, d: number, t: Target, out: Float64Array): void {
  const h = new Float64Array(t.k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < t.k; j++) h[j] = Z[r * d + j]!;
    out[r] = t.link.g(h);
  }
}

/** Entry-wise mean and standard error of equally-shaped matrices (rows x cols, row-major) over seeds. */
export function matrixMeanSe(ms: readonly Float64Array[], rows: number, cols: number): { mean: number[][]; se: number[][] } {
  const mean: number[][] = [], se: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const mr: number[] = [], sr: number[] = [];
    for (let j = 0; j < cols; j++) {
      const s = meanSe(ms.map((m) => m[i * cols + j]!));
      mr.push(s.mean); sr.push(s.se);
    }
    mean.push(mr); se.push(sr);
  }
  return { mean, se };
}

/** A seeded stream for one named component of one replicate of a configuration. */
export function stream(masterSeed: number, what: string, replicate: number): Xoshiro128 {
  return Xoshiro128.forKey({ masterSeed, configuration: what, replicate });
}

/** Validate the common integer sizes; InputError names the option. */
export function checkSizes(s: Record<string, number>): void {
  for (const [name, v] of Object.entries(s)) {
    if (!Number.isInteger(v) || v < 1) throw new InputError(`${name} must be an integer >= 1, got ${v}`);
  }
}

/** The largest work a batch run may ask for, in multiply-adds (~10x the notebook preset with --full). */
export const MAX_BATCH_WORK = 1e14;

/** Multiply-adds per CPU-second of the batch simulators on large products (the notebook preset on onnx): the rate the cap's message quotes. */
export const BATCH_MULTIPLY_ADDS_PER_SECOND = 1.5e10;

/** Multiply-adds a batch run is charged per step beyond its matrix products (allocation, dispatch of the backend). */
const STEP_OVERHEAD = 1e5;

/** What the cost of a batch run depends on: seeds, steps, batch size n, d, width p, test (and refit) samples. */
export interface BatchSize { readonly seeds: number; readonly steps: number; readonly n: number; readonly d: number; readonly p: number; readonly nTest: number; readonly nRefit?: number }

/** Multiply-adds of one seed of a batch run (see checkBatchWork): the cap on a run's size (its time: cost.ts). */
export function seedWork(s: Omit<BatchSize, "seeds">): number {
  return s.steps * (2 * s.n * s.d * s.p + STEP_OVERHEAD) + (s.nTest + (s.nRefit ?? 0)) * s.d * s.p * (s.steps + 1);
}

/**
 * The cost of a batch run before it runs: per seed and step the two products with the batch (2 n d p multiply-adds)
 * plus the test set (and refit) once per step, and a fixed overhead per step; refused beyond MAX_BATCH_WORK with the
 * estimate (the notebook preset, 2.9e12 multiply-adds, took 3 min 17 s of CPU on onnx: ~1.5e10 per second).
 * @throws InputError for a run beyond the maximum.
 */
export function checkBatchWork(s: BatchSize): number {
  const work = s.seeds * seedWork(s);
  if (!(work <= MAX_BATCH_WORK)) {
    throw new InputError(`this run needs about ${work.toExponential(1)} multiply-adds (${(work / BATCH_MULTIPLY_ADDS_PER_SECOND / 3600).toPrecision(2)} CPU-hours at 1.5e10/s), more than the maximum ${MAX_BATCH_WORK.toExponential(0)}; reduce --steps, --n/--alpha, --d, --p or --seeds`);
  }
  return work;
}

/**
 * The setting shared by the d = infinity predictions of batch training (twoSteps.ts, dmft.ts, onePass.ts): target
 * g*, student activation, frozen second layer a (length p), alpha = n/d, learning rate eta and weight decay lambda.
 */
export interface LimitSetting {
  readonly target: string;
  readonly activation: string;
  readonly a: readonly number[];
  readonly alpha: number;
  readonly eta: number;
  readonly weightDecay: number;
}

/**
 * Whether the activation is ReLU, max(z, 0) (checked on probes, not only by name): the dense simulators then use
 * branch-light block loops instead of one closure call per element. sigma'(0) is returned as the activation defines it.
 */
export function reluSpec(act: Activation): { readonly primeAtZero: number } | null {
  if (!/^(relu\(z\)|max\(z,0\)|max\(0,z\))$/.test(act.source.replace(/\s+/g, ""))) return null;
  for (const z of [-2.5, -0.3, 0.7, 3.1]) if (act.sigma(z) !== Math.max(z, 0) || act.sigmaPrime(z) !== (z > 0 ? 1 : 0)) return null;
  return { primeAtZero: act.sigmaPrime(0) };
}

/** H[j] <- scale * sigma(H[j]) for the whole block: one loop without calls for ReLU, the closure otherwise. */
export function activateBlock(act: Activation, H: Float32Array, scale: number): void {
  const n = H.length;
  if (reluSpec(act)) {
    // branch-free (a branch on the sign of a Gaussian preactivation mispredicts half the time: 7-10 ns an element
    // against 1.6-2.1): h * scale for h > 0, +0 for h <= 0 (the trailing + 0 turns -0 into +0), NaN for NaN (as in the
    // runtime relu); a preactivation of -Infinity (float32 overflow, a diverged run) gives NaN instead of 0
    for (let j = 0; j < n; j++) { const h = H[j]!; H[j] = h * scale * +(h > 0) + 0; }
    return;
  }
  const sigma = act.sigma;
  for (let j = 0; j < n; j++) H[j] = sigma(H[j]!) * scale;
}
