/**
 * Rotation-invariant subspaces from the low Hermite tensors (theory notes §1.6):
 *   C_1 = E[g(z) z]            (c_{e_i}),                   the spike one giant step learns at n = Theta(d)
 *                                                           (Dandi et al. 2023, arXiv 2305.18270; notes §3.2);
 *   C_2 = E[g(z) (z z^T - I)]  (C_ii = sqrt(2) c_{2e_i}, C_ij = c_{e_i+e_j}), whose range is the subspace with
 *                                                           a non-zero second Hermite order (one step at n ~ d^2).
 * Unlike leap exponents these do not depend on the basis: they are vectors and subspaces of R^r.
 */
import type { Link } from "../link/link.js";
import type { HermiteSpectrum } from "../hermite/spectrum.js";

/**
 * The basis-free low-order Hermite structure of a link: C_1 = E[g(z) z] and C_2 = E[g(z)(z z^T - I)] with its
 * eigen-decomposition, and the dimension of the directions with a non-zero Hermite order <= 2.
 */
export interface HermiteSubspaces {
  /** C_1 = E[g(z) z] in the given coordinates. */
  readonly firstHermiteVector: number[];
  /** |C_1|. */
  readonly firstHermiteNorm: number;
  /** Unit vector along C_1 (empty when C_1 = 0 within its error bound). */
  readonly giantStepDirection: number[];
  /** C_2 = E[g(z)(z z^T - I)] (r x r). */
  readonly secondHermiteMatrix: number[][];
  /** Eigenvalues of C_2 (descending |.|) with unit eigenvectors; those with |eigenvalue| > bound span range C_2. */
  readonly secondHermiteEigen: { value: number; vector: number[] }[];
  /** Dimension of span(C_1) + range(C_2): the directions with a non-zero Hermite order <= 2. */
  readonly orderTwoRank: number;
  /** The subspaces in one sentence. */
  readonly note: string;
}

function entry(spectrum: HermiteSpectrum, alpha: number[]): { value: number; error: number } {
  const t = (spectrum.tensor ?? []).find((e) => e.alpha.length === alpha.length && e.alpha.every((a, i) => a === alpha[i]));
  return t ? { value: t.exact === "0" ? 0 : t.value, error: t.errorBound } : { value: 0, error: Infinity };
}

/** E[g(z) z] (length r); for single-index links [c_1]. */
export function firstHermiteVector(link: Link, spectrum: HermiteSpectrum): number[] {
  if (link.kind === "single") return [spectrum.maxDegree >= 1 ? spectrum.coefficients[1]! : 0];
  const r = link.dimension;
  return Array.from({ length: r }, (_, i) => entry(spectrum, Array.from({ length: r }, (_, j) => (j === i ? 1 : 0))).value);
}

/**
 * C_1 = E[g(z) z] (the spike one giant step learns at n = Theta(d); Dandi et al. 2023, arXiv 2305.18270, notes
 * §3.2) and C_2 = E[g(z)(z z^T - I)] (C_ii = sqrt(2) c_{2e_i}, C_ij = c_{e_i+e_j}; learned at n ~ d^2) from the
 * Hermite tensor; C_1 and the eigenvalues of C_2 count as non-zero only beyond 10 times their error bounds (theory
 * notes §1.6).
 * @param spectrum the link's Hermite spectrum, to degree >= 2.
 */
export function hermiteSubspaces(link: Link, spectrum: HermiteSpectrum): HermiteSubspaces {
  const r = link.dimension;
  const unit = (i: number, j: number) => Array.from({ length: r }, (_, l) => (l === i ? 1 : 0) + (l === j ? 1 : 0));
  const c1 = firstHermiteVector(link, spectrum);
  const c1err = link.kind === "single" ? spectrum.errorBounds[1] ?? 0 : Math.hypot(...c1.map((_, i) => entry(spectrum, unit(i, -1)).error));
  const norm = Math.hypot(...c1);
  const direction = norm > 10 * c1err ? c1.map((x) => x / norm) : [];
  const C2: number[][] = [];
  let c2err = 0;
  for (let i = 0; i < r; i++) {
    C2.push([]);
    for (let j = 0; j < r; j++) {
      if (link.kind === "single") { C2[i]!.push(spectrum.maxDegree >= 2 ? Math.SQRT2 * spectrum.coefficients[2]! : 0); c2err += spectrum.errorBounds[2] ?? 0; continue; }
      const e = entry(spectrum, unit(i, j));
      C2[i]!.push(i === j ? Math.SQRT2 * e.value : e.value);
      c2err += Number.isFinite(e.error) ? e.error : 0;
    }
  }
  const eigen = symmetricEigen(C2).sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const bound = 10 * c2err + 1e-12;
  const span = [...(direction.length ? [direction] : []), ...eigen.filter((e) => Math.abs(e.value) > bound).map((e) => e.vector)];
  const orderTwoRank = rank(span);
  const dirText = direction.length ? `(${direction.map((x) => Number(x.toPrecision(6))).join(", ")})` : "none (C_1 = 0)";
  return {
    firstHermiteVector: c1, firstHermiteNorm: norm, giantStepDirection: direction,
    secondHermiteMatrix: C2, secondHermiteEigen: eigen, orderTwoRank,
    note: `one giant step with n = Theta(d) learns span(C_1), C_1 = E[g(z) z], direction ${dirText} (Dandi et al. 2023, arXiv 2305.18270); directions with Hermite order <= 2 span a ${orderTwoRank}-dimensional subspace (C_1 and the range of C_2 = E[g(z)(zz^T - I)]); these are basis-free`,
  };
}

/** Orthonormal basis E_ab (a <= b) of the symmetric d x d matrices under the Frobenius product, dense row-major. */
export function symmetricBasis(d: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
    const E = new Float64Array(d * d);
    if (a === b) E[a * d + a] = 1; else { E[a * d + b] = Math.SQRT1_2; E[b * d + a] = Math.SQRT1_2; }
    out.push(E);
  }
  return out;
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric matrix. */
export function symmetricEigen(M: number[][]): { value: number; vector: number[] }[] {
  const n = M.length;
  const A = M.map((row) => [...row]);
  const V: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      if (Math.abs(A[p]![q]!) < 1e-300) continue;
      const theta = (A[q]![q]! - A[p]![p]!) / (2 * A[p]![q]!);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) {
        const akp = A[k]![p]!, akq = A[k]![q]!;
        A[k]![p] = c * akp - s * akq; A[k]![q] = s * akp + c * akq;
      }
      for (let k = 0; k < n; k++) {
        const apk = A[p]![k]!, aqk = A[q]![k]!;
        A[p]![k] = c * apk - s * aqk; A[q]![k] = s * apk + c * aqk;
      }
      for (let k = 0; k < n; k++) {
        const vkp = V[k]![p]!, vkq = V[k]![q]!;
        V[k]![p] = c * vkp - s * vkq; V[k]![q] = s * vkp + c * vkq;
      }
    }
  }
  return Array.from({ length: n }, (_, i) => ({ value: A[i]![i]!, vector: V.map((row) => row[i]!) }));
}

/** Numerical rank of a set of vectors (Gram–Schmidt with tolerance 1e-8). */
function rank(vectors: number[][]): number {
  const basis: number[][] = [];
  for (const v of vectors) {
    const w = [...v];
    for (const b of basis) { const d = w.reduce((s, x, i) => s + x * b[i]!, 0); for (let i = 0; i < w.length; i++) w[i]! -= d * b[i]!; }
    const n = Math.hypot(...w);
    if (n > 1e-8) basis.push(w.map((x) => x / n));
  }
  return basis.length;
}
