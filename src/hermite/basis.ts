/**
 * Probabilists' Hermite polynomials He_k (He_0 = 1, He_1 = z, He_{k+1} = z He_k - k He_{k-1}),
 * E[He_j(Z) He_k(Z)] = k! delta_jk, and the orthonormal h_k = He_k / sqrt(k!).
 * Numeric values use the normalised recurrence (stable to high degree); exact forms use BigInt coefficients.
 */
import { factorial } from "../exact/bigint.js";

/** The project's coefficient convention, printed with every coefficient. */
export const HERMITE_CONVENTION =
  "probabilists' Hermite He_k (He_0=1, He_1=z, He_{k+1}=z He_k - k He_{k-1}); c_k = E[f(Z) He_k(Z)]/sqrt(k!), Z ~ N(0,1), so f = sum_k c_k He_k/sqrt(k!) and E[f^2] = sum_k c_k^2";

/** h_0(x) .. h_K(x) into out: h_{k+1} = (x h_k - sqrt(k) h_{k-1}) / sqrt(k+1). */
export function normalizedHermiteValues(x: number, K: number, out: Float64Array, offset = 0): void {
  out[offset] = 1;
  if (K === 0) return;
  out[offset + 1] = x;
  for (let k = 1; k < K; k++) {
    out[offset + k + 1] = (x * out[offset + k]! - SQRT[k]! * out[offset + k - 1]!) * INV_SQRT[k + 1]!;
  }
}
const SQRT = Float64Array.from({ length: 1025 }, (_, k) => Math.sqrt(k));
const INV_SQRT = Float64Array.from({ length: 1025 }, (_, k) => (k === 0 ? 0 : 1 / Math.sqrt(k)));

/** Exact monomial coefficients of He_k: He_k(z) = sum_j a_j z^j. */
export function hermiteMonomialCoefficients(k: number): bigint[] {
  const cached = HE_CACHE[k];
  if (cached) return cached;
  let prev: bigint[] = [1n], cur: bigint[] = [0n, 1n];
  if (k === 0) return prev;
  for (let j = 1; j < k; j++) {
    const next: bigint[] = new Array(j + 2).fill(0n);
    for (let i = 0; i < cur.length; i++) next[i + 1]! += cur[i]!;
    for (let i = 0; i < prev.length; i++) next[i]! -= BigInt(j) * prev[i]!;
    prev = cur; cur = next;
  }
  HE_CACHE[k] = cur;
  return cur;
}
const HE_CACHE: bigint[][] = [];

/** z^n = sum_j M[n][j] He_j with M[n][j] = n! / (j! 2^((n-j)/2) ((n-j)/2)!) for n - j even. */
export function monomialInHermite(n: number): bigint[] {
  const out: bigint[] = new Array(n + 1).fill(0n);
  for (let j = n; j >= 0; j -= 2) {
    const m = (n - j) / 2;
    out[j] = factorial(n) / (factorial(j) * (1n << BigInt(m)) * factorial(m));
  }
  return out;
}
