/**
 * Staircases on subspaces instead of coordinates, so that they do not depend on the basis the user typed.
 *
 * The Hermite tensors T_n[g] = E[g(z) He_n(z)] (order n, r x ... x r; entry (i_1..i_n) = sqrt(alpha!) c_alpha with
 * alpha the multiplicities of the indices) transform as tensors under rotations: T_n[g o Q] = T_n[g] (Q, ..., Q). For
 * a learned subspace U with projector P_U and complement projector P_perp = I - P_U, the Hermite polynomial of the
 * split z = z_U + z_perp factorises (the generating function exp(<t,z> - |t|^2/2) does), so
 *     E[g He_beta(z_U) He_k(z_perp)]  (|beta| = n - k)  =  T_n projected with k slots on U-perp and n - k on U.
 * Stage rule (leap; Abbe, Boix-Adsera, Misiakiewicz 2023, arXiv 2302.11055, written with subspaces as the generative
 * leap of Damian, Lee, Bruna 2025, arXiv 2506.05500, is): U_0 = {0}; k(U) = the least k for which some such
 * projection is non-zero; the next subspace adds the range of its mode-1 unfoldings (the directions of U-perp
 * reached at degree k, the learned coordinates integrated against every He_beta); the leap is the largest k(U).
 * Numerical ranks: a singular value counts only beyond 10 x the Frobenius norm of the coefficients' error bounds
 * (Weyl: |sigma_i(M + E) - sigma_i(M)| <= |E|_F) plus a floating-point tolerance of 1e-7 |T|_F.
 */
import { parseLink, type Link } from "../link/link.js";
import { hermiteSpectrum, type HermiteSpectrum } from "../hermite/spectrum.js";
import { generativeLeap } from "./generativeLeap.js";
import { seededRng } from "../numeric/xoshiro.js";
import { judgedTensor } from "./support.js";
import { symmetricEigen } from "./subspace.js";
import { NO_DEADLINE, TimeLimitExceeded, type Deadline } from "../numeric/deadline.js";

/** A symmetric tensor of order n on R^r (row-major over index tuples) with an entrywise error bound. */
export interface DenseHermiteTensor {
  readonly order: number;
  readonly r: number;
  readonly data: Float64Array;
  readonly error: Float64Array;
}

/** One stage of a subspace staircase: an orthonormal basis of the new directions and the degree that reaches them. */
export interface SubspaceStage {
  /** Orthonormal vectors in the user's coordinates z1..zr, orthogonal to every earlier stage. */
  readonly basis: number[][];
  /** The degree that reaches this subspace given the earlier ones. */
  readonly degree: number;
  /** Dimension of the subspace learned before this stage. */
  readonly givenDimension: number;
  /** "exact" when every coefficient involved is exact (ranks in floating point, tolerance 1e-7), else "numerical". */
  readonly certificate: "exact" | "numerical";
  /** Singular values that carried the stage. */
  readonly singularValues: number[];
}

/** A staircase on subspaces with its value (largest stage degree) and what is left. */
export interface SubspaceStaircase {
  /** The largest stage degree; null when a direction the link depends on is not reached up to degree K. */
  readonly value: number | null;
  readonly stages: SubspaceStage[];
  /** Dimension of the directions the link depends on that no stage reached (0 when complete). */
  readonly unreachedDimension: number;
  /** Dimension of the directions the link does not depend on (checked at 400 seeded points). */
  readonly irrelevantDimension: number;
  /** Orthonormal basis of the unreached (or irrelevant) complement. */
  readonly complement: number[][];
  readonly note: string;
  /** False when the time limit cut the search (then `value` is null and `stages` are those finished). */
  readonly resolved: boolean;
  /** The leap is at least this (finished stage degrees, and the degree the cut stage was testing); null: constant. */
  readonly lowerBound: number | null;
}

const FLOAT_TOL = 1e-7;

const factorial = (n: number) => { let f = 1; for (let i = 2; i <= n; i++) f *= i; return f; };

