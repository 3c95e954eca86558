/**
 * Pure JavaScript matrix product, the always-available last resort and the float64 reference. Each output row is
 * accumulated in a Float64Array (float64 accumulation), the inner loop runs over contiguous memory for every
 * transpose combination, and the k dimension is blocked so the touched rows of B stay in cache.
 */
import type { MatmulOptions, TensorBackend } from "./backend.js";
import { productShape } from "./backend.js";
import { matrix, type Matrix } from "./matrix.js";

type Dense = { readonly rows: number; readonly cols: number; readonly data: Float32Array | Float64Array };

const K_BLOCK = 256;

/** C = op(A) op(B) accumulated in float64 into `out` (length m * n), for float32 or float64 inputs. */
export function matmulInto(a: Dense, b: Dense, out: Float32Array | Float64Array, options: MatmulOptions = {}): void {
  const [m, k, n] = productShape(a as Matrix, b as Matrix, options);
  const A = a.data, B = b.data;
  const row = new Float64Array(n);
  if (options.transB) {
    // C[i, j] = sum_l op(A)[i, l] B[j, l]: dot products of contiguous rows of B
    const ai = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      if (options.transA) for (let l = 0; l < k; l++) ai[l] = A[l * m + i]!;
      else for (let l = 0; l < k; l++) ai[l] = A[i * k + l]!;
      for (let j = 0; j < n; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, l = 0;
        const off = j * k;
        for (; l + 3 < k; l += 4) {
          s0 += ai[l]! * B[off + l]!; s1 += ai[l + 1]! * B[off + l + 1]!;
          s2 += ai[l + 2]! * B[off + l + 2]!; s3 += ai[l + 3]! * B[off + l + 3]!;
        }
        for (; l < k; l++) s0 += ai[l]! * B[off + l]!;
        out[i * n + j] = s0 + s1 + s2 + s3;
      }
    }
    return;
  }
  if (options.transA) {
    // C += A[l, :]^T B[l, :] row by row of A and B (both contiguous), accumulated in a float64 m x n buffer
    const C = new Float64Array(m * n);
    for (let l = 0; l < k; l++) {
      const offB = l * n, offA = l * m;
      for (let i = 0; i < m; i++) {
        const s = A[offA + i]!;
        if (s === 0) continue;
        const offC = i * n;
        for (let j = 0; j < n; j++) C[offC + j] += s * B[offB + j]!;
      }
    }
    out.set(C);
    return;
  }
  // C[i, :] += A[i, l] * B[l, :]: axpy over contiguous rows of B, k blocked
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let l0 = 0; l0 < k; l0 += K_BLOCK) {
      const l1 = Math.min(k, l0 + K_BLOCK);
      for (let l = l0; l < l1; l++) {
        const s = A[i * k + l]!;
        if (s === 0) continue;
        const off = l * n;
        for (let j = 0; j < n; j++) row[j] += s * B[off + j]!;
      }
    }
    out.set(row, i * n);
  }
}

/**
 * The pure-JavaScript backend: blocked row-major matrix product with float64 accumulation (always available).
 */
export function createJsCpuBackend(): TensorBackend {
  return {
    name: "js-cpu",
    detail: "pure JavaScript, float64 accumulation, single thread",
    async matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Promise<Matrix> {
      const [m, , n] = productShape(a, b, options);
      const out = matrix(m, n);
      matmulInto(a, b, out.data, options);
      return out;
    },
    async dispose() {},
  };
}
