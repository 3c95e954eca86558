/**
 * Separable multi-index links: g(z) = sum_t a_t prod_i F_{t,i}(z_i). By independence of the coordinates,
 *   c_alpha[g] = sum_t a_t prod_i c_{alpha_i}[F_{t,i}],
 * so every tensor coefficient comes from univariate spectra (exact where those are). sign and abs of a product
 * split into products (sign(z1 z2 z3) = sign(z1) sign(z2) sign(z3)).
 */
import type { Expr } from "../link/expr.js";
import { num, show, variablesOf } from "../link/expr.js";
import { parseLink } from "../link/link.js";
import { isInputError } from "../link/errors.js";
import { ExactReal } from "../exact/exactReal.js";
import { factorial } from "../exact/bigint.js";
import { toPiecewisePolynomial, gaussianHermiteIntegrals } from "./piecewisePolynomial.js";
import { numericHermiteCoefficients } from "./numericUnivariate.js";
import { multiIndices, type TensorEntry } from "./multivariate.js";
import { budgeted, type Deadline } from "../numeric/deadline.js";

/** One product term: a constant factor times univariate factors (per variable, a list multiplied together). */
interface Term { readonly constants: Expr[]; readonly factors: ReadonlyMap<number, Expr[]> }

const MAX_TERMS = 64;
const MINUS_ONE = num(-1);

function product(a: Term, b: Term): Term {
  const factors = new Map<number, Expr[]>(a.factors);
  for (const [i, fs] of b.factors) factors.set(i, [...(factors.get(i) ?? []), ...fs]);
  return { constants: [...a.constants, ...b.constants], factors };
}

/** The separable expansion of e, or null when e is not a (small) sum of products of univariate factors. */
export function separate(e: Expr): Term[] | null {
  const vars = variablesOf(e);
  if (vars.size === 0) return [{ constants: [e], factors: new Map() }];
  if (vars.size === 1) return [{ constants: [], factors: new Map([[[...vars][0]!, [e]]]) }];
  const rec = (x: Expr) => separate(x);
  let out: Term[] | null = null;
  switch (e.op) {
    case "neg": { const a = rec(e.arg); out = a && a.map((t) => ({ ...t, constants: [...t.constants, MINUS_ONE] })); break; }
    case "add": case "sub": {
      const a = rec(e.left), b = rec(e.right);
      out = a && b ? [...a, ...(e.op === "add" ? b : b.map((t) => ({ ...t, constants: [...t.constants, MINUS_ONE] })))] : null;
      break;
    }
    case "mul": {
      const a = rec(e.left), b = rec(e.right);
      out = a && b ? a.flatMap((s) => b.map((t) => product(s, t))) : null;
      break;
    }
    case "div": {
      if (variablesOf(e.right).size > 0) return null;
      const a = rec(e.left);
      const inv: Expr = { op: "div", left: num(1), right: e.right, col: 0 };
      out = a && a.map((t) => ({ ...t, constants: [...t.constants, inv] }));
      break;
    }
    case "pow": {
      if (!Number.isInteger(e.exponent) || e.exponent < 0 || e.exponent > 8) return null;
      const a = rec(e.base);
      if (!a) return null;
      let acc: Term[] = [{ constants: [], factors: new Map() }];
      for (let k = 0; k < e.exponent && acc.length <= MAX_TERMS; k++) acc = acc.flatMap((s) => a.map((t) => product(s, t)));
      out = acc;
      break;
    }
    case "call": {
      if (e.fn !== "sign" && e.fn !== "abs") return null;
      const a = rec(e.arg);
      if (!a || a.length !== 1) return null;
      // sign(prod) = prod sign, |prod| = prod |.|
      const t = a[0]!;
      const wrap = (x: Expr): Expr => ({ op: "call", fn: e.fn as "sign" | "abs", arg: x, col: 0 });
      const factors = new Map<number, Expr[]>();
      for (const [i, fs] of t.factors) factors.set(i, [wrap(fs.reduce((p, q) => ({ op: "mul", left: p, right: q, col: 0 })))]);
      const constant = t.constants.length ? [wrap(t.constants.reduce((p, q) => ({ op: "mul", left: p, right: q, col: 0 })))] : [];
      out = [{ constants: constant, factors }];
      break;
    }
    default: return null;
  }
  return out && out.length <= MAX_TERMS ? out : null;
}

