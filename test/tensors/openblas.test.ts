/**
 * The optional openblas backend (src/tensors/openblas.ts): agreement with a float64 reference and with onnxruntime
 * within float32 accumulation bounds on random and adversarial shapes, the simulators' results through it, and the
 * fallback to onnxruntime when koffi or the library is absent (simulated). When koffi or libopenblas is really absent
 * here the agreement tests are skipped and say so on stderr; the fallback tests run either way.
 */
import Module from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { float64ProductError } from "./productF64.js";
import type { TensorBackend } from "../../src/tensors/backend.js";
import { createBackend } from "../../src/tensors/select.js";
import { createOpenblasBackend, probeOpenblas } from "../../src/tensors/openblas.js";
import { matrix, type Matrix } from "../../src/tensors/matrix.js";
import { gaussianRows } from "../../src/tensors/data.js";
import { isInputError } from "../../src/link/errors.js";
import { simulateGiantStep, GIANT_STEP_DEFAULTS } from "../../src/simulations/batch/giantStep.js";
import { simulateBatchReuse, BATCH_REUSE_DEFAULTS } from "../../src/simulations/batch/batchReuse.js";

const openblas: TensorBackend | null = await createOpenblasBackend().catch((e: unknown) => {
  process.stderr.write(`openblas agreement tests skipped: ${(e as Error).message}\n`);
  return null;
});
const onnx: TensorBackend | null = await createBackend("onnx").catch(() => null);

function random(rows: number, cols: number, seed: number): Matrix {
  const m = matrix(rows, cols);
  gaussianRows({ seed, label: "test/openblas", d: cols, n: rows }, 0, rows, m.data);
  return m;
}

/**
 * Entrywise float64 reference of op(A) op(B) and the float32 accumulation bound of each entry: a float32 dot product
 * of length k has |error| <= gamma_k sum_l |a_l b_l| with gamma_k = k u / (1 - k u), u = 2^-24 (Higham, Accuracy and
 * Stability, Sec. 3.1), plus the rounding of the result (u |c|).
 */
function reference(A: Matrix, B: Matrix, transA: boolean, transB: boolean) {
  const m = transA ? A.cols : A.rows, k = transA ? A.rows : A.cols, n = transB ? B.rows : B.cols;
  const a = (i: number, l: number) => (transA ? A.data[l * m + i]! : A.data[i * k + l]!);
  const b = (l: number, j: number) => (transB ? B.data[j * k + l]! : B.data[l * n + j]!);
  const u = 2 ** -24, gamma = (k * u) / (1 - k * u);
  const ref = new Float64Array(m * n), bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, abs = 0;
    for (let l = 0; l < k; l++) { const p = a(i, l) * b(l, j); s += p; abs += Math.abs(p); }
    ref[i * n + j] = s; bound[i * n + j] = gamma * abs + u * Math.abs(s);
  }
  return { m, k, n, ref, bound };
}

/** The largest |C - ref| / bound over the entries (<= 1: within the float32 bound). */
function worstRatio(C: Matrix, r: ReturnType<typeof reference>): number {
  let worst = 0;
  for (let i = 0; i < r.ref.length; i++) worst = Math.max(worst, Math.abs(C.data[i]! - r.ref[i]!) / (r.bound[i]! || Number.MIN_VALUE));
  return worst;
}

// adversarial shapes: vectors, a single entry, k = 1, dimensions off every kernel tile (16, 32, 64), a long k
const SHAPES: [number, number, number][] = [[1, 257, 1], [1, 33, 515], [515, 33, 1], [1, 1, 1], [37, 1, 29], [17, 31, 47], [129, 1023, 65], [3, 4099, 5]];
const TRANSPOSES = [[false, false], [false, true], [true, false], [true, true]] as const;

