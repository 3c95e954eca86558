/**
 * An orthonormal basis of the target space R^k adapted to the first-Hermite spike: u_1 = C_1/|C_1| (when C_1 != 0),
 * then the standard axes with u_1 projected out (Gram–Schmidt). Seed 001 (notes §3.2): one step at n = Theta(d)
 * moves every neuron along u_1 only; the remaining basis vectors are the "hard" (higher-order) directions.
 */
export interface TargetBasis {
  /** k x k, row r is basis vector r in target coordinates. */
  readonly vectors: Float64Array;
  /** Whether row 0 is the C_1 direction (false when C_1 = 0: then the basis is the standard one). */
  readonly hasC1: boolean;
  readonly names: string[];
}

export function targetBasis(c1: readonly number[]): TargetBasis {
  const k = c1.length;
  const norm = Math.hypot(...c1);
  if (!(norm > 0)) {
    const v = new Float64Array(k * k);
    for (let r = 0; r < k; r++) v[r * k + r] = 1;
    return { vectors: v, hasC1: false, names: Array.from({ length: k }, (_, r) => `e${r + 1}`) };
  }
  // Gram–Schmidt of (u_1, e_1, ..., e_k), dropping candidates whose residual is below 1e-8 (dependent ones)
  const kept: number[][] = [c1.map((x) => x / norm)];
  for (let r = 0; r < k && kept.length < k; r++) {
    const v = Array.from({ length: k }, (_, j) => (j === r ? 1 : 0));
    for (let pass = 0; pass < 2; pass++) {
      for (const u of kept) { const dot = u.reduce((s, x, j) => s + x * v[j]!, 0); for (let j = 0; j < k; j++) v[j] -= dot * u[j]!; }
    }
    const len = Math.hypot(...v);
    if (len > 1e-8) kept.push(v.map((x) => x / len));
  }
  return { vectors: Float64Array.from(kept.flat()), hasC1: true, names: ["C1", ...Array.from({ length: k - 1 }, (_, r) => `C1perp${r + 1}`)] };
}

/** Coordinates of an overlap row m (length k) in the basis. */
export function inBasis(m: ArrayLike<number>, basis: TargetBasis, k: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < k; r++) { let s = 0; for (let j = 0; j < k; j++) s += basis.vectors[r * k + j]! * m[j]!; out.push(s); }
  return out;
}
