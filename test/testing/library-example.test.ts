// The README's example of `index-lab/testing` (there it imports from "index-lab/testing").
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { polynomialLinkArbitrary, staircaseLinkArbitrary, dimensionArbitrary, assertLinkProperties } from "../../src/testing/index.js";
import { parseLink } from "../../src/link/link.js";
import { hermiteSpectrum } from "../../src/hermite/spectrum.js";
import { informationExponent } from "../../src/exponents/information.js";
import { leapExponent } from "../../src/exponents/leap.js";

// the exponents alone (analyzeLink would also compute the generative spectrum, which these tests do not need)
const ie = (text: string, K: number) => { const l = parseLink(text); return informationExponent(l, hermiteSpectrum(l, K)).value; };

describe("index-lab/testing", () => {
  it("generated polynomial links have the information exponent they were built with", () => {
    fc.assert(fc.property(polynomialLinkArbitrary({ maxDegree: 6 }), (g) => {
      expect(ie(g.text, 6)).toBe(g.informationExponent);
    }), { numRuns: 25 });
  });

  it("even-parity polynomial links have even exponents", () => {
    fc.assert(fc.property(polynomialLinkArbitrary({ maxDegree: 6, parity: "even" }), (g) => {
      expect(ie(g.text, 6)! % 2).toBe(0);
    }), { numRuns: 15 });
  });

  it("staircase links have the leap they were built with", () => {
    fc.assert(fc.property(staircaseLinkArbitrary({ r: 3 }), (g) => {
      // the chain terms have degree L + 1, so the spectrum must reach it
      const link = parseLink(g.text), K = g.leapExponent! + 1;
      const spectrum = hermiteSpectrum(link, K);
      expect(leapExponent(link, spectrum, K).value).toBe(g.leapExponent);
      expect(informationExponent(link, spectrum).value).toBe(g.informationExponent);
    }), { numRuns: 8 });
  });

  it("dimensions are powers of two in range", () => {
    fc.assert(fc.property(dimensionArbitrary({ minLog2: 5, maxLog2: 10 }), (d) => Number.isInteger(Math.log2(d)) && d >= 32 && d <= 1024));
  });

  it("assertLinkProperties passes a good link and throws with details on a bad property set", () => {
    expect(() => assertLinkProperties("He(3,z) + a*He(2,z)", { params: [{ name: "a", lo: 0, hi: 1 }], runs: 5 })).not.toThrow();
  });
});
