/**
 * Deciding whether a coefficient is zero, with the reason: exact arithmetic, a parity argument, or a numerical
 * bound. A "zero" is never asserted without saying which of these justified it.
 */

/** What justified a zero/non-zero verdict: exact arithmetic, a parity argument, or a numerical error bound. */
export type ZeroReason = "exact" | "parity" | "numerical";

/** Whether a coefficient is non-zero, how that was decided, and a sentence saying why. */
export interface CoefficientVerdict {
  readonly nonzero: boolean;
  /** How the verdict was reached. */
  readonly basis: ZeroReason;
  readonly reason: string;
}

/** |c| must exceed this multiple of its error bound to be declared non-zero numerically. */
export const NONZERO_MARGIN = 10;

/**
 * Decide whether the coefficient `name` is zero: exactly when its exact form is known; else zero by parity when
 * `parityZero` gives a parity reason; else non-zero iff |c| > {@link NONZERO_MARGIN} x errorBound, otherwise
 * "numerically zero" with the bound |c| + errorBound.
 * @param name printed name, e.g. `c_3` or `c_(1,0,2)`.
 * @param parityZero the parity argument that makes this coefficient vanish, or null.
 */
export function judgeCoefficient(
  name: string,
  c: { value: number; exact: string | null; errorBound: number },
  parityZero: string | null,
): CoefficientVerdict {
  if (c.exact !== null) {
    return c.exact === "0"
      ? { nonzero: false, basis: "exact", reason: `${name} = 0 exactly` }
      : { nonzero: true, basis: "exact", reason: `${name} = ${c.exact} (exact)` };
  }
  if (parityZero) return { nonzero: false, basis: "parity", reason: `${name} = 0 by parity (${parityZero})` };
  if (Math.abs(c.value) > NONZERO_MARGIN * c.errorBound) {
    return { nonzero: true, basis: "numerical", reason: `${name} = ${fmt(c.value)} (error bound ${fmt(c.errorBound)})` };
  }
  const bound = Math.abs(c.value) + c.errorBound;
  return { nonzero: false, basis: "numerical", reason: `${name} numerically zero (|${name}| < ${fmt(bound)})` };
}

const fmt = (x: number) => Number(x.toPrecision(4)).toExponential().replace(/e\+?0$/, "").replace(/\.?0+e/, "e");
