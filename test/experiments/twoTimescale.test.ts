import { describe, expect, it } from "vitest";
import { twoLayerProblem, reducedSystem, finiteDimSystem, integrateReduced, acquisitionTimes } from "../../src/experiments/twoTimescale.js";
import { finiteDifferenceJacobian } from "../../src/experiments/stiff.js";
import { seededRng } from "../../src/numeric/xoshiro.js";

const P = twoLayerProblem("1 + He(1,z) + He(2,z)/sqrt(2) + He(3,z)/sqrt(6)", "exp(z)", 10);

describe("two-timescale flow (BMZ 2303.00055)", () => {
  it("the analytic Jacobian of the reduced ODE matches finite differences (both diagonal variants)", () => {
    const rng = seededRng(2), m = 5;
    const y = Float64Array.from({ length: 2 * m }, (_, i) => (i < m ? rng.normal() : 0.6 * Math.tanh(rng.normal())));
    for (const diag of ["mean-field", "exact"] as const) {
      const { F, J } = reducedSystem(P, m, 0.07, diag);
      const a = new Float64Array(4 * m * m), b = new Float64Array(4 * m * m);
      J(y, a); finiteDifferenceJacobian(F, 2 * m)(y, b);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4 * (1 + Math.abs(a[i])));
    }
  });

  it("the finite-d Gram flow agrees with the exact-diagonal reduced ODE when Q_ij = s_i s_j", () => {
    const m = 4, a = [0.3, -0.2, 0.5, 0.1], s = [0.1, -0.3, 0.25, 0.6];
    const Q: number[] = [];
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) Q.push(s[i] * s[j]);
    const dr = new Float64Array(2 * m), df = new Float64Array(2 * m + Q.length);
    reducedSystem(P, m, 0.1, "exact").F(Float64Array.from([...a, ...s]), dr);
    finiteDimSystem(P, m, 0.1).F(Float64Array.from([...a, ...s, ...Q]), df);
    for (let i = 0; i < 2 * m; i++) expect(df[i]).toBeCloseTo(dr[i], 10);
  });

  it("degree 0 relaxes as r_0 = phi_0 exp(-sigma_0^2 t / eps) when s = 0 (notes §3.4)", () => {
    const p = twoLayerProblem("2", "exp(z)", 6), eps = 0.01, m = 3;
    const run = integrateReduced(p, { m, eps, tEnd: 0.05, s0: new Float64Array(m) });
    const tr = run.trajectory, s0 = p.sigma[0];
    tr.t.forEach((t, i) => expect(tr.residuals[i][0]).toBeCloseTo(2 * Math.exp((-s0 * s0 * t) / eps), 5));
  });

  it("with phi_1 = 0 and s(0) = 0 the overlaps never move (d = infinity)", () => {
    const p = twoLayerProblem("1 + He(2,z)/sqrt(2)", "exp(z)", 8);
    expect(p.phi[1]).toBe(0);
    const run = integrateReduced(p, { m: 4, eps: 0.05, tEnd: 5, s0: new Float64Array(4) });
    expect(Math.max(...run.trajectory.maxAbsS)).toBe(0);
    expect(run.trajectory.risk[run.trajectory.risk.length - 1]).toBeGreaterThanOrEqual(0.5 * p.phi[2] ** 2 - 1e-12);
  });

  it("degrees are acquired in increasing order and degree 0 scales like epsilon", () => {
    const s0 = Float64Array.from({ length: 8 }, (_, i) => 0.03 * Math.sin(i + 1));
    const t0: number[] = [];
    for (const eps of [1e-2, 1e-3]) {
      const run = integrateReduced(P, { m: 8, eps, tEnd: 5, s0, stopWhenLearned: { degrees: [0, 1, 2], theta: 0.1 } });
      const t = acquisitionTimes(P, run.trajectory, 0.1);
      expect(t[0]!).toBeLessThan(t[1]!);
      expect(t[1]!).toBeLessThan(t[2]!);
      t0.push(t[0]!);
    }
    expect(Math.log10(t0[0] / t0[1])).toBeCloseTo(1, 1);
  });
});