/** Replace variable i by the single-index variable z. */
function asUnivariate(e: Expr): string {
  return show(e, () => "z");
}

interface UnivariateSpectrum { values: number[]; exact: (ExactReal | null)[]; errors: number[] }

function univariate(text: string, K: number, cache: Map<string, UnivariateSpectrum>, deadline?: Deadline): UnivariateSpectrum {
  const key = `${K}|${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // each factor's parse (domain and tail checks) costs up to ~0.1 s on a nested factor: the budget is checked first
  deadline?.check();
  const link = parseLink(text);
  const pw = toPiecewisePolynomial(link.expr);
  let s: UnivariateSpectrum;
  if (pw) {
    const exact = gaussianHermiteIntegrals(pw, K).map((v, k) => v.divSqrt(factorial(k)));
    const values = exact.map((x) => x.toNumber());
    s = { values, exact, errors: exact.map((x) => x.roundingBound()) };
  } else {
    const n = numericHermiteCoefficients(deadline ? budgeted(link.f, deadline) : link.f, link.breakpoints, K);
    s = { values: [...n.coefficients], exact: values0(K), errors: [...n.errors] };
  }
  cache.set(key, s);
  return s;
}
const values0 = (K: number) => new Array<ExactReal | null>(K + 1).fill(null);

/**
 * E[A(Z) B(Z)] of two factors as a one-entry spectrum. The product of two square-integrable factors is integrable
 * but need not be square-integrable (abs(z1)^(-0.4) z2: |z|^(-0.4) squared is |z|^(-0.8)), so when the product is
 * refused as a link the mean is E[A^2] (A = B) or the polarization (E[(A+B)^2] - E[(A-B)^2])/4, from second moments
 * of square-integrable links (with the quadrature's endpoint terms at singular points).
 */
function productMean(a: Expr[], b: Expr[], cache: Map<string, UnivariateSpectrum>, deadline?: Deadline): UnivariateSpectrum {
  const mulAll = (xs: Expr[]): Expr => xs.reduce((p, q) => ({ op: "mul", left: p, right: q, col: 0 }));
  try {
    return univariate(asUnivariate(mulAll([...a, ...b])), 0, cache, deadline);
  } catch (e) {
    if (!isInputError(e) || !a.length || !b.length) throw e;
    const A = asUnivariate(mulAll(a)), B = asUnivariate(mulAll(b));
    const m2 = (text: string) => { deadline?.check(); const l = parseLink(text); const n = numericHermiteCoefficients(deadline ? budgeted(l.f, deadline) : l.f, l.breakpoints, 0); return { v: n.secondMoment, e: n.secondMomentError }; };
    if (A === B) { const s = m2(A); return { values: [s.v], exact: values0(0), errors: [s.e] }; }
    const plus = m2(`(${A}) + (${B})`), minus = m2(`(${A}) - (${B})`);
    return { values: [(plus.v - minus.v) / 4], exact: values0(0), errors: [(plus.e + minus.e) / 4] };
  }
}

/** Multivariate Hermite coefficients of a sum of products of univariate factors, computed from the factors' spectra. */
export interface SeparableResult {
  readonly entries: TensorEntry[];
  readonly secondMoment: number;
  readonly secondMomentExact: string | null;
  readonly secondMomentError: number;
  readonly exact: boolean;
}

/**
 * Tensor coefficients of a separable link (null when the link does not separate).
 * @param deadline the factors' quadratures check it (TimeLimitExceeded): sin(abs(0.5/z2)) took 0.6 s unbudgeted.
 */
export function separableTensorCoefficients(e: Expr, r: number, K: number, deadline?: Deadline): SeparableResult | null {
  const terms = separate(e);
  if (!terms || terms.length === 0) return null;
  const cache = new Map<string, UnivariateSpectrum>();
  const mulAll = (xs: Expr[]): Expr => xs.reduce((p, q) => ({ op: "mul", left: p, right: q, col: 0 }));
  // per term: constant (as a univariate spectrum's c_0 of a constant expression) and per-variable spectra
  const prepared = terms.map((t) => ({
    constant: t.constants.length ? univariate(asUnivariate(mulAll(t.constants)), 0, cache, deadline) : null,
    factors: new Map([...t.factors].map(([i, fs]) => [i, univariate(asUnivariate(mulAll(fs)), K, cache, deadline)])),
  }));
  let allExact = true;
  const entries: TensorEntry[] = multiIndices(r, K).map((alpha) => {
    let value = 0, error = 0, exact: ExactReal | null = ExactReal.zero;
    for (const t of prepared) {
      if (alpha.some((a, i) => a > 0 && !t.factors.has(i))) continue;
      const parts: { v: number; e: number; x: ExactReal | null }[] = [];
      if (t.constant) parts.push({ v: t.constant.values[0]!, e: t.constant.errors[0]!, x: t.constant.exact[0]! });
      for (const [i, s] of t.factors) parts.push({ v: s.values[alpha[i]!]!, e: s.errors[alpha[i]!]!, x: s.exact[alpha[i]!]! });
      const v = parts.reduce((p, q) => p * q.v, 1);
      // first-order error propagation for a product: sum_i e_i prod_{j != i} |v_j|
      const err = parts.reduce((s, q, i) => s + q.e * parts.reduce((p, w, j) => (j === i ? p : p * Math.abs(w.v)), 1), 0);
      value += v; error += err;
      if (exact && parts.every((q) => q.x)) exact = exact.add(parts.reduce((p, q) => p.mul(q.x!), ExactReal.rational(1)));
      else exact = null;
    }
    if (!exact) allExact = false;
    return { alpha, value: exact ? exact.toNumber() : value, exact: exact ? exact.toString() : null, errorBound: exact ? exact.roundingBound() : error + 1e-16 };
  });
  // E[g^2] = sum_{s,t} a_s a_t prod_i E[F_{s,i} F_{t,i}]
  let m2 = 0, m2err = 0;
  let m2exact: ExactReal | null = ExactReal.zero;
  for (const s of terms) for (const t of terms) {
    const parts: UnivariateSpectrum[] = [];
    const consts = [...s.constants, ...t.constants];
    if (consts.length) parts.push(univariate(asUnivariate(mulAll(consts)), 0, cache, deadline));
    for (let i = 0; i < r; i++) {
      const fs = [...(s.factors.get(i) ?? []), ...(t.factors.get(i) ?? [])];
      if (fs.length) parts.push(productMean(s.factors.get(i) ?? [], t.factors.get(i) ?? [], cache, deadline));
    }
    const v = parts.reduce((p, q) => p * q.values[0]!, 1);
    m2 += v;
    m2err += parts.reduce((acc, q, i) => acc + q.errors[0]! * parts.reduce((p, w, j) => (j === i ? p : p * Math.abs(w.values[0]!)), 1), 0);
    if (m2exact && parts.every((q) => q.exact[0])) m2exact = m2exact.add(parts.reduce((p, q) => p.mul(q.exact[0]!), ExactReal.rational(1)));
    else m2exact = null;
  }
  return {
    entries,
    secondMoment: m2exact ? m2exact.toNumber() : m2,
    secondMomentExact: m2exact ? m2exact.toString() : null,
    secondMomentError: m2exact ? m2exact.roundingBound() : m2err,
    exact: allExact && m2exact !== null,
  };
}