/** Multiplicities alpha of an index tuple. */
function multiplicities(tuple: readonly number[], r: number): number[] {
  const a = new Array<number>(r).fill(0);
  for (const i of tuple) a[i]!++;
  return a;
}

/**
 * The dense tensors T_1..T_K of a link from its judged Hermite coefficients: entries proved zero (exact, parity) are
 * 0 with no error; numerically-zero entries are 0 with error |c| + bound; others keep their value and bound.
 */
export function denseHermiteTensors(link: Link, spectrum: HermiteSpectrum, K = spectrum.maxDegree): DenseHermiteTensor[] {
  const r = link.dimension;
  const byKey = new Map<string, { value: number; error: number }>();
  if (link.kind === "single") {
    for (let k = 1; k <= Math.min(K, spectrum.maxDegree); k++) {
      const exact = spectrum.exact[k] ?? null;
      const v = spectrum.coefficients[k]!, e = spectrum.errorBounds[k] ?? 0;
      const zero = exact === "0" || (exact === null && Math.abs(v) <= 10 * e);
      byKey.set(String(k), zero ? { value: 0, error: exact === "0" ? 0 : Math.abs(v) + e } : { value: v, error: e });
    }
  } else {
    for (const t of judgedTensor(link, spectrum)) {
      const key = t.alpha.join(",");
      const bound = (spectrum.tensor ?? []).find((s) => s.alpha.join(",") === key)?.errorBound ?? 0;
      if (t.nonzero) byKey.set(key, { value: t.value, error: bound });
      else byKey.set(key, { value: 0, error: t.basis === "numerical" ? Math.abs(t.value) + bound : 0 });
    }
  }
  const out: DenseHermiteTensor[] = [];
  for (let n = 1; n <= K; n++) {
    const size = r ** n;
    const data = new Float64Array(size), error = new Float64Array(size);
    const tuple = new Array<number>(n).fill(0);
    for (let idx = 0; idx < size; idx++) {
      let rem = idx;
      for (let s = n - 1; s >= 0; s--) { tuple[s] = rem % r; rem = Math.floor(rem / r); }
      const alpha = multiplicities(tuple, r);
      const e = byKey.get(link.kind === "single" ? String(n) : alpha.join(","));
      // not computed (beyond the spectrum's degree): unknown, treated as an unbounded error
      if (!e) { error[idx] = Infinity; continue; }
      const scale = Math.sqrt(alpha.reduce((p, a) => p * factorial(a), 1));
      data[idx] = scale * e.value; error[idx] = scale * e.error;
    }
    out.push({ order: n, r, data, error });
  }
  return out;
}

/** Apply the matrix P (r x r) to slot s of an order-n tensor. */
function applySlot(data: Float64Array, r: number, n: number, s: number, P: number[][]): Float64Array {
  const out = new Float64Array(data.length);
  const stride = r ** (n - 1 - s);
  for (let idx = 0; idx < data.length; idx++) {
    const v = data[idx]!;
    if (v === 0) continue;
    const i = Math.floor(idx / stride) % r;
    const base = idx - i * stride;
    for (let j = 0; j < r; j++) { const p = P[j]![i]!; if (p !== 0) out[base + j * stride]! += p * v; }
  }
  return out;
}

const projector = (basis: readonly number[][], r: number) =>
  Array.from({ length: r }, (_, i) => Array.from({ length: r }, (_, j) => basis.reduce((s, u) => s + u[i]! * u[j]!, 0)));
