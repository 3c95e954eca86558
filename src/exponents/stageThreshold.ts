/**
 * The sharp alpha of a later grand-staircase stage: the alpha at which the directions of U-perp become learnable by
 * Bayes-optimal AMP once a one-dimensional subspace U = span{u} is learned, with U known only as well as the state
 * evolution (SE) restricted to U knows it at that alpha (Troiani, Dandi, Defilippis, Zdeborova, Loureiro, Krzakala
 * 2024, arXiv 2405.15480, grand staircase; the formulas below are our linearisation of the SE of the authors' code,
 * derived here: theory/troiani-dandi-defilippis-zdeborova-loureiro-krzakala-2024.yaml, claim troiani-grand-staircase).
 *
 * SE in the side-information precision Lambda = Q (I - Q)^{-1}: z ~ N(0, I_r), y ~ P(y | z), s ~ N(Lambda z, Lambda);
 *     Lambda' = alpha Psi(Lambda),   Psi = (I + Lambda) E[zhat zhat^T] (I + Lambda) - Lambda (I + Lambda),
 * zhat = E[z | y, s] (Lambda' = Qhat since the Gaussian prior's channel gives Q' = Qhat (I + Qhat)^{-1}).
 * 1. The SE on U alone (z_perp integrated out of the channel y | z_U): the fixed point reached from the uninformed
 *    start at alpha is Lambda*(alpha) = the first Lambda with a(Lambda) = Lambda / Psi_U(Lambda) >= alpha (the inverse
 *    of the running maximum of a; a jump of the running maximum is a first-order transition of q_U, its spinodal).
 * 2. At (Lambda_U*, 0) the Jacobian of the SE is block-diagonal in (UU, U-perp, perp-perp) when E[z_perp | y, z_U] = 0
 *    (the posterior covariance C given (y, s_U) is block-diagonal; d E[zhat zhat^T] = E[C eps C], the matrix I-MMSE
 *    relation). Its perp-perp block is eps -> alpha F_q(eps), F_q(M) = E[G_q M G_q], G_q = E[z_perp z_perp^T - I | y, s_U];
 *    its cross block is eps -> alpha (1 + Lambda_U) E[C_UU G_q] eps (a cross overlap forces a perp one, Q being PSD).
 *    F_q increases with Lambda (a Gaussian channel of lower precision is a garbling of one of higher precision), so
 *    alpha rho(F_q(Lambda*(alpha))) increases with alpha, and the stage threshold is the first alpha where it reaches 1.
 *    With z_U known (Lambda -> inf) F_q is F_U and the threshold is at least max(alpha(U), 1/rho(F_U)), the bound
 *    printed before; equality holds when the SE on U reaches q_U = 1 before alpha = 1/rho(F_U).
 * Numerics: z_U on a midpoint grid (exact conditioning on nodes), z_perp on a tensor grid; labels on atoms or, for
 * continuous labels, garbled onto piecewise-linear hats at global quantile knots (a Markov kernel: a degraded
 * channel, so every information quantity is a lower bound of the grid's); s_U by Gauss-Hermite; Lambda on a grid of
 * q = Lambda/(1 + Lambda) from 1e-4 to 1 - 1e-7, the crossing bracketed between two grid points and refined by bisection.
 * The error is 2 x the sum of the changes with 0.7x the z_U nodes, 0.35x the perp grid and half the label knots, one
 * at a time, plus the bracket: an estimate, not a proof.
 */
import type { Link } from "../link/link.js";
import { NO_DEADLINE, type Deadline } from "../numeric/deadline.js";
import type { NoiseModel } from "./noise.js";
import { symmetricBasis } from "./subspace.js";
import { symmetricEigen } from "./subspace.js";
import { erfc } from "../numeric/special.js";
import { ascendingOrder } from "./weakLearnability.js";

/** The sharp alpha of a stage with a one-dimensional learned subspace, or why it is not certified. */
export interface SharpStage {
  /** The stage's alpha (the first alpha where the perp block of the SE Jacobian at the U fixed point is unstable). */
  readonly alpha: number;
  /** alpha range: the bracket of the crossing widened by twice the change to a coarser grid. */
  readonly interval: readonly [number, number];
  /** False when the computation could not certify the crossing (the cross block unstable first, no crossing found). */
  readonly certified: boolean;
  /** q_U = Lambda/(1 + Lambda) on the U branch at the crossing (1 when U is recovered exactly first). */
  readonly qU: number;
  /** Spinodal of a first-order jump of q_U on the way (the running maximum of a(Lambda) where it jumps), or null. */
  readonly spinodal: number | null;
  /** Largest alpha (1 + Lambda) |E[C_UU G]| on the branch below the crossing (the cross block; < 1 for a certified stage). */
  readonly crossBlock: number;
  /** rho(F_q) with z_U known on this grid (the lower bound's 1/alpha). */
  readonly knownRho: number;
  readonly note: string;
}

