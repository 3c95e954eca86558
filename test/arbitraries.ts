/**
 * fast-check generators for index-lab tests: random links as link-language text, with whatever exact data the
 * generator knows by construction (monomial coefficients, kink locations, parity). Generators only; the properties
 * live in the *.test.ts files (as in fast-check itself: arbitraries separate from properties).
 */
import fc from "fast-check";
import Fraction from "fraction.js";

// ---------------------------------------------------------------- rationals

/** A small rational p/q, with the text that denotes it in the link language. */
export interface Rational { readonly value: Fraction; readonly text: string }

const rationalText = (f: Fraction): string => {
  const s = Number(f.s * f.n), d = Number(f.d);
  return d === 1 ? `${s}` : `(${s}/${d})`;
};

export const rational = (maxNumerator = 9): fc.Arbitrary<Rational> =>
  fc.tuple(fc.integer({ min: -maxNumerator, max: maxNumerator }), fc.constantFrom(1, 1, 1, 2, 3, 4, 5, 8, 10))
    .map(([n, d]) => { const value = new Fraction(n, d); return { value, text: rationalText(value) }; });

export const nonZeroRational = (maxNumerator = 9): fc.Arbitrary<Rational> => rational(maxNumerator).filter((r) => !r.value.equals(0));

// ---------------------------------------------------------------- polynomials in z

/** A polynomial link: its text and its exact monomial coefficients p[0] + p[1] z + ... (trailing zeros trimmed). */
export interface PolynomialLink { readonly text: string; readonly coefficients: Fraction[] }

const trim = (p: Fraction[]): Fraction[] => { const q = [...p]; while (q.length && q[q.length - 1]!.equals(0)) q.pop(); return q; };
export const polyAdd = (a: Fraction[], b: Fraction[]): Fraction[] =>
  trim(Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? new Fraction(0)).add(b[i] ?? new Fraction(0))));
export function polyMul(a: Fraction[], b: Fraction[]): Fraction[] {
  if (!a.length || !b.length) return [];
  const out = Array.from({ length: a.length + b.length - 1 }, () => new Fraction(0));
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] = out[i + j]!.add(a[i]!.mul(b[j]!));
  return trim(out);
}

/**
 * Monomial coefficients of He_k from the explicit sum He_k(x) = k! sum_m (-1)^m x^(k-2m) / (m! (k-2m)! 2^m)
 * (independent of the three-term recurrence used by the implementation).
 */
export function hermiteExplicit(k: number): Fraction[] {
  const fact = (n: number): bigint => { let r = 1n; for (let i = 2; i <= n; i++) r *= BigInt(i); return r; };
  const out = Array.from({ length: k + 1 }, () => new Fraction(0));
  for (let m = 0; 2 * m <= k; m++) {
    const num = fact(k) * (m % 2 === 0 ? 1n : -1n);
    const den = fact(m) * fact(k - 2 * m) * (1n << BigInt(m));
    out[k - 2 * m] = new Fraction(num, den);
  }
  return out;
}

/** sum_i a_i z^i written term by term, e.g. "3/4*z^3 - 2*z + 1" (sometimes with redundant forms such as z*z). */
const expandedText = (p: Fraction[], style: number): string => {
  const terms: string[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const c = p[i]!;
    if (c.equals(0)) continue;
    const mon = i === 0 ? "" : i === 1 ? "z" : style === 1 && i === 2 ? "z*z" : `z^${i}`;
    const abs = c.abs();
    const coef = abs.equals(1) && mon ? "" : abs.d === 1n ? `${abs.n}` : style === 2 ? `${abs.n}/${abs.d}` : `(${abs.n}/${abs.d})`;
    const body = coef && mon ? (style === 2 && abs.d !== 1n ? `${coef}*${mon}` : `${coef}*${mon}`) : coef || mon;
    const sign = c.s < 0 ? "-" : "+";
    terms.push(terms.length === 0 ? (sign === "-" ? `-${body}` : body) : ` ${sign} ${body}`);
  }
  return terms.length ? terms.join("") : "0*z";
};

