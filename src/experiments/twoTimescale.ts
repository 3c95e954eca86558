/**
 * Seed 003 (Berthier, Montanari, Zhou, "Learning time-scales in two-layers neural networks", arXiv 2303.00055):
 * the two-timescale population gradient flow of f(x) = (1/m) Σ_i a_i σ(<u_i, x>), u_i on the sphere, target
 * y = φ(<u*, x>), with the second layer 1/ε faster: ε da_i/dt = −m ∂R/∂a_i, du_i/dt = −m P_{u_i}^⊥ ∇_{u_i} R
 * (BMZ Eqs. 5–6). Everything here uses only the Hermite coefficients φ_k = c_k[φ], σ_k = c_k[σ]
 * (c_k = E[f(Z) He_k(Z)]/sqrt(k!), probabilists' He_k) through V(s) = Σ φ_k σ_k s^k and U(q) = Σ σ_k² q^k
 * (BMZ Eqs. 12–13), truncated at degree K.
 *
 * Three dynamics:
 *  - the reduced particle ODE in overlaps s_i = <u_i, u*> (the d = ∞ flow; theory notes §3.4, [derived here]):
 *      ε da_i/dt = Σ_k σ_k r_k s_i^k,   ds_i/dt = (1 − s_i²) a_i Σ_k k σ_k r_k s_i^{k−1},   r_k = φ_k − σ_k (1/m) Σ_j a_j s_j^k,
 *    optionally with the exact finite-m diagonal U(1) instead of U(s_i²) (the d → ∞ limit of the finite-d flow);
 *  - the exact finite-d population flow in Gram variables (s_i, Q_ij = <u_i, u_j>) with the risk of BMZ Eq. (23),
 *      R = ½E[φ²] − (1/m) Σ a_i V(s_i) + (1/2m²) Σ_ij a_i a_j U(Q_ij), Q_ii = 1 (exact for Gaussian inputs, no sampling);
 *  - finite-d online SGD with δ = 1/(ρ d) time per fresh sample (ρ d samples per unit time; BMZ §7).
 */
import { parseLink } from "../link/link.js";
import { derivative } from "../link/analysis.js";
import { compileUnivariate } from "../link/compile.js";
import { hermiteSpectrum } from "../hermite/spectrum.js";
import { InputError } from "../link/errors.js";
import { seededRng, type Rng } from "../numeric/xoshiro.js";
import { rosenbrock23, finiteDifferenceJacobian, type Jacobian, type Rhs, type StiffResult } from "./stiff.js";

export interface TwoLayerProblem {
  readonly target: string;
  readonly activation: string;
  readonly K: number;
  /** φ_k = c_k[target], k = 0..K. */
  readonly phi: Float64Array;
  /** σ_k = c_k[activation], k = 0..K. */
  readonly sigma: Float64Array;
  /** E[φ²] − Σ_{k≤K} φ_k² (target energy beyond the truncation). */
  readonly targetTail: number;
  /** E[σ²] − Σ_{k≤K} σ_k²: what U(1) misses by truncation. */
  readonly activationTail: number;
}

export function twoLayerProblem(target: string, activation: string, K: number): TwoLayerProblem {
  if (!Number.isInteger(K) || K < 1 || K > 60) throw new InputError(`--max-degree must be an integer in [1, 60], got ${K}`);
  const tl = parseLink(target), al = parseLink(activation);
  if (tl.kind !== "single") throw new InputError(`target '${target}' must be a single-index link in z`);
  if (al.kind !== "single") throw new InputError(`activation '${activation}' must be a single-index link in z`);
  const ts = hermiteSpectrum(tl, K), as = hermiteSpectrum(al, K);
  // a coefficient whose exact form is 0, or that is below its own error bound (and 1e-13 of the norm), is zero:
  // the φ_1 = 0 invariance check needs exact zeros, not 1e-16 rounding
  const clean = (sp: typeof ts) => Float64Array.from(sp.coefficients, (c, k) =>
    sp.exact[k] === "0" || Math.abs(c) <= Math.max(sp.errorBounds[k] ?? 0, 1e-13 * Math.sqrt(Math.max(sp.secondMoment, 1e-300))) ? 0 : c);
  return {
    target, activation, K, phi: clean(ts), sigma: clean(as),
    targetTail: Math.max(0, ts.parsevalResidual), activationTail: Math.max(0, as.parsevalResidual),
  };
}

