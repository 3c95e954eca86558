/**
 * `exponentProfile`: every exponent index-lab computes for one link, in one record, for the prediction engine.
 *   IE  — information exponent (Ben Arous, Gheissari, Jagannath 2021, arXiv 2003.10409), see information.ts;
 *   GE  — generative exponent (Damian, Pillaud-Vivien, Lee, Bruna 2024, arXiv 2403.05529), see generative.ts;
 *   p_j — IE of the label powers f^j (theory notes §2.2(c), §3.1: batch-reuse kinks of seed 000);
 *   Leap — leap exponent of the Hermite support (Abbe, Boix-Adsera, Misiakiewicz 2023, arXiv 2302.11055), leap.ts;
 *   generative leap — (Damian, Lee, Bruna 2025, arXiv 2506.05500), generativeLeap.ts;
 *   first Hermite vector C_1 = E[g(z) z] — the direction one giant step learns at n = Theta(d) (Dandi et al. 2023).
 * Leap and generative leap are computed on subspaces (subspaceStaircase.ts), so they do not depend on the
 * coordinates the user typed; the coordinate leap in the given basis is kept, labelled as such, for claims stated
 * for a fixed basis (juntas on the hypercube).
 */
import type { Link } from "../link/link.js";
import { hermiteSpectrum } from "../hermite/spectrum.js";
import { parityOf } from "../link/parity.js";
import { informationExponent } from "./information.js";
import { generativeExponent, type GenerativeExponent } from "./generative.js";
import { labelPowerExponents, labelPowerLink } from "./labelPowers.js";
import { leapExponent } from "./leap.js";
import { firstHermiteVector } from "./subspace.js";
import { subspaceLeap, subspaceGenerativeLeap, type SubspaceStage } from "./subspaceStaircase.js";
import { judgeCoefficient } from "./certificates.js";
import { judgedTensor } from "./support.js";
import type { HermiteSpectrum } from "../hermite/spectrum.js";
import { InputError } from "../link/errors.js";
import { deadlineAfter, type Deadline } from "../numeric/deadline.js";

/** A stage of a staircase on subspaces, in the user's coordinates. */
export interface ProfileStage {
  /** The stage's orthonormal basis vectors as text, e.g. "(0.7071, 0.7071)". */
  directions: string[];
  /** The degree that reaches the stage. */
  exponent: number;
  /** Orthonormal basis of the new directions, in the user's coordinates z1..zr. */
  basis: number[][];
}

/**
 * Every exponent of one link in one record (the prediction engine's input): parity, IE, GE, label-power exponents
 * p_j = IE(f^j), leap and generative leap with their staircases (multi-index), and the first Hermite vector
 * E[g(z) z], with the notes that certify them.
 */
export interface ExponentProfile {
  kind: "single" | "multi"; dimension: number;
  /** Parity under z -> -z (all coordinates). */
  parity: "even" | "odd" | "none";
  /** Information exponent; null when > K or undefined. */
  informationExponent: number | null;
  /** Generative exponent (multi-index: first stage of the generative leap); null when > K or undefined. */
  generativeExponent: number | null;
  /** IE of the label powers f^j for j = 1..4 (p_j in the notes, needed for seed-000 batch-reuse kinks); null = > K */
  labelPowerExponents: (number | null)[];
  /** Leap exponent on subspaces, basis-free (multi-index; single-index: equals IE); null when not reached. */
  leapExponent: number | null;
  /** Generative leap on subspaces (multi-index; single-index: equals GE); null when not reached. */
  generativeLeap: number | null;
  /** Leap staircase on subspaces (multi-index; [] for single-index): each stage's basis and the degree needed. */
  staircase: ProfileStage[];
  /** Generative staircase on subspaces (label and learned coordinates may be transformed); [] for single-index. */
  generativeStaircase: ProfileStage[];
  /** The coordinate leap in the given basis z1..zr (Abbe et al. 2023's fixed-basis form; juntas), labelled as such. */
  coordinateLeap?: { value: number | null; staircase: { directions: string[]; exponent: number }[] };
  /**
   * First Hermite vector E[g(z) z] (length r), for the giant-step subspace; an entry proved zero (exactly, by parity)
   * or numerically zero within its error bound is 0 here, so no rounding residue is presented as structure.
   */
  firstHermiteVector: number[];
  /** The certificates of every exponent, one sentence each, and warnings. */
  notes: string[];
  /**
   * Only with `exponentProfile(..., { partial: true })`: the exponents the time limit left unresolved (their value
   * above is null, which here does NOT mean "above K"), each with its proved bounds (upper null: none within K).
   */
  unresolved?: UnresolvedExponent[];
}