/** Grid settings of {@link sharpStageThreshold}. */
export interface SharpStageGrid {
  /** Nodes of z_U (default 64; 40 for r = 4). */
  readonly uNodes?: number;
  /** Label evaluations per z_U node on the perp grid (default 6000; 4000 for r = 4; at most 3000 nodes per perp dimension). */
  readonly perNode?: number;
  /** Hat knots for continuous labels (default 96; 48 for r = 4). */
  readonly knots?: number;
  /**
   * Labels are rounded to this fraction of their mean size (default 1e-9): a variation below it (the residue of a
   * learned direction known to that accuracy, which would otherwise leak z_perp into the label given z_U) is a tie.
   */
  readonly resolution?: number;
}

/** What the link's label law looks like (from weakLearnability's seeded atom scan). */
export interface LabelAtomInfo { readonly atoms: ReadonlySet<number>; readonly discrete: readonly number[] | null; readonly scale: number }

const HALF_WIDTH = 7.5;
const NOISE_NODES = 16;
const XI_NODES = 20;

function midpointRule(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n), w = new Float64Array(n), h = (2 * HALF_WIDTH) / n;
  let s = 0;
  for (let i = 0; i < n; i++) { x[i] = i < n / 2 ? -HALF_WIDTH + (i + 0.5) * h : -x[n - 1 - i]!; w[i] = Math.exp(-0.5 * x[i]! * x[i]!); s += w[i]!; }
  for (let i = 0; i < n; i++) w[i]! /= s;
  return { x, w };
}

/** Probabilists' Gauss-Hermite nodes and normalised weights (Golub-Welsch on the Jacobi matrix). */
function gaussHermite(n: number): { x: number[]; w: number[] } {
  const J = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (Math.abs(i - j) === 1 ? Math.sqrt(Math.max(i, j)) : 0)));
  const e = symmetricEigen(J).sort((a, b) => a.value - b.value);
  const w = e.map((p) => p.vector[0]! ** 2), s = w.reduce((a, b) => a + b, 0);
  return { x: e.map((p) => p.value), w: w.map((v) => v / s) };
}

/** The joint table of (z_U node, label cell): mass A and the perp moments B = sum w (z_perp z_perp^T - I) per cell. */
interface StageTable {
  readonly nu: number; readonly nb: number; readonly m: number;
  readonly xu: Float64Array;
  /** A[i * nb + b] */
  readonly A: Float64Array;
  /** B[(i * nb + b) * m * m + e] */
  readonly B: Float64Array;
  /** Nodes i with A[i, b] > 0, per cell b. */
  readonly cols: Int32Array[];
  readonly rows: Int32Array[];
  /** Per node i: the nodes j that share a cell with it (the union of cols[b] over rows[i]), ascending. */
  readonly needed: Int32Array[];
}

/** The link's labels on the (z_U node, perp node) grid, shared by every label binning of the same grid. */
interface StageEvaluations {
  readonly nu: number; readonly m: number; readonly inner: number; readonly total: number;
  readonly U: { x: Float64Array; w: Float64Array };
  /** perp coordinates of the inner nodes, m per node */
  readonly upAll: Float64Array;
  /** labels (NaN off the domain) and weights, index i * inner + idx */
  readonly ys: Float64Array; readonly ws: Float64Array;
}

