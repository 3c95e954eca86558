/**
 * First two moments of one step of the reduced chain at a fixed overlap m (theory-notes §4.1–4.2, derived here).
 *
 * The step is m' = (m + s xi c) / sqrt(1 + s^2 (xi^2 + R)), c = sqrt(1 - m^2), s = gamma a psi sigma'(z) with
 * psi = y (correlation loss) or y - a sigma(z) (square loss), R ~ chi^2_{d-2} independent. Expanding
 * 1/sqrt(1 + b) = 1 - b/2 + O(b^2) with b = O(gamma^2 d):
 *
 *   E[dm]   = c E[s xi] - (m/2) (E[s^2 xi^2] + (d - 2) E[s^2])            (signal, then the second-order shrinkage)
 *   E[dm^2] = c^2 E[s^2 xi^2],                                           relative error O(gamma^2 d + gamma |m| d).
 *
 * Stein's identity in xi gives E[psi sigma'(z) xi] = c E[f'(z*) sigma'(z)] (1 - 2 p_flip) = c C'(m) (1 - 2 p_flip),
 * C(m) = sum_j c_j[f] c_j[sigma] m^j. Every other expectation is of the form E[F(z*) G(z) xi^q], q in {0, 2}, with
 * (z*, z) standard Gaussians of correlation m, and follows from Mehler's formula (theory-notes §1.4):
 *
 *   M0(F, G) = E[F(z*) G(z)] = sum_j c_j[F] c_j[G] m^j,
 *   M2(F, G) = E[F G xi^2] = (M0(z^2 F, G) - 2 m M0(z F, z G) + m^2 M0(F, z^2 G)) / c^2      (xi = (z* - m z)/c).
 *
 * The coefficients are computed once per problem by composite Gauss–Legendre quadrature against the Gaussian density
 * on [-12, 12], split at the kinks of link and student (theory-notes §1.5), up to degree `MOMENT_DEGREE`.
 */
import { InputError } from "../link/errors.js";
import { parseLink } from "../link/link.js";
import { gaussLegendre } from "../numeric/gaussLegendre.js";
import { gaussHermite as gaussHermiteCache } from "../numeric/gaussHermite.js";
import type { Problem } from "./model.js";

/** Truncation degree of the Mehler series (exact for polynomial links and students up to this total degree). */
export const MOMENT_DEGREE = 48;

/** The two moments of one step at overlap m, with the two parts of the drift. */
export interface StepMoments {
  /** E[m' - m]. */
  readonly drift: number;
  /** Var[m' - m]. */
  readonly variance: number;
  /** First-order part of the drift: gamma a (1 - m^2) C'(m) (1 - 2 p_flip). */
  readonly signal: number;
  /** Second-order part of the drift (<= 0 for m > 0): -(m/2) (E[s^2 xi^2] + (d - 2) E[s^2]). */
  readonly shrinkage: number;
}

/** Normalised Hermite coefficients c_0..c_K of h under N(0, 1), by composite Gauss–Legendre split at `kinks`. */
export function gaussianHermiteCoefficients(h: (z: number) => number, kinks: readonly number[], K: number): Float64Array {
  const L = 12;
  const cuts = [-L];
  for (let x = -L + 1; x < L; x++) cuts.push(x);
  for (const k of kinks) if (k > -L && k < L) cuts.push(k);
  cuts.push(L);
  cuts.sort((a, b) => a - b);
  const rule = gaussLegendre(20);
  const c = new Float64Array(K + 1), he = new Float64Array(K + 1);
  const norm = 1 / Math.sqrt(2 * Math.PI);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i]!, b = cuts[i + 1]!;
    if (b - a < 1e-14) continue;
    const half = (b - a) / 2, mid = (a + b) / 2;
    for (let q = 0; q < rule.nodes.length; q++) {
      const z = mid + half * rule.nodes[q]!;
      const w = half * rule.weights[q]! * norm * Math.exp(-0.5 * z * z) * h(z);
      if (w === 0 || !Number.isFinite(w)) continue;
      // normalised Hermite values: h_{j+1} = (z h_j - sqrt(j) h_{j-1}) / sqrt(j + 1)
      he[0] = 1; if (K >= 1) he[1] = z;
      for (let j = 1; j < K; j++) he[j + 1] = (z * he[j]! - Math.sqrt(j) * he[j - 1]!) / Math.sqrt(j + 1);
      for (let j = 0; j <= K; j++) c[j] += w * he[j]!;
    }
  }
  return c;
}

/** Values of sum_j a_j b_j m^j for several coefficient pairs at once. */
function mehler(a: Float64Array, b: Float64Array, m: number): number {
  let s = 0;
  for (let j = a.length - 1; j >= 0; j--) s = s * m + a[j]! * b[j]!;
  return s;
}

