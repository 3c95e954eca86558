/**
 * The output channel of a single-index GLM y ~ P(y | z), z = <w*, x>, as the Bayes-optimal GAMP denoiser needs it
 * (Rangan 2011; Barbier, Krzakala, Macris, Miolane, Zdeborova 2019, arXiv 1708.03395, the functions g_out):
 *
 *     Z(y, omega, V) = int N(z; omega, V) P(y | z) dz,
 *     g_out(y, omega, V) = (E[z | y, omega, V] - omega) / V,
 *     d/d omega g_out     = (Var[z | y, omega, V] / V - 1) / V,
 *
 * the posterior being z ~ N(omega, V) tilted by the likelihood of the label. The likelihood of a label is held in one
 * of three exact forms, prepared once per label: preimages z_b with weights 1/|f'(z_b)| (a continuous level of a
 * noiseless link), intervals with weights (an atom of a noiseless link; flip noise mixes the atoms +-1 with weights
 * 1 - p and p), or a tabulated likelihood on a z-grid (Gaussian label noise, N(y; f(z), sigma^2) sampled finely
 * enough that the trapezoid rule is spectrally accurate for the Gaussian-times-likelihood integrand).
 */
import type { Link } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { BranchAnalysisError, branchStructure, inRange, phibar, preimage, type BranchStructure } from "./conditional.js";
import type { NoiseModel } from "./noise.js";

/** Labels prepared for repeated denoising: the likelihood of each label in its exact form (see the module comment). */
export interface PreparedLabels {
  readonly n: number;
  /** Per label: "p" preimages, "i" intervals, "g" grid row, "0" no preimage found (denoised to g = 0). */
  readonly kind: Uint8Array;
  /** Preimages / intervals of label i: entries start[i] .. start[i+1] of z, z2 (interval ends) and w (weights). */
  readonly start: Int32Array;
  readonly z: Float64Array;
  readonly z2: Float64Array;
  readonly w: Float64Array;
  /** Gaussian noise: the likelihood of label i on the grid, row i of an n x G float32 table. */
  readonly grid: Float32Array | null;
}

/** A channel: prepare labels once, then denoise them at any (omega, V). */
export interface OutputChannel {
  /** Noise and route, in words. */
  readonly method: string;
  /** Bytes the prepared form of n labels holds (for the memory plan). */
  preparedBytes(n: number): number;
  prepare(y: Float64Array): PreparedLabels;
  /**
   * g[i] = g_out(y_i, omega[i], V), dg[i] = d g_out / d omega; returns how many labels had no usable posterior (no
   * preimage or an underflowing evidence Z), denoised to g = dg = 0.
   */
  denoise(labels: PreparedLabels, omega: Float64Array, V: number, g: Float64Array, dg: Float64Array): number;
}

const K_POINT = 1, K_INTERVAL = 2, K_GRID = 3, K_NONE = 0;
const GRID_HALF_WIDTH = 9;
/** Half-width of the prior window N(omega, V) summed over, in standard deviations. */
const PRIOR_WINDOW = 8;

function structureOf(link: Link): BranchStructure {
  if (link.kind !== "single") throw new InputError("the GAMP output channel is built for single-index links");
  try { return branchStructure(link); } catch (e) {
    if (e instanceof BranchAnalysisError) throw new InputError(`the link's branch structure could not be analysed (${e.message}); the GAMP denoiser needs it`);
    throw e;
  }
}

/**
 * The Bayes-optimal output channel of y = f(z) (+ noise) for GAMP and its state evolution.
 * @throws InputError for a multi-index link, a link whose branch analysis fails, or flip noise on a non-+-1 link.
 */
