/**
 * The O(n p) and small dense kernels of the batch simulators, in JavaScript on float32 data with float64
 * accumulation: element-wise activations, reductions, Gram–Schmidt, a symmetric Jacobi eigensolver, a Cholesky
 * ridge solve and Lanczos for top singular vectors.
 */
import { symmetricEigenQL } from "./tridiagonalEigen.js";

/** out[i] = f(x[i]). */
export function mapInto(x: Float32Array, f: (v: number) => number, out: Float32Array = new Float32Array(x.length)): Float32Array {
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

/** Sum in float64 (pairwise over blocks of 1024 to keep the rounding error O(log n) blocks). */
export function sum(x: ArrayLike<number>): number {
  let total = 0;
  for (let s = 0; s < x.length; s += 1024) {
    let part = 0;
    const e = Math.min(x.length, s + 1024);
    for (let i = s; i < e; i++) part += x[i]!;
    total += part;
  }
  return total;
}

/** Whether every entry is finite (no NaN or +-Infinity). */
export function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}

/** Rows of `v` (k x d, row-major) orthonormalised in place by modified Gram–Schmidt (twice, for stability). */
export function gramSchmidt(v: Float64Array, k: number, d: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let l = 0; l < d; l++) dot += v[i * d + l]! * v[j * d + l]!;
        for (let l = 0; l < d; l++) v[i * d + l]! -= dot * v[j * d + l]!;
      }
      let norm = 0;
      for (let l = 0; l < d; l++) norm += v[i * d + l]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let l = 0; l < d; l++) v[i * d + l]! /= norm;
    }
  }
}

/** Eigen-decomposition of a symmetric n x n matrix by cyclic Jacobi rotations: values descending, vectors as rows. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i * n + j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q]! - A[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p]!, akq = A[k * n + q]!;
          A[k * n + p] = c * akp - s * akq; A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k]!, aqk = A[q * n + k]!;
          A[p * n + k] = c * apk - s * aqk; A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vpk = V[p * n + k]!, vqk = V[q * n + k]!;
          V[p * n + k] = c * vpk - s * vqk; V[q * n + k] = s * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[j * n + j]! - A[i * n + i]!);
  const values = Float64Array.from(order, (i) => A[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((i, r) => vectors.set(V.subarray(i * n, i * n + n), r * n));
  return { values, vectors };
}

/**
 * Solve (G + diag(penalty)) x = b for a symmetric positive (semi)definite G (m x m) by Cholesky, in float64.
 * Throws when the penalised matrix is not positive definite.
 */
export function choleskySolve(G: Float64Array, b: Float64Array, m: number, penalty: Float64Array): Float64Array {
  const L = Float64Array.from(G);
  for (let i = 0; i < m; i++) L[i * m + i] += penalty[i]!;
  choleskyInPlace(L, m);
  return triangularSolves(L, b, m);
}

/**
 * Lower Cholesky factor of the symmetric m x m matrix L (row-major, lower triangle read) in place, left-looking and
 * row-oriented, two columns at a time: for columns j, j + 1 every row i below reads L[i, 0..j) once for both dot
 * products (a 4-row x 2-column register block: 6 loads for 8 multiply-adds, and half the passes over the factor of
 * one column at a time). Throws when a pivot is not positive.
 */
export function choleskyInPlace(L: Float64Array, m: number): void {
  choleskyColumns(L, m, 0, m);
}

/**
 * Columns [j0, j1) of the Cholesky factor, every row below included, from the entries of L already reduced by the
 * columns before j0 (sums over k in [j0, j) only): choleskyColumns(L, m, 0, m) is the whole factorisation, and a
 * blocked one calls it per panel after the panel's trailing update.
 */