/** Horner form a0 + z*(a1 + z*(a2 + ...)). */
const hornerText = (p: Fraction[]): string => {
  if (!p.length) return "0*z";
  let s = rationalText(p[p.length - 1]!);
  for (let i = p.length - 2; i >= 0; i--) s = `${rationalText(p[i]!)} + z*(${s})`;
  return s;
};

/** A polynomial of degree <= maxDegree in monomial form, written expanded or in Horner form. */
export const monomialPolynomial = (maxDegree = 6): fc.Arbitrary<PolynomialLink> =>
  fc.tuple(fc.array(rational(), { minLength: 2, maxLength: maxDegree + 1 }), fc.integer({ min: 0, max: 3 }))
    .map(([cs, style]) => {
      const coefficients = trim(cs.map((c) => c.value));
      return { text: style === 3 ? hornerText(coefficients) : expandedText(coefficients, style), coefficients };
    })
    .filter((p) => p.coefficients.length >= 2); // depends on z

/** A polynomial written in the Hermite basis, sum_k a_k He(k, z). */
export const hermitePolynomial = (maxDegree = 8): fc.Arbitrary<PolynomialLink> =>
  fc.array(fc.tuple(fc.integer({ min: 1, max: maxDegree }), nonZeroRational()), { minLength: 1, maxLength: 3 })
    .map((terms) => {
      let coefficients: Fraction[] = [];
      for (const [k, a] of terms) coefficients = polyAdd(coefficients, hermiteExplicit(k).map((c) => c.mul(a.value)));
      return { text: terms.map(([k, a]) => `${a.text}*He(${k}, z)`).join(" + "), coefficients };
    })
    .filter((p) => p.coefficients.length >= 2);

/** A product of two or three factors, some of them powers: (p)*(q)^2 ... */
export const productPolynomial = (maxDegree = 10): fc.Arbitrary<PolynomialLink> =>
  fc.array(fc.tuple(monomialPolynomial(3), fc.integer({ min: 1, max: 3 })), { minLength: 2, maxLength: 3 })
    .map((factors) => {
      let coefficients: Fraction[] = [new Fraction(1)];
      for (const [p, e] of factors) for (let i = 0; i < e; i++) coefficients = polyMul(coefficients, p.coefficients);
      return { text: factors.map(([p, e]) => (e === 1 ? `(${p.text})` : `(${p.text})^${e}`)).join("*"), coefficients };
    })
    .filter((p) => p.coefficients.length >= 2 && p.coefficients.length - 1 <= maxDegree);

/** Any random polynomial link in z, with its exact monomial coefficients. */
export const polynomialLink = (maxDegree = 8): fc.Arbitrary<PolynomialLink> =>
  fc.oneof(monomialPolynomial(Math.min(6, maxDegree)), hermitePolynomial(maxDegree), productPolynomial(maxDegree));

// ---------------------------------------------------------------- piecewise links in z

/** A piecewise-polynomial link with rational kinks, its text and where its kinks are (by construction). */
export interface PiecewiseLink { readonly text: string; readonly kinks: number[] }

/** kink(z - t) for a kink function and a rational shift t (|t| <= 3). */
const kinkAtom: fc.Arbitrary<PiecewiseLink> = fc
  .tuple(fc.constantFrom("relu", "abs", "sign", "step", "max", "min"), fc.integer({ min: -12, max: 12 }), fc.constantFrom(1, 2, 4))
  .map(([fn, n, d]) => {
    const t = new Fraction(n, d);
    const shift = t.equals(0) ? "z" : t.s > 0 ? `z - ${rationalText(t)}` : `z + ${rationalText(t.neg())}`;
    const text = fn === "max" || fn === "min" ? `${fn}(z, ${rationalText(t)})` : `${fn}(${shift})`;
    return { text, kinks: [t.valueOf()] };
  });

