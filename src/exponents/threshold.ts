/**
 * The weak-recovery threshold alpha_c of a single-index model at n = alpha d samples (Mondelli, Montanari 2018,
 * arXiv 1708.05932; Barbier, Krzakala, Macris, Miolane, Zdeborova 2019, arXiv 1708.03395; Troiani et al. 2024,
 * arXiv 2405.15480 for the single-index case of their easy-subspace threshold):
 *
 *     1/alpha_c = E_Y[ E[He_2(Z) | Y]^2 ] = 2 lambda_2^2,      He_2(z) = z^2 - 1,  lambda_2^2 = E[zeta_2(Y)^2],
 *
 * with zeta_2 = E[h_2(Z) | Y], h_2 = He_2/sqrt(2), the degree-2 entry of the generative spectrum (generative.ts).
 * Normalisation check: y = z^2 gives E[He_2 | Y] = Y - 1, E[(Z^2 - 1)^2] = 2, alpha_c = 1/2.
 * By Jensen E[E[He_2|Y]^2] <= E[He_2^2] = 2, so alpha_c >= 1/2 for every link, with equality iff Y determines Z^2.
 *
 * Regimes: GE = 1 (E[Z | Y] != 0, a trivial direction): the linear estimator (1/n) sum T(y_i) x_i weakly recovers at
 * every alpha > 0, alpha_c = 0; GE = 2: alpha_c finite as above; GE >= 3: E[He_2 | Y] = 0, alpha_c = infinity
 * (no first-order / spectral method at n = Theta(d)).
 */
import type { Link } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { parityOf } from "../link/parity.js";
import { monotoneInSquare } from "../link/analysis.js";
import { BranchAnalysisError, branchStructure } from "./conditional.js";
import { generativeExponent, type GenerativeExponent } from "./generative.js";
import { describeNoise, NO_NOISE, noiseText, type NoiseModel } from "./noise.js";
import type { Deadline } from "../numeric/deadline.js";

/** Where the link sits at n = alpha d: trivial (alpha_c = 0), easy (finite alpha_c > 0), hard (alpha_c = inf). */
export type RecoveryRegime = "trivial" | "easy" | "hard" | "undetermined";

/** How alpha_c was certified. */
export type ThresholdBasis = "exact" | "closed-form" | "numerical" | "monte-carlo";

/** The weak-recovery threshold alpha_c = n/d of a single-index link, with its certificate and error bound. */
export interface WeakRecoveryThreshold {
  /** alpha_c (0 for a trivial direction, Infinity for a hard one). */
  readonly alphaC: number;
  /** Exact value as text ("1/2", "0", "inf") when it is certified exactly, else null. */
  readonly exact: string | null;
  /** Certified range [lo, hi] of alpha_c (hi may be Infinity when only a lower bound is certified). */
  readonly interval: readonly [number, number];
  /** |alpha_c - true| <= errorBound (Infinity when only the lower end is certified). */
  readonly errorBound: number;
  readonly regime: RecoveryRegime;
  readonly basis: ThresholdBasis;
  /** E_Y[E[He_2(Z) | Y]^2] = 2 lambda_2^2 = 1/alpha_c (GE >= 2), with its error bound. */
  readonly secondMoment: number;
  readonly secondMomentError: number;
  /** lambda_1^2 = E[E[h_1(Z) | Y]^2]: > 0 means a trivial direction. */
  readonly firstMoment: number;
  /** Noise model in `--noise` syntax. */
  readonly noise: string;
  /** The certificate in one sentence. */
  readonly note: string;
  /** Normalisation of alpha_c, printed with it. */
  readonly convention: string;
  /** Papers the threshold comes from. */
  readonly citation: string;
}

/** The normalisation of alpha_c in words: print it with any alpha_c. */
export const THRESHOLD_CONVENTION =
  "alpha = n/d, x ~ N(0, I_d), y = f(<w*, x>) (+ noise), |w*| = 1; 1/alpha_c = E_Y[E[He_2(Z) | Y]^2] with He_2(z) = z^2 - 1 (probabilists'), i.e. 2 lambda_2^2 with h_2 = He_2/sqrt(2)";

/** Citation of the threshold formula. */
export const THRESHOLD_CITATION =
  "Mondelli, Montanari 2018 (arXiv 1708.05932, weak-recovery threshold delta_u and optimal spectral preprocessing); Barbier, Krzakala, Macris, Miolane, Zdeborova 2019 (arXiv 1708.03395, stability of the uninformative GAMP fixed point); Troiani et al. 2024 (arXiv 2405.15480, easy subspace)";