function choleskyColumns(L: Float64Array, m: number, j0: number, j1: number): void {
  const pivot = (s: number, j: number) => {
    if (!(s > 0)) throw new RangeError(`ridge system is not positive definite at pivot ${j} (increase --ridge)`);
    return Math.sqrt(s);
  };
  let j = j0;
  for (; j + 1 < j1; j += 2) {
    const rj = j * m, rj1 = rj + m;
    // rows j and j + 1 themselves
    let sjj = L[rj + j]!, t10 = L[rj1 + j]!;
    for (let k = j0; k < j; k++) { const v = L[rj + k]!; sjj -= v * v; t10 -= L[rj1 + k]! * v; }
    const ljj = pivot(sjj, j);
    L[rj + j] = ljj;
    const l10 = t10 / ljj;
    L[rj1 + j] = l10;
    let s11 = L[rj1 + j + 1]!;
    for (let k = j0; k <= j; k++) { const v = L[rj1 + k]!; s11 -= v * v; }
    const l11 = pivot(s11, j + 1);
    L[rj1 + j + 1] = l11;
    let i = j + 2;
    for (; i + 3 < m; i += 4) {
      const r0 = i * m, r1 = r0 + m, r2 = r1 + m, r3 = r2 + m;
      let a0 = L[r0 + j]!, a1 = L[r1 + j]!, a2 = L[r2 + j]!, a3 = L[r3 + j]!;
      let b0 = L[r0 + j + 1]!, b1 = L[r1 + j + 1]!, b2 = L[r2 + j + 1]!, b3 = L[r3 + j + 1]!;
      for (let k = j0; k < j; k++) {
        const v = L[rj + k]!, w = L[rj1 + k]!;
        const x0 = L[r0 + k]!, x1 = L[r1 + k]!, x2 = L[r2 + k]!, x3 = L[r3 + k]!;
        a0 -= x0 * v; a1 -= x1 * v; a2 -= x2 * v; a3 -= x3 * v;
        b0 -= x0 * w; b1 -= x1 * w; b2 -= x2 * w; b3 -= x3 * w;
      }
      a0 /= ljj; a1 /= ljj; a2 /= ljj; a3 /= ljj;
      L[r0 + j] = a0; L[r1 + j] = a1; L[r2 + j] = a2; L[r3 + j] = a3;
      L[r0 + j + 1] = (b0 - a0 * l10) / l11; L[r1 + j + 1] = (b1 - a1 * l10) / l11;
      L[r2 + j + 1] = (b2 - a2 * l10) / l11; L[r3 + j + 1] = (b3 - a3 * l10) / l11;
    }
    for (; i < m; i++) {
      const r0 = i * m;
      let a0 = L[r0 + j]!, b0 = L[r0 + j + 1]!;
      for (let k = j0; k < j; k++) { const x0 = L[r0 + k]!; a0 -= x0 * L[rj + k]!; b0 -= x0 * L[rj1 + k]!; }
      a0 /= ljj;
      L[r0 + j] = a0;
      L[r0 + j + 1] = (b0 - a0 * l10) / l11;
    }
  }
  if (j < j1) {
    // one column left (an odd number of columns): its diagonal, then the rows below
    const rj = j * m;
    let s = L[rj + j]!;
    for (let k = j0; k < j; k++) s -= L[rj + k]! ** 2;
    const ljj = pivot(s, j);
    L[rj + j] = ljj;
    for (let i = j + 1; i < m; i++) {
      const r0 = i * m;
      let t = L[r0 + j]!;
      for (let k = j0; k < j; k++) t -= L[r0 + k]! * L[rj + k]!;
      L[r0 + j] = t / ljj;
    }
  }
}

/** C = A B^T in float64 (A ra x k, B rb x k, C ra x rb, all row-major): a backend's double-precision product. */
export type ProductF64 = (a: Float64Array, ra: number, k: number, b: Float64Array, rb: number) => Promise<Float64Array>;

/** Order from which {@link choleskySolveBlocked} hands the trailing updates to a float64 product. */
export const BLOCKED_CHOLESKY_MIN = 256;

/**
 * choleskySolve with the factorisation blocked by panels of `nb` columns (right-looking): each panel is factored by
 * the two-column kernel, then the trailing matrix is reduced by P P^T (P the panel's rows below it) computed by
 * `product`, a float64 GEMM (onnxruntime's: 25-38 GFLOP per CPU-second here against the JavaScript kernel's 6), which
 * does the O(m^3) part; every other step, and the sums over each panel's own columns, stay in JavaScript float64.
 * The same factor to rounding as the unblocked one (sums regrouped by panel), below BLOCKED_CHOLESKY_MIN the unblocked
 * one itself.
 */
export async function choleskySolveBlocked(G: Float64Array, b: Float64Array, m: number, penalty: Float64Array, product: ProductF64, nb = 128): Promise<Float64Array> {
  if (m < BLOCKED_CHOLESKY_MIN) return choleskySolve(G, b, m, penalty);
  const L = Float64Array.from(G);
  for (let i = 0; i < m; i++) L[i * m + i] += penalty[i]!;
  for (let j0 = 0; j0 < m; j0 += nb) {
    const j1 = Math.min(m, j0 + nb), w = j1 - j0, r = m - j1;
    choleskyColumns(L, m, j0, j1);
    if (r === 0) break;
    const P = new Float64Array(r * w);
    for (let i = 0; i < r; i++) P.set(L.subarray((j1 + i) * m + j0, (j1 + i) * m + j1), i * w);
    const S = await product(P, r, w, P, r);
    for (let i = 0; i < r; i++) {
      const row = (j1 + i) * m + j1, srow = i * r;
      for (let l = 0; l <= i; l++) L[row + l] -= S[srow + l]!;
    }
  }
  return triangularSolves(L, b, m);
}

