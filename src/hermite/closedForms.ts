/**
 * Closed-form Hermite integrals E[f(Z) He_k(Z)] for links that are linear combinations of
 *   - piecewise polynomials with rational kinks (piecewisePolynomial.ts),
 *   - exp(a z + b):  E[e^{aZ+b} He_k(Z)] = e^{b + a^2/2} a^k        (Stein: E[f^(k)] with f^(k) = a^k f),
 *   - erf(a z):      E[erf(aZ) He_{2m+1}(Z)] = (2a/sqrt(pi)) (1+2a^2)^{-1/2} (-1)^m (2m-1)!! (2a^2/(1+2a^2))^m,
 *                    even k vanish (Stein once, then E[e^{-bZ^2} He_{2m}(Z)] = (1+2b)^{-1/2} (-1)^m (2m-1)!! (2b/(1+2b))^m),
 * with rational a, b. Returns null when the link is not of that form.
 */
import Fraction from "fraction.js";
import type { Expr } from "../link/expr.js";
import { variablesOf } from "../link/expr.js";
import { constantFold } from "../link/parse.js";
import { ExactReal } from "../exact/exactReal.js";
import { gaussianMoment } from "../exact/bigint.js";
import { toPiecewisePolynomial, gaussianHermiteIntegrals, type PiecewisePolynomial } from "./piecewisePolynomial.js";

/** a z + b with rational a, b, or null. */
function affine(e: Expr): { a: Fraction; b: Fraction } | null {
  const pw = toPiecewisePolynomial(e);
  if (!pw || pw.cuts.length || pw.pieces[0]!.length > 2) return null;
  const p = pw.pieces[0]!;
  return { a: p[1] ?? new Fraction(0), b: p[0] ?? new Fraction(0) };
}

function expIntegrals(a: Fraction, b: Fraction, K: number): ExactReal[] {
  const base = ExactReal.exp(b.add(a.mul(a).div(2)));
  return Array.from({ length: K + 1 }, (_, k) => base.scale(a.pow(k)));
}

function erfIntegrals(a: Fraction, K: number): ExactReal[] {
  const twoA2 = a.mul(a).mul(2);
  const onePlus = twoA2.add(1);
  // (2a/sqrt(pi)) (1+2a^2)^{-1/2} = 2a * sqrt(q p) / p / sqrt(pi) with 1 + 2a^2 = p/q
  const p = onePlus.n, q = onePlus.d;
  const lead = ExactReal.sqrt(p * q).scale(a.mul(2).div(new Fraction(p))).mul(ExactReal.invSqrtPi(1));
  const ratio = twoA2.div(onePlus);
  return Array.from({ length: K + 1 }, (_, k) => {
    if (k % 2 === 0) return ExactReal.zero;
    const m = (k - 1) / 2;
    return lead.scale(ratio.pow(m).mul(new Fraction(gaussianMoment(2 * m))).mul(m % 2 === 0 ? 1 : -1));
  });
}

/** exp(a z + b) with rational a, b: its (a, b), else null. */
function expAffine(e: Expr): { a: Fraction; b: Fraction } | null {
  return e.op === "call" && e.fn === "exp" ? affine(e.arg) : null;
}

/** Exact E[f He_k], k = 0..K, or null. */
export function closedFormIntegrals(e: Expr, K: number): ExactReal[] | null {
  if (variablesOf(e).size === 0) {
    const c = constantFold(e);
    return c?.exact ? Array.from({ length: K + 1 }, (_, k) => (k === 0 ? ExactReal.rational(c.exact!) : ExactReal.zero)) : null;
  }
  const pw: PiecewisePolynomial | null = toPiecewisePolynomial(e);
  if (pw) return gaussianHermiteIntegrals(pw, K);
  const combine = (x: ExactReal[] | null, y: ExactReal[] | null, s: number) => x && y ? x.map((v, k) => v.add(y[k]!.scale(s))) : null;
  switch (e.op) {
    case "add": return combine(closedFormIntegrals(e.left, K), closedFormIntegrals(e.right, K), 1);
    case "sub": return combine(closedFormIntegrals(e.left, K), closedFormIntegrals(e.right, K), -1);
    case "neg": { const x = closedFormIntegrals(e.arg, K); return x && x.map((v) => v.neg()); }
    case "mul": case "div": {
      const le = expAffine(e.left), re = expAffine(e.right);
      if (e.op === "mul" && le && re) return expIntegrals(le.a.add(re.a), le.b.add(re.b), K);
      const [c, rest] = variablesOf(e.left).size === 0 ? [e.left, e.right] : e.op === "mul" && variablesOf(e.right).size === 0 ? [e.right, e.left] : [null, null];
      if (!c || !rest) return null;
      const k = constantFold(c)?.exact;
      if (!k || (e.op === "div" && (c !== e.right || k.equals(0)))) return null;
      const x = closedFormIntegrals(rest, K);
      return x && x.map((v) => v.scale(e.op === "div" ? new Fraction(1).div(k) : k));
    }
    case "call": {
      const lin = affine(e.arg);
      if (!lin) return null;
      if (e.fn === "exp") return expIntegrals(lin.a, lin.b, K);
      if (e.fn === "erf" && lin.b.equals(0)) return erfIntegrals(lin.a, K);
      return null;
    }
    default: return null;
  }
}
