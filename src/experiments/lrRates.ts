/**
 * The global learning rate of the lr-transition experiment, tuned per (d, η) from the drift channels of the update
 * (Tsiolis, Mousavi-Hosseini, Erdogdu, arXiv 2510.21020, Theorem "3.3" as restated in theory notes §3.1: T(η) =
 * min_i Θ̃(μ_i(η)^{-2} d^{(i−1)∨1}); the noise factor and the rate from the drift/noise balance of notes §4.2).
 *
 * For the update scalar ψ_η(y, z) of the algorithm (y = σ*(U), z = ⟨w, x⟩ = Z; notes §3.1), the drift is
 *     E[ψ (U − m Z)] = (1 − m²) Σ_i A_i m^{i−1},   A_i = √i E[ψ(σ*(U), Z) h_i(U) h_{i−1}(Z)]   (U ⊥ Z),
 * with h_k = He_k/√k! (the notes' drift identity, written for any ψ through its bivariate Hermite coefficients), and
 * the noise of a step is V(η) = E[ψ²] at m = 0 times |P⊥x|² ≈ d. Channel i alone gives, at its best rate
 *     γ_i = |A_i| / (V d^{max(i/2, 1)}),   T_i = V d^{max(i−1, 1)} / A_i²,
 * (online SGD with IE i: step γ ∝ d^{−max(i/2,1)}, time ∝ d^{max(i−1,1)}; notes §2.6, §4.2), constants dropped. The
 * rate used is the one of the fastest channel. For online SGD on He_3 this is 0.17 d^{−3/2}, the scale the online
 * prescription γ0 d^{−3/2} scans; at large inner η the noise V(η) grows like η² and a fixed online rate stalls the
 * run (every run censored), which is what the channel rate corrects.
 */
import { derivative } from "../link/analysis.js";
import { compileUnivariate } from "../link/compile.js";
import { parseLink } from "../link/link.js";
import { gaussHermite } from "../numeric/gaussHermite.js";

export type RateAlgorithm = "online" | "batch-reuse" | "alternating";

export interface DriftChannel {
  /** Hermite degree i of the channel (the power m^{i−1} of the drift). */
  readonly degree: number;
  readonly A: number;
  /** Samples to weak recovery through this channel alone, up to constants and logs. */
  readonly time: number;
  /** Its rate |A_i| / (V d^{max(i/2,1)}). */
  readonly rate: number;
}

export interface ChannelRate {
  readonly V: number;
  readonly channels: DriftChannel[];
  /** The fastest channel (smallest time). */
  readonly best: DriftChannel;
}

/** Normalised probabilists' Hermite values h_0..h_K at x. */
function hermiteRow(x: number, K: number): Float64Array {
  const h = new Float64Array(K + 1);
  h[0] = 1;
  if (K >= 1) h[1] = x;
  for (let k = 1; k < K; k++) h[k + 1] = (x * h[k]! - Math.sqrt(k) * h[k - 1]!) / Math.sqrt(k + 1);
  return h;
}

/** ψ_η(y, z) of each algorithm as the reduced engine runs it (src/simulations/reduced.ts), with |x|² ≈ d. */
export function updateScalar(algorithm: RateAlgorithm, a0: number, eta: number, d: number, sigma: (z: number) => number, dsigma: (z: number) => number): (y: number, z: number) => number {
  if (algorithm === "online") return (y, z) => y * a0 * dsigma(z);
  if (algorithm === "alternating") return (y, z) => { const at = a0 + eta * y * sigma(z); return y * at * dsigma(z); };
  return (y, z) => y * a0 * dsigma(z + eta * y * a0 * dsigma(z) * d);
}

/**
 * The drift channels and the rate of the fastest one at (d, η). Quadrature: n-point Gauss–Hermite in U and in Z
 * (exact for polynomial links and activations of moderate degree).
 */