/** x = (L L^T)^{-1} b for the lower factor L (m x m, row-major). */
function triangularSolves(L: Float64Array, b: Float64Array, m: number): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < m; i++) { let t = x[i]!; for (let k = 0; k < i; k++) t -= L[i * m + k]! * x[k]!; x[i] = t / L[i * m + i]!; }
  // L^T x = y by columns of L^T, i.e. rows of L (contiguous; a row-oriented L^T solve reads L with a stride of m)
  for (let i = m - 1; i >= 0; i--) {
    const xi = x[i]! / L[i * m + i]!;
    x[i] = xi;
    const o = i * m;
    for (let k = 0; k < i; k++) x[k] -= L[o + k]! * xi;
  }
  return x;
}

/**
 * Top-k right singular vectors of a p x d matrix A (rows of the result, k x d) and its singular values, by Lanczos
 * on A^T A with full reorthogonalisation (each step one pass over A: A q, then A^T (A q)), stopped when the Ritz
 * residuals bound the angle between the computed and the exact top-k subspace (residual / gap, Davis–Kahan) by
 * `tol`, or when the Krylov space is all of R^d. A Krylov space of dimension m converges at the Chebyshev rate
 * exp(-2 m sqrt(gap / spread)) where subspace iteration with k vectors converges at (s_{k+1} / s_k)^{2m}: for the
 * giant step at d = 512, p = 1024, n = 3326 (s_3^2 / s_2^2 = 0.82) about 40 steps of one vector reach an angle of
 * 1e-10, where 60 iterations on two vectors (twice the work each) stopped at 2e-6.
 * An invariant subspace found before k vectors (rank of A below k, or A = 0) is continued from a coordinate vector
 * orthogonal to it, so the result is always k orthonormal rows. The start vector has every coordinate nonzero, so
 * every singular direction is reached, except that a singular value of exact multiplicity r > 1 is found once (a
 * single-vector Krylov space holds one vector of each eigenspace): the subspace is then one of the valid choices
 * only if the repeated value is not the k-th.
 */
export function topRightSingular(A: Float64Array, p: number, d: number, k: number, tol = 1e-10): { vectors: Float64Array; values: Float64Array } {
  const maxSteps = d;
  const Q = new Float64Array(maxSteps * d);
  const alpha: number[] = [], beta: number[] = [];
  const u = new Float64Array(p), w = new Float64Array(d);
  // deterministic start: every coordinate present (a vector orthogonal to a singular vector would never find it)
  let q = Q.subarray(0, d);
  for (let l = 0; l < d; l++) q[l] = 1 + 0.5 * Math.sin(1 + 7.31 * (l + 1));
  normalise(q);
  let fresh = 0; // coordinate vectors tried after an invariant subspace
  let ritz: { values: Float64Array; vectors: Float64Array } | null = null;
  for (let j = 0; j < maxSteps; j++) {
    q = Q.subarray(j * d, j * d + d);
    gramApply(A, p, d, q, u, w);
    let a = 0;
    for (let l = 0; l < d; l++) a += w[l]! * q[l]!;
    alpha.push(a);
    // full reorthogonalisation, twice (Kahan's "twice is enough"), against every Lanczos vector so far
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i <= j; i++) {
        const qi = Q.subarray(i * d, i * d + d);
        let t = 0;
        for (let l = 0; l < d; l++) t += w[l]! * qi[l]!;
        for (let l = 0; l < d; l++) w[l] -= t * qi[l]!;
      }
    }
    let b = Math.sqrt(dot(w, w));
    const m = j + 1;
    const scale = Math.max(Math.abs(alpha[0]!), ...alpha.map(Math.abs), 1e-300);
    const invariant = !(b > 1e-13 * scale);
    if (m >= k && (m % 4 === 0 || invariant || m === maxSteps)) {
      ritz = tridiagonalRitz(alpha, beta, m);
      const gap = m > k ? ritz.values[k - 1]! - ritz.values[k]! : Infinity;
      let worst = 0;
      for (let i = 0; i < k; i++) worst = Math.max(worst, (invariant ? 0 : b) * Math.abs(ritz.vectors[i * m + m - 1]!));
      if (m === maxSteps || (invariant && m >= k) || worst <= tol * Math.max(gap, 1e-300) || (gap === Infinity && worst <= tol * scale)) {
        return ritzVectors(Q, ritz, m, d, k);
      }
    }
    if (j + 1 === maxSteps) break;
    const next = Q.subarray((j + 1) * d, (j + 2) * d);
    if (invariant) {
      // continue from the next coordinate vector with a component outside span(Q)
      b = 0;
      for (; fresh < d && b <= 1e-8; fresh++) {
        next.fill(0); next[fresh] = 1;
        for (let pass = 0; pass < 2; pass++) for (let i = 0; i <= j; i++) {
          const qi = Q.subarray(i * d, i * d + d);
          const t = dot(next, qi);
          for (let l = 0; l < d; l++) next[l] -= t * qi[l]!;
        }
        b = Math.sqrt(dot(next, next));
      }
      normalise(next);
      beta.push(0);
    } else {
      for (let l = 0; l < d; l++) next[l] = w[l]! / b;
      beta.push(b);
    }
  }
  ritz = tridiagonalRitz(alpha, beta, alpha.length);
  return ritzVectors(Q, ritz, alpha.length, d, k);
}