function evaluateStage(link: Link, frame: readonly number[][], info: LabelAtomInfo, nu: number, perNode: number, resolution: number, deadline: Deadline): StageEvaluations {
  const quantum = resolution * info.scale;
  const snap = (y: number) => (info.atoms.has(y) ? y : Math.round(y / quantum) * quantum);
  const r = link.dimension, m = r - 1;
  const U = midpointRule(nu);
  const reps = 1;
  const np = 2 * Math.max(2, Math.min(1500, Math.round(0.5 * Math.pow(perNode / reps, 1 / m))));
  const P = midpointRule(np);
  const inner = np ** m;
  const total = nu * inner * reps;
  const ys = new Float64Array(total), ws = new Float64Array(total);
  const z = new Float64Array(r), up = new Float64Array(m), wpAll = new Float64Array(inner), upAll = new Float64Array(inner * m);
  for (let idx = 0; idx < inner; idx++) {
    let rem = idx, wt = 1;
    for (let j = m - 1; j >= 0; j--) { const q = rem % np; rem = Math.floor(rem / np); upAll[idx * m + j] = P.x[q]!; wt *= P.w[q]!; }
    wpAll[idx] = wt;
  }
  let t = 0, calls = 0;
  for (let i = 0; i < nu; i++) {
    for (let idx = 0; idx < inner; idx++) {
      for (let j = 0; j < m; j++) up[j] = upAll[idx * m + j]!;
      z.fill(0);
      for (let l = 0; l < r; l++) z[l] = U.x[i]! * frame[0]![l]!;
      for (let j = 0; j < m; j++) { const c = frame[j + 1]!, v = up[j]!; for (let l = 0; l < r; l++) z[l]! += v * c[l]!; }
      if ((++calls & 4095) === 0) deadline.check();
      const y = snap(link.g(z));
      const w0 = U.w[i]! * wpAll[idx]!;
      ys[t] = Number.isFinite(y) ? y : NaN;
      ws[t] = Number.isFinite(y) ? w0 : 0;
      t++;
    }
  }
  return { nu, m, inner, total, U, upAll, ys, ws };
}

/** The labels off the atoms (with gaussian noise, each at the noise nodes), their weights and ascending order. */
const knotLabelCache = new WeakMap<StageEvaluations, { key: string; ky: Float64Array; kw: Float64Array; ord: Int32Array; mass: number }>();
function knotLabels(ev: StageEvaluations, atomIndex: ReadonlyMap<number, number>, noiseRule: { x: Float64Array; w: Float64Array } | null, sigma: number) {
  const key = `${[...atomIndex.keys()].join(",")}/${noiseRule ? sigma : "none"}`;
  const known = knotLabelCache.get(ev);
  if (known && known.key === key) return known;
  const { total, ys, ws } = ev;
  // typed arrays and the radix order of weakLearnability (the stable comparator sort's order, linear in the count)
  let nKnot = 0;
  for (let s = 0; s < total; s++) if (ws[s]! > 0 && !atomIndex.has(ys[s]!)) nKnot += noiseRule ? NOISE_NODES : 1;
  const ky = new Float64Array(nKnot), kw = new Float64Array(nKnot);
  let mass = 0;
  for (let s = 0, o = 0; s < total; s++) {
    if (!(ws[s]! > 0) || atomIndex.has(ys[s]!)) continue;
    if (noiseRule) for (let q = 0; q < NOISE_NODES; q++, o++) { ky[o] = ys[s]! + sigma * noiseRule.x[q]!; kw[o] = ws[s]! * noiseRule.w[q]!; mass += kw[o]!; }
    else { ky[o] = ys[s]!; kw[o] = ws[s]!; mass += kw[o]!; o++; }
  }
  const out = { key, ky, kw, ord: ascendingOrder(ky, nKnot), mass };
  knotLabelCache.set(ev, out);
  return out;
}

