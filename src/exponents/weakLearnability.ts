/**
 * Weak learnability of a multi-index model y = g(z1..zr) (+ label noise) at n = alpha d by Bayes-optimal AMP, the
 * optimal first-order method (Troiani, Dandi, Defilippis, Zdeborova, Loureiro, Krzakala 2024, arXiv 2405.15480).
 *
 * State evolution of Bayes-optimal GAMP with the Gaussian prior (the authors' code, SPOC-group/FundamentalLimitsMultiIndex):
 *     Qhat = alpha E[g_out g_out^T],   Q' = Qhat (I + Qhat)^{-1},   g_out = V^{-1}(E[z | y, omega, V] - omega), V = I - Q.
 * At Q = 0, g_out = E[z | y]: the trivial subspace T = range E_y[E[z|y] E[z|y]^T] is learned at every alpha > 0.
 * When T = {0}, expanding the posterior to first order in Q gives g_out = G(y) omega, G(y) = E[z z^T - I | y], so
 *     Q' = alpha F(Q) + o(Q),      F(M) = E_y[G(y) M G(y)]   on symmetric r x r matrices,
 * and Q = 0 is unstable iff alpha rho(F) > 1: 1/alpha_c = rho(F). F is self-adjoint for <A,B> = tr(AB) and maps the
 * PSD cone into itself, so rho(F) is its largest eigenvalue, reached at a PSD eigenvector M* (Krein-Rutman); the
 * easy subspace is the range of the top eigenspace. r = 1: 1/alpha_c = E[E[z^2 - 1 | y]^2] (threshold.ts).
 *
 * Grand staircase: with U learned, the directions of U-perp are trivially coupled when E[z_perp | y, z_U] != 0
 * (learned as soon as U is: stage alpha = the alpha of U), easy-coupled when the conditional operator
 * F_U(M) = E[G_U M G_U], G_U = E[z_perp z_perp^T - I | y, z_U], has rho > 0. At finite alpha, U is known only with
 * overlap Q_U < I, a garbling of z_U, and by Jensen F with partial knowledge is below F_U, so max(alpha(U), 1/rho(F_U))
 * is a lower bound. When U is one-dimensional and its own alpha is sharp, the stage's alpha is computed sharply from
 * the SE on U with z_perp integrated out (stageThreshold.ts: the first alpha at which the perp block of the SE Jacobian
 * at the U fixed point is unstable); otherwise, or when that computation is not certified, the lower bound is printed
 * (`sharp` false). Directions no stage reaches are hard (alpha_c = infinity).
 *
 * Numerics: a midpoint tensor grid on [-L, L]^r with Gaussian weights in a frame adapted to U (U's basis, then an
 * orthonormal completion; the completion in a fixed generic rotation for continuous labels), exact conditioning on
 * the grid nodes of z_U, and E[. | y] projected on the label's atoms and on piecewise-linear hat functions of y with
 * knots at label quantiles. Projecting the label can only lower F in the PSD order (Jensen / Bessel); the error is
 * 2 x (change to a 0.7x grid + change with half the hat functions), a numerical estimate, not a proof.
 */
import type { Link } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { TimeLimitExceeded, deadlineAfter, type Deadline } from "../numeric/deadline.js";
import { describeNoise, NO_NOISE, noiseText, type NoiseModel } from "./noise.js";
import { symmetricBasis, symmetricEigen } from "./subspace.js";
import { seededRng } from "../numeric/xoshiro.js";
import { dependsOnSubspace, extendOrthonormal, orthogonalComplement } from "./subspaceStaircase.js";
import { weakRecoveryThreshold, type WeakRecoveryThreshold } from "./threshold.js";
import { sharpStageThreshold, type SharpStage } from "./stageThreshold.js";

/** How a staircase stage is reached given the earlier ones. */
export type LearnabilityKind = "trivial" | "easy";

/** One stage of the grand staircase: the subspace it adds and the alpha = n/d at which it becomes learnable. */
export interface LearnabilityStage {
  /** Orthonormal basis of the new directions, in the user's coordinates z1..zr. */
  readonly basis: number[][];
  /** "trivial": E[z_perp | y, z_U] != 0 (or E[z | y] != 0 for the first stage); "easy": the conditional operator has rho > 0. */
  readonly kind: LearnabilityKind;
  /** Dimension of the subspace learned before this stage. */
  readonly givenDimension: number;
  /** The alpha at which the stage becomes learnable (sharp when `sharp`, else a lower bound). */
  readonly alpha: number;
  /** True when `alpha` is the threshold itself (first stage, a later stage from the SE on a one-dimensional U, or trivially coupled to a sharp one); false: a lower bound. */
  readonly sharp: boolean;
  /** alpha range implied by the numerical error of rho (for a lower bound: of the bound). */
  readonly interval: readonly [number, number];
  /** Largest eigenvalue of the (conditional) operator F, 1/rho the stage's own threshold; for trivial stages the top eigenvalue of E[E[z|y]E[z|y]^T]. */
  readonly eigenvalue: number;
  readonly eigenvalueError: number;
  /** The stage in one sentence. */
  readonly note: string;
}

/** Trivial, easy and hard subspaces of a multi-index link with alpha_c and the grand staircase. */
export interface MultiIndexLearnability {
  readonly r: number;
  /** Orthonormal basis of the trivial subspace span{E[z | y]} (alpha_c = 0). */
  readonly trivialSubspace: number[][];
  /** Orthonormal basis of the easy subspace (range of the top eigenvector of F); empty when the trivial subspace is not. */
  readonly easySubspace: number[][];
  /**
   * alpha_c of weak recovery: 0 when the trivial subspace is non-empty, 1/rho(F) when easy, Infinity when hard;
   * undetermined: the certified lower bound 1/(r+1) (Jensen: F(M) <= E[H M H] = tr(M) I + M, H = zz^T - I).
   */
  readonly alphaC: number;
  readonly interval: readonly [number, number];
  readonly errorBound: number;
  /** rho(F) = 1/alpha_c (0 for a trivial or hard link) with its error. */
  readonly eigenvalue: number;
  readonly eigenvalueError: number;
  /** "trivial" | "easy" | "hard" | "undetermined" (time limit). */
  readonly regime: "trivial" | "easy" | "hard" | "undetermined";
  /** Directions the link depends on that no stage reaches (alpha_c = infinity). */
  readonly hardDirections: number[][];
  /** Directions the link does not depend on. */
  readonly irrelevantDirections: number[][];
  /** Directions the link depends on that the grid could neither reach nor show unreachable (time limit, or eigenvalues not significant at this resolution). */
  readonly unresolvedDirections: number[][];
  /** The grand staircase in order. */
  readonly staircase: LearnabilityStage[];
  /** "exact" (r = 1 exact), "closed-form", "numerical". */
  readonly basis: "exact" | "closed-form" | "numerical" | "monte-carlo";
  /** False when the time limit cut the analysis (the stages found so far are kept). */
  readonly resolved: boolean;
  readonly noise: string;
  readonly note: string;
  readonly convention: string;
  readonly citation: string;
  /** r = 1: the single-index threshold this reproduces. */
  readonly singleIndex?: WeakRecoveryThreshold;
}

