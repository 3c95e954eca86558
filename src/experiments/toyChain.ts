/**
 * The solvable toy of seed 004 (Atanasov, Meterez, Simon, Pehlevan, "The optimization landscape of SGD across the
 * feature learning strength", arXiv 2410.04642, §4 "a simple model explaining observed scalings"): a depth-L scalar
 * chain, centred and divided by γ, trained by gradient descent on one example,
 *     f(w) = (Π_{l≤L} w_l − 1)/γ,   w_l(0) = 1,   target 1,   loss ℓ = ½ (f − 1)².
 * Our reconstruction (theory notes §3.5, [derived here]; the paper's one-parameter model and Table 1 were not read):
 *   λ_max(init) = L/γ²  ⇒ η_max = 2γ²/L (γ ≪ 1);   λ_max at the balanced minimiser w_l = (1+γ)^{1/L} ≈ L γ^{−2/L}
 *   ⇒ η_max = 2γ^{2/L}/L (γ ≫ 1);   plateau dw/dτ = w^{L−1} in τ = η t/γ, blowing up at τ* = 1/(L − 2).
 */
import { DIVERGENCE_BOUND } from "../simulations/divergence.js";

export type ToyStatus = "converged" | "diverged" | "not-converged";

export interface ToyRun {
  readonly status: ToyStatus;
  /** Steps until ℓ ≤ tol held for `hold` consecutive steps (the first of them), or null. */
  readonly convergedAt: number | null;
  /** First step with ℓ ≤ ℓ(0)/2 (escape from the initial plateau), or null. */
  readonly escapeStep: number | null;
  readonly finalLoss: number;
  readonly steps: number;
}

export interface ToyOptions {
  readonly gamma: number;
  readonly eta: number;
  readonly L: number;
  readonly T: number;
  readonly tol?: number;
  /** Consecutive in-tolerance steps required (oscillation dips fake convergence; notes §3.5). */
  readonly hold?: number;
  /** Record ℓ at these steps (sorted). */
  readonly recordAt?: readonly number[];
}

/** Gradient descent on the toy chain; every step is exact float64 arithmetic on L numbers. */
export function runToyChain(o: ToyOptions, record?: number[]): ToyRun {
  const { gamma, eta, L, T } = o, tol = o.tol ?? 1e-12, hold = o.hold ?? 50;
  const w = new Float64Array(L).fill(1);
  let streak = 0, convergedAt: number | null = null, escapeStep: number | null = null;
  const loss0 = 0.5;
  let rec = 0;
  const recordAt = o.recordAt ?? [];
  for (let t = 0; t <= T; t++) {
    let prod = 1;
    for (let l = 0; l < L; l++) prod *= w[l];
    const f = (prod - 1) / gamma, res = f - 1, loss = 0.5 * res * res;
    while (record && rec < recordAt.length && recordAt[rec] <= t) { record.push(loss); rec++; }
    if (!Number.isFinite(loss) || loss > DIVERGENCE_BOUND) return { status: "diverged", convergedAt: null, escapeStep, finalLoss: Infinity, steps: t };
    if (escapeStep === null && loss <= loss0 / 2) escapeStep = t;
    if (loss <= tol) { if (streak === 0) convergedAt = t; streak++; if (streak >= hold) return { status: "converged", convergedAt, escapeStep, finalLoss: loss, steps: t }; }
    else { streak = 0; convergedAt = null; }
    if (t === T) return { status: "not-converged", convergedAt: null, escapeStep, finalLoss: loss, steps: t };
    // ∂ℓ/∂w_l = res · Π_{m≠l} w_m / γ (products without division so a zero weight is handled)
    const scale = (eta * res) / gamma;
    const prefix = new Float64Array(L + 1), suffix = new Float64Array(L + 1);
    prefix[0] = 1; for (let l = 0; l < L; l++) prefix[l + 1] = prefix[l] * w[l];
    suffix[L] = 1; for (let l = L - 1; l >= 0; l--) suffix[l] = suffix[l + 1] * w[l];
    for (let l = 0; l < L; l++) w[l] -= scale * prefix[l] * suffix[l + 1];
  }
  return { status: "not-converged", convergedAt: null, escapeStep, finalLoss: NaN, steps: T };
}

/** Predicted edges of stability of the toy (notes §3.5): 2γ²/L at init, 2/λ_max at the balanced minimiser. */
export function predictedEtaMax(gamma: number, L: number): { lazy: number; rich: number; balanced: number } {
  // λ_max at w_l = (1+γ)^{1/L}: L (1+γ)^{2(L−1)/L} / γ² (rank-one Hessian ∇f∇fᵀ at zero residual)
  const balanced = (2 * gamma * gamma) / (L * Math.pow(1 + gamma, (2 * (L - 1)) / L));
  return { lazy: (2 * gamma * gamma) / L, rich: (2 * Math.pow(gamma, 2 / L)) / L, balanced };
}

/** τ* = 1/(L − 2): blow-up time of dw/dτ = w^{L−1} from w = 1 (infinite for L ≤ 2). */
export const tauStar = (L: number) => (L > 2 ? 1 / (L - 2) : Infinity);

/**
 * Gradient-flow escape time in τ = ηt/γ: integrate dτ = dw / ((1 − f) w^{L−1}) with f = (w^L − 1)/γ from w = 1
 * to the point where ℓ = ℓ(0)/2, i.e. f = 1 − 1/√2 (Simpson's rule in u = log w).
 */
export function predictedEscapeTau(gamma: number, L: number): number {
  const fEsc = 1 - Math.SQRT1_2, wEsc = Math.pow(1 + gamma * fEsc, 1 / L), U = Math.log(wEsc);
  const N = 4000, h = U / N;
  // dτ/du = w / ((1 − f) w^{L−1}) = w^{2−L} / (1 − f)
  const g = (u: number) => { const w = Math.exp(u); return Math.pow(w, 2 - L) / (1 - (Math.pow(w, L) - 1) / gamma); };
  let s = g(0) + g(U);
  for (let i = 1; i < N; i++) s += (i % 2 ? 4 : 2) * g(i * h);
  return (s * h) / 3;
}

/**
 * η_max(γ): the largest η for which GD converges within T steps, by bisection in log η between a converging and a
 * non-converging learning rate (relative resolution `rel`).
 */
export function bisectEtaMax(gamma: number, L: number, lo: number, hi: number, T: number, rel = 1e-3): { etaMax: number; bracket: [number, number] } {
  const ok = (eta: number) => runToyChain({ gamma, eta, L, T }).status === "converged";
  if (!ok(lo)) return { etaMax: NaN, bracket: [lo, hi] };
  if (ok(hi)) return { etaMax: hi, bracket: [hi, hi] };
  while (hi / lo > 1 + rel) { const mid = Math.sqrt(lo * hi); if (ok(mid)) lo = mid; else hi = mid; }
  return { etaMax: Math.sqrt(lo * hi), bracket: [lo, hi] };
}
