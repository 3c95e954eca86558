/** `predictLink`: parse a link, compute its exponent profile and Hermite facts, and run the prediction engine. */
import { parseLink } from "../link/link.js";
import { hermiteSpectrum } from "../hermite/spectrum.js";
import { exponentProfile, defaultProfileDegree, type ExponentProfile } from "../exponents/profile.js";
import { linkFacts, type LinkFacts } from "./facts.js";
import { deadlineAfter, type Deadline } from "../numeric/deadline.js";
import { predict, type Prediction, type PredictOptions } from "./engine.js";
import { NO_NOISE, type NoiseModel } from "../exponents/noise.js";
import type { GenerativeExponent } from "../exponents/generative.js";

/** A link's exponent profile, Hermite facts, the setting, and one prediction per applicable-or-not claim. */
export interface LinkPredictions {
  /** The link text as given. */
  readonly link: string;
  /** Canonical text of the parsed link. */
  readonly parsed: string;
  readonly kind: "single" | "multi";
  /** The Hermite convention, printed with the results. */
  readonly convention: string;
  /** Every exponent of the link with its certificates. */
  readonly profile: ExponentProfile;
  /** Hermite facts beyond the exponents (polynomial, degrees present, giant-step subspaces). */
  readonly facts: LinkFacts;
  /** The setting parameters the formulas were evaluated at (null: not given). */
  readonly setting: { d: number | null; gamma: number | null; L: number | null; eps: number | null; p: number | null; l: number | null };
  /** One prediction per catalog claim (filtered by the options), applicable or not, each with its reason. */
  readonly predictions: Prediction[];
}

/**
 * Parse a link, compute its exponent profile and Hermite facts to degree K, and run the prediction engine on them:
 * `predictLink("He(3,z)", { d: 1000 })` gives, per claim, e.g. online SGD's n ~ d^{IE-1} (Ben Arous, Gheissari,
 * Jagannath 2021) with its citation.
 * @param source link text (see {@link parseLink}).
 * @param options setting parameters (d, gamma, L, eps, p, l), filters (algorithm, claims), and maxDegree K
 *   (default 8 single-index, 4 multi-index), timeLimit (seconds; one budget for the whole prediction: spectrum,
 *   exponents, alpha_c and the multi-index weak learnability; default none), or a deadline shared with the caller
 *   (takes precedence); multiIndexLearnability (default false; the CLI sets it): compute the multi-index trivial / easy /
 *   hard subspaces and grand staircase (exponents/weakLearnability.ts, about 1 s for r = 2 and 3 s for r = 3 on 2 cores);
 *   noise (default none): the label-noise channel of the weak-recovery threshold (single-index alpha_c and the
 *   multi-index subspaces, as `analyze --noise`); the exponents and scalings are those of the noiseless link.
 * @throws InputError for a link that cannot be analysed, an unknown algorithm or claim, or a GE the time limit left
 *   unresolved.
 */
export function predictLink(source: string, options: PredictOptions & { maxDegree?: number; timeLimit?: number; deadline?: Deadline; multiIndexLearnability?: boolean; noise?: NoiseModel } = {}): LinkPredictions {
  const link = parseLink(source);
  const K = options.maxDegree ?? defaultProfileDegree(link);
  // one budget for everything below; the spectrum is computed once and shared by the profile and the facts
  const deadline = options.deadline ?? deadlineAfter(options.timeLimit);
  const spectrum = hermiteSpectrum(link, K, { deadline });
  const out: { generative?: GenerativeExponent } = {};
  const profile = exponentProfile(link, { maxDegree: K, deadline, spectrum, out });
  const facts = linkFacts(link, K, spectrum, deadline, options.multiIndexLearnability ?? false, options.noise ?? NO_NOISE, out.generative);
  return {
    link: source, parsed: link.text, kind: link.kind,
    convention: "probabilists' He_k; c_k = E[f(Z) He_k(Z)]/sqrt(k!); exponents are lowest non-zero orders (convention-free)",
    profile, facts,
    setting: { d: options.d ?? null, gamma: options.gamma ?? null, L: options.L ?? null, eps: options.eps ?? null, p: options.p ?? null, l: options.l ?? null },
    predictions: predict(profile, facts, options),
  };
}