/** Normalisation of alpha_c for multi-index links. */
export const MULTI_THRESHOLD_CONVENTION =
  "alpha = n/d, x ~ N(0, I_d), y = g(W* x) (+ noise), W* (r x d) with orthonormal rows; 1/alpha_c = largest eigenvalue of F(M) = E_y[G(y) M G(y)] on symmetric r x r matrices, G(y) = E[z z^T - I | y], z ~ N(0, I_r); r = 1 gives 1/alpha_c = E[E[He_2(Z) | Y]^2]";

/** Citation of the multi-index layer. */
export const MULTI_THRESHOLD_CITATION =
  "Troiani, Dandi, Defilippis, Zdeborova, Loureiro, Krzakala 2024 (arXiv 2405.15480: trivial subspace, easy subspace from the stability of the uninformative AMP fixed point, hard directions, grand staircase); operator derived here from the state evolution of the authors' code";

/** Options of {@link weakLearnability}. */
export interface LearnabilityOptions {
  readonly noise?: NoiseModel;
  /** Wall-clock budget in seconds (default none); past it the stages found so far are returned, resolved false. */
  readonly timeLimit?: number;
  readonly deadline?: Deadline;
  /** Grid points per latent dimension (default by r: 600, 80, 28 for r = 2, 3, 4). */
  readonly nodes?: number;
  /** Hat functions in y per conditioning node for continuous labels (default 240 / sqrt(number of z_U nodes), 12..400). */
  readonly bins?: number;
}

/** Label cells: for each, its mass p, p E[z_perp | cell] and p E[z_perp z_perp^T - I | cell] (row-major). */
interface Cells { readonly dim: number; readonly p: number[]; readonly m: Float64Array[]; readonly a: Float64Array[] }

const HALF_WIDTH = 7.5;
const MAX_ATOMS = 64;
/** Absolute floor below which an eigenvalue counts as zero (floating point and grid tails). */
const FLOOR = 1e-7;
/** An eigenvalue counts as non-zero beyond SIGNIFICANCE times its error estimate plus FLOOR. */
const SIGNIFICANCE = 3;
/** Eigenvalues below ZERO at every resolution are numerically zero (a hard direction). */
const ZERO = 1e-6;

/** Midpoint nodes on [-L, L] with normalised N(0,1) weights (spectrally accurate for smooth integrands). */
function midpointRule(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n), w = new Float64Array(n), h = (2 * HALF_WIDTH) / n;
  let s = 0;
  // mirrored exactly (x[n-1-i] = -x[i]), so that symmetric links give exactly tied labels
  for (let i = 0; i < n; i++) { x[i] = i < n / 2 ? -HALF_WIDTH + (i + 0.5) * h : -x[n - 1 - i]!; w[i] = Math.exp(-0.5 * x[i]! * x[i]!); s += w[i]!; }
  for (let i = 0; i < n; i++) w[i]! /= s;
  return { x, w };
}

const NOISE_NODES = 24;

/**
 * The label cells of z_perp = frame[k..] coordinates given z_U = frame[0..k) coordinates (exact conditioning on grid
 * nodes of z_U), labels by atoms or equal-mass bins within each z_U node.
 */
