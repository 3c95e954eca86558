/**
 * A linearly implicit (Rosenbrock) solver with adaptive steps for stiff autonomous systems y' = F(y).
 *
 * Why this method: the two-timescale flow of Berthier–Montanari–Zhou (arXiv 2303.00055, Eqs. 5–6) is singularly
 * perturbed: the second layer relaxes on time O(ε) while the first layer moves on times up to O(1) (and beyond),
 * so the Jacobian has eigenvalues of size 1/ε next to O(1) ones. Explicit methods need h = O(ε) for the whole run;
 * a method that is L-stable (damps the fast modes completely at large hε^{-1}) can step at the slow scale once the
 * fast variables sit on their slow manifold. We use the L-stable Rosenbrock pair of MATLAB's ode23s
 * (Shampine & Reichelt, "The MATLAB ODE Suite", SIAM J. Sci. Comput. 18(1), 1997, §3.1): second order, an embedded
 * third-order error estimate, one LU factorisation of W = I − h d J per step and no Newton iteration (so no
 * convergence failures of a nonlinear solve), which suits moderate dense systems (a few hundred unknowns).
 */

export type Rhs = (y: Float64Array, dy: Float64Array) => void;
/** Writes the Jacobian dF/dy into J (row-major n×n). */
export type Jacobian = (y: Float64Array, J: Float64Array) => void;

export interface StiffOptions {
  readonly rtol?: number;
  readonly atol?: number;
  readonly h0?: number;
  readonly hMax?: number;
  readonly maxSteps?: number;
  /** Called after every accepted step; return true to stop early. */
  readonly onStep?: (t: number, y: Float64Array) => boolean | void;
}

export interface StiffResult {
  readonly t: number;
  readonly y: Float64Array;
  readonly accepted: number;
  readonly rejected: number;
  readonly rhsEvaluations: number;
  readonly jacobianEvaluations: number;
  /** "done" reached tEnd, "stopped" by onStep, "max-steps" gave up, "step-underflow" could not make progress. */
  readonly status: "done" | "stopped" | "max-steps" | "step-underflow";
}

/** Jacobian by forward differences (one extra F evaluation per column). */
export function finiteDifferenceJacobian(F: Rhs, n: number): Jacobian {
  const f0 = new Float64Array(n), f1 = new Float64Array(n), yy = new Float64Array(n);
  return (y, J) => {
    F(y, f0);
    yy.set(y);
    for (let j = 0; j < n; j++) {
      const h = 1e-7 * Math.max(1e-3, Math.abs(y[j]));
      yy[j] = y[j] + h;
      F(yy, f1);
      yy[j] = y[j];
      for (let i = 0; i < n; i++) J[i * n + j] = (f1[i] - f0[i]) / h;
    }
  };
}

/** In-place LU with partial pivoting of a row-major n×n matrix; returns false when singular. */
export function luFactor(A: Float64Array, n: number, piv: Int32Array): boolean {
  for (let k = 0; k < n; k++) {
    let p = k, big = Math.abs(A[k * n + k]);
    for (let i = k + 1; i < n; i++) { const v = Math.abs(A[i * n + k]); if (v > big) { big = v; p = i; } }
    piv[k] = p;
    if (big === 0 || !Number.isFinite(big)) return false;
    if (p !== k) for (let j = 0; j < n; j++) { const t = A[k * n + j]; A[k * n + j] = A[p * n + j]; A[p * n + j] = t; }
    const inv = 1 / A[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (A[i * n + k] *= inv);
      if (f !== 0) for (let j = k + 1; j < n; j++) A[i * n + j] -= f * A[k * n + j];
    }
  }
  return true;
}

