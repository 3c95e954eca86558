/**
 * Structural analysis of link expressions: the symbolic derivative against finite differences, symbolic parity
 * against evaluation (a proved parity must hold everywhere), kink detection, and parity certificates.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { derivative, symbolicParity } from "../../src/link/analysis.js";
import { compileUnivariate } from "../../src/link/compile.js";
import { parityOf } from "../../src/link/parity.js";
import { evenLink, linkExpression, piecewiseLink, polynomialLink, reflect, smoothLink } from "../arbitraries.js";
import { InputError } from "../../src/link/errors.js";

const tryLink = (text: string) => { try { return parseLink(text); } catch (e) { if (e instanceof InputError) return null; throw e; } };

describe("derivative", () => {
  it("matches a central difference at points away from kinks, for smooth, piecewise and polynomial links", () => {
    fc.assert(fc.property(fc.oneof(smoothLink, piecewiseLink.map((p) => p.text), polynomialLink(6).map((p) => p.text)), fc.integer({ min: -300, max: 300 }), (text, n) => {
      const link = parseLink(text);
      const z = n / 100 + 0.00371;
      if (link.breakpoints.some((b) => Math.abs(b - z) < 1e-3)) return;
      const d = compileUnivariate(derivative(link.expr));
      const h = 1e-5;
      const fd = (link.f(z + h) - link.f(z - h)) / (2 * h);
      expect(Math.abs(d(z) - fd), `${text} at ${z}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(fd) + Math.abs(link.f(z))));
    }), { seed: 51, numRuns: 120 });
  });

  it("He_k' = k He_{k-1} and the chain rule through He, tanh, erf, sigmoid", () => {
    const cases: [string, (z: number) => number][] = [
      ["He(5, z)", (z) => 5 * (z ** 4 - 6 * z * z + 3)],
      ["tanh(2*z)", (z) => 2 * (1 - Math.tanh(2 * z) ** 2)],
      ["erf(z/2)", (z) => Math.exp(-(z * z) / 4) / Math.sqrt(Math.PI)],
      ["sigmoid(z)", (z) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); }],
      ["He(2, sin(z))", (z) => 2 * Math.sin(z) * Math.cos(z)],
      ["max(z, 1)", (z) => (z > 1 ? 1 : 0)],
    ];
    for (const [text, d] of cases) {
      const f = compileUnivariate(derivative(parseLink(text).expr));
      for (const z of [-1.3, 0.4, 2.1]) expect(f(z), `${text} at ${z}`).toBeCloseTo(d(z), 12);
    }
  });
});

describe("parity", () => {
  it("a symbolically proved parity holds at every point (random valid expressions)", () => {
    fc.assert(fc.property(linkExpression(), fc.array(fc.integer({ min: -500, max: 500 }), { minLength: 4, maxLength: 4 }), (text, ns) => {
      const link = tryLink(text);
      if (!link) return;
      const p = symbolicParity(link.expr);
      if (p === "none") return;
      for (const n of ns) {
        const z = n / 100 + 0.000731;
        const a = link.f(z), b = link.f(-z);
        if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
        const target = p === "even" ? a : -a;
        expect(Math.abs(b - target), `${text} (${p}) at ${z}`).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(a)));
      }
    }), { seed: 52, numRuns: 500 });
  });

  it("even links are certified even (symbolically or numerically); f(z) - f(-z) certified odd", () => {
    // an identically zero link (-He(1, z) - He(1, -z)) is both even and odd, so "odd" is then also right
    const vanishes = (f: (z: number) => number) => [-2.3, -0.7, 0.4, 1.9].every((z) => f(z) === 0);
    fc.assert(fc.property(evenLink, (text) => {
      const link = parseLink(text);
      const p = parityOf(link).parity;
      if (p !== "even") expect(vanishes(link.f) && p === "odd", `${text}: ${p}`).toBe(true);
    }), { seed: 53, numRuns: 60 });
    fc.assert(fc.property(fc.oneof(smoothLink, piecewiseLink.map((p) => p.text)), (h) => {
      const link = parseLink(`${h} - (${reflect(h)})`);
      const p = parityOf(link).parity;
      if (p !== "odd") expect(vanishes(link.f) && p === "even", `${h}: ${p}`).toBe(true);
    }), { seed: 54, numRuns: 40 });
  });

  it("links with no parity are not certified: relu, exp, z^2 + z, sign(z - 1/2)", () => {
    for (const text of ["relu(z)", "exp(z)", "z^2 + z", "sign(z - 1/2)", "tanh(z + 1)"]) expect(parityOf(parseLink(text)).parity, text).toBe("none");
  });

  it("coordinate parities of multi-index links: z1^2 * z2 is even in z1 and odd in z2", () => {
    const link = parseLink("z1^2*z2 + abs(z1)*sin(z2)");
    expect(parityOf(link, new Set([0])).parity).toBe("even");
    expect(parityOf(link, new Set([1])).parity).toBe("odd");
    expect(parityOf(link).parity).toBe("odd");
  });
});

describe("kinks", () => {
  it("breakpoints are exactly the kinks placed by construction (random piecewise links)", () => {
    fc.assert(fc.property(piecewiseLink, ({ text, kinks }) => {
      const bp = parseLink(text).breakpoints;
      // every constructed kink is found (a kink can cancel, e.g. a*sign(z) + (-a)*sign(z), so bp may be a superset check only)
      for (const k of kinks) expect(bp.some((b) => Math.abs(b - k) < 1e-12), `${text}: kink at ${k} in [${bp}]`).toBe(true);
      for (const b of bp) expect(kinks.some((k) => Math.abs(b - k) < 1e-12), `${text}: spurious ${b}`).toBe(true);
    }), { seed: 55, numRuns: 60 });
  });

  it("roots of non-linear arguments: sign(z^3 - 3z) at 0, +-sqrt 3; relu(sin(z)) at k pi inside the scan window", () => {
    expect(parseLink("sign(z^3 - 3*z)").breakpoints.map((b) => Number(b.toFixed(12)))).toEqual([-1.732050807569, 0, 1.732050807569]);
    const bp = parseLink("relu(sin(z))").breakpoints;
    expect(bp.length).toBe(25); // k pi for |k pi| < 40: k = -12..12
    bp.forEach((b, i) => expect(Math.abs(b - (i - 12) * Math.PI)).toBeLessThan(1e-12));
    expect(parseLink("tanh(z) + z^2").breakpoints).toEqual([]);
  });
});
