/**
 * simulate threshold --method spectral on multi-index links (simulations/threshold/multiIndexPreprocessing.ts): the
 * top eigenvector of (1/n) sum T(y_i) x_i x_i^T with T built along a direction v of the easy subspace, overlap =
 * |P_W* v_hat|. Cases: z1^2 + z2^2 (alpha_c = 1: G = (y/2 - 1) I, 1/alpha_c = Var(y/2) = 1, any v), sign(z1)+sign(z2)
 * (trivial: linear estimator), sign(z1 z2 z3) (hard). Small d: the test checks the prediction, the sides of the
 * transition and the d-trend, not the 5 % location (that needs d ~ 4096).
 */
import { describe, expect, it } from "vitest";
import { runThresholdExperiment, simulatableThreshold } from "../../src/experiments/thresholdExperiment.js";
import { parseLink } from "../../src/link/link.js";
import { NO_NOISE } from "../../src/exponents/noise.js";
import { multiIndexMoments } from "../../src/simulations/threshold/multiIndexPreprocessing.js";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("multi-index spectral threshold", () => {
  it("z1^2 + z2^2: predicted alpha_c = 1 (normalisation: off by 2 would give 1/2 or 2); below it the overlap falls with d, above it stays", async () => {
    const p = simulatableThreshold(parseLink("z1^2+z2^2"), NO_NOISE);
    expect(p.regime).toBe("easy");
    expect(Math.abs(p.alphaC - 1)).toBeLessThan(0.02);
    // the tabulated preprocessing along any v is h(y) = y/2 - 1
    const mm = multiIndexMoments(parseLink("z1^2+z2^2"), NO_NOISE, [0.6, 0.8]);
    for (const y of [0.5, 2, 5]) expect(Math.abs(mm.he2(y) - (y / 2 - 1))).toBeLessThan(0.06);
    expect(Math.abs(mm.secondMoment - 1)).toBeLessThan(0.03);
    const r = await runThresholdExperiment({ link: "z1^2+z2^2", method: "spectral", dims: [128, 512], alphas: [0.4, 3], seeds: 4, masterSeed: 3, backend: "js-cpu", bootstrap: 200 });
    const at = (d: number, a: number) => mean(r.runs.filter((x) => x.d === d && x.alpha === a).map((x) => x.overlapSquared));
    expect(r.estimatorNote).toMatch(/multi-index: preprocessing along v/);
    // above: a macroscopic overlap at both sizes (d = infinity: > 0.5 at alpha = 3 alpha_c)
    expect(at(512, 3)).toBeGreaterThan(0.4);
    expect(at(128, 3)).toBeGreaterThan(0.4);
    // below: small and shrinking with d
    expect(at(512, 0.4)).toBeLessThan(0.15);
    expect(at(512, 0.4)).toBeLessThan(at(128, 0.4));
  });

  it("trivial sign(z1) + sign(z2): the linear estimator along (1,1)/sqrt2, overlap above the null at every alpha; hard sign(z1 z2 z3): none", async () => {
    const t = await runThresholdExperiment({ link: "sign(z1)+sign(z2)", dims: [256], alphas: [0.25, 1], seeds: 3, masterSeed: 1, backend: "js-cpu" });
    expect(t.method).toBe("spectral");
    expect(t.estimator).toBe("linear");
    expect(t.prediction.regime).toBe("trivial");
    expect(t.verdict).toBe("consistent");
    // d = infinity: alpha lambda / (1 + alpha lambda) with lambda = E[E[v.z | y]^2] = 2/pi (y determines sign(u) for |y| = 2)
    const lambda = t.prediction.firstMoment;
    expect(lambda).toBeGreaterThan(0.5);
    const m = mean(t.runs.filter((x) => x.alpha === 1).map((x) => x.overlapSquared));
    expect(Math.abs(m - lambda / (1 + lambda))).toBeLessThan(0.1);
    const h = simulatableThreshold(parseLink("sign(z1*z2*z3)"), NO_NOISE);
    expect(h.regime).toBe("hard");
    expect(h.alphaC).toBe(Infinity);
  });
});
