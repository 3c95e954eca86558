/**
 * The tensor backend: the one heavy operation of the batch simulators, the (transposed) matrix product, behind an
 * interface with interchangeable implementations chosen at run time. Everything that is O(n p) or smaller
 * (activations, residuals, reductions, orthonormalisation) lives in ./ops.ts and runs in JavaScript on float32
 * arrays with float64 accumulation: those would cost as much to copy into a backend as to compute.
 *
 * Preference order for `auto` (measured by `npm run bench`, sections batch and issue18-dense, on the 2-core build
 * machine): openblas (the system's OpenBLAS through koffi, when both are installed: numpy's own kernels) >
 * tfjs-node (native TensorFlow, when it loads; it does not install here, so it was never measured against openblas)
 * > onnxruntime-node (MLAS SGEMM) > tfjs-wasm (XNNPACK, single thread) > js-cpu (blocked JavaScript, float64
 * accumulation).
 */
import type { Matrix } from "./matrix.js";

/**
 * A tensor backend implementation: OpenBLAS (FFI), native TensorFlow, onnxruntime (MLAS), TensorFlow.js WebAssembly,
 * or pure JS.
 */
export type BackendName = "openblas" | "tfjs-node" | "onnx" | "tfjs-wasm" | "js-cpu";
/** Every backend name, in the measured preference order. */
export const BACKEND_NAMES: readonly BackendName[] = ["openblas", "tfjs-node", "onnx", "tfjs-wasm", "js-cpu"];

/** Transposes applied to the operands of {@link TensorBackend.matmul}. */
export interface MatmulOptions {
  /** Use A^T (A stored k x m). */
  readonly transA?: boolean;
  /** Use B^T (B stored n x k). */
  readonly transB?: boolean;
  /**
   * Scratch for the result (length >= m n): a backend may write C into it (onnxruntime does: no output allocated and
   * copied out of the runtime), so its previous contents are lost; the result is the returned matrix either way.
   */
  readonly out?: Float32Array;
}

/**
 * A matrix-product engine C = op(A) op(B) on float32 matrices, interchangeable at run time (see the module comment
 * for the measured preference order).
 */
export interface TensorBackend {
  /** Which implementation this is. */
  readonly name: BackendName;
  /** Library and version, threads. */
  readonly detail: string;
  /** C = op(A) op(B), float32 in and out. */
  matmul(a: Matrix, b: Matrix, options?: MatmulOptions): Promise<Matrix>;
  /**
   * C = A B^T in float64 (A ra x k, B rb x k, row-major), when the backend has a double-precision GEMM (openblas's
   * dgemm, onnxruntime's double Gemm):
   * the trailing updates of the blocked Cholesky of the ridge refit (ops.ts, choleskySolveBlocked).
   */
  readonly productF64?: (a: Float64Array, ra: number, k: number, b: Float64Array, rb: number) => Promise<Float64Array>;
  /** Release native resources (sessions, tensors). */
  dispose(): Promise<void>;
}

/** Shapes of op(A) op(B): [m, k, n], or a RangeError naming the mismatch. */
export function productShape(a: Matrix, b: Matrix, options: MatmulOptions = {}): [number, number, number] {
  const [m, ka] = options.transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = options.transB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (ka !== kb) throw new RangeError(`matmul: inner dimensions differ (${ka} vs ${kb})`);
  return [m, ka, n];
}

/**
 * The same backend, counting the floating-point operations of its products (2 m k n each): what a simulator divides
 * by its wall time to report its achieved GFLOP/s.
 */
export function countingFlops(backend: TensorBackend): { readonly backend: TensorBackend; readonly flops: () => number } {
  let flops = 0;
  return {
    backend: {
      name: backend.name, detail: backend.detail, dispose: () => backend.dispose(),
      matmul: (a, b, options) => { const [m, k, n] = productShape(a, b, options); flops += 2 * m * k * n; return backend.matmul(a, b, options); },
      ...(backend.productF64 ? { productF64: (a: Float64Array, ra: number, k: number, b: Float64Array, rb: number) => { flops += 2 * ra * k * rb; return backend.productF64!(a, ra, k, b, rb); } } : {}),
    },
    flops: () => flops,
  };
}