function buildTable(ev: StageEvaluations, noise: NoiseModel, info: LabelAtomInfo, knots: number, resolution: number): StageTable {
  const { nu, m, inner, total, U, upAll, ys, ws } = ev;
  const quantum = resolution * info.scale;
  const reps = 1;
  // gaussian noise: clean labels on the grid, the noise integrated exactly into the hat cells (below); its nodes only
  // place the knots at quantiles of the noisy label
  const noiseRule = noise.kind === "gaussian" ? midpointRule(NOISE_NODES) : null;
  const sigma = noise.kind === "gaussian" ? noise.sigma : 0;
  let t = 0;
  // label cells shared by all z_U nodes: atoms (exact), else atoms of the law plus hats at global quantile knots
  const discrete = info.discrete && !noiseRule ? info.discrete : null;
  const atomIndex = new Map<number, number>();
  if (discrete) discrete.forEach((v, k) => atomIndex.set(v, k));
  else if (!noiseRule) [...info.atoms].sort((a, b) => a - b).forEach((v, k) => atomIndex.set(v, k));
  const nAtoms = atomIndex.size;
  let knotList: number[] = [];
  if (!discrete) {
    // knot placement: the labels (with gaussian noise, each at the noise nodes) not on an atom, by weighted quantiles
    // the sorted labels depend on the evaluations and the noise only: shared by the tables of one evaluation
    const { ky, ord, mass, kw } = knotLabels(ev, atomIndex, noiseRule, sigma);
    if (ord.length) {
      knotList = [ky[ord[0]!]!];
      let acc = 0;
      for (const s of ord) {
        acc += kw[s]!;
        const y = ky[s]!, last = knotList[knotList.length - 1]!;
        if (acc >= (knotList.length * mass) / knots && y - last > Math.max(1e-9 * (1 + Math.abs(last)), 0.5 * quantum)) knotList.push(y);
      }
      const yMax = ky[ord[ord.length - 1]!]!;
      if (yMax > knotList[knotList.length - 1]!) knotList.push(yMax);
    }
  }
  const nk = knotList.length, nb = nAtoms + nk;
  const A = new Float64Array(nu * nb), B = new Float64Array(nu * nb * m * m);
  const add = (i: number, b: number, w: number, off: number) => {
    A[i * nb + b]! += w;
    const base = (i * nb + b) * m * m;
    for (let a = 0; a < m; a++) { const ua = upAll[off + a]!; for (let c = 0; c < m; c++) B[base + a * m + c]! += w * (ua * upAll[off + c]! - (a === c ? 1 : 0)); }
  };
  const Phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2), phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  t = 0;
  for (let i = 0; i < nu; i++) for (let idx = 0; idx < inner; idx++) for (let q = 0; q < reps; q++, t++) {
    const w = ws[t]!, y = ys[t]!;
    if (!(w > 0)) continue;
    if (sigma > 0 && nk > 1) {
      // E[hat_b(y + sigma xi)] in closed form on each knot interval within 8 sigma, the tails on the end knots
      add(i, nAtoms, w * Phi((knotList[0]! - y) / sigma), idx * m);
      add(i, nAtoms + nk - 1, w * Phi((y - knotList[nk - 1]!) / sigma), idx * m);
      // first interval ending above y - 8 sigma (binary search), then up to y + 8 sigma
      let j0 = 0, j1 = nk - 1;
      while (j1 - j0 > 1) { const mid = (j0 + j1) >> 1; if (knotList[mid]! < y - 8 * sigma) j0 = mid; else j1 = mid; }
      for (let j = j0; j < nk - 1; j++) {
        const a = knotList[j]!, b = knotList[j + 1]!;
        if (a > y + 8 * sigma) break;
        if (b < y - 8 * sigma) continue;
        const al = (a - y) / sigma, be = (b - y) / sigma, P = Phi(be) - Phi(al), D = sigma * (phi(al) - phi(be));
        const rise = ((y - a) * P + D) / (b - a), fall = ((b - y) * P - D) / (b - a);
        if (fall > 0) add(i, nAtoms + j, w * fall, idx * m);
        if (rise > 0) add(i, nAtoms + j + 1, w * rise, idx * m);
      }
      continue;
    }
    const at = atomIndex.get(y);
    if (at !== undefined) { add(i, at, w, idx * m); continue; }
    if (nk === 1) { add(i, nAtoms, w, idx * m); continue; }
    // hat interpolation between the two neighbouring knots (binary search)
    let lo = 0, hi = nk - 1;
    if (y <= knotList[0]!) { add(i, nAtoms, w, idx * m); continue; }
    if (y >= knotList[nk - 1]!) { add(i, nAtoms + nk - 1, w, idx * m); continue; }
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (knotList[mid]! <= y) lo = mid; else hi = mid; }
    const lam = (y - knotList[lo]!) / (knotList[hi]! - knotList[lo]!);
    if (lam < 1) add(i, nAtoms + lo, w * (1 - lam), idx * m);
    if (lam > 0) add(i, nAtoms + hi, w * lam, idx * m);
  }
  if (noise.kind === "flip" && discrete) {
    // y_obs = s y, P(s = -1) = p, on the +-1 atoms (sorted: -1 first)
    const f = noise.p, i0 = atomIndex.get(-1), i1 = atomIndex.get(1);
    if (i0 !== undefined && i1 !== undefined) for (let i = 0; i < nu; i++) {
      const a0 = A[i * nb + i0]!, a1 = A[i * nb + i1]!;
      A[i * nb + i0] = (1 - f) * a0 + f * a1; A[i * nb + i1] = (1 - f) * a1 + f * a0;
      const b0 = (i * nb + i0) * m * m, b1 = (i * nb + i1) * m * m;
      for (let e = 0; e < m * m; e++) { const v0 = B[b0 + e]!, v1 = B[b1 + e]!; B[b0 + e] = (1 - f) * v0 + f * v1; B[b1 + e] = (1 - f) * v1 + f * v0; }
    }
  }
  const cols = Array.from({ length: nb }, (_, b) => Int32Array.from(Array.from({ length: nu }, (_, i) => i).filter((i) => A[i * nb + b]! > 0)));
  const rows = Array.from({ length: nu }, (_, i) => Int32Array.from(Array.from({ length: nb }, (_, b) => b).filter((b) => A[i * nb + b]! > 0)));
  const needed = rows.map((bs) => { const seen = new Uint8Array(nu); for (const b of bs) for (const j of cols[b]!) seen[j] = 1; return Int32Array.from(Array.from({ length: nu }, (_, j) => j).filter((j) => seen[j])); });
  return { nu, nb, m, xu: U.x, A, B, cols, rows, needed };
}

