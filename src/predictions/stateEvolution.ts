/**
 * State evolution of Bayes-optimal GAMP for y ~ P(y | <w*, x>), Gaussian prior w* ~ N(0, I_d), x ~ N(0, I_d / d)
 * (equivalently |w*| = 1 and x ~ N(0, I_d)), n = alpha d: the d = infinity overlap q_t = <w_hat_t, w*>/d at every
 * iteration (Barbier, Krzakala, Macris, Miolane, Zdeborova 2019, arXiv 1708.03395, state evolution of GAMP; Rangan
 * 2011 for GAMP itself):
 *
 *     q_hat_t = alpha Psi(q_t),   Psi(q) = E[g_out(y, omega, 1 - q)^2],  omega = q z + sqrt(q (1 - q)) xi,
 *     q_{t+1} = q_hat_t / (1 + q_hat_t)           (the Gaussian prior's denoiser),
 *
 * with z, xi ~ N(0,1) independent and y ~ P(y | z). Psi does not depend on alpha, so it is tabulated once on a q-grid
 * and every alpha is then free. Near q = 0, Psi(q) = lambda_1^2-like E[E[z|y]^2] + q E[E[z^2 - 1 | y]^2] + o(q)
 * (derived here by expanding g_out in omega): with E[z | y] = 0 the uninformative point q = 0 is a fixed point, stable
 * iff alpha E[E[z^2-1|y]^2] < 1, which is alpha_c of exponents/threshold.ts, obtained here by an independent route
 * (Monte Carlo of the channel's posterior, not the generative spectrum).
 *
 * Psi is a product quadrature: Gauss-Legendre in z on panels split at the link's kinks and critical points (the
 * label y = f(z) is smooth on each), Gauss-Hermite in xi and, for Gaussian label noise, in the noise; flip noise is
 * summed exactly. Its error is estimated by the difference to a coarser rule (psiSe).
 */
import type { Link } from "../link/link.js";
import type { NoiseModel } from "../exponents/noise.js";
import { outputChannel, type OutputChannel } from "../exponents/channel.js";
import { gaussLegendre } from "../numeric/gaussLegendre.js";
import { gaussHermite } from "../numeric/gaussHermite.js";
import { branchStructure } from "../exponents/conditional.js";

/** Psi(q) = E[g_out^2] on a q-grid, with quadrature error estimates and the small-q slope. */
export interface StateEvolutionTable {
  readonly q: Float64Array;
  readonly psi: Float64Array;
  /** Quadrature error estimate of psi (difference to a coarser rule). */
  readonly psiSe: Float64Array;
  /** Psi(0) = E[E[z | y]^2]: > 0 means a trivial direction (q = 0 is not a fixed point). */
  readonly psi0: number;
  /** lim Psi(q)/q at q -> 0 (E[E[z^2 - 1 | y]^2] when psi0 = 0), estimated at q = 1e-6. */
  readonly slope: number;
  readonly slopeSe: number;
  /** Quadrature nodes of the fine rule. */
  readonly samples: number;
  readonly method: string;
}