export function outputChannel(link: Link, noise: NoiseModel): OutputChannel {
  const s = structureOf(link);
  if (noise.kind === "gaussian") return gridChannel(s, noise.sigma);
  if (noise.kind === "flip") {
    const plus = s.atoms.find((a) => a.value === 1), minus = s.atoms.find((a) => a.value === -1);
    if (s.monotone.length > 0 || !plus || !minus) throw new InputError("flip noise needs a link whose values are +1 or -1 almost surely (e.g. sign(...))");
  }
  const flip = noise.kind === "flip" ? noise.p : 0;
  return {
    method: noise.kind === "flip" ? `flip noise p = ${flip} on the atoms +-1: posterior a mixture of truncated Gaussians` : "noiseless: preimages z_b with weights 1/|f'(z_b)| on continuous levels, truncated Gaussians on atoms",
    preparedBytes: (n) => n * (1 + 4) + 4 + 8 * 3 * n * Math.max(2, s.monotone.length, ...s.atoms.map((a) => 2 * a.intervals.length)),
    prepare(y) {
      const n = y.length;
      const kind = new Uint8Array(n), start = new Int32Array(n + 1);
      const z: number[] = [], z2: number[] = [], w: number[] = [];
      for (let i = 0; i < n; i++) {
        start[i] = z.length;
        const v = y[i]!;
        const atom = s.atoms.find((a) => a.value === v);
        if (atom) {
          kind[i] = K_INTERVAL;
          for (const [a, b] of atom.intervals) { z.push(a); z2.push(b); w.push(1 - flip); }
          if (flip > 0) { const other = s.atoms.find((a) => a.value === -v)!; for (const [a, b] of other.intervals) { z.push(a); z2.push(b); w.push(flip); } }
          continue;
        }
        let found = 0;
        for (const p of s.monotone) {
          if (!inRange(p, v)) continue;
          const zb = preimage(p, s.f, v), slope = Math.abs(s.fprime(zb));
          if (!(slope > 0) || !Number.isFinite(slope)) continue;
          z.push(zb); z2.push(0); w.push(1 / slope); found++;
        }
        kind[i] = found > 0 ? K_POINT : K_NONE;
      }
      start[n] = z.length;
      return { n, kind, start, z: Float64Array.from(z), z2: Float64Array.from(z2), w: Float64Array.from(w), grid: null };
    },
    denoise(labels, omega, V, g, dg) {
      const sd = Math.sqrt(V);
      let bad = 0;
      for (let i = 0; i < labels.n; i++) {
        const k = labels.kind[i]!, a0 = labels.start[i]!, a1 = labels.start[i + 1]!, om = omega[i]!;
        let S0 = 0, S1 = 0, S2 = 0;
        if (k === K_POINT) {
          // weights w_b exp(-(z_b - omega)^2 / 2V), stabilised by the largest exponent
          let top = -Infinity;
          for (let j = a0; j < a1; j++) { const u = labels.z[j]! - om; top = Math.max(top, Math.log(labels.w[j]!) - (u * u) / (2 * V)); }
          for (let j = a0; j < a1; j++) {
            const u = labels.z[j]! - om, e = Math.exp(Math.log(labels.w[j]!) - (u * u) / (2 * V) - top);
            S0 += e; S1 += e * u; S2 += e * u * u;
          }
        } else if (k === K_INTERVAL) {
          // truncated Gaussian moments of N(omega, V) on (a, b): mass, E[(z - omega)], E[(z - omega)^2]
          for (let j = a0; j < a1; j++) {
            const lo = (labels.z[j]! - om) / sd, hi = (labels.z2[j]! - om) / sd, wt = labels.w[j]!;
            const mass = lo >= 0 ? phibar(lo) - phibar(hi) : hi <= 0 ? phibar(-hi) - phibar(-lo) : 1 - phibar(hi) - phibar(-lo);
            const plo = Number.isFinite(lo) ? Math.exp(-0.5 * lo * lo) / Math.sqrt(2 * Math.PI) : 0;
            const phi_ = Number.isFinite(hi) ? Math.exp(-0.5 * hi * hi) / Math.sqrt(2 * Math.PI) : 0;
            const tlo = Number.isFinite(lo) ? lo * plo : 0, thi = Number.isFinite(hi) ? hi * phi_ : 0;
            S0 += wt * mass; S1 += wt * sd * (plo - phi_); S2 += wt * V * (mass + tlo - thi);
          }
        }
        if (!(S0 > 0) || !Number.isFinite(S0)) { g[i] = 0; dg[i] = 0; bad++; continue; }
        const mean = S1 / S0, variance = Math.max(0, S2 / S0 - mean * mean);
        g[i] = mean / V;
        dg[i] = (variance / V - 1) / V;
      }
      return bad;
    },
  };
}