describe.skipIf(!openblas)("openblas agrees with float64 and with onnxruntime within float32 accumulation bounds", () => {
  it("records itself: name openblas, the library's configuration, kernel and threads", () => {
    expect(openblas!.name).toBe("openblas");
    expect(openblas!.detail).toMatch(/^OpenBLAS \d+\.\d+\.\d+.*kernel \S+, \d+ threads/);
  });
  for (const [m, k, n] of SHAPES) {
    it(`${m}x${k}x${n}, all four transpose patterns`, async () => {
      for (const [transA, transB] of TRANSPOSES) {
        const A = transA ? random(k, m, m + k) : random(m, k, m + k);
        const B = transB ? random(n, k, n + 7) : random(k, n, n + 7);
        const r = reference(A, B, transA, transB);
        const C = await openblas!.matmul(A, B, { transA, transB });
        expect([C.rows, C.cols]).toEqual([m, n]);
        expect(worstRatio(C, r)).toBeLessThanOrEqual(1);
        if (onnx) expect(worstRatio(await onnx.matmul(A, B, { transA, transB }), r)).toBeLessThanOrEqual(1);
      }
    });
  }
  it("cancellation: rows orthogonal in exact arithmetic give |C| within the bound, not a relative 1e-7", async () => {
    // A's rows (1, t, -1, -t, ...) against B's columns of ones: exact product 0, each float32 term large
    const k = 1001, A = matrix(2, k), B = matrix(k, 3);
    for (let l = 0; l < k - 1; l++) { A.data[l] = (l % 2 ? -1 : 1) * (1 + l / 7); A.data[k + l] = (l % 2 ? -1 : 1) * 1e6; }
    A.data[k - 1] = 0; A.data[2 * k - 1] = 3;
    B.data.fill(1);
    const r = reference(A, B, false, false);
    expect(worstRatio(await openblas!.matmul(A, B), r)).toBeLessThanOrEqual(1);
  });
  it("writes into the caller's scratch, never reads it (NaN-filled), and reads views at their offset", async () => {
    const A = random(45, 33, 5), B = random(29, 33, 6);
    const plain = await openblas!.matmul(A, B, { transB: true });
    const scratch = new Float32Array(45 * 29 + 10).fill(Number.NaN);
    const viaOut = await openblas!.matmul(A, B, { transB: true, out: scratch });
    expect(viaOut.data.buffer).toBe(scratch.buffer);
    expect([...viaOut.data]).toEqual([...plain.data]);
    expect(scratch.slice(45 * 29).every(Number.isNaN)).toBe(true); // untouched past m n
    // the same operands as views into larger buffers (byteOffset != 0)
    const bigA = new Float32Array(A.data.length + 3), bigB = new Float32Array(B.data.length + 5);
    bigA.set(A.data, 3); bigB.set(B.data, 5);
    const views = await openblas!.matmul(matrix(45, 33, bigA.subarray(3)), matrix(29, 33, bigB.subarray(5)), { transB: true });
    expect([...views.data]).toEqual([...plain.data]);
  });
  it("empty products: k = 0 gives zeros, m = 0 or n = 0 an empty matrix", async () => {
    const z = await openblas!.matmul(matrix(3, 0), matrix(0, 4));
    expect([z.rows, z.cols, ...z.data]).toEqual([3, 4, ...new Array(12).fill(0)]);
    const e = await openblas!.matmul(matrix(0, 5), matrix(5, 4));
    expect([e.rows, e.cols, e.data.length]).toEqual([0, 4, 0]);
  });
  it("productF64 is A B^T in float64 (1e-13 relative, not float32's 1e-7)", async () => {
    const r = await float64ProductError(openblas!.productF64!);
    expect(r.length).toBe(r.expected);
    expect(r.worst).toBeLessThan(1e-13);
  });
  it.skipIf(!onnx)("one giant step and a batch-reuse run give onnxruntime's results to float32 accuracy, and record openblas", async () => {
    const small = { ...GIANT_STEP_DEFAULTS, target: "He(2,z)", activation: "relu(z)", d: 48, p: 96, n: 2048, nRefit: 1024, nTest: 1024, seeds: 2, masterSeed: 3, eta: "sqrt(p)" };
    const [g1, g2] = [await simulateGiantStep(small, openblas!), await simulateGiantStep(small, onnx!)];
    expect(g1.backend.name).toBe("openblas");
    expect(g2.backend.name).toBe("onnx");
    const mse1 = g1.summary!.testMSE.mean, mse2 = g2.summary!.testMSE.mean;
    expect(Math.abs(mse1 - mse2)).toBeLessThan(1e-3 * Math.abs(mse2));
    const reuse = { ...BATCH_REUSE_DEFAULTS, target: "He(3,z)/sqrt(6)", activation: "relu(z)", d: 40, p: 2, alpha: 3, eta: "0.2", steps: 3, seeds: 2, nTest: 256, masterSeed: 5 };
    const [r1, r2] = [await simulateBatchReuse(reuse, openblas!), await simulateBatchReuse(reuse, onnx!)];
    expect(r1.backend.name).toBe("openblas");
    const last = (r: typeof r1) => r.steps[r.steps.length - 1]!;
    expect(last(r1).t).toBe(last(r2).t);
    const [o1, o2] = [last(r1).overlap.mean.flat(), last(r2).overlap.mean.flat()];
    expect(o1.length).toBe(2);
    expect(o1.some((x) => Math.abs(x) > 1e-3)).toBe(true); // the overlaps moved: the comparison is not of zeros
    for (let i = 0; i < o1.length; i++) expect(Math.abs(o1[i]! - o2[i]!)).toBeLessThan(1e-3 * Math.max(0.1, Math.abs(o2[i]!)));
  });
});

