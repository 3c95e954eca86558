/**
 * Exact real numbers of the form  sum_i  q_i * sqrt(r_i) * pi^(-j_i/2) * exp(x_i) * prod_t Phibar(t)^(m_t),
 * with rational q_i, x_i, t and squarefree integers r_i: enough for the Hermite coefficients of polynomials,
 * piecewise polynomials with rational kinks (Gaussian moments on half-lines), exp(a z) and erf(a z).
 * Phibar(t) = P(Z > t) = (1 - erf(t/sqrt(2)))/2.
 */
import Fraction from "fraction.js";
import { ratioToNumber, squarefreeSplit } from "./bigint.js";
import { erfc } from "../link/runtime.js";

interface Transcendental {
  /** power j of 1/sqrt(pi) */
  readonly invSqrtPi: number;
  /** argument of exp (rational) */
  readonly expArg: Fraction;
  /** Phibar(t) powers, keyed by t as "p/q" */
  readonly phibar: ReadonlyMap<string, number>;
}

interface Term { readonly coef: Fraction; readonly radicand: bigint; readonly tr: Transcendental }

const ONE_TR: Transcendental = { invSqrtPi: 0, expArg: new Fraction(0), phibar: new Map() };

const trKey = (t: Transcendental) =>
  `${t.invSqrtPi}|${t.expArg.toFraction()}|${[...t.phibar.entries()].sort().map(([k, v]) => `${k}^${v}`).join(",")}`;
const termKey = (t: Term) => `${t.radicand}|${trKey(t.tr)}`;

/**
 * An exact real sum_i q_i sqrt(r_i) pi^(-j_i/2) exp(x_i) prod_t Phibar(t)^(m_t) (rational q_i, x_i, t; squarefree
 * r_i), kept in a canonical form so that equality with zero is decided exactly: the Hermite coefficients of
 * polynomials and piecewise polynomials with rational kinks live here. Immutable.
 * @example ExactReal.sqrt(6n).divSqrt(2n).toString() // "sqrt(3)"
 */
export class ExactReal {
  private constructor(readonly terms: readonly Term[]) {}

  /** The number 0 (no terms). */
  static readonly zero = new ExactReal([]);
  /** The rational q. */
  static rational(q: Fraction | number | bigint): ExactReal {
    const f = q instanceof Fraction ? q : new Fraction(q as number);
    return f.equals(0) ? ExactReal.zero : new ExactReal([{ coef: f, radicand: 1n, tr: ONE_TR }]);
  }
  /** q * sqrt(n) for a positive integer n. */
  static sqrt(n: bigint, q: Fraction = new Fraction(1)): ExactReal {
    const [s, r] = squarefreeSplit(n);
    return new ExactReal([{ coef: q.mul(new Fraction(s)), radicand: r, tr: ONE_TR }]).normalized();
  }
  /** 1/sqrt(pi)^j. */
  static invSqrtPi(j: number): ExactReal {
    return new ExactReal([{ coef: new Fraction(1), radicand: 1n, tr: { ...ONE_TR, invSqrtPi: j } }]);
  }
  /** exp(x) for rational x. */
  static exp(x: Fraction): ExactReal {
    return new ExactReal([{ coef: new Fraction(1), radicand: 1n, tr: { ...ONE_TR, expArg: x } }]).normalized();
  }
  /** The normal density phi(t) = exp(-t^2/2)/sqrt(2 pi) at rational t. */
  static phi(t: Fraction): ExactReal {
    return ExactReal.exp(t.mul(t).div(-2)).mul(ExactReal.sqrt(2n, new Fraction(1, 2))).mul(ExactReal.invSqrtPi(1));
  }
  /** The Gaussian tail Phibar(t) = P(Z > t) at rational t (Phibar(0) = 1/2, Phibar(-t) = 1 - Phibar(t)). */
  static phibar(t: Fraction): ExactReal {
    if (t.equals(0)) return ExactReal.rational(new Fraction(1, 2));
    if (t.compare(0) < 0) return ExactReal.rational(1).sub(ExactReal.phibar(t.neg()));
    return new ExactReal([{ coef: new Fraction(1), radicand: 1n, tr: { ...ONE_TR, phibar: new Map([[t.toFraction(), 1]]) } }]);
  }

  /** Whether the number is exactly 0 (decided exactly: the canonical form of 0 has no terms). */
  isZero(): boolean { return this.terms.length === 0; }
  /** True when no transcendental factor appears (a rational times square roots). */
  isAlgebraic(): boolean { return this.terms.every((t) => trKey(t.tr) === trKey(ONE_TR)); }

