/**
 * Exact dimension-free simulation of one spherical neuron learning a single-index target by online SGD
 * (theory-notes §4.1, derived here; the setting of Ben Arous–Gheissari–Jagannath 2021, arXiv 2003.10409).
 *
 * With m = <w, w*> and u = (w* - m w)/sqrt(1 - m^2), a fresh sample is x = z w + xi u + x_perp with z, xi ~ N(0,1)
 * and R = |x_perp|^2 ~ chi^2_{d-2}, all independent; the teacher preactivation is z* = m z + sqrt(1 - m^2) xi.
 * The projected step w~ = w + s (x - z w) gives |w~|^2 = 1 + s^2 (xi^2 + R) and <w~, w*> = m + s xi sqrt(1 - m^2), so
 *
 *   m_{t+1} = (m_t + s xi sqrt(1 - m_t^2)) / sqrt(1 + s^2 (xi^2 + R)),
 *
 * a Markov chain in m with exactly the law of the d-dimensional algorithm, at O(1) cost per step for any d >= 3.
 * Initial law for w uniform on the sphere: m_0 = g / sqrt(g^2 + chi^2_{d-1}).
 */
import { DIVERGENCE_BOUND } from "./divergence.js";
import { ChiSquareSampler, Xoshiro128 } from "../numeric/xoshiro.js";
import { EscapeMonitor, type Problem, type RunOutcome } from "./model.js";
import { REDUCED_BLOCK, reducedKernel, type ChainState } from "./reducedKernel.js";

/** m_0 for w uniform on S^{d-1}: the first coordinate of a normalised Gaussian vector. */
export function uniformInitialOverlap(d: number, g: Xoshiro128): number {
  const first = g.normal();
  const rest = new ChiSquareSampler(d - 1).sample(g);
  return first / Math.sqrt(first * first + rest);
}

/** One run of the reduced chain. The problem must have p = k = 1 (checked by the caller). */
export function simulateReduced(p: Problem, g: Xoshiro128): RunOutcome {
  return reducedChain(p, g, EXACT);
}

/**
 * Deliberate departures from the exact update, used only by the tests that show the statistical cross-check can
 * reject a wrong chain: `extraDegrees` adds degrees of freedom to R (1 gives the off-by-one chi^2_{d-1}), and
 * `dropXiSquared` forgets the xi^2 term in the normalisation 1 + s^2 (xi^2 + R).
 */
export interface ChainPerturbation { readonly extraDegrees: number; readonly dropXiSquared: boolean }
const EXACT: ChainPerturbation = { extraDegrees: 0, dropXiSquared: false };
const BLOCK = REDUCED_BLOCK;

/**
 * The reduced chain with an optional perturbation: the compiled straight-line kernel of reducedKernel.ts when the
 * student has an expression, else the generic loop `reducedChainReference` (bitwise the same trajectory).
 */
export function reducedChain(p: Problem, g: Xoshiro128, perturbation: ChainPerturbation): RunOutcome {
  const xiWeight = perturbation.dropXiSquared ? 0 : 1;
  const kernel = reducedKernel(p, xiWeight);
  if (!kernel) return reducedChainReference(p, g, perturbation);
  const R = new ChiSquareSampler(p.d - 2 + perturbation.extraDegrees);
  const useAbs = p.overlap === "abs";
  const m0 = p.m0 ?? uniformInitialOverlap(p.d, g);
  const monitor = new EscapeMonitor(p, useAbs ? Math.abs(m0) : m0);
  const state: ChainState = { m: m0, a: p.a0, t: 0 };
  if (monitor.started) {
    const v = p.variant;
    kernel(state, g, R, monitor, {
      gamma: p.eta, tau: p.noiseSigma, flip: p.flipProbability, etaA: p.etaSecondLayer,
      etaInner: v.kind === "reuse" ? v.etaInner : 0, innerSteps: v.kind === "reuse" ? v.innerSteps : 0,
      etaAlt: v.kind === "alternating" ? v.etaA : 0, xiWeight, maxSteps: p.maxSteps, threshold: p.threshold,
    }, scratch.zxi, scratch.chi);
  }
  const m = state.m;
  return monitor.outcome(state.t, useAbs ? Math.abs(m) : m, m);
}

/** Block buffers shared by the runs of one thread (a kernel fills them before it reads them). */
const scratch = { zxi: new Float64Array(2 * BLOCK), chi: new Float64Array(BLOCK) };

