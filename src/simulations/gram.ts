/**
 * Exact dimension-free simulation of a two-layer network with p spherical neurons learning a k-index target by
 * online SGD, through the Gram matrix of (w_1..w_p, w*_1..w*_k) (theory-notes §4.4, derived here).
 *
 * Per step: factor G = L L^T (semidefinite Cholesky; rank = number of positive pivots), draw g ~ N(0, I_r) and
 * R ~ chi^2_{d - rank}; then h = L g are all the preactivations (students, then targets) of a fresh x ~ N(0, I_d),
 * and |x|^2 = |g|^2 + R. The spherical step w_i' = (1 - s_i h_i) w_i + s_i x (the projection P_{w_i}^perp x = x - h_i w_i)
 * gives, with D_i = 1 - s_i h_i (D = 1, s = 0 on target rows),
 *
 *   G'_ij = D_i D_j G_ij + D_i s_j h_i + D_j s_i h_j + s_i s_j |x|^2,
 *
 * followed by renormalisation of the student rows. The cost is O(r^3) per step whatever d is.
 *
 * Initial law (w_i uniform on the sphere, independent): the coordinates of the unnormalised Gaussian w_i on the
 * target span are N(0, I_k), and the Gram matrix of their orthogonal parts is Wishart_p(d - k, I), drawn by the
 * Bartlett decomposition (B lower triangular, B_ii^2 ~ chi^2_{d-k-i}, i = 0..p-1, B_ij ~ N(0,1) below the diagonal).
 */
import { DIVERGENCE_BOUND } from "./divergence.js";
import { ChiSquareSampler, Xoshiro128 } from "../numeric/xoshiro.js";
import { EscapeMonitor, type Problem, type RunOutcome } from "./model.js";
import { TwoLayerScalars, overlapStatistic } from "./twoLayer.js";

/** Pivots below this fraction of the diagonal count as zero (the vectors are then linearly dependent). */
const PIVOT_TOLERANCE = 1e-13;

/**
 * Semidefinite Cholesky factor of the r x r matrix G (row-major) into L (row-major, lower); returns the rank.
 * A zero pivot zeroes its column: the corresponding vector lies in the span of the previous ones.
 */
export function semidefiniteCholesky(G: Float64Array, r: number, L: Float64Array): number {
  let rank = 0;
  L.fill(0);
  for (let j = 0; j < r; j++) {
    let diag = G[j * r + j]!;
    for (let l = 0; l < j; l++) diag -= L[j * r + l]! * L[j * r + l]!;
    if (!(diag > PIVOT_TOLERANCE * G[j * r + j]!)) continue; // column j stays zero
    const ljj = Math.sqrt(diag);
    L[j * r + j] = ljj;
    rank++;
    for (let i = j + 1; i < r; i++) {
      let v = G[i * r + j]!;
      for (let l = 0; l < j; l++) v -= L[i * r + l]! * L[j * r + l]!;
      L[i * r + j] = v / ljj;
    }
  }
  return rank;
}

/** Initial Gram matrix (row-major r x r) for independent uniform students and orthonormal targets. */
export function initialGram(p: Problem, g: Xoshiro128): Float64Array {
  const P = p.width, k = p.targets, r = P + k, d = p.d;
  const G = new Float64Array(r * r);
  for (let j = 0; j < k; j++) G[(P + j) * r + P + j] = 1;
  if (p.m0 !== null) {
    G[0] = 1; G[1] = p.m0; G[r] = p.m0;
    return G;
  }
  const C = new Float64Array(P * k);
  for (let i = 0; i < P * k; i++) C[i] = g.normal();
  const B = new Float64Array(P * P);
  for (let i = 0; i < P; i++) {
    B[i * P + i] = Math.sqrt(new ChiSquareSampler(d - k - i).sample(g));
    for (let j = 0; j < i; j++) B[i * P + j] = g.normal();
  }
  for (let i = 0; i < P; i++) {
    for (let j = 0; j <= i; j++) {
      let v = 0;
      for (let l = 0; l < k; l++) v += C[i * k + l]! * C[j * k + l]!;
      for (let l = 0; l <= j; l++) v += B[i * P + l]! * B[j * P + l]!;
      G[i * r + j] = v; G[j * r + i] = v;
    }
    for (let l = 0; l < k; l++) { G[i * r + P + l] = C[i * k + l]!; G[(P + l) * r + i] = C[i * k + l]!; }
  }
  normaliseStudents(G, P, r);
  return G;
}