  /** this + o, exactly. */
  add(o: ExactReal): ExactReal { return new ExactReal([...this.terms, ...o.terms]).normalized(); }
  /** this - o, exactly. */
  sub(o: ExactReal): ExactReal { return this.add(o.scale(new Fraction(-1))); }
  /** -this. */
  neg(): ExactReal { return this.scale(new Fraction(-1)); }
  /** q * this for a rational q. */
  scale(q: Fraction | number | bigint): ExactReal {
    const f = q instanceof Fraction ? q : new Fraction(q as number);
    if (f.equals(0)) return ExactReal.zero;
    return new ExactReal(this.terms.map((t) => ({ ...t, coef: t.coef.mul(f) })));
  }
  /** this * o, exactly (radicands re-split into square times squarefree). */
  mul(o: ExactReal): ExactReal {
    const out: Term[] = [];
    for (const a of this.terms) for (const b of o.terms) {
      const [s, r] = squarefreeSplit(a.radicand * b.radicand);
      const phibar = new Map(a.tr.phibar);
      for (const [k, v] of b.tr.phibar) phibar.set(k, (phibar.get(k) ?? 0) + v);
      out.push({
        coef: a.coef.mul(b.coef).mul(new Fraction(s)),
        radicand: r,
        tr: { invSqrtPi: a.tr.invSqrtPi + b.tr.invSqrtPi, expArg: a.tr.expArg.add(b.tr.expArg), phibar },
      });
    }
    return new ExactReal(out).normalized();
  }
  /** Division by sqrt(n), n a positive integer: x / sqrt(n) = x * sqrt(n) / n. */
  divSqrt(n: bigint): ExactReal {
    return this.mul(ExactReal.sqrt(n)).scale(new Fraction(1n, n));
  }

  private normalized(): ExactReal {
    const acc = new Map<string, Term>();
    for (const t of this.terms) {
      // pi^(-j/2) with j >= 2 even part: 1/pi is transcendental, kept as is (no simplification needed)
      const k = termKey(t);
      const prev = acc.get(k);
      acc.set(k, prev ? { ...prev, coef: prev.coef.add(t.coef) } : t);
    }
    const terms = [...acc.values()].filter((t) => !t.coef.equals(0));
    terms.sort((a, b) => (termKey(a) < termKey(b) ? -1 : termKey(a) > termKey(b) ? 1 : 0));
    return new ExactReal(terms);
  }

  /** The nearest double, up to {@link ExactReal.roundingBound}. */
  toNumber(): number {
    return this.termValues().reduce((a, b) => a + b, 0);
  }

  /** A bound on |toNumber() - exact value|: a few ulps of each term, so cancellation between terms is covered. */
  roundingBound(): number {
    return 8 * Number.EPSILON * this.termValues().reduce((a, b) => a + Math.abs(b), 0);
  }

  private termValues(): number[] {
    const out: number[] = [];
    for (const t of this.terms) {
      let v = ratioToNumber(t.coef.s * t.coef.n, t.coef.d);
      if (t.radicand !== 1n) v *= Math.sqrt(Number(t.radicand));
      if (t.tr.invSqrtPi) v *= Math.pow(Math.PI, -t.tr.invSqrtPi / 2);
      if (!t.tr.expArg.equals(0)) v *= Math.exp(t.tr.expArg.valueOf());
      for (const [k, m] of t.tr.phibar) v *= Math.pow(phibarNumber(new Fraction(k).valueOf()), m);
      out.push(v);
    }
    return out;
  }

  /** Link-language text, e.g. `sqrt(6)`, `1/sqrt(2*pi)`, `-sqrt(6)/(12*sqrt(2*pi))`. */
  toString(): string {
    if (this.terms.length === 0) return "0";
    return this.terms.map((t, i) => {
      const s = termString(t);
      if (i === 0) return s;
      return s.startsWith("-") ? ` - ${s.slice(1)}` : ` + ${s}`;
    }).join("");
  }
}

/** P(Z > t) = erfc(t/sqrt 2)/2, accurate in the far tail. */
function phibarNumber(t: number): number {
  return 0.5 * erfc(t / Math.SQRT2);
}

function termString(t: Term): string {
  let p = t.coef.s * t.coef.n, q = t.coef.d, r = t.radicand;
  const neg = p < 0n;
  if (neg) p = -p;
  const numFactors: string[] = [], denFactors: string[] = [];
  let j = t.tr.invSqrtPi;
  // prefer 1/sqrt(2*pi): sqrt(r)/sqrt(pi) = sqrt(2r)/sqrt(2pi); if r is even, sqrt(2r) = 2 sqrt(r/2)
  let twoPi = false;
  if (j % 2 === 1 && r % 2n === 0n) { r /= 2n; p *= 2n; twoPi = true; j -= 1; }
  const g = gcd(p, q); p /= g; q /= g;
  if (p !== 1n || (r === 1n && numFactors.length === 0)) numFactors.push(p.toString());
  if (r !== 1n) numFactors.push(`sqrt(${r})`);
  if (!t.tr.expArg.equals(0)) numFactors.push(`exp(${t.tr.expArg.toFraction()})`);
  for (const [k, m] of [...t.tr.phibar.entries()].sort()) {
    const t = k.includes("/") ? `(${k})` : k;
    for (let i = 0; i < m; i++) numFactors.push(`((1 - erf(${t}/sqrt(2)))/2)`);
  }
  if (q !== 1n) denFactors.push(q.toString());
  if (twoPi) denFactors.push("sqrt(2*pi)");
  if (j === 1) denFactors.push("sqrt(pi)");
  else if (j > 1) denFactors.push(j % 2 === 0 ? (j === 2 ? "pi" : `pi^${j / 2}`) : `pi^(${j}/2)`);
  if (numFactors.length > 1 && numFactors[0] === "1") numFactors.shift();
  const num = numFactors.join("*");
  const den = denFactors.length === 0 ? "" : denFactors.length === 1 ? `/${denFactors[0]}` : `/(${denFactors.join("*")})`;
  return `${neg ? "-" : ""}${num}${den}`;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}
