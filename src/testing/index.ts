/**
 * `index-lab/testing`: fast-check arbitraries for links with controllable exponents and the property battery of
 * `index-lab check`, for use in your own vitest (or any) test suite.
 */
export * from "./arbitraries.js";
export { mannWhitneyLess } from "../numeric/statistics.js";
export { predictedOrdering, simulateOrdering, QUICK_ORDERING, QUICK_DIMENSION, type OrderingSettings, type OrderingResult, type PredictedOrdering, type OrderingAlgorithm, type TunedAlgorithm } from "./ordering.js";
export { PROPERTIES, checkLink, orderingProperty, parameterArbitrary, type LinkProperty, type Parameter, type PropertyResult, type Outcome } from "./properties.js";
import { checkLink, type Parameter } from "./properties.js";

/**
 * Throws (with the failing properties, their details and the replay seed) unless every applicable property of the
 * battery holds for the link or family. Use inside a test: `assertLinkProperties("tanh(z)")`.
 */
export function assertLinkProperties(source: string, options: { params?: readonly Parameter[]; runs?: number; seed?: number; maxDegree?: number } = {}): void {
  const failed = checkLink(source, options).filter((r) => r.status === "fail");
  if (failed.length) {
    throw new Error(`link ${source}: ${failed.map((f) => `${f.id} failed: ${f.detail}${f.counterexample ? ` at ${JSON.stringify(f.counterexample)}` : ""} (seed ${f.seed})`).join("; ")}`);
  }
}
