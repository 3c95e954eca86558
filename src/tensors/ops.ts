/**
 * The O(n p) and small dense kernels of the batch simulators, in JavaScript on float32 data with float64
 * accumulation: element-wise activations, reductions, Gram–Schmidt, a symmetric Jacobi eigensolver, a Cholesky
 * ridge solve and subspace iteration for top singular vectors.
 */

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
  for (let j = 0; j < m; j++) {
    let s = L[j * m + j]!;
    for (let k = 0; k < j; k++) s -= L[j * m + k]! ** 2;
    if (!(s > 0)) throw new RangeError(`ridge system is not positive definite at pivot ${j} (increase --ridge)`);
    const ljj = Math.sqrt(s);
    L[j * m + j] = ljj;
    // four rows at a time (each row's sum in the same order as one at a time, so the same bits; L[j, k] read once)
    const rj = j * m;
    let i = j + 1;
    for (; i + 3 < m; i += 4) {
      const r0 = i * m, r1 = r0 + m, r2 = r1 + m, r3 = r2 + m;
      let t0 = L[r0 + j]!, t1 = L[r1 + j]!, t2 = L[r2 + j]!, t3 = L[r3 + j]!;
      for (let k = 0; k < j; k++) {
        const v = L[rj + k]!;
        t0 -= L[r0 + k]! * v; t1 -= L[r1 + k]! * v; t2 -= L[r2 + k]! * v; t3 -= L[r3 + k]! * v;
      }
      L[r0 + j] = t0 / ljj; L[r1 + j] = t1 / ljj; L[r2 + j] = t2 / ljj; L[r3 + j] = t3 / ljj;
    }
    for (; i < m; i++) {
      let t = L[i * m + j]!;
      for (let k = 0; k < j; k++) t -= L[i * m + k]! * L[rj + k]!;
      L[i * m + j] = t / ljj;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < m; i++) { let t = x[i]!; for (let k = 0; k < i; k++) t -= L[i * m + k]! * x[k]!; x[i] = t / L[i * m + i]!; }
  for (let i = m - 1; i >= 0; i--) { let t = x[i]!; for (let k = i + 1; k < m; k++) t -= L[k * m + i]! * x[k]!; x[i] = t / L[i * m + i]!; }
  return x;
}

/**
 * Top-k right singular vectors of a p x d matrix A (rows of the result, k x d) and its singular values, by block
 * subspace iteration on A^T A with Rayleigh–Ritz at the end.
 */
export function topRightSingular(A: Float64Array, p: number, d: number, k: number, iterations = 60): { vectors: Float64Array; values: Float64Array } {
  const V = new Float64Array(k * d);
  for (let i = 0; i < k; i++) for (let l = 0; l < d; l++) V[i * d + l] = Math.sin(1 + 7.31 * (i + 1) * (l + 1)) + (l % (i + 2) === 0 ? 0.5 : 0);
  gramSchmidt(V, k, d);
  const AV = new Float64Array(p * k), next = new Float64Array(k === 2 ? k * d : 0);
  const apply = () => {
    // AV = A V^T (p x k), then V <- (A^T AV)^T (k x d); k = 2 (the common case) in one pass over each row of A, every
    // sum in the same order as the general loops (so the same bits)
    if (k === 2) {
      // each row of A read once: its dot products with the old V, then its share of the new V (kept apart until
      // every row is done)
      next.fill(0);
      for (let r = 0; r < p; r++) {
        let s0 = 0, s1 = 0;
        const o = r * d;
        for (let l = 0; l < d; l++) { const a = A[o + l]!; s0 += a * V[l]!; s1 += a * V[d + l]!; }
        AV[2 * r] = s0; AV[2 * r + 1] = s1;
        for (let l = 0; l < d; l++) { const a = A[o + l]!; next[l] += s0 * a; next[d + l] += s1 * a; }
      }
      V.set(next);
      return;
    }
    for (let r = 0; r < p; r++) for (let i = 0; i < k; i++) { let s = 0; for (let l = 0; l < d; l++) s += A[r * d + l]! * V[i * d + l]!; AV[r * k + i] = s; }
    V.fill(0);
    for (let r = 0; r < p; r++) for (let i = 0; i < k; i++) { const c = AV[r * k + i]!; for (let l = 0; l < d; l++) V[i * d + l] += c * A[r * d + l]!; }
  };
  for (let it = 0; it < iterations; it++) { apply(); gramSchmidt(V, k, d); }
  // Rayleigh–Ritz: eigen-decompose the k x k matrix (A V^T)^T (A V^T)
  for (let r = 0; r < p; r++) for (let i = 0; i < k; i++) { let s = 0; for (let l = 0; l < d; l++) s += A[r * d + l]! * V[i * d + l]!; AV[r * k + i] = s; }
  const B = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) { let s = 0; for (let r = 0; r < p; r++) s += AV[r * k + i]! * AV[r * k + j]!; B[i * k + j] = s; }
  const { values, vectors: E } = symmetricEigen(B, k);
  const out = new Float64Array(k * d);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) { const c = E[i * k + j]!; for (let l = 0; l < d; l++) out[i * d + l] += c * V[j * d + l]!; }
  return { vectors: out, values: values.map((v) => Math.sqrt(Math.max(0, v))) };
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