/** U(q), U'(q), U''(q) and V(s), V'(s) by Horner. */
export function kernels(p: TwoLayerProblem) {
  const K = p.K, u = new Float64Array(K + 1), v = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) { u[k] = p.sigma[k] ** 2; v[k] = p.phi[k] * p.sigma[k]; }
  const poly = (c: Float64Array, x: number) => { let r = 0; for (let k = K; k >= 0; k--) r = r * x + c[k]; return r; };
  const d1 = (c: Float64Array, x: number) => { let r = 0; for (let k = K; k >= 1; k--) r = r * x + k * c[k]; return r; };
  const d2 = (c: Float64Array, x: number) => { let r = 0; for (let k = K; k >= 2; k--) r = r * x + k * (k - 1) * c[k]; return r; };
  return {
    U: (q: number) => poly(u, q), dU: (q: number) => d1(u, q), d2U: (q: number) => d2(u, q),
    V: (s: number) => poly(v, s), dV: (s: number) => d1(v, s),
  };
}

export type Diagonal = "mean-field" | "exact";

/** Degree-k residuals r_k = φ_k − σ_k (1/m) Σ_j a_j s_j^k (exact degree-k part of the target residual at any d, by Mehler). */
export function residuals(p: TwoLayerProblem, a: ArrayLike<number>, s: ArrayLike<number>, m: number, out = new Float64Array(p.K + 1)): Float64Array {
  out.fill(0);
  for (let j = 0; j < m; j++) { let pw = a[j] / m; for (let k = 0; k <= p.K; k++) { out[k] += pw; pw *= s[j]; } }
  for (let k = 0; k <= p.K; k++) out[k] = p.phi[k] - p.sigma[k] * out[k];
  return out;
}

/** The reduced (d = ∞) particle ODE, state [a_1..a_m, s_1..s_m], with its analytic Jacobian. */
export function reducedSystem(p: TwoLayerProblem, m: number, eps: number, diagonal: Diagonal = "mean-field"): { F: Rhs; J: Jacobian } {
  const K = p.K, ker = kernels(p), r = new Float64Array(K + 1), U1 = ker.U(1);
  const G = (si: number) => { let g = 0; for (let k = K; k >= 1; k--) g = g * si + k * p.sigma[k] * r[k]; return g; };
  const Gp = (si: number) => { let g = 0; for (let k = K; k >= 2; k--) g = g * si + k * (k - 1) * p.sigma[k] * r[k]; return g; };
  const A = (si: number) => { let g = 0; for (let k = K; k >= 0; k--) g = g * si + p.sigma[k] * r[k]; return g; };
  const F: Rhs = (y, dy) => {
    residuals(p, y, y.subarray(m), m, r);
    for (let i = 0; i < m; i++) {
      const a = y[i], s = y[m + i];
      dy[i] = A(s) / eps;
      dy[m + i] = (1 - s * s) * a * G(s);
      if (diagonal === "exact") {
        dy[i] -= (a / (eps * m)) * (U1 - ker.U(s * s));
        dy[m + i] += (1 - s * s) * ((a * a) / m) * s * ker.dU(s * s);
      }
    }
  };
  const J: Jacobian = (y, out) => {
    const n = 2 * m;
    residuals(p, y, y.subarray(m), m, r);
    for (let i = 0; i < m; i++) {
      const ai = y[i], si = y[m + i], Gi = G(si), w = 1 - si * si;
      for (let j = 0; j < m; j++) {
        const aj = y[j], sj = y[m + j], q = si * sj, dUq = ker.dU(q);
        out[i * n + j] = -ker.U(q) / (eps * m);
        out[i * n + m + j] = (-(aj / m) * si * dUq) / eps;
        out[(m + i) * n + j] = -w * (ai / m) * sj * dUq;
        out[(m + i) * n + m + j] = -w * ((ai * aj) / m) * (dUq + q * ker.d2U(q));
      }
      out[i * n + m + i] += Gi / eps;
      out[(m + i) * n + i] += w * Gi;
      out[(m + i) * n + m + i] += -2 * si * ai * Gi + w * ai * Gp(si);
      if (diagonal === "exact") {
        const q = si * si, D = U1 - ker.U(q), dUq = ker.dU(q);
        out[i * n + i] += -D / (eps * m);
        out[i * n + m + i] += (ai / (eps * m)) * 2 * si * dUq;
        out[(m + i) * n + i] += w * ((2 * ai) / m) * si * dUq;
        out[(m + i) * n + m + i] += ((ai * ai) / m) * (-2 * q * dUq + w * (dUq + 2 * q * ker.d2U(q)));
      }
    }
  };
  return { F, J };
}

