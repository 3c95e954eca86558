/**
 * `analyzeLink`: the foundation report on one link: Hermite spectrum, parity, information exponent.
 * Later stages (generative exponent, leap, predictions) add fields; the keys here are a stable contract.
 */
import { parseLink, type Link } from "./link/link.js";
import { hermiteSpectrum, spectrumCutByDeadline, type HermiteSpectrum } from "./hermite/spectrum.js";
import { parityOf } from "./link/parity.js";
import { informationExponent, type DegreeEvidence } from "./exponents/information.js";
import { isInputError, InputError } from "./link/errors.js";
import { generativeExponent, type GenerativeSpectrumEntry, type OptimalTransformation } from "./exponents/generative.js";
import { labelPowerExponents } from "./exponents/labelPowers.js";
import type { Stage } from "./exponents/leap.js";
import type { HermiteSubspaces } from "./exponents/subspace.js";
import { multiIndexModules } from "./exponents/multiIndexModules.js";
import { NO_NOISE, noiseText, type NoiseModel } from "./exponents/noise.js";
import { weakRecoveryThreshold, type WeakRecoveryThreshold } from "./exponents/threshold.js";
import { deadlineAfter, type Deadline } from "./numeric/deadline.js";
import type { MultiIndexLearnability } from "./exponents/weakLearnability.js";

/** Options of {@link analyzeLink}. */
export interface AnalyzeOptions {
  /** Largest Hermite degree K (default 12 single-index, 6 multi-index). */
  readonly maxDegree?: number;
  /** Label noise for the generative exponent and the weak-recovery threshold (multi-index: the threshold only, the generative leap is noiseless); see exponents/noise.ts. */
  readonly noise?: NoiseModel;
  /**
   * Wall-clock budget in seconds for the generative spectrum (default: none; the CLI's `--time-limit` defaults to
   * {@link DEFAULT_TIME_LIMIT}). Past it the generative exponent is given by its proved bounds ("GE >= 2, not resolved
   * within the time limit"), so a result that hit the budget depends on the machine and says so.
   */
  readonly timeLimit?: number;
  /**
   * Multi-index: also compute the trivial / easy / hard subspaces, alpha_c and the grand staircase
   * (exponents/weakLearnability.ts; about 1 s for r = 2, 3 s for r = 3, within the same time budget). Default false;
   * the CLI's `analyze` sets it.
   */
  readonly multiIndexLearnability?: boolean;
  /** A deadline shared with the caller's other steps (takes precedence over `timeLimit`). */
  readonly deadline?: Deadline;
}

/** Default `--time-limit` of the CLI, in seconds. */
export const DEFAULT_TIME_LIMIT = 5;

/**
 * The analysis of one link (stable JSON contract: fields are only ever added): its Hermite spectrum, parity, the
 * information and generative exponents with their certificates, the label-power exponents, and for multi-index links
 * the leap and generative leap with their staircases and the giant-step subspaces.
 */
