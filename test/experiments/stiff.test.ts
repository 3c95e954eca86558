import { describe, expect, it } from "vitest";
import { rosenbrock23, finiteDifferenceJacobian } from "../../src/experiments/stiff.js";

describe("rosenbrock23 (ode23s pair)", () => {
  it("integrates a stiff linear system accurately with far fewer steps than an explicit method would need", () => {
    // y1' = -1e5 (y1 - cos t-ish) replaced by an autonomous pair: y1' = -1e5 y1 + y2, y2' = -y2; exact solution known
    const lam = 1e5;
    const F = (y: Float64Array, dy: Float64Array) => { dy[0] = -lam * y[0] + y[1]; dy[1] = -y[1]; };
    const J = (_y: Float64Array, out: Float64Array) => { out[0] = -lam; out[1] = 1; out[2] = 0; out[3] = -1; };
    const r = rosenbrock23(F, J, Float64Array.from([1, 1]), 5, { rtol: 1e-8, atol: 1e-12 });
    const y2 = Math.exp(-5), y1 = Math.exp(-5) / (lam - 1) + (1 - 1 / (lam - 1)) * Math.exp(-lam * 5);
    expect(r.status).toBe("done");
    expect(Math.abs(r.y[1] - y2) / y2).toBeLessThan(1e-4); // global error of a 2nd-order pair at rtol 1e-8
    expect(Math.abs(r.y[0] - y1) / y1).toBeLessThan(1e-4);
    expect(r.accepted).toBeLessThan(5 * lam * 2 / 2.8 / 100); // explicit RK stability limit h < 2.8/λ would need 1.8e5 steps
  });

  it("finite-difference Jacobian gives the same solution of a nonlinear problem", () => {
    const F = (y: Float64Array, dy: Float64Array) => { dy[0] = -y[0] * y[0]; };
    const r = rosenbrock23(F, finiteDifferenceJacobian(F, 1), Float64Array.from([1]), 9, { rtol: 1e-9, atol: 1e-12 });
    expect(r.y[0]).toBeCloseTo(0.1, 6); // y = 1/(1+t)
  });
});
