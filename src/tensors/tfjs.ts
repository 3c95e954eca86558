/**
 * TensorFlow.js backends: `tfjs-node` (native TensorFlow; an optional dependency that may not install) and
 * `tfjs-wasm` (XNNPACK compiled to WebAssembly with SIMD; single-threaded in Node).
 */
import type { MatmulOptions, TensorBackend } from "./backend.js";
import { productShape } from "./backend.js";
import { matrix, type Matrix } from "./matrix.js";

type Tf = typeof import("@tensorflow/tfjs");

function wrap(tf: Tf, name: "tfjs-node" | "tfjs-wasm", detail: string): TensorBackend {
  return {
    name,
    detail,
    async matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Promise<Matrix> {
      const [m, , n] = productShape(a, b, options);
      const data = tf.tidy(() => {
        const A = tf.tensor2d(a.data, [a.rows, a.cols], "float32");
        const B = tf.tensor2d(b.data, [b.rows, b.cols], "float32");
        // explicit transposes: tfjs-wasm's matMul with transposeA/B set runs 10-30x slower than transpose + matMul
        // (measured at 1024 x 512 x 1024: 0.5 against 7 GFLOP/s)
        return tf.matMul(options.transA ? tf.transpose(A) : A, options.transB ? tf.transpose(B) : B);
      });
      const out = (await data.data()) as Float32Array;
      data.dispose();
      return matrix(m, n, out);
    },
    async dispose() {},
  };
}

/** Native TensorFlow through @tensorflow/tfjs-node; throws when the package or its library is missing. */
export async function createTfjsNodeBackend(): Promise<TensorBackend> {
  const tf = (await import("@tensorflow/tfjs-node" as string)) as Tf;
  await tf.setBackend("tensorflow");
  await tf.ready();
  return wrap(tf, "tfjs-node", `@tensorflow/tfjs-node ${tf.version.tfjs} (native TensorFlow)`);
}

/**
 * The TensorFlow.js WebAssembly backend (XNNPACK with SIMD, single-threaded in Node).
 * @throws Error when the wasm backend does not initialise.
 */
export async function createTfjsWasmBackend(): Promise<TensorBackend> {
  const tf: Tf = await import("@tensorflow/tfjs");
  await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("the tfjs wasm backend did not initialise");
  await tf.ready();
  return wrap(tf, "tfjs-wasm", `@tensorflow/tfjs-backend-wasm ${tf.version.tfjs} (XNNPACK, single thread)`);
}
