/**
 * Multi-index weak learnability (src/exponents/weakLearnability.ts; Troiani et al. 2024, arXiv 2405.15480):
 * trivial / easy / hard subspaces, alpha_c = 1/rho(F), F(M) = E_y[G M G], G = E[z z^T - I | y], and the grand staircase.
 * Reference values: test/exponents/weak-learnability-reference.py (numpy/scipy: closed-form conditional laws, 1-D
 * quad, FFT convolution of log|z| densities), independent of the tensor grid and hat projection used here.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { parseNoise } from "../../src/exponents/noise.js";
import { weakRecoveryThreshold } from "../../src/exponents/threshold.js";
import { weakLearnability, type MultiIndexLearnability } from "../../src/exponents/weakLearnability.js";
import { rotatedLink } from "../../src/exponents/subspaceStaircase.js";
import { predictLink } from "../../src/predictions/predictLink.js";

const learn = (link: string, options: Parameters<typeof weakLearnability>[1] = {}) => weakLearnability(parseLink(link), options);

/** |P_A - P_B|_F for the projectors on two spans. */
function projectorGap(A: readonly number[][], B: readonly number[][]): number {
  if (A.length !== B.length) return Infinity;
  const r = A[0]?.length ?? 0;
  let s = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) s += (A.reduce((a, u) => a + u[i]! * u[j]!, 0) - B.reduce((a, u) => a + u[i]! * u[j]!, 0)) ** 2;
  return Math.sqrt(s);
}

const covers = (t: MultiIndexLearnability, ref: number) => Math.abs(t.alphaC - ref) <= t.errorBound;

