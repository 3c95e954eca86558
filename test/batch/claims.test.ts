import { describe, expect, it } from "vitest";
import { predictionVerdict, tCritical3 } from "../../src/simulations/batch/claims.js";

/** P(T > t) for Student's t with v degrees of freedom, by the midpoint rule on u = 1/x (independent of the table). */
function tTail(t: number, v: number): number {
  const logGamma = (x: number): number => { // Lanczos, g = 7
    const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
    x -= 1; let a = c[0]!; const s = x + 7.5;
    for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(s) - s + Math.log(a);
  };
  const lc = logGamma((v + 1) / 2) - logGamma(v / 2) - 0.5 * Math.log(v * Math.PI);
  const N = 100_000, b = 1 / t;
  let sum = 0;
  for (let i = 0; i < N; i++) { const u = ((i + 0.5) * b) / N, x = 1 / u; sum += Math.exp(lc - ((v + 1) / 2) * Math.log(1 + (x * x) / v)) / (u * u); }
  return (sum * b) / N;
}

describe("verdict against a d = infinity prediction with few seeds", () => {
  it("the critical value has the one-sided tail 0.00135 of a normal 3-sigma test, for every dof", () => {
    for (const v of [1, 2, 3, 5, 8, 10, 11, 16, 31, 100]) expect(tTail(tCritical3(v), v)).toBeCloseTo(0.00135, 4);
    // and decreases to the normal value 3
    const seq = [2, 5, 10, 20, 100, 1000].map(tCritical3);
    seq.slice(1).forEach((c, i) => expect(c).toBeLessThan(seq[i]!));
    expect(tCritical3(1e6)).toBeCloseTo(3, 3);
  });
  it("a 4-se discrepancy is inconsistent with many seeds and not with 4 seeds", () => {
    const sim = { mean: 1.4, se: 0.1 }, pred = { mean: 1, se: 0 };
    expect(predictionVerdict(sim, pred, "x", 100).verdict).toBe("inconsistent");
    expect(predictionVerdict(sim, pred, "x", 4).verdict).toBe("consistent");
  });
});
