// The float64 product check shared by the backend tests: C = A B^T (A ra x k, B rb x k) against a direct float64 dot
// product, as the worst error relative to sum |a b| over the entries.
import type { TensorBackend } from "../../src/tensors/backend.js";

export async function float64ProductError(productF64: NonNullable<TensorBackend["productF64"]>): Promise<{ length: number; expected: number; worst: number }> {
  const [ra, k, rb] = [37, 129, 53];
  const A = Float64Array.from({ length: ra * k }, (_, i) => Math.sin(1 + i * 0.731) / 3), B = Float64Array.from({ length: rb * k }, (_, i) => Math.cos(2 + i * 1.37) / 7);
  const C = await productF64(A, ra, k, B, rb);
  let worst = 0;
  for (let i = 0; i < ra; i++) for (let j = 0; j < rb; j++) {
    let s = 0, scale = 0;
    for (let l = 0; l < k; l++) { s += A[i * k + l]! * B[j * k + l]!; scale += Math.abs(A[i * k + l]! * B[j * k + l]!); }
    worst = Math.max(worst, Math.abs(C[i * rb + j]! - s) / scale);
  }
  return { length: C.length, expected: ra * rb, worst };
}
