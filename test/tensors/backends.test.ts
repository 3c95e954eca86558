import { describe, expect, it } from "vitest";
import { float64ProductError } from "./productF64.js";
import { BACKEND_NAMES, type TensorBackend } from "../../src/tensors/backend.js";
import { createBackend, chooseBackend } from "../../src/tensors/select.js";
import { matmulInto } from "../../src/tensors/jsCpu.js";
import { matrix } from "../../src/tensors/matrix.js";
import { gaussianRows, blocks } from "../../src/tensors/data.js";
import { checkMemory } from "../../src/tensors/matrix.js";
import { matmulModel } from "../../src/tensors/onnxModel.js";
import { isInputError } from "../../src/link/errors.js";

function random(rows: number, cols: number, seed: number) {
  const m = matrix(rows, cols);
  gaussianRows({ seed, label: "test/backends", d: cols, n: rows }, 0, rows, m.data);
  return m;
}

const loaded: TensorBackend[] = [];
for (const name of BACKEND_NAMES) {
  try { loaded.push(await createBackend(name)); } catch { /* optional backend missing here (tfjs-node; openblas without koffi or libopenblas) */ }
}

describe("tensor backends agree with a float64 reference to float32 accuracy", () => {
  it("at least onnx, tfjs-wasm and js-cpu load here", () => {
    expect(loaded.map((b) => b.name)).toEqual(expect.arrayContaining(["onnx", "tfjs-wasm", "js-cpu"]));
  });
  // shapes not multiples of any kernel tile, all transpose combinations
  const [m, k, n] = [173, 301, 67];
  for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
    for (const b of loaded) {
      it(`${b.name} op(A) op(B) transA=${transA} transB=${transB}`, async () => {
        const A = transA ? random(k, m, 1) : random(m, k, 1);
        const B = transB ? random(n, k, 2) : random(k, n, 2);
        const C = await b.matmul(A, B, { transA, transB });
        expect([C.rows, C.cols]).toEqual([m, n]);
        const ref = new Float64Array(m * n);
        matmulInto({ rows: A.rows, cols: A.cols, data: Float64Array.from(A.data) }, { rows: B.rows, cols: B.cols, data: Float64Array.from(B.data) }, ref, { transA, transB });
        // float32 products of N(0,1) entries: error <= ~k * 2^-24 * sum |a||b| ~ sqrt(k) scale; allow 1e-5 * k
        let worst = 0;
        for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(C.data[i]! - ref[i]!));
        expect(worst).toBeLessThan(1e-5 * k);
        // and an independent check of one entry by a direct float64 dot product
        const a = (i: number, l: number) => (transA ? A.data[l * m + i]! : A.data[i * k + l]!);
        const bb = (l: number, j: number) => (transB ? B.data[j * k + l]! : B.data[l * n + j]!);
        let dot = 0;
        for (let l = 0; l < k; l++) dot += a(5, l) * bb(l, 7);
        expect(C.data[5 * n + 7]!).toBeCloseTo(dot, 3);
      });
    }
  }
});

describe("float64 products (productF64: the blocked Cholesky's trailing updates)", () => {
  it("onnx has one, and it is A B^T in float64 (agreement to 1e-13 relative, not float32's 1e-7)", async () => {
    const b = loaded.find((x) => x.name === "onnx")!;
    expect(b.productF64).toBeTypeOf("function");
    const r = await float64ProductError(b.productF64!);
    expect(r.length).toBe(r.expected);
    expect(r.worst).toBeLessThan(1e-13);
  });
});

describe("MatmulOptions.out", () => {
  it("every backend returns the same product with a scratch buffer; onnx and openblas write into the scratch itself", async () => {
    const A = random(45, 33, 5), B = random(29, 33, 6);
    for (const b of loaded) {
      const plain = await b.matmul(A, B, { transB: true });
      const scratch = new Float32Array(45 * 29 + 10).fill(7);
      const viaOut = await b.matmul(A, B, { transB: true, out: scratch });
      expect([...viaOut.data]).toEqual([...plain.data]);
      if (b.name === "onnx" || b.name === "openblas") {
        expect(viaOut.data.buffer).toBe(scratch.buffer);
        expect(scratch[0]).toBe(plain.data[0]);
      }
    }
  });
});

describe("gaussianBlock", () => {
  it("is the rows gaussianRows draws, and the same shared block when read again", async () => {
    const { gaussianBlock, forgetRecentBlocks } = await import("../../src/tensors/data.js");
    const batch = { seed: 11, label: "test/block", d: 5, n: 600 };
    const rows = new Float32Array(300 * 5);
    gaussianRows(batch, 256, 300, rows);
    const first = gaussianBlock(batch, 256, 300);
    expect([...first]).toEqual([...rows]);
    expect(gaussianBlock(batch, 256, 300)).toBe(first); // no copy on the second read
    forgetRecentBlocks();
    const again = gaussianBlock(batch, 256, 300);
    expect(again).not.toBe(first); // drawn afresh after forgetting, with the same values
    expect([...again]).toEqual([...rows]);
  });
});

describe("streamed Gaussian data", () => {
  it("rows do not depend on the block partition and differ between labels", () => {
    const d = 7, n = 1000;
    const whole = new Float32Array(n * d);
    gaussianRows({ seed: 3, label: "x", d, n }, 0, n, whole);
    const pieces = new Float32Array(n * d);
    for (const [s, c] of [[0, 1], [1, 300], [301, 699]] as const) {
      const part = new Float32Array(c * d);
      gaussianRows({ seed: 3, label: "x", d, n }, s, c, part);
      pieces.set(part, s * d);
    }
    expect(pieces).toEqual(whole);
    const other = new Float32Array(n * d);
    gaussianRows({ seed: 3, label: "y", d, n }, 0, n, other);
    expect(other).not.toEqual(whole);
    const cover = blocks(n, 512);
    expect(cover.reduce((s, [, c]) => s + c, 0)).toBe(n);
  });
  it("are standard normal (mean, variance, kurtosis within 5 se)", () => {
    const N = 200_000, x = new Float32Array(N);
    gaussianRows({ seed: 9, label: "moments", d: 1, n: N }, 0, N, x);
    let m1 = 0, m2 = 0, m4 = 0;
    for (const v of x) { m1 += v / N; m2 += (v * v) / N; m4 += v ** 4 / N; }
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });
});

describe("memory and selection", () => {
  it("refuses a plan above the budget with the estimate in the message", () => {
    try { checkMemory([{ what: "Z", bytes: 3 * 2 ** 30 }], 2 ** 30); expect.unreachable(); } catch (e) {
      expect(isInputError(e)).toBe(true);
      expect(String((e as Error).message)).toMatch(/3\.00 GiB/);
    }
  });
  it("auto picks a backend and an unknown explicit one is an input error", async () => {
    const { backend } = await chooseBackend("auto");
    expect(BACKEND_NAMES).toContain(backend.name);
    await expect(chooseBackend("tfjs-node")).rejects.toSatisfy((e: unknown) => isInputError(e) || e instanceof Error);
  });
  it("the ONNX model is a well-formed protobuf naming its operator", () => {
    const bytes = matmulModel({ transA: true, transB: false });
    expect(Buffer.from(bytes).toString("latin1")).toContain("Gemm");
    // Gemm for the untransposed product too (onnxruntime's MatMul kernel was ~0.6x Gemm with 2 threads here)
    expect(Buffer.from(matmulModel({ transA: false, transB: false })).toString("latin1")).toContain("Gemm");
  });
});