/** One point of the U branch: a(Lambda), rho(F_q(Lambda)) and the cross-block factor (1 + Lambda) max|eig E[C G]|. */
interface BranchPoint { lambda: number; a: number; rho: number; cross: number }

/** Node i's share of branchPoint's sums (F and CG accumulated in place; returns its share of E[zhat^2]): a function of its own, so that V8 optimises it as a whole instead of deoptimising branchPoint on every call. */
function nodeMoments(T: StageTable, i: number, lambda: number, sq: number, gh: { x: number[]; w: number[] }, basis: readonly Float64Array[], F: Float64Array, CG: Float64Array, e: Float64Array, G: Float64Array, GE: Float64Array, GEG: Float64Array): number {
  const { nb, m, xu, A, B, cols, rows } = T;
  const D = basis.length, mm = m * m;
  let mhat = 0;
  // the z_U nodes sharing a label cell with node i: the only posterior weights used below (a common shift cancels)
  const nd = T.needed[i]!;
  for (let k = 0; k < gh.x.length; k++) {
    const s = lambda * xu[i]! + sq * gh.x[k]!;
    let mx = -Infinity;
    for (let q = 0; q < nd.length; q++) { const j = nd[q]!, v = s * xu[j]! - 0.5 * lambda * xu[j]! * xu[j]!; e[j] = v; if (v > mx) mx = v; }
    for (let q = 0; q < nd.length; q++) { const j = nd[q]!; e[j] = Math.exp(e[j]! - mx); }
    for (const b of rows[i]!) {
      const W = A[i * nb + b]! * gh.w[k]!;
      let Z = 0, M1 = 0, M2 = 0;
      G.fill(0);
      for (const j of cols[b]!) {
        const we = A[j * nb + b]! * e[j]!;
        if (we === 0) continue;
        Z += we; M1 += we * xu[j]!; M2 += we * xu[j]! * xu[j]!;
        const ej = e[j]!, base = (j * nb + b) * mm;
        for (let q = 0; q < mm; q++) G[q]! += B[base + q]! * ej;
      }
      if (!(Z > 0)) continue;
      const zh = M1 / Z, C = Math.max(0, M2 / Z - zh * zh);
      for (let q = 0; q < mm; q++) G[q]! /= Z;
      mhat += W * zh * zh;
      for (let q = 0; q < mm; q++) CG[q]! += W * C * G[q]!;
      if (m === 1) { F[0]! += W * G[0]! * G[0]!; continue; }
      for (let c = 0; c < D; c++) {
        const E = basis[c]!;
        // GEG = G E G
        GE.fill(0); GEG.fill(0);
        for (let a = 0; a < m; a++) for (let l = 0; l < m; l++) { const g = G[a * m + l]!; if (g !== 0) for (let bb = 0; bb < m; bb++) GE[a * m + bb]! += g * E[l * m + bb]!; }
        for (let a = 0; a < m; a++) for (let l = 0; l < m; l++) { const g = GE[a * m + l]!; if (g !== 0) for (let bb = 0; bb < m; bb++) GEG[a * m + bb]! += g * G[l * m + bb]!; }
        for (let c2 = 0; c2 <= c; c2++) { const E2 = basis[c2]!; let v = 0; for (let q = 0; q < mm; q++) v += E2[q]! * GEG[q]!; F[c2 * D + c]! += W * v; }
      }
    }
  }
  return mhat;
}

