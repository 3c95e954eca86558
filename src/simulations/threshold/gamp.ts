/**
 * Bayes-optimal GAMP for the single-index model y ~ P(y | <w*, x>), full-dimensional (Rangan 2011; the form and
 * normalisation of Barbier, Krzakala, Macris, Miolane, Zdeborova 2019, arXiv 1708.03395): F = X / sqrt(d) (entries
 * of variance 1/d), signal w = sqrt(d) w* with the Gaussian prior N(0, 1) per coordinate, so z = F w = X w*:
 *
 *     V_t     = mean(v_hat_t)                                   (F^2 v_hat with F_mu_i^2 ~ 1/d)
 *     omega_t = F w_hat_t - V_t g_{t-1}                         (Onsager term; g_{-1} = 0)
 *     g_t     = g_out(y, omega_t, V_t),  A_t = -(1/d) sum_mu d g_out/d omega
 *     B_t     = F^T g_t + A_t w_hat_t
 *     w_hat_{t+1} = B_t / (1 + A_t),  v_hat_{t+1} = 1 / (1 + A_t)   (Gaussian prior's posterior mean and variance)
 *
 * The recorded overlap at every iteration is m_t = <w_hat_t, w>/d, whose d = infinity limit is the state evolution's q_t
 * (predictions/stateEvolution.ts); also |w_hat_t|^2/d (equal to m_t at d = infinity, Nishimori) and the cosine.
 *
 * Starts: "planted", w_hat_0 = q0 w + sqrt(q0 (1 - q0)) xi with xi a random direction orthogonal to w, |xi|^2 = d,
 * independent of X, v_hat_0 = 1 - q0 (the posterior mean of a Gaussian observation of w, so Nishimori-consistent):
 * the initial overlap is exactly q0 and state evolution from q0 is exact as d -> infinity, with no finite-size
 * singularity at the transition; "zero", w_hat_0 = 0, v_hat_0 = 1: the uninformative start, which moves only when
 * E[z | y] != 0 (a trivial direction). w* is the first axis (rotation invariance); X is the one n x d block held,
 * the same rows as the spectral runs (common random numbers across alpha: a smaller alpha uses a prefix).
 */
import type { Link } from "../../link/link.js";
import { parseLink } from "../../link/link.js";
import { InputError } from "../../link/errors.js";
import { parseNoise, type NoiseModel } from "../../exponents/noise.js";
import { outputChannel } from "../../exponents/channel.js";
import { checkMemory, f32Bytes, f64Bytes, matrix, type MemoryPlan } from "../../tensors/matrix.js";
import type { TensorBackend } from "../../tensors/backend.js";
import { Xoshiro128 } from "../../numeric/xoshiro.js";
import { sampleSize, thresholdSample, THRESHOLD_MEMORY_LIMIT } from "./spectral.js";

/** How GAMP starts: planted at overlap q0, or at the uninformative point w_hat = 0. */
export type GampStart = "planted" | "zero";

/** One GAMP run: link and noise, d, alpha = n/d, start and planted overlap q0, iterations. */
export interface GampRunConfig {
  readonly link: string;
  readonly noise: string;
  readonly d: number;
  readonly alpha: number;
  readonly start: GampStart;
  /** Planted initial overlap q0 in (0, 1) (ignored for the zero start). */
  readonly q0: number;
  readonly iterations: number;
}

/** The trajectory of one run: overlaps per iteration (index 0 = start) and how the run went. */
export interface GampRunResult {
  readonly n: number;
  /** m_t = <w_hat_t, w>/d, t = 0..T. */
  readonly overlap: number[];
  /** |w_hat_t|^2 / d. */
  readonly selfOverlap: number[];
  /** cos^2 of the angle between w_hat_t and w* (the overlap^2 of the unit estimator). */
  readonly cosineSquared: number[];
  /** Labels whose posterior underflowed at some iteration (denoised to 0; counted, never silent). */
  readonly degenerateLabels: number;
  /** True when w_hat became non-finite (the run stopped there). */
  readonly diverged: boolean;
  readonly backend: string;
  readonly seconds: number;
}

/** The blocks one GAMP run holds: X, the prepared labels, the n- and d-vectors; refused with the estimate beyond 2 GiB. */
export function gampMemoryPlan(d: number, n: number, preparedBytes: number, limit = THRESHOLD_MEMORY_LIMIT()): MemoryPlan {
  return checkMemory([
    { what: `data X (${n} x ${d}, float32)`, bytes: f32Bytes(n, d) },
    { what: "prepared label likelihoods", bytes: preparedBytes },
    { what: "omega, g, g', previous g, labels (n, float64)", bytes: 5 * f64Bytes(n) },
    { what: "w_hat, B, start noise (d, float64)", bytes: 4 * f64Bytes(d) },
  ], limit);
}

