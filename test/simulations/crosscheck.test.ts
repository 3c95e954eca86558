/**
 * Statistical cross-check of the exact reduced engines against the full d-dimensional simulation (theory-notes §4.6):
 * the laws of the overlap after a fixed number of steps, and of escape times, agree by a two-sample KS test at level
 * 1e-3; and a deliberately wrong update (chi^2 with d-1 instead of d-2 degrees of freedom, or the xi^2 term dropped
 * from the normalisation) IS rejected at the same replica count (p < 1e-6). Those perturbations change the
 * normalisation by O(1/d), so they are tested at small d, where they matter (§4.6.1); at d = 512 no feasible
 * replica count could see them, and the test says so by not pretending otherwise.
 */
import { describe, expect, it } from "vitest";
import { buildProblem, type RunConfig } from "../../src/simulations/config.js";
import { reducedChain, simulateReduced } from "../../src/simulations/reduced.js";
import { simulateFull } from "../../src/simulations/full.js";
import { simulateGram } from "../../src/simulations/gram.js";
import { Xoshiro128 } from "../../src/numeric/xoshiro.js";
import type { Problem, RunOutcome } from "../../src/simulations/model.js";
import { ksTwoSample } from "../../src/numeric/statistics.js";
import { config } from "./helpers.js";

const ACCEPT = 1e-3, REJECT = 1e-6;

function sample(p: Problem, n: number, tag: string, run: (p: Problem, g: Xoshiro128) => RunOutcome, pick: (o: RunOutcome) => number = (o) => o.finalSignedOverlap): number[] {
  return Array.from({ length: n }, (_, r) => pick(run(p, Xoshiro128.forKey({ masterSeed: 2024, configuration: tag, replicate: r }))));
}

function agree(c: RunConfig, n: number, tag: string, pick?: (o: RunOutcome) => number) {
  const p = buildProblem(c);
  const full = sample(p, n, `${tag}:full`, simulateFull, pick);
  const reduced = sample(p, n, `${tag}:reduced`, c.engine === "gram" ? simulateGram : simulateReduced, pick);
  return { p, full, test: ksTwoSample(full, reduced) };
}

describe("reduced single-neuron chain = full algorithm in law", () => {
  it("d = 8, tanh, correlation loss, large step: exact accepted, chi^2_{d-1} and missing xi^2 rejected", () => {
    const { p, full, test } = agree(config({ d: 8, eta: "0.5", m0: 0.3 }), 4000, "d8");
    expect(test.pValue).toBeGreaterThan(ACCEPT);
    const offByOne = sample(p, 4000, "d8:dof", (q, g) => reducedChain(q, g, { extraDegrees: 1, dropXiSquared: false }));
    const noXi = sample(p, 4000, "d8:noxi", (q, g) => reducedChain(q, g, { extraDegrees: 0, dropXiSquared: true }));
    expect(ksTwoSample(full, offByOne).pValue).toBeLessThan(REJECT);
    expect(ksTwoSample(full, noXi).pValue).toBeLessThan(REJECT);
  });

  it("d = 32: exact accepted, missing xi^2 rejected", () => {
    const { p, full, test } = agree(config({ d: 32, eta: "0.3", m0: 0.3 }), 4000, "d32");
    expect(test.pValue).toBeGreaterThan(ACCEPT);
    const noXi = sample(p, 4000, "d32:noxi", (q, g) => reducedChain(q, g, { extraDegrees: 0, dropXiSquared: true }));
    expect(ksTwoSample(full, noXi).pValue).toBeLessThan(REJECT);
  });

  it("d = 128, He3 target and student, square loss, uniform initialisation", () => {
    const { test } = agree(config({ d: 128, link: "He(3,z)", student: "He(3,z)", loss: "square", eta: "0.5/d", maxSteps: 30 }), 3000, "d128");
    expect(test.pValue).toBeGreaterThan(ACCEPT);
  });

  it("d = 512, relu target, tanh student, Gaussian label noise", () => {
    const { test } = agree(config({ d: 512, link: "relu(z)", student: "tanh(z)", eta: "30/d", noise: "gaussian:0.5", m0: 0.2 }), 2000, "d512");
    expect(test.pValue).toBeGreaterThan(ACCEPT);
  });

  it("label flips (noise flip:0.2) on a sign link, d = 32", () => {
    const { test } = agree(config({ d: 32, link: "sign(z)", student: "tanh(z)", eta: "0.3", noise: "flip:0.2", m0: 0.3 }), 3000, "flip");
    expect(test.pValue).toBeGreaterThan(ACCEPT);
  });

  it("batch reuse (two inner steps) and layer-wise alternating variants, d = 32", () => {
    const reuse = agree(config({ d: 32, link: "He(2,z)", student: "He(2,z)", eta: "0.05", variant: "reuse", etaInner: "0.2/d", innerSteps: 2, m0: 0.3 }), 3000, "reuse");
    expect(reuse.test.pValue).toBeGreaterThan(ACCEPT);
    const alt = agree(config({ d: 32, link: "He(3,z)", student: "He(3,z)", eta: "0.02", variant: "alternating", etaInner: "0.05", etaSecondLayer: "0.01", loss: "square", m0: 0.3 }), 3000, "alt");
    expect(alt.test.pValue).toBeGreaterThan(ACCEPT);
  });

  it("escape times agree: He2, |m| >= 0.5, d = 64, uniform initialisation", () => {
    const c = config({ d: 64, link: "He(2,z)", student: "He(2,z)", eta: "0.1/d", threshold: 0.5, overlap: "abs", maxSteps: 20000, runToMax: false });
    const { full, test } = agree(c, 1500, "escape", (o) => o.escapeStep ?? Infinity);
    expect(full.filter((t) => t === Infinity).length).toBeLessThan(15); // the budget is not what is being compared
    expect(test.pValue).toBeGreaterThan(ACCEPT);
  });

  it("the reduced chain and the Gram engine with p = k = 1 agree at d = 2^20", () => {
    const p = buildProblem(config({ d: 2 ** 20, link: "He(3,z)", student: "He(3,z)", eta: "2*d^-1.5", maxSteps: 200, m0: 0.01 }));
    const a = sample(p, 3000, "g1", simulateReduced), b = sample(p, 3000, "g2", simulateGram);
    expect(ksTwoSample(a, b).pValue).toBeGreaterThan(ACCEPT);
  });
});

describe("Gram-state engine = full algorithm in law", () => {
  it("p = 2 neurons, k = 1, square loss, trained second layer, d = 24", () => {
    const c = config({ engine: "gram", d: 24, width: 2, a0: 0.5, link: "He(3,z)", student: "tanh(z)", loss: "square", eta: "0.1", etaSecondLayer: "0.05", maxSteps: 30, overlap: "abs" });
    const signed = agree(c, 3000, "gram21");
    expect(signed.test.pValue).toBeGreaterThan(ACCEPT);
    const best = agree(c, 3000, "gram21max", (o) => o.finalOverlap);
    expect(best.test.pValue).toBeGreaterThan(ACCEPT);
  });

  it("p = 3 neurons, k = 2 directions (z1*z2), correlation loss, d = 16", () => {
    const c = config({ engine: "gram", d: 16, width: 3, a0: 1, link: "z1*z2", student: "z^2", eta: "0.1", maxSteps: 25, overlap: "abs" });
    const r = agree(c, 3000, "gram32", (o) => o.finalOverlap);
    expect(r.test.pValue).toBeGreaterThan(ACCEPT);
  });
});