/** The q-grid of the table: dense near 0, where the threshold lives. */
export const SE_GRID = [0, 1e-6, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/** Tabulate Psi(q) by product quadrature (see the module comment); `panelsPerUnit` sets the z-rule's density. */
export function stateEvolutionTable(link: Link, noise: NoiseModel, panelsPerUnit = 2, channel: OutputChannel = outputChannel(link, noise)): StateEvolutionTable {
  // label noise smooths the z-integrand: one panel per unit and fewer nodes suffice there
  const noisy = noise.kind === "gaussian";
  const fine = psiTable(link, noise, noisy ? 1 : panelsPerUnit, noisy ? 10 : 16, noisy ? 10 : 16, channel);
  const coarse = psiTable(link, noise, noisy ? 0.5 : Math.max(1, panelsPerUnit / 2), noisy ? 8 : 10, noisy ? 8 : 10, channel);
  const psiErr = fine.psi.map((v, k) => Math.abs(v - coarse.psi[k]!) + 1e-15 * Math.abs(v));
  const k1 = SE_GRID.indexOf(1e-6);
  const slope = fine.psi[k1]! / 1e-6;
  return {
    q: Float64Array.from(SE_GRID), psi: fine.psi, psiSe: psiErr, psi0: fine.psi[0]!, slope, slopeSe: psiErr[k1]! / 1e-6, samples: fine.nodes,
    method: `product quadrature: Gauss-Legendre in z on panels of width ${1 / panelsPerUnit} split at the link's cuts, Gauss-Hermite in xi${noise.kind === "gaussian" ? " and in the label noise" : ""}; error = difference to a coarser rule; ${channel.method}`,
  };
}

function psiTable(link: Link, noise: NoiseModel, panelsPerUnit: number, order: number, xiNodes: number, channel: OutputChannel): { psi: Float64Array; nodes: number } {
  const s = branchStructure(link);
  const L = 9;
  const ends = new Set<number>([-L, L, ...s.cuts.filter((c) => c > -L && c < L)]);
  for (let x = -L; x < L; x += 1 / panelsPerUnit) ends.add(x);
  const cuts = [...ends].sort((a, b) => a - b).filter((c, i, a) => i === 0 || c - a[i - 1]! > 1e-12);
  const gl = gaussLegendre(order), gh = gaussHermite(xiNodes), ghNoise = gaussHermite(order);
  const ys: number[] = [], zs: number[] = [], ws: number[] = [];
  const arg = new Float64Array(1);
  for (let p = 0; p + 1 < cuts.length; p++) {
    const a = cuts[p]!, b = cuts[p + 1]!, half = (b - a) / 2;
    for (let j = 0; j < order; j++) {
      const z = a + half * (1 + gl.nodes[j]!);
      const wz = half * gl.weights[j]! * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      arg[0] = z;
      const f = link.g(arg);
      if (noise.kind === "none") { ys.push(f); zs.push(z); ws.push(wz); }
      else if (noise.kind === "flip") { ys.push(f, -f); zs.push(z, z); ws.push(wz * (1 - noise.p), wz * noise.p); }
      else for (let k = 0; k < ghNoise.nodes.length; k++) { ys.push(f + noise.sigma * ghNoise.nodes[k]!); zs.push(z); ws.push(wz * ghNoise.weights[k]!); }
    }
  }
  const labels = channel.prepare(Float64Array.from(ys));
  const M = ys.length;
  const omega = new Float64Array(M), g = new Float64Array(M), dg = new Float64Array(M);
  const psi = new Float64Array(SE_GRID.length);
  SE_GRID.forEach((q, k) => {
    const b = Math.sqrt(q * (1 - q));
    let total = 0;
    for (let m = 0; m < gh.nodes.length; m++) {
      for (let i = 0; i < M; i++) omega[i] = q * zs[i]! + b * gh.nodes[m]!;
      channel.denoise(labels, omega, 1 - q, g, dg);
      let acc = 0;
      for (let i = 0; i < M; i++) acc += ws[i]! * g[i]! * g[i]!;
      total += gh.weights[m]! * acc;
      if (b === 0) { total = acc; break; }
    }
    psi[k] = total;
  });
  return { psi, nodes: M * gh.nodes.length };
}

/** Psi(q) by linear interpolation of Psi(q)/q (q > 0), which is smooth where Psi itself is linear at 0. */
export function psiAt(t: StateEvolutionTable, q: number): number {
  if (q <= 0) return t.psi0;
  const Q = t.q;
  if (q >= Q[Q.length - 1]!) return t.psi[Q.length - 1]!;
  let k = 1;
  while (k + 1 < Q.length && Q[k + 1]! < q) k++;
  // between Q[k] and Q[k+1] (Q[1] = 1e-6 > 0)
  if (q < Q[1]!) return t.psi0 + (q / Q[1]!) * (t.psi[1]! - t.psi0);
  const r0 = t.psi[k]! / Q[k]!, r1 = t.psi[k + 1]! / Q[k + 1]!;
  const w = (q - Q[k]!) / (Q[k + 1]! - Q[k]!);
  return q * ((1 - w) * r0 + w * r1);
}

/**
 * The state-evolution trajectory q_0, q_1, ..., q_T at sample ratio alpha, with an optional rescaling of alpha by
 * `scale` (alpha -> alpha * scale; the one-parameter family the transition fit uses).
 */
export function stateEvolution(t: StateEvolutionTable, alpha: number, q0: number, iterations: number, scale = 1): number[] {
  const out = [q0];
  let q = q0;
  for (let s = 0; s < iterations; s++) {
    const qh = alpha * scale * psiAt(t, q);
    q = qh / (1 + qh);
    out.push(q);
  }
  return out;
}

/** The d = infinity GAMP threshold of the table: 1/slope when Psi(0) = 0 (Infinity for slope 0), 0 when Psi(0) > 0. */
export function stateEvolutionThreshold(t: StateEvolutionTable, trivialTolerance = 1e-9): number {
  if (t.psi0 > trivialTolerance) return 0;
  return t.slope > 0 ? 1 / t.slope : Infinity;
}