function branchPoint(T: StageTable, lambda: number, gh: { x: number[]; w: number[] }, deadline: Deadline): BranchPoint {
  const { nu, m } = T;
  const basis = symmetricBasis(m), D = basis.length, mm = m * m;
  const F = new Float64Array(D * D), CG = new Float64Array(mm);
  let Mhat = 0;
  const e = new Float64Array(nu), G = new Float64Array(mm), GE = new Float64Array(mm), GEG = new Float64Array(mm);
  const sq = Math.sqrt(lambda);
  for (let i = 0; i < nu; i++) {
    deadline.check();
    Mhat += nodeMoments(T, i, lambda, sq, gh, basis, F, CG, e, G, GE, GEG);
  }
  for (let c = 0; c < D; c++) for (let c2 = 0; c2 < c; c2++) F[c * D + c2] = F[c2 * D + c]!;
  const rho = m === 1 ? F[0]! : Math.max(0, ...symmetricEigen(Array.from({ length: D }, (_, a) => Array.from({ length: D }, (_, b) => F[a * D + b]!))).map((p) => p.value));
  const cgEig = m === 1 ? [CG[0]!] : symmetricEigen(Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => 0.5 * (CG[a * m + b]! + CG[b * m + a]!)))).map((p) => p.value);
  const psi = (1 + lambda) * (1 + lambda) * Mhat - lambda * (1 + lambda);
  return { lambda, a: psi > 1e-14 * (1 + lambda) ** 2 ? lambda / psi : Infinity, rho, cross: (1 + lambda) * Math.max(0, ...cgEig.map(Math.abs)) };
}

/** The crossing on one grid: alpha with its bracket, q_U, spinodal, cross-block maximum and the z_U-known rho. */
function crossing(T: StageTable, deadline: Deadline): { alpha: number; lo: number; hi: number; certified: boolean; qU: number; spinodal: number | null; cross: number; knownRho: number; why: string } {
  const gh = gaussHermite(XI_NODES);
  const qs: number[] = [];
  for (let k = 0; k <= 16; k++) qs.push(1e-4 * Math.pow(0.5 / 1e-4, k / 16));
  for (let k = 1; k <= 20; k++) qs.push(1 - 0.5 * Math.pow(1e-7 / 0.5, k / 20));
  // evaluated in order as the scan needs them (a crossing below q = 1/2 skips the q -> 1 tail); the last (z_U known
  // on the grid) always
  const cache = new Map<number, BranchPoint>();
  const point = (idx: number) => { let p = cache.get(idx); if (!p) { p = branchPoint(T, qs[idx]! / (1 - qs[idx]!), gh, deadline); cache.set(idx, p); } return p; };
  const pts = { length: qs.length, at: point };
  const known = point(qs.length - 1);
  let A = 0, prevIndex = -1, spinodal: number | null = null, cross = 0;
  for (let idx = 0; idx < pts.length; idx++) {
    const p = pts.at(idx);
    if (!(p.a > A)) continue; // skipped by the AMP branch (inside a first-order jump)
    const prev = prevIndex >= 0 ? pts.at(prevIndex) : null;
    // points skipped between two records: q_U jumps at alpha = A (a spinodal)
    if (prev && idx - prevIndex > 1) spinodal ??= A;
    if (p.a * p.rho >= 1) {
      // for alpha in (A, a(p)] the branch sits between prev and p: bisection in log Lambda
      let l0 = prev?.lambda ?? 0, l1 = p.lambda, a0 = A, r0 = prev?.rho ?? 0, a1 = p.a, r1 = p.rho;
      for (let it = 0; it < 8 && l0 > 0; it++) {
        const mid = branchPoint(T, Math.sqrt(l0 * l1), gh, deadline);
        const am = Math.max(a0, mid.a);
        if (am * mid.rho >= 1) { l1 = mid.lambda; a1 = Math.min(a1, am); r1 = mid.rho; }
        else { l0 = mid.lambda; a0 = am; r0 = mid.rho; cross = Math.max(cross, am * mid.cross); }
      }
      const lo = Math.max(a0, 1 / r1), hi = Math.max(lo, Math.min(a1, r0 > 0 ? 1 / r0 : Infinity));
      const ok = cross < 1;
      return { alpha: 0.5 * (lo + hi), lo, hi, certified: ok, qU: l1 / (1 + l1), spinodal, cross, knownRho: known.rho, why: ok ? "" : `the cross block alpha (1 + Lambda) |E[C_UU G]| reaches ${cross.toPrecision(3)} >= 1 on the branch below the crossing` };
    }
    cross = Math.max(cross, p.a * p.cross);
    A = p.a; prevIndex = idx;
  }
  // no crossing up to q = 1 - 1e-7: past the last record the SE on U runs beyond the grid, where z_U is known on it
  const alpha = Math.max(A, known.rho > 1e-9 ? 1 / known.rho : Infinity);
  if (prevIndex < pts.length - 1) spinodal ??= A;
  const ok = Number.isFinite(alpha) && cross < 1;
  return {
    alpha, lo: alpha, hi: alpha, certified: ok, qU: 1, spinodal, cross, knownRho: known.rho,
    why: ok ? "" : !Number.isFinite(alpha) ? "rho(F_U) = 0 on the grid" : `the cross block reaches ${cross.toPrecision(3)} >= 1`,
  };
}