function labelCells(link: Link, frame: readonly number[][], k: number, noise: NoiseModel, nodes: number, binsList: readonly number[], deadline: Deadline, resolution: number): Cells[] {
  const r = link.dimension, dim = r - k;
  const { x, w } = midpointRule(nodes);
  const noiseRule = noise.kind === "gaussian" ? midpointRule(NOISE_NODES) : null;
  const perGroup = nodes ** dim * (noiseRule ? NOISE_NODES : 1);
  const groups = nodes ** k;
  const z = new Float64Array(r), u = new Float64Array(r);
  const ys = new Float64Array(perGroup), ws = new Float64Array(perGroup), us = new Float64Array(perGroup * dim);
  // one set of cells per entry of binsList, from the same label evaluations
  const out: Cells[] = binsList.map(() => ({ dim, p: [], m: [], a: [] }));
  const push = (o: Cells, p: number, m: Float64Array, a: Float64Array) => { o.p.push(p); o.m.push(m); o.a.push(a); };
  const { atoms: atomSet, discrete: atoms, scale } = labelAtoms(link);
  // labels are rounded to `resolution` of their mean size: a variation below it (the residue of a learned subspace
  // known to that accuracy, which would otherwise leak z_perp into the label given z_U) is a tie
  const quantum = resolution * scale;
  const snap = (y: number) => (atomSet.has(y) ? y : Math.round(y / quantum) * quantum);
  if (noise.kind === "flip" && !(atoms && atoms.every((v) => v === 1 || v === -1))) throw new InputError("flip noise needs a +-1-valued link (y = s g(z) with g in {-1, +1})");
  let calls = 0;
  for (let gIdx = 0; gIdx < groups; gIdx++) {
    let weightU = 1, rem = gIdx;
    for (let j = k - 1; j >= 0; j--) { const i = rem % nodes; rem = Math.floor(rem / nodes); u[j] = x[i]!; weightU *= w[i]!; }
    let t = 0;
    const inner = nodes ** dim;
    for (let idx = 0; idx < inner; idx++) {
      let wt = weightU, rr = idx;
      for (let j = r - 1; j >= k; j--) { const i = rr % nodes; rr = Math.floor(rr / nodes); u[j] = x[i]!; wt *= w[i]!; }
      z.fill(0);
      for (let j = 0; j < r; j++) { const c = frame[j]!, uj = u[j]!; for (let l = 0; l < r; l++) z[l]! += uj * c[l]!; }
      if ((++calls & 4095) === 0) deadline.check();
      const y = snap(link.g(z));
      if (!Number.isFinite(y)) continue;
      const reps = noiseRule ? NOISE_NODES : 1;
      for (let q = 0; q < reps; q++) {
        ys[t] = noiseRule ? y + (noise as { sigma: number }).sigma * noiseRule.x[q]! : y;
        ws[t] = noiseRule ? wt * noiseRule.w[q]! : wt;
        for (let j = 0; j < dim; j++) us[t * dim + j] = u[k + j]!;
        t++;
      }
    }
    if (t === 0) continue;
    if (!(atoms && !noiseRule)) {
      // sorted once for every entry of binsList
      const sorted = sortLabels(ys, ws, us, t, dim, noiseRule ? new Set() : atomSet);
      binsList.forEach((bins, b) => {
        const h = hatCells(ws, us, t, dim, bins, sorted);
        for (let c = 0; c < h.p.length; c++) push(out[b]!, h.p[c]!, h.m[c]!, h.a[c]!);
      });
      continue;
    }
    const index = new Map(atoms.map((v, i) => [v, i]));
    const cellOf = new Int32Array(t);
    for (let s = 0; s < t; s++) {
      let c = index.get(ys[s]!);
      if (c === undefined) { c = index.size; index.set(ys[s]!, c); }
      cellOf[s] = c;
    }
    const nCells = index.size;
    const { p, m, a } = accumulate(cellOf, nCells, ws, us, t, dim);
    if (noise.kind === "flip") {
      // y_obs = s y: cell of +1 gets (1-p) of itself and p of -1 (atoms sorted, so -1 is index 0 and +1 index 1)
      const f = noise.p;
      const mix = <T extends Float64Array>(u0: T, u1: T) => [u0.map((v, i) => (1 - f) * v + f * u1[i]!), u1.map((v, i) => (1 - f) * v + f * u0[i]!)] as const;
      const [m0, m1] = mix(m[0]!, m[1]!), [a0, a1] = mix(a[0]!, a[1]!);
      const p0 = (1 - f) * p[0]! + f * p[1]!, p1 = (1 - f) * p[1]! + f * p[0]!;
      m[0] = m0; m[1] = m1; a[0] = a0; a[1] = a1; p[0] = p0; p[1] = p1;
    }
    for (let c = 0; c < nCells; c++) if (p[c]! > 0) for (const o of out) push(o, p[c]!, m[c]!, a[c]!);
  }
  return out;
}

/** Per cell: mass, sum of w z and sum of w (z z^T - I). */
function accumulate(cellOf: Int32Array, nCells: number, ws: Float64Array, us: Float64Array, t: number, dim: number) {
  const p = new Array<number>(nCells).fill(0), m = Array.from({ length: nCells }, () => new Float64Array(dim)), a = Array.from({ length: nCells }, () => new Float64Array(dim * dim));
  for (let s = 0; s < t; s++) {
    const c = cellOf[s]!, wt = ws[s]!, off = s * dim;
    p[c]! += wt;
    const mc = m[c]!, ac = a[c]!;
    for (let i = 0; i < dim; i++) {
      const ui = us[off + i]!;
      mc[i]! += wt * ui;
      for (let j = 0; j < dim; j++) ac[i * dim + j]! += wt * (ui * us[off + j]! - (i === j ? 1 : 0));
    }
  }
  return { p, m, a };
}

/**
 * The indices 0..t-1 ordered by ys (finite values; ties in index order), the order a stable sort by ys[a] - ys[b]
 * gives: by a least-significant-digit radix sort of the doubles' bits mapped to an unsigned order (-0 read as +0, as
 * the comparison does), the keys carried along so that every pass reads in sequence: 3 passes of 11, 11 and 10 bits per
 * 32-bit half, or 2 passes of 16 bits from 2^16 points on (4 passes instead of 6 where the counters are cheap): linear
 * in t instead of t log t comparator calls.
 */
export function ascendingOrder(ys: Float64Array, t: number): Int32Array {
  if (t < 2048) return Int32Array.from(Array.from({ length: t }, (_, s) => s).sort((a, b) => ys[a]! - ys[b]!));
  // the doubles' words read in place (little-endian on every platform node runs on: [low, high] per double)
  const words = new Uint32Array(ys.buffer, ys.byteOffset, 2 * t);
  // scratch buffers kept between calls (large typed arrays are what the garbage collector spent its time on); the
  // order returned is a fresh array
  // order returned is a fresh array; above 2^21 points (24 bytes each) fresh buffers, so that nothing large is retained
  const make = (c: number) => ({ capacity: c, words: Array.from({ length: 4 }, () => new Uint32Array(c)), idx: [new Int32Array(c), new Int32Array(c)] });
  let scratch = radixScratch;
  if (scratch.capacity < t) {
    scratch = make(Math.max(t, Math.min(RADIX_SCRATCH_MAX, 2 * scratch.capacity)));
    if (t <= RADIX_SCRATCH_MAX) radixScratch = scratch;
  }
  const [w0, w1, w2, w3] = scratch.words as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let lo = w0.subarray(0, t), hi = w1.subarray(0, t), idx = scratch.idx[0]!.subarray(0, t);
  let lo2 = w2.subarray(0, t), hi2 = w3.subarray(0, t), idx2 = scratch.idx[1]!.subarray(0, t);
  for (let s = 0; s < t; s++) {
    let l = words[2 * s]!, h = words[2 * s + 1]!;
    if (l === 0 && h === 0x80000000) h = 0; // -0 sorts as +0
    // negative: flip every bit (larger magnitude first); positive: set the sign bit
    if (h & 0x80000000) { lo[s] = ~l >>> 0; hi[s] = ~h >>> 0; } else { lo[s] = l; hi[s] = (h | 0x80000000) >>> 0; }
    idx[s] = s;
  }
  // digits of 11, 11 and 10 bits per 32-bit half (6 passes); from 2^16 points on, 16 and 16 (4 passes, 65536 counters)
  const wide = t >= 65536;
  const shifts = wide ? [0, 16] : [0, 11, 22], masks = wide ? [65535, 65535] : [2047, 2047, 1023];
  const count = new Int32Array(wide ? 65536 : 2048);
  for (let pass = 0; pass < 2 * shifts.length; pass++) {
    const digit = pass % shifts.length, shift = shifts[digit]!, mask = masks[digit]!, high = pass >= shifts.length;
    const key = high ? hi : lo;
    count.fill(0);
    for (let s = 0; s < t; s++) count[(key[s]! >>> shift) & mask]!++;
    if (count[(key[0]! >>> shift) & mask] === t) continue; // every key has this digit: the pass would not move anything
    let sum = 0;
    for (let b = 0; b <= mask; b++) { const c = count[b]!; count[b] = sum; sum += c; }
    for (let s = 0; s < t; s++) {
      const d = count[(key[s]! >>> shift) & mask]!++;
      lo2[d] = lo[s]!; hi2[d] = hi[s]!; idx2[d] = idx[s]!;
    }
    [lo, lo2] = [lo2, lo]; [hi, hi2] = [hi2, hi]; [idx, idx2] = [idx2, idx];
  }
  return idx.slice();
}
const RADIX_SCRATCH_MAX = 2 ** 21;
let radixScratch: { capacity: number; words: Uint32Array[]; idx: Int32Array[] } = { capacity: 0, words: [], idx: [] };

