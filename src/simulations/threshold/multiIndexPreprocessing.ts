/**
 * Label preprocessing of the spectral and linear estimators for a multi-index link y = g(z1..zr) (+ noise), along one
 * direction v of R^r (derived here, the multi-index form of the single-index preprocessing of spectral.ts):
 *     h_v(y) = E[(v.z)^2 - 1 | y] = v^T G(y) v,  G(y) = E[z z^T - I | y],    l_v(y) = E[v.z | y].
 * For the scalar preprocessing T(y) the spike of D = (1/n) sum T(y_i) x_i x_i^T in the hidden subspace is
 * E[T(y) G(y)], and along v the estimator sees the single-index channel y | v.z, whose weak-recovery threshold with the
 * optimal T*(y) = h_v/(h_v + c) is 1/E[h_v^2] (Mondelli, Montanari 2018 applied to that channel). E[h_v^2] =
 * <v v^T, F(v v^T)> <= rho(F), F(M) = E[G M G] (the AMP operator of exponents/weakLearnability.ts), with equality when
 * the top eigenspace of F holds v v^T (sign(z1 z2), z1 z2, z1^2 + z2^2): then the scalar spectral method reaches the
 * AMP alpha_c of the easy subspace. v is chosen to maximise E[h_v^2] over unit vectors (a fixed-point iteration from
 * the easy subspace's basis, the axes and their diagonals).
 *
 * G(y) and E[z | y] are tabulated from a seeded Monte Carlo sample of (z, y) (400,000 draws through the noise
 * channel): atoms of the label exactly, other labels in equal-mass bins (piecewise-linear between bin medians).
 * E[h_v^2] and E[l_v^2] are cross-fitted (bin means of the even draws times those of the odd ones), which removes the
 * upward bias of squared bin means; their standard error is estimated from 8 batches.
 */
import type { Link } from "../../link/link.js";
import { applyNoise, type NoiseModel } from "../../exponents/noise.js";
import { seededRng } from "../../numeric/xoshiro.js";

/** A tabulated label function with its evaluation. */
export interface MultiIndexMoments {
  readonly r: number;
  /** The unit direction the preprocessing is for. */
  readonly direction: number[];
  /** y -> E[v.z | y]. */
  readonly he1: (y: number) => number;
  /** y -> E[(v.z)^2 - 1 | y]. */
  readonly he2: (y: number) => number;
  /** Cross-fitted E[h_v(Y)^2] (1/alpha of the optimal spectral method along v) and its standard error. */
  readonly secondMoment: number;
  readonly secondMomentError: number;
  /** Cross-fitted E[l_v(Y)^2] (the linear estimator's strength along v). */
  readonly firstMoment: number;
  readonly method: string;
}

const DRAWS = 400_000;
const BINS = 400;

interface Table {
  readonly r: number;
  /** Cell label values (atoms exact; bins by their median) in increasing order, and whether a cell is an atom. */
  readonly ys: number[]; readonly atom: boolean[]; readonly mass: number[];
  /** Per cell, two halves: mean of z (r) and of z z^T - I (r x r). */
  readonly m: [Float64Array, Float64Array][]; readonly G: [Float64Array, Float64Array][];
  /** The same per batch (8 batches) for the standard error. */
  readonly batches: { m: Float64Array[]; G: Float64Array[] }[];
}

const tables = new Map<string, Table>();

function table(link: Link, noise: NoiseModel): Table {
  const key = `${link.text}/${JSON.stringify(noise)}`;
  const known = tables.get(key);
  if (known) return known;
  const r = link.dimension, rng = seededRng(0x51ec), z = new Float64Array(r);
  const Z = new Float64Array(DRAWS * r), Y = new Float64Array(DRAWS);
  let t = 0;
  for (let s = 0; s < DRAWS; s++) {
    for (let i = 0; i < r; i++) z[i] = rng.normal();
    const y = applyNoise(noise, link.g(z), () => rng.uniform(), () => rng.normal());
    if (!Number.isFinite(y)) continue;
    Z.set(z, t * r); Y[t] = y; t++;
  }
  const order = Array.from({ length: t }, (_, i) => i).sort((a, b) => Y[a]! - Y[b]!);
  // cells: runs of one value with >= 1e-3 of the draws are atoms, the rest equal-count bins
  const cells: number[][] = [], atom: boolean[] = [];
  let pending: number[] = [];
  const per = Math.max(50, Math.floor(t / BINS));
  for (let s = 0; s < t;) {
    let e = s + 1;
    while (e < t && Y[order[e]!] === Y[order[s]!]) e++;
    if (e - s >= 1e-3 * t) {
      if (pending.length) { cells.push(pending); atom.push(false); pending = []; }
      cells.push(order.slice(s, e)); atom.push(true);
    } else {
      for (let q = s; q < e; q++) pending.push(order[q]!);
      if (pending.length >= per) { cells.push(pending); atom.push(false); pending = []; }
    }
    s = e;
  }
  if (pending.length) {
    if (cells.length && !atom[atom.length - 1]) cells[cells.length - 1]!.push(...pending); else { cells.push(pending); atom.push(false); }
  }
  const mean = (idx: readonly number[]) => {
    const m = new Float64Array(r), G = new Float64Array(r * r);
    for (const i of idx) for (let a = 0; a < r; a++) {
      const za = Z[i * r + a]!;
      m[a]! += za;
      for (let b = 0; b < r; b++) G[a * r + b]! += za * Z[i * r + b]! - (a === b ? 1 : 0);
    }
    const n = Math.max(1, idx.length);
    return { m: m.map((v) => v / n), G: G.map((v) => v / n) };
  };
  const out: Table = {
    r, atom, ys: cells.map((c) => Y[c[c.length >> 1]!]!), mass: cells.map((c) => c.length / t),
    m: [], G: [], batches: Array.from({ length: 8 }, () => ({ m: [], G: [] })),
  };
  for (const c of cells) {
    const even = mean(c.filter((i) => i % 2 === 0)), odd = mean(c.filter((i) => i % 2 === 1));
    out.m.push([even.m, odd.m]); out.G.push([even.G, odd.G]);
    out.batches.forEach((b, k) => { const x = mean(c.filter((i) => i % 8 === k)); b.m.push(x.m); b.G.push(x.G); });
  }
  tables.set(key, out);
  return out;
}

