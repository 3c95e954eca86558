/**
 * onnxruntime-node backend: one inference session per transpose pattern (symbolic shapes, so every shape reuses it),
 * each a hand-encoded one-node ONNX graph (./onnxModel.ts) that onnxruntime runs with its MLAS SGEMM kernels, its
 * intra-op threads blocking (not spinning) while they wait for the next product.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import type { MatmulOptions, TensorBackend } from "./backend.js";
import { productShape } from "./backend.js";
import { matrix, type Matrix } from "./matrix.js";
import { matmulModel } from "./onnxModel.js";

type Ort = typeof import("onnxruntime-node");

/**
 * The onnxruntime-node backend (MLAS SGEMM), one inference session per transpose pattern.
 * @param threads intra-op threads (default: the available parallelism).
 * @throws Error when onnxruntime-node does not load here.
 */
export async function createOnnxBackend(threads = availableParallelism()): Promise<TensorBackend> {
  const ort: Ort = await import("onnxruntime-node");
  const version = (() => {
    try { return (createRequire(import.meta.url)("onnxruntime-node/package.json") as { version: string }).version; } catch { return "?"; }
  })();
  const sessions = new Map<string, Promise<import("onnxruntime-node").InferenceSession>>();
  const session = (transA: boolean, transB: boolean, type: "float32" | "float64" = "float32") => {
    const key = `${transA ? "T" : "N"}${transB ? "T" : "N"}${type}`;
    let s = sessions.get(key);
    if (!s) {
      s = ort.InferenceSession.create(matmulModel({ transA, transB, type }), {
        intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all", executionMode: "sequential",
        // intra-op threads block instead of spinning between products: the batch simulators do JavaScript work between
        // two matmuls, during which spinning workers burned CPU (and, on a shared machine, the main thread's share):
        // one giant step d = 512, p = 1024, n = 3326 took 1.29-1.37 CPU-s blocking against 1.56-1.60 spinning, n = 29532
        // 4.45 against 4.75, interleaved runs on 2 shared cores
        extra: { session: { intra_op: { allow_spinning: "0" } } },
      });
      sessions.set(key, s);
    }
    return s;
  };
  return {
    name: "onnx",
    detail: `onnxruntime-node ${version} (MLAS SGEMM, ${threads} threads)`,
    async matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Promise<Matrix> {
      const [m, , n] = productShape(a, b, options);
      const s = await session(!!options.transA, !!options.transB);
      const feeds = {
        A: new ort.Tensor("float32", a.data, [a.rows, a.cols]),
        B: new ort.Tensor("float32", b.data, [b.rows, b.cols]),
      };
      if (options.out && options.out.length >= m * n) {
        // the caller's scratch as the output tensor: onnxruntime writes into it, nothing is allocated or copied
        const data = options.out.subarray(0, m * n);
        await s.run(feeds, { Y: new ort.Tensor("float32", data, [m, n]) });
        return matrix(m, n, data);
      }
      const out = await s.run(feeds);
      const y = out.Y!;
      const data = y.data as Float32Array;
      y.dispose?.();
      return matrix(m, n, data);
    },
    // float64 A B^T (onnxruntime's double Gemm): the blocked Cholesky's trailing updates
    async productF64(a: Float64Array, ra: number, k: number, b: Float64Array, rb: number): Promise<Float64Array> {
      const s = await session(false, true, "float64");
      const out = await s.run({ A: new ort.Tensor("float64", a, [ra, k]), B: new ort.Tensor("float64", b, [rb, k]) });
      const y = out.Y!;
      const data = y.data as Float64Array;
      y.dispose?.();
      return data;
    },
    async dispose() {
      for (const s of sessions.values()) await (await s).release();
      sessions.clear();
    },
  };
}
