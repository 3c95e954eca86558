import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bisectEtaMax, predictedEtaMax, predictedEscapeTau, runToyChain, tauStar } from "../../src/experiments/toyChain.js";
import { initMlp, referenceGradient, autodiffGradient, loadTf } from "../../src/experiments/centredMlp.js";
import { BACKEND_NAMES } from "../../src/tensors/backend.js";
import { seededRng } from "../../src/numeric/xoshiro.js";

describe("seed-004 toy chain (notes §3.5)", () => {
  it("the edge of convergence is 2/lambda_max at the balanced minimiser for any gamma and depth", () => {
    fc.assert(fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.integer({ min: 2, max: 4 }), (lg, L) => {
      const gamma = Math.pow(10, lg), p = predictedEtaMax(gamma, L);
      const b = bisectEtaMax(gamma, L, p.balanced / 10, p.balanced * 10, 100000, 1e-3);
      expect(Math.abs(b.etaMax / p.balanced - 1)).toBeLessThan(0.01);
    }), { numRuns: 12 });
  });

  it("small-eta GD escapes the plateau at the gradient-flow tau, which tends to tau* = 1/(L-2)", () => {
    for (const gamma of [1e3, 1e5]) {
      const L = 3, eta = 1e-3 * predictedEtaMax(gamma, L).balanced;
      const r = runToyChain({ gamma, eta, L, T: 1e7 });
      expect(Math.abs((r.escapeStep! * eta) / gamma / predictedEscapeTau(gamma, L) - 1)).toBeLessThan(0.01);
    }
    expect(Math.abs(predictedEscapeTau(1e9, 3) - tauStar(3))).toBeLessThan(0.01);
  });

  it("above the edge GD does not converge", () => {
    const p = predictedEtaMax(0.01, 3);
    expect(runToyChain({ gamma: 0.01, eta: 1.2 * p.balanced, L: 3, T: 10000 }).status).not.toBe("converged");
  });
});

describe("centred muP MLP", () => {
  it("the recorded TensorFlow.js backend is a src/tensors backend name (or tfjs-cpu) and is the engine tfjs actually runs", async () => {
    const c = await loadTf();
    expect([...BACKEND_NAMES, "tfjs-cpu"]).toContain(c.backend);
    const engine: Record<string, string> = { "tfjs-node": "tensorflow", "tfjs-wasm": "wasm", "tfjs-cpu": "cpu" };
    expect(c.tf.getBackend()).toBe(engine[c.backend]);
    expect(c.detail).toMatch(/tfjs/);
  });

  it("TensorFlow.js autodiff gradients equal the float64 hand-written backpropagation", async () => {
    const shape = { d: 5, N: 16, L: 3 }, rng = seededRng(3);
    const p = initMlp(shape, rng), p0 = initMlp(shape, seededRng(4));
    const X = [0, 1, 2].map(() => Float64Array.from({ length: 5 }, () => rng.normal())), y = Float64Array.from([1, -1, 0.5]);
    const ref = referenceGradient(shape, p, p0, 0.5, X, y), ad = await autodiffGradient(shape, p, p0, 0.5, X, y);
    ref.forEach((g, l) => {
      const scale = Math.max(...g.map(Math.abs));
      g.forEach((v, i) => expect(Math.abs(v - ad[l][i])).toBeLessThan(1e-4 * scale));
    });
  });
});