/** Population risk of the reduced state: ½ Σ r_k² (+ the finite-m diagonal correction) + ½ target tail. */
export function reducedRisk(p: TwoLayerProblem, y: Float64Array, m: number, diagonal: Diagonal, r = new Float64Array(p.K + 1)): number {
  residuals(p, y, y.subarray(m), m, r);
  let R = 0.5 * p.targetTail;
  for (let k = 0; k <= p.K; k++) R += 0.5 * r[k] * r[k];
  if (diagonal === "exact") {
    const ker = kernels(p), U1 = ker.U(1);
    for (let i = 0; i < m; i++) R += (0.5 * y[i] * y[i] * (U1 - ker.U(y[m + i] ** 2))) / (m * m);
  }
  return R;
}

// ---------------------------------------------------------------- finite-d population flow (Gram variables)

/** Index of Q_ij (i < j) in the packed upper triangle. */
const triIndex = (i: number, j: number, m: number) => i * m - (i * (i + 1)) / 2 + (j - i - 1);

/** State [a (m), s (m), Q_ij for i<j (m(m−1)/2)] of the exact finite-d flow; d enters only through the initial Gram matrix. */
export function finiteDimSystem(p: TwoLayerProblem, m: number, eps: number): { F: Rhs; J: Jacobian; n: number } {
  const ker = kernels(p), U1 = ker.U(1), n = 2 * m + (m * (m - 1)) / 2;
  const P = new Float64Array((m + 1) * (m + 1)), C = new Float64Array(m * (m + 1)), CP = new Float64Array(m * (m + 1));
  const F: Rhs = (y, dy) => {
    const M1 = m + 1;
    // Gram matrix of (u_1..u_m, u*)
    for (let i = 0; i < m; i++) {
      P[i * M1 + i] = 1;
      P[i * M1 + m] = P[m * M1 + i] = y[m + i];
      for (let j = i + 1; j < m; j++) { const q = y[2 * m + triIndex(i, j, m)]; P[i * M1 + j] = P[j * M1 + i] = q; }
    }
    P[m * M1 + m] = 1;
    // ε da_i/dt = V(s_i) − (1/m) Σ_j a_j U(Q_ij);  g_i = a_i V'(s_i) u* − (a_i/m) Σ_{j≠i} a_j U'(Q_ij) u_j
    for (let i = 0; i < m; i++) {
      const ai = y[i];
      let da = ker.V(y[m + i]) - (ai * U1) / m;
      for (let j = 0; j < m; j++) {
        if (j === i) { C[i * M1 + j] = 0; continue; }
        const q = P[i * M1 + j];
        da -= (y[j] * ker.U(q)) / m;
        C[i * M1 + j] = (-(ai * y[j]) / m) * ker.dU(q);
      }
      C[i * M1 + m] = ai * ker.dV(y[m + i]);
      dy[i] = da / eps;
    }
    for (let i = 0; i < m; i++) for (let l = 0; l < M1; l++) { let sum = 0; for (let k = 0; k < M1; k++) sum += C[i * M1 + k] * P[k * M1 + l]; CP[i * M1 + l] = sum; }
    // v_i = g_i − <g_i, u_i> u_i: ds_i/dt = <v_i, u*>, dQ_ij/dt = <v_i, u_j> + <v_j, u_i>
    for (let i = 0; i < m; i++) {
      dy[m + i] = CP[i * M1 + m] - CP[i * M1 + i] * P[i * M1 + m];
      for (let j = i + 1; j < m; j++) {
        const q = P[i * M1 + j];
        dy[2 * m + triIndex(i, j, m)] = CP[i * M1 + j] - CP[i * M1 + i] * q + CP[j * M1 + i] - CP[j * M1 + j] * q;
      }
    }
  };
  return { F, J: finiteDifferenceJacobian(F, n), n };
}