/** The name of an exponent in a profile (the theory catalog's ProfileSymbol names the same set). */
export type ExponentSymbol = "IE" | "GE" | "leap" | "gleap" | "p1" | "p2" | "p3" | "p4";

/** An exponent a time limit cut: the proved bounds lower <= value <= upper (upper null: none within K), and why. */
export interface UnresolvedExponent {
  readonly symbol: ExponentSymbol;
  readonly lower: number;
  readonly upper: number | null;
  readonly note: string;
}

/** Default largest degree: 8 single-index (GE needs quadrature per degree), 4 multi-index. */
export function defaultProfileDegree(link: Link): number {
  return link.kind === "single" ? 8 : 4;
}

/**
 * All exponents of a link at once (see {@link ExponentProfile}); for a single-index link Leap = IE and the generative
 * leap = GE; for a multi-index link GE is the generative leap's first stage (Damian, Lee, Bruna 2025).
 * @param options.maxDegree degree K searched (default 8 single-index, 4 multi-index).
 * @param options.timeLimit wall-clock budget in seconds for the whole profile (default: none).
 * @param options.deadline a deadline shared with the caller's other steps (takes precedence over timeLimit).
 * @param options.spectrum the link's Hermite spectrum to degree K, when the caller has it.
 * @param options.partial an exponent cut by the time limit is listed in `unresolved` (value null) instead of thrown.
 * @param options.out receives the single-index link's noiseless {@link GenerativeExponent} (spectrum lambda_1..lambda_K).
 * @throws InputError for a constant link, a degree out of range, or an exponent (GE, p_j, leap, generative leap)
 *   left unresolved by the time limit.
 */
