import { describe, expect, it } from "vitest";
import { BLOCKED_CHOLESKY_MIN, choleskyInPlace, choleskySolve, choleskySolveBlocked, principalCosines, topRightSingular } from "../../src/tensors/ops.js";
import { Xoshiro128 } from "../../src/numeric/xoshiro.js";

const rng = (replicate: number) => Xoshiro128.forKey({ masterSeed: 7, configuration: "ops.test", replicate });

/** Q (rows x cols) with orthonormal columns, by Gram–Schmidt on Gaussian columns. */
function orthonormalColumns(rows: number, cols: number, r: Xoshiro128): Float64Array {
  const Q = new Float64Array(rows * cols);
  for (let i = 0; i < Q.length; i++) Q[i] = r.normal();
  for (let j = 0; j < cols; j++) {
    for (let pass = 0; pass < 2; pass++) for (let i = 0; i < j; i++) {
      let t = 0;
      for (let l = 0; l < rows; l++) t += Q[l * cols + j]! * Q[l * cols + i]!;
      for (let l = 0; l < rows; l++) Q[l * cols + j] -= t * Q[l * cols + i]!;
    }
    let n = 0;
    for (let l = 0; l < rows; l++) n += Q[l * cols + j]! ** 2;
    for (let l = 0; l < rows; l++) Q[l * cols + j] /= Math.sqrt(n);
  }
  return Q;
}

/** A = U diag(s) V^T (p x d) with known singular values s (descending) and right singular vectors V (d x r). */
function withSpectrum(p: number, d: number, s: number[], seed: number): { A: Float64Array; V: Float64Array } {
  const r = s.length;
  const U = orthonormalColumns(p, r, rng(seed)), V = orthonormalColumns(d, r, rng(seed + 1));
  const A = new Float64Array(p * d);
  for (let i = 0; i < p; i++) for (let l = 0; l < d; l++) {
    let t = 0;
    for (let j = 0; j < r; j++) t += U[i * r + j]! * s[j]! * V[l * r + j]!;
    A[i * d + l] = t;
  }
  return { A, V };
}

describe("topRightSingular (Lanczos on A^T A)", () => {
  it("recovers a known top-2 right singular space and its values, with a spectrum as crowded as the giant step's", () => {
    const p = 120, d = 80;
    // a spike, a second value 1.11x the third (the giant step's s2/s3 at d = 512, n = 3326), then a bulk
    const s = [111, 12.7, 11.5, ...Array.from({ length: 60 }, (_, i) => 10.3 - 0.15 * i)];
    const { A, V } = withSpectrum(p, d, s, 1);
    const { vectors, values } = topRightSingular(A, p, d, 2);
    expect(values[0]).toBeCloseTo(111, 8);
    expect(values[1]).toBeCloseTo(12.7, 8);
    // principal cosines between the result and the exact span(V[:, 0..1]) are 1 to the stopping tolerance
    const exact = new Float64Array(2 * d);
    for (let j = 0; j < 2; j++) for (let l = 0; l < d; l++) exact[j * d + l] = V[l * s.length + j]!;
    for (const c of principalCosines(vectors, exact, 2, d)) expect(1 - c).toBeLessThan(1e-12);
    // a third direction is NOT in the result: the check can fail
    const third = new Float64Array(2 * d);
    for (let l = 0; l < d; l++) { third[l] = V[l * s.length]!; third[d + l] = V[l * s.length + 2]!; }
    expect(Math.min(...principalCosines(vectors, third, 2, d))).toBeLessThan(1e-6);
  });
  it("returns k orthonormal rows for a rank-1 matrix and for A = 0", () => {
    const p = 30, d = 12;
    for (const A of [withSpectrum(p, d, [3], 5).A, new Float64Array(p * d)]) {
      const { vectors, values } = topRightSingular(A, p, d, 3);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
        let t = 0;
        for (let l = 0; l < d; l++) t += vectors[i * d + l]! * vectors[j * d + l]!;
        expect(t).toBeCloseTo(i === j ? 1 : 0, 10);
      }
      expect(values.every((v) => Number.isFinite(v))).toBe(true);
    }
  });
});

describe("Cholesky", () => {
  for (const m of [1, 2, 7, 8, 33]) {
    it(`solves (G + diag(penalty)) x = b to rounding at order ${m} (odd and even orders, the two-column and the last-column paths)`, () => {
      const r = rng(100 + m), n = m + 3;
      const X = Float64Array.from({ length: n * m }, () => r.normal());
      const G = new Float64Array(m * m);
      for (let t = 0; t < n; t++) for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) G[i * m + j] += X[t * m + i]! * X[t * m + j]!;
      const b = Float64Array.from({ length: m }, () => r.normal()), penalty = new Float64Array(m).fill(0.25);
      const x = choleskySolve(G, b, m, penalty);
      for (let i = 0; i < m; i++) {
        let t = penalty[i]! * x[i]!;
        for (let j = 0; j < m; j++) t += G[i * m + j]! * x[j]!;
        expect(Math.abs(t - b[i]!)).toBeLessThan(1e-10 * (1 + Math.abs(b[i]!)));
      }
    });
  }
  it("the blocked factorisation (trailing updates by a float64 A B^T) solves the same system as the unblocked one, panels of odd width included", async () => {
    const m = BLOCKED_CHOLESKY_MIN + 45, r = rng(9), n = m + 20;
    const X = Float64Array.from({ length: n * m }, () => r.normal());
    const G = new Float64Array(m * m);
    for (let t = 0; t < n; t++) for (let i = 0; i < m; i++) { const x = X[t * m + i]!; for (let j = 0; j < m; j++) G[i * m + j] += x * X[t * m + j]!; }
    const b = Float64Array.from({ length: m }, () => r.normal()), penalty = new Float64Array(m).fill(1);
    let calls = 0;
    const product = async (a: Float64Array, ra: number, k: number, c: Float64Array, rc: number) => {
      calls++;
      const out = new Float64Array(ra * rc);
      for (let i = 0; i < ra; i++) for (let j = 0; j < rc; j++) { let s = 0; for (let l = 0; l < k; l++) s += a[i * k + l]! * c[j * k + l]!; out[i * rc + j] = s; }
      return out;
    };
    const x = await choleskySolveBlocked(G, b, m, penalty, product, 37);
    const y = choleskySolve(G, b, m, penalty);
    expect(calls).toBe(Math.ceil(m / 37) - 1);
    for (let i = 0; i < m; i++) expect(Math.abs(x[i]! - y[i]!)).toBeLessThan(1e-9 * (1 + Math.abs(y[i]!)));
    // a wrong product (the update dropped) gives a different solution: the comparison can fail
    const wrong = await choleskySolveBlocked(G, b, m, penalty, async (_a, ra, _k, _c, rc) => new Float64Array(ra * rc), 37).catch(() => null);
    expect(wrong === null || wrong.some((v, i) => Math.abs(v - y[i]!) > 1e-6)).toBe(true);
  });
  it("refuses a matrix that is not positive definite, naming the pivot", () => {
    const L = Float64Array.from([1, 2, 2, 1]); // eigenvalues 3 and -1
    expect(() => choleskyInPlace(L, 2)).toThrow(/pivot 1/);
  });
});
