/**
 * Numeric Hermite coefficients of a piecewise-smooth univariate link: the line is cut at every kink or jump,
 * truncated where the Gaussian tail is negligible, and each piece is integrated adaptively (Gauss–Legendre 20/30
 * panels) against phi, for all k at once using the normalised recurrence for h_k = He_k/sqrt(k!).
 */
import { integrateAdaptive } from "../numeric/adaptive.js";
import { normalizedHermiteValues } from "./basis.js";

/** Numerical c_0..c_K and E[f^2] of a univariate function, each with an error bound. */
export interface NumericSpectrum {
  /** c_0..c_K. */
  readonly coefficients: Float64Array;
  /** Error bound per coefficient (quadrature estimate + truncation of the tails). */
  readonly errors: Float64Array;
  /** E[f(Z)^2] and its error bound. */
  readonly secondMoment: number;
  readonly secondMomentError: number;
  readonly evaluations: number;
  readonly window: number;
  /** True when `options.expired` stopped the refinement of some piece: the errors are then the pieces' mass allowances (estimates). */
  readonly cut: boolean;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** Panel limit per piece of the first (scale-finding) pass. */
const ROUGH_PANELS = 64;

/** Half-width L beyond which |f(z)| max_k |h_k(z)| phi(z) (and f^2 phi) stays below `tiny`. */
function truncation(f: (z: number) => number, K: number, tiny: number): number {
  const h = new Float64Array(K + 1);
  const size = (z: number) => {
    normalizedHermiteValues(z, K, h);
    let m = 0;
    for (let k = 0; k <= K; k++) m = Math.max(m, Math.abs(h[k]!));
    const fz = Math.abs(f(z));
    return Math.max(fz * m, fz * fz) * Math.exp(-(z * z) / 2) * INV_SQRT_2PI;
  };
  for (let L = 10; L < 80; L += 2) {
    let ok = true;
    for (let t = L; t <= L + 8 && ok; t += 0.5) ok = size(t) < tiny && size(-t) < tiny;
    if (ok) return L;
  }
  return 80;
}

/** Sign changes of f looked for on a grid of this many points over the window. */
const SIGN_GRID = 8000;
/** At most this many sign changes are graded (an oscillating f has many, and no transition narrower than its period). */
const MAX_GRADED = 32;

/**
 * Cuts graded geometrically toward each sign change x0 of f and each kink (x0 +- 10^-j max(1, |x0|), j = 1..8): a transition of f
 * much narrower than any panel sits at a sign change (erf nested 161 deep goes from -0.617 to 0.617 within ~4e-9 of 0,
 * erf'(0)^161 = 2.7e8), and adaptive Gauss-Legendre rules whose nodes all lie outside it agree with each other on the
 * wrong value (E[f^2] was 1e-9 off with an estimated error of 1e-15). With the graded cuts every scale from 1e-8 to
 * 0.1 around x0 is a piece of its own, which the adaptive rule resolves. None when f changes sign more than
 * MAX_GRADED times on the grid; none at a kink (a jump through 0 is cut there already).
 */
function gradedAtSignChanges(f: (z: number) => number, L: number, kinks: readonly number[]): number[] {
  const crossings: number[] = [];
  let x0 = -L, f0 = f(x0);
  for (let i = 1; i <= SIGN_GRID; i++) {
    const x1 = -L + (2 * L * i) / SIGN_GRID, f1 = f(x1);
    if (f1 === 0 && f0 !== 0) crossings.push(x1);
    else if (f0 * f1 < 0) {
      let lo = x0, hi = x1;
      for (let it = 0; it < 200; it++) { const mid = 0.5 * (lo + hi); if (mid <= lo || mid >= hi) break; if (f(mid) * f0 > 0) lo = mid; else hi = mid; }
      crossings.push(0.5 * (lo + hi));
    }
    if (crossings.length > MAX_GRADED) return [];
    x0 = x1; f0 = f1;
  }
  // a sign change at a kink is a jump (sign(cos(z))), which the kink's own cut already handles
  const atKink = (c: number) => kinks.some((b) => Math.abs(b - c) <= 1e-9 * Math.max(1, Math.abs(c)));
  // the kinks themselves too (at most MAX_GRADED of them): a boundary layer at a kink is as narrow (min(exp(He(8, z)),
  // 19) falls from 19 to 0 within ~1e-3 of its kink at z = 4.14, inside a piece of width 1.34 whose nodes nearest the
  // kink are 2e-3 away: c_0 was 7.5e-8 off mpmath with an estimated error of 1.5e-14). Down to 1e-8 only: a piece
  // narrower than 1e-9 reads as an endpoint singularity to integrateAdaptive, whose allowance for it then inflates
  // every bound (the innermost piece [x0, x0 + 1e-8] still resolves a 4e-9-wide transition: it is its own panel)
  // none toward a point where f oscillates without end (sin(1/z) at 0): grading does not resolve an accumulation,
  // and each graded piece would be refined to the panel limit (0.11 -> 0.74 s)
  const oscillates = (c: number) => [-1, 1].some((s) => {
    let changes = 0, prev = f(c + s * 1e-8 * Math.max(1, Math.abs(c)));
    for (let i = 1; i <= 160; i++) {
      const v = f(c + s * 10 ** (-8 + (7 * i) / 160) * Math.max(1, Math.abs(c)));
      if (v * prev < 0) changes++;
      prev = v;
    }
    return changes > 4;
  });
  const centres = [...crossings.filter((c) => !atKink(c)), ...(kinks.length <= MAX_GRADED ? kinks.filter((b) => b > -L && b < L) : [])].filter((c) => !oscillates(c));
  return centres.flatMap((c) => [c, ...Array.from({ length: 8 }, (_, j) => 10 ** -(j + 1) * Math.max(1, Math.abs(c))).flatMap((d) => [c - d, c + d])]);
}

/**
 * c_k = int f(z) He_k(z)/sqrt(k!) phi(z) dz for k = 0..K by adaptive quadrature, cutting the line at `breakpoints`
 * (kinks and jumps of f) and truncating where f h_k phi is negligible.
 * @param f the function, finite almost everywhere (e.g. `link.f`).
 * @param breakpoints points where f or a derivative may jump; integration panels never straddle one.
 * @param options.relativeTolerance target relative accuracy of each panel (default 1e-13).
 * @returns coefficients with error bounds (quadrature estimate + tail truncation) and E[f(Z)^2].
 */
export function numericHermiteCoefficients(
  f: (z: number) => number,
  breakpoints: readonly number[],
  K: number,
  options: { relativeTolerance?: number; expired?: () => boolean } = {},
): NumericSpectrum {
  const rel = options.relativeTolerance ?? 1e-13;
  const h = new Float64Array(K + 1);
  const m = K + 2;
  const integrand = (z: number, out: Float64Array) => {
    const w = Math.exp(-(z * z) / 2) * INV_SQRT_2PI;
    const fz = f(z);
    normalizedHermiteValues(z, K, h);
    const fw = fz * w;
    for (let k = 0; k <= K; k++) out[k] = fw * h[k]!;
    out[K + 1] = fz * fw;
  };
  const run = (tolerance: number, scale: (k: number) => number, L: number, maxPanels?: number) => {
    const cuts = [-L, ...breakpoints.filter((b) => b > -L && b < L).sort((x, y) => x - y), L];
    const values = new Float64Array(m), errors = new Float64Array(m);
    let evaluations = 0, cut = false;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i]!, b = cuts[i + 1]!;
      if (b - a <= 0) continue;
      const share = (b - a) / (2 * L);
      const initialPanels = Math.max(1, Math.ceil((b - a) / 2));
      const r = integrateAdaptive(integrand, m, a, b, { tolerance: tolerance * Math.max(share, 0.05), scale, initialPanels, maxPanels: maxPanels === undefined ? undefined : Math.max(maxPanels, 4 * initialPanels), expired: options.expired });
      cut ||= r.cut === true;
      for (let k = 0; k < m; k++) { values[k]! += r.values[k]!; errors[k]! += r.errors[k]!; }
      evaluations += r.evaluations;
    }
    return { values, errors, evaluations, cut };
  };
  // pass 1: the scale of f; pass 2: the target accuracy relative to max(1, ||f||). Pass 1 only needs ||f|| roughly
  // and has a few panels per piece: an absolute 1e-6 on E[f^2] = 2.6e28 (-max(He(8, z)^3, 1)) is out of reach, and
  // it refined every piece to the panel limit (3.4 million evaluations, 0.65 s)
  const L0 = truncation(f, K, 1e-20);
  breakpoints = [...breakpoints, ...gradedAtSignChanges(f, L0, breakpoints)];
  const rough = run(1e-6, () => 1, L0, ROUGH_PANELS);
  const norm2 = Math.max(rough.values[K + 1]!, 0);
  const norm = Math.sqrt(norm2);
  const tiny = rel * 1e-3 * Math.max(1, norm);
  const L = truncation(f, K, tiny / 10);
  const fine = run(rel * Math.max(1, norm), (k) => (k === K + 1 ? Math.max(1, norm) : 1), L);
  const coefficients = fine.values.slice(0, K + 1);
  const errors = fine.errors.slice(0, K + 1);
  for (let k = 0; k <= K; k++) errors[k] = errors[k]! + tiny;
  return {
    coefficients, errors,
    secondMoment: fine.values[K + 1]!, secondMomentError: fine.errors[K + 1]! + tiny * Math.max(1, norm),
    evaluations: rough.evaluations + fine.evaluations, window: L, cut: rough.cut || fine.cut,
  };
}