export function finiteDimRisk(p: TwoLayerProblem, y: Float64Array, m: number): number {
  const ker = kernels(p);
  let Ephi2 = p.targetTail;
  for (let k = 0; k <= p.K; k++) Ephi2 += p.phi[k] ** 2;
  let R = 0.5 * Ephi2;
  for (let i = 0; i < m; i++) {
    R -= (y[i] * ker.V(y[m + i])) / m;
    R += (0.5 * y[i] * y[i] * ker.U(1)) / (m * m);
    for (let j = i + 1; j < m; j++) R += (y[i] * y[j] * ker.U(y[2 * m + triIndex(i, j, m)])) / (m * m);
  }
  return R;
}

// ---------------------------------------------------------------- initial conditions

export interface Init { readonly d: number; readonly s: Float64Array; readonly Q: Float64Array; readonly vectors: Float64Array[] | null }

/** m neurons uniform on S^{d−1} (normalised Gaussians), u* = e_1; keeps the vectors when `keepVectors`. */
export function sphereInit(m: number, d: number, rng: Rng, keepVectors = false): Init {
  if (!Number.isInteger(d) || d < 2) throw new InputError(`dimension d must be an integer >= 2, got ${d}`);
  const vs: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const v = new Float64Array(d);
    let n2 = 0;
    for (let k = 0; k < d; k++) { v[k] = rng.normal(); n2 += v[k] * v[k]; }
    const nn = Math.sqrt(n2);
    for (let k = 0; k < d; k++) v[k] /= nn;
    vs.push(v);
  }
  const s = Float64Array.from(vs, (v) => v[0]);
  const Q = new Float64Array((m * (m - 1)) / 2);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) { let dot = 0; for (let k = 0; k < d; k++) dot += vs[i][k] * vs[j][k]; Q[triIndex(i, j, m)] = dot; }
  return { d, s, Q, vectors: keepVectors ? vs : null };
}

// ---------------------------------------------------------------- trajectories

export interface Trajectory {
  readonly t: number[];
  readonly risk: number[];
  /** r_k(t) for k = 0..K at each recorded time. */
  readonly residuals: Float64Array[];
  readonly maxAbsA: number[];
  readonly maxAbsS: number[];
}

export interface FlowRun {
  readonly trajectory: Trajectory;
  readonly solver: Omit<StiffResult, "y" | "t"> & { readonly method: string };
}

function recorder(p: TwoLayerProblem, m: number, risk: (y: Float64Array) => number) {
  const traj: Trajectory = { t: [], risk: [], residuals: [], maxAbsA: [], maxAbsS: [] };
  const push = (t: number, y: Float64Array) => {
    traj.t.push(t); traj.risk.push(risk(y));
    traj.residuals.push(residuals(p, y, y.subarray(m), m));
    let ma = 0, ms = 0;
    for (let i = 0; i < m; i++) { ma = Math.max(ma, Math.abs(y[i])); ms = Math.max(ms, Math.abs(y[m + i])); }
    traj.maxAbsA.push(ma); traj.maxAbsS.push(ms);
  };
  return { traj, push };
}

export interface FlowOptions {
  readonly m: number;
  readonly eps: number;
  readonly tEnd: number;
  readonly s0: Float64Array;
  readonly a0?: Float64Array;
  readonly rtol?: number;
  readonly atol?: number;
  readonly diagonal?: Diagonal;
  readonly maxSteps?: number;
  /** Stop once r_k²/φ_k² ≤ θ for every tracked degree (saves time on the last plateau). */
  readonly stopWhenLearned?: { readonly degrees: number[]; readonly theta: number };
}