/** One group's labels in ascending order, split into atoms (cell per atom value) and the rest gathered in that order. */
interface SortedLabels {
  /** Atom cell of each point (original index), -1 off the atoms. */
  readonly atomOf: Int32Array;
  readonly nAtoms: number;
  /** The points off the atoms in ascending label order: labels, weights, coordinates (dim per point). */
  readonly ry: Float64Array;
  readonly rw: Float64Array;
  readonly ru: Float64Array;
  readonly restMass: number;
}

function sortLabels(ys: Float64Array, ws: Float64Array, us: Float64Array, t: number, dim: number, atomValues: ReadonlySet<number>): SortedLabels {
  const order = ascendingOrder(ys, t);
  // atoms of the label law (tied grid labels of a continuous law are not atoms)
  const atomOf = new Int32Array(t).fill(-1);
  let nAtoms = 0;
  for (let s = 0; s < t;) {
    let e = s + 1, mass = ws[order[s]!]!;
    while (e < t && ys[order[e]!] === ys[order[s]!]) { mass += ws[order[e]!]!; e++; }
    if (atomValues.has(ys[order[s]!]!) && mass > 0) { for (let q = s; q < e; q++) atomOf[order[q]!] = nAtoms; nAtoms++; }
    s = e;
  }
  let n = 0;
  for (let q = 0; q < t; q++) if (atomOf[order[q]!]! < 0) n++;
  const ry = new Float64Array(n), rw = new Float64Array(n), ru = new Float64Array(n * dim);
  let restMass = 0, r = 0;
  for (let q = 0; q < t; q++) {
    const i = order[q]!;
    if (atomOf[i]! >= 0) continue;
    ry[r] = ys[i]!; rw[r] = ws[i]!; restMass += ws[i]!;
    for (let a = 0; a < dim; a++) ru[r * dim + a] = us[i * dim + a]!;
    r++;
  }
  return { atomOf, nAtoms, ry, rw, ru, restMass };
}

/**
 * Continuous labels: the L2 projection of E[z | y] and G(y) on atoms (label values of mass > 1e-3, indicators) and
 * piecewise-linear hat functions of y with knots at `bins` weighted quantiles of the other labels (a smooth basis,
 * so the grid integrates it far better than bin indicators). With K = L L^T the hats' Gram matrix (tridiagonal) and
 * C_j = E[phi_j H], the projected operator is sum_jl (K^-1)_jl C_j M C_l = sum_j D_j M D_j, D = L^-1 C: returned as
 * cells of unit mass (Bessel: a projection can only lower F in the PSD order).
 */
/** Knots at weighted quantiles of the sorted labels ry (distinct values), the first label included. */
function quantileKnots(ry: Float64Array, rw: Float64Array, n: number, restMass: number, bins: number): number[] {
  // one loop per function, here and in hatMoments: V8 compiles a loop of a long call on the fly (OSR) and, with the loop
  // inside hatCells, dropped that code at the code after the loop on every call (hundreds of deoptimisations a scan)
  const knots: number[] = [ry[0]!];
  let acc = 0;
  for (let q = 0; q < n; q++) {
    acc += rw[q]!;
    const y = ry[q]!, last = knots[knots.length - 1]!;
    if (acc >= (knots.length * restMass) / bins && y - last > 1e-9 * (1 + Math.abs(last))) knots.push(y);
  }
  return knots;
}

/** The hats' Gram matrix (diagonal, off-diagonal) and the moments C_j = sum w phi_j (u u^T - I), Cm_j = sum w phi_j u. */
function hatMoments(ry: Float64Array, rw: Float64Array, ru: Float64Array, n: number, dim: number, knots: readonly number[], diag: Float64Array, off: Float64Array, C: Float64Array[], Cm: Float64Array[]): void {
  const J = knots.length;
  let j = 0;
  for (let r = 0; r < n; r++) {
    const y = ry[r]!, wt = rw[r]!;
    while (j < J - 2 && y > knots[j + 1]!) j++;
    const lam = Math.min(1, Math.max(0, (y - knots[j]!) / (knots[j + 1]! - knots[j]!)));
    const phi0 = 1 - lam;
    diag[j]! += wt * phi0 * phi0; diag[j + 1]! += wt * lam * lam; off[j + 1]! += wt * phi0 * lam;
    const o = r * dim;
    for (let q = 0; q < 2; q++) {
      const f = wt * (q === 0 ? phi0 : lam), Cq = C[j + q]!, Mq = Cm[j + q]!;
      if (f === 0) continue;
      for (let a = 0; a < dim; a++) {
        const ua = ru[o + a]!;
        Mq[a]! += f * ua;
        for (let b = 0; b < dim; b++) Cq[a * dim + b]! += f * (ua * ru[o + b]! - (a === b ? 1 : 0));
      }
    }
  }
}

