/**
 * The catalog checks itself (issue 14 §2): for one link, every pair of claims about the same quantity in the same
 * setting must be compatible, i.e. no lower bound may exceed an upper bound the catalog also states. A lower bound
 * for a class (information-theoretic, SQ/low-degree, CSQ) bounds every algorithm in the class; bounds compare only
 * when they measure the same thing (theory schema MEASURES): a lower bound on weak recovery also bounds the samples
 * to recover the whole subspace, not conversely; for single-index links the two coincide.
 */
import fc from "fast-check";
import type { Prediction } from "../predictions/engine.js";
import { polynomialLinkArbitrary, piecewiseLinkArbitrary, smoothLinkArbitrary, staircaseLinkArbitrary, type GeneratedLink } from "./arbitraries.js";

/** The algorithms each lower-bound class covers (besides the class itself). */
export const CLASS_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  "information-theoretic": ["online-sgd", "smoothed-online-sgd", "csq", "sq", "batch-reuse", "data-repetition", "alternating", "multi-pass-gd", "giant-step"],
  // efficient (statistical-query / low-degree) learners: every gradient method of the catalog
  sq: ["online-sgd", "smoothed-online-sgd", "csq", "batch-reuse", "data-repetition", "alternating", "multi-pass-gd", "giant-step"],
  // correlational learners: the gradient of the square or correlation loss is linear in y with fresh samples
  csq: ["online-sgd", "smoothed-online-sgd", "giant-step"],
};

/** Two claims of the catalog that contradict each other on one link. */
export interface CatalogConflict {
  readonly lower: { claimId: string; algorithm: string; formula: string; exponent: number; logPower: number; measures: string | null };
  readonly upper: { claimId: string; algorithm: string; formula: string; exponent: number; logPower: number; measures: string | null };
  /** The conflict in one sentence. */
  readonly reason: string;
}

const SAMPLE_MEASURES = new Set(["samples-weak-recovery", "samples-subspace"]);

function comparableMeasures(lower: string | null, upper: string | null, kind: "single" | "multi"): boolean {
  if (lower === null || upper === null) return false;
  if (lower === upper) return true;
  if (!SAMPLE_MEASURES.has(lower) || !SAMPLE_MEASURES.has(upper)) return false;
  // single-index: one direction is the whole subspace; multi-index: weak-recovery lower bounds also bound full recovery
  return kind === "single" || (lower === "samples-weak-recovery" && upper === "samples-subspace");
}

/** Whether a lower bound stated for `lowerAlgorithm` constrains the algorithm `upperAlgorithm`. */
export function covers(lowerAlgorithm: string, upperAlgorithm: string): boolean {
  return lowerAlgorithm === upperAlgorithm || (CLASS_MEMBERS[lowerAlgorithm] ?? []).includes(upperAlgorithm);
}

/**
 * Every pair (lower bound, upper bound) among the applicable predictions for one link that contradicts: the lower
 * exponent exceeds the upper one, or the exponents tie and the lower log power is larger with neither side up to
 * polylog factors. Only d-scalings with a finite exponent take part.
 */
export function catalogConflicts(kind: "single" | "multi", predictions: readonly Prediction[]): CatalogConflict[] {
  const scaled = predictions.filter((p) => p.applies && p.scaling && p.scaling.base === "d" && p.scaling.exponent !== null);
  const out: CatalogConflict[] = [];
  for (const lo of scaled) {
    if (lo.scaling!.bound === "upper") continue;
    for (const up of scaled) {
      if (up === lo || up.scaling!.bound === "lower") continue;
      if (!covers(lo.algorithm, up.algorithm)) continue;
      if (!comparableMeasures(lo.measures, up.measures, kind)) continue;
      const a = lo.scaling!, b = up.scaling!;
      const eps = 1e-9;
      const worse = a.exponent! > b.exponent! + eps || (Math.abs(a.exponent! - b.exponent!) <= eps && !a.polylog && !b.polylog && a.logPower > b.logPower);
      if (!worse) continue;
      const side = (p: Prediction) => ({ claimId: p.claimId, algorithm: p.algorithm, formula: p.scaling!.formula, exponent: p.scaling!.exponent!, logPower: p.scaling!.logPower, measures: p.measures });
      out.push({
        lower: side(lo), upper: side(up),
        reason: `${lo.claimId} (${lo.algorithm}, ${a.bound}) says at least ${a.formula}, above ${up.claimId} (${up.algorithm}, ${b.bound}) which says ${b.formula} suffices (${lo.measures})`,
      });
    }
  }
  return out;
}

/**
 * The generated corpus the audit runs over: seeded fast-check samples of every family of arbitraries.ts (single-index
 * polynomials of every parity, kinks and jumps, smooth links; multi-index staircases in 2 and 3 coordinates) plus
 * named links of the theory notes (§2.5) and of issue 14.
 * @param size number of generated links (the named ones come on top).
 */
export function auditCorpus(size: number, seed = 14): string[] {
  const named = [
    "He(5,z)+0.3*He(4,z)", "He(3,z)", "He(4,z)", "z^3", "abs(z)", "relu(z)", "sign(z)", "z*cos(z)", "cos(3*z)",
    "z1*z2", "z1*z2*z3", "sign(z1*z2*z3)", "z1 + z1*z2*z3", "z1 + He(3,z2)", "(z1+z2)/sqrt(2) + He(3,(z1-z2)/sqrt(2))",
    "tanh(z1)+tanh(z2)", "z1 + z1^2 + z2 - z2^2",
  ];
  const families: [fc.Arbitrary<GeneratedLink>, number][] = [
    [polynomialLinkArbitrary({ maxDegree: 5, parity: "odd" }), 0.2], [polynomialLinkArbitrary({ maxDegree: 5 }), 0.15],
    [polynomialLinkArbitrary({ maxDegree: 4, parity: "even" }), 0.1], [piecewiseLinkArbitrary, 0.15], [smoothLinkArbitrary, 0.1],
    [staircaseLinkArbitrary({ r: 2 }), 0.15], [staircaseLinkArbitrary({ r: 3, leap: 1 }), 0.1], [staircaseLinkArbitrary({ r: 3, leap: 2 }), 0.05],
  ];
  const out: string[] = [];
  families.forEach(([arb, share], i) => {
    const n = i === families.length - 1 ? size - out.length : Math.round(size * share);
    if (n > 0) out.push(...fc.sample(arb, { seed: seed + i, numRuns: n }).map((l) => l.text));
  });
  return [...named, ...out];
}
