/**
 * The Hermite spectrum of a link: coefficients with exact forms where they exist, error bounds everywhere, and the
 * Parseval check. Dispatches to the exact paths (polynomials, piecewise polynomials with rational kinks) and to
 * adaptive quadrature, tensor quadrature or Monte Carlo otherwise.
 */
import type { Link } from "../link/link.js";
import { ExactReal } from "../exact/exactReal.js";
import { factorial } from "../exact/bigint.js";
import { toPiecewisePolynomial, gaussianSecondMoment } from "./piecewisePolynomial.js";
import { closedFormIntegrals } from "./closedForms.js";
import type { Expr } from "../link/expr.js";
import { numericHermiteCoefficients } from "./numericUnivariate.js";
import { exactPolynomialSecondMoment, exactTensorCoefficients, numericTensorCoefficients, toMultiPolynomial, type TensorEntry } from "./multivariate.js";
import { HERMITE_CONVENTION } from "./basis.js";
import { separableTensorCoefficients } from "./separable.js";
import { InputError } from "../link/errors.js";
import { budgeted, NO_DEADLINE, TimeLimitExceeded, type Deadline } from "../numeric/deadline.js";

/**
 * How a spectrum was computed: exact (polynomial, piecewise polynomial with rational kinks, closed-form Gaussian
 * integrals, separable products) or numerical (adaptive split quadrature, tensor quadrature for r <= 3, seeded Monte
 * Carlo beyond), in which case every coefficient carries an error bound.
 */
export type SpectrumMethod =
  | "exact-polynomial" | "exact-piecewise" | "exact-closed-form" | "adaptive-quadrature"
  | "exact-separable" | "separable-quadrature" | "tensor-quadrature" | "monte-carlo";

/**
 * Hermite spectrum of a link up to degree K in the convention {@link HERMITE_CONVENTION}
 * (c_k = E[f(Z) He_k(Z)] / sqrt(k!)), with exact forms where known, an error bound per coefficient, and the Parseval
 * residual E[f^2] - sum_{k<=K} c_k^2.
 */
export interface HermiteSpectrum {
  /** The coefficient convention in words ({@link HERMITE_CONVENTION}): print it with any coefficient. */
  readonly convention: string;
  /** K: coefficients are given for degrees 0..K. */
  readonly maxDegree: number;
  /** How the coefficients were computed (exact or numerical route). */
  readonly method: SpectrumMethod;
  /** Single-index: c_0..c_K. Multi-index: the norm of each degree's part, sqrt(sum_{|alpha|=l} c_alpha^2), l = 0..K. */
  readonly coefficients: number[];
  /** Exact closed forms (link-language text) per entry of `coefficients`, or null. */
  readonly exact: (string | null)[];
  /** Bound on |computed - true| per entry of `coefficients` (rounding only, for exact forms). */
  readonly errorBounds: number[];
  /** E[f(Z)^2] (with its exact form when known). */
  readonly secondMoment: number;
  /** Bound (or, for errorBoundKind "estimate", estimate) of the error of `secondMoment`. */
  readonly secondMomentError: number;
  /** Exact form of E[f(Z)^2] (link-language text), or null. */
  readonly secondMomentExact: string | null;
  /** E[f^2] - sum_{k<=K} c_k^2: the signal beyond degree K (>= 0 up to the stated error). */
  readonly parsevalResidual: number;
  /** Bound on the error of `parsevalResidual`. */
  readonly parsevalResidualError: number;
  /** Multi-index only: every c_alpha with |alpha| <= K. */
  readonly tensor?: TensorEntry[];
  /**
   * What the error bounds are: "rounding" (exact routes: a rigorous bound on the rounding of the closed form) or
   * "estimate" (quadrature and Monte-Carlo routes: an a-posteriori estimate, |Q30 - Q20| plus endpoint-singularity and
   * truncation terms, or standard errors; not a proof).
   */
  readonly errorBoundKind: "rounding" | "estimate";
}

type RawSpectrum = Omit<HermiteSpectrum, "errorBoundKind">;

const isExactMethod = (m: SpectrumMethod) => m.startsWith("exact-");
const finiteSpectrum = (s: RawSpectrum) => [...s.coefficients, ...s.errorBounds, s.secondMoment, s.secondMomentError, s.parsevalResidual, s.parsevalResidualError].every(Number.isFinite);

/** Largest truncation degree K accepted by {@link hermiteSpectrum}. */
export const MAX_DEGREE = 200;

