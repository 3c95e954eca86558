/**
 * Sharp grand-staircase stages (src/exponents/stageThreshold.ts; claim troiani-grand-staircase, derived here): the alpha
 * at which U-perp becomes learnable by Bayes-optimal AMP once a one-dimensional U is learned, from the state evolution
 * on U with z_perp integrated out. References: test/exponents/stage-threshold-reference.py (scipy, closed-form
 * conditional laws, brentq on the branch) for sign(z1) + sign(z2); for z1^2 + sign(z1 z2 z3) the exact value pi^2/4
 * (rho(F_U) = 4/pi^2 with z1 known, and the SE on e1 reaches q = 1 below it: weak-learnability-reference.py).
 */
import { describe, expect, it } from "vitest";
import { parseLink } from "../../src/link/link.js";
import { sharpStageThreshold } from "../../src/exponents/stageThreshold.js";
import { labelAtoms } from "../../src/exponents/weakLearnability.js";
import { NO_NOISE, parseNoise } from "../../src/exponents/noise.js";

const S = Math.SQRT1_2;
const c = Math.cos(0.7), s = Math.sin(0.7);
const stage = (text: string, frame: number[][], noise = NO_NOISE, grid = {}) => { const l = parseLink(text); return sharpStageThreshold(l, frame, noise, labelAtoms(l), grid); };

describe("sharp grand-staircase stages", () => {
  it("z1^2 + sign(z1 z2 z3): q_U jumps to 1 at a spinodal below pi^2/4, so span{e2, e3} is at pi^2/4 exactly", () => {
    const r = stage("z1^2 + sign(z1*z2*z3)", [[1, 0, 0], [0, c, s], [0, -s, c]]);
    expect(r.certified).toBe(true);
    expect(r.qU).toBe(1);
    expect(r.spinodal).not.toBeNull();
    expect(r.spinodal!).toBeGreaterThan(0.5751663522883756);
    expect(r.spinodal!).toBeLessThan(Math.PI ** 2 / 4);
    // rho(F_U) = 4/pi^2: a normalisation off by 2 would put the stage at pi^2/2 or pi^2/8
    expect(Math.abs(r.knownRho - 4 / Math.PI ** 2)).toBeLessThan(0.004);
    expect(Math.abs(r.alpha - Math.PI ** 2 / 4)).toBeLessThan(Math.max(0.005, r.interval[1] - r.interval[0]));
    expect(r.crossBlock).toBeLessThan(1e-6);
  });

  it("sign(z1) + sign(z2): the stage (1,-1)/sqrt2 is at 2.05248 (scipy), at q_U ~ 0.71, far above the known-z_U bound 1.43083", () => {
    const r = stage("sign(z1)+sign(z2)", [[S, S], [-S, S]]);
    expect(r.certified).toBe(true);
    expect(r.interval[0]).toBeLessThanOrEqual(2.0524785920244097);
    expect(r.interval[1]).toBeGreaterThanOrEqual(2.0524785920244097);
    expect(r.interval[1] - r.interval[0]).toBeLessThan(0.06);
    expect(r.qU).toBeGreaterThan(0.65);
    expect(r.qU).toBeLessThan(0.78);
    expect(1 / r.knownRho).toBeGreaterThan(1.40);
    expect(1 / r.knownRho).toBeLessThan(1.46);
    expect(r.crossBlock).toBeLessThan(0.2);
    expect(r.note).toMatch(/alpha rho\(F_q\) = 1 on the SE branch of U/);
  });

  it("label noise only garbles: gaussian noise (integrated exactly into the label cells) raises the stage's alpha", () => {
    // a light grid: the noisy label fills every cell at every z_U node
    const grid = { uNodes: 32, knots: 48, perNode: 2000 };
    const clean = stage("sign(z1)+sign(z2)", [[S, S], [-S, S]], NO_NOISE, grid);
    const noisy = stage("sign(z1)+sign(z2)", [[S, S], [-S, S]], parseNoise("gaussian:0.5"), grid);
    expect(clean.certified).toBe(true);
    expect(noisy.certified).toBe(true);
    expect(noisy.alpha).toBeGreaterThan(clean.interval[1]);
    expect(noisy.alpha - clean.alpha).toBeGreaterThan(0.1);
  });

  it("not certified when the perp block never becomes unstable (the link does not depend on U-perp): the caller keeps the bound", () => {
    const r = stage("z1^2 + 0*z2", [[1, 0], [0, 1]], NO_NOISE, { uNodes: 32, perNode: 400, knots: 32 });
    expect(r.certified).toBe(false);
    expect(r.knownRho).toBeLessThan(1e-9);
    expect(r.note).toMatch(/not certified: rho\(F_U\) = 0/);
  });
});
