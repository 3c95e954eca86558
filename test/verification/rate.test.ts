/**
 * The default online-SGD rate (src/verification/prediction.ts `defaultRate`, src/verification/onlineSgd.ts
 * `marginRate`): (1) for IE k >= 3 the numerically chosen gamma0 equals the closed form of the stability margin,
 * gamma0 = RATE_MARGIN RHO_MEDIAN^{k-2} 2|A|/B; (2) the second-order term it is built on (OverlapMoments, Mehler
 * series) is the drift of the exact update (ExactStepMoments, quadrature of the exact map) at a small rate;
 * (3) verify's plan records gamma0 and the rule.
 */
import { describe, expect, it } from "vitest";
import { planOnlineSgd } from "../../src/verification/onlineSgd.js";
import { RATE_MARGIN, RHO_MEDIAN } from "../../src/verification/prediction.js";
import { buildProblem } from "../../src/simulations/config.js";
import { ExactStepMoments, OverlapMoments } from "../../src/simulations/overlapMoments.js";

describe("default rate: largest gamma0 with shrinkage <= 1/2 of the signal along a median run", () => {
  for (const link of ["He(3,z)", "He(4,z)", "He(5,z)", "He(3,z)+0.3*He(4,z)"]) {
    it(`${link}: gamma0 = RATE_MARGIN rho_med^(k-2) 2|A|/B`, () => {
      const plan = planOnlineSgd({ link, dims: [256] });
      const k = plan.prediction.informationExponent;
      const closed = (RATE_MARGIN * RHO_MEDIAN ** (k - 2) * 2 * Math.abs(plan.driftConstant)) / plan.noiseConstant;
      expect(Math.abs(plan.gamma0! / closed - 1)).toBeLessThan(0.02);
    });
  }

  it("k <= 2 (He2, ReLU): the margin is taken at the worst point of the path and is finite and positive", () => {
    for (const link of ["He(2,z)", "relu(z)"]) {
      const plan = planOnlineSgd({ link, dims: [256] });
      expect(plan.gamma0).toBeGreaterThan(0);
      expect(plan.etaRule).toContain("whole path");
    }
  });

  it("the second-order term is the drift of the exact update at a small rate (He3, tanh and ReLU students, d = 2^16; at d = 4096 a third-order term ~ gamma^3 d E[psi^3 sigma'^3 xi] shifts He3's drift by 2.7%)", () => {
    // the neglected third-order term is ~ gamma0^2 / d relative to the signal at m ~ d^{-1/2} (He3: 2.7% at d = 4096)
    // He3 at its default rate and median initial overlap (shrinkage = half the signal there); tanh and ReLU students
    for (const [link, student, m, eta] of [["He(3,z)", "He(3,z)", RHO_MEDIAN / 256, "6.7e-9"], ["He(3,z)", "tanh(z)", -0.08, "2e-8"], ["relu(z)", "relu(z)", 0.2, "1e-5"]] as const) {
      const p = buildProblem({ engine: "leap", link, student, loss: "correlation", d: 65536, eta, width: 1, a0: 1, etaSecondLayer: "0", variant: "online", etaInner: "0", innerSteps: 1, noise: "none", threshold: 0.5, overlap: "abs", escape: "any", maxSteps: 1, m0: 0, runToMax: false, tracePoints: 0 });
      const series = new OverlapMoments(p).at(m), exact = new ExactStepMoments(p).at(m);
      expect(Math.abs(series.drift / exact.drift - 1)).toBeLessThan(0.01);
      // the series variance is leading order only: terms ~ gamma d |m| relative are dropped (0.65 for ReLU here)
      if (link !== "relu(z)") expect(Math.abs(series.variance / exact.variance - 1)).toBeLessThan(0.01);
      expect(Math.abs(series.shrinkage)).toBeGreaterThan(0.01 * Math.abs(series.signal)); // the second-order term matters here
    }
  });

  it("verify's plan says how the rate was chosen and keeps gamma0 explicit", () => {
    const plan = planOnlineSgd({ link: "He(3,z)", dims: [256] });
    expect(plan.eta).toBe(`${plan.gamma0}*d^-1.5`);
    expect(plan.etaRule).toContain("second-order");
    expect(planOnlineSgd({ link: "He(3,z)", dims: [256], eta: "d^-1.5" }).gamma0).toBeNull();
  });
});
