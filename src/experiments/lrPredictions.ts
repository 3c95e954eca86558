/**
 * STOPGAP kink predictions for the lr-transition experiment, from the formulas of theory notes §3.1 [derived here].
 * TODO(issue 5): replace by the prediction engine of src/predictions/ when it lands; intended claim ids:
 *   000.alternating-kink  (η* ≍ d^{−[(p−1)∨1 − (p_2−1)∨1]/2}; d^{−1/2} for He_3; constant a/(108√d) for σ = σ* = He_3)
 *   000.batch-reuse-kinks (ηd ≍ d^{−1/2} and ηd ≍ 1, i.e. η ≍ d^{−3/2} and η ≍ d^{−1}, for He_3)
 *   000.online-ie-regime  (small η: hitting time of online SGD, d^{(p−1)∨1})
 * p = IE(σ*), p_2 = IE(σ*²) are computed here from index-lab's own Hermite spectrum.
 */
import { parseLink } from "../link/link.js";
import { hermiteSpectrum } from "../hermite/spectrum.js";
import type { Algorithm } from "./reducedChain.js";

export interface KinkPrediction {
  readonly claimId: string;
  /** Predicted exponent β of η_kink ∝ d^β. */
  readonly exponent: number;
  /** Predicted kink location at dimension d (constant included when derived), or null. */
  readonly at: (d: number) => number | null;
  readonly statement: string;
}

/** Lowest k ≥ 1 with a non-zero Hermite coefficient (the information exponent), up to degree K. */
export function informationExponentOf(source: string, K = 12): number | null {
  const s = hermiteSpectrum(parseLink(source), K);
  for (let k = 1; k <= K; k++) {
    if (s.exact[k] === "0") continue;
    if (Math.abs(s.coefficients[k]) > Math.max(10 * s.errorBounds[k], 1e-12)) return k;
  }
  return null;
}

export function predictedKinks(algorithm: Algorithm, target: string, a0: number): KinkPrediction[] {
  const p = informationExponentOf(target), p2 = informationExponentOf(`(${target})^2`);
  if (p == null || p2 == null) return [];
  const e1 = Math.max(p - 1, 1), e2 = Math.max(p2 - 1, 1);
  if (algorithm === "alternating") {
    if (e1 <= e2) return [];
    const isHe3 = parseLink(target).text.replace(/\s/g, "") === parseLink("He(3,z)").text.replace(/\s/g, "");
    return [{
      claimId: "000.alternating-kink", exponent: -(e1 - e2) / 2,
      at: (d) => (isHe3 ? a0 / (108 * Math.sqrt(d)) : null),
      statement: `alternating: kink at η* ≍ d^{-(${e1} - ${e2})/2} (p = IE(σ*) = ${p}, p_2 = IE(σ*²) = ${p2}); for σ = σ* = He_3, η* ≈ a/(108√d) (μ_3 = 3a, μ_2 = 324η)`,
    }];
  }
  if (algorithm === "batch-reuse") {
    return [
      { claimId: "000.batch-reuse-kinks", exponent: -1.5, at: () => null, statement: "batch reuse: first kink at ηd ≍ d^{-1/2} (η ≍ d^{-3/2}), for He_3" },
      { claimId: "000.batch-reuse-kinks", exponent: -1, at: () => null, statement: "batch reuse: second kink at ηd ≍ 1 (η ≍ d^{-1}), for He_3" },
    ];
  }
  return [];
}