/**
 * Hermite coefficients of a link up to degree K: c_k = E[f(Z) He_k(Z)] / sqrt(k!), Z ~ N(0, 1) (probabilists' He_k),
 * or for a multi-index link every c_alpha = E[g(z) He_alpha(z)] / sqrt(alpha!) with |alpha| <= K and the per-degree
 * norms sqrt(sum_{|alpha|=l} c_alpha^2). Exact for polynomials and piecewise polynomials with rational kinks, numerical
 * with error bounds otherwise (theory notes section 1.5).
 * @param K truncation degree, an integer in [0, {@link MAX_DEGREE}].
 * @param options.deadline multi-index tensor quadrature that has not finished by then gives way to Monte Carlo.
 * @param options.cutOnDeadline a single-index quadrature stops refining past the deadline and the spectrum is marked
 *   cut ({@link spectrumCutByDeadline}); the caller must then read no exponent from it (analyze).
 * @throws InputError when K is out of range.
 */
export function hermiteSpectrum(link: Link, K: number, options: { deadline?: Deadline; interruptible?: boolean; cutOnDeadline?: boolean } = {}): HermiteSpectrum {
  if (!Number.isInteger(K) || K < 0 || K > MAX_DEGREE) throw new InputError(`--max-degree must be an integer in [0, ${MAX_DEGREE}], got ${K}`);
  // interruptible: a single-index quadrature checks the deadline too (TimeLimitExceeded); for optional spectra
  const f = options.interruptible && options.deadline ? budgeted(link.f, options.deadline) : link.f;
  // a single-index quadrature stops refining past the deadline (its errors then the unconverged panels' mass
  // allowances) and the spectrum is marked cut ({@link spectrumCutByDeadline}): sin(z/He(7, z)) oscillates without end
  // at the roots of He_7 and refined for a second under a 0.02 s limit
  // opt-in (analyze, which checks spectrumCutByDeadline): every other caller reads the spectrum as converged
  const expired = options.cutOnDeadline && options.deadline && options.deadline !== NO_DEADLINE ? () => options.deadline!.expired() : undefined;
  const cut = { value: false };
  let raw = link.kind === "single" ? univariateSpectrum(link, K, f, expired, cut) : multivariateSpectrum(link, K, options.deadline);
  // a closed form evaluated in doubles can overflow where the true value does not (relu(z - 1e300): phi(1e300)
  // He_k(1e300) = 0 * Infinity): the quadrature route then computes the same numbers without the overflow
  if (!finiteSpectrum(raw) && link.kind === "single" && isExactMethod(raw.method)) raw = numericUnivariate(link, K, null);
  if (!finiteSpectrum(raw)) {
    throw new InputError(`the Hermite coefficients of '${link.source}' cannot be computed in double precision (a value overflows or is undefined at the quadrature points of the ${raw.method} route)`);
  }
  const out: HermiteSpectrum = { ...raw, errorBoundKind: isExactMethod(raw.method) ? "rounding" : "estimate" };
  if (cut.value) CUT.add(out);
  return out;
}

const CUT = new WeakSet<HermiteSpectrum>();

/**
 * True when the deadline stopped the single-index quadrature of this spectrum before it converged: its values are
 * not certified (the errors are mass allowances, estimates), and no exponent may be read from them (analyze reports
 * them "not resolved within the time limit").
 */
export function spectrumCutByDeadline(s: HermiteSpectrum): boolean {
  return CUT.has(s);
}

function univariateSpectrum(link: Link, K: number, f: (x: number) => number, expired?: () => boolean, cut?: { value: boolean }): RawSpectrum {
  const pw = toPiecewisePolynomial(link.expr);
  const integrals = closedFormIntegrals(link.expr, K);
  if (integrals) {
    const exact = integrals.map((v, k) => v.divSqrt(factorial(k)));
    const coefficients = exact.map((c) => c.toNumber());
    const square: Expr = { op: "mul", left: link.expr, right: link.expr, col: 0 };
    const m2 = pw ? gaussianSecondMoment(pw) : closedFormIntegrals(square, 0)?.[0] ?? null;
    if (!m2) return numericUnivariate(link, K, exact, f, expired, cut);
    const secondMoment = m2.toNumber();
    const sumSq = exact.reduce((acc, c) => acc.add(c.mul(c)), ExactReal.zero);
    const residual = m2.sub(sumSq);
    return {
      convention: HERMITE_CONVENTION, maxDegree: K,
      method: !pw ? "exact-closed-form" : pw.cuts.length === 0 ? "exact-polynomial" : "exact-piecewise",
      coefficients, exact: exact.map((c) => c.toString()), errorBounds: exact.map((c) => c.roundingBound()),
      secondMoment, secondMomentError: m2.roundingBound(), secondMomentExact: m2.toString(),
      parsevalResidual: residual.toNumber(), parsevalResidualError: residual.roundingBound(),
    };
  }
  return numericUnivariate(link, K, null, f, expired, cut);
}