function normaliseStudents(G: Float64Array, P: number, r: number): void {
  const n = new Float64Array(r).fill(1);
  for (let i = 0; i < P; i++) n[i] = 1 / Math.sqrt(G[i * r + i]!);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) G[i * r + j] = G[i * r + j]! * n[i]! * n[j]!;
  for (let i = 0; i < P; i++) G[i * r + i] = 1;
}

/**
 * One run of online SGD of p neurons on a k-index target through the Gram matrix of (w_1..w_p, w*_1..w*_k): exact
 * law at any d, O((p+k)^3) per step (the update is in this module's header).
 */
export function simulateGram(p: Problem, g: Xoshiro128): RunOutcome {
  const P = p.width, k = p.targets, r = P + k, d = p.d;
  const useAbs = p.overlap === "abs", all = p.escape === "all", tau = p.noiseSigma, flip = p.flipProbability;
  const target = p.target.g;
  const scalars = new TwoLayerScalars(p);
  const chi: (ChiSquareSampler | null)[] = Array.from({ length: r + 1 }, (_, rank) => (d - rank > 0 ? new ChiSquareSampler(d - rank) : null));
  const G = initialGram(p, g), G2 = new Float64Array(r * r), L = new Float64Array(r * r);
  const gv = new Float64Array(r), h = new Float64Array(r), s = new Float64Array(r), D = new Float64Array(r).fill(1), n = new Float64Array(r).fill(1);
  const zStar = new Float64Array(k);
  const a = new Float64Array(P).fill(p.a0);
  const hs = h.subarray(0, P), ss = s.subarray(0, P);
  const monitor = new EscapeMonitor(p, overlapStatistic(G, P, r, P, k, useAbs, all));
  let t = 0;
  if (monitor.started) {
    while (t < p.maxSteps) {
      const rank = semidefiniteCholesky(G, r, L);
      let x2 = 0;
      g.fillNormal(gv, 0, r);
      for (let j = 0; j < r; j++) {
        if (!(L[j * r + j]! > 0)) gv[j] = 0; // coordinates along dependent directions do not exist
        x2 += gv[j]! * gv[j]!;
      }
      x2 += chi[rank]!.sample(g);
      for (let i = 0; i < r; i++) {
        let v = 0;
        for (let l = 0; l <= i; l++) v += L[i * r + l]! * gv[l]!;
        h[i] = v;
      }
      for (let j = 0; j < k; j++) zStar[j] = h[P + j]!;
      let y = target(zStar);
      if (tau > 0) y += tau * g.normal();
      if (flip > 0 && g.uniform() < flip) y = -y;
      scalars.scalars(hs, y, x2, a, ss);
      for (let i = 0; i < P; i++) {
        const Di = 1 - s[i]! * h[i]!, si = s[i]!;
        D[i] = Di;
        // |w_i'|^2 = D_i^2 + 2 D_i s_i h_i + s_i^2 |x|^2 (G_ii = 1): the renormalisation factors n_i = 1/|w_i'|
        n[i] = 1 / Math.sqrt(Di * Di + 2 * Di * si * h[i]! + si * si * x2);
      }
      let sum = 0;
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < i; j++) {
          const v = (D[i]! * D[j]! * G[i * r + j]! + D[i]! * s[j]! * h[i]! + D[j]! * s[i]! * h[j]! + s[i]! * s[j]! * x2) * n[i]! * n[j]!;
          G2[i * r + j] = v; G2[j * r + i] = v;
          sum += v;
        }
        G2[i * r + i] = i < P ? 1 : G[i * r + i]!;
      }
      t++;
      let finite = Number.isFinite(sum);
      for (let i = 0; i < P && finite; i++) finite = Number.isFinite(n[i]!) && Number.isFinite(a[i]!) && Math.abs(a[i]!) <= DIVERGENCE_BOUND;
      if (!finite) {
        monitor.diverge(ss.every(Number.isFinite) ? `second layer or Gram matrix blew up at step ${t}` : `non-finite gradient scalar at step ${t}`);
        break;
      }
      G.set(G2);
      // |<w_i, w*_j>| <= 1 up to rounding: clamp
      for (let i = 0; i < P; i++) for (let j = 0; j < k; j++) {
        const v = G[i * r + P + j]!;
        if (v > 1 || v < -1) { const c = v > 1 ? 1 : -1; G[i * r + P + j] = c; G[(P + j) * r + i] = c; }
      }
      if (monitor.observe(t, overlapStatistic(G, P, r, P, k, useAbs, all))) break;
    }
  }
  return monitor.outcome(t, overlapStatistic(G, P, r, P, k, useAbs, all), G[P]!);
}
