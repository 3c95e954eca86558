/**
 * The one divergence rule (src/simulations/divergence.ts): every simulator stops a run at the first step at which a
 * monitored quantity is non-finite or beyond DIVERGENCE_BOUND, and reports it per seed with the step and the
 * reason. Issue 19's reproducer: `simulate batch-reuse ... --eta 1e6` returned Q ~ 5e35 with "diverged": [].
 */
import { describe, expect, it } from "vitest";
import { createJsCpuBackend } from "../../src/tensors/jsCpu.js";
import { simulateBatchReuse, BATCH_REUSE_DEFAULTS } from "../../src/simulations/batch/batchReuse.js";
import { simulateGiantStep, GIANT_STEP_DEFAULTS } from "../../src/simulations/batch/giantStep.js";
import { DIVERGENCE_BOUND, divergenceAt, divergedValue } from "../../src/simulations/divergence.js";
import { runReplicate } from "../../src/simulations/config.js";
import { runToyChain } from "../../src/experiments/toyChain.js";
import { config } from "./helpers.js";

const backend = createJsCpuBackend();
const finiteJson = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? "NONFINITE" : v));

describe("the divergence rule", () => {
  it("flags non-finite values and values beyond the bound, names the quantity and the step, and nothing else", () => {
    expect(divergedValue(1)).toBeNull();
    expect(divergedValue(-DIVERGENCE_BOUND)).toBeNull();
    expect(divergedValue(NaN)).toMatch(/not finite/);
    expect(divergedValue(-2 * DIVERGENCE_BOUND)).toMatch(/exceeds the divergence bound/);
    expect(divergenceAt(3, { loss: 0.5, Q: [1, 2, 5e35] })).toEqual({ step: 3, reason: expect.stringMatching(/^Q = 5\.00e\+35 exceeds .* at step 3$/) });
    expect(divergenceAt(2, { loss: Infinity, Q: [1] })!.reason).toMatch(/^loss is not finite/);
    expect(divergenceAt(1, { loss: 0.5, Q: new Float64Array([1, 2]) })).toBeNull();
  });

  it("batch-reuse at eta = 1e6 diverges per seed (it returned Q ~ 5e35 with no divergence)", async () => {
    const r = await simulateBatchReuse({ ...BATCH_REUSE_DEFAULTS, target: "He(3,z)", activation: "relu(z)", d: 40, p: 4, alpha: 2, eta: "1e6", steps: 4, seeds: 2, nTest: 64 }, backend);
    expect(r.diverged.map((x) => x.seed)).toEqual([0, 1]);
    for (const x of r.diverged) expect(x.reason).toMatch(/exceeds the divergence bound|not finite/);
    // no step after the divergence is averaged in, and nothing reported is beyond the bound
    expect(r.steps.length).toBe(Math.min(...r.diverged.map((x) => x.step)));
    for (const s of r.steps) { expect(Math.abs(s.qDiag.mean)).toBeLessThan(DIVERGENCE_BOUND); expect(s.testMSE.mean).toBeLessThan(DIVERGENCE_BOUND); }
    expect(finiteJson(r)).not.toMatch(/NONFINITE/);
    // a sane rate does not trip the rule
    const ok = await simulateBatchReuse({ ...BATCH_REUSE_DEFAULTS, target: "He(3,z)", activation: "relu(z)", d: 40, p: 4, alpha: 2, eta: "1", steps: 2, seeds: 1, nTest: 64 }, backend);
    expect(ok.diverged).toEqual([]);
  });

  it("giant-step at a huge rate diverges per seed, with no test summary", async () => {
    const r = await simulateGiantStep({ ...GIANT_STEP_DEFAULTS, target: "He(3,z)", activation: "relu(z)", d: 32, p: 8, n: 256, nRefit: 128, nTest: 128, seeds: 2, preprocess: false, eta: "1e6", steps: 2 }, backend);
    expect(r.diverged.map((x) => x.seed)).toEqual([0, 1]);
    expect(r.diverged[0]!.reason).toMatch(/exceeds the divergence bound|not finite/);
    expect(r.summary).toBeNull();
  });

  it("online SGD: a second layer beyond the bound stops the run as diverged (reduced and Gram engines)", () => {
    for (const engine of ["reduced", "gram"] as const) {
      const o = runReplicate(config({ engine, etaSecondLayer: "1e9", maxSteps: 400, threshold: 0.999 }), 1, 0);
      expect(o.diverged, engine).toBe(true);
      expect(o.escapeStep).toBeNull();
      expect(o.censored).toBe(false);
      expect(o.steps).toBeLessThan(400);
    }
    expect(runReplicate(config({ etaSecondLayer: "1e-3", maxSteps: 400 }), 1, 0).diverged).toBe(false);
  });

  it("the feature-strength toy chain uses the same bound", () => {
    const r = runToyChain({ gamma: 1, eta: 10, L: 3, T: 1000 });
    expect(r.status).toBe("diverged");
    expect(runToyChain({ gamma: 1, eta: 0.01, L: 3, T: 1000 }).status).not.toBe("diverged");
  });
});