/** Options of {@link weakRecoveryThreshold}. */
export interface ThresholdOptions {
  readonly noise?: NoiseModel;
  /** A generative exponent already computed (to degree >= 2, same noise) to reuse. */
  readonly generative?: GenerativeExponent;
  /** Wall-clock budget in seconds for the generative spectrum when it is computed here (default: none). */
  readonly timeLimit?: number;
  /** A deadline shared with the caller's other steps (takes precedence over `timeLimit`). */
  readonly deadline?: Deadline;
}

const fmt = (x: number) => (x === Infinity ? "inf" : Number(x.toPrecision(8)).toString());

/**
 * Whether Y = f(Z) determines Z^2: f a strictly monotone function of z^2 proved from the expression
 * (link/analysis.ts monotoneInSquare: tanh(z^2), 1/(1 + z^2), |z|^3 + z^2), or an even link (proved symbolically)
 * that the branch scan finds strictly monotone on each half-line, without atoms. Then E[He_2(Z) | Y] = He_2(Z) and
 * 1/alpha_c = E[He_2^2] = 2 exactly. (The structural proof comes first: the branch scan reads the sign of f' in
 * floating point, where tanh(z^2) is flat beyond |z| ~ 4.3 and a z^(2k) + b underflows in log space.)
 */
export function determinesSquare(link: Link): boolean {
  if (monotoneInSquare(link.expr) !== 0) return true;
  const parity = parityOf(link);
  if (parity.parity !== "even" || parity.method !== "symbolic") return false;
  let s;
  try { s = branchStructure(link); } catch (e) { if (e instanceof BranchAnalysisError) return false; throw e; }
  if (s.atoms.length > 0 || s.monotone.length !== 2) return false;
  const [left, right] = s.monotone as [typeof s.monotone[0], typeof s.monotone[0]];
  return left.a === -s.window && Math.abs(left.b) < 1e-9 && Math.abs(right.a) < 1e-9 && right.b === s.window && left.increasing !== right.increasing;
}

/**
 * The weak-recovery threshold alpha_c of a single-index link y = f(z) (+ label noise), 1/alpha_c = E[E[He_2(Z)|Y]^2]
 * (see the module comment for the sources), from the generative spectrum's lambda_1, lambda_2 with their
 * certificates: 0 when lambda_1 > 0 (GE = 1), exactly 1/2 when Y determines Z^2, 1/(2 lambda_2^2) with the
 * propagated error bound otherwise, and infinity when lambda_2 = 0 (certified exactly, or a lower bound when only
 * numerically zero).
 * @throws InputError for a multi-index or constant link, or flip noise on a link that is not +-1-valued.
 */
