/** `predictLink`: parse a link, compute its exponent profile and Hermite facts, and run the prediction engine. */
import { parseLink } from "../link/link.js";
import { hermiteSpectrum } from "../hermite/spectrum.js";
import { exponentProfile, defaultProfileDegree, type ExponentProfile, type UnresolvedExponent } from "../exponents/profile.js";
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
  /**
   * One prediction per catalog claim (filtered by the options), applicable or not, each with its reason; with
   * `partial`, a claim whose prediction depends on an exponent the time limit left open has `notComputed` set (and
   * applies false, scaling null).
   */
  readonly predictions: (Prediction & { readonly notComputed?: string })[];
  /**
   * Only with `partial`, when the time limit cut something: `status` in one sentence ("not computed within the time
   * limit (5 s CPU); rerun with --time-limit 30"), the parts not computed, and the claims left open.
   */
  readonly incomplete?: { readonly status: string; readonly missing: string[]; readonly claimsNotComputed: string[] };
}

/** Exponent values to try for a cut exponent: its proved range, and "above K" (null) when it has no upper bound. */
function candidates(u: UnresolvedExponent, K: number): (number | null)[] {
  const hi = u.upper ?? K, out: (number | null)[] = [];
  for (let v = u.lower; v <= hi; v++) out.push(v);
  if (u.upper === null) out.push(null);
  return out;
}
/** At most this many combinations of cut exponents are tried; past it every claim is left not computed. */
const MAX_CANDIDATE_PROFILES = 256;

const substance = (p: Prediction) => JSON.stringify({ ...p, reason: undefined });

/**
 * The predictions when exponents were cut: the engine is run on every combination of values their proved bounds
 * allow; a claim whose prediction (applicability, scaling, regimes, structure) is the same for all is kept, the others
 * are labelled not computed.
 */
