/**
 * STOPGAP exact reduced online-SGD chain for the lr-transition experiment (theory notes §4.1 [derived here]).
 * TODO(issue 6): replace by the shared engine of src/simulations/ (online SGD, batch reuse, alternating) when it lands;
 * this module exists only because that engine was not in the repository when the experiment was built.
 *
 * One spherical neuron w, teacher w*, overlap m. A fresh sample is x = z w + ξ u + x_⊥ with z, ξ ~ N(0,1),
 * R = |x_⊥|² ~ χ²_{d−2}; z* = m z + sqrt(1 − m²) ξ. A projected step w̃ = w + s (x − z w) gives exactly
 *     m' = (m + s ξ sqrt(1 − m²)) / sqrt(1 + s² (ξ² + R)).
 * Algorithms of Tsiolis, Mousavi-Hosseini, Erdogdu (arXiv 2510.21020; update rules as restated in notes §3.1):
 *   online:       s = γ y σ'(z)
 *   batch-reuse:  w' = w + η y σ'(z) x  ⇒  <w', x> = z + η y σ'(z) (z² + ξ² + R);  s = γ y σ'(<w', x>)
 *   alternating:  ã = a + η y σ(z) (a reset to a0 after each step: an assumption, the paper's choice was not read);
 *                 s = γ y ã σ'(z)
 */
import type { Rng } from "../exponents/random.js";

export type Algorithm = "online" | "batch-reuse" | "alternating";

/** Marsaglia–Tsang gamma(shape k ≥ 1, scale 1) sampler; χ²_ν = 2·gamma(ν/2). */
export function gammaSample(k: number, rng: Rng): number {
  if (k < 1) return gammaSample(k + 1, rng) * Math.pow(rng.uniform(), 1 / k);
  const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = rng.normal(); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export interface ChainSpec {
  readonly d: number;
  readonly algorithm: Algorithm;
  readonly target: (z: number) => number;
  readonly sigma: (z: number) => number;
  readonly dsigma: (z: number) => number;
  readonly gamma: number;
  readonly eta: number;
  readonly a0: number;
  readonly threshold: number;
  readonly maxSteps: number;
}

export interface HittingTime {
  /** Samples to |m| ≥ threshold (one fresh sample per step), Infinity if censored or diverged. */
  readonly steps: number;
  readonly censored: boolean;
  readonly diverged: boolean;
  readonly finalM: number;
}

/** Run one chain from the exact random initial overlap m0 = g/sqrt(g² + χ²_{d−1}). */
export function hittingTime(c: ChainSpec, rng: Rng): HittingTime {
  const g = rng.normal();
  let m = g / Math.sqrt(g * g + 2 * gammaSample((c.d - 1) / 2, rng));
  const half = (c.d - 2) / 2;
  for (let t = 0; t < c.maxSteps; t++) {
    if (Math.abs(m) >= c.threshold) return { steps: t, censored: false, diverged: false, finalM: m };
    const z = rng.normal(), xi = rng.normal(), R = 2 * gammaSample(half, rng);
    const q = Math.sqrt(Math.max(0, 1 - m * m));
    const y = c.target(m * z + q * xi);
    let psi: number;
    if (c.algorithm === "online") psi = y * c.dsigma(z);
    else if (c.algorithm === "batch-reuse") psi = y * c.dsigma(z + c.eta * y * c.dsigma(z) * (z * z + xi * xi + R));
    else psi = y * (c.a0 + c.eta * y * c.sigma(z)) * c.dsigma(z);
    const s = c.gamma * psi;
    const next = (m + s * xi * q) / Math.sqrt(1 + s * s * (xi * xi + R));
    if (!Number.isFinite(next)) return { steps: Infinity, censored: false, diverged: true, finalM: m };
    m = Math.max(-1, Math.min(1, next));
  }
  return { steps: Infinity, censored: true, diverged: false, finalM: m };
}
