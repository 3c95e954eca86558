/**
 * Facts about a link, beyond its exponent profile, that claims condition on or that structured predictions use:
 * whether it is a polynomial (Lee et al. 2024), its non-zero Hermite degrees (seed 003 phases), the lowest non-zero
 * Hermite order along each coordinate (seed 001 leap index), and the giant-step subspaces C_1, range C_2.
 */
import type { Link } from "../link/link.js";
import type { Expr } from "../link/expr.js";
import { walk } from "../link/expr.js";
import { hermiteSpectrum, type HermiteSpectrum } from "../hermite/spectrum.js";
import { judgeCoefficient } from "../exponents/certificates.js";
import { judgedTensor, degreeOf } from "../exponents/support.js";
import { hermiteSubspaces } from "../exponents/subspace.js";
import { oneStepFiltration, linearConnectionSteps, type SubspaceStage } from "../exponents/subspaceStaircase.js";
import { weakRecoveryThreshold, type WeakRecoveryThreshold } from "../exponents/threshold.js";
import type { MultiIndexLearnability } from "../exponents/weakLearnability.js";
import { multiIndexModules } from "../exponents/multiIndexModules.js";
import { isInputError } from "../link/errors.js";
import type { Deadline } from "../numeric/deadline.js";
import { NO_NOISE, type NoiseModel } from "../exponents/noise.js";
import type { GenerativeExponent } from "../exponents/generative.js";

/** A subspace in the user's coordinates: an orthonormal basis and the order (or step) that reaches it. */
export interface FactStage {
  /** Orthonormal basis of the new directions, in z1..zr. */
  readonly basis: number[][];
  /** The Hermite order (one step at n ~ d^order) or 1 (a fresh step at n ~ d). */
  readonly order: number;
}
const factStage = (s: SubspaceStage): FactStage => ({ basis: s.basis.map((b) => b.map((x) => (Math.abs(x) < 5e-13 ? 0 : x))), order: s.degree });
import { parseLink } from "../link/link.js";

/**
 * Facts about a link that claims condition on beyond its exponents: polynomial or not, non-zero Hermite degrees,
 * per-coordinate lowest orders, the giant-step direction C_1/|C_1|, dim(span C_1 + range C_2), and whether the
 * direction orthogonal to C_1 is linearly connected to it.
 */
export interface LinkFacts {
  readonly text: string;
  readonly variables: string[];
  readonly polynomial: boolean;
  /** Largest Hermite degree examined. */
  readonly maxDegree: number;
  /** Single-index: degrees k >= 0 with c_k judged non-zero (<= maxDegree); multi-index: total degrees present. */
  readonly hermiteDegrees: number[];
  /** Lowest total degree |alpha| of a non-zero c_alpha with alpha_i >= 1, per coordinate (null: none <= maxDegree). */
  readonly coordinateOrders: (number | null)[];
  /** Unit vector along C_1 = E[g(z) z] (empty when C_1 = 0). */
  readonly giantStepDirection: number[];
  /** dim(span C_1 + range C_2): directions one step learns at n ~ d^2. */
  readonly orderTwoRank: number;
  /**
   * One step at n ~ d^l learns S_l = sum_{k <= l} range T_k (Dandi et al. 2023, abstract): the filtration as stages
   * (the directions each order adds), basis-free (subspaceStaircase.ts).
   */
  readonly oneStepStages: FactStage[];
  /**
   * Fresh steps at n ~ d: span(C_1), then the directions linearly connected to what is learned (range of
   * P_perp C_2 P_U; our reading of the seed-001 staircase [derived here], which generalises c_(1,1) = E[g u v] != 0
   * in the basis u = C_1/|C_1|, v orthogonal and reproduces the notes' examples: learned for z1 + z1^2 + z2 - z2^2
   * (§3.2 claim 3), not for tanh(z1 + He_3(z2)) (§3.3 claim 4)); and the dimension left unlearned.
   */
  readonly freshStepStages: FactStage[];
  /** Dimension of the directions the link depends on that fresh steps at n ~ d never learn. */
  readonly freshStepUnlearned: number;
  /** Single-index: the weak-recovery threshold alpha_c = n/d (exponents/threshold.ts) under the facts' label noise (default none); null otherwise. */
  readonly weakRecovery?: WeakRecoveryThreshold | null;
  /**
   * Multi-index (r <= 4), under the facts' label noise (default none): trivial / easy / hard subspaces, alpha_c and the grand staircase
   * (exponents/weakLearnability.ts, Troiani et al. 2024) on the light grid {@link PREDICT_LEARNABILITY_NODES}; null otherwise.
   */
  readonly weakLearnability?: MultiIndexLearnability | null;
}

/** Grid nodes per latent dimension for the weak learnability `predict` prints (r = 2, 3, 4): r = 3, 4 at the analysis defaults: coarser grids misplace the later stages. */
export const PREDICT_LEARNABILITY_NODES: Readonly<Record<number, number>> = { 2: 300, 3: 90, 4: 26 };