export function channelRate(o: { target: string; activation: string; algorithm: RateAlgorithm; a0: number; eta: number; d: number; maxDegree?: number; nodes?: number }): ChannelRate {
  const K = o.maxDegree ?? 8, n = o.nodes ?? 64;
  const target = parseLink(o.target).f;
  const act = parseLink(o.activation);
  const sigma = act.f, dsigma = compileUnivariate(derivative(act.expr));
  const psi = updateScalar(o.algorithm, o.a0, o.eta, o.d, sigma, dsigma);
  const rule = gaussHermite(n);
  const hu = Array.from(rule.nodes, (u) => hermiteRow(u, K)), hz = Array.from(rule.nodes, (z) => hermiteRow(z, K));
  const ys = Array.from(rule.nodes, (u) => target(u));
  const b = new Float64Array(K + 1);
  let V = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = rule.weights[i]! * rule.weights[j]!, p = psi(ys[i]!, rule.nodes[j]!);
      V += w * p * p;
      for (let k = 1; k <= K; k++) b[k] += w * p * hu[i]![k]! * hz[j]![k - 1]!;
    }
  }
  const channels: DriftChannel[] = [];
  for (let k = 1; k <= K; k++) {
    const A = Math.sqrt(k) * b[k]!;
    // a channel whose coefficient is at quadrature-rounding level carries no drift
    if (!(Math.abs(A) > 1e-9 * Math.sqrt(V))) continue;
    channels.push({ degree: k, A, time: (V * Math.pow(o.d, Math.max(k - 1, 1))) / (A * A), rate: Math.abs(A) / (V * Math.pow(o.d, Math.max(k / 2, 1))) });
  }
  if (!channels.length) throw new Error(`no drift channel up to degree ${K} for ${o.algorithm} on ${o.target} with activation ${o.activation}`);
  const best = channels.reduce((x, y) => (y.time < x.time ? y : x));
  return { V, channels, best };
}

/** The channel model's curve T(η) = min_i T_i(η) at one d, on a log grid of η. */
export function channelCurve(o: { target: string; activation: string; algorithm: RateAlgorithm; a0: number; d: number; etas: number[] }): { eta: number; time: number; degree: number }[] {
  return o.etas.map((eta) => { const r = channelRate({ ...o, eta, nodes: 48 }); return { eta, time: r.best.time, degree: r.best.degree }; });
}

/**
 * Where the channel model says the transition is resolvable: at each d = 2^k, η* is the first η at which the fastest
 * channel is no longer the small-η one and η_end the first η with T within 1.5× of its smallest value; the transition is "resolvable" when the drop
 * spans at least `minDecades` in η and `minFactor` in samples (a piecewise-linear fit needs a few η per segment).
 * Returns the smallest such d (up to 2^maxLog2), with the model's figures at that d, or null.
 */
export function resolvableDimension(o: { target: string; activation: string; algorithm: RateAlgorithm; a0: number; minDecades?: number; minFactor?: number; maxLog2?: number }): { d: number; etaStar: number; etaEnd: number; drop: number } | null {
  const etas = Array.from({ length: 8 * 8 + 1 }, (_, i) => Math.pow(10, -8 + i / 8));
  for (let k = 8; k <= (o.maxLog2 ?? 22); k++) {
    const d = 2 ** k;
    const curve = channelCurve({ ...o, d, etas });
    const first = curve[0]!;
    const switchAt = curve.findIndex((x) => x.degree !== first.degree);
    if (switchAt < 0) continue;
    // end of the drop: the first η within a factor 1.5 of the smallest T (T(η) saturates rather than turning up)
    const tMin = Math.min(...curve.map((x) => x.time));
    const end = curve.findIndex((x) => x.time <= 1.5 * tMin);
    if (end <= switchAt) continue;
    const decades = Math.log10(curve[end]!.eta / curve[switchAt]!.eta), drop = first.time / curve[end]!.time;
    if (decades >= (o.minDecades ?? 1) && drop >= (o.minFactor ?? 10)) return { d, etaStar: curve[switchAt]!.eta, etaEnd: curve[end]!.eta, drop };
  }
  return null;
}