/**
 * Validate a run (sizes, alpha, q0, iterations, link, noise, memory).
 * @throws InputError naming the field and its range, or the memory estimate.
 */
export function validateGampRun(c: GampRunConfig): { link: Link; noise: NoiseModel } {
  if (!(Number.isInteger(c.d) && c.d >= 8 && c.d <= 65536)) throw new InputError(`--d must be an integer in [8, 65536], got ${c.d}`);
  if (!(Number.isFinite(c.alpha) && c.alpha > 0 && c.alpha <= 1000)) throw new InputError(`alpha must be in (0, 1000], got ${c.alpha}`);
  if (!(Number.isInteger(c.iterations) && c.iterations >= 1 && c.iterations <= 1000)) throw new InputError(`--iterations must be an integer in [1, 1000], got ${c.iterations}`);
  if (c.start === "planted" && !(c.q0 > 0 && c.q0 < 1)) throw new InputError(`--q0 must be in (0, 1), got ${c.q0}`);
  const link = parseLink(c.link);
  if (link.kind !== "single") throw new InputError(`GAMP here estimates one direction: single-index links only ('${link.text}' has ${link.dimension} latent directions; use --method spectral for a multi-index link)`);
  const noise = parseNoise(c.noise);
  const channel = outputChannel(link, noise);
  const n = sampleSize(c.alpha, c.d);
  gampMemoryPlan(c.d, n, channel.preparedBytes(n));
  return { link, noise };
}

/**
 * One replicate of GAMP (see the module comment). Deterministic in (config, masterSeed, replicate).
 */
export async function gampRun(c: GampRunConfig, masterSeed: number, replicate: number, backend: TensorBackend): Promise<GampRunResult> {
  const t0 = performance.now();
  const { link, noise } = validateGampRun(c);
  const d = c.d, n = sampleSize(c.alpha, d);
  // the same rows and label noise as the spectral runs of this (link, noise, replicate)
  const key = `${link.text}/${c.noise}`;
  const { X, y } = thresholdSample(link, noise, c.noise, d, n, masterSeed, replicate);
  const channel = outputChannel(link, noise);
  const labels = channel.prepare(y);
  const Xm = matrix(n, d, X);
  const sqrtD = Math.sqrt(d);
  // w = sqrt(d) e_1
  const w = new Float64Array(d);
  let v: number;
  if (c.start === "planted") {
    const start = Xoshiro128.forKey({ masterSeed, configuration: `gamp-start/${key}/d=${d}`, replicate });
    // xi orthogonal to w and of squared norm exactly d: m_0 = |w_hat_0|^2/d = q0 exactly, no start-up noise
    let norm = 0;
    for (let j = 1; j < d; j++) { w[j] = start.normal(); norm += w[j]! * w[j]!; }
    const b = Math.sqrt(c.q0 * (1 - c.q0)) * Math.sqrt(d / norm);
    for (let j = 1; j < d; j++) w[j]! *= b;
    w[0] = c.q0 * sqrtD;
    v = 1 - c.q0;
  } else v = 1;
  const overlap: number[] = [], selfOverlap: number[] = [], cosineSquared: number[] = [];
  const record = () => {
    let s = 0;
    for (let j = 0; j < d; j++) s += w[j]! * w[j]!;
    const m = w[0]! / sqrtD;
    overlap.push(m); selfOverlap.push(s / d); cosineSquared.push(s > 0 ? (w[0]! * w[0]!) / s : 0);
  };
  record();
  const omega = new Float64Array(n), g = new Float64Array(n), dg = new Float64Array(n), gPrev = new Float64Array(n);
  let degenerate = 0, diverged = false;
  for (let t = 0; t < c.iterations; t++) {
    const Fw = await backend.matmul(Xm, matrix(d, 1, Float32Array.from(w, (x) => x / sqrtD)));
    for (let i = 0; i < n; i++) omega[i] = Fw.data[i]! - v * gPrev[i]!;
    degenerate = Math.max(degenerate, channel.denoise(labels, omega, v, g, dg));
    let sdg = 0;
    for (let i = 0; i < n; i++) sdg += dg[i]!;
    const A = -sdg / d;
    const Ftg = await backend.matmul(Xm, matrix(n, 1, Float32Array.from(g, (x) => x / sqrtD)), { transA: true });
    if (!(1 + A > 0)) { diverged = true; break; }
    for (let j = 0; j < d; j++) w[j] = (Ftg.data[j]! + A * w[j]!) / (1 + A);
    v = 1 / (1 + A);
    gPrev.set(g);
    if (!w.every(Number.isFinite)) { diverged = true; break; }
    record();
  }
  return { n, overlap, selfOverlap, cosineSquared, degenerateLabels: degenerate, diverged, backend: backend.name, seconds: (performance.now() - t0) / 1000 };
}