function hatCells(ws: Float64Array, us: Float64Array, t: number, dim: number, bins: number, sorted: SortedLabels): Cells {
  const { atomOf, nAtoms, ry, rw, ru, restMass } = sorted, n = ry.length;
  const atomCells = accumulate(atomOf.map((c) => (c < 0 ? nAtoms : c)) as Int32Array, nAtoms + 1, ws, us, t, dim);
  const out: Cells = { dim, p: [], m: [], a: [] };
  for (let c = 0; c < nAtoms; c++) { out.p.push(atomCells.p[c]!); out.m.push(atomCells.m[c]!); out.a.push(atomCells.a[c]!); }
  if (n < 2 || restMass <= 0) return out;
  // knots at weighted quantiles (distinct values), first and last label included
  const knots = quantileKnots(ry, rw, n, restMass, bins);
  const yMax = ry[n - 1]!;
  if (yMax > knots[knots.length - 1]!) knots.push(yMax);
  const J = knots.length;
  if (J < 2) { const c = accumulate(new Int32Array(t).fill(0), 1, ws.map((w, i) => (atomOf[i]! < 0 ? w : 0)) as Float64Array, us, t, dim); out.p.push(c.p[0]!); out.m.push(c.m[0]!); out.a.push(c.a[0]!); return out; }
  const diag = new Float64Array(J), off = new Float64Array(J);
  const C = Array.from({ length: J }, () => new Float64Array(dim * dim)), Cm = Array.from({ length: J }, () => new Float64Array(dim));
  hatMoments(ry, rw, ru, n, dim, knots, diag, off, C, Cm);
  // Cholesky of the tridiagonal Gram matrix (ridge 1e-13 max diag), then D = L^-1 C by forward substitution
  const ridge = 1e-13 * Math.max(...diag);
  let prevL = 0, prevD: Float64Array | null = null, prevDm: Float64Array | null = null;
  for (let q = 0; q < J; q++) {
    const lo = q > 0 ? off[q]! / prevL : 0;
    const Lqq = Math.sqrt(Math.max(diag[q]! + ridge - lo * lo, ridge));
    const D = C[q]!.map((v, e) => (v - (prevD ? lo * prevD[e]! : 0)) / Lqq) as Float64Array;
    const Dm = Cm[q]!.map((v, e) => (v - (prevDm ? lo * prevDm[e]! : 0)) / Lqq) as Float64Array;
    out.p.push(1); out.a.push(D); out.m.push(Dm);
    prevL = Lqq; prevD = D; prevDm = Dm;
  }
  return out;
}

/**
 * Atoms of the label law (values of positive probability), by 20000 seeded Gaussian draws: a value seen at least 3
 * times (a continuous label repeats with probability 0). `discrete`: every draw fell on an atom and there are at most
 * MAX_ATOMS of them.
 */
const atomCache = new WeakMap<Link, { atoms: Set<number>; discrete: number[] | null; scale: number }>();

export function labelAtoms(link: Link): { atoms: Set<number>; discrete: number[] | null; scale: number } {
  const known = atomCache.get(link);
  if (known) return known;
  const r = link.dimension, rng = seededRng(0x7a0c), z = new Float64Array(r), count = new Map<number, number>();
  const N = 20000;
  let absSum = 0;
  for (let t = 0; t < N; t++) {
    for (let i = 0; i < r; i++) z[i] = rng.normal();
    const y = link.g(z);
    if (Number.isFinite(y)) { count.set(y, (count.get(y) ?? 0) + 1); absSum += Math.abs(y); }
  }
  const atoms = new Set([...count].filter(([, c]) => c >= 3).map(([v]) => v));
  const onAtoms = [...count].filter(([v]) => atoms.has(v)).reduce((s, [, c]) => s + c, 0);
  const discrete = atoms.size <= MAX_ATOMS && onAtoms === [...count.values()].reduce((a, b) => a + b, 0) ? [...atoms].sort((a, b) => a - b) : null;
  const out = { atoms, discrete, scale: absSum / N || 1 };
  atomCache.set(link, out);
  return out;
}

/**
 * A fixed generic rotation of R^d (a product of Givens rotations with angles far from multiples of pi/4): the grid
 * of the free coordinates is laid in a rotated frame, so that labels of axis-aligned links do not tie on the grid
 * (a tensor grid would make z1^2 a discrete label), while the grid stays symmetric under u -> -u.
 */
function genericRotation(d: number): number[][] {
  let Q: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) {
    const th = 0.3 + 0.41 * Math.sqrt(2 + i + 3 * j), c = Math.cos(th), s = Math.sin(th);
    Q = Q.map((row) => row.map((v, l) => (l === i ? c * row[i]! - s * row[j]! : l === j ? s * row[i]! + c * row[j]! : v)));
  }
  return Q;
}

/** E_y[E[z|y] E[z|y]^T] (dim x dim) from the cells. */
function trivialMatrix(c: Cells): number[][] {
  const d = c.dim, T = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  c.p.forEach((p, s) => { const m = c.m[s]!; for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) T[i]![j]! += (m[i]! * m[j]!) / p; });
  return T;
}

const matmul = (A: Float64Array, B: Float64Array, d: number) => {
  const C = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let l = 0; l < d; l++) { const v = A[i * d + l]!; if (v !== 0) for (let j = 0; j < d; j++) C[i * d + j]! += v * B[l * d + j]!; }
  return C;
};

/** The matrix of F(M) = sum_cells A M A / p in the orthonormal basis of Sym_d, its eigenpairs as d x d matrices. */
function operatorEigen(c: Cells): { value: number; matrix: number[][] }[] {
  const d = c.dim, basis = symmetricBasis(d), D = basis.length;
  const F = Array.from({ length: D }, () => new Array<number>(D).fill(0));
  c.p.forEach((p, s) => {
    const A = c.a[s]!;
    const AE = basis.map((E) => matmul(A, E, d));
    for (let j = 0; j < D; j++) {
      const AEA = matmul(AE[j]!, A, d);
      for (let i = 0; i <= j; i++) { let v = 0; const E = basis[i]!; for (let q = 0; q < d * d; q++) v += E[q]! * AEA[q]!; F[i]![j]! += v / p; }
    }
  });
  for (let j = 0; j < D; j++) for (let i = 0; i < j; i++) F[j]![i] = F[i]![j]!;
  return symmetricEigen(F).map((e) => {
    const M = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    e.vector.forEach((v, q) => { const E = basis[q]!; for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) M[i]![j]! += v * E[i * d + j]!; });
    return { value: e.value, matrix: M };
  }).sort((a, b) => b.value - a.value);
}

