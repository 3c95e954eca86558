/** Batch simulators count their matrix-product work (2mkn a product) and report it with its rate in the result. */
import { describe, expect, it } from "vitest";
import { createJsCpuBackend } from "../../src/tensors/jsCpu.js";
import { simulateBatchReuse, BATCH_REUSE_DEFAULTS } from "../../src/simulations/batch/batchReuse.js";

const backend = createJsCpuBackend();

describe("batch-reuse throughput", () => {
  it("the counted GFLOP grow linearly in the number of steps (every step does the same products) and a positive rate", async () => {
    const base = { ...BATCH_REUSE_DEFAULTS, target: "tanh(z)", activation: "tanh(z)", d: 64, alpha: 2, p: 4, seeds: 1, nTest: 64, algorithm: "multi-pass" as const };
    const [one, two, three] = await Promise.all([1, 2, 3].map((steps) => simulateBatchReuse({ ...base, steps }, backend)));
    const perStep = two!.throughput.matmulGflop - one!.throughput.matmulGflop;
    expect(perStep).toBeGreaterThan(0);
    expect(three!.throughput.matmulGflop - two!.throughput.matmulGflop).toBeCloseTo(perStep, 12);
    // one step of multi-pass GD does at least the forward n x d x p and backward p x n x d products (n = alpha d)
    expect(perStep * 1e9).toBeGreaterThanOrEqual(2 * (2 * 128 * 64 * 4));
    for (const r of [one!, two!, three!]) expect(r.throughput.gflopPerSecond).toBeGreaterThan(0);
  });
});