export function weakRecoveryThreshold(link: Link, options: ThresholdOptions = {}): WeakRecoveryThreshold {
  if (link.kind !== "single") throw new InputError("weakRecoveryThreshold is for single-index links; a multi-index link's alpha_c (easy subspace, grand staircase) is weakLearnability (exponents/weakLearnability.ts)");
  const noise = options.noise ?? options.generative?.noise ?? NO_NOISE;
  const ge = options.generative && options.generative.maxDegree >= 2 ? options.generative : generativeExponent(link, { maxDegree: 2, noise, labelPowers: [], timeLimit: options.timeLimit, deadline: options.deadline });
  if (!ge.resolved) return unresolvedThreshold(ge, noise);
  const e1 = ge.spectrum.find((e) => e.k === 1)!, e2 = ge.spectrum.find((e) => e.k === 2)!;
  const M = 2 * e2.lambdaSquared, dM = 2 * e2.errorBound;
  const mc = ge.method === "monte-carlo";
  const base = { secondMoment: M, secondMomentError: dM, firstMoment: e1.lambdaSquared, noise: noiseText(noise), convention: THRESHOLD_CONVENTION, citation: THRESHOLD_CITATION };
  const where = `[${describeNoise(noise)}; ${ge.method}]`;
  if (e1.nonzero) {
    return {
      ...base, alphaC: 0, exact: e1.basis === "exact" ? "0" : null, interval: [0, 0], errorBound: 0, regime: "trivial", basis: mc ? "monte-carlo" : e1.basis === "exact" ? "exact" : "numerical",
      note: `alpha_c = 0: GE = 1 (${e1.reason}), so E[Z | Y] != 0 and the linear estimator (1/n) sum_i T(y_i) x_i with T = E[Z | Y] has overlap^2 -> alpha lambda_1^2/(1 + alpha lambda_1^2) > 0 at every alpha > 0 ${where}`,
    };
  }
  if (!e2.nonzero) {
    const exactZero = e2.basis === "exact";
    const lo = exactZero ? Infinity : M + dM > 0 ? 1 / (M + dM) : Infinity;
    return {
      ...base, alphaC: Infinity, exact: exactZero ? "inf" : null, interval: [lo, Infinity], errorBound: exactZero ? 0 : Infinity, regime: "hard", basis: mc ? "monte-carlo" : exactZero ? "exact" : "numerical",
      note: `alpha_c = inf: lambda_1 = lambda_2 = 0 (${e2.reason}), so E[He_2(Z) | Y] = 0 and no spectral or first-order method recovers at n = Theta(d)${exactZero ? "" : `; certified only alpha_c >= ${fmt(lo)}`} ${where}`,
    };
  }
  if (noise.kind === "none" && !mc && determinesSquare(link)) {
    return {
      ...base, alphaC: 0.5, exact: "1/2", interval: [0.5, 0.5], errorBound: 0, regime: "easy", basis: "exact",
      note: `alpha_c = 1/2 exactly: f is even (proved) and strictly monotone on each half-line, so Y determines Z^2, E[He_2(Z) | Y] = Z^2 - 1 and E[(Z^2 - 1)^2] = 2 (numerical check 2 lambda_2^2 = ${fmt(M)}) ${where}`,
    };
  }
  const alphaC = 1 / M;
  // 1/alpha_c = E[E[He_2|Y]^2] <= E[He_2^2] = 2 (Jensen), so alpha_c >= 1/2 whatever the quadrature's bound
  const lo = Math.max(1 / (M + dM), 0.5), hi = M - dM > 0 ? 1 / (M - dM) : Infinity;
  const closed = ge.method === "closed-form-atoms" || ge.method === "flip-noise";
  const basis = mc ? "monte-carlo" : closed ? "closed-form" : "numerical";
  if (hi === Infinity) {
    // lambda_2 != 0 is certified (so alpha_c is finite), but 2 lambda_2^2 is not resolved from 0 in double precision
    // (-max(abs(z), 20) - 4: Y is constant but on |z| > 20, lambda_2^2 ~ 1e-84): only the lower end is certified
    return {
      ...base, alphaC: lo, exact: null, interval: [lo, Infinity], errorBound: Infinity, regime: "undetermined", basis,
      note: `alpha_c finite (lambda_2 != 0: ${e2.reason}) but not resolved: 2 lambda_2^2 = ${fmt(M)} +- ${fmt(dM)} does not separate from 0 in double precision, so only alpha_c >= ${fmt(lo)} is certified, and alphaC is that lower bound ${where}`,
    };
  }
  return {
    ...base, alphaC, exact: null, interval: [lo, hi], errorBound: Math.max(alphaC - lo, hi - alphaC), regime: "easy", basis,
    note: `alpha_c = 1/E[E[He_2(Z)|Y]^2] = 1/(2 lambda_2^2) = ${fmt(alphaC)} in [${fmt(lo)}, ${fmt(hi)}] (${closed ? "atoms in closed form, rounding only" : mc ? "Monte-Carlo lower bound of lambda_2^2: alpha_c is an upper estimate" : "adaptive quadrature with error bound"}) ${where}`,
  };
}


/**
 * alpha_c when the generative spectrum ran out of time: 0 when GE = 1 is proved by bounds (a certified c_1 != 0),
 * otherwise undetermined with the bound alpha_c >= 1/2 that holds for every link (Jensen, module comment).
 */
function unresolvedThreshold(ge: GenerativeExponent, noise: NoiseModel): WeakRecoveryThreshold {
  const base = { noise: noiseText(noise), convention: THRESHOLD_CONVENTION, citation: THRESHOLD_CITATION, basis: "numerical" as const };
  if (ge.value === 1) {
    return {
      ...base, alphaC: 0, exact: null, interval: [0, 0], errorBound: 0, regime: "trivial", secondMoment: 0, secondMomentError: 2, firstMoment: 0,
      note: `alpha_c = 0: ${ge.note.split(" (the spectrum")[0]}, so E[Z | Y] != 0 and the linear estimator weakly recovers at every alpha > 0 (lambda_1, lambda_2 not computed within the time limit: secondMoment and firstMoment are not computed)`,
    };
  }
  return {
    ...base, alphaC: 0.5, exact: null, interval: [0.5, Infinity], errorBound: Infinity, regime: "undetermined", secondMoment: 1, secondMomentError: 1, firstMoment: 0,
    note: `alpha_c not determined: the generative spectrum was not computed within the time limit (${ge.bounds.upper === null ? `GE >= ${ge.bounds.lower}` : `${ge.bounds.lower} <= GE <= ${ge.bounds.upper}`}); only alpha_c >= 1/2 (Jensen, every link) is certified, and alphaC = 0.5 is that lower bound`,
  };
}