/**
 * Range of a set of symmetric matrices (an eigenspace of F), basis-free: the eigenvectors of S = sum_i M_i^2 with
 * eigenvalue > rel^2 max (for one matrix: its eigenvectors with |eigenvalue| > rel max), or its top `dim` eigenvectors.
 * One orthonormal set, so grid noise in the individual M_i (a degenerate eigenspace comes in an arbitrary basis) does
 * not add spurious directions when the vectors are orthonormalised.
 */
function rangeOf(mats: readonly number[][][], rel = 0.05, dim?: number): number[][] {
  if (mats.length === 0) return [];
  const d = mats[0]!.length;
  const S = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => mats.reduce((acc, M) => acc + M[i]!.reduce((b, x, l) => b + x * M[l]![j]!, 0), 0)));
  const eig = symmetricEigen(S).sort((a, b) => b.value - a.value);
  const top = eig[0]?.value ?? 0;
  if (!(top > 0)) return [];
  return (dim === undefined ? eig.filter((e) => e.value > rel * rel * top) : eig.slice(0, dim)).map((e) => e.vector);
}

/** What one resolution says about U-perp given U: the trivial matrix's top eigenvalue and F's spectrum. */
interface StageScan { trivial: { value: number; vector: number[] }[]; trivialTop: number; operator: { value: number; matrix: number[][] }[]; rho: number }

function scan(link: Link, frame: number[][], k: number, noise: NoiseModel, nodes: number, binsList: readonly number[], deadline: Deadline, resolution: number): StageScan[] {
  return labelCells(link, frame, k, noise, nodes, binsList, deadline, resolution).map((cells) => {
    const trivial = symmetricEigen(trivialMatrix(cells)).sort((a, b) => b.value - a.value);
    const operator = operatorEigen(cells);
    return { trivial, trivialTop: Math.max(0, trivial[0]?.value ?? 0), operator, rho: Math.max(0, operator[0]?.value ?? 0) };
  });
}

/** A direction found in frame coordinates, in the user's coordinates, with entries below 1e-9 snapped to 0. */
const toUser = (frame: readonly number[][], k: number, v: readonly number[]) => {
  const r = frame[0]!.length, out = new Array<number>(r).fill(0);
  v.forEach((c, j) => { const col = frame[k + j]!; for (let l = 0; l < r; l++) out[l]! += c * col[l]!; });
  const snapped = out.map((x) => (Math.abs(x) < 1e-9 ? 0 : x)), n = Math.hypot(...snapped);
  return snapped.map((x) => x / n);
};

/** Operator-norm-like distance |P_A - P_B|_F / sqrt(2) between the projectors on two spans (1 when dimensions differ). */
function projectorDistance(A: readonly number[][], B: readonly number[][]): number {
  if (A.length !== B.length) return 1;
  const r = A[0]?.length ?? 0;
  let s = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
    const pa = A.reduce((acc, u) => acc + u[i]! * u[j]!, 0), pb = B.reduce((acc, u) => acc + u[i]! * u[j]!, 0);
    s += (pa - pb) ** 2;
  }
  return Math.sqrt(s / 2);
}

const fmt = (x: number) => (x === Infinity ? "inf" : Number(x.toPrecision(6)).toString());
const fmtVec = (v: readonly number[]) => `(${v.map((x) => Number((Math.abs(x) < 5e-10 ? 0 : x).toPrecision(4))).join(", ")})`;
const spanText = (b: readonly number[][]) => `span{${b.map(fmtVec).join(", ")}}`;

/** Default grid points per dimension for r latent dimensions (about 4e5 label evaluations per scan). */
export function defaultNodes(r: number): number { return r <= 1 ? 4000 : r === 2 ? 600 : r === 3 ? 90 : r === 4 ? 26 : 0; }

/**
 * Trivial, easy and hard subspaces of a multi-index link and its grand staircase (see the module comment for the
 * formulas, the sources and the numerics). r = 1 delegates to {@link weakRecoveryThreshold} (same alpha_c exactly).
 * Subspaces are orthonormal bases in the user's coordinates; every quantity is rotation invariant up to the
 * quadrature error.
 * @throws InputError for a constant link, r > 4, or flip noise on a link that is not +-1-valued.
 */
