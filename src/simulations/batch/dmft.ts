/**
 * d = infinity dynamics of MULTI-PASS gradient descent in seed 002's scaling (Dandi, Troiani, Arnaboldi, Pesce,
 * Zdeborová, Krzakala, arXiv 2402.03220, DMFT of §4 / notes §3.3), for any number of steps T, by the dynamical
 * mean-field theory of the general first-order method u^{t+1} = c u^t + eta X^T f_t(X u^t, y) A with X = Z/sqrt(d)
 * (rows of norm 1), u^t = W^t^T (one p-row per input coordinate), A = diag(a), c = 1 - eta lambda, n = alpha d.
 * [derived here by the cavity method; checked against twoSteps.ts at t <= 2 and against direct simulation]
 *
 * Sample side (one reused sample; row vectors in R^p):
 *   h^t = zeta^t + eta sum_{s<t} f_s(h^s, y) A R(t, s+1)              (its own past gradients, through the response R)
 *   (zeta^0..zeta^T, h*) jointly Gaussian: Cov(zeta^t, zeta^s) = Q(t,s), Cov(zeta^t, h*) = M(t), Cov(h*) = I
 *   f_t = (y - sum_k a_k sigma(h^t_k)) sigma'(h^t),  y = g*(h*)
 * Weight side (one coordinate; linear and Gaussian):
 *   u^{t+1} = c u^t + eta zeta_u^t A + eta alpha (sum_{s<=t} u^s Gamma(t,s) + u* Gamma*(t)) A
 *   Cov(zeta_u^t, zeta_u^s) = alpha E[f_t^T f_s],  Gamma(t,s) = E[d f_t / d zeta^s],  Gamma*(t) = E[d f_t / d h*]
 *   R(t,s) = d u^t / d u^s:  R(s,s) = I,  R(t+1,s) = c R(t,s) + eta alpha sum_{s<=s'<=t} R(s',s) Gamma(t,s') A
 *   Q(t,s) = E[u^t^T u^s],  M(t) = E[u^t^T u*],  u^0 ~ N(0, I_p) independent of u* ~ N(0, I_k) (zero initial overlap)
 * The response matrices Gamma come from Gaussian integration by parts on the Monte Carlo of the sample side:
 * E[f_t g^T] = E[grad f_t] Cov(g), g = (zeta^0..zeta^t, h*) (distributional derivatives, so ReLU is covered).
 */
import { InputError } from "../../link/errors.js";
import { stream, studentActivation, target, type LimitSetting } from "./common.js";

/** Setting of the multi-pass DMFT: target, student activation, frozen second layer a, alpha = n/d, eta, lambda, T. */
export interface MultiPassInput extends LimitSetting {
  readonly steps: number;
  /** Monte Carlo samples of the sample-side process per step (default 2^17). */
  readonly samples?: number;
  readonly seed?: number;
}

/** d = infinity overlaps M^t = W W*^T/d and Q(t, t) = W W^T/d of multi-pass GD, t = 0..T. */
export interface MultiPassTrajectory {
  /** M^t (p x k, row-major), t = 0..T. */
  readonly m: number[][];
  /** Q(t,t) (p x p, row-major), t = 0..T. */
  readonly q: number[][];
  readonly method: string;
}

type Mat = Float64Array; // row-major

const zeros = (r: number, c: number): Mat => new Float64Array(r * c);
const eye = (n: number): Mat => { const m = zeros(n, n); for (let i = 0; i < n; i++) m[i * n + i] = 1; return m; };
/** C = A (r x k) B (k x c). */
function mul(A: Mat, B: Mat, r: number, k: number, c: number): Mat {
  const C = zeros(r, c);
  for (let i = 0; i < r; i++) for (let l = 0; l < k; l++) { const v = A[i * k + l]!; if (v !== 0) for (let j = 0; j < c; j++) C[i * c + j] += v * B[l * c + j]!; }
  return C;
}
/** A^T B with A (k x r), B (k x c). */
function tmul(A: Mat, B: Mat, k: number, r: number, c: number): Mat {
  const C = zeros(r, c);
  for (let l = 0; l < k; l++) for (let i = 0; i < r; i++) { const v = A[l * r + i]!; if (v !== 0) for (let j = 0; j < c; j++) C[i * c + j] += v * B[l * c + j]!; }
  return C;
}
const addTo = (X: Mat, Y: Mat, s = 1) => { for (let i = 0; i < X.length; i++) X[i] += s * Y[i]!; };

