/**
 * The per-sample gradient scalars of the two-layer student yhat = sum_i a_i sigma(h_i), h_i = <w_i, x>, shared by the
 * Gram-state and full-dimensional engines (the single-neuron reduced engine has its own inlined copy, so the
 * reduced-vs-full cross-check also compares two independent implementations of the scalars).
 *
 * The spherical step of neuron i is w_i <- normalise(w_i + s_i P_{w_i}^perp x) with s_i = gamma * res * a_i * sigma'(h_i),
 * res = y (correlation loss) or y - yhat (square loss). Variants: see `Variant` in model.ts.
 */
import type { Problem } from "./model.js";

export class TwoLayerScalars {
  private readonly p: number;
  private readonly sigma: (z: number) => number;
  private readonly dsigma: (z: number) => number;
  private readonly square: boolean;
  private readonly hh: Float64Array;
  private readonly at: Float64Array;
  constructor(private readonly problem: Problem) {
    this.p = problem.width;
    this.sigma = problem.student.sigma;
    this.dsigma = problem.student.sigmaPrime;
    this.square = problem.loss === "square";
    this.hh = new Float64Array(this.p);
    this.at = new Float64Array(this.p);
  }

  /** res = y (correlation) or y - sum_i a_i sigma(h_i) (square). */
  residual(h: ArrayLike<number>, a: ArrayLike<number>, y: number): number {
    if (!this.square) return y;
    let yhat = 0;
    for (let i = 0; i < this.p; i++) yhat += a[i]! * this.sigma(h[i]!);
    return y - yhat;
  }

  /** psi_i = res * a_i * sigma'(h_i), the coefficient of x in the negative gradient of neuron i (before gamma). */
  psi(h: ArrayLike<number>, a: ArrayLike<number>, y: number, out: Float64Array): void {
    const res = this.residual(h, a, y);
    for (let i = 0; i < this.p; i++) out[i] = res * a[i]! * this.dsigma(h[i]!);
  }

  /** The online second-layer step a_i += etaA * res * sigma(h_i) (no-op when the second layer is fixed). */
  secondLayerStep(h: ArrayLike<number>, a: Float64Array, y: number): void {
    const etaA = this.problem.etaSecondLayer;
    if (!(etaA > 0)) return;
    const res = this.residual(h, a, y);
    for (let i = 0; i < this.p; i++) a[i] = a[i]! + etaA * res * this.sigma(h[i]!);
  }

  /**
   * Scalars s_i of the spherical step from the preactivations h (students only), label y and |x|^2, updating the
   * second layer a in place as the variant prescribes.
   */
  scalars(h: ArrayLike<number>, y: number, x2: number, a: Float64Array, s: Float64Array): void {
    const pr = this.problem, p = this.p, gamma = pr.eta, v = pr.variant;
    if (v.kind === "online") {
      this.psi(h, a, y, s);
      for (let i = 0; i < p; i++) s[i] = gamma * s[i]!;
      this.secondLayerStep(h, a, y);
    } else if (v.kind === "reuse") {
      // inner plain steps w' = w + etaInner psi x: <w'_i, x> = <w_i, x> + etaInner psi_i |x|^2
      const hh = this.hh;
      for (let i = 0; i < p; i++) hh[i] = h[i]!;
      for (let j = 0; j < v.innerSteps; j++) {
        this.psi(hh, a, y, s);
        for (let i = 0; i < p; i++) hh[i] = hh[i]! + v.etaInner * s[i]! * x2;
      }
      this.psi(hh, a, y, s);
      for (let i = 0; i < p; i++) s[i] = gamma * s[i]!;
      this.secondLayerStep(h, a, y);
    } else {
      const at = this.at;
      const res0 = this.residual(h, a, y);
      for (let i = 0; i < p; i++) at[i] = a[i]! + v.etaA * res0 * this.sigma(h[i]!);
      this.psi(h, at, y, s);
      for (let i = 0; i < p; i++) s[i] = gamma * s[i]!;
      if (pr.etaSecondLayer > 0) a.set(at);
    }
  }
}

/**
 * Overlap statistic of a run with p neurons and k directions from the p x k matrix M_ij = <w_i, w*_j>, stored at
 * M[offset + i * rowStride + j]: max over (i, j) of M_ij (or |M_ij|), or with `all` the min over j of the max over i.
 */
export function overlapStatistic(M: Float64Array, offset: number, rowStride: number, p: number, k: number, useAbs: boolean, all: boolean): number {
  let stat = all ? Infinity : -Infinity;
  for (let j = 0; j < k; j++) {
    let best = -Infinity;
    for (let i = 0; i < p; i++) {
      const m = M[offset + i * rowStride + j]!;
      const o = useAbs ? Math.abs(m) : m;
      if (o > best) best = o;
    }
    stat = all ? Math.min(stat, best) : Math.max(stat, best);
  }
  return stat;
}