function predictOverCandidates(profile: ExponentProfile, facts: LinkFacts, options: PredictOptions, K: number, status: string): LinkPredictions["predictions"] {
  const cut = profile.unresolved ?? [];
  let combos: (number | null)[][] = [[]];
  for (const u of cut) combos = combos.flatMap((c) => candidates(u, K).map((v) => [...c, v]));
  const open = cut.map((u) => (u.upper === null ? `${u.symbol} >= ${u.lower}` : `${u.lower} <= ${u.symbol} <= ${u.upper}`)).join(", ");
  const runs = (combos.length <= MAX_CANDIDATE_PROFILES ? combos : [combos[0]!]).map((values) => {
    const p: ExponentProfile = { ...profile, labelPowerExponents: [...profile.labelPowerExponents] };
    cut.forEach((u, i) => {
      const v = values[i]!;
      if (u.symbol === "GE") p.generativeExponent = v;
      else if (u.symbol === "leap") p.leapExponent = v;
      else if (u.symbol === "gleap") p.generativeLeap = v;
      else if (u.symbol === "IE") p.informationExponent = v;
      else p.labelPowerExponents[Number(u.symbol.slice(1)) - 1] = v;
    });
    if (p.kind === "single") { p.leapExponent = p.informationExponent; p.generativeLeap = p.generativeExponent; }
    return predict(p, facts, options);
  });
  const all = combos.length <= MAX_CANDIDATE_PROFILES;
  return runs[0]!.map((first, i) => {
    const same = all && runs.every((r) => substance(r[i]!) === substance(first));
    if (same) {
      const reasons = new Set(runs.map((r) => r[i]!.reason));
      return reasons.size === 1 ? first : { ...first, reason: `${first.applies ? "applies" : "does not apply"} for every value the time limit left open (${open}); ${first.reason}` };
    }
    return { ...first, scaling: null, regimes: undefined, curve: undefined, structure: undefined, notLearned: undefined, applies: false, notComputed: `${status}: depends on ${open}`, reason: `${status}: the prediction depends on ${open}, which the time limit left open` };
  });
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
 *   partial (default false; the CLI sets it): an exponent the time limit left unresolved does not throw; the claims
 *   whose prediction it decides are labelled `notComputed` and `incomplete` says what is missing.
 * @throws InputError for a link that cannot be analysed, an unknown algorithm or claim, or (without `partial`) a GE
 *   the time limit left unresolved.
 */
export function predictLink(source: string, options: PredictOptions & { maxDegree?: number; timeLimit?: number; deadline?: Deadline; multiIndexLearnability?: boolean; noise?: NoiseModel; partial?: boolean } = {}): LinkPredictions {
  const link = parseLink(source);
  const K = options.maxDegree ?? defaultProfileDegree(link);
  // one budget for everything below; the spectrum is computed once and shared by the profile and the facts
  const deadline = options.deadline ?? deadlineAfter(options.timeLimit);
  const spectrum = hermiteSpectrum(link, K, { deadline });
  const out: { generative?: GenerativeExponent } = {};
  const profile = exponentProfile(link, { maxDegree: K, deadline, spectrum, out, partial: options.partial ?? false });
  const facts = linkFacts(link, K, spectrum, deadline, options.multiIndexLearnability ?? false, options.noise ?? NO_NOISE, out.generative);
  // alpha_c undetermined, or decided (alpha_c = 0 from GE = 1 by bounds) without lambda_1, lambda_2
  const thresholdCut = facts.weakRecovery != null && (facts.weakRecovery.regime === "undetermined" || /not computed within the time limit/.test(facts.weakRecovery.note));
  const missing = [
    ...(profile.unresolved ?? []).map((u) => `${u.symbol} (${u.upper === null ? `>= ${u.lower}` : `in [${u.lower}, ${u.upper}]`}): ${u.note}`),
    ...(thresholdCut ? [`alpha_c (weak-recovery threshold): ${facts.weakRecovery!.note}`] : []),
    ...(facts.weakLearnability && !facts.weakLearnability.resolved ? [`trivial / easy / hard subspaces and grand staircase: ${facts.weakLearnability.note}`] : []),
  ];
  const status = `not computed within the time limit (${deadline.seconds} s ${deadline.clock === "cpu" ? "CPU" : "wall-clock"}); rerun with --time-limit ${rerunLimit(deadline.seconds)}`;
  const factsCut = (options.partial ?? false) && (thresholdCut || (facts.weakLearnability != null && !facts.weakLearnability.resolved));
  // the weak-recovery claims read alpha_c (and the multi-index subspaces): when the limit cut those, their structure
  // keeps what is certified (alpha_c >= 1/2, the stages found) and is labelled not computed
  const predictions: LinkPredictions["predictions"] = (profile.unresolved ? predictOverCandidates(profile, facts, options, K, status) : predict(profile, facts, options))
    .map((p) => (factsCut && p.structure?.kind === "weak-recovery-threshold" && !("notComputed" in p && p.notComputed !== undefined) ? { ...p, notComputed: `${status}: alpha_c and the trivial / easy / hard subspaces were not all computed (what is certified is kept)` } : p));
  const claimsNotComputed = predictions.filter((p) => p.notComputed !== undefined).map((p) => p.claimId);
  return {
    link: source, parsed: link.text, kind: link.kind,
    convention: "probabilists' He_k; c_k = E[f(Z) He_k(Z)]/sqrt(k!); exponents are lowest non-zero orders (convention-free)",
    profile, facts,
    setting: { d: options.d ?? null, gamma: options.gamma ?? null, L: options.L ?? null, eps: options.eps ?? null, p: options.p ?? null, l: options.l ?? null },
    predictions,
    ...(options.partial && missing.length ? { incomplete: { status, missing, claimsNotComputed } } : {}),
  };
}

/** The --time-limit suggested after a cut: 6x the limit, at least 30 s, at most the CLI's 3600 s. */
export const rerunLimit = (seconds: number) => Math.min(3600, Math.max(30, Math.ceil(6 * seconds)));