/** w = A^T (A q) for A p x d (row-major), u = A q: each row of A read once for both products. */
function gramApply(A: Float64Array, p: number, d: number, q: Float64Array, u: Float64Array, w: Float64Array): void {
  w.fill(0);
  for (let r = 0; r < p; r++) {
    const o = r * d;
    let s0 = 0, s1 = 0;
    let l = 0;
    for (; l + 1 < d; l += 2) { s0 += A[o + l]! * q[l]!; s1 += A[o + l + 1]! * q[l + 1]!; }
    for (; l < d; l++) s0 += A[o + l]! * q[l]!;
    const s = s0 + s1;
    u[r] = s;
    for (l = 0; l < d; l++) w[l] += s * A[o + l]!;
  }
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let l = 0; l < x.length; l++) s += x[l]! * y[l]!;
  return s;
}

function normalise(x: Float64Array): void {
  const n = Math.sqrt(dot(x, x));
  if (n > 0) for (let l = 0; l < x.length; l++) x[l]! /= n;
}

/** Eigenpairs of the m x m Lanczos tridiagonal matrix (alpha on the diagonal, beta beside it), values descending. */
function tridiagonalRitz(alpha: readonly number[], beta: readonly number[], m: number): { values: Float64Array; vectors: Float64Array } {
  const T = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    T[i * m + i] = alpha[i]!;
    if (i + 1 < m) { T[i * m + i + 1] = beta[i]!; T[(i + 1) * m + i] = beta[i]!; }
  }
  return symmetricEigenQL(T, m);
}

/** The top-k Ritz vectors sum_j S[i, j] q_j (rows, k x d) and singular values sqrt(max(0, theta_i)). */
function ritzVectors(Q: Float64Array, ritz: { values: Float64Array; vectors: Float64Array }, m: number, d: number, k: number): { vectors: Float64Array; values: Float64Array } {
  const out = new Float64Array(k * d);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < m; j++) {
      const c = ritz.vectors[i * m + j]!;
      for (let l = 0; l < d; l++) out[i * d + l] += c * Q[j * d + l]!;
    }
  }
  gramSchmidt(out, k, d); // orthonormal to rounding (the Ritz vectors are, up to the reorthogonalisation's error)
  return { vectors: out, values: Float64Array.from(ritz.values.subarray(0, k), (v) => Math.sqrt(Math.max(0, v))) };
}

/**
 * Cosines of the principal angles between span(rows of U) (k x d, orthonormal) and span(rows of T) (k x d,
 * orthonormal): the singular values of U T^T, descending.
 */
export function principalCosines(U: Float64Array, T: Float64Array, k: number, d: number): number[] {
  const C = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) { let s = 0; for (let l = 0; l < d; l++) s += U[i * d + l]! * T[j * d + l]!; C[i * k + j] = s; }
  const CtC = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) { let s = 0; for (let r = 0; r < k; r++) s += C[r * k + i]! * C[r * k + j]!; CtC[i * k + j] = s; }
  return [...symmetricEigen(CtC, k).values].map((v) => Math.min(1, Math.sqrt(Math.max(0, v))));
}