export interface Analysis {
  /** The link text as given. */
  readonly link: string;
  /** Canonical text of the parsed expression. */
  readonly parsed: string;
  /** "single" (variable z) or "multi" (z1..zr). */
  readonly kind: "single" | "multi";
  /** Variable names in order: ["z"] or ["z1", ..., "zr"]. */
  readonly variables: readonly string[];
  /** Parity under z -> -z (all coordinates); "none" means not proved even or odd. */
  readonly parity: "even" | "odd" | "none";
  /** "symbolic": proved from the expression; "numerical": checked at 4000 seeded points. */
  readonly parityProof: "symbolic" | "numerical";
  /**
   * Hermite spectrum to degree K (c_k = E[f(Z) He_k(Z)]/sqrt(k!), probabilists' He_k), with exact forms and error
   * bounds.
   */
  readonly hermite: HermiteSpectrum;
  /** IE = min{k >= 1 : c_k != 0} (multi-index: lowest total degree); null when > K or undefined (constant link). */
  readonly informationExponent: number | null;
  /** The certificate of the IE in one sentence (how each lower degree was shown to vanish). */
  readonly informationExponentNote: string;
  /** Per degree up to the IE, the verdict and its basis (exact, parity, numerical). */
  readonly informationExponentEvidence: DegreeEvidence[];
  /** Generative exponent (Damian, Pillaud-Vivien, Lee, Bruna 2024); for multi-index links the first stage of the generative leap. */
  readonly generativeExponent: number | null;
  /** The certificate of the GE in one sentence. */
  readonly generativeExponentNote: string;
  /** lambda_1..lambda_K (single-index; [] for multi-index), h_k normalised. */
  readonly generativeSpectrum: GenerativeSpectrumEntry[];
  /**
   * Route of the generative spectrum (branches, closed-form atoms, gaussian/flip noise, monte-carlo); null for
   * multi-index.
   */
  readonly generativeMethod: string | null;
  /** Why GE < IE (e.g. which label power exposes a lower degree), or why they agree. */
  readonly generativeExplanation: string;
  /** The optimal label transformation zeta_GE(y) = E[h_GE(Z) | Y = y], tabulated (single-index). */
  readonly optimalTransformation: OptimalTransformation | null;
  /** The label noise model in `--noise` syntax ("none", "gaussian:SIGMA", "flip:P"). */
  readonly noise: string;
  /** IE(f^j), j = 1..4 (null: > K or undefined). */
  readonly labelPowerExponents: (number | null)[];
  /**
   * Single-index: proved bounds lower <= GE <= upper (upper null: none within K) and whether the spectrum was computed
   * within the time limit (resolved false: `generativeSpectrum` is empty and GE is given only when the bounds meet).
   * Multi-index: the same for the generative leap's first stage (resolved false: the time limit cut it, GE null,
   * lower = the degree it was testing, upper = IE).
   */
  readonly generativeBounds?: { readonly lower: number; readonly upper: number | null; readonly resolved: boolean };
  /**
   * Multi-index: generative leap >= lower; resolved false when the time limit cut the search (then `generativeLeap`
   * is null and the staircase holds the stages finished before the cut).
   */
  readonly generativeLeapBounds?: { readonly lower: number; readonly resolved: boolean };
  /** Caveats of the numerical routes (e.g. Monte Carlo fallback), to be shown with the results. */
  readonly warnings: string[];
  /** Multi-index only, in the given basis. */
  readonly leapExponent?: number | null;
  /** The certificate and staircase of the leap exponent in one sentence. */
  readonly leapNote?: string;
  /** Generative leap (Damian, Lee, Bruna 2025) in the given basis; null when not reached within the degree searched. */
  readonly generativeLeap?: number | null;
  /** The certificate and staircase of the generative leap. */
  readonly generativeLeapNote?: string;
  /** Leap staircase (stages: directions added, exponent needed). */
  readonly staircase?: Stage[];
  /** Generative-leap stages: coordinates learned, degree needed, why. */
  readonly generativeStaircase?: Stage[];
  /** Basis-free: C_1 = E[g z] (giant-step direction) and the range of C_2. */
  readonly subspaces?: HermiteSubspaces;
  /**
   * Single-index: the weak-recovery threshold alpha_c = n/d, 1/alpha_c = E[E[He_2(Z)|Y]^2] (Mondelli, Montanari 2018;
   * exponents/threshold.ts), under the same noise model as the generative exponent.
   */
  readonly weakRecoveryThreshold?: WeakRecoveryThreshold;
  /** Multi-index: the leap on subspaces (basis-free; the value `predict` uses), its stages as orthonormal bases. */
  readonly subspaceLeap?: { value: number | null; stages: { basis: number[][]; degree: number }[]; note: string; resolved: boolean; lowerBound: number | null };
  /**
   * Multi-index (r <= 4, when requested): trivial subspace span{E[z|y]}, easy subspace with 1/alpha_c = rho(F),
   * F(M) = E_y[G M G], G = E[zz^T - I | y], hard directions and the grand staircase (Troiani et al. 2024;
   * exponents/weakLearnability.ts); null when not computable (r > 4).
   */
  readonly weakLearnability?: MultiIndexLearnability | null;
}

/**
 * The analysis of a single-index link whose Hermite quadrature the deadline stopped before it converged: the
 * coefficients are shown with their widened error estimates, and no exponent is read from them (IE, GE, the label
 * powers and alpha_c are "not resolved within the time limit"; GE >= 1 is all that is proved). The caller exits 3.
 */
function cutSpectrumAnalysis(link: Link, hermite: HermiteSpectrum, parity: ReturnType<typeof parityOf>, seconds: number, noise: NoiseModel): Analysis {
  const why = `the Hermite quadrature did not converge within the time limit of ${seconds} s (its error bounds are the unconverged panels' allowances, estimates); rerun with a larger --time-limit`;
  const ieNote = `IE not resolved within the time limit: ${why}`;
  const geNote = `GE >= 1, not resolved within the time limit of ${seconds} s: ${why}`;
  return {
    link: link.source, parsed: link.text, kind: link.kind, variables: link.variables,
    parity: parity.parity, parityProof: parity.method, hermite,
    informationExponent: null, informationExponentNote: ieNote, informationExponentEvidence: [],
    generativeExponent: null, generativeExponentNote: geNote, generativeSpectrum: [], generativeMethod: null, generativeExplanation: "the Hermite spectrum was cut by the time limit",
    optimalTransformation: null, noise: noiseText(noise), labelPowerExponents: [], warnings: [],
    generativeBounds: { lower: 1, upper: null, resolved: false },
  };
}