describe("multi-index weak learnability (Troiani et al. 2024)", () => {
  it("sign(z1 z2): easy, alpha_c = pi^2/4 (G = (2/pi) s X), the whole plane; label flips scale rho by (1-2p)^2", () => {
    const t = learn("sign(z1*z2)");
    expect(t.regime).toBe("easy");
    expect(t.easySubspace.length).toBe(2);
    expect(t.errorBound).toBeLessThan(2e-3);
    expect(covers(t, Math.PI ** 2 / 4)).toBe(true);
    // a normalisation off by 2 (h_2 = He_2/sqrt2, or 2 lambda^2) would put alpha_c at pi^2/2 or pi^2/8
    expect(Math.abs(t.alphaC - Math.PI ** 2 / 4)).toBeLessThan(0.01);
    const f = learn("sign(z1*z2)", { noise: parseNoise("flip:0.1") });
    expect(covers(f, 3.8553142191755296)).toBe(true);
  });

  it("z1 z2 matches the Bessel-function reference 1/(1 + E[a^2]) = 0.593751 (continuous label, hat projection)", () => {
    const t = learn("z1*z2");
    expect(t.regime).toBe("easy");
    expect(covers(t, 0.5937510982219126)).toBe(true);
    expect(t.errorBound / t.alphaC).toBeLessThan(0.02);
  });

  it("r = 1 reproduces the single-index alpha_c exactly, and a link of z1 alone gives it on the grid", () => {
    for (const l of ["z^2", "He(4,z)", "sign(z)", "He(3,z)"]) {
      const s = weakRecoveryThreshold(parseLink(l)), m = learn(l);
      expect(m.alphaC, l).toBe(s.alphaC);
      expect(m.regime, l).toBe(s.regime);
    }
    const g = learn("z1^2 + 0*z2");
    expect(g.alphaC).toBeCloseTo(0.5, 6);
    expect(projectorGap(g.easySubspace, [[1, 0]])).toBeLessThan(1e-6);
    expect(g.irrelevantDirections.length).toBe(1);
    expect(g.hardDirections.length).toBe(0);
  });

  it("sign(z1) + sign(z2): trivial (1,1)/sqrt2, then (1,-1)/sqrt2 easy-coupled, sharp from the SE on U (well above 1/rho(F_U) = 1.43083)", () => {
    const t = learn("sign(z1)+sign(z2)");
    expect(t.regime).toBe("trivial");
    expect(t.alphaC).toBe(0);
    expect(projectorGap(t.trivialSubspace, [[Math.SQRT1_2, Math.SQRT1_2]])).toBeLessThan(1e-6);
    const second = t.staircase[1]!;
    expect(second.kind).toBe("easy");
    // the sharp stage (test/exponents/stageThreshold.test.ts has the reference); the known-z_U bound is far below it
    expect(second.sharp).toBe(true);
    expect(second.interval[0]).toBeGreaterThan(1.4308336605216725 + 0.3);
    expect(second.note).toMatch(/bound max\(alpha\(U\), 1\/rho\(F_U\)\) = 1\.43/);
  });

  it("sign(z1 z2 z3) is hard in every direction; z1^2 + sign(z1 z2 z3) is a grand staircase e1 -> span{e2, e3}", () => {
    const h = learn("sign(z1*z2*z3)");
    expect(h.regime).toBe("hard");
    expect(h.alphaC).toBe(Infinity);
    expect(h.hardDirections.length).toBe(3);
    const s = learn("z1^2 + sign(z1*z2*z3)");
    expect(s.regime).toBe("easy");
    expect(covers(s, 0.5751663522883756)).toBe(true);
    expect(projectorGap(s.easySubspace, [[1, 0, 0]])).toBeLessThan(1e-3);
    expect(s.staircase.length).toBe(2);
    const st = s.staircase[1]!;
    expect(st.basis.length).toBe(2);
    expect(st.kind).toBe("easy");
    // sharp: the state evolution on e1 reaches q ~ 1 at alpha ~ 1.2 < pi^2/4 (weak-learnability-reference.py), so the
    // stage is at 1/rho(F_U) = pi^2/4 exactly (rho(F_U) = 4/pi^2 with z1 known)
    expect(st.sharp).toBe(true);
    expect(Math.abs(st.alpha - Math.PI ** 2 / 4)).toBeLessThan(Math.max(0.005, st.interval[1] - st.interval[0]));
    expect(s.hardDirections.length).toBe(0);
  });

  it("z1^2 + z2^2 + sign(z1 z2 z3): the easy subspace is exactly the plane (a degenerate eigenspace of F, whose grid noise must not add e3), then e3 trivially coupled", () => {
    // sign(z3) is a fair coin independent of (z1, z2, |z3|), so G(y) = g(y) (e1e1^T + e2e2^T) with g(y) = E[R^2/2 - 1 | y],
    // y = R^2 + s, R^2 ~ Exp(mean 2), s = +-1: rho(F) = E[g^2] = 0.8655292893150024, alpha_c = 1.1553624034969636
    // (mpmath quad over y in [-1, 1] (s = -1 known) and [1, inf) (posterior e : 1 on s = +1 : -1), 30 digits)
    const t = learn("z1^2 + z2^2 + sign(z1*z2*z3)");
    expect(t.regime).toBe("easy");
    expect(t.easySubspace.length).toBe(2);
    expect(projectorGap(t.easySubspace, [[1, 0, 0], [0, 1, 0]])).toBeLessThan(2e-2);
    expect(covers(t, 1.1553624034969636)).toBe(true);
    expect(t.staircase.length).toBe(2);
    // given z1, z2, y - z1^2 - z2^2 = sign(z1 z2 z3) reveals sign(z3): E[z3 | y, z_U] != 0
    expect(t.staircase[1]!.kind).toBe("trivial");
    expect(projectorGap(t.staircase[1]!.basis, [[0, 0, 1]])).toBeLessThan(2e-2);
  });

  it("property: a rotation of z1, z2 leaves alpha_c and the regime unchanged and rotates the subspaces", () => {
    fc.assert(fc.property(
      fc.constantFrom("sign(z1*z2)", "z1*z2", "sign(z1)+sign(z2)", "z1^2 + 0*z2"),
      fc.double({ min: 0.1, max: 1.4, noNaN: true }),
      (text, theta) => {
        const link = parseLink(text);
        const c = Math.cos(theta), s = Math.sin(theta);
        // z = Q u with Q's columns (c, s), (-s, c): the rotated link is u -> g(Q u)
        const Q = [[c, s], [-s, c]];
        const a = weakLearnability(link, { nodes: 300 }), b = weakLearnability(rotatedLink(link, Q), { nodes: 300 });
        expect(b.regime).toBe(a.regime);
        expect(Math.abs(a.alphaC - b.alphaC)).toBeLessThanOrEqual(a.errorBound + b.errorBound + 1e-9);
        expect(b.staircase.length).toBe(a.staircase.length);
        // a subspace V of the original becomes Q^T V in the rotated coordinates
        const back = (basis: number[][]) => basis.map((v) => [c * v[0]! + s * v[1]!, -s * v[0]! + c * v[1]!]);
        a.staircase.forEach((st, i) => {
          expect(projectorGap(back(st.basis), b.staircase[i]!.basis)).toBeLessThan(1e-2);
          expect(Math.abs(st.alpha - b.staircase[i]!.alpha)).toBeLessThanOrEqual(3 * (Math.abs(st.interval[1] - st.alpha) + Math.abs(b.staircase[i]!.interval[1] - b.staircase[i]!.alpha)) + 1e-6);
        });
      }), { numRuns: 4, seed: 15 });
  });

  it("predict gives one regime boundary per grand-staircase subspace (opt-in in the library, as the CLI does)", () => {
    const off = predictLink("sign(z1)+sign(z2)", { claims: ["troiani-grand-staircase"] });
    expect(off.predictions[0]!.structure!.items).toEqual([]);
    const on = predictLink("sign(z1)+sign(z2)", { claims: ["troiani-grand-staircase"], multiIndexLearnability: true });
    const items = on.predictions[0]!.structure!.items;
    expect(items[0]).toMatchObject({ what: "alpha_c", value: "0" });
    const stages = items.filter((i) => i.what.startsWith("subspace")).map((i) => i.value.split(": ")[1]!);
    expect(stages[0]).toBe("alpha = 0");
    expect(stages[1]).toMatch(/^alpha = 2\.0/);
    expect(on.predictions[0]!.structure!.summary).toContain("trivial (dimension 1) -> easy (dimension 1)");
  });

  it("respects the time limit: a budget of 1 ms returns unresolved, quickly", () => {
    const t0 = performance.now();
    const t = learn("sign(z1*z2*z3)", { timeLimit: 0.001 });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(t.resolved).toBe(false);
    expect(t.regime).toBe("undetermined");
    expect(t.hardDirections.length).toBe(0);
  });
});
