/**
 * The leaping engine (`--engine leap`) for the reduced single-neuron chain: where the overlap is small and moves by
 * O(gamma) per step, K steps are advanced at once,
 *
 *   m <- m + K mu(m_mid) + sqrt(K v(m_mid)) N,   m_mid = m + K mu(m) / 2,
 *
 * from the first two moments (mu, v) of one step of the exact update at fixed overlap (overlapMoments.ts,
 * `ExactStepMoments`: quadrature of the exact map, no expansion in the step; the K increments at fixed m are
 * independent, so their sum has mean K mu and variance K v, and is Gaussian up to O(K^{-1/2}) skewness); the drift is
 * taken at the deterministic midpoint (second order in the leap length). K is chosen per leap so that
 *   K |mu| + sqrt(K v) <= fraction * max(|m|, d^{-1/2})           (the overlap moves by at most `fraction` of its scale)
 *   K |mu| + 5 sqrt(K v) <= threshold - overlap                      (a leap does not jump over the threshold),
 * and when that K falls below `minLeap` the exact chain runs step by step (near the threshold, and wherever the
 * moments change too fast). An approximation of the exact chain: its error is measured, not assumed
 * (test/simulations/leap.test.ts compares escape-time laws with the exact chain by two-sample KS and shows that the
 * test rejects a deliberately coarse leap).
 */
import { ChiSquareSampler, Xoshiro128 } from "../numeric/xoshiro.js";
import { EscapeMonitor, type Problem, type RunOutcome } from "./model.js";
import { ExactStepMoments } from "./overlapMoments.js";
import { uniformInitialOverlap } from "./reduced.js";

/** Leap control: the fraction of the overlap's scale a leap may move, the shortest leap, an optional fixed K. */
export interface LeapSettings {
  /** Largest typical move per leap, as a fraction of max(|m|, d^{-1/2}). */
  readonly fraction: number;
  /** Leaps shorter than this are replaced by exact steps. */
  readonly minLeap: number;
  /** Force every leap to this K (ignoring the fraction rule; for the tests that must reject a coarse leap). */
  readonly fixedLeap?: number;
  /** If given, the run adds its number of leaps, leapt steps and exact steps here. */
  readonly stats?: LeapStatistics;
}

/** Counters of a leaping run: how many leaps, how many steps they covered, how many steps were taken exactly. */
export interface LeapStatistics { leaps: number; leptSteps: number; exactSteps: number }

/** Defaults: leaps move the overlap by at most 20% of its scale; fewer than 64 steps are taken exactly. */
export const DEFAULT_LEAP: LeapSettings = { fraction: 0.2, minLeap: 64 };

/** Moments per problem (the Mehler coefficients cost a few ms; a sweep runs many replicates of one problem). */
const momentsCache = new WeakMap<Problem, ExactStepMoments>();

/** One run of the leaping engine (p = k = 1, online variant, fixed second layer). */
export function simulateLeap(p: Problem, g: Xoshiro128, settings: LeapSettings = DEFAULT_LEAP): RunOutcome {
  let moments = momentsCache.get(p);
  if (!moments) { moments = new ExactStepMoments(p); momentsCache.set(p, moments); }
  const R = new ChiSquareSampler(p.d - 2);
  const useAbs = p.overlap === "abs";
  let m = p.m0 ?? uniformInitialOverlap(p.d, g);
  const monitor = new EscapeMonitor(p, useAbs ? Math.abs(m) : m);
  const f = p.target.f, dsigma = p.student.sigmaPrime, sigma = p.student.sigma;
  const gamma = p.eta, a = p.a0, tau = p.noiseSigma, flip = p.flipProbability, square = p.loss === "square";
  const thr = p.threshold, scale0 = 1 / Math.sqrt(p.d), maxSteps = p.maxSteps;
  const minLeap = settings.minLeap, frac = settings.fraction;
  let t = 0;
  const ov = (x: number) => (useAbs ? Math.abs(x) : x);
  if (monitor.started) {
    outer: while (t < maxSteps) {
      const left = maxSteps - t;
      let K = 0;
      const mom = moments.at(m);
      const mu = Math.abs(mom.drift), sd = Math.sqrt(mom.variance);
      if (settings.fixedLeap !== undefined) K = settings.fixedLeap;
      else {
        K = leapLength(mu, sd, frac * Math.max(Math.abs(m), scale0), 1);
        // stay clear of the threshold: the crossing time inside a leap would be lost
        const dist = monitor.escapeStep === null ? thr - ov(m) : Infinity;
        K = Math.min(K, leapLength(mu, sd, dist, 5));
      }
      K = Math.min(Math.floor(K), left);
      if (K >= minLeap && Math.abs(m) < 0.9) {
        const mid = moments.at(clamp(m + (K * mom.drift) / 2));
        const next = m + K * mid.drift + Math.sqrt(K * mid.variance) * g.normal();
        t += K;
        if (settings.stats) { settings.stats.leaps++; settings.stats.leptSteps += K; }
        if (!Number.isFinite(next)) { monitor.diverge(`non-finite leap at step ${t}`); break; }
        m = clamp(next);
        if (monitor.observe(t, ov(m))) break;
        continue;
      }
      // exact steps (theory-notes §4.1), a block of at most minLeap
      const n = Math.min(Math.max(minLeap, 1), left);
      for (let j = 0; j < n; j++) {
        const z = g.normal(), xi = g.normal(), r = R.sample(g);
        const c = Math.sqrt(Math.max(0, 1 - m * m));
        let y = f(m * z + c * xi);
        if (tau > 0) y += tau * g.normal();
        if (flip > 0 && g.uniform() < flip) y = -y;
        const res = square ? y - a * sigma(z) : y;
        const s = gamma * res * a * dsigma(z);
        const next = (m + s * xi * c) / Math.sqrt(1 + s * s * (xi * xi + r));
        t++;
        if (settings.stats) settings.stats.exactSteps++;
        if (!Number.isFinite(next)) { monitor.diverge(`non-finite gradient scalar at step ${t}`); break outer; }
        m = clamp(next);
        if (monitor.observe(t, ov(m))) break outer;
      }
    }
  }
  return monitor.outcome(t, ov(m), m);
}

function clamp(x: number): number {
  return x > 1 ? 1 : x < -1 ? -1 : x;
}

/** Largest K with K mu + z sd sqrt(K) <= budget (mu, sd >= 0): the positive root in sqrt(K) of a quadratic. */
export function leapLength(mu: number, sd: number, budget: number, z: number): number {
  if (!(budget > 0)) return 0;
  if (mu <= 0) return sd > 0 ? (budget / (z * sd)) ** 2 : Infinity;
  const b = z * sd;
  const x = (2 * budget) / (b + Math.sqrt(b * b + 4 * mu * budget)); // = (-b + sqrt(b^2 + 4 mu budget)) / (2 mu), stably
  return x * x;
}