/**
 * One-step moments of the reduced chain for an online problem with a fixed second layer (correlation or square loss,
 * Gaussian or flip label noise). Construct once per problem; `at(m)` costs a few Horner evaluations.
 * @throws InputError for variants it does not cover (batch reuse, alternating, a trained second layer).
 */
export class OverlapMoments {
  private readonly gamma: number;
  private readonly a: number;
  private readonly nu: number;
  private readonly signalC: Float64Array;
  private readonly series: { readonly weight: number; readonly xi: boolean; readonly F: Float64Array; readonly G: Float64Array; readonly zF?: Float64Array; readonly zG?: Float64Array; readonly z2F?: Float64Array; readonly z2G?: Float64Array }[];
  private readonly constantS2: number;
  private readonly constantS2xi: number;

  constructor(p: Problem) {
    if (p.variant.kind !== "online" || p.etaSecondLayer !== 0) {
      throw new InputError("the leaping engine covers online SGD with a fixed second layer (no --variant reuse/alternating, no --eta-a)");
    }
    if (p.target.kind !== "single") throw new InputError("the leaping engine needs a single-index link");
    const K = MOMENT_DEGREE;
    const f = p.target.f, sigma = p.student.sigma, ds = p.student.sigmaPrime;
    const kinks = [...p.target.breakpoints, ...parseLink(p.student.source).breakpoints];
    const coef = (h: (z: number) => number) => gaussianHermiteCoefficients(h, kinks, K);
    this.gamma = p.eta; this.a = p.a0; this.nu = p.d - 2;
    const flip = 1 - 2 * p.flipProbability, tau2 = p.noiseSigma ** 2, a = p.a0;
    // C'(m) = sum_j j c_j[f] c_j[sigma] m^{j-1}: store j c_j[f] c_j[sigma] at index j - 1
    const cf = coef(f), cs = coef(sigma);
    this.signalC = new Float64Array(K);
    for (let j = 1; j <= K; j++) this.signalC[j - 1] = j * cf[j]! * cs[j]! * flip;
    // E[psi^2 sigma'^2 xi^q] = E[y^2 sigma'^2 xi^q] - 2a (1-2p) E[f sigma sigma'^2 xi^q] + a^2 E[sigma^2 sigma'^2] (square loss)
    const pair = (F: (z: number) => number, G: (z: number) => number, weight: number) => ({
      weight, xi: true, F: coef(F), G: coef(G),
      zF: coef((z) => z * F(z)), zG: coef((z) => z * G(z)), z2F: coef((z) => z * z * F(z)), z2G: coef((z) => z * z * G(z)),
    });
    const ds2 = (z: number) => ds(z) ** 2;
    this.series = [pair((z) => f(z) ** 2, ds2, 1)];
    const Eds2 = coef(ds2)[0]!;
    let c2 = tau2 * Eds2;
    if (p.loss === "square") {
      this.series.push(pair(f, (z) => sigma(z) * ds(z) ** 2, -2 * a * flip));
      c2 += a * a * coef((z) => (sigma(z) * ds(z)) ** 2)[0]!;
    }
    // label noise and the a^2 sigma^2 term do not involve z*, and xi is independent of z: E[. xi^2] = E[.]
    this.constantS2 = c2; this.constantS2xi = c2;
  }

  /** The moments at overlap m (|m| < 1). */
  at(m: number): StepMoments {
    const c2 = 1 - m * m;
    let e0 = this.constantS2, e2 = this.constantS2xi;
    for (const s of this.series) {
      e0 += s.weight * mehler(s.F, s.G, m);
      e2 += s.weight * (mehler(s.z2F!, s.G, m) - 2 * m * mehler(s.zF!, s.zG!, m) + m * m * mehler(s.F, s.z2G!, m)) / c2;
    }
    let dC = 0;
    for (let j = this.signalC.length - 1; j >= 0; j--) dC = dC * m + this.signalC[j]!;
    const ga = this.gamma * this.a, g2 = ga * ga;
    const signal = ga * c2 * dC;
    const shrinkage = -(m / 2) * g2 * (e2 + this.nu * e0);
    const drift = signal + shrinkage;
    const second = c2 * g2 * e2;
    return { drift, variance: Math.max(0, second - drift * drift), signal, shrinkage };
  }
}

/** Grid of overlaps on which `ExactStepMoments` tabulates the moments: m_j = -M + j h, h = M / GRID_HALF. */
const GRID_EDGE = 0.96, GRID_HALF = 96;

