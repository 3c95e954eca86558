/**
 * The information exponent IE = min{k >= 1 : c_k != 0} (theory notes §2.1), with every zero justified (exact,
 * parity, or numerical bound), "IE > K" when nothing is found, and the multi-index version (lowest total degree).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { hermiteSpectrum } from "../../src/hermite/spectrum.js";
import { informationExponent } from "../../src/exponents/information.js";
import { judgeCoefficient, NONZERO_MARGIN } from "../../src/exponents/certificates.js";
import { InputError } from "../../src/link/errors.js";
import { evenLink, polynomialLink, piecewiseLink, smoothLink } from "../arbitraries.js";
import { polynomialHermiteIntegrals } from "../hermite/reference.js";

const ie = (text: string, K = 12) => {
  const link = parseLink(text);
  return informationExponent(link, hermiteSpectrum(link, K));
};

describe("information exponent, single-index", () => {
  it("IE(He_k) = k for k = 1..20, every lower degree an exact zero", () => {
    for (let k = 1; k <= 20; k++) {
      const r = ie(`He(${k}, z)`, Math.max(12, k));
      expect(r.value).toBe(k);
      expect(r.evidence.length).toBe(k);
      for (const e of r.evidence.slice(0, -1)) { expect(e.nonzero).toBe(false); expect(["exact", "parity"]).toContain(e.basis); }
      expect(r.evidence[k - 1]!.nonzero).toBe(true);
    }
  });

  it("the trap: IE(z^3) = 1 (z^3 = He_3 + 3 He_1), while IE(z^3 - 3z) = 3", () => {
    expect(ie("z^3").value).toBe(1);
    expect(ie("z^3 - 3*z").value).toBe(3);
    expect(ie("z^3 - 3*z").note).toMatch(/IE = 3/);
  });

  it("table §2.5: z -> 1, z^2 -> 2, He_4 -> 4, relu -> 1, |z| -> 2, sign -> 1, tanh -> 1", () => {
    for (const [text, k] of [["z", 1], ["z^2", 2], ["He(4, z)", 4], ["relu(z)", 1], ["abs(z)", 2], ["sign(z)", 1], ["tanh(z)", 1]] as const) {
      expect(ie(text).value, text).toBe(k);
    }
  });

  it("random polynomials: IE is the first k >= 1 with a non-zero reference coefficient", () => {
    fc.assert(fc.property(polynomialLink(8), ({ text, coefficients }) => {
      const K = coefficients.length - 1;
      const ref = polynomialHermiteIntegrals(coefficients, K);
      const first = ref.findIndex((v, k) => k >= 1 && !v.equals(0));
      expect(ie(text, K).value).toBe(first === -1 ? null : first);
    }), { seed: 21, numRuns: 80 });
  });

  it("nothing non-zero up to K gives IE > K, not a guess: He(9, z) at K = 8", () => {
    const r = ie("He(9, z)", 8);
    expect(r.value).toBeNull();
    expect(r.note).toMatch(/^IE > 8/);
    expect(r.evidence.every((e) => !e.nonzero)).toBe(true);
  });

  it("a constant link is refused with a clear InputError", () => {
    for (const text of ["3", "pi^2 - 1", "exp(1)"]) {
      expect(() => ie(text)).toThrow(InputError);
      expect(() => ie(text)).toThrow(/constant/);
    }
  });

  it("even links have an even (or undetected) IE, and every odd degree is zero by parity or exactly", () => {
    fc.assert(fc.property(evenLink, (text) => {
      const r = ie(text, 8);
      if (r.value !== null) expect(r.value % 2, `${text}: IE ${r.value}`).toBe(0);
      for (const e of r.evidence) if (e.degree % 2 === 1) expect(e.nonzero, `${text}: c_${e.degree}`).toBe(false);
    }), { seed: 22, numRuns: 60 });
  });

  it("odd links (f(z) - f(-z)) have an odd IE", () => {
    fc.assert(fc.property(fc.oneof(smoothLink, piecewiseLink.map((p) => p.text)), (h) => {
      const text = `${h} - (${h.replace(/\bz\b/g, "(-z)")})`;
      const r = ie(text, 9);
      if (r.value !== null) expect(r.value % 2, `${text}: IE ${r.value}`).toBe(1);
    }), { seed: 23, numRuns: 30 });
  });

  it("zeros by parity say how parity was proved: symbolically (cos(z)) or by a numerical check (tanh(z)^2 + 0*sin(z))", () => {
    const sym = ie("cos(z)");
    expect(sym.value).toBe(2);
    expect(sym.evidence[0]!.basis === "exact" || /proved from the expression/.test(sym.evidence[0]!.reason)).toBe(true);
    const num = ie("tanh(z)^2 + 0*sin(z)");
    expect(num.value).toBe(2);
    expect(num.evidence[0]!.basis).toBe("parity");
    expect(num.evidence[0]!.reason).toMatch(/numerical check/);
  });
});

describe("coefficient verdicts", () => {
  it("exact zero, parity zero, numerical zero and numerical non-zero are told apart, each with its reason", () => {
    expect(judgeCoefficient("c_3", { value: 0, exact: "0", errorBound: 0 }, null)).toMatchObject({ nonzero: false, basis: "exact" });
    expect(judgeCoefficient("c_3", { value: 0.5, exact: "1/2", errorBound: 0 }, null)).toMatchObject({ nonzero: true, basis: "exact" });
    expect(judgeCoefficient("c_3", { value: 1e-17, exact: null, errorBound: 1e-16 }, "the link is even")).toMatchObject({ nonzero: false, basis: "parity" });
    const tiny = judgeCoefficient("c_3", { value: 1e-15, exact: null, errorBound: 1e-15 }, null);
    expect(tiny).toMatchObject({ nonzero: false, basis: "numerical" });
    expect(tiny.reason).toMatch(/numerically zero/);
    expect(judgeCoefficient("c_3", { value: 1.1e-14 * NONZERO_MARGIN, exact: null, errorBound: 1e-14 }, null)).toMatchObject({ nonzero: true, basis: "numerical" });
  });
});

describe("information exponent, multi-index (lowest total degree)", () => {
  it("table §2.5: z1 z2 -> 2, z1 z2 z3 -> 3, sign(z1 z2 z3) -> 3, z1 + z1 z2 -> 1, z1 + He_3(z2) -> 1", () => {
    for (const [text, k, K] of [["z1*z2", 2, 4], ["z1*z2*z3", 3, 4], ["sign(z1*z2*z3)", 3, 4], ["z1 + z1*z2", 1, 3], ["z1 + He(3, z2)", 1, 4], ["He(2, z1)*He(2, z2)", 4, 4]] as const) {
      expect(ie(text, K).value, text).toBe(k);
    }
  });

  it("rotation invariance: IE of p((3/5) z1 + (4/5) z2) equals the single-index IE of p", () => {
    fc.assert(fc.property(polynomialLink(5), ({ text, coefficients }) => {
      const K = coefficients.length - 1;
      const rotated = text.replace(/\bz\b/g, "((3/5)*z1 + (4/5)*z2)");
      expect(ie(rotated, K).value, rotated).toBe(ie(text, K).value);
    }), { seed: 24, numRuns: 30 });
  });

  it("0*z1*z2 (not constant, identically zero) has IE > K", () => {
    const r = ie("0*z1*z2", 3);
    expect(r.value).toBeNull();
    expect(r.note).toMatch(/^IE > 3/);
  });
});
