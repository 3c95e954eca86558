/**
 * The compiled straight-line kernels of the reduced chain (src/simulations/reducedKernel.ts) reproduce the generic
 * closure loop bit for bit: same escape step, same final overlap to the last bit, same trace, for every variant,
 * loss, noise model and overlap convention, and for the perturbed chains of the KS rejection tests.
 */
import { describe, expect, it } from "vitest";
import { buildProblem, type RunConfig } from "../../src/simulations/config.js";
import { reducedChain, reducedChainReference, reducedChains } from "../../src/simulations/reduced.js";
import fc from "fast-check";
import { Xoshiro128 } from "../../src/numeric/xoshiro.js";
import { hermiteHe } from "../../src/link/runtime.js";
import { hermiteStraightLine } from "../../src/link/compile.js";
import { config } from "./helpers.js";

const cases: [string, Partial<RunConfig>][] = [
  ["He3 online, uniform init, escape", { link: "He(3,z)", student: "He(3,z)", d: 64, eta: "0.05*d^-1.5", threshold: 0.5, runToMax: false, maxSteps: 200_000 }],
  ["tanh square loss, trained a, trace", { loss: "square", etaSecondLayer: "0.01", tracePoints: 20, maxSteps: 3000 }],
  ["reuse, square loss", { variant: "reuse", loss: "square", etaInner: "0.05", innerSteps: 2, maxSteps: 2000 }],
  ["reuse, correlation, trained a", { variant: "reuse", etaInner: "0.05", innerSteps: 1, etaSecondLayer: "0.01", maxSteps: 2000 }],
  ["alternating, square, trained a", { variant: "alternating", loss: "square", etaInner: "0.02", etaSecondLayer: "0.01", maxSteps: 2000 }],
  ["relu link, tanh student, Gaussian noise, abs", { link: "relu(z)", student: "tanh(z)", noise: "gaussian:0.5", overlap: "abs", eta: "3/d", d: 256, maxSteps: 5000 }],
  ["sign link with flips, runToMax, trace", { link: "sign(z)", student: "tanh(z+1/2)", noise: "flip:0.2", threshold: 0.3, tracePoints: 10, maxSteps: 5000 }],
  ["He4 + He2 mixture, abs, m0 given", { link: "He(4,z)+0.5*He(2,z)", student: "He(4,z)", overlap: "abs", m0: 0.1, eta: "1e-3", d: 128, maxSteps: 5000 }],
  ["divergence", { link: "z^5", student: "z^5", eta: "50", d: 8, maxSteps: 2000 }],
];

describe("compiled reduced-chain kernels = the generic loop, bit for bit", () => {
  for (const [name, over] of cases) {
    it(name, () => {
      const p = buildProblem(config(over));
      for (let r = 0; r < 4; r++) {
        const key = { masterSeed: 7, configuration: name, replicate: r };
        for (const perturbation of [{ extraDegrees: 0, dropXiSquared: false }, { extraDegrees: 1, dropXiSquared: true }]) {
          const fast = reducedChain(p, Xoshiro128.forKey(key), perturbation);
          const ref = reducedChainReference(p, Xoshiro128.forKey(key), perturbation);
          expect(fast).toStrictEqual(ref);
          expect(Object.is(fast.finalSignedOverlap, ref.finalSignedOverlap)).toBe(true);
        }
      }
    });
  }

  it("the straight-line He_k is the recurrence's value to the bit", () => {
    for (let k = 0; k <= 12; k++) {
      const he = new Function("x", hermiteStraightLine(k)) as (x: number) => number;
      for (const x of [-7.3, -1, -0.123456789, 0, 1e-8, 0.5, 2.25, 9.75]) expect(Object.is(he(x), hermiteHe(k, x))).toBe(true);
    }
  });

  it("runs in lockstep (widths 4, 2, 1, slots refilled) are bitwise the lone runs of their streams", () => {
    // escapes at very different steps, so lanes stop and are replaced at different times; traces; divergence
    for (const [name, over] of [cases[0]!, cases[1]!, cases[5]!, cases[6]!, cases[8]!]) {
      const p = buildProblem(config(over));
      for (const n of [1, 3, 7]) {
        const keys = Array.from({ length: n }, (_, r) => ({ masterSeed: 11, configuration: name, replicate: r }));
        const together = reducedChains(p, keys.map((k) => Xoshiro128.forKey(k)), { extraDegrees: 0, dropXiSquared: false });
        const alone = keys.map((k) => reducedChainReference(p, Xoshiro128.forKey(k), { extraDegrees: 0, dropXiSquared: false }));
        expect(together).toStrictEqual(alone);
        together.forEach((o, i) => expect(Object.is(o.finalSignedOverlap, alone[i]!.finalSignedOverlap)).toBe(true));
      }
    }
  });
});

describe("the chi-square sampler's squeeze (xoshiro.ts ChiSquareSampler.q)", () => {
  it("accepts only candidates that the exact Marsaglia-Tsang test accepts", () => {
    // (1 - u) min(1, 1 + t) > x^4 c^2 / 12  =>  log u < x^2/2 + dd (log v - v + 1), v = (1 + t)^3, t = c x, c = 1/sqrt(9 dd)
    fc.assert(fc.property(
      fc.double({ min: 2 / 3, max: 1e9, noNaN: true }), fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }),
      (dd, x, u) => {
        const c = 1 / Math.sqrt(9 * dd), t = c * x;
        if (t <= -1) return;
        const q = (c * c) / 12, e = t * (3 + t * (3 + t));
        const squeeze = (1 - u) * (1 + Math.min(t, 0)) > q * x ** 4;
        const bound = 0.5 * x * x + dd * (Math.log1p(e) - e);
        // the exact test in 40-digit-free form: a margin of a few ulps of the bound's terms for rounding
        if (squeeze) expect(Math.log(u)).toBeLessThan(bound + 1e-12 * (1 + 0.5 * x * x));
      },
    ), { numRuns: 20000 });
  });
});
