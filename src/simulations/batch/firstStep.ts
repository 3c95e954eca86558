/**
 * Closed form of the first step in seed 002's scaling (Dandi et al. 2024, arXiv 2402.03220, §3; notes §3.3):
 *
 *   M^(1)_j = (1 - eta lambda) M^(0)_j + eta alpha a_j E[sigma'(h^0_j)] E[g*(h*) h*]
 *
 * exact in expectation over the batch when the initial overlap is zero (h^0_j independent of h*, so the network
 * output's term E[f sigma'(h_j) h*] vanishes), with h^0_j ~ N(0, Q^0_jj); the same for one-pass and multi-pass.
 * The finite-n fluctuation of M^(1)_j around it has standard deviation O(eta |a_j| sqrt(alpha / d)).
 */
import { gaussHermite } from "../../numeric/gaussHermite.js";
import type { BatchReuseResult } from "./batchReuse.js";
import { meanSe, type Activation, type MeanSe } from "./common.js";

/** E[sigma'(s G)] for G ~ N(0, 1), by a 200-node Gauss–Hermite rule (kinks of sigma' make this accurate to ~1e-4). */
export function meanDerivative(act: Activation, s = 1): number {
  const rule = gaussHermite(200);
  let e = 0;
  for (let i = 0; i < rule.nodes.length; i++) e += rule.weights[i]! * act.sigmaPrime(s * rule.nodes[i]!);
  return e;
}

/** Predicted M^(1) (p x k, row-major) from M^(0), the second layer and the target's C_1. */
export function firstStepOverlap(o: {
  act: Activation; eta: number; alpha: number; weightDecay: number; a: readonly number[]; qDiag0: readonly number[];
  m0: Float64Array | readonly number[]; c1: readonly number[];
}): Float64Array {
  const p = o.a.length, k = o.c1.length;
  const out = new Float64Array(p * k);
  for (let j = 0; j < p; j++) {
    const es = meanDerivative(o.act, Math.sqrt(o.qDiag0[j]!));
    for (let r = 0; r < k; r++) out[j * k + r] = (1 - o.eta * o.weightDecay) * o.m0[j * k + r]! + o.eta * o.alpha * o.a[j]! * es * o.c1[r]!;
  }
  return out;
}

/**
 * Per-seed estimate of |C_1| from the simulated first step: the mean over neurons of
 * <M^(1)_j - (1 - eta lambda) M^(0)_j, u_1> / (eta alpha a_j E[sigma'(h^0_j)]), with u_1 = C_1/|C_1| and alpha the
 * step's batch size over d. The closed form predicts exactly |C_1| = |E[g*(h*) h*]|; returns mean ± se over seeds.
 */
export function firstStepEstimate(r: BatchReuseResult, act: Activation): { estimate: MeanSe; predicted: number } {
  const { c1 } = r.config.targetMoments, k = c1.length, p = r.config.p;
  const norm = Math.hypot(...c1);
  if (!(norm > 0)) throw new RangeError("the first-step closed form check needs a target with C_1 != 0");
  const u = c1.map((x) => x / norm);
  const batchRows = r.config.algorithm === "cycle" || r.config.algorithm === "replacement" ? Math.floor(r.config.n / r.config.minibatches) : r.config.n;
  const alpha = batchRows / r.config.d, eta = r.config.etaValue, decay = 1 - eta * r.config.weightDecay;
  const perSeed = r.raw.overlaps.filter((ov) => ov.length > 1).map((ov, s) => {
    let acc = 0;
    for (let j = 0; j < p; j++) {
      let proj = 0;
      for (let q = 0; q < k; q++) proj += (ov[1]![j * k + q]! - decay * ov[0]![j * k + q]!) * u[q]!;
      acc += proj / (eta * alpha * r.raw.a[s]![j]! * meanDerivative(act, Math.sqrt(r.raw.qDiag0[s]![j]!)));
    }
    return acc / p;
  });
  return { estimate: meanSe(perSeed), predicted: norm };
}