export function integrateReduced(p: TwoLayerProblem, o: FlowOptions): FlowRun {
  checkPositive("epsilon", o.eps);
  const diagonal = o.diagonal ?? "mean-field", m = o.m;
  const { F, J } = reducedSystem(p, m, o.eps, diagonal);
  const y0 = new Float64Array(2 * m);
  if (o.a0) y0.set(o.a0);
  y0.set(o.s0, m);
  const { traj, push } = recorder(p, m, (y) => reducedRisk(p, y, m, diagonal));
  push(0, y0);
  const res = rosenbrock23(F, J, y0, o.tEnd, {
    rtol: o.rtol ?? 1e-7, atol: o.atol ?? 1e-10, h0: 1e-3 * o.eps, maxSteps: o.maxSteps ?? 100000,
    onStep: (t, y) => { push(t, y); return o.stopWhenLearned ? allLearned(p, traj.residuals[traj.residuals.length - 1], o.stopWhenLearned) : false; },
  });
  return { trajectory: traj, solver: solverStats(res, "rosenbrock23 (ode23s pair, analytic Jacobian)") };
}

export function integrateFiniteDim(p: TwoLayerProblem, o: Omit<FlowOptions, "diagonal"> & { readonly Q0: Float64Array }): FlowRun {
  checkPositive("epsilon", o.eps);
  const m = o.m, { F, J, n } = finiteDimSystem(p, m, o.eps);
  const y0 = new Float64Array(n);
  if (o.a0) y0.set(o.a0);
  y0.set(o.s0, m); y0.set(o.Q0, 2 * m);
  const { traj, push } = recorder(p, m, (y) => finiteDimRisk(p, y, m));
  push(0, y0);
  const res = rosenbrock23(F, J, y0, o.tEnd, { rtol: o.rtol ?? 1e-6, atol: o.atol ?? 1e-9, h0: 1e-3 * o.eps, maxSteps: o.maxSteps ?? 50000, onStep: (t, y) => { push(t, y); } });
  return { trajectory: traj, solver: solverStats(res, "rosenbrock23 (ode23s pair, finite-difference Jacobian)") };
}

function solverStats(r: StiffResult, method: string) {
  const { y: _y, t: _t, ...rest } = r;
  return { ...rest, method };
}

function allLearned(p: TwoLayerProblem, r: Float64Array, w: { degrees: number[]; theta: number }): boolean {
  return w.degrees.every((k) => r[k] * r[k] <= w.theta * p.phi[k] * p.phi[k]);
}

/**
 * Online SGD at finite d: per fresh sample x ~ N(0, I_d), y = φ(x_1), residual e = y − f(x),
 *   a_i += (δ/ε) e σ(z_i),   u_i ← normalise(u_i + δ a_i e σ'(z_i) (x − z_i u_i)),   δ = 1/(ρ d),
 * the stochastic version of BMZ Eqs. (5–6). The risk is evaluated exactly (Gram formula, no test sampling) at
 * the requested times.
 */
