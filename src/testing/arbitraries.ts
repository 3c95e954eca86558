/**
 * fast-check arbitraries for link functions with controllable exponents, for users' own property tests.
 * Generators only; properties live in properties.ts (as fast-check separates arbitraries from runners).
 *
 * Every generated link comes with what is known about it by construction, so a property can compare a computed
 * exponent with the constructed one.
 */
import fc from "fast-check";

/** A generated link and the exponents it has by construction. */
export interface GeneratedLink {
  readonly text: string;
  readonly kind: "single" | "multi";
  /** Information exponent by construction (null when not controlled). */
  readonly informationExponent: number | null;
  /** Leap exponent in the given basis by construction (multi-index), else null. */
  readonly leapExponent: number | null;
  readonly parity: "even" | "odd" | "none";
}

/** Small non-zero rationals as link-language text, e.g. "3/4", "-2". */
export const coefficientText = (maxNumerator = 9): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: -maxNumerator, max: maxNumerator }).filter((n) => n !== 0), fc.integer({ min: 1, max: 6 }))
    .map(([n, d]) => (d === 1 ? `${n}` : `${n}/${d}`));

/**
 * Polynomial links sum_{j = IE}^{maxDegree} a_j He_j(z) with a_IE != 0: information exponent IE exactly.
 * `parity: "even" | "odd"` keeps only degrees of that parity (then IE must have it too).
 */
export function polynomialLinkArbitrary(options: { informationExponent?: number; maxDegree?: number; parity?: "even" | "odd" } = {}): fc.Arbitrary<GeneratedLink> {
  const maxDegree = options.maxDegree ?? 8;
  const ieArb = options.informationExponent !== undefined ? fc.constant(options.informationExponent)
    : fc.integer({ min: 1, max: maxDegree }).filter((k) => !options.parity || (k % 2 === 0) === (options.parity === "even"));
  return ieArb.chain((ie) => {
    if (ie < 1 || ie > maxDegree) throw new Error(`informationExponent must be in [1, ${maxDegree}]`);
    const degrees = Array.from({ length: maxDegree - ie }, (_, i) => ie + 1 + i).filter((j) => !options.parity || (j % 2 === 0) === (options.parity === "even"));
    return fc.tuple(coefficientText(), fc.subarray(degrees), fc.array(coefficientText(), { minLength: degrees.length, maxLength: degrees.length }))
      .map(([lead, extra, coefs]) => {
        const terms = [`${lead}*He(${ie}, z)`, ...extra.map((j, i) => `${coefs[i]}*He(${j}, z)`)];
        const degs = [ie, ...extra];
        const parity = degs.every((j) => j % 2 === 0) ? "even" : degs.every((j) => j % 2 === 1) ? "odd" : "none";
        return { text: terms.join(" + "), kind: "single" as const, informationExponent: ie, leapExponent: null, parity };
      });
  });
}

/** Piecewise links with kinks and jumps (relu, abs, sign, step, max of shifted arguments, times polynomials). */
export const piecewiseLinkArbitrary: fc.Arbitrary<GeneratedLink> = fc
  .tuple(fc.constantFrom("relu", "abs", "sign", "step"), fc.integer({ min: -4, max: 4 }), fc.constantFrom("1", "z", "z^2", "He(3, z)"), coefficientText())
  .map(([fn, shift, poly, c]) => ({
    text: `${c}*${fn}(z${shift === 0 ? "" : shift > 0 ? ` - ${shift}/4` : ` + ${-shift}/4`})*${poly}`,
    kind: "single" as const, informationExponent: null, leapExponent: null, parity: "none" as const,
  }));

/** Smooth non-polynomial links: tanh, sigmoid, erf, sin of affine arguments, with polynomial factors. */
export const smoothLinkArbitrary: fc.Arbitrary<GeneratedLink> = fc
  .tuple(fc.constantFrom("tanh", "sigmoid", "erf", "sin", "cos"), coefficientText(4), coefficientText(4), fc.constantFrom("1", "z", "He(2, z)"))
  .map(([fn, a, b, poly]) => ({ text: `${fn}((${a})*z + (${b}))*${poly}`, kind: "single" as const, informationExponent: null, leapExponent: null, parity: "none" as const }));

/**
 * Multi-index staircase links in z1..zr: a_0 He_L(z_{s1}) + sum_i a_i z_{s_i} He_L(z_{s_{i+1}}) over a random order s
 * of the coordinates. Each term is a single Hermite monomial, so the support is known exactly: learning z_{s1} needs
 * degree L, and each later coordinate degree L once its predecessor is learned (L + 1 before), so the leap is L
 * and so is the information exponent. L = 1 gives a merged staircase (Abbe et al. 2022).
 */
export function staircaseLinkArbitrary(options: { r?: number; leap?: number } = {}): fc.Arbitrary<GeneratedLink> {
  const rArb = options.r !== undefined ? fc.constant(options.r) : fc.integer({ min: 2, max: 4 });
  return rArb.chain((r) => fc.tuple(
    options.leap !== undefined ? fc.constant(options.leap) : fc.integer({ min: 1, max: 4 }),
    fc.shuffledSubarray(Array.from({ length: r }, (_, i) => i + 1), { minLength: r, maxLength: r }),
    fc.array(coefficientText(4), { minLength: r, maxLength: r }),
  ).map(([L, order, coefs]) => {
    const chain = order.slice(1).map((v, i) => `${coefs[i + 1]}*z${order[i]}*He(${L}, z${v})`);
    return {
      text: [`${coefs[0]}*He(${L}, z${order[0]})`, ...chain].join(" + "),
      kind: "multi" as const, informationExponent: L, leapExponent: L, parity: "none" as const,
    };
  }));
}

/** Any of the single-index families. */
export const linkArbitrary: fc.Arbitrary<GeneratedLink> = fc.oneof(polynomialLinkArbitrary(), piecewiseLinkArbitrary, smoothLinkArbitrary);

/** Dimensions d = 2^j for j in [minLog2, maxLog2] (the grids sweeps use). */
export const dimensionArbitrary = (options: { minLog2?: number; maxLog2?: number } = {}): fc.Arbitrary<number> =>
  fc.integer({ min: options.minLog2 ?? 3, max: options.maxLog2 ?? 14 }).map((j) => 2 ** j);