export function exponentProfile(link: Link, options: { maxDegree?: number; timeLimit?: number; deadline?: Deadline; spectrum?: HermiteSpectrum; out?: { generative?: GenerativeExponent }; partial?: boolean } = {}): ExponentProfile {
  const K = options.maxDegree ?? defaultProfileDegree(link);
  const deadline = options.deadline ?? deadlineAfter(options.timeLimit);
  const spectrum = options.spectrum?.maxDegree === K ? options.spectrum : hermiteSpectrum(link, K, { deadline });
  const parity = parityOf(link);
  const ie = informationExponent(link, spectrum, parity);
  const notes: string[] = [ie.note];
  const powers = labelPowerExponents(link, K, 4, deadline, spectrum);
  // p_j = null is read as "never" by the engine: one cut by the time limit must not be
  const unresolved: UnresolvedExponent[] = [];
  const cut = powers.find((p) => p.unresolved);
  if (cut && options.partial) for (const p of powers.filter((q) => q.unresolved)) unresolved.push({ symbol: `p${p.power}` as ExponentSymbol, lower: 1, upper: null, note: p.note });
  else if (cut) throw new InputError(`the label-power exponents were not all computed within the time limit, and predictions need them: ${cut.note}`);
  const firstVector = judgedFirstHermiteVector(link, spectrum);
  if (link.kind === "single") {
    // GE <= IE and GE <= IE(f^j) (proved): degrees above that bound cannot change GE, so the spectrum stops there
    // (at least at 2: alpha_c reads lambda_1 and lambda_2); the profile reports only GE and its certificate
    const proved = [ie.value, ...powers.map((p) => p.value)].filter((v): v is number => v !== null);
    const geK = proved.length ? Math.min(K, Math.max(2, Math.min(...proved))) : K;
    const ge = generativeExponent(link, { maxDegree: geK, spectrum, parity, deadline, labelPowers: powers });
    // the noiseless generative spectrum, for a caller that needs it again (predict's alpha_c: one integration, not two)
    if (options.out) options.out.generative = ge;
    // a GE cut by the time limit is not "GE > K": the engine would read null as never; predictions need the value
    if (!ge.resolved && ge.value === null && options.partial) unresolved.push({ symbol: "GE", lower: ge.bounds.lower, upper: ge.bounds.upper, note: ge.note });
    else if (!ge.resolved && ge.value === null) throw new InputError(`the generative exponent was not resolved within the time limit, and predictions need it: ${ge.note}`);
    notes.push(ge.note, ...ge.warnings);
    return {
      kind: "single", dimension: 1, parity: parity.parity,
      informationExponent: ie.value, generativeExponent: ge.value,
      labelPowerExponents: powers.map((p) => p.value),
      leapExponent: ie.value, generativeLeap: ge.value, staircase: [], generativeStaircase: [],
      firstHermiteVector: firstVector, notes, ...(unresolved.length ? { unresolved } : {}),
    };
  }
  const leap = subspaceLeap(link, spectrum, K, deadline);
  const coordinate = leapExponent(link, spectrum, K);
  const gleap = subspaceGenerativeLeap(link, spectrum, K, new Map(powers.flatMap((p) => (p.spectrum ? [[p.power, { link: labelPowerLink(link, p.power), spectrum: p.spectrum }] as const] : []))), deadline);
  // a leap cut by the time limit is not "not reached": the engine would read null as never
  for (const [l, symbol] of [[leap, "leap"], [gleap, "gleap"]] as const) {
    if (l.resolved) continue;
    if (!options.partial) throw new InputError(`an exponent was not resolved within the time limit, and predictions need it: ${l.note}`);
    unresolved.push({ symbol, lower: l.lowerBound ?? 1, upper: null, note: l.note });
    // the generative exponent of a multi-index link is the generative leap's first stage: cut with it when not found
    if (symbol === "gleap" && gleap.firstStageExponent === null && ie.value !== 1) unresolved.push({ symbol: "GE", lower: 1, upper: ie.value, note: l.note });
  }
  notes.push(leap.note, gleap.note, `coordinate leap in the given basis (fixed-basis claims only): ${coordinate.note}`, ...gleap.warnings);
  return {
    kind: "multi", dimension: link.dimension, parity: parity.parity,
    informationExponent: ie.value,
    // the generative exponent of a multi-index model is its generative leap's first stage (Damian, Lee, Bruna 2025)
    // (1 <= GE <= IE: GE = 1 when IE = 1, even when the time limit cut the generative leap)
    generativeExponent: gleap.firstStageExponent ?? (!gleap.resolved && ie.value === 1 ? 1 : null),
    labelPowerExponents: powers.map((p) => p.value),
    leapExponent: leap.value, generativeLeap: gleap.value,
    // `staircase` is the leap staircase (correlational learners); `generativeStaircase` the generative leap's
    staircase: leap.stages.map(profileStage),
    generativeStaircase: gleap.stages.map(profileStage),
    coordinateLeap: { value: coordinate.value, staircase: coordinate.staircase.map((s) => ({ directions: [...s.directions], exponent: s.exponent })) },
    firstHermiteVector: firstVector, notes, ...(unresolved.length ? { unresolved } : {}),
  };
}

const vectorText = (v: readonly number[]) => `(${v.map((x) => Number((Math.abs(x) < 5e-13 ? 0 : x).toPrecision(4))).join(", ")})`;
const profileStage = (s: SubspaceStage): ProfileStage => ({ directions: s.basis.map(vectorText), exponent: s.degree, basis: s.basis.map((b) => [...b]) });

/**
 * C_1 = E[g(z) z] with every entry that analyze judges zero (exactly, by parity, or within its numerical error
 * bound) set to 0: one truth per fact, so predictions never present a rounding residue as a direction.
 */
export function judgedFirstHermiteVector(link: Link, spectrum: HermiteSpectrum): number[] {
  const raw = firstHermiteVector(link, spectrum);
  if (link.kind === "single") {
    if (spectrum.maxDegree < 1) return [0];
    const v = judgeCoefficient("c_1", { value: spectrum.coefficients[1]!, exact: spectrum.exact[1] ?? null, errorBound: spectrum.errorBounds[1] ?? 0 }, parityOf(link).parity === "even" ? "the link is even" : null);
    return [v.nonzero ? raw[0]! : 0];
  }
  const judged = judgedTensor(link, spectrum);
  return raw.map((x, i) => {
    const e = judged.find((t) => t.alpha.every((a, j) => a === (j === i ? 1 : 0)));
    return e && e.nonzero ? x : 0;
  });
}
