import { describe, expect, it } from "vitest";
import { twoLayerProblem, reducedSystem, finiteDimSystem, integrateReduced, acquisitionTimes, predictedDegreeOneTime, initialSpread, sphereInit } from "../../src/experiments/twoTimescale.js";
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

describe("degree-1 phase time (derived here, theory/berthier-montanari-zhou-2023.yaml; corrected in issue 14)", () => {
  it("t_1 grows by sqrt(eps) log(d2/d1) / (2 sigma_1 phi_1) with the dimension and matches the formula at eps = 1e-4", () => {
    // the formula before issue 14, log(2|phi_1|/(|sigma_1| sqrt(eps))), had no d: it predicted a zero shift and ratio 0.4-0.8 here
    const eps = 1e-4, m = 16, theta = 0.1, t1: number[] = [];
    const s1 = Math.abs(P.sigma[1]), f1 = Math.abs(P.phi[1]);
    for (const d of [1000, 100000]) {
      const init = sphereInit(m, d, seededRng(3003));
      const sbar = init.s.reduce((a, b) => a + b, 0) / m, x2 = init.s.reduce((a, b) => a + (b - sbar) ** 2, 0) / m;
      const run = integrateReduced(P, { m, eps, tEnd: 1, s0: init.s, stopWhenLearned: { degrees: [0, 1], theta } });
      const t = acquisitionTimes(P, run.trajectory, theta)[1]!;
      expect(t / predictedDegreeOneTime(P, eps, { meanSquare: x2, theta })!).toBeGreaterThan(0.85);
      expect(t / predictedDegreeOneTime(P, eps, { meanSquare: x2, theta })!).toBeLessThan(1.15);
      t1.push(t);
    }
    const shift = (Math.sqrt(eps) / (2 * s1 * f1)) * Math.log(100);
    expect((t1[1]! - t1[0]!) / shift).toBeGreaterThan(0.85);
    expect((t1[1]! - t1[0]!) / shift).toBeLessThan(1.15);
    // the expected spread of m overlaps on S^{d-1}, and the formula's refusal where its logarithm is below 1
    expect(initialSpread(32, 1000)).toBeCloseTo((31 / 32) / 1000, 15);
    expect(predictedDegreeOneTime(P, 1e-8, { meanSquare: initialSpread(32, 100), theta })).toBeNull();
  });
});