function cholesky(S: Mat, m: number): Mat {
  const L = zeros(m, m);
  for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) {
    let s = S[i * m + j]!;
    for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
    if (i === j) {
      if (!(s > -1e-12)) throw new InputError("multi-pass DMFT: the field covariance lost positive definiteness (Monte Carlo too small or diverging dynamics)");
      L[i * m + i] = Math.sqrt(Math.max(s, 0));
    } else L[i * m + j] = L[j * m + j]! > 1e-12 ? s / L[j * m + j]! : 0;
  }
  return L;
}

/** Solve S x = b for symmetric positive definite S by its Cholesky factor (pseudo-inverse on zero pivots). */
function cholSolve(L: Mat, b: Float64Array, m: number): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < m; i++) { let s = x[i]!; for (let k = 0; k < i; k++) s -= L[i * m + k]! * x[k]!; x[i] = L[i * m + i]! > 1e-12 ? s / L[i * m + i]! : 0; }
  for (let i = m - 1; i >= 0; i--) { let s = x[i]!; for (let k = i + 1; k < m; k++) s -= L[k * m + i]! * x[k]!; x[i] = L[i * m + i]! > 1e-12 ? s / L[i * m + i]! : 0; }
  return x;
}

/**
 * Multi-pass GD at d = infinity for T steps: iterate the sample-side Monte Carlo and the Gaussian weight side
 * (module comment), one step at a time. Cost O(T^2 N p^2) with N Monte Carlo samples.
 */