export function luSolve(LU: Float64Array, n: number, piv: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k++) { const p = piv[k]; if (p !== k) { const t = b[k]; b[k] = b[p]; b[p] = t; } }
  for (let i = 0; i < n; i++) { let s = b[i]; for (let j = 0; j < i; j++) s -= LU[i * n + j] * b[j]; b[i] = s; }
  for (let i = n - 1; i >= 0; i--) { let s = b[i]; for (let j = i + 1; j < n; j++) s -= LU[i * n + j] * b[j]; b[i] = s / LU[i * n + i]; }
}

/** Integrate y' = F(y) from t = 0 to tEnd with the ode23s Rosenbrock pair. */
export function rosenbrock23(F: Rhs, jac: Jacobian, y0: Float64Array, tEnd: number, opts: StiffOptions = {}): StiffResult {
  const n = y0.length;
  const rtol = opts.rtol ?? 1e-6, atol = opts.atol ?? 1e-9, hMax = opts.hMax ?? tEnd, maxSteps = opts.maxSteps ?? 200000;
  const d = 1 / (2 + Math.SQRT2), e32 = 6 + Math.SQRT2;
  const y = Float64Array.from(y0), ynew = new Float64Array(n), tmp = new Float64Array(n);
  const F0 = new Float64Array(n), F1 = new Float64Array(n), F2 = new Float64Array(n);
  const k1 = new Float64Array(n), k2 = new Float64Array(n), k3 = new Float64Array(n);
  const J = new Float64Array(n * n), W = new Float64Array(n * n), piv = new Int32Array(n);
  let t = 0, h = Math.min(opts.h0 ?? 1e-6 * Math.max(tEnd, 1), hMax);
  let accepted = 0, rejected = 0, nF = 1, nJ = 0;
  F(y, F0);
  let haveJ = false;
  while (t < tEnd) {
    if (accepted + rejected >= maxSteps) return { t, y, accepted, rejected, rhsEvaluations: nF, jacobianEvaluations: nJ, status: "max-steps" };
    if (!haveJ) { jac(y, J); nJ++; haveJ = true; }
    if (t + h > tEnd) h = tEnd - t;
    if (h < 1e-14 * Math.max(1, t)) return { t, y, accepted, rejected, rhsEvaluations: nF, jacobianEvaluations: nJ, status: "step-underflow" };
    // W = I − h d J
    for (let i = 0; i < n * n; i++) W[i] = -h * d * J[i];
    for (let i = 0; i < n; i++) W[i * n + i] += 1;
    if (!luFactor(W, n, piv)) { h *= 0.5; rejected++; continue; }
    k1.set(F0); luSolve(W, n, piv, k1);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
    F(tmp, F1); nF++;
    for (let i = 0; i < n; i++) k2[i] = F1[i] - k1[i];
    luSolve(W, n, piv, k2);
    for (let i = 0; i < n; i++) { k2[i] += k1[i]; ynew[i] = y[i] + h * k2[i]; }
    F(ynew, F2); nF++;
    for (let i = 0; i < n; i++) k3[i] = F2[i] - e32 * (k2[i] - F1[i]) - 2 * (k1[i] - F0[i]);
    luSolve(W, n, piv, k3);
    let err = 0;
    for (let i = 0; i < n; i++) {
      const e = (h / 6) * (k1[i] - 2 * k2[i] + k3[i]);
      const sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(ynew[i]));
      err = Math.max(err, Math.abs(e) / sc);
    }
    if (!Number.isFinite(err)) err = 1e10;
    if (err <= 1) {
      t += h; y.set(ynew); F0.set(F2); accepted++; haveJ = false;
      if (opts.onStep?.(t, y)) return { t, y, accepted, rejected, rhsEvaluations: nF, jacobianEvaluations: nJ, status: "stopped" };
      h = Math.min(hMax, h * Math.min(5, 0.8 * Math.pow(Math.max(err, 1e-10), -1 / 3)));
    } else {
      rejected++;
      h *= Math.max(0.2, 0.8 * Math.pow(err, -1 / 3));
    }
  }
  return { t, y, accepted, rejected, rhsEvaluations: nF, jacobianEvaluations: nJ, status: "done" };
}
