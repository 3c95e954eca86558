/**
 * The multi-index routes honour the analysis deadline (issue 19 campaign, seed 20261207: `e*z5` took 1 s and
 * `(abs(z2*z1) - z1)^4` 1.07 s under a 0.02 s limit): a direct Monte Carlo (r > 3) stops drawing past the deadline
 * (after the minimum sample count, with the bound of the samples drawn), and the separable route checks it before
 * each factor's parse.
 */
import { describe, expect, it } from "vitest";
import { parseLink } from "../../src/link/link.js";
import { numericTensorCoefficients } from "../../src/hermite/multivariate.js";
import { separableTensorCoefficients } from "../../src/hermite/separable.js";
import { deadlineAfter, TimeLimitExceeded } from "../../src/numeric/deadline.js";

describe("multi-index routes under an expired deadline", () => {
  it("direct Monte Carlo (r = 5) draws ~20,000 samples instead of 400,000: same mean within both bounds, a bound ~sqrt(20) wider", () => {
    const link = parseLink("z1*z2 + z5");
    const full = numericTensorCoefficients(link.expr, 5, 2);
    const cut = numericTensorCoefficients(link.expr, 5, 2, { deadline: deadlineAfter(1e-9) });
    expect(full.method).toBe("monte-carlo");
    expect(cut.method).toBe("monte-carlo");
    const ratio = cut.secondMomentError / full.secondMomentError;
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(6.5);
    expect(Math.abs(cut.secondMoment - 2)).toBeLessThanOrEqual(cut.secondMomentError);
    expect(Math.abs(full.secondMoment - 2)).toBeLessThanOrEqual(full.secondMomentError);
  });
  it("the separable route throws TimeLimitExceeded past the deadline (the caller falls back), and without one it is exact", () => {
    const link = parseLink("(abs(z2*z1) - z1)^4");
    expect(() => separableTensorCoefficients(link.expr, 2, 2, deadlineAfter(1e-9))).toThrow(TimeLimitExceeded);
    const s = separableTensorCoefficients(parseLink("abs(z1)*z2").expr, 2, 2);
    expect(s).not.toBeNull();
    // E[(|z1| z2)^2] = 1
    expect(Math.abs(s!.secondMoment - 1)).toBeLessThan(1e-12);
  });
});