/** Sums and products of kink atoms and small polynomials (e.g. "(z^2 - 1)*relu(z - 1/2) + 3*sign(z + 2)"). */
export const piecewiseLink: fc.Arbitrary<PiecewiseLink> = fc
  .array(fc.tuple(kinkAtom, fc.option(monomialPolynomial(2), { nil: undefined }), nonZeroRational(5)), { minLength: 1, maxLength: 3 })
  .map((terms) => ({
    text: terms.map(([atom, p, a]) => `${a.text}*${p ? `(${p.text})*` : ""}${atom.text}`).join(" + "),
    kinks: [...new Set(terms.flatMap(([atom]) => atom.kinks))].sort((x, y) => x - y),
  }));

// ---------------------------------------------------------------- smooth links

/** A smooth (C^infinity) link of moderate growth, e.g. "(1/2 - z)*tanh(3/2*z + 1)". */
export const smoothLink: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("tanh", "sin", "cos", "exp", "erf", "sigmoid"),
    fc.integer({ min: -6, max: 6 }).filter((n) => n !== 0), fc.constantFrom(2, 4),
    fc.integer({ min: -4, max: 4 }), fc.option(monomialPolynomial(2), { nil: undefined }),
  )
  .map(([fn, an, ad, b, p]) => {
    const a = `(${an}/${ad})`;
    const arg = fn === "erf" ? `${a}*z` : b === 0 ? `${a}*z` : `${a}*z + (${b}/4)`;
    const core = `${fn}(${arg})`;
    return p ? `(${p.text})*${core}` : core;
  });

// ---------------------------------------------------------------- even links

/** Links that are even in z by construction: g(z^2), g(|z|), cos(a z), h(z) + h(-z), h(z) h(-z). */
export const evenLink: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(smoothLink, piecewiseLink.map((p) => p.text), polynomialLink(4).map((p) => p.text)), fc.integer({ min: 0, max: 3 }))
  .map(([h, how]) => {
    const at = (arg: string) => h.replace(/\bz\b/g, `(${arg})`);
    switch (how) {
      case 0: return at(h.includes("exp(") ? "abs(z)" : "z^2"); // exp(a z^2) need not be square-integrable
      case 1: return at("abs(z)");
      case 2: return `${h} + ${at("-z")}`;
      default: return `(${h})*(${at("-z")})`;
    }
  });

/** f(-z) as text: every z replaced by (-z). */
export const reflect = (text: string): string => text.replace(/\bz\b/g, "(-z)");

// ---------------------------------------------------------------- multi-index polynomials

/** A polynomial in z1..zr: text and exact terms (coefficient and exponent tuple). */
export interface MultiPolynomialLink { readonly text: string; readonly r: number; readonly terms: { coef: Fraction; exps: number[] }[] }

export const multiPolynomialLink = (r = 3, maxDegree = 5): fc.Arbitrary<MultiPolynomialLink> =>
  fc.array(fc.tuple(nonZeroRational(), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: r, maxLength: r })), { minLength: 1, maxLength: 4 })
    .map((raw) => raw.filter(([, e]) => e.reduce((a, b) => a + b, 0) <= maxDegree))
    .filter((raw) => raw.length > 0 && raw.some(([, e]) => e.some((x) => x > 0)) && raw.some(([, e]) => e[r - 1]! > 0))
    .map((raw) => ({
      r,
      terms: raw.map(([c, exps]) => ({ coef: c.value, exps })),
      text: raw.map(([c, exps]) => [c.text, ...exps.flatMap((e, i) => (e === 0 ? [] : [e === 1 ? `z${i + 1}` : `z${i + 1}^${e}`]))].join("*")).join(" + "),
    }));

// ---------------------------------------------------------------- random expressions (for the parser fuzzer)

const UNARY = ["relu", "sign", "abs", "step", "tanh", "sigmoid", "erf", "exp", "log", "sin", "cos", "sqrt"];