export function onlineSgd(p: TwoLayerProblem, o: { m: number; eps: number; d: number; rho: number; tEnd: number; vectors: Float64Array[]; a0?: Float64Array; seed: number; times: number[] }): { t: number[]; risk: number[]; samples: number } {
  checkPositive("epsilon", o.eps); checkPositive("rho", o.rho);
  const { m, d } = o, tl = parseLink(p.target), al = parseLink(p.activation);
  const phi = tl.f, sig = al.f, dsig = compileUnivariate(derivative(al.expr));
  const rng = seededRng(o.seed);
  const u = o.vectors.map((v) => Float64Array.from(v)), a = o.a0 ? Float64Array.from(o.a0) : new Float64Array(m);
  const delta = 1 / (o.rho * d), steps = Math.ceil(o.tEnd / delta);
  const x = new Float64Array(d), z = new Float64Array(m);
  const out = { t: [] as number[], risk: [] as number[], samples: steps };
  const times = [...o.times].sort((x1, x2) => x1 - x2);
  let next = 0;
  const record = (t: number) => {
    const y = new Float64Array(2 * m + (m * (m - 1)) / 2);
    y.set(a);
    for (let i = 0; i < m; i++) { y[m + i] = u[i][0]; for (let j = i + 1; j < m; j++) { let dot = 0; for (let k = 0; k < d; k++) dot += u[i][k] * u[j][k]; y[2 * m + triIndex(i, j, m)] = dot; } }
    out.t.push(t); out.risk.push(finiteDimRisk(p, y, m));
  };
  for (let step = 0; step <= steps; step++) {
    const t = step * delta;
    while (next < times.length && times[next] <= t + 1e-12) { record(t); next++; }
    if (step === steps) break;
    for (let k = 0; k < d; k++) x[k] = rng.normal();
    let f = 0;
    for (let i = 0; i < m; i++) { let dot = 0; const ui = u[i]; for (let k = 0; k < d; k++) dot += ui[k] * x[k]; z[i] = dot; f += (a[i] * sig(dot)) / m; }
    const e = phi(x[0]) - f;
    if (!Number.isFinite(e)) throw new InputError(`online SGD diverged (non-finite residual) at t = ${t}; lower epsilon's step ratio by raising --rho`);
    for (let i = 0; i < m; i++) {
      const ui = u[i], zi = z[i], c = delta * a[i] * e * dsig(zi);
      a[i] += (delta / o.eps) * e * sig(zi);
      let n2 = 0;
      for (let k = 0; k < d; k++) { ui[k] += c * (x[k] - zi * ui[k]); n2 += ui[k] * ui[k]; }
      const nn = Math.sqrt(n2);
      for (let k = 0; k < d; k++) ui[k] /= nn;
    }
  }
  return out;
}

// ---------------------------------------------------------------- phases

/** First time with r_k² ≤ θ φ_k² for each degree k with φ_k σ_k ≠ 0 (null: not within the run, i.e. censored). */
export function acquisitionTimes(p: TwoLayerProblem, tr: Trajectory, theta: number): (number | null)[] {
  return Array.from({ length: p.K + 1 }, (_, k) => {
    if (p.phi[k] === 0 || Math.abs(p.phi[k]) < 1e-12 || Math.abs(p.sigma[k]) < 1e-12) return null;
    for (let i = 0; i < tr.t.length; i++) if (tr.residuals[i][k] ** 2 <= theta * p.phi[k] ** 2) {
      if (i === 0) return 0;
      // log-linear interpolation of r_k² between the two recorded times
      const y0 = Math.log(tr.residuals[i - 1][k] ** 2), y1 = Math.log(tr.residuals[i][k] ** 2), yt = Math.log(theta * p.phi[k] ** 2);
      const f = y1 === y0 ? 1 : (yt - y0) / (y1 - y0);
      return tr.t[i - 1] + f * (tr.t[i] - tr.t[i - 1]);
    }
    return null;
  });
}

export interface Drop {
  /** Time of the steepest descent of R per unit log t. */
  readonly t: number;
  /** −dR/dlog10 t at the drop. */
  readonly rate: number;
  readonly riskBefore: number;
  readonly riskAfter: number;
  /** The degree whose r_k² fell most across the drop window [t/sqrt(10), t·sqrt(10)]. */
  readonly degree: number;
}

/** Interpolated value of a recorded series at time t (linear in t). */
function interp(t: number[], v: number[], x: number): number {
  if (x <= t[0]) return v[0];
  if (x >= t[t.length - 1]) return v[v.length - 1];
  let lo = 0, hi = t.length - 1;
  while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (t[mid] <= x) lo = mid; else hi = mid; }
  const f = (x - t[lo]) / (t[hi] - t[lo] || 1);
  return v[lo] + f * (v[hi] - v[lo]);
}

/**
 * Plateaus and drops on a log-time axis: the risk is resampled at 20 points per decade, drops are local maxima of
 * −dR/dlog10 t that exceed `minRate` × R(0) per decade; each is attributed to the degree that lost most of r_k².
 */
