/**
 * The predicted sample complexity of online SGD from random initialisation (one fresh sample per step):
 * n ≍ d (IE = 1), d log d (IE = 2), d^{IE-1} (IE >= 3), Ben Arous, Gheissari, Jagannath 2021 (arXiv 2003.10409,
 * Theorem 1.3 and its discussion; theory-notes §2.6, [proved; tight for online SGD]).
 *
 * TODO(predictions): switch to the prediction engine's claim `bgj-online-sgd` (src/predictions/) once it exists;
 * this local function only exists so `verify` works before then. Keep the claim id.
 */
import type { InformationExponent } from "../exponents/information.js";
import { InputError } from "../link/errors.js";

export const ONLINE_SGD_CLAIM_ID = "bgj-online-sgd";

export interface ScalingPrediction {
  readonly claimId: string;
  /** n ≍ d^exponent (ln d)^logPower. */
  readonly exponent: number;
  readonly logPower: number;
  readonly formula: string;
  readonly source: string;
  readonly informationExponent: number;
}

export function onlineSgdPrediction(ie: InformationExponent): ScalingPrediction {
  if (ie.value === null) throw new InputError(`the information exponent is not finite or not found (${ie.note}): online SGD has no polynomial prediction to verify`);
  const k = ie.value;
  const exponent = Math.max(k - 1, 1);
  const logPower = k === 2 ? 1 : 0;
  return {
    claimId: ONLINE_SGD_CLAIM_ID, exponent, logPower, informationExponent: k,
    formula: k === 1 ? "n ≍ d" : k === 2 ? "n ≍ d log d" : `n ≍ d^${exponent}`,
    source: "Ben Arous, Gheissari, Jagannath 2021 (arXiv 2003.10409), online SGD from random init, IE = " + k + " [proved]",
  };
}

/**
 * Default learning rate gamma = gamma0 * d^{-max(k/2, 1)} (and 1/(d ln d) at k = 2), theory-notes §4.2/§5: signal
 * must beat the shrinkage term at m ~ d^{-1/2}. gamma0 = A / (4 B) with A = k c_k[f] c_k[sigma] (drift at m -> 0)
 * and B = E[f(Z)^2] E[sigma'(Z)^2] (the second moment of y sigma'(z) at m = 0): the drift/shrinkage ratio at
 * m0 = d^{-1/2} is then 2A/(gamma0 B) = 8 for k >= 3.
 */
export function defaultEtaFormula(k: number, A: number, B: number): string {
  const g0 = Number((Math.abs(A) / (4 * B)).toPrecision(3));
  if (k <= 1) return `${g0}*d^-1`;
  if (k === 2) return `${g0}/(d*log(d))`;
  return `${g0}*d^-${k / 2}`;
}
