/**
 * The compiled straight-line kernels of the reduced chain (src/simulations/reducedKernel.ts) reproduce the generic
 * closure loop bit for bit: same escape step, same final overlap to the last bit, same trace, for every variant,
 * loss, noise model and overlap convention, and for the perturbed chains of the KS rejection tests.
 */
import { describe, expect, it } from "vitest";
import { buildProblem, type RunConfig } from "../../src/simulations/config.js";
import { reducedChain, reducedChainReference } from "../../src/simulations/reduced.js";
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
});