const quad = (G: Float64Array, v: readonly number[], r: number) => { let s = 0; for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) s += v[a]! * G[a * r + b]! * v[b]!; return s; };
const lin = (m: Float64Array, v: readonly number[]) => v.reduce((s, x, a) => s + x * m[a]!, 0);

/** Cross-fitted E[h_v^2] of a table. */
function strength(T: Table, v: readonly number[]): number {
  let s = 0;
  T.G.forEach(([a, b], c) => { s += T.mass[c]! * quad(a, v, T.r) * quad(b, v, T.r); });
  return s;
}

/** The unit v maximising E[h_v^2]: v <- normalise(E[(v^T G v) G v]) from several starts (the easy subspace's basis first). */
export function bestDirection(link: Link, noise: NoiseModel, starts: readonly number[][] = []): number[] {
  const T = table(link, noise), r = T.r;
  const cands: number[][] = [...starts];
  for (let i = 0; i < r; i++) { cands.push(Array.from({ length: r }, (_, j) => (j === i ? 1 : 0))); for (let j = i + 1; j < r; j++) for (const s of [1, -1]) cands.push(Array.from({ length: r }, (_, l) => (l === i ? Math.SQRT1_2 : l === j ? s * Math.SQRT1_2 : 0))); }
  let best: number[] = cands[0]!, bestVal = -Infinity;
  for (const start of cands) {
    let v = [...start];
    const n0 = Math.hypot(...v); v = v.map((x) => x / n0);
    for (let it = 0; it < 100; it++) {
      const w = new Array<number>(r).fill(0);
      T.G.forEach(([a, b], c) => {
        const G = a.map((x, q) => 0.5 * (x + b[q]!));
        const h = quad(G, v, r);
        for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) w[i]! += T.mass[c]! * h * G[i * r + j]! * v[j]!;
      });
      const n = Math.hypot(...w);
      if (!(n > 0)) break;
      const next = w.map((x) => x / n);
      const change = Math.min(Math.hypot(...next.map((x, i) => x - v[i]!)), Math.hypot(...next.map((x, i) => x + v[i]!)));
      v = next;
      if (change < 1e-10) break;
    }
    const val = strength(T, v);
    if (val > bestVal + 1e-12) { bestVal = val; best = v; }
  }
  return best.map((x) => (Math.abs(x) < 1e-12 ? 0 : x));
}

/** The preprocessing functions along `direction` (unit vector of R^r) and their cross-fitted strengths. */
export function multiIndexMoments(link: Link, noise: NoiseModel, direction: readonly number[]): MultiIndexMoments {
  const T = table(link, noise), r = T.r;
  const n = Math.hypot(...direction), v = direction.map((x) => x / n);
  const h = T.G.map(([a, b]) => 0.5 * (quad(a, v, r) + quad(b, v, r)));
  const l = T.m.map(([a, b]) => 0.5 * (lin(a, v) + lin(b, v)));
  const at = (vals: number[]) => (y: number): number => {
    // atoms exactly; between cells linear in y (clamped at the ends)
    const ys = T.ys;
    let lo = 0, hi = ys.length - 1;
    if (y <= ys[0]!) return vals[0]!;
    if (y >= ys[hi]!) return vals[hi]!;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (ys[mid]! <= y) lo = mid; else hi = mid; }
    if (ys[lo] === y || T.atom[lo] && Math.abs(y - ys[lo]!) < 1e-12 * (1 + Math.abs(y))) return vals[lo]!;
    if (T.atom[hi] && Math.abs(y - ys[hi]!) < 1e-12 * (1 + Math.abs(y))) return vals[hi]!;
    const lam = (y - ys[lo]!) / (ys[hi]! - ys[lo]!);
    return (1 - lam) * vals[lo]! + lam * vals[hi]!;
  };
  const second = strength(T, v);
  let first = 0;
  T.m.forEach(([a, b], c) => { first += T.mass[c]! * lin(a, v) * lin(b, v); });
  const per = T.batches.map((b) => b.G.reduce((s, G, c) => s + T.mass[c]! * quad(G, v, r) ** 2, 0));
  const mean = per.reduce((a, b) => a + b, 0) / per.length;
  const se = Math.sqrt(per.reduce((s, x) => s + (x - mean) ** 2, 0) / (per.length - 1) / per.length);
  return {
    r, direction: v, he1: at(l), he2: at(h), secondMoment: Math.max(0, second), secondMomentError: 3 * se, firstMoment: Math.max(0, first),
    method: `multi-index preprocessing along v = (${v.map((x) => Number(x.toPrecision(4))).join(", ")}): E[(v.z)^2 - 1 | y] and E[v.z | y] tabulated from ${DRAWS} seeded draws (atoms exact, ${BINS} equal-mass bins, linear between bin medians), strengths cross-fitted`,
  };
}