/** Random syntactically valid link-language text (not necessarily a usable link: log(z) parses but is refused). */
export const linkExpression = (variables: readonly string[] = ["z"]): fc.Arbitrary<string> =>
  fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...variables),
      fc.oneof(fc.integer({ min: 0, max: 20 }).map(String), fc.constantFrom("0.5", "1e-3", "2.5e2", "pi", "e", "3/4")),
      fc.tuple(fc.constantFrom(...UNARY), tie("e")).map(([f, x]) => `${f}(${x})`),
      fc.tuple(fc.constantFrom("max", "min"), tie("e"), tie("e")).map(([f, x, y]) => `${f}(${x}, ${y})`),
      fc.tuple(fc.integer({ min: 0, max: 8 }), tie("e")).map(([k, x]) => `He(${k}, ${x})`),
      fc.tuple(tie("e"), fc.constantFrom(" + ", " - ", "*", " * ", "/"), tie("e")).map(([x, o, y]) => `${x}${o}${y}`),
      fc.tuple(tie("e"), fc.integer({ min: 0, max: 4 })).map(([x, k]) => `(${x})^${k}`),
      tie("e").map((x) => `(${x})`),
      tie("e").map((x) => `-${x}`),
    ),
  })).e;

/** Fragments an attacker or a careless user might type: JS/mathjs features outside the language. */
export const HOSTILE_FRAGMENTS = [
  "import({})", "evaluate(\"1\")", "parse(\"z\")", "compile(\"z\")", "createUnit(\"a\")", "simplify(z)", "derivative(z, z)",
  "a.constructor", "z.constructor", "constructor", "__proto__", "prototype", "toString()", ".toString()", "valueOf",
  "f(x)=x", "x=1", "z=1", "[1,2]", "{a:1}", "\"abc\"", "'abc'", "x ? 1 : 2", "z == 1", "z < 1", "1:3", ";", "!", "%",
  "mod", "to", "cm", "inch", "&", "|", "~", "`", "$", "\\", "@", "#", "=>", "...",
  "globalThis", "process", "require(\"fs\")", "Function(\"return 1\")", "eval(\"1\")", "this",
  "constructor.constructor(\"globalThis.__indexLabCanary = true\")()",
  "import({__indexLabCanary: true}, {override: true})",
  "Infinity", "NaN", "1e400", "0x10", "1e-400", "true", "null", "undefined", "i",
];

export type Mutation = (s: string) => string;

/** One random edit of a text: delete, insert (a character or a hostile fragment), duplicate, swap, truncate. */
const mutation: fc.Arbitrary<{ kind: number; at: number; len: number; fragment: string; char: string }> = fc.record({
  kind: fc.integer({ min: 0, max: 6 }),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 6 }),
  fragment: fc.constantFrom(...HOSTILE_FRAGMENTS),
  char: fc.constantFrom(..."()[]{}+-*/^,.;:=!?<>&|'\"` z12e.0_$#@~\\%".split("")),
});

function applyMutation(s: string, m: { kind: number; at: number; len: number; fragment: string; char: string }): string {
  const i = s.length ? m.at % (s.length + 1) : 0;
  switch (m.kind) {
    case 0: return s.slice(0, i) + s.slice(i + m.len);
    case 1: return s.slice(0, i) + m.char + s.slice(i);
    case 2: return s.slice(0, i) + m.fragment + s.slice(i);
    case 3: return s.slice(0, i) + s.slice(i, i + m.len) + s.slice(i);
    case 4: return i + 1 < s.length ? s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2) : s;
    case 5: return s.slice(0, i);
    default: return s.slice(0, i) + m.char + s.slice(i + 1);
  }
}

/** A valid expression with one to three random mutations. */
export const mutatedExpression: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(linkExpression(["z"]), linkExpression(["z1", "z2", "z3"])), fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([s, ms]) => ms.reduce(applyMutation, s));

/** Random strings over the characters that matter to the parser, plus fully random (unicode) strings. */
export const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."z12345678 ()[]{}+-*/^,.;:=!?<>&|'\"`_$e0.9xHrelusigntahbcpq".split("")), maxLength: 40 }),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);
