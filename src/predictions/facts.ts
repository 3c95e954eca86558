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
import { parseLink } from "../link/link.js";
import { weakRecoveryThreshold, type WeakRecoveryThreshold } from "../exponents/threshold.js";
import { isInputError } from "../link/errors.js";

/** Decide whether the direction orthogonal to C_1 is linearly connected to C_1 (two-index links only). */
function orthogonalConnection(link: Link, direction: number[], K: number): LinkFacts["orthogonalConnected"] {
  if (link.kind !== "multi" || link.dimension !== 2 || direction.length !== 2) return null;
  const [a, b] = direction as [number, number];
  // z = a u - b v along (z1, z2) = u (a, b) + v (-b, a): substitute z1 -> (a z1 - b z2), z2 -> (b z1 + a z2)
  const f = (x: number) => `(${x.toPrecision(17)})`;
  const rotated = link.text.replace(/\bz1\b/g, "U").replace(/\bz2\b/g, "V")
    .replace(/U/g, `(${f(a)}*z1 - ${f(b)}*z2)`).replace(/V/g, `(${f(b)}*z1 + ${f(a)}*z2)`);
  let r: Link;
  try { r = parseLink(rotated); } catch { return null; }
  if (r.kind !== "multi" || r.dimension !== 2) return null;
  const t = judgedTensor(r, hermiteSpectrum(r, K)).filter((e) => e.nonzero && e.alpha[1] === 1 && e.alpha[0] === 1);
  return t.length
    ? { value: true, reason: `in the basis (u, v) = (C_1/|C_1|, orthogonal) c_(${t[0]!.alpha.join(",")}) = ${t[0]!.value.toPrecision(4)} != 0` }
    : { value: false, reason: "in the basis (u, v) = (C_1/|C_1|, orthogonal) c_(1,1) = E[g u v] = 0 (criterion derived here)" };
}

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
   * Two-index links with C_1 != 0: in the basis u = C_1/|C_1|, v orthogonal, is v linearly connected to u, i.e.
   * c_(1,1) = E[g u v] != 0? Then a second fresh step at n ~ d learns v (Dandi et al. 2023, staircase). The criterion
   * (c_(1,1) rather than any c_(a,1)) is our reading [derived here]; it reproduces the notes' examples: learned for
   * z1 + z1^2 + z2 - z2^2 (§3.2 claim 3), not for tanh(z1 + He_3(z2)) (§3.3 claim 4). null when not decided.
   */
  readonly orthogonalConnected: { value: boolean; reason: string } | null;
  /** Single-index, noiseless: the weak-recovery threshold alpha_c = n/d (exponents/threshold.ts); null otherwise. */
  readonly weakRecovery?: WeakRecoveryThreshold | null;
}

function safeThreshold(link: Link): WeakRecoveryThreshold | null {
  try { return weakRecoveryThreshold(link); } catch (e) { if (isInputError(e)) return null; throw e; }
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

/**
 * The {@link LinkFacts} of a link from its Hermite spectrum to degree maxDegree (zeros certified as in
 * `judgeCoefficient`).
 */
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
      orthogonalConnected: null, weakRecovery: link.constant ? null : safeThreshold(link),
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
    orthogonalConnected: orthogonalConnection(link, sub.giantStepDirection, Math.min(maxDegree, 4)),
  };
}