export function detectDrops(p: TwoLayerProblem, tr: Trajectory, tMin: number, minRate = 0.05): Drop[] {
  const tEnd = tr.t[tr.t.length - 1];
  if (!(tEnd > tMin)) return [];
  const N = Math.max(3, Math.ceil(20 * Math.log10(tEnd / tMin)));
  const ts = Array.from({ length: N + 1 }, (_, i) => tMin * Math.pow(tEnd / tMin, i / N));
  const R = ts.map((x) => interp(tr.t, tr.risk, x));
  const h = Math.log10(tEnd / tMin) / N;
  const rate = R.map((_, i) => (i === 0 || i === N ? 0 : -(R[i + 1] - R[i - 1]) / (2 * h)));
  const R0 = tr.risk[0], drops: Drop[] = [];
  for (let i = 1; i < N; i++) {
    if (!(rate[i] >= rate[i - 1] && rate[i] > rate[i + 1] && rate[i] > minRate * R0)) continue;
    const t = ts[i], lo = t / Math.sqrt(10), hi = t * Math.sqrt(10);
    let best = 0, bestDrop = -Infinity;
    for (let k = 0; k <= p.K; k++) {
      const series = tr.residuals.map((r) => r[k] * r[k]);
      const dd = interp(tr.t, series, lo) - interp(tr.t, series, hi);
      if (dd > bestDrop) { bestDrop = dd; best = k; }
    }
    drops.push({ t, rate: rate[i], riskBefore: interp(tr.t, tr.risk, lo), riskAfter: interp(tr.t, tr.risk, hi), degree: best });
  }
  return drops;
}

/**
 * Degree-1 phase time of the reduced ODE [derived here, theory notes §3.4 as corrected by issue 14; not a display of
 * BMZ]. After the degree-0 fit (time O(ε)) the spread x_i = s_i − s̄ of the overlaps and b_i = a_i − ā of the readouts
 * obey ε b' = σ_1 r_1 x, x' = σ_1 r_1 b (r_0 involves only the means), an instability at rate |σ_1 r_1|/√ε along
 * b = x/√ε. Its product β = σ_1 mean(b x)/φ_1 = 1 − r_1/φ_1 is logistic, β' = (2|σ_1 φ_1|/√ε) β (1 − β), from
 * β_0 = |σ_1| X²/(4√ε |φ_1|), X² = mean(x_i(0)²) (the cosh-sinh start), to r_1² = θ φ_1², i.e. β = 1 − √θ:
 *
 *   t_1 ≈ (√ε / (2|σ_1 φ_1|)) · log( 4 (1 − √θ) |φ_1| √ε / (√θ |σ_1| X²) ),   X² ≈ (1 − 1/m)/d for s_i(0) on S^{d−1}.
 *
 * The logarithm grows with d √ε (the notes' earlier log(2|φ_1|/(|σ_1|√ε)) had no d and the inverse ε-dependence).
 * Valid for 1/d ≪ √ε ≪ 1; null where the logarithm is below 1 (the spread is then not small at the phase's start).
 */
export function predictedDegreeOneTime(p: TwoLayerProblem, eps: number, spread: { readonly meanSquare: number; readonly theta: number }): number | null {
  const s1 = Math.abs(p.sigma[1]), f1 = Math.abs(p.phi[1]), th = spread.theta, re = Math.sqrt(eps);
  const L = Math.log((4 * (1 - Math.sqrt(th)) * f1 * re) / (Math.sqrt(th) * s1 * spread.meanSquare));
  return L >= 1 && s1 * f1 > 0 ? (re / (2 * s1 * f1)) * L : null;
}

/**
 * Rate (σ_1 ā)², ā = φ_0/σ_0 the readout mean after the degree-0 fit, at which the MEAN mode s̄' = ā σ_1 r_1 consumes
 * r_1 (σ_1 ā s̄/φ_1 ≈ (σ_1 ā)² t), the term the degree-1 time above neglects: it holds where (σ_1 ā)² t_1 ≪ 1
 * (0 when σ_0 = 0: ā is not driven).
 */
export function meanModeRate(p: TwoLayerProblem): number {
  return Math.abs(p.sigma[0]) > 1e-12 ? ((p.sigma[1] * p.phi[0]) / p.sigma[0]) ** 2 : 0;
}

/** Expected mean square of s_i(0) − s̄ for m neurons uniform on S^{d−1} (E s_i² = 1/d): (1 − 1/m)/d. */
export const initialSpread = (m: number, d: number): number => (1 - 1 / m) / d;

export function checkPositive(name: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0)) throw new InputError(`${name} must be a finite number > 0, got ${v}`);
}