/** Largest degree used for the generative leap's stage search (its Monte-Carlo tests grow with the degree). */
export const GENERATIVE_LEAP_MAX_DEGREE = 4;

/** Default truncation degree K: 12 single-index, 6 multi-index with r <= 3, 4 beyond. */
export function defaultMaxDegree(link: Link): number {
  return link.kind === "single" ? 12 : link.dimension <= 3 ? 6 : 4;
}

/**
 * Analyse a link: Hermite spectrum c_k = E[f(Z) He_k(Z)]/sqrt(k!) (probabilists' He_k) to degree K, parity, information
 * exponent (Ben Arous, Gheissari, Jagannath 2021), generative exponent with the optimal label transformation (Damian,
 * Pillaud-Vivien, Lee, Bruna 2024), label-power exponents IE(f^j), and for multi-index links the leap (Abbe,
 * Boix-Adsera, Misiakiewicz 2023), generative leap (Damian, Lee, Bruna 2025; degree capped at
 * {@link GENERATIVE_LEAP_MAX_DEGREE}) and the subspaces C_1, C_2. A constant link is analysed with its exponents
 * undefined (the reason in the notes).
 * @param source link text (see {@link parseLink}) or an already parsed link.
 * @throws InputError for a link that cannot be parsed or analysed, a degree out of range, or flip noise on a link that is not +-1-valued.
 * @example analyzeLink("relu(z)", { maxDegree: 8 }).informationExponent // 1
 */
