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
import { ChiSquareSampler, ReducedChainDraws, Xoshiro128 } from "../numeric/xoshiro.js";
import { EscapeMonitor, type Problem, type RunOutcome } from "./model.js";
import { invSqrt1p, KERNEL_WIDTHS, REDUCED_BLOCK, reducedKernel, type Lane } from "./reducedKernel.js";

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

/** Several runs of the reduced chain in lockstep, one per stream: bitwise `simulateReduced(p, g)` for each g. */
export function simulateReducedRuns(p: Problem, gs: readonly Xoshiro128[]): RunOutcome[] {
  return reducedChains(p, gs, EXACT);
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
  return reducedChains(p, [g], perturbation)[0]!;
}

/**
 * Several runs of one problem, one per stream, advanced in lockstep by the compiled kernels (four at a time while
 * four are going, then two, then one; a finished run's slot is taken by the next stream). Each run draws only from
 * its own stream, in the order of a lone run, so every outcome is bitwise that of `reducedChain(p, gs[i])`: the law
 * for a seed does not depend on how runs are grouped. Outcomes in the order of `gs`.
 */
export function reducedChains(p: Problem, gs: readonly Xoshiro128[], perturbation: ChainPerturbation): RunOutcome[] {
  const xiWeight = perturbation.dropXiSquared ? 0 : 1;
  if (!reducedKernel(p, xiWeight)) return gs.map((g) => reducedChainReference(p, g, perturbation));
  const useAbs = p.overlap === "abs";
  const v = p.variant;
  const P = {
    gamma: p.eta, tau: p.noiseSigma, flip: p.flipProbability, etaA: p.etaSecondLayer,
    etaInner: v.kind === "reuse" ? v.etaInner : 0, innerSteps: v.kind === "reuse" ? v.innerSteps : 0,
    etaAlt: v.kind === "alternating" ? v.etaA : 0, xiWeight, maxSteps: p.maxSteps, threshold: p.threshold,
  };
  const outcomes: RunOutcome[] = new Array(gs.length);
  const finish = (i: number, lane: Lane) => {
    lane.draws.release();
    outcomes[i] = lane.monitor.outcome(lane.t, useAbs ? Math.abs(lane.m) : lane.m, lane.m);
  };
  // lanes going, with the index of their stream; a lane that takes no step at all finishes at once
  const going: [number, Lane][] = [];
  let next = 0;
  const admit = () => {
    while (next < gs.length && going.length < KERNEL_WIDTHS[0]) {
      const i = next++, g = gs[i]!;
      const m0 = p.m0 ?? uniformInitialOverlap(p.d, g);
      const draws = new ReducedChainDraws(p.d - 2 + perturbation.extraDegrees);
      const lane: Lane = {
        m: m0, a: p.a0, t: 0, k: BLOCK, stopped: false, g, draws, monitor: new EscapeMonitor(p, useAbs ? Math.abs(m0) : m0), ...draws.buffers(BLOCK),
      };
      if (lane.monitor.started && p.maxSteps > 0) going.push([i, lane]); else finish(i, lane);
    }
  };
  admit();
  while (going.length > 0) {
    const width = KERNEL_WIDTHS.find((w) => w <= going.length)!;
    const batch = going.slice(0, width);
    reducedKernel(p, xiWeight, width)!(batch.map((x) => x[1]), P);
    for (let j = going.length - 1; j >= 0; j--) {
      const [i, lane] = going[j]!;
      if (lane.stopped) { finish(i, lane); going.splice(j, 1); }
    }
    admit();
  }
  return outcomes;
}

/**
 * The generic loop of the reduced chain: link and student called as closures, the variant switched per step. The
 * reference the compiled kernels must reproduce bit for bit, and the engine for hand-made activations.
 */
export function reducedChainReference(p: Problem, g: Xoshiro128, perturbation: ChainPerturbation): RunOutcome {
  const f = p.target.f, sigma = p.student.sigma, dsigma = p.student.sigmaPrime;
  const draws = new ReducedChainDraws(p.d - 2 + perturbation.extraDegrees);
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
    // (z, xi, R) are drawn in whole blocks of BLOCK steps (same law, fewer words than single draws; see xoshiro.ts
    // ReducedChainDraws). Blocks are never truncated at maxSteps, so a larger budget follows the same trajectory.
    const { zs, xis, rs } = draws.buffers(BLOCK);
    let k = BLOCK;
    while (t < maxSteps) {
      if (k === BLOCK) {
        draws.fill(g, zs, xis, rs, BLOCK);
        k = 0;
      }
      const z = zs[k]!, xi = xis[k]!, r = rs[k]!;
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
      const next = (m + s * xi * c) * invSqrt1p(s * s * (xiWeight * xi * xi + r));
      t++;
      if (!Number.isFinite(next) || !Number.isFinite(a) || Math.abs(a) > DIVERGENCE_BOUND) {
        monitor.diverge(!Number.isFinite(s) ? `non-finite gradient scalar at step ${t}` : `second layer blew up at step ${t}`);
        break;
      }
      m = next > 1 ? 1 : next < -1 ? -1 : next;
      if (monitor.observe(t, useAbs ? (m < 0 ? -m : m) : m)) break;
    }
  }
  draws.release();
  return monitor.outcome(t, useAbs ? Math.abs(m) : m, m);
}