/**
 * The sharp alpha of the stage U-perp given U = span{frame[0]} (frame: u, then an orthonormal basis of U-perp, in the
 * user's coordinates), on a fine and a 0.7x grid (see the module comment).
 */
export function sharpStageThreshold(link: Link, frame: readonly number[][], noise: NoiseModel, info: LabelAtomInfo, grid: SharpStageGrid = {}, deadline: Deadline = NO_DEADLINE): SharpStage {
  // r = 4 (three perp dimensions): a lighter default, the Sym_3 operator costs 6 x 6 per cell
  const heavy = link.dimension >= 4;
  const nu = grid.uNodes ?? (heavy ? 40 : 64), per = grid.perNode ?? (heavy ? 4000 : 6000), knots = grid.knots ?? (heavy ? 48 : 96), res = grid.resolution ?? 1e-9;
  const even = (n: number) => 2 * Math.max(4, Math.round(n / 2));
  // the fine grid's label evaluations serve the fine table and the half-knots variant
  const fineEval = evaluateStage(link, frame, info, even(nu), per, res, deadline);
  const fine = crossing(buildTable(fineEval, noise, info, knots, res), deadline);
  // one resolution changed at a time (a joint change can cancel): z_U nodes, perp grid, label knots
  const variants = [
    crossing(buildTable(fineEval, noise, info, Math.max(12, Math.round(knots / 2)), res), deadline),
    crossing(buildTable(evaluateStage(link, frame, info, even(0.7 * nu), per, res, deadline), noise, info, knots, res), deadline),
    crossing(buildTable(evaluateStage(link, frame, info, even(nu), 0.35 * per, res, deadline), noise, info, knots, res), deadline),
  ];
  const rough = { certified: variants.every((v) => v.certified), cross: Math.max(...variants.map((v) => v.cross)) };
  const err = 2 * variants.reduce((acc, v) => acc + Math.abs(fine.alpha - v.alpha), 0);
  const interval: [number, number] = [Math.max(0, fine.lo - err), fine.hi + err];
  const certified = fine.certified && rough.certified && Number.isFinite(fine.alpha);
  const f = (x: number) => Number(x.toPrecision(6)).toString();
  const how = fine.qU === 1
    ? `the SE on U reaches q_U = 1${fine.spinodal !== null ? ` (first-order jump at its spinodal alpha = ${f(fine.spinodal)})` : ""} before alpha rho(F_q) = 1, so the stage is at max(alpha(U), 1/rho(F_U))`
    : `alpha rho(F_q) = 1 on the SE branch of U at q_U = ${f(fine.qU)}`;
  return {
    alpha: fine.alpha, interval, certified, qU: fine.qU, spinodal: fine.spinodal, crossBlock: Math.max(fine.cross, rough.cross), knownRho: fine.knownRho,
    note: certified
      ? `${how}; alpha = ${f(fine.alpha)} in [${f(interval[0])}, ${f(interval[1])}] (bracket + 2 x the changes with coarser z_U, perp and label grids; cross block <= ${f(Math.max(fine.cross, rough.cross))} < 1)`
      : `sharp value not certified: ${fine.why || variants.find((v) => v.why)?.why || "a coarser grid does not certify it"}`,
  };
}
