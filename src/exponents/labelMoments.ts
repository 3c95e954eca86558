/**
 * The label-level conditional moments E[He_1(Z) | Y = y] = E[Z | Y = y] and E[He_2(Z) | Y = y] = E[Z^2 | Y = y] - 1
 * as functions of a label value, for the preprocessing of the spectral and linear estimators (Mondelli, Montanari
 * 2018, arXiv 1708.05932: T*(y) built from E[Z^2 | Y = y]). Same routes as the generative spectrum
 * (generative.ts, conditional.ts): deterministic links by their branch structure (exact at atoms, preimage weights
 * phi(z_b)/|f'(z_b)| elsewhere), flips in closed form, Gaussian noise by a tabulated N_k(y)/N_0(y) with linear
 * interpolation (tabulation error reported).
 */
import type { Link } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { BranchAnalysisError, atomHermiteMoments, branchStructure, zetaContinuous, type BranchStructure } from "./conditional.js";
import { noisyMoments } from "./generative.js";
import type { NoiseModel } from "./noise.js";

/** y -> (E[He_1(Z) | Y = y], E[He_2(Z) | Y = y]) for one model, with how it is evaluated. */
export interface LabelMoments {
  /** E[Z | Y = y] (0 at a level the branch analysis finds no preimage for, e.g. rounding outside the range). */
  readonly he1: (y: number) => number;
  /** E[Z^2 - 1 | Y = y], in [-1, infinity). */
  readonly he2: (y: number) => number;
  /** Route and accuracy, in words. */
  readonly method: string;
}

const SQRT2 = Math.SQRT2;

function structureOf(link: Link): BranchStructure {
  if (link.kind !== "single") throw new InputError("label moments E[He_k(Z) | Y] are computed for single-index links");
  try {
    return branchStructure(link);
  } catch (e) {
    if (e instanceof BranchAnalysisError) throw new InputError(`the link's branch structure could not be analysed (${e.message}); the preprocessing E[Z^2 | Y = y] needs it`);
    throw e;
  }
}

/**
 * E[He_1(Z) | Y = y] and E[He_2(Z) | Y = y] as functions of the label, for y = f(z) (+ noise).
 * @throws InputError for a multi-index link, a link whose branch analysis fails, or flip noise on a non-+-1 link.
 */
export function labelMoments(link: Link, noise: NoiseModel): LabelMoments {
  const s = structureOf(link);
  const atoms = s.atoms.map((a) => { const A = atomHermiteMoments(a, 2); return { value: a.value, mass: a.mass, A }; });
  if (noise.kind === "flip") {
    const plus = atoms.find((a) => a.value === 1), minus = atoms.find((a) => a.value === -1);
    if (s.monotone.length > 0 || !plus || !minus) throw new InputError("flip noise needs a link whose values are +1 or -1 almost surely (e.g. sign(...))");
    const p = noise.p;
    const at = (first: typeof plus, other: typeof plus, k: 1 | 2) => ((1 - p) * first.A[k]! + p * other.A[k]!) / ((1 - p) * first.mass + p * other.mass);
    const table = { 1: [at(plus, minus, 1), at(plus, minus, 2) * SQRT2], [-1]: [at(minus, plus, 1), at(minus, plus, 2) * SQRT2] } as Record<number, [number, number]>;
    return { he1: (y) => table[y]?.[0] ?? 0, he2: (y) => table[y]?.[1] ?? 0, method: "flip noise on two atoms, closed form" };
  }
  if (noise.kind === "gaussian") return tabulated(s, noise.sigma);
  const buf = new Float64Array(3);
  const zeta = (y: number, k: 1 | 2): number => {
    const hit = atoms.find((a) => a.value === y);
    if (hit) return (hit.A[k]! / hit.mass) * (k === 2 ? SQRT2 : 1);
    return zetaContinuous(s, y, 2, buf) ? buf[k]! * (k === 2 ? SQRT2 : 1) : 0;
  };
  return { he1: (y) => zeta(y, 1), he2: (y) => zeta(y, 2), method: "branch structure: atoms in closed form, preimage weights phi/|f'| elsewhere" };
}

/** Gaussian label noise: N_k(y)/N_0(y) on a grid of 1201 points over the label range +- 10 sigma, linearly interpolated. */
function tabulated(s: BranchStructure, sigma: number): LabelMoments {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i <= 400; i++) { const v = s.f(-7 + (14 * i) / 400); if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
  lo -= 10 * sigma; hi += 10 * sigma;
  const G = 1201, h = (hi - lo) / (G - 1);
  const t1 = new Float64Array(G), t2 = new Float64Array(G);
  for (let i = 0; i < G; i++) {
    const { values: N } = noisyMoments(s, 2, sigma, lo + i * h);
    t1[i] = N[0]! > 0 ? N[1]! / N[0]! : 0;
    t2[i] = N[0]! > 0 ? (SQRT2 * N[2]!) / N[0]! : 0;
  }
  const interp = (t: Float64Array) => (y: number) => {
    const x = (y - lo) / h;
    if (!(x > 0)) return t[0]!;
    if (x >= G - 1) return t[G - 1]!;
    const i = Math.floor(x), w = x - i;
    return (1 - w) * t[i]! + w * t[i + 1]!;
  };
  return { he1: interp(t1), he2: interp(t2), method: `Gaussian noise: N_k(y)/N_0(y) tabulated at ${G} points on [${lo.toPrecision(4)}, ${hi.toPrecision(4)}] (spacing ${h.toPrecision(3)} = ${(h / sigma).toPrecision(3)} sigma), linear interpolation` };
}