/**
 * The first two moments of one step of the exact update at fixed m, without expansion in s: E over (z, xi) by a
 * 48 x 48 Gauss–Hermite product rule of the map m -> (m + s xi c)/sqrt(1 + s^2 (xi^2 + R)), and over R ~ chi^2_{d-2}
 * by a 7-node Gauss–Hermite rule on its Wilson–Hilferty transform R = nu (1 - 2/(9 nu) + W sqrt(2/(9 nu)))^3
 * (matches the mean, variance and skewness of R to O(nu^-2)); the label noise (Gaussian, flips) by a 9-node rule and
 * exact averaging. Tabulated once on an overlap grid in [-0.96, 0.96] (spacing 0.01) and read by cubic Hermite
 * interpolation. Unlike `OverlapMoments` it stays right where single steps are large (the polynomial tails of
 * y sigma'(z) at small d), which the leaping engine needs.
 */
export class ExactStepMoments {
  private readonly driftGrid: Float64Array;
  private readonly varianceGrid: Float64Array;
  /** Largest |m| the table covers. */
  readonly edge = GRID_EDGE;

  constructor(p: Problem) {
    if (p.variant.kind !== "online" || p.etaSecondLayer !== 0) {
      throw new InputError("the leaping engine covers online SGD with a fixed second layer (no --variant reuse/alternating, no --eta-a)");
    }
    const n = 2 * GRID_HALF + 1;
    this.driftGrid = new Float64Array(n); this.varianceGrid = new Float64Array(n);
    const gh = gaussHermiteCache(48), noiseRule = gaussHermiteCache(9), wRule = gaussHermiteCache(7);
    const nu = p.d - 2;
    const rs = Array.from(wRule.nodes, (w) => {
      const b = 2 / (9 * nu), x = 1 - b + w * Math.sqrt(b);
      return nu * Math.max(0, x) ** 3;
    });
    const f = p.target.f, sigma = p.student.sigma, ds = p.student.sigmaPrime;
    const gamma = p.eta, a = p.a0, tau = p.noiseSigma, flip = p.flipProbability, square = p.loss === "square";
    const noiseNodes = tau > 0 ? Array.from(noiseRule.nodes, (e) => tau * e) : [0];
    const noiseWeights = tau > 0 ? Array.from(noiseRule.weights) : [1];
    for (let j = 0; j < n; j++) {
      const m = -GRID_EDGE + (j * GRID_EDGE) / GRID_HALF;
      const c = Math.sqrt(1 - m * m);
      let e1 = 0, e2 = 0;
      for (let i = 0; i < gh.nodes.length; i++) {
        const z = gh.nodes[i]!, wz = gh.weights[i]!;
        const dsz = ds(z), sz = square ? sigma(z) : 0;
        for (let k = 0; k < gh.nodes.length; k++) {
          const xi = gh.nodes[k]!, w = wz * gh.weights[k]!;
          const fz = f(m * z + c * xi);
          for (let q = 0; q < noiseNodes.length; q++) {
            const wq = w * noiseWeights[q]!;
            for (const sign of flip > 0 ? [1, -1] : [1]) {
              const ws = wq * (flip > 0 ? (sign === 1 ? 1 - flip : flip) : 1);
              const y = sign * (fz + noiseNodes[q]!);
              const s = gamma * (square ? y - a * sz : y) * a * dsz;
              for (let l = 0; l < rs.length; l++) {
                const dm = (m + s * xi * c) / Math.sqrt(1 + s * s * (xi * xi + rs[l]!)) - m;
                const wl = ws * wRule.weights[l]!;
                e1 += wl * dm; e2 += wl * dm * dm;
              }
            }
          }
        }
      }
      this.driftGrid[j] = e1;
      this.varianceGrid[j] = Math.max(0, e2 - e1 * e1);
    }
  }

  /** Drift and variance of one step at overlap m (|m| <= edge), by cubic Hermite interpolation of the table. */
  at(m: number): { drift: number; variance: number } {
    return { drift: interpolate(this.driftGrid, m), variance: Math.max(0, interpolate(this.varianceGrid, m)) };
  }
}

/** Cubic Hermite (Catmull–Rom) interpolation on the uniform overlap grid. */
function interpolate(v: Float64Array, m: number): number {
  const h = GRID_EDGE / GRID_HALF, n = v.length;
  const x = (m + GRID_EDGE) / h;
  const i = Math.min(n - 2, Math.max(0, Math.floor(x)));
  const t = x - i;
  const p0 = v[Math.max(0, i - 1)]!, p1 = v[i]!, p2 = v[i + 1]!, p3 = v[Math.min(n - 1, i + 2)]!;
  const m1 = (p2 - p0) / 2, m2 = (p3 - p1) / 2;
  const t2 = t * t, t3 = t2 * t;
  return (2 * t3 - 3 * t2 + 1) * p1 + (t3 - 2 * t2 + t) * m1 + (-2 * t3 + 3 * t2) * p2 + (t3 - t2) * m2;
}
