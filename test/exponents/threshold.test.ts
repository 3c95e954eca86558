/**
 * The weak-recovery threshold alpha_c, 1/alpha_c = E[E[He_2(Z)|Y]^2] (src/exponents/threshold.ts).
 * Reference values were computed with scipy.integrate.quad (nested adaptive quadrature over y and z, tolerances
 * 1e-12..1e-14; script: test/exponents/threshold-reference.py), independent of index-lab's branch analysis.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { parseNoise } from "../../src/exponents/noise.js";
import { weakRecoveryThreshold } from "../../src/exponents/threshold.js";
import { predictLink } from "../../src/predictions/predictLink.js";
import { analyzeLink } from "../../src/analyze.js";

const alphaC = (link: string, noise?: string) => weakRecoveryThreshold(parseLink(link), { noise: parseNoise(noise) });

describe("weak-recovery threshold alpha_c", () => {
  it("is exactly 1/2 for real phase retrieval y = z^2 and every link that determines z^2 (|z|, z^4, exp(-z^2))", () => {
    for (const l of ["z^2", "abs(z)", "z^4", "exp(-z^2)"]) {
      const t = alphaC(l);
      expect(t.exact, l).toBe("1/2");
      expect(t.alphaC, l).toBe(0.5);
      expect(t.regime, l).toBe("easy");
      // the numerical route agrees: E[E[He_2|Y]^2] = E[(Z^2 - 1)^2] = 2, not 1 (h_2 vs He_2) nor 4
      expect(t.secondMoment, l).toBeCloseTo(2, 8);
    }
  });

  it("is exactly 1/2 for strictly monotone functions of z^2 that the branch scan sees flat in floating point", () => {
    // tanh(z^2) = 1 in double precision beyond |z| ~ 4.3: the proof is structural (link/analysis.ts monotoneInSquare)
    for (const l of ["tanh(z^2)", "erf(z^2/2)", "1/(1 + z^2)", "sqrt(1 + z^2)", "z^2 + z^4", "abs(z)^3", "log(1 + z^2)"]) {
      const t = alphaC(l);
      expect([t.exact, t.alphaC, t.regime, t.basis], l).toEqual(["1/2", 0.5, "easy", "exact"]);
      // the quadrature agrees within its own error bound: E[E[He_2|Y]^2] = 2
      expect(Math.abs(t.secondMoment - 2), l).toBeLessThanOrEqual(Math.max(t.secondMomentError, 1e-10));
    }
    const p = predictLink("tanh(z^2)", { maxDegree: 4 }).predictions.find((q) => q.claimId === "phase-retrieval-thresholds");
    expect(p?.applies).toBe(true);
  });

  it("matches independent scipy quadrature for a GE = 2 link that does not determine z^2, and for noisy links", () => {
    const cases: [string, string | undefined, number, number][] = [
      ["He(4,z)", undefined, 0.6448504699032985, 1e-9],
      ["z^2", "gaussian:0.5", 0.5416441796947714, 1e-7],
      ["z^2", "gaussian:1", 0.6465905987251319, 1e-7],
      ["sign(z^2-1)", undefined, 0.9249580392589037, 1e-12], // atoms: (2 phi(1))^2 (1/P(|Z|>1) + 1/P(|Z|<1)) closed form
      ["sign(z^2-1)", "flip:0.1", 1.5254081017906387, 1e-12],
    ];
    const computed: number[] = [];
    for (const [l, n, ref, tol] of cases) {
      const t = alphaC(l, n);
      computed.push(t.alphaC);
      expect(Math.abs(t.alphaC - ref) / ref, `${l} ${n ?? ""}`).toBeLessThan(tol);
      expect(t.interval[0] <= ref * (1 + tol) && ref * (1 - tol) <= t.interval[1], `${l} interval`).toBe(true);
      expect(t.regime).toBe("easy");
    }
    // noise can only lose information (data processing): alpha_c(z^2) = 1/2 < alpha_c(sigma = 0.5) < alpha_c(sigma = 1)
    expect(0.5 < computed[1]! && computed[1]! < computed[2]!).toBe(true);
  });

  it("is 0 for a trivial direction (GE = 1) and infinite for a hard one (lambda_1 = lambda_2 = 0)", () => {
    for (const l of ["z", "relu(z)", "He(3,z)", "tanh(z) + z^2"]) {
      const t = alphaC(l);
      expect(t.alphaC, l).toBe(0);
      expect(t.regime, l).toBe("trivial");
    }
    // y = t e^{-t}, t = z^2: both preimages t1, t2 of a level y carry weight t^{-1/2} e^{t/2} = y^{-1/2}, so
    // E[Z^2 - 1 | Y] = 0 exactly (derived here) and the link is hard (GE = 4)
    const hard = alphaC("z^2*exp(-z^2)");
    expect(hard.alphaC).toBe(Infinity);
    expect(hard.regime).toBe("hard");
    expect(hard.interval[0]).toBeGreaterThan(1e6);
    const independent = alphaC("sign(z^2-1)", "flip:0.5");
    expect(independent.exact).toBe("inf");
  });

  it("is at least 1/2 for every link (Jensen: E[E[He_2|Y]^2] <= E[He_2^2] = 2)", () => {
    fc.assert(fc.property(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (a, b) => {
      const t = alphaC(`He(4,z) + ${a.toFixed(6)}*z^2 + ${b.toFixed(6)}*z^6/10`);
      return t.alphaC >= 0.5 * (1 - 1e-9) || t.regime === "trivial";
    }), { numRuns: 8, seed: 15 });
  });

  it("is invariant under injective relabelling y -> T(y) (the conditional law of Z given Y is unchanged)", () => {
    const base = alphaC("He(4,z)").alphaC;
    for (const l of ["He(4,z)^3", "(He(4,z) + 7)^(1/3)"]) expect(Math.abs(alphaC(l).alphaC - base) / base, l).toBeLessThan(1e-8);
  });

  it("is carried by analyze (JSON) and printed by predict as a weak-recovery threshold with citations", () => {
    const a = analyzeLink("z^2", { maxDegree: 4 });
    expect(a.weakRecoveryThreshold?.exact).toBe("1/2");
    const p = predictLink("z^2", { maxDegree: 4 }).predictions.filter((q) => q.quantity === "weak-recovery threshold" && q.applies);
    expect(p.map((q) => q.claimId)).toContain("mm-spectral-weak-recovery");
    for (const q of p) {
      expect(q.structure?.summary).toMatch(/^alpha_c = 1\/2:/);
      expect(q.citation).toMatch(/arXiv \d{4}\.\d{5}/);
    }
  });
});