/** The value of `compute`, or null when it refuses the link (an InputError: not computable for it). */
function unlessRefused<T>(compute: () => T): T | null {
  try { return compute(); } catch (e) { if (isInputError(e)) return null; throw e; }
}

function safeLearnability(link: Link, deadline: Deadline | undefined, noise: NoiseModel): MultiIndexLearnability | null {
  const nodes = PREDICT_LEARNABILITY_NODES[link.dimension];
  if (link.constant || nodes === undefined) return null;
  // gaussian noise multiplies the labels by the noise nodes: the same reduction of the grid as analyze --noise
  // loaded on first use: a single-index predict never needs it (exponents/multiIndexModules.ts)
  const { weakLearnability } = multiIndexModules().weakLearnability;
  return unlessRefused(() => weakLearnability(link, { deadline, noise, ...(noise.kind === "gaussian" ? {} : { nodes }) }));
}

/** alpha_c; a noiseless generative spectrum already computed (the exponent profile's) is reused, not integrated again. */
const safeThreshold = (link: Link, deadline: Deadline | undefined, noise: NoiseModel, generative?: GenerativeExponent): WeakRecoveryThreshold | null =>
  unlessRefused(() => weakRecoveryThreshold(link, { deadline, noise, ...(generative && noise.kind === "none" && generative.noise.kind === "none" && generative.resolved ? { generative } : {}) }));

/** A polynomial: numbers, variables, + - *, division by a constant, non-negative integer powers, He_k. */
export function isPolynomial(e: Expr): boolean {
  for (const n of walk(e)) {
    if (n.op === "call" || n.op === "call2") return false;
    if (n.op === "pow" && !(Number.isInteger(n.exponent) && n.exponent >= 0)) return false;
    if (n.op === "div" && [...walk(n.right)].some((m) => m.op === "var")) return false;
  }
  return true;
}

/**
 * The {@link LinkFacts} of a link from its Hermite spectrum to degree maxDegree (zeros certified as in
 * `judgeCoefficient`); `deadline` bounds the generative spectrum behind alpha_c and the multi-index weak learnability
 * (default: none), shared with the caller's other steps (predict: the whole prediction has one budget);
 * `multiIndexLearnability` computes the multi-index subspaces and grand staircase (seconds of grid work; default off);
 * `generative`, the link's noiseless generative exponent when the caller has it, is reused by alpha_c (noiseless only).
 */
export function linkFacts(link: Link, maxDegree: number, spectrum: HermiteSpectrum = hermiteSpectrum(link, maxDegree), deadline?: Deadline, multiIndexLearnability = false, noise: NoiseModel = NO_NOISE, generative?: GenerativeExponent): LinkFacts {
  const sub = hermiteSubspaces(link, spectrum);
  if (link.kind === "single") {
    const degrees: number[] = [];
    for (let k = 0; k <= spectrum.maxDegree; k++) {
      const v = judgeCoefficient(`c_${k}`, { value: spectrum.coefficients[k]!, exact: spectrum.exact[k] ?? null, errorBound: spectrum.errorBounds[k]! }, null);
      if (v.nonzero) degrees.push(k);
    }
    const ie = degrees.find((k) => k >= 1) ?? null;
    return {
      text: link.text, variables: [...link.variables], polynomial: isPolynomial(link.expr), maxDegree: spectrum.maxDegree,
      hermiteDegrees: degrees, coordinateOrders: [ie], giantStepDirection: sub.giantStepDirection, orderTwoRank: sub.orderTwoRank,
      oneStepStages: oneStepFiltration(link, spectrum).map(factStage), freshStepStages: ie === 1 ? [{ basis: [[1]], order: 1 }] : [], freshStepUnlearned: ie === 1 ? 0 : 1,
      weakRecovery: link.constant ? null : safeThreshold(link, deadline, noise, generative),
    };
  }
  const support = judgedTensor(link, spectrum).filter((t) => t.nonzero);
  const fresh = linearConnectionSteps(link, spectrum);
  const orders = link.variables.map((_, i) => {
    const ds = support.filter((t) => t.alpha[i]! >= 1).map((t) => degreeOf(t.alpha));
    return ds.length ? Math.min(...ds) : null;
  });
  return {
    text: link.text, variables: [...link.variables], polynomial: isPolynomial(link.expr), maxDegree: spectrum.maxDegree,
    hermiteDegrees: [...new Set(support.map((t) => degreeOf(t.alpha)))].sort((a, b) => a - b),
    coordinateOrders: orders, giantStepDirection: sub.giantStepDirection, orderTwoRank: sub.orderTwoRank,
    oneStepStages: oneStepFiltration(link, spectrum).map(factStage),
    freshStepStages: fresh.steps.map(factStage), freshStepUnlearned: fresh.complement.length,
    weakLearnability: multiIndexLearnability ? safeLearnability(link, deadline, noise) : null,
  };
}
