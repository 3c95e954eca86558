/**
 * Full-dimensional simulation of the same algorithms (for cross-checking the reduced engines at moderate d, and
 * for users who want the real thing): p neurons w_i in R^d on the unit sphere, k orthonormal target directions drawn
 * uniformly (Gram–Schmidt of Gaussian vectors), one fresh x ~ N(0, I_d) per step, plain Float64Array loops.
 * Backend choice: batch-1 steps are O(d) vector operations, where typed-array loops beat TensorFlow.js's per-op
 * dispatch (see bench/online.ts, which measures this engine).
 *
 * Batch reuse is simulated literally: inner plain steps w' = w + etaInner psi x on the same sample, then the spherical
 * step from w with psi at <w', x> (computed by dot products, not by the |x|^2 identity the reduced engines use).
 */
import { DIVERGENCE_BOUND } from "./divergence.js";
import { Xoshiro128 } from "../numeric/xoshiro.js";
import { EscapeMonitor, type Problem, type RunOutcome } from "./model.js";
import { TwoLayerScalars, overlapStatistic } from "./twoLayer.js";

/** What the full-dimensional engine computes with (recorded as the backend of its results). */
export const FULL_BACKEND = "Float64Array loops";

function dot(u: Float64Array, v: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += u[i]! * v[i]!;
  return s;
}

function normalise(u: Float64Array, d: number): number {
  const n = Math.sqrt(dot(u, u, d));
  for (let i = 0; i < d; i++) u[i] = u[i]! / n;
  return n;
}

/**
 * One run of online SGD with d-dimensional vectors: uniform orthonormal targets, neurons uniform on the sphere (or
 * at overlap m0), one fresh x ~ N(0, I_d) per step, the spherical step and renormalisation of `model.ts`. O(p d) per
 * step; the statistical reference for the reduced and Gram engines.
 */
export function simulateFull(p: Problem, g: Xoshiro128): RunOutcome {
  const P = p.width, k = p.targets, d = p.d;
  const useAbs = p.overlap === "abs", all = p.escape === "all", tau = p.noiseSigma, flip = p.flipProbability;
  const scalars = new TwoLayerScalars(p);
  // targets: orthonormalised Gaussian vectors (uniform orthonormal frame)
  const Wstar = Array.from({ length: k }, () => new Float64Array(d));
  for (let j = 0; j < k; j++) {
    const u = Wstar[j]!;
    g.fillNormal(u, 0, d);
    for (let l = 0; l < j; l++) { const c = dot(u, Wstar[l]!, d); for (let i = 0; i < d; i++) u[i] = u[i]! - c * Wstar[l]![i]!; }
    normalise(u, d);
  }
  const W = Array.from({ length: P }, () => new Float64Array(d));
  if (p.m0 !== null) {
    // w = m0 w* + sqrt(1 - m0^2) u with u a uniform unit vector orthogonal to w*
    const u = W[0]!, ws = Wstar[0]!;
    g.fillNormal(u, 0, d);
    const c = dot(u, ws, d);
    for (let i = 0; i < d; i++) u[i] = u[i]! - c * ws[i]!;
    normalise(u, d);
    const q = Math.sqrt(Math.max(0, 1 - p.m0 * p.m0));
    for (let i = 0; i < d; i++) u[i] = p.m0 * ws[i]! + q * u[i]!;
  } else {
    for (const w of W) { g.fillNormal(w, 0, d); normalise(w, d); }
  }
  const a = new Float64Array(P).fill(p.a0);
  const x = new Float64Array(d), h = new Float64Array(P), s = new Float64Array(P), psi = new Float64Array(P), hh = new Float64Array(P);
  const zStar = new Float64Array(k);
  const Mcache = new Float64Array(P * k);
  const refresh = () => { for (let i = 0; i < P; i++) for (let j = 0; j < k; j++) Mcache[i * k + j] = dot(W[i]!, Wstar[j]!, d); };
  const stat = () => overlapStatistic(Mcache, 0, k, P, k, useAbs, all);
  const v = p.variant;
  const wInner = v.kind === "reuse" ? Array.from({ length: P }, () => new Float64Array(d)) : [];

  refresh();
  const monitor = new EscapeMonitor(p, stat());
  let t = 0;
  if (monitor.started) {
    while (t < p.maxSteps) {
      g.fillNormal(x, 0, d);
      for (let i = 0; i < P; i++) h[i] = dot(W[i]!, x, d);
      for (let j = 0; j < k; j++) zStar[j] = dot(Wstar[j]!, x, d);
      let y = p.target.g(zStar);
      if (tau > 0) y += tau * g.normal();
      if (flip > 0 && g.uniform() < flip) y = -y;
      if (v.kind === "reuse") {
        for (let i = 0; i < P; i++) wInner[i]!.set(W[i]!);
        for (let j = 0; j < v.innerSteps; j++) {
          for (let i = 0; i < P; i++) hh[i] = dot(wInner[i]!, x, d);
          scalars.psi(hh, a, y, psi);
          for (let i = 0; i < P; i++) { const c = v.etaInner * psi[i]!, wi = wInner[i]!; for (let l = 0; l < d; l++) wi[l] = wi[l]! + c * x[l]!; }
        }
        for (let i = 0; i < P; i++) hh[i] = dot(wInner[i]!, x, d);
        scalars.psi(hh, a, y, psi);
        for (let i = 0; i < P; i++) s[i] = p.eta * psi[i]!;
        scalars.secondLayerStep(h, a, y);
      } else {
        scalars.scalars(h, y, dot(x, x, d), a, s);
      }
      let finite = true;
      for (let i = 0; i < P; i++) {
        const w = W[i]!, si = s[i]!, hi = h[i]!;
        for (let l = 0; l < d; l++) w[l] = w[l]! + si * (x[l]! - hi * w[l]!); // w + s P_w^perp x
        const n = normalise(w, d);
        if (!Number.isFinite(n) || !Number.isFinite(si) || n === 0) finite = false;
        if (!Number.isFinite(a[i]!) || Math.abs(a[i]!) > DIVERGENCE_BOUND) finite = false;
      }
      t++;
      if (!finite) {
        monitor.diverge(s.every(Number.isFinite) ? `second layer or weights blew up at step ${t}` : `non-finite gradient scalar at step ${t}`);
        break;
      }
      refresh();
      if (monitor.observe(t, stat())) break;
    }
  }
  if (!monitor.diverged) refresh(); // after a divergence the cache keeps the last finite overlaps
  return monitor.outcome(t, stat(), Mcache[0]!);
}