export function analyzeLink(source: string | Link, options: AnalyzeOptions = {}): Analysis {
  // the budget covers the whole analysis: the generative spectrum gets what the steps before it left
  const deadline = options.deadline ?? deadlineAfter(options.timeLimit);
  const link = typeof source === "string" ? parseLink(source) : source;
  const K = options.maxDegree ?? defaultMaxDegree(link);
  const hermite = hermiteSpectrum(link, K, { deadline, cutOnDeadline: true });
  const parity = parityOf(link);
  if (spectrumCutByDeadline(hermite)) return cutSpectrumAnalysis(link, hermite, parity, deadline.seconds, options.noise ?? NO_NOISE);
  let ie: number | null = null, note: string, evidence: DegreeEvidence[] = [];
  try {
    const r = informationExponent(link, hermite, parity);
    ie = r.value; note = r.note; evidence = r.evidence;
  } catch (e) {
    if (!isInputError(e)) throw e;
    note = e.message;
  }
  const base = {
    link: link.source, parsed: link.text, kind: link.kind, variables: link.variables,
    parity: parity.parity, parityProof: parity.method, hermite,
    informationExponent: ie, informationExponentNote: note, informationExponentEvidence: evidence,
  };
  const noise = options.noise ?? NO_NOISE;
  if (link.constant) {
    return { ...base, generativeExponent: null, generativeExponentNote: note, generativeSpectrum: [], generativeMethod: null, generativeExplanation: note, optimalTransformation: null, noise: noiseText(noise), labelPowerExponents: [], warnings: [] };
  }
  const powers = labelPowerExponents(link, K, 4, deadline, hermite);
  const cut = powers.filter((p) => p.unresolved).map((p) => `${p.note} (shown as null)`);
  if (link.kind === "single") {
    const ge = generativeExponent(link, { maxDegree: Math.min(60, Math.max(1, K)), noise, spectrum: hermite, parity, labelPowers: powers, deadline });
    return {
      ...base, generativeExponent: ge.value, generativeExponentNote: ge.note, generativeSpectrum: ge.spectrum, generativeMethod: ge.method,
      generativeExplanation: ge.explanation, optimalTransformation: ge.optimalTransformation, noise: noiseText(noise),
      labelPowerExponents: powers.map((p) => p.value), warnings: [...ge.warnings, ...cut],
      generativeBounds: { ...ge.bounds, resolved: ge.resolved },
      weakRecoveryThreshold: weakRecoveryThreshold(link, { noise, generative: ge }),
    };
  }
  // multi-index only from here: these modules are loaded now (exponents/multiIndexModules.ts)
  const { leap: { leapExponent }, generativeLeap: { generativeLeap }, subspaceStaircase: { subspaceLeap }, subspace: { hermiteSubspaces }, weakLearnability: { weakLearnability } } = multiIndexModules();
  const leap = leapExponent(link, hermite, K);
  if (noise.kind !== "none") {
    // y' = f + sigma xi or s f: E[y' He_S(z)] = E[f He_S] (gaussian) or (1 - 2p) E[f He_S] (flip), so the Hermite leap
    // and subspaces are those of f unless p = 1/2 (labels independent of z)
    const uninformative = noise.kind === "flip" && noise.p === 0.5;
    const sl = subspaceLeap(link, hermite, K, deadline);
    const note = `the generative leap is computed for noiseless multi-index links only (label noise ${noiseText(noise)}); the weak-recovery threshold below is computed under the noise`;
    const leapNote = uninformative ? "flip:0.5 makes the label independent of z: nothing is learnable" : `${leap.note} (label noise ${noiseText(noise)} leaves E[y He_S] unchanged${noise.kind === "flip" ? " up to the factor 1 - 2p" : ""}, so the leap is that of the noiseless link)`;
    return {
      ...base, generativeExponent: null, generativeExponentNote: note, generativeSpectrum: [], generativeMethod: null, generativeExplanation: note,
      optimalTransformation: null, noise: noiseText(noise), labelPowerExponents: powers.map((p) => p.value), warnings: sl.resolved ? [] : [sl.note],
      leapExponent: uninformative ? null : leap.value, leapNote, generativeLeap: null, generativeLeapNote: note,
      staircase: uninformative ? [] : leap.staircase, generativeStaircase: [],
      subspaces: hermiteSubspaces(link, hermite),
      subspaceLeap: { value: uninformative ? null : sl.value, stages: uninformative ? [] : sl.stages.map((t) => ({ basis: t.basis, degree: t.degree })), note: uninformative ? leapNote : sl.note, resolved: sl.resolved, lowerBound: sl.lowerBound },
      ...(options.multiIndexLearnability ? { weakLearnability: link.dimension <= 4 ? weakLearnability(link, { deadline, noise }) : null } : {}),
    };
  }
  const gK = Math.min(K, GENERATIVE_LEAP_MAX_DEGREE);
  const gleap = generativeLeap(link, { maxDegree: gK, spectrum: hermite, deadline });
  // cut during the first stage: GE >= the degree it was testing (GE <= IE always: F(y) = y reaches the IE's alpha)
  const firstCut = !gleap.resolved && gleap.firstStageExponent === null;
  const sl = subspaceLeap(link, hermite, K, deadline);
  const timeCuts = [...(gleap.resolved ? [] : [gleap.note]), ...(sl.resolved ? [] : [sl.note])];
  return {
    ...base, generativeExponent: gleap.firstStageExponent,
    generativeExponentNote: firstCut
      ? `GE >= ${gleap.lowerBound}, not resolved within the time limit of ${deadline.seconds} s (first stage of the generative leap cut; GE <= IE${ie === null ? "" : ` = ${ie}`})`
      : gleap.firstStageExponent === null ? `no transformation of the label reaches any coordinate up to degree ${gK}`
        : gleap.staircase.length ? `first stage of the generative leap: ${gleap.staircase[0]!.reason}`
          : `first stage of the generative leap at degree ${gleap.firstStageExponent}: an alpha of that degree is proved non-zero and no lower degree reaches anything; the time limit of ${deadline.seconds} s cut the rest of the stage`,
    generativeSpectrum: [], generativeMethod: null, generativeExplanation: gleap.note, optimalTransformation: null, noise: noiseText(noise),
    labelPowerExponents: powers.map((p) => p.value), warnings: [...gleap.warnings, ...cut, ...timeCuts],
    generativeBounds: firstCut
      ? { lower: gleap.lowerBound ?? 1, upper: ie, resolved: false }
      : { lower: gleap.firstStageExponent ?? gK + 1, upper: gleap.firstStageExponent, resolved: true },
    generativeLeapBounds: { lower: gleap.lowerBound ?? 1, resolved: gleap.resolved },
    leapExponent: leap.value, leapNote: leap.note, generativeLeap: gleap.value, generativeLeapNote: gleap.note,
    staircase: leap.staircase, generativeStaircase: gleap.staircase.map(({ directions, exponent, reason }) => ({ directions, exponent, reason })),
    subspaces: hermiteSubspaces(link, hermite),
    subspaceLeap: { value: sl.value, stages: sl.stages.map((t) => ({ basis: t.basis, degree: t.degree })), note: sl.note, resolved: sl.resolved, lowerBound: sl.lowerBound },
    ...(options.multiIndexLearnability ? { weakLearnability: link.dimension <= 4 ? weakLearnability(link, { deadline }) : null } : {}),
  };
}