export function multiPassDmft(o: MultiPassInput): MultiPassTrajectory {
  const tgt = target(o.target), act = studentActivation(o.activation);
  const p = o.a.length, k = tgt.k, T = o.steps, N = o.samples ?? 2 ** 17;
  if (p < 1 || p > 16) throw new InputError(`the multi-pass DMFT needs 1 <= p <= 16, got ${p}`);
  if (!Number.isInteger(T) || T < 0 || T > 12) throw new InputError(`the multi-pass DMFT needs 0 <= steps <= 12, got ${T}`);
  const { alpha, eta, a } = o, c = 1 - eta * o.weightDecay;
  const A = zeros(p, p); for (let j = 0; j < p; j++) A[j * p + j] = a[j]!;
  const rng = stream(o.seed ?? 13, `multi-pass-dmft/${tgt.link.text}/${o.activation}`, 0);
  // weight side as a linear combination of independent Gaussian sources: u^t = u0 G0[t] + u* Gs[t] + sum_r zeta_u^r Gz[t][r]
  const G0: Mat[] = [eye(p)], Gs: Mat[] = [zeros(k, p)], Gz: Mat[][] = [[]];
  const Cz: Mat[][] = []; // Cz[t][s] = alpha E[f_t^T f_s], s <= t
  const Gam: Mat[][] = []; // Gam[t][s] = E[d f_t / d zeta^s] (p x p: row j = d/d zeta_j, column l = f_l)
  const GamStar: Mat[] = []; // k x p
  const R: Mat[][] = [[eye(p)]]; // R[t][s], s <= t
  const covZ = (r: number, s: number): Mat => (r >= s ? Cz[r]![s]! : Float64Array.from({ length: p * p }, (_, i) => Cz[s]![r]![(i % p) * p + Math.floor(i / p)]!));
  const Q = (t: number, s: number): Mat => {
    const out = tmul(G0[t]!, G0[s]!, p, p, p);
    addTo(out, tmul(Gs[t]!, Gs[s]!, k, p, p));
    for (let r = 0; r < Gz[t]!.length; r++) for (let r2 = 0; r2 < Gz[s]!.length; r2++) addTo(out, tmul(Gz[t]![r]!, mul(covZ(r, r2), Gz[s]![r2]!, p, p, p), p, p, p));
    return out;
  };
  const ms: number[][] = [Array.from(tmul(Gs[0]!, eye(k), k, p, k))], qs: number[][] = [Array.from(Q(0, 0))];
  for (let t = 0; t < T; t++) {
    // joint covariance of g = (zeta^0..zeta^t, h*)
    const dim = (t + 1) * p + k;
    const S = zeros(dim, dim);
    for (let x = 0; x <= t; x++) for (let y = 0; y <= t; y++) {
      const q = Q(x, y);
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) S[(x * p + i) * dim + y * p + j] = q[i * p + j]!;
    }
    for (let x = 0; x <= t; x++) {
      const m = tmul(G0[x]!, zeros(p, k), p, p, k); // zero: u0 is independent of u*
      addTo(m, tmul(Gs[x]!, eye(k), k, p, k));
      for (let i = 0; i < p; i++) for (let r = 0; r < k; r++) S[(x * p + i) * dim + (t + 1) * p + r] = S[((t + 1) * p + r) * dim + x * p + i] = m[i * k + r]!;
    }
    for (let r = 0; r < k; r++) S[((t + 1) * p + r) * dim + (t + 1) * p + r] = 1;
    const L = cholesky(S, dim);
    // memory kernels eta A R(x, s+1) for the sample side
    const K = (x: number, s: number): Mat => mul(A, R[x]![s + 1]!, p, p, p).map((v) => eta * v);
    const kern: Mat[][] = Array.from({ length: t + 1 }, (_, x) => Array.from({ length: x }, (_, s) => K(x, s)));
    const Efg = zeros(p, dim); // E[f_t,l g_i]
    const Eff: Mat[] = Array.from({ length: t + 1 }, () => zeros(p, p)); // E[f_t^T f_s]
    const e = new Float64Array(dim), g = new Float64Array(dim);
    const f: Float64Array[] = Array.from({ length: t + 1 }, () => new Float64Array(p));
    const h = new Float64Array(p);
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < dim; i++) e[i] = rng.normal();
      for (let i = 0; i < dim; i++) { let v = 0; for (let j = 0; j <= i; j++) v += L[i * dim + j]! * e[j]!; g[i] = v; }
      const y = tgt.link.g(g.subarray((t + 1) * p));
      for (let x = 0; x <= t; x++) {
        for (let j = 0; j < p; j++) h[j] = g[x * p + j]!;
        for (let s = 0; s < x; s++) { const Kxs = kern[x]![s]!; for (let l = 0; l < p; l++) { let v = 0; for (let j = 0; j < p; j++) v += f[s]![j]! * Kxs[j * p + l]!; h[l] += v; } }
        let out = 0;
        for (let j = 0; j < p; j++) out += a[j]! * act.sigma(h[j]!);
        const r = y - out;
        for (let j = 0; j < p; j++) f[x]![j] = r * act.sigmaPrime(h[j]!);
      }
      const ft = f[t]!;
      for (let l = 0; l < p; l++) for (let i = 0; i < dim; i++) Efg[l * dim + i] += (ft[l]! * g[i]!) / N;
      for (let s = 0; s <= t; s++) for (let j = 0; j < p; j++) for (let l = 0; l < p; l++) Eff[s]![j * p + l] += (ft[j]! * f[s]![l]!) / N;
    }
    // Gaussian integration by parts: E[grad_g f_l] = Cov(g)^{-1} E[f_l g]
    const gam: Mat[] = Array.from({ length: t + 1 }, () => zeros(p, p)), gamStar = zeros(k, p);
    for (let l = 0; l < p; l++) {
      const dl = cholSolve(L, Efg.subarray(l * dim, (l + 1) * dim), dim);
      for (let s = 0; s <= t; s++) for (let j = 0; j < p; j++) gam[s]![j * p + l] = dl[s * p + j]!;
      for (let r = 0; r < k; r++) gamStar[r * p + l] = dl[(t + 1) * p + r]!;
    }
    Gam.push(gam); GamStar.push(gamStar);
    Cz.push(Eff.map((m) => m.map((v) => alpha * v)));
    // weight-side step t -> t+1
    const next = (prev: (x: number) => Mat, rows: number, extra: Mat | null): Mat => {
      const out = prev(t).map((v) => c * v);
      for (let s = 0; s <= t; s++) addTo(out, mul(mul(prev(s), gam[s]!, rows, p, p), A, rows, p, p), eta * alpha);
      if (extra) addTo(out, extra);
      return out;
    };
    G0.push(next((x) => G0[x]!, p, null));
    Gs.push(next((x) => Gs[x]!, k, mul(gamStar, A, k, p, p).map((v) => eta * alpha * v)));
    const gz: Mat[] = [];
    for (let r = 0; r <= t; r++) gz.push(next((x) => Gz[x]![r] ?? zeros(p, p), p, r === t ? A.map((v) => eta * v) : null));
    Gz.push(gz);
    // response R(t+1, s) for s <= t+1
    const Rt: Mat[] = [];
    for (let s = 0; s <= t; s++) {
      const out = R[t]![s]!.map((v) => c * v);
      for (let s2 = s; s2 <= t; s2++) addTo(out, mul(mul(R[s2]![s]!, gam[s2]!, p, p, p), A, p, p, p), eta * alpha);
      Rt.push(out);
    }
    Rt.push(eye(p));
    R.push(Rt);
    ms.push(Array.from(tmul(Gs[t + 1]!, eye(k), k, p, k)));
    qs.push(Array.from(Q(t + 1, t + 1)));
  }
  return { m: ms, q: qs, method: `multi-pass DMFT (cavity, Gaussian integration by parts), ${N} Monte Carlo samples of the sample-side process per step (seeded)` };
}
