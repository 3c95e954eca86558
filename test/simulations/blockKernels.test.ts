import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CHUNK_ROWS, gaussianRows } from "../../src/tensors/data.js";
import { Xoshiro128 } from "../../src/numeric/xoshiro.js";
import { activateBlock, reluSpec, studentActivation } from "../../src/simulations/batch/common.js";

/** The scalar definition of a batch's rows: chunk c of CHUNK_ROWS rows = successive normal() calls of its stream. */
function referenceRows(seed: number, label: string, d: number, start: number, count: number): Float32Array {
  const out = new Float32Array(count * d);
  for (let r = start; r < start + count; r++) {
    const chunk = Math.floor(r / CHUNK_ROWS);
    const rng = Xoshiro128.forKey({ masterSeed: seed, configuration: `${label}/d=${d}`, replicate: chunk });
    for (let i = 0, skip = (r - chunk * CHUNK_ROWS) * d; i < skip; i++) rng.normal();
    for (let j = 0; j < d; j++) out[(r - start) * d + j] = rng.normal();
  }
  return out;
}

describe("block kernels of the dense simulators", () => {
  it("gaussianRows by block returns exactly the scalar stream's rows, for any (unaligned) row range", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 7 }), (start, count, d) => {
      const out = new Float32Array(count * d);
      gaussianRows({ seed: 5, label: "t", d, n: start + count }, start, count, out);
      expect(out).toEqual(referenceRows(5, "t", d, start, count));
    }), { numRuns: 25 });
  });

  it("the ReLU block loop is bitwise the closure's sigma(h) * scale (NaN and -0 included: relu(NaN) = NaN, as in the runtime; -Infinity, an overflowed run, gives NaN so that the divergence rule sees it); other activations keep the closure", () => {
    const relu = studentActivation("relu(z)");
    expect(reluSpec(relu)).not.toBeNull();
    expect(reluSpec(studentActivation("tanh(z)"))).toBeNull();
    const H = Float32Array.from([-2, -0, 0, 1e-30, 0.5, 3, NaN, -Infinity, Infinity]);
    const got = H.slice();
    activateBlock(relu, got, 0.125);
    expect(got).toEqual(Float32Array.from(H, (h) => (h === -Infinity ? NaN : relu.sigma(h) * 0.125)));
    const tanh = studentActivation("tanh(z)"), T = H.slice();
    activateBlock(tanh, T, 2);
    expect(T).toEqual(Float32Array.from(H, (h) => tanh.sigma(h) * 2));
  });
});

describe("countingFlops", () => {
  it("counts 2 m k n per product, whatever the transposes, and returns the wrapped backend's product", async () => {
    const { countingFlops } = await import("../../src/tensors/backend.js");
    const { createBackend } = await import("../../src/tensors/select.js");
    const { matrix } = await import("../../src/tensors/matrix.js");
    const js = await createBackend("js-cpu");
    const c = countingFlops(js);
    const A = matrix(3, 4, Float32Array.from({ length: 12 }, (_, i) => i - 5)), B = matrix(5, 4, Float32Array.from({ length: 20 }, (_, i) => 0.5 * i));
    const got = await c.backend.matmul(A, B, { transB: true });
    expect(got.data).toEqual((await js.matmul(A, B, { transB: true })).data);
    await c.backend.matmul(A, A, { transA: true });
    expect(c.flops()).toBe(2 * 3 * 4 * 5 + 2 * 4 * 3 * 4);
  });
});