/**
 * The generic loop of the reduced chain: link and student called as closures, the variant switched per step. The
 * reference the compiled kernels must reproduce bit for bit, and the engine for hand-made activations.
 */
export function reducedChainReference(p: Problem, g: Xoshiro128, perturbation: ChainPerturbation): RunOutcome {
  const f = p.target.f, sigma = p.student.sigma, dsigma = p.student.sigmaPrime;
  const R = new ChiSquareSampler(p.d - 2 + perturbation.extraDegrees);
  const xiWeight = perturbation.dropXiSquared ? 0 : 1;
  const gamma = p.eta, tau = p.noiseSigma, flip = p.flipProbability, useAbs = p.overlap === "abs";
  const square = p.loss === "square";
  const etaA = p.etaSecondLayer;
  const kind = p.variant.kind === "online" ? 0 : p.variant.kind === "reuse" ? 1 : 2;
  const etaInner = p.variant.kind === "reuse" ? p.variant.etaInner : 0;
  const innerSteps = p.variant.kind === "reuse" ? p.variant.innerSteps : 0;
  const etaAlt = p.variant.kind === "alternating" ? p.variant.etaA : 0;
  let m = p.m0 ?? uniformInitialOverlap(p.d, g);
  let a = p.a0;
  const monitor = new EscapeMonitor(p, useAbs ? Math.abs(m) : m);
  let t = 0;
  const maxSteps = p.maxSteps;
  if (monitor.started) {
    // (z, xi, R) are drawn in whole blocks of BLOCK steps (same law, faster than single draws; see xoshiro.ts
    // fillNormal). Blocks are never truncated at maxSteps, so a larger budget follows the same trajectory.
    const zxi = new Float64Array(2 * BLOCK), chi = new Float64Array(BLOCK);
    let k = BLOCK;
    while (t < maxSteps) {
      if (k === BLOCK) {
        g.fillNormal(zxi);
        R.fill(g, chi);
        k = 0;
      }
      const z = zxi[2 * k]!, xi = zxi[2 * k + 1]!, r = chi[k]!;
      k++;
      const c = Math.sqrt(Math.max(0, 1 - m * m));
      let y = f(m * z + c * xi);
      if (tau > 0) y += tau * g.normal();
      if (flip > 0 && g.uniform() < flip) y = -y;
      let s: number;
      if (kind === 0) {
        const sz = square || etaA > 0 ? sigma(z) : 0;
        const res = square ? y - a * sz : y;
        s = gamma * res * a * dsigma(z);
        if (etaA > 0) a += etaA * res * sz;
      } else if (kind === 1) {
        // inner plain steps on the same sample: <w', x> = <w, x> + etaInner * psi * |x|^2, |x|^2 = z^2 + xi^2 + R
        const x2 = z * z + xi * xi + r;
        let h = z;
        for (let j = 0; j < innerSteps; j++) {
          const res = square ? y - a * sigma(h) : y;
          h += etaInner * res * a * dsigma(h) * x2;
        }
        const res = square ? y - a * sigma(h) : y;
        s = gamma * res * a * dsigma(h);
        if (etaA > 0) { const sz = sigma(z); a += etaA * (square ? y - a * sz : y) * sz; }
      } else {
        // layer-wise: a~ = a + etaA r sigma(z), then the w-step with a~; a keeps a~ only if the second layer is trained
        const sz = sigma(z);
        const at = a + etaAlt * (square ? y - a * sz : y) * sz;
        s = gamma * (square ? y - at * sz : y) * at * dsigma(z);
        if (etaA > 0) a = at;
      }
      const next = (m + s * xi * c) / Math.sqrt(1 + s * s * (xiWeight * xi * xi + r));
      t++;
      if (!Number.isFinite(next) || !Number.isFinite(a) || Math.abs(a) > DIVERGENCE_BOUND) {
        monitor.diverge(!Number.isFinite(s) ? `non-finite gradient scalar at step ${t}` : `second layer blew up at step ${t}`);
        break;
      }
      m = next > 1 ? 1 : next < -1 ? -1 : next;
      if (monitor.observe(t, useAbs ? (m < 0 ? -m : m) : m)) break;
    }
  }
  return monitor.outcome(t, useAbs ? Math.abs(m) : m, m);
}