/** Adaptive split quadrature; exact coefficient forms (when known but E[f^2] is not) are kept. */
function numericUnivariate(link: Link, K: number, exactForms: ExactReal[] | null, f: (x: number) => number = link.f, expired?: () => boolean, cut?: { value: boolean }): RawSpectrum {
  const num = numericHermiteCoefficients(f, link.breakpoints, K, { expired });
  if (num.cut && cut) cut.value = true;
  const coefficients = exactForms ? exactForms.map((c) => c.toNumber()) : [...num.coefficients];
  const errors = exactForms ? exactForms.map((c) => c.roundingBound()) : [...num.errors];
  const sumSq = coefficients.reduce((s, c) => s + c * c, 0);
  const sqErr = coefficients.reduce((s, c, k) => s + 2 * Math.abs(c) * errors[k]!, 0);
  return {
    convention: HERMITE_CONVENTION, maxDegree: K, method: exactForms ? "exact-closed-form" : "adaptive-quadrature",
    coefficients, exact: exactForms ? exactForms.map((c) => c.toString()) : coefficients.map(() => null), errorBounds: errors,
    secondMoment: num.secondMoment, secondMomentError: num.secondMomentError, secondMomentExact: null,
    parsevalResidual: num.secondMoment - sumSq, parsevalResidualError: num.secondMomentError + sqErr,
  };
}

/** The separable route under the deadline; past it, null (the tensor route then gives way to Monte Carlo). */
function separableWithin(e: Expr, r: number, K: number, deadline?: Deadline): ReturnType<typeof separableTensorCoefficients> {
  try {
    return separableTensorCoefficients(e, r, K, deadline);
  } catch (err) {
    if (err instanceof TimeLimitExceeded) return null;
    throw err;
  }
}

function multivariateSpectrum(link: Link, K: number, deadline?: Deadline): RawSpectrum {
  const r = link.dimension;
  const poly = toMultiPolynomial(link.expr, r);
  let tensor: TensorEntry[];
  let secondMoment: number, secondMomentError: number, secondMomentExact: string | null = null;
  let method: SpectrumMethod;
  let separable: ReturnType<typeof separableTensorCoefficients> = null;
  let exactResidual: ExactReal | null = null;
  if (poly) {
    const exact = exactTensorCoefficients(poly, r, K);
    tensor = exact.map(({ alpha, value }) => ({ alpha, value: value.toNumber(), exact: value.toString(), errorBound: value.roundingBound() }));
    const m2 = exactPolynomialSecondMoment(poly, r);
    secondMoment = m2.toNumber(); secondMomentExact = m2.toString(); secondMomentError = m2.roundingBound();
    exactResidual = exact.reduce((acc, c) => acc.sub(c.value.mul(c.value)), m2);
    method = "exact-polynomial";
  } else if ((separable = separableWithin(link.expr, r, K, deadline))) {
    tensor = separable.entries; secondMoment = separable.secondMoment; secondMomentError = separable.secondMomentError;
    secondMomentExact = separable.secondMomentExact;
    method = separable.exact ? "exact-separable" : "separable-quadrature";
  } else {
    const num = numericTensorCoefficients(link.expr, r, K, { deadline });
    tensor = num.entries; secondMoment = num.secondMoment; secondMomentError = num.secondMomentError; method = num.method;
  }
  const coefficients: number[] = [], errorBounds: number[] = [], exact: (string | null)[] = [];
  for (let l = 0; l <= K; l++) {
    const part = tensor.filter((t) => t.alpha.reduce((a, b) => a + b, 0) === l);
    const norm2 = part.reduce((s, t) => s + t.value * t.value, 0);
    coefficients.push(Math.sqrt(norm2));
    errorBounds.push(part.reduce((s, t) => s + t.errorBound, 0));
    exact.push(part.every((t) => t.exact !== null) ? exactNorm(part.map((t) => t.exact!)) : null);
  }
  const sumSq = tensor.reduce((s, t) => s + t.value * t.value, 0);
  const sqErr = tensor.reduce((s, t) => s + 2 * Math.abs(t.value) * t.errorBound, 0);
  return {
    convention: HERMITE_CONVENTION, maxDegree: K, method, coefficients, exact, errorBounds,
    secondMoment, secondMomentError, secondMomentExact,
    parsevalResidual: exactResidual ? exactResidual.toNumber() : secondMoment - sumSq,
    parsevalResidualError: exactResidual ? exactResidual.roundingBound() : secondMomentError + sqErr, tensor,
  };
}

/** Exact text of sqrt(sum c^2) when every entry is zero (then "0"), else null: norms are reported numerically. */
function exactNorm(entries: string[]): string | null {
  return entries.every((e) => e === "0") ? "0" : null;
}
