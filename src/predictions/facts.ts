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
}

/** A polynomial: numbers, variables, + - *, division by a constant, non-negative integer powers, He_k. */
export function isPolynomial(e: Expr): boolean {
  for (const n of walk(e)) {
    if (n.op === "call" || n.op === "call2") return false;
    if (n.op === "pow" && !(Number.isInteger(n.exponent) && n.exponent >= 0)) return false;
    if (n.op === "div" && [...walk(n.right)].some((m) => m.op === "var")) return false;
  }
  return true;
}

export function linkFacts(link: Link, maxDegree: number, spectrum: HermiteSpectrum = hermiteSpectrum(link, maxDegree)): LinkFacts {
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
    };
  }
  const support = judgedTensor(link, spectrum).filter((t) => t.nonzero);
  const orders = link.variables.map((_, i) => {
    const ds = support.filter((t) => t.alpha[i]! >= 1).map((t) => degreeOf(t.alpha));
    return ds.length ? Math.min(...ds) : null;
  });
  return {
    text: link.text, variables: [...link.variables], polynomial: isPolynomial(link.expr), maxDegree: spectrum.maxDegree,
    hermiteDegrees: [...new Set(support.map((t) => degreeOf(t.alpha)))].sort((a, b) => a - b),
    coordinateOrders: orders, giantStepDirection: sub.giantStepDirection, orderTwoRank: sub.orderTwoRank,
  };
}