export function weakLearnability(link: Link, options: LearnabilityOptions = {}): MultiIndexLearnability {
  const noise = options.noise ?? NO_NOISE;
  const base = { noise: noiseText(noise), convention: MULTI_THRESHOLD_CONVENTION, citation: MULTI_THRESHOLD_CITATION };
  if (link.constant) throw new InputError("a constant link has nothing to learn: weak learnability is undefined");
  const r = link.dimension;
  const deadline = options.deadline ?? deadlineAfter(options.timeLimit);
  if (link.kind === "single") {
    const t = weakRecoveryThreshold(link, { noise, deadline });
    const dir = [[1]];
    const reached = t.regime === "trivial" || t.regime === "easy";
    return {
      ...base, r: 1, trivialSubspace: t.regime === "trivial" ? dir : [], easySubspace: t.regime === "easy" ? dir : [],
      alphaC: t.alphaC, interval: t.interval, errorBound: t.errorBound,
      eigenvalue: t.regime === "easy" ? t.secondMoment : 0, eigenvalueError: t.regime === "easy" ? t.secondMomentError : 0,
      regime: t.regime, hardDirections: t.regime === "hard" ? dir : [], irrelevantDirections: [], unresolvedDirections: t.regime === "undetermined" ? dir : [],
      staircase: reached ? [{ basis: dir, kind: t.regime === "trivial" ? "trivial" : "easy", givenDimension: 0, alpha: t.alphaC, sharp: true, interval: t.interval, eigenvalue: t.regime === "easy" ? t.secondMoment : t.firstMoment, eigenvalueError: t.secondMomentError, note: t.note }] : [],
      basis: t.basis, resolved: t.regime !== "undetermined", note: t.note, singleIndex: t,
    };
  }
  if (r > 4) throw new InputError(`weak learnability is computed on a tensor grid for r <= 4 latent dimensions (got r = ${r})`);
  // gaussian noise adds NOISE_NODES quadrature nodes per point: fewer grid nodes keep the label count the same
  const nodesRequested = options.nodes ?? (noise.kind === "gaussian" ? Math.round(defaultNodes(r) * NOISE_NODES ** (-1 / r)) : defaultNodes(r));
  // even node counts: no node on a coordinate hyperplane, where sign-type links jump
  const even = (n: number) => 2 * Math.max(1, Math.round(n / 2));
  const nodes = even(nodesRequested);
  const coarse = even(Math.max(8, nodes * 0.7));
  const staircase: LearnabilityStage[] = [];
  let learned: number[][] = [];
  let resolved = true, alphaPrev = 0, sharpPrev = true;
  // accuracy of the learned subspace: the projector distance between the fine and the coarse resolution
  let subspaceError = 0;
  let unresolvedStage = false;
  const discreteLabel = noise.kind !== "gaussian" && labelAtoms(link).discrete !== null;
  try {
    while (learned.length < r) {
      const k = learned.length;
      const complement = orthogonalComplement(learned, r);
      if (!dependsOnSubspace(link, complement)) break;
      // discrete labels: the grid in the given frame (sign links are aligned with it and atoms never tie by accident)
      const R = discreteLabel ? genericRotation(complement.length).map((row, i) => row.map((_, j) => (i === j ? 1 : 0))) : genericRotation(complement.length);
      const frame = [...learned, ...R.map((row) => complement.reduce((acc, c, j) => acc.map((v, l) => v + row[j]! * c[l]!), new Array<number>(r).fill(0)))];
      const groups = nodes ** k;
      const bins = options.bins ?? Math.max(12, Math.min(400, Math.round(240 / Math.sqrt(groups))));
      const resolution = Math.min(1e-2, Math.max(1e-10, 100 * subspaceError));
      // continuous labels: also half the hat functions (the projection error), discrete: atoms are exact
      const [fine, half] = scan(link, frame, k, noise, nodes, [bins, Math.max(6, Math.round(bins / 2))], deadline, resolution) as [StageScan, StageScan];
      const [rough] = scan(link, frame, k, noise, coarse, [bins], deadline, resolution) as [StageScan];
      const tErr = 2 * (Math.abs(fine.trivialTop - rough.trivialTop) + Math.abs(fine.trivialTop - half.trivialTop)) + 1e-10;
      if (fine.trivialTop > SIGNIFICANCE * tErr + FLOOR) {
        const dirs = fine.trivial.filter((e) => e.value > SIGNIFICANCE * tErr + FLOOR).map((e) => e.vector);
        const basis = extendOrthonormal(learned, dirs.map((v) => toUser(frame, k, v)), 1e-6);
        const roughBasis = extendOrthonormal(learned, rough.trivial.slice(0, dirs.length).map((e) => toUser(frame, k, e.vector)), 1e-6);
        subspaceError += projectorDistance(basis, roughBasis);
        staircase.push({
          basis, kind: "trivial", givenDimension: k, alpha: alphaPrev, sharp: sharpPrev, interval: [alphaPrev, alphaPrev], eigenvalue: fine.trivialTop, eigenvalueError: tErr,
          note: k === 0
            ? `trivial subspace ${spanText(basis)}: E[z | y] != 0 (top eigenvalue of E_y[E[z|y]E[z|y]^T] = ${fmt(fine.trivialTop)} +- ${fmt(tErr)}), learned by one AMP step at every alpha > 0`
            : `${spanText(basis)} trivially coupled to the ${k}-dimensional learned subspace: E[z_perp | y, z_U] != 0 (top eigenvalue ${fmt(fine.trivialTop)} +- ${fmt(tErr)}), learned as soon as U is (alpha ${sharpPrev ? "=" : ">="} ${fmt(alphaPrev)})`,
        });
        learned = [...learned, ...basis];
        continue;
      }
      const rErr = 2 * (Math.abs(fine.rho - rough.rho) + Math.abs(fine.rho - half.rho)) + 1e-10;
      if (fine.rho > SIGNIFICANCE * rErr + FLOOR) {
        const top = fine.operator.filter((e) => e.value >= fine.rho - Math.max(1e-3 * fine.rho, 3 * rErr)).map((e) => e.matrix);
        const range = rangeOf(top);
        const basis = extendOrthonormal(learned, range.map((v) => toUser(frame, k, v)), 1e-6);
        // the rough grid's span of the same dimension: how far the subspace moves with the resolution
        const roughBasis = extendOrthonormal(learned, rangeOf(rough.operator.slice(0, top.length).map((e) => e.matrix), 0.05, range.length).map((v) => toUser(frame, k, v)), 1e-6);
        subspaceError += projectorDistance(basis, roughBasis);
        const own = 1 / fine.rho, lo = 1 / (fine.rho + rErr), hi = fine.rho - rErr > 0 ? 1 / (fine.rho - rErr) : Infinity;
        const bound = Math.max(alphaPrev, own);
        // a later stage: the sharp alpha from the SE on a one-dimensional U (stageThreshold.ts), else the lower bound
        let exact: SharpStage | null = null, why = k > 1 ? `U has dimension ${k} > 1: the sharp value needs the state evolution on U with a ${k} x ${k} precision matrix and z_U on a ${k}-dimensional grid, not implemented (the sharp stage is computed for a one-dimensional U only)` : !sharpPrev ? "the earlier stage is itself a lower bound" : "";
        if (k === 1 && sharpPrev) {
          // the learned direction to its accuracy: entries below it are 0 (a coordinate axis stays one), labels rounded to it
          const tol = Math.max(1e-9, 10 * subspaceError);
          const u0 = learned[0]!.map((x) => (Math.abs(x) < tol ? 0 : x)), un = Math.hypot(...u0);
          const u = u0.map((x) => x / un), perp = orthogonalComplement([u], r);
          const Rp = genericRotation(perp.length);
          const sharpFrame = [u, ...Rp.map((row) => perp.reduce((acc, c, j) => acc.map((v, l) => v + row[j]! * c[l]!), new Array<number>(r).fill(0)))];
          try { exact = sharpStageThreshold(link, sharpFrame, noise, labelAtoms(link), { resolution }, deadline); }
          catch (e) { if (!(e instanceof TimeLimitExceeded)) throw e; why = `the time limit of ${deadline.seconds} s was reached during the state evolution on U (the bound is kept; a larger --time-limit gives the sharp value)`; }
          if (exact && !exact.certified) { why = exact.note; exact = null; }
        }
        const sharp = k === 0 || exact !== null;
        const alpha = exact ? Math.max(alphaPrev, exact.alpha) : bound;
        const interval: [number, number] = exact ? [Math.max(alphaPrev, lo, exact.interval[0]), Math.max(alphaPrev, lo, exact.interval[1])] : [Math.max(alphaPrev, lo), Math.max(alphaPrev, hi)];
        staircase.push({
          basis, kind: "easy", givenDimension: k, alpha, sharp, interval, eigenvalue: fine.rho, eigenvalueError: rErr,
          note: k === 0
            ? `easy subspace ${spanText(basis)}: 1/alpha_c = rho(F) = ${fmt(fine.rho)} +- ${fmt(rErr)}, alpha_c = ${fmt(own)} in [${fmt(lo)}, ${fmt(hi)}] (stability of the uninformative AMP fixed point)`
            : exact
              ? `${spanText(basis)} easy-coupled to the learned U: alpha = ${fmt(alpha)} in [${fmt(interval[0])}, ${fmt(interval[1])}], sharp (state evolution on U with z_perp integrated out: ${exact.note}); with z_U known rho(F_U) = ${fmt(fine.rho)} +- ${fmt(rErr)}, the bound max(alpha(U), 1/rho(F_U)) = ${fmt(bound)}`
              : `${spanText(basis)} easy-coupled to the ${k}-dimensional learned subspace U: rho(F_U) = ${fmt(fine.rho)} +- ${fmt(rErr)} with z_U known, so alpha >= max(alpha(U), 1/rho(F_U)) = ${fmt(alpha)} (a lower bound: at finite alpha U is known only partially; sharp value not computed: ${why})`,
        });
        alphaPrev = alpha; sharpPrev = sharp;
        learned = [...learned, ...basis];
        continue;
      }
      // not significant: hard only when both eigenvalues are numerically zero at both resolutions
      if (Math.max(fine.rho, rough.rho, half.rho, fine.trivialTop, rough.trivialTop, half.trivialTop) > ZERO) unresolvedStage = true;
      break;
    }
  } catch (e) {
    if (!(e instanceof TimeLimitExceeded)) throw e;
    resolved = false;
  }
  const complement = orthogonalComplement(learned, r);
  if (unresolvedStage) resolved = false;
  const relevant = resolved && dependsOnSubspace(link, complement);
  const unresolved = !resolved && learned.length < r && dependsOnSubspace(link, complement) ? complement : [];
  const first = staircase[0];
  const trivial = first?.kind === "trivial" ? first.basis : [];
  const easy = first?.kind === "easy" ? first.basis : [];
  const regime: MultiIndexLearnability["regime"] = !first ? (resolved ? "hard" : "undetermined") : first.kind === "trivial" ? "trivial" : "easy";
  let alphaC: number, interval: readonly [number, number], errorBound: number;
  if (regime === "trivial") { alphaC = 0; interval = [0, 0]; errorBound = 0; }
  else if (regime === "easy") { alphaC = 1 / first!.eigenvalue; interval = first!.interval; errorBound = Math.max(alphaC - interval[0], interval[1] - alphaC); }
  else if (regime === "hard") { alphaC = Infinity; interval = [Infinity, Infinity]; errorBound = 0; }
  // undetermined: only alpha_c >= 1/(r+1) is certified, F(M) <= E[H M H] = tr(M) I + M for PSD M (Jensen, H = zz^T - I)
  else { alphaC = 1 / (r + 1); interval = [1 / (r + 1), Infinity]; errorBound = Infinity; }
  const hard = relevant ? complement : [];
  const irrelevant = resolved && !relevant ? complement : [];
  const order = staircase.map((s) => `${spanText(s.basis)} (${s.kind}, alpha ${s.sharp ? "=" : ">="} ${fmt(s.alpha)})`).join(" -> ");
  const note = `${regime === "trivial" ? "alpha_c = 0 (trivial subspace non-empty)" : regime === "easy" ? `alpha_c = ${fmt(alphaC)} +- ${fmt(errorBound)} (easy subspace)` : regime === "hard" ? "alpha_c = inf: no trivial or easy direction (hard, parity-like)" : unresolvedStage ? "alpha_c not determined at this grid resolution" : "not resolved within the time limit"}`
    + `${order ? `; grand staircase: ${order}` : ""}${hard.length ? `; hard directions (alpha_c = inf): ${spanText(hard)}` : ""}${irrelevant.length ? `; the link does not depend on ${spanText(irrelevant)}` : ""}${unresolved.length ? `; ${spanText(unresolved)} not resolved (${unresolvedStage ? "the next stage's eigenvalues are not significant at this grid: neither learnable nor hard is certified; a finer grid (--time-limit) may decide" : `time limit${staircase.length ? `: learnable, if at all, only at alpha >= ${fmt(alphaPrev)} (after the stages above)` : ""}`})` : ""}`
    + ` [${describeNoise(noise)}; tensor grid ${nodes}^${r}, error = 2 x (difference to a ${coarse}^${r} grid + difference with half the label hat functions), an estimate, not a proof${resolved ? "" : "; cut by the time limit"}]`;
  return {
    ...base, r, trivialSubspace: trivial, easySubspace: easy, alphaC, interval, errorBound,
    eigenvalue: regime === "easy" ? first!.eigenvalue : 0, eigenvalueError: regime === "easy" ? first!.eigenvalueError : 0,
    regime, hardDirections: hard, irrelevantDirections: irrelevant, unresolvedDirections: unresolved, staircase, basis: "numerical", resolved, note,
  };
}