/** Gaussian label noise: the likelihood N(y; f(z), sigma^2) tabulated on a uniform z-grid over [-9, 9]. */
function gridChannel(s: BranchStructure, sigma: number): OutputChannel {
  // spacing: a quarter of the narrowest likelihood width sigma/|f'| on [-5, 5] (trapezoid error ~ exp(-2 pi^2 16)), at most 0.02
  let slope = 0;
  for (let i = 0; i <= 1000; i++) { const d = Math.abs(s.fprime(-5 + i / 100)); if (Number.isFinite(d)) slope = Math.max(slope, d); }
  const h = Math.max(Math.min(0.02, sigma / (4 * Math.max(slope, 1e-12))), (2 * GRID_HALF_WIDTH) / 4000);
  const G = Math.round((2 * GRID_HALF_WIDTH) / h) + 1;
  const zs = Float64Array.from({ length: G }, (_, j) => -GRID_HALF_WIDTH + j * h);
  const fz = Float64Array.from(zs, (z) => s.f(z));
  return {
    method: `Gaussian noise sigma = ${sigma}: likelihood N(y; f(z), sigma^2) on ${G} z-points of [-${GRID_HALF_WIDTH}, ${GRID_HALF_WIDTH}] (spacing ${h.toPrecision(3)}), trapezoid rule`,
    preparedBytes: (n) => 4 * n * G + n * 5,
    prepare(y) {
      const n = y.length;
      if (4 * n * G > 2 ** 31) throw new InputError(`the tabulated likelihood of ${n} labels on ${G} points needs ${((4 * n * G) / 2 ** 30).toFixed(2)} GiB`);
      const grid = new Float32Array(n * G);
      for (let i = 0; i < n; i++) for (let j = 0; j < G; j++) { const u = (y[i]! - fz[j]!) / sigma; grid[i * G + j] = Number.isFinite(u) ? Math.exp(-0.5 * u * u) : 0; }
      return { n, kind: new Uint8Array(n).fill(K_GRID), start: new Int32Array(n + 1), z: new Float64Array(0), z2: new Float64Array(0), w: new Float64Array(0), grid };
    },
    denoise(labels, omega, V, g, dg) {
      const grid = labels.grid!, sd = Math.sqrt(V);
      const c = Math.exp((-h * h) / V);
      let bad = 0;
      for (let i = 0; i < labels.n; i++) {
        const om = omega[i]!, row = i * G;
        const j0 = Math.min(G - 1, Math.max(0, Math.round((om + GRID_HALF_WIDTH) / h)));
        const jlo = Math.max(0, Math.floor((om - PRIOR_WINDOW * sd + GRID_HALF_WIDTH) / h)), jhi = Math.min(G - 1, Math.ceil((om + PRIOR_WINDOW * sd + GRID_HALF_WIDTH) / h));
        let S0 = 0, S1 = 0, S2 = 0;
        // exp(-(z_j - omega)^2 / 2V) by the recurrence e_{j+1} = e_j r_j, r_{j+1} = r_j exp(-h^2/V), outward from j0
        const u0 = zs[j0]! - om;
        const e0 = Math.exp((-u0 * u0) / (2 * V));
        let e = e0, r = Math.exp(-(2 * h * u0 + h * h) / (2 * V));
        for (let j = j0; j <= jhi; j++) {
          const L = grid[row + j]!, u = zs[j]! - om, t = L * e;
          S0 += t; S1 += t * u; S2 += t * u * u;
          e *= r; r *= c;
        }
        e = e0; r = Math.exp(-(-2 * h * u0 + h * h) / (2 * V));
        for (let j = j0 - 1; j >= jlo; j--) {
          e *= r; r *= c;
          const L = grid[row + j]!, u = zs[j]! - om, t = L * e;
          S0 += t; S1 += t * u; S2 += t * u * u;
        }
        if (!(S0 > 1e-290) || !Number.isFinite(S0)) { g[i] = 0; dg[i] = 0; bad++; continue; }
        const mean = S1 / S0, variance = Math.max(0, S2 / S0 - mean * mean);
        g[i] = mean / V;
        dg[i] = (variance / V - 1) / V;
      }
      return bad;
    },
  };
}