const complementOf = (P: number[][]) => P.map((row, i) => row.map((x, j) => (i === j ? 1 : 0) - x));
const frob = (a: Float64Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

/** Gram-Schmidt of `vectors` against `basis` (both orthonormal on return); vectors with residual < tol are dropped. */
export function extendOrthonormal(basis: readonly number[][], vectors: readonly number[][], tol = 1e-8): number[][] {
  const all = basis.map((b) => [...b]);
  const added: number[][] = [];
  for (const v of vectors) {
    const w = [...v];
    for (let pass = 0; pass < 2; pass++) for (const b of all) { const d = w.reduce((s, x, i) => s + x * b[i]!, 0); for (let i = 0; i < w.length; i++) w[i]! -= d * b[i]!; }
    const n = Math.hypot(...w);
    if (n > tol) { const u = w.map((x) => x / n); all.push(u); added.push(u); }
  }
  return added;
}

/** Orthonormal basis of the complement of span(basis) in R^r. */
export function orthogonalComplement(basis: readonly number[][], r: number): number[][] {
  const unit = Array.from({ length: r }, (_, i) => Array.from({ length: r }, (_, j) => (i === j ? 1 : 0)));
  return extendOrthonormal(basis, unit, 1e-6);
}

/**
 * The directions of U-perp reached at degree k given U, from the tensors T_k..T_maxOrder: the Gram matrix of the
 * mode-1 unfoldings of T_n with k slots projected on U-perp and n - k on U, its certified rank and eigenvectors.
 */
export function reachedAtDegree(tensors: readonly DenseHermiteTensor[], learned: readonly number[][], k: number, maxOrder = tensors.length): {
  directions: number[][]; singularValues: number[]; exact: boolean; unknown: boolean;
} {
  const r = tensors[0]?.r ?? 1;
  const PU = projector(learned, r), Pperp = complementOf(PU);
  const G = Array.from({ length: r }, () => new Array<number>(r).fill(0));
  let errSq = 0, normSq = 0, unknown = false;
  for (let n = k; n <= Math.min(maxOrder, tensors.length); n++) {
    const T = tensors[n - 1]!;
    if (T.error.some((e) => !Number.isFinite(e))) { unknown = true; continue; }
    if (n > k && learned.length === 0) continue; // no learned slot to integrate against
    let X = T.data;
    for (let s = 0; s < n; s++) X = applySlot(X, r, n, s, s < k ? Pperp : PU);
    const cols = r ** (n - 1);
    for (let i = 0; i < r; i++) for (let j = i; j < r; j++) {
      let acc = 0;
      for (let c = 0; c < cols; c++) acc += X[i * cols + c]! * X[j * cols + c]!;
      G[i]![j]! += acc; if (j !== i) G[j]![i]! += acc;
    }
    const ef = frob(T.error); errSq += ef * ef;
    const nf = frob(T.data); normSq += nf * nf;
  }
  const threshold = 10 * Math.sqrt(errSq) + FLOAT_TOL * (1 + Math.sqrt(normSq));
  const eig = symmetricEigen(G).map((e) => ({ sigma: Math.sqrt(Math.max(0, e.value)), vector: e.vector })).sort((a, b) => b.sigma - a.sigma);
  const hits = eig.filter((e) => e.sigma > threshold);
  return { directions: hits.map((h) => h.vector), singularValues: hits.map((h) => h.sigma), exact: errSq === 0, unknown };
}

/**
 * Dimension of the directions in span(complement) the link depends on: g is compared at 400 seeded Gaussian points
 * before and after resampling the component of z in that span (as `relevantCoordinates` does for coordinates).
 */
export function dependsOnSubspace(link: Link, complement: readonly number[][]): boolean {
  if (complement.length === 0) return false;
  const r = link.dimension, rng = seededRng(0x5b5e);
  const z = new Float64Array(r), w = new Float64Array(r);
  for (let t = 0; t < 400; t++) {
    for (let i = 0; i < r; i++) z[i] = rng.normal() * (t < 200 ? 1 : 3);
    const a = link.g(z);
    w.set(z);
    for (const u of complement) {
      const c = u.reduce((s, x, i) => s + x * z[i]!, 0), fresh = rng.normal() * 2;
      for (let i = 0; i < r; i++) w[i]! += (fresh - c) * u[i]!;
    }
    const b = link.g(w);
    if (Math.abs(a - b) > 1e-12 * (1 + Math.abs(a) + Math.abs(b))) return true;
  }
  return false;
}

const fmtVec = (v: readonly number[]) => `(${v.map((x) => Number((Math.abs(x) < 5e-13 ? 0 : x).toPrecision(4))).join(", ")})`;

/** A stage list in words: each subspace by its basis and degree. */
export function describeStages(stages: readonly SubspaceStage[]): string {
  return stages.map((s) => `span{${s.basis.map(fmtVec).join(", ")}} at degree ${s.degree}`).join(" -> ");
}

/**
 * The leap staircase on subspaces (see the header): basis-free, so a rotation of z1..zr rotates the printed bases
 * and changes nothing else. Leap = the largest stage degree; online SGD is conjectured to need about
 * d^{max(Leap-1, 1)} samples (Abbe et al. 2023).
 * @param K largest Hermite degree searched (default the spectrum's).
 * @param deadline checked before each degree; once it passes, the answer is partial (`resolved` false, Leap >= bound).
 */
export function subspaceLeap(link: Link, spectrum: HermiteSpectrum, K = spectrum.maxDegree, deadline: Deadline = NO_DEADLINE): SubspaceStaircase {
  const r = link.dimension;
  const tensors = denseHermiteTensors(link, spectrum, K);
  const stages: SubspaceStage[] = [];
  let learned: number[][] = [];
  while (learned.length < r) {
    let stage: SubspaceStage | null = null;
    for (let k = 1; k <= K && !stage; k++) {
      if (deadline.expired()) {
        const lowerBound = Math.max(k, ...stages.map((s) => s.degree));
        const complement = orthogonalComplement(learned, r);
        return {
          value: null, stages, unreachedDimension: complement.length, irrelevantDimension: 0, complement, resolved: false, lowerBound,
          note: `Leap >= ${lowerBound} (subspace staircase, basis-free), not resolved within the time limit of ${deadline.seconds} s: ${stages.length ? `stages ${describeStages(stages)}; ` : ""}degrees below ${k} reach nothing more; the result depends on the machine's speed`,
        };
      }
      const hit = reachedAtDegree(tensors, learned, k);
      const basis = extendOrthonormal(learned, hit.directions);
      if (basis.length) stage = { basis, degree: k, givenDimension: learned.length, certificate: hit.exact ? "exact" : "numerical", singularValues: hit.singularValues };
    }
    if (!stage) break;
    stages.push(stage);
    learned = [...learned, ...stage.basis];
  }
  const complement = orthogonalComplement(learned, r);
  const relevant = dependsOnSubspace(link, complement);
  const value = relevant || stages.length === 0 ? null : Math.max(...stages.map((s) => s.degree));
  const order = describeStages(stages);
  const note = value === null
    ? `Leap > ${K} (subspace staircase, basis-free): ${stages.length ? `stages ${order}; ` : ""}a ${complement.length}-dimensional subspace the link depends on is not reached up to degree ${K}`
    : `Leap = ${value} (subspace staircase, basis-free; Abbe, Boix-Adsera, Misiakiewicz 2023, arXiv 2302.11055): ${order}${complement.length ? `; the link does not depend on the remaining ${complement.length} direction(s)` : ""}; online SGD is conjectured to need about d^${Math.max(value - 1, 1)} samples`;
  return { value, stages, unreachedDimension: relevant ? complement.length : 0, irrelevantDimension: relevant ? 0 : complement.length, complement, note, resolved: true, lowerBound: value ?? (relevant ? K + 1 : null) };
}

/**
 * One step at n ~ d^l (Dandi et al. 2023, arXiv 2305.18270, abstract): the subspace S_l = sum_{k <= l} range of the
 * mode-1 unfolding of T_k, i.e. the directions v with E[g He_k(<v,z>)...] != 0 for some k <= l; returned as the
 * filtration S_1 within S_2 within ... (stages of the new directions with the order l that adds them).
 */
export function oneStepFiltration(link: Link, spectrum: HermiteSpectrum, K = spectrum.maxDegree): SubspaceStage[] {
  const tensors = denseHermiteTensors(link, spectrum, K);
  const stages: SubspaceStage[] = [];
  let span: number[][] = [];
  for (let l = 1; l <= K && span.length < link.dimension; l++) {
    const hit = reachedAtDegree(tensors, [], l, l);
    const basis = extendOrthonormal(span, hit.directions);
    if (basis.length) { stages.push({ basis, degree: l, givenDimension: span.length, certificate: hit.exact ? "exact" : "numerical", singularValues: hit.singularValues }); span = [...span, ...basis]; }
  }
  return stages;
}

/**
 * Fresh-batch giant steps at n ~ d (seed 001 staircase, our reading [derived here]): step 1 learns span(C_1); a
 * further step learns the directions v of U-perp linearly connected to the learned U, E[g <u,z> <v,z>] != 0 for some
 * u in U (the range of P_perp C_2 P_U, C_2 = E[g (z z^T - I)]), which generalises c_(1,1) != 0 in the basis
 * (C_1, orthogonal) to any r. Returns the steps' subspaces and the unlearned complement.
 */
export function linearConnectionSteps(link: Link, spectrum: HermiteSpectrum): { steps: SubspaceStage[]; complement: number[][] } {
  const tensors = denseHermiteTensors(link, spectrum, Math.min(2, spectrum.maxDegree));
  const steps: SubspaceStage[] = [];
  let learned: number[][] = [];
  const first = reachedAtDegree(tensors, [], 1, 1);
  const b1 = extendOrthonormal([], first.directions);
  if (b1.length) { steps.push({ basis: b1, degree: 1, givenDimension: 0, certificate: first.exact ? "exact" : "numerical", singularValues: first.singularValues }); learned = b1; }
  while (learned.length && learned.length < link.dimension && tensors.length >= 2) {
    const hit = reachedAtDegree(tensors, learned, 1, 2);
    const basis = extendOrthonormal(learned, hit.directions);
    if (!basis.length) break;
    steps.push({ basis, degree: 1, givenDimension: learned.length, certificate: hit.exact ? "exact" : "numerical", singularValues: hit.singularValues });
    learned = [...learned, ...basis];
  }
  return { steps, complement: dependsOnSubspace(link, orthogonalComplement(learned, link.dimension)) ? orthogonalComplement(learned, link.dimension) : [] };
}


/**
 * The link written in the rotated coordinates u = Q^T z (z = Q u, Q orthogonal with columns `columns`), as a link.
 * A signed permutation is applied exactly; otherwise the entries are written with 17 significant digits.
 */
export function rotatedLink(link: Link, columns: readonly number[][]): Link {
  const r = link.dimension;
  const names = link.variables;
  const term = (i: number) => {
    const parts: string[] = [];
    columns.forEach((col, j) => {
      const q = col[i]!;
      if (Math.abs(q) < 1e-15) return;
      const name = names[j]!;
      parts.push(Math.abs(q - 1) < 1e-15 ? `+${name}` : Math.abs(q + 1) < 1e-15 ? `-${name}` : `${q < 0 ? "-" : "+"}${Math.abs(q).toPrecision(17)}*${name}`);
    });
    return `(${parts.join("").replace(/^\+/, "") || "0"})`;
  };
  const placeholders = names.map((_, i) => `__ROT${i}__`);
  let text = link.text;
  names.forEach((n, i) => { text = text.replace(new RegExp(`\\b${n}\\b`, "g"), placeholders[i]!); });
  placeholders.forEach((p, i) => { text = text.split(p).join(term(i)); });
  // the rotated link may no longer mention z_r (pi*z3 - abs(z1) in a basis where z3 maps to z2): keep its dimension
  const parsed = parseLink(r > 1 && !new RegExp(`\\b${names[r - 1]}\\b`).test(text) ? `${text} + 0*${names[r - 1]}` : text);
  if (parsed.dimension !== r) throw new Error(`internal: rotated link has dimension ${parsed.dimension}, expected ${r}`);
  return parsed;
}

/** A stage of the subspace generative staircase, with how it was decided. */
export interface GenerativeSubspaceStage extends SubspaceStage {
  /** "witness" (a polynomial F(y, z_U) = y^j He_beta(z_U) correlating at degree 1, exact for polynomials) or the
   * coordinate tests of generativeLeap.ts run in a basis adapted to the learned subspace. */
  readonly method: "witness" | "adapted-basis";
  readonly reason: string;
}

/** The generative staircase on subspaces, its value and caveats. */
export interface GenerativeSubspaceStaircase {
  /** The largest stage degree; null when some direction the link depends on is not reached up to degree K. */
  readonly value: number | null;
  /** Degree of the first stage (the multi-index generative exponent), null when nothing is reached. */
  readonly firstStageExponent: number | null;
  readonly stages: GenerativeSubspaceStage[];
  readonly unreachedDimension: number;
  readonly note: string;
  readonly warnings: string[];
  /** False when the time limit cut the search (then `value` is null and `stages` are those finished). */
  readonly resolved: boolean;
  /** The generative leap is at least this (see `GenerativeLeap.lowerBound`); null for a constant link. */
  readonly lowerBound: number | null;
  /** Cut by the time limit during the first stage: the generative exponent is at least this (else null). */
  readonly firstStageLowerBound: number | null;
}

/**
 * The generative leap on subspaces (Damian, Lee, Bruna 2025, arXiv 2506.05500, stated with subspaces): with U learned,
 * k(U) = min{k : E[He_alpha(z_perp) | y, z_U] != 0 for some |alpha| = k}; the stage adds the directions reached.
 * A degree-1 stage is proved by a witness F(y, z_U) = y^j He_beta(z_U) (j <= 3; the projected tensors of g^j, exact
 * for polynomial links), which is basis-free; otherwise the stage is decided by the coordinate tests of
 * `generativeLeap` (symmetry proofs, witnesses, cross-fitted Monte Carlo) in a basis adapted to U
 * (U's basis, then an orthonormal completion), which the note states. Past the deadline the answer is partial
 * (`resolved` false, generative leap >= `lowerBound`).
 */
export function subspaceGenerativeLeap(
  link: Link, spectrum: HermiteSpectrum, K = spectrum.maxDegree,
  /** Hermite spectra of g^2, g^3 already computed (e.g. by labelPowerExponents), indexed by the power. */
  powerSpectra: ReadonlyMap<number, { link: Link; spectrum: HermiteSpectrum }> = new Map(),
  deadline: Deadline = NO_DEADLINE,
): GenerativeSubspaceStaircase {
  const r = link.dimension;
  const witnesses: DenseHermiteTensor[][] = [denseHermiteTensors(link, spectrum, K)];
  // label powers as witnesses: exact for rational polynomials, tensor quadrature with error bounds for r <= 3
  const usable = (m: string) => m === "exact-polynomial" || m === "exact-separable" || (r <= 3 && m === "tensor-quadrature");
  if (usable(spectrum.method)) {
    for (let j = 2; j <= 3; j++) {
      try {
        const known = powerSpectra.get(j);
        // a witness computed past the deadline would only add cost: the adapted-basis tests (cut too) say so
        if (!(known && known.spectrum.maxDegree >= K) && deadline.expired()) break;
        const pl = known?.link ?? parseLink(`(${link.text})^${j}`);
        const sp = known && known.spectrum.maxDegree >= K ? known.spectrum : hermiteSpectrum(pl, K, { deadline });
        if (usable(sp.method) && pl.dimension === r) witnesses.push(denseHermiteTensors(pl, sp, K));
      } catch { /* the power is not usable as a link: the adapted-basis tests cover it */ }
    }
  }
  const stages: GenerativeSubspaceStage[] = [];
  const warnings: string[] = [];
  let learned: number[][] = [];
  const cut = (testing: number, firstStage: number | null = null): GenerativeSubspaceStaircase => {
    const lowerBound = Math.max(testing, ...stages.map((s) => s.degree));
    const first = stages[0]?.degree ?? firstStage;
    return {
      value: null, firstStageExponent: first, stages, unreachedDimension: r - learned.length, warnings, resolved: false, lowerBound,
      firstStageLowerBound: first === null ? testing : null,
      note: `generative leap >= ${lowerBound} (subspace staircase), not resolved within the time limit of ${deadline.seconds} s: ${stages.length ? `stages ${describeStages(stages)}; ` : ""}degrees below ${testing} of the cut stage reached nothing; the result depends on the machine's speed`,
    };
  };
  while (learned.length < r) {
    if (deadline.expired()) return cut(1);
    const complement = orthogonalComplement(learned, r);
    if (!dependsOnSubspace(link, complement)) break;
    // degree 1 by a witness: no lower degree needs a proof of zero
    const dirs: number[][] = [], sv: number[] = [];
    let exact = true, power = 0;
    witnesses.forEach((w, j) => {
      const hit = reachedAtDegree(w, learned, 1);
      if (hit.directions.length && !power) power = j + 1;
      dirs.push(...hit.directions); sv.push(...hit.singularValues); exact &&= hit.exact || !hit.directions.length;
    });
    const basis = extendOrthonormal(learned, dirs);
    if (basis.length) {
      stages.push({
        basis, degree: 1, givenDimension: learned.length, certificate: exact ? "exact" : "numerical", singularValues: sv, method: "witness",
        reason: `F(y, z_U) = y${power > 1 ? `^${power}` : ""} He_beta(z_U) correlates linearly with ${basis.length} direction(s) of U-perp (projected Hermite tensor of g${power > 1 ? `^${power}` : ""})`,
      });
      learned = [...learned, ...basis];
      continue;
    }
    // otherwise: one stage of the coordinate machinery in the adapted basis (U first, then its complement)
    const columns = [...learned, ...complement];
    const aligned = columns.every((c) => c.filter((x) => Math.abs(x) > 1e-12).length === 1);
    const adapted = rotatedLink(link, columns);
    // in the given coordinates, in order, the adapted link is the link itself: its spectrum serves
    const identity = columns.every((c, j) => c.every((x, i) => x === (i === j ? 1 : 0)));
    const g = generativeLeap(adapted, { maxDegree: K, initiallyLearned: learned.map((_, i) => i), maxStages: 1, deadline, spectrum: identity ? spectrum : undefined });
    warnings.push(...g.warnings);
    if (!g.resolved) return cut(g.lowerBound ?? 1, stages.length ? null : g.firstStageExponent);
    const st = g.staircase[0];
    if (!st) break;
    const newBasis = extendOrthonormal(learned, st.directions.map((name) => columns[adapted.variables.indexOf(name)]!));
    if (!newBasis.length) break;
    stages.push({
      basis: newBasis, degree: st.exponent, givenDimension: learned.length,
      certificate: st.evidence.every((e) => e.basis !== "numerical") ? "exact" : "numerical", singularValues: [], method: "adapted-basis",
      reason: `${aligned ? "in the given coordinates" : "in a basis adapted to the learned subspace (its basis, then an orthonormal completion)"}: ${st.reason}`,
    });
    learned = [...learned, ...newBasis];
  }
  const complement = orthogonalComplement(learned, r);
  const unreached = learned.length < r && dependsOnSubspace(link, complement) ? complement.length : 0;
  const value = unreached || !stages.length ? null : Math.max(...stages.map((s) => s.degree));
  const order = describeStages(stages);
  const note = value === null
    ? `generative leap > ${K} (subspace staircase): ${order ? `stages ${order}; ` : ""}${unreached}-dimensional subspace not reached up to degree ${K}`
    : `generative leap = ${value} (subspace staircase, basis-free where decided by witnesses; Damian, Lee, Bruna 2025, arXiv 2506.05500): ${order}; the LDP-optimal sample size is n ~ d^${Math.max(1, value / 2)}`;
  return { value, firstStageExponent: stages[0]?.degree ?? null, stages, unreachedDimension: unreached, note, warnings, resolved: true, lowerBound: value ?? (stages.length || unreached ? K + 1 : null), firstStageLowerBound: null };
}