describe("fallback when koffi or libopenblas is absent (simulated)", () => {
  // require("koffi") made to fail as it does when the package is not installed (Module._load: require's entry point,
  // before its caches)
  type Loader = { _load: (request: unknown, ...rest: unknown[]) => unknown };
  const load = (Module as unknown as Loader)._load;
  const saved = process.env.INDEX_LAB_OPENBLAS;
  afterEach(() => {
    (Module as unknown as Loader)._load = load;
    if (saved === undefined) delete process.env.INDEX_LAB_OPENBLAS; else process.env.INDEX_LAB_OPENBLAS = saved;
    vi.resetModules();
  });
  /** A fresh copy of the selection module (its cached OpenBLAS forgotten). */
  const fresh = async () => { vi.resetModules(); return { ...(await import("../../src/tensors/select.js")), ...(await import("../../src/link/errors.js")) }; };

  it("without koffi: auto skips openblas with the reason and takes the next backend; --backend openblas is an input error", async () => {
    (Module as unknown as Loader)._load = function (this: unknown, request: unknown, ...rest: unknown[]) {
      if (request === "koffi") throw Object.assign(new Error("Cannot find module 'koffi'"), { code: "MODULE_NOT_FOUND" });
      return load.call(this, request, ...rest);
    };
    const { chooseBackend, isInputError: isFreshInputError } = await fresh();
    const c = await chooseBackend("auto");
    expect(c.backend.name).not.toBe("openblas");
    expect(c.skipped[0]).toEqual({ name: "openblas", reason: "the optional package koffi is not installed" });
    if (onnx) expect(c.backend.name === "onnx" || c.backend.name === "tfjs-node").toBe(true);
    await expect(chooseBackend("openblas")).rejects.toSatisfy((e: unknown) => isFreshInputError(e) && /--backend openblas is not available here: the optional package koffi/.test((e as Error).message));
  });
  it("without the library: the reason names the files tried and the Debian package", async () => {
    process.env.INDEX_LAB_OPENBLAS = "/nonexistent/libopenblas.so.0";
    const { chooseBackend } = await fresh();
    const c = await chooseBackend("auto");
    expect(c.backend.name).not.toBe("openblas");
    expect(c.skipped[0]!.name).toBe("openblas");
    expect(c.skipped[0]!.reason).toMatch(/koffi is not installed|no OpenBLAS library loads \(tried \/nonexistent\/libopenblas\.so\.0\); on Debian: apt-get install libopenblas0-pthread/);
  });
  it("without the library, with koffi present (a stand-in whose load fails as dlopen does): the same reason", async () => {
    const koffi = { load: (lib: string) => { throw new Error(`${lib}: cannot open shared object file: No such file or directory`); } };
    await expect(createOpenblasBackend({ loadKoffi: () => koffi, libraries: ["/nonexistent/a.so", "libopenblas.so.0"] }))
      .rejects.toThrow("no OpenBLAS library loads (tried /nonexistent/a.so, libopenblas.so.0); on Debian: apt-get install libopenblas0-pthread (npm run setup:blas)");
  });
  it("INDEX_LAB_OPENBLAS=off disables it even after it loaded", async () => {
    process.env.INDEX_LAB_OPENBLAS = "off";
    await expect(createOpenblasBackend()).rejects.toThrow(/disabled by INDEX_LAB_OPENBLAS=off/);
    expect(probeOpenblas(true)).toEqual({ available: false, detail: "disabled by INDEX_LAB_OPENBLAS=off" }); // doctor says so too
  });
  it("a library that is not OpenBLAS is refused (no openblas_get_config)", async () => {
    const koffi = { load: () => ({ func: (proto: string) => { if (/openblas_get_config/.test(proto)) throw new Error("Cannot find function 'openblas_get_config'"); return () => 0; } }) };
    await expect(createOpenblasBackend({ loadKoffi: () => koffi, libraries: ["libblas.so.3"] })).rejects.toThrow(/tried libblas\.so\.3 \(not OpenBLAS: Cannot find function/);
  });
});
