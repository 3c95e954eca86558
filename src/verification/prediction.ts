/**
 * The predicted sample complexity of online SGD from random initialisation (one fresh sample per step), read from
 * the theory catalog's claim `bgj-online-sgd` (Ben Arous, Gheissari, Jagannath 2021, arXiv 2003.10409;
 * theory/ben-arous-gheissari-jagannath-2021.yaml) through the prediction engine: n ≍ d (IE = 1), d log d (IE = 2),
 * d^{IE-1} (IE >= 3).
 */
import type { InformationExponent } from "../exponents/information.js";
import type { ExponentProfile } from "../exponents/profile.js";
import { predict } from "../predictions/engine.js";
import { InputError } from "../link/errors.js";

/** Catalog id of the online-SGD sample-complexity claim (Ben Arous, Gheissari, Jagannath 2021). */
export const ONLINE_SGD_CLAIM_ID = "bgj-online-sgd";

/** A predicted sample complexity n ~ d^exponent (ln d)^logPower with the claim and citation it comes from. */
export interface ScalingPrediction {
  /** Catalog id of the claim (bgj-online-sgd). */
  readonly claimId: string;
  /** n ≍ d^exponent (ln d)^logPower. */
  readonly exponent: number;
  /** Power of ln d. */
  readonly logPower: number;
  /** The prediction as text, e.g. "n ≍ d^2". */
  readonly formula: string;
  /** Citation, status and provenance of the claim. */
  readonly source: string;
  /** The information exponent k it was evaluated at. */
  readonly informationExponent: number;
}

/**
 * Predicted online-SGD sample complexity from random initialisation for a link with this information exponent k:
 * n ~ d (k = 1), d log d (k = 2), d^{k-1} (k >= 3), read from the catalog claim `bgj-online-sgd` (Ben Arous,
 * Gheissari, Jagannath 2021, arXiv 2003.10409) through the prediction engine.
 * @throws InputError when the IE is not finite / not found, or the claim gives no scaling for it.
 */
export function onlineSgdPrediction(ie: InformationExponent, parity: ExponentProfile["parity"] = "none"): ScalingPrediction {
  if (ie.value === null) throw new InputError(`the information exponent is not finite or not found (${ie.note}): online SGD has no polynomial prediction to verify`);
  const k = ie.value;
  // the claim's conditions involve the information exponent only; the other exponents are left undetermined
  const profile: ExponentProfile = {
    kind: "single", dimension: 1, parity, informationExponent: k, generativeExponent: null, labelPowerExponents: [],
    leapExponent: k, generativeLeap: null, staircase: [], generativeStaircase: [], firstHermiteVector: [], notes: [],
  };
  const [p] = predict(profile, null, { claims: [ONLINE_SGD_CLAIM_ID] });
  if (!p || !p.applies || !p.scaling || p.scaling.exponent === null) {
    throw new InputError(`claim ${ONLINE_SGD_CLAIM_ID} gives no scaling for IE = ${k}${p ? `: ${p.reason}` : ""}`);
  }
  return {
    claimId: p.claimId, exponent: p.scaling.exponent, logPower: p.scaling.logPower, informationExponent: k,
    formula: `n ≍ ${p.scaling.formula}`,
    source: `${p.citation} [${p.status}, ${p.source}]`,
  };
}

/** Median of |N(0, 1)|: the median initial overlap is RHO_MEDIAN / sqrt(d) for w uniform on the sphere. */
export const RHO_MEDIAN = 0.6744897501960817;

/** Largest ratio of the second-order (shrinkage) term to the first-order (signal) term the default rate allows. */
export const RATE_MARGIN = 0.5;

/** The default learning rate of online SGD: its prefactor, its formula in d, and how it was chosen (in words). */
export interface DefaultRate {
  /** gamma0 in gamma = gamma0 d^{-max(k/2, 1)}. */
  readonly gamma0: number;
  /** The formula in d, e.g. "0.112*d^-1.5". */
  readonly formula: string;
  /** How gamma0 was chosen, for the output of verify. */
  readonly rule: string;
}

/**
 * Default rate gamma = gamma0 d^{-max(k/2, 1)}: the largest gamma0 at which the drift of the overlap recursion keeps
 * the escape law of the drift ODE (theory-notes §4.2, derived here). One step moves m by
 *   E[dm] = gamma (1 - m^2) C'(m) - (gamma^2 / 2) m E[psi^2 sigma'^2 (xi^2 + R)] ~ gamma A m^{k-1} - gamma^2 d B m / 2
 * (A = k c_k[f] c_k[sigma], B = E[f^2] E[sigma'^2] near m = 0). The ratio of the second-order (shrinkage) term to
 * the first-order (signal) term is proportional to gamma0 and, at gamma ~ d^{-max(k/2,1)}, the same at every large d:
 *   k >= 3, at m = rho / sqrt(d):  lambda rho^{2-k}, lambda = gamma0 B / (2|A|);
 *   k <= 2: largest at the threshold (lambda / (1 - m^2) for k = 2, lambda m / (1 - m^2) for k = 1, to leading order).
 * At ratio 1 the drift ODE no longer escapes from the median initial overlap (k >= 3, rho = RHO_MEDIAN) or stalls
 * below the threshold (k <= 2): escapes are then driven over a barrier by fluctuations, not by the ODE. The default
 * puts the ratio at RATE_MARGIN = 1/2 at the worst point of a median run: `ratioAtUnitRate` is that ratio at
 * gamma0 = 1, computed by the caller from the full second-order term (src/simulations/overlapMoments.ts), so that
 * gamma0 = RATE_MARGIN / ratioAtUnitRate. For He3 (student He3) this gives gamma0 = 0.112 (lambda = 0.337), 2.7x
 * the former default A/(4B) (lambda = 1/8); the median escape at d = 256 then takes ~60,000 steps instead of ~200,000.
 */
export function defaultRate(k: number, ratioAtUnitRate: number, where: string): DefaultRate {
  if (!(ratioAtUnitRate > 0) || !Number.isFinite(ratioAtUnitRate)) throw new InputError(`no stable default rate: the shrinkage/signal ratio ${where} is ${ratioAtUnitRate} (does the student drive the overlap towards the threshold?); give --eta`);
  const gamma0 = Number((RATE_MARGIN / ratioAtUnitRate).toPrecision(3));
  const formula = k <= 2 ? `${gamma0}*d^-1` : `${gamma0}*d^-${k / 2}`;
  const rule = `default gamma0 = ${gamma0}: the largest rate at which the second-order (shrinkage) term of the overlap recursion is at most ${RATE_MARGIN} of the first-order (signal) term ${where} (theory-notes §4.2; src/verification/prediction.ts defaultRate)`;
  return { gamma0, formula, rule };
}

