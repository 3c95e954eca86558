/**
 * The law of the escape time of spherical online SGD (one neuron, single-index link), not only its power of d:
 * the d -> infinity limit of T / d^{max(k-1,1)} and a finite-d diffusion approximation of it
 * (derived here; theory/escape-time-law.yaml, theory-notes §4.2).
 *
 * One step of the exact chain (src/simulations/reduced.ts) with s = gamma psi, psi = a r(y, z) sigma'(z) (r = y for
 * correlation loss, y - a sigma(z) for square loss), c = sqrt(1 - m^2), Q = xi^2 + R, R ~ chi^2_{d-2}:
 *   m' - m = s xi c - (m/2) s^2 Q + O(s^3 Q),
 * so, by Stein (E[y sigma'(z) xi] = c C'(m), C(m) = sum_j c_j[f] c_j[sigma] m^j),
 *   mu(m) = E[dm]   = gamma a rho c^2 C'(m) - (gamma^2 m / 2) E[psi^2 Q],                    rho = 1 - 2 P(flip)
 *   V(m)  = Var[dm] = E[(gamma psi xi c - (gamma^2 m / 2) psi^2 Q)^2] - mu^2.
 * With M = sqrt(d) m, time tau = t / U (U = d^{k-1} for k >= 2, d for k = 1) and gamma = gamma0 d^{-max(k/2,1)},
 * M is a diffusion with drift U sqrt(d) mu(M / sqrt(d)) and diffusion coefficient U d V(M / sqrt(d)) / 2. Its d -> oo
 * limit, with A = k c_k[f] c_k[sigma] a rho, B = E_0[psi^2], B_xi = E_0[psi^2 xi^2] (m = 0):
 *   k >= 3:  dM = (gamma0 A M^{k-1} - gamma0^2 B M / 2) dtau + gamma0 sqrt(B_xi) dW,  M_0 ~ N(0, 1);
 *            T / d^{k-1} -> the explosion time of M (the threshold enters at relative order d^{-(k-2)/2}).
 *            The noise is of the same order as the shrinkage: T is NOT a function of M_0 alone.
 *   k = 2:   dM = lambda M dtau + gamma0 sqrt(B_xi) dW, lambda = gamma0 A - gamma0^2 B / 2: M_tau ~ e^{lambda tau} L,
 *            L ~ N(0, 1 + gamma0^2 B_xi / (2 lambda)); T / d = ln(thr sqrt(d) / |L|) / lambda + I(thr) + o(1),
 *            I(thr) = int_0^thr (1/v(m) - 1/(lambda m)) dm, v(m) = d mu(m) (the ODE once m = O(1)).
 *   k = 1:   T / d -> tau* = int_0^thr dm / v(m) (deterministic), with Gaussian fluctuations of variance
 *            1/(d v(0)^2) + int_0^thr d V(m) / v(m)^3 dm.
 */
import { parseLink } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { compileUnivariate } from "../link/compile.js";
import { derivative } from "../link/analysis.js";
import { parseNoise, type NoiseModel } from "../exponents/noise.js";
import { hermiteSpectrum } from "../hermite/spectrum.js";
import { gaussLegendre } from "../numeric/gaussLegendre.js";
import { firstPassageLaw } from "../numeric/firstPassage.js";

/** The learning problem whose escape time is predicted (one spherical neuron, fixed second layer a). */
export interface EscapeSetting {
  readonly link: string;
  readonly student: string;
  readonly loss: "correlation" | "square";
  /** Label noise spec ("none", "gaussian:S", "flip:P"). */
  readonly noise?: string;
  /** Fixed second-layer weight (default 1). */
  readonly a0?: number;
  /** Escape when the overlap reaches this (0 < threshold < 1). */
  readonly threshold: number;
  readonly overlap: "signed" | "abs";
}

/** The drift and variance of one step of the overlap chain as functions of m, with the constants at m = 0. */
export interface OverlapMoments {
  /** k: the order of the first non-zero term of C'(m) (the problem's information exponent). */
  readonly k: number;
  /** A = k c_k[f] c_k[sigma] a rho: C'(m) a rho = A m^{k-1} + ... */
  readonly A: number;
  /** B = E[psi^2] and B_xi = E[psi^2 xi^2] at m = 0. */
  readonly B: number;
  readonly Bxi: number;
  /** a rho C'(m) (rho = 1 - 2 P(flip)). */
  readonly dC: (m: number) => number;
  /** E_m[psi^2], E_m[psi^2 xi^2], E_m[psi^3 xi], E_m[psi^3 xi^3], E_m[psi^4], E_m[psi^4 xi^2], E_m[psi^4 xi^4]. */
  readonly moment: (j: number, m: number) => number;
  /** |m| range on which `moment` is tabulated. */
  readonly range: number;
  /**
   * Exact one-step moments of the chain at (m, d, gamma) by quadrature over (z, xi, R, label noise):
   * [E[m' - m] - gamma c^2 a rho C'(m), E[(m' - m)^2]] (the first-order Stein term is left out so that it can be
   * added exactly from the series).
   */
  readonly exactStep: (m: number, d: number, gamma: number) => [number, number];
}

const MOMENTS = 7;
const CHEB_NODES = 13;
const SERIES_DEGREE = 40;

/** E_eps[r^j] for j = 1..4 of the residual r given f = f*(z*) and s = a sigma(z), for the noise model. */
function residualPowers(noise: NoiseModel, square: boolean, f: number, s: number, out: Float64Array): void {
  if (noise.kind === "flip") {
    const p = noise.p;
    const u = square ? f - s : f, w = square ? -f - s : -f;
    let pu = 1, pw = 1;
    for (let j = 1; j <= 4; j++) { pu *= u; pw *= w; out[j] = (1 - p) * pu + p * pw; }
    return;
  }
  const u = square ? f - s : f;
  const t2 = noise.kind === "gaussian" ? noise.sigma * noise.sigma : 0;
  out[1] = u; out[2] = u * u + t2; out[3] = u * u * u + 3 * u * t2; out[4] = u ** 4 + 6 * u * u * t2 + 3 * t2 * t2;
}

/** Gauss–Legendre nodes and weights (times the normal density) on [-9, 9], split at the given points, panels <= 1 wide. */
function gaussianNodes(breaks: readonly number[]): { x: number[]; w: number[] } {
  const pts = [-9, ...breaks.filter((b) => b > -9 && b < 9), 9].sort((a, b) => a - b);
  const rule = gaussLegendre(10);
  const x: number[] = [], w: number[] = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i]!, b = pts[i + 1]!;
    if (b - a < 1e-14) continue;
    const pieces = Math.max(1, Math.ceil(b - a));
    for (let q = 0; q < pieces; q++) {
      const lo = a + ((b - a) * q) / pieces, hi = a + ((b - a) * (q + 1)) / pieces;
      const c = (lo + hi) / 2, h = (hi - lo) / 2;
      for (let r = 0; r < rule.nodes.length; r++) {
        const xx = c + h * rule.nodes[r]!;
        x.push(xx); w.push(h * rule.weights[r]! * Math.exp(-xx * xx / 2) / Math.sqrt(2 * Math.PI));
      }
    }
  }
  return { x, w };
}

/**
 * The moments of one step of the overlap chain for a setting: the series a rho C'(m) from the Hermite spectra
 * (exact at small m, where the drift is of order m^{k-1}), and the second- to fourth-order moments of psi by
 * 2-d Gaussian quadrature split at the kinks of link and student, tabulated in m by Chebyshev interpolation.
 * @throws InputError for a multi-index link, a student that is not a function of z, or a vanishing drift.
 */
export function overlapMoments(s: EscapeSetting): OverlapMoments {
  const target = parseLink(s.link), student = parseLink(s.student);
  if (target.kind !== "single" || student.kind !== "single") throw new InputError("the escape-time law is derived for a single-index link and a student activation in z");
  const noise = parseNoise(s.noise);
  const a = s.a0 ?? 1;
  const rho = noise.kind === "flip" ? 1 - 2 * noise.p : 1;
  const cf = hermiteSpectrum(target, SERIES_DEGREE).coefficients, cs = hermiteSpectrum(student, SERIES_DEGREE).coefficients;
  const series = cf.map((c, j) => j * c * cs[j]! * a * rho);
  let k = 0;
  for (let j = 1; j <= SERIES_DEGREE; j++) if (Math.abs(series[j]!) > 1e-12) { k = j; break; }
  if (k === 0) throw new InputError(`the drift C'(m) of student '${s.student}' on '${s.link}' vanishes up to degree ${SERIES_DEGREE}: online SGD has no drift to escape with`);
  const dC = (m: number) => { let v = 0; for (let j = SERIES_DEGREE; j >= 1; j--) v = v * m + series[j]!; return v; };
  const f = target.f, sig = student.f, dsig = compileUnivariate(derivative(student.expr, 0));
  const zNodes = gaussianNodes(student.breakpoints);
  const square = s.loss === "square";
  const rp = new Float64Array(5);
  const smoothTarget = target.breakpoints.length === 0, xiFixed = gaussianNodes([]);
  const momentsAt = (m: number): Float64Array => {
    const out = new Float64Array(MOMENTS);
    const c = Math.sqrt(1 - m * m);
    for (let i = 0; i < zNodes.x.length; i++) {
      const z = zNodes.x[i]!, wz = zNodes.w[i]!;
      const sz = a * sig(z), ds = a * dsig(z);
      const xiNodes = smoothTarget ? xiFixed : gaussianNodes(target.breakpoints.map((b) => (b - m * z) / c));
      for (let q = 0; q < xiNodes.x.length; q++) {
        const xi = xiNodes.x[q]!, w = wz * xiNodes.w[q]!;
        residualPowers(noise, square, f(m * z + c * xi), sz, rp);
        const x2 = xi * xi, d2 = ds * ds, d3 = d2 * ds, d4 = d2 * d2;
        out[0]! += w * rp[2]! * d2;
        out[1]! += w * rp[2]! * d2 * x2;
        out[2]! += w * rp[3]! * d3 * xi;
        out[3]! += w * rp[3]! * d3 * xi * x2;
        out[4]! += w * rp[4]! * d4;
        out[5]! += w * rp[4]! * d4 * x2;
        out[6]! += w * rp[4]! * d4 * x2 * x2;
      }
    }
    return out;
  };
  // R ~ chi^2_{d-2} by its first two moments (3-point Gauss–Hermite on the normal approximation), label noise by
  // 6-point Gauss–Hermite (gaussian) or its two branches (flip)
  const RG = [-Math.sqrt(3), 0, Math.sqrt(3)], RW = [1 / 6, 2 / 3, 1 / 6];
  const gh = [-3.324257433552119, -1.889175877753711, -0.6167065901925942, 0.6167065901925942, 1.889175877753711, 3.324257433552119];
  const ghw = [0.002555784402056249, 0.08861574604191454, 0.4088284695560293, 0.4088284695560293, 0.08861574604191454, 0.002555784402056249];
  const labels: { dy: number; sign: number; w: number }[] = noise.kind === "gaussian" ? gh.map((e, i) => ({ dy: noise.sigma * e, sign: 1, w: ghw[i]! }))
    : noise.kind === "flip" ? [{ dy: 0, sign: 1, w: 1 - noise.p }, { dy: 0, sign: -1, w: noise.p }] : [{ dy: 0, sign: 1, w: 1 }];
  const exactStep = (m: number, d: number, gamma: number): [number, number] => {
    const c = Math.sqrt(1 - m * m);
    const Rs = RG.map((g) => Math.max(0, d - 2 + Math.sqrt(2 * (d - 2)) * g));
    let mean = 0, second = 0;
    for (let i = 0; i < zNodes.x.length; i++) {
      const z = zNodes.x[i]!, wz = zNodes.w[i]!;
      const sz = a * sig(z), ds = a * dsig(z);
      const xiNodes = smoothTarget ? xiFixed : gaussianNodes(target.breakpoints.map((b) => (b - m * z) / c));
      for (let q = 0; q < xiNodes.x.length; q++) {
        const xi = xiNodes.x[q]!, w0 = wz * xiNodes.w[q]!;
        const fy = f(m * z + c * xi);
        for (const lab of labels) {
          const y = lab.sign * fy + lab.dy;
          const sc = gamma * (square ? y - sz : y) * ds;
          for (let r = 0; r < 3; r++) {
            const w = w0 * lab.w * RW[r]!;
            const dm = (m + sc * xi * c) / Math.sqrt(1 + sc * sc * (xi * xi + Rs[r]!)) - m;
            mean += w * (dm - sc * xi * c);
            second += w * dm * dm;
          }
        }
      }
    }
    return [mean, second];
  };
  const range = Math.min(0.999, Math.max(s.threshold, 0.05));
  // Chebyshev interpolation of each moment on [-range, range] (barycentric form, second kind nodes)
  const nodes = Array.from({ length: CHEB_NODES }, (_, i) => range * Math.cos((Math.PI * i) / (CHEB_NODES - 1)));
  const values = nodes.map(momentsAt);
  const at0 = momentsAt(0);
  if (!values.every((v) => v.every(Number.isFinite)) || !at0.every(Number.isFinite)) throw new InputError(`the step moments of '${s.student}' on '${s.link}' are not finite (heavy tails?)`);
  const moment = (j: number, m: number): number => {
    if (m === 0) return at0[j]!;
    let num = 0, den = 0;
    for (let i = 0; i < CHEB_NODES; i++) {
      const diff = m - nodes[i]!;
      if (diff === 0) return values[i]![j]!;
      const wgt = (i % 2 === 0 ? 1 : -1) * (i === 0 || i === CHEB_NODES - 1 ? 0.5 : 1) / diff;
      num += wgt * values[i]![j]!; den += wgt;
    }
    return num / den;
  };
  return { k, A: series[k]!, B: at0[0]!, Bxi: at0[1]!, dC, moment, range, exactStep };
}

/** Drift and variance of one step of the chain at a fixed (d, gamma), as functions of m. */
export interface StepLaw {
  readonly drift: (m: number) => number;
  readonly variance: (m: number) => number;
}

/**
 * The one-step law of the chain at (d, gamma) from the exact update (not its expansion in gamma: with polynomial
 * links the gamma^3 d and gamma^4 d^2 terms carry large constants, e.g. 10% of the variance at d = 64 for He_3):
 * drift = gamma c^2 a rho C'(m) (series) + the tabulated remainder, variance tabulated, both by Chebyshev
 * interpolation in m on [-range, range].
 */
export function stepLaw(o: OverlapMoments, d: number, gamma: number): StepLaw {
  const n = CHEB_NODES, range = o.range;
  const nodes = Array.from({ length: n }, (_, i) => range * Math.cos((Math.PI * i) / (n - 1)));
  const values = nodes.map((m) => o.exactStep(m, d, gamma));
  const interp = (j: number, m: number): number => {
    let num = 0, den = 0;
    for (let i = 0; i < n; i++) {
      const diff = m - nodes[i]!;
      if (diff === 0) return values[i]![j]!;
      const wgt = (i % 2 === 0 ? 1 : -1) * (i === 0 || i === n - 1 ? 0.5 : 1) / diff;
      num += wgt * values[i]![j]!; den += wgt;
    }
    return num / den;
  };
  const drift = (m: number) => gamma * (1 - m * m) * o.dC(m) + interp(0, m);
  return { drift, variance: (m) => Math.max(0, interp(1, m) - drift(m) ** 2) };
}

/** E[m_{t+1} - m_t | m_t = m] at dimension d and rate gamma, to second order in gamma (module comment). */
export function stepDrift(o: OverlapMoments, m: number, d: number, gamma: number): number {
  const c2 = 1 - m * m;
  return gamma * c2 * o.dC(m) - (gamma * gamma * m / 2) * ((d - 2) * o.moment(0, m) + o.moment(1, m));
}

/** Var[m_{t+1} - m_t | m_t = m], with E[R] = d - 2 and E[R^2] = d (d - 2) for R ~ chi^2_{d-2} (module comment). */
export function stepVariance(o: OverlapMoments, m: number, d: number, gamma: number): number {
  const c = Math.sqrt(1 - m * m), g2 = gamma * gamma, r1 = d - 2, r2 = d * (d - 2);
  const second = g2 * c * c * o.moment(1, m)
    - gamma * g2 * m * c * (o.moment(3, m) + r1 * o.moment(2, m))
    + (g2 * g2 * m * m / 4) * (o.moment(6, m) + 2 * r1 * o.moment(5, m) + r2 * o.moment(4, m));
  const mu = stepDrift(o, m, d, gamma);
  return Math.max(0, second - mu * mu);
}

/** The law of T / U (U = d^{max(k-1,1)} steps) on a grid, with its median and CDF. */
export interface EscapeLaw {
  /** The dimension it describes, or null for the d -> infinity limit. */
  readonly d: number | null;
  /** The problem's exponent k and the time unit U = d^{max(k-1,1)} (1 for the limit). */
  readonly k: number;
  readonly unit: number;
  /** P(T / U <= t). For k = 2 and d = infinity: the law of T/d - ln(d) / (2 lambda). */
  readonly cdf: (t: number) => number;
  /** Median of T / U, or null when P(escape) <= 1/2. */
  readonly median: number | null;
  /** P(escape ever) (< 1 when the overlap can be lost to the wrong side). */
  readonly escapeProbability: number;
  /** How the law was computed. */
  readonly method: string;
}

/** Time unit of the law at dimension d: d^{k-1} for k >= 2, d for k = 1. */
export function escapeTimeUnit(k: number, d: number): number {
  return d ** Math.max(k - 1, 1);
}

/** Exponent x of the rate gamma = gamma0 d^{-x} at which the limit law exists: max(k/2, 1). */
export function rateExponent(k: number): number {
  return Math.max(k / 2, 1);
}

function tabulatedLaw(times: Float64Array, cdf: Float64Array, shift = 0): { cdf: (t: number) => number; median: number | null; total: number } {
  const n = times.length, total = cdf[n - 1]!;
  const at = (t: number): number => {
    const x = t - shift;
    if (x <= times[0]!) return cdf[0]!;
    if (x >= times[n - 1]!) return total;
    let lo = 0, hi = n - 1;
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (times[mid]! <= x) lo = mid; else hi = mid; }
    const u = (x - times[lo]!) / (times[hi]! - times[lo]!);
    return cdf[lo]! + u * (cdf[hi]! - cdf[lo]!);
  };
  let median: number | null = null;
  if (total > 0.5) {
    let i = 1;
    while (cdf[i]! < 0.5) i++;
    const u = (0.5 - cdf[i - 1]!) / (cdf[i]! - cdf[i - 1]!);
    median = shift + times[i - 1]! + u * (times[i]! - times[i - 1]!);
  }
  return { cdf: at, median, total };
}

function bisectMedian(cdf: (t: number) => number, hi0: number): number | null {
  let lo = 0, hi = hi0;
  for (let i = 0; i < 200 && cdf(hi) < 0.5; i++) hi *= 2;
  if (cdf(hi) < 0.5) return null;
  for (let i = 0; i < 200; i++) { const mid = (lo + hi) / 2; if (cdf(mid) < 0.5) lo = mid; else hi = mid; }
  return (lo + hi) / 2;
}

const normalTail = (x: number): number => 0.5 * erfc(x / Math.SQRT2);
/** erfc by the Numerical Recipes Chebyshev fit (relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** int_a^b g by 64-point Gauss–Legendre on 8 panels. */
function integrate(g: (x: number) => number, a: number, b: number): number {
  const rule = gaussLegendre(16);
  let s = 0;
  const panels = 8;
  for (let p = 0; p < panels; p++) {
    const lo = a + ((b - a) * p) / panels, hi = a + ((b - a) * (p + 1)) / panels, c = (lo + hi) / 2, h = (hi - lo) / 2;
    for (let i = 0; i < rule.nodes.length; i++) s += h * rule.weights[i]! * g(c + h * rule.nodes[i]!);
  }
  return s;
}

/** Whether v(x) > 0 on (0, thr] (checked on a fine grid): the ODE reaches the threshold on that side. */
function positiveOn(v: (x: number) => number, thr: number): boolean {
  for (let i = 1; i <= 400; i++) if (!(v((thr * i) / 400) > 0)) return false;
  return true;
}

/**
 * The law of T / d^{max(k-1,1)} at dimension d and learning rate gamma (the diffusion approximation of the chain,
 * module comment): k >= 3 by the Fokker–Planck equation of M = sqrt(d) m up to the threshold with the exact initial law
 * of sqrt(d) m_0; k = 2 and k = 1 by the closed forms.
 */
export function finiteDimensionEscapeLaw(o: OverlapMoments, s: EscapeSetting, d: number, gamma: number): EscapeLaw {
  const k = o.k, U = escapeTimeUnit(k, d), sd = Math.sqrt(d), thr = s.threshold;
  const step = stepLaw(o, d, gamma);
  const v = (m: number) => U * step.drift(m);
  if (k >= 3) {
    const X = thr * sd;
    const law = firstPassageLaw({
      drift: (x) => U * sd * step.drift(x / sd),
      diffusion: (x) => (U * d * step.variance(x / sd)) / 2,
      initialDensity: (x) => Math.abs(x) < sd ? Math.exp(((d - 3) / 2) * Math.log1p(-(x * x) / d)) : 0,
      left: -X, right: X, leftBoundary: "absorbing", rightBoundary: "absorbing",
      timeScale: timeScale(U * sd * Math.abs(step.drift(1 / sd)), (U * d * step.variance(0)) / 2),
    });
    const escaped = s.overlap === "abs" ? law.right.map((r, i) => r + law.left[i]!) : law.right;
    const t = tabulatedLaw(law.times, escaped);
    return { d, k, unit: U, cdf: t.cdf, median: t.median, escapeProbability: t.total, method: `Fokker–Planck of sqrt(d) m to the threshold (${law.cells} cells, ${law.times.length} steps)` };
  }
  const hm = 1e-3 * o.range;
  const lambda = (v(hm) - v(-hm)) / (2 * hm);
  const sides = s.overlap === "abs" ? [1, -1] : [1];
  if (k === 2) {
    const varL = 1 + (d * U * step.variance(0)) / (2 * lambda);
    const terms = lambda > 0 ? sides.map((side) => {
      const vs = (x: number) => side * v(side * x);
      if (!positiveOn(vs, thr)) return null;
      return integrate((x) => 1 / vs(x) - 1 / (lambda * x), 0, thr);
    }) : [];
    const cdf = (t: number) => terms.reduce<number>((acc, I) => I === null ? acc : acc + normalTail((thr * sd * Math.exp(-lambda * (t - I))) / Math.sqrt(varL)), 0);
    const escapeProbability = terms.reduce<number>((acc, I) => acc + (I === null ? 0 : 0.5), 0);
    const median = lambda > 0 ? bisectMedian(cdf, Math.log(thr * sd) / lambda + 1) : null;
    return { d, k, unit: U, cdf, median, escapeProbability, method: `linear SDE in sqrt(d) m (lambda = ${lambda.toPrecision(4)}) then the drift ODE` };
  }
  // k = 1: the side is fixed by the sign of the drift at 0
  const side = Math.sign(v(0));
  const ok = (s.overlap === "abs" || side > 0) && positiveOn((x) => side * v(side * x), thr);
  if (!ok) return { d, k, unit: U, cdf: () => 0, median: null, escapeProbability: 0, method: "drift ODE: the threshold is not reached" };
  const vs = (x: number) => side * v(side * x);
  const mean = integrate((x) => 1 / vs(x), 0, thr);
  const variance = 1 / (d * vs(0) ** 2) + integrate((x) => (U * step.variance(side * x)) / vs(x) ** 3, 0, thr);
  const sdT = Math.sqrt(variance);
  return { d, k, unit: U, cdf: (t) => 1 - normalTail((t - mean) / sdT), median: mean, escapeProbability: 1, method: "drift ODE with Gaussian fluctuations" };
}

function timeScale(driftAtOne: number, diffusionAtZero: number): number {
  const a = driftAtOne > 0 ? 1 / driftAtOne : Infinity, b = diffusionAtZero > 0 ? 1 / diffusionAtZero : Infinity;
  const t = Math.min(a, b);
  return Number.isFinite(t) ? t : 1;
}

/** The leading-order constants of the median escape time as a function of gamma0. */
export interface EscapeConstant {
  readonly k: number;
  readonly gamma0: number;
  /** median T ~ C d^{k-1} (k >= 3), C d ln d (k = 2), C d (k = 1). */
  readonly C: number | null;
  /** k = 2 only: median T = C d ln d + C2 d + o(d). */
  readonly C2: number | null;
  /** The formula in words, e.g. "median T ~ 2.81 d^2". */
  readonly formula: string;
  /** The d -> infinity law (of T/d^{k-1}; for k = 2 of T/d - C ln d; for k = 1 a point mass at C). */
  readonly law: EscapeLaw;
  /** The limit's drift, shrinkage and noise constants: A, B, B_xi (module comment). */
  readonly A: number;
  readonly B: number;
  readonly Bxi: number;
}

/**
 * The d -> infinity law of the escape time at gamma = gamma0 d^{-max(k/2,1)} and its median constant (module comment):
 * k >= 3 the explosion time of the limit SDE (Fokker–Planck on [-X, X] plus the deterministic tail beyond X),
 * k = 2 lambda = gamma0 A - gamma0^2 B / 2 and C = 1 / (2 lambda), k = 1 the drift ODE's time to the threshold.
 */
export function limitingEscapeLaw(o: OverlapMoments, s: EscapeSetting, gamma0: number): EscapeConstant {
  const k = o.k, thr = s.threshold;
  const base = { k, gamma0, A: o.A, B: o.B, Bxi: o.Bxi };
  if (k >= 3) {
    const a = gamma0 * o.A, b = (gamma0 * gamma0 * o.B) / 2, D = (gamma0 * gamma0 * o.Bxi) / 2;
    const mu = (x: number) => a * x ** (k - 1) - b * x;
    // beyond X the drift dominates the noise: X^{k-2} |a| >= 200 b and X^k |a| >= 1e4 D
    const X = Math.max(40, (200 * b / Math.abs(a)) ** (1 / (k - 2)), (1e4 * D / Math.abs(a)) ** (1 / k));
    const tail = (side: number): number | null => {
      // int_X^inf dx / (side mu(side x)) by u = 1/x: int_0^{1/X} u^{k-3} du / (side a side^{k-1} - b u^{k-2})
      const lead = side ** k * a;
      if (!(lead - b / X ** (k - 2) > 0)) return null;
      return integrate((u) => u ** (k - 3) / (lead - b * u ** (k - 2)), 0, 1 / X);
    };
    const law = firstPassageLaw({
      drift: mu, diffusion: () => D, initialDensity: (x) => Math.exp(-x * x / 2),
      left: -X, right: X, leftBoundary: "absorbing", rightBoundary: "absorbing",
      timeScale: timeScale(Math.abs(a - b), D), h0: 0.015,
    });
    const tr = tail(1), tl = tail(-1);
    const right = tabulatedLaw(law.times, law.right, tr ?? 0), left = tabulatedLaw(law.times, law.left, tl ?? 0);
    const useLeft = s.overlap === "abs" && tl !== null;
    const cdf = (t: number) => (tr === null ? 0 : right.cdf(t)) + (useLeft ? left.cdf(t) : 0);
    const escapeProbability = (tr === null ? 0 : right.total) + (useLeft ? left.total : 0);
    const median = escapeProbability > 0.5 ? bisectMedian(cdf, 1 / Math.abs(a)) : null;
    const C = median;
    return {
      ...base, C, C2: null, formula: C === null ? "median T: not reached (P(escape) <= 1/2)" : `median T ~ ${C.toPrecision(4)} d^${k - 1}`,
      law: { d: null, k, unit: 1, cdf, median, escapeProbability, method: `explosion time of the limit SDE (Fokker–Planck on [-${X.toPrecision(3)}, ${X.toPrecision(3)}], ${law.cells} cells, plus the ODE tail)` },
    };
  }
  const v0 = (m: number) => gamma0 * (1 - m * m) * o.dC(m) - (gamma0 * gamma0 * m / 2) * o.moment(0, m);
  const sides = s.overlap === "abs" ? [1, -1] : [1];
  if (k === 2) {
    const lambda = gamma0 * o.A - (gamma0 * gamma0 * o.B) / 2;
    if (!(lambda > 0)) {
      const law: EscapeLaw = { d: null, k, unit: 1, cdf: () => 0, median: null, escapeProbability: 0, method: "lambda <= 0: m = 0 is stable" };
      return { ...base, C: null, C2: null, formula: `no escape: lambda = gamma0 A - gamma0^2 B/2 = ${lambda.toPrecision(3)} <= 0`, law };
    }
    const varL = 1 + (gamma0 * gamma0 * o.Bxi) / (2 * lambda);
    const terms = sides.map((side) => {
      const vs = (x: number) => side * v0(side * x);
      if (!positiveOn(vs, thr)) return null;
      return Math.log(thr) / lambda + integrate((x) => 1 / vs(x) - 1 / (lambda * x), 0, thr);
    });
    // law of T/d - ln(d)/(2 lambda) = (ln thr - ln|L|)/lambda + I(thr), L ~ N(0, varL), per side
    const cdf = (t: number) => terms.reduce<number>((acc, J) => J === null ? acc : acc + normalTail(Math.exp(-lambda * (t - J)) / Math.sqrt(varL)), 0);
    const escapeProbability = terms.reduce<number>((acc, J) => acc + (J === null ? 0 : 0.5), 0);
    const C2 = escapeProbability > 0.5 ? bisectMedianSigned(cdf) : null;
    const C = 1 / (2 * lambda);
    return {
      ...base, C, C2, formula: `median T ~ ${C.toPrecision(4)} d ln d${C2 === null ? "" : ` ${C2 >= 0 ? "+" : "-"} ${Math.abs(C2).toPrecision(4)} d`}`,
      law: { d: null, k, unit: 1, cdf, median: C2, escapeProbability, method: "law of T/d - ln(d)/(2 lambda): (ln thr - ln|L|)/lambda + I(thr)" },
    };
  }
  const side = Math.sign(o.A);
  const vs = (x: number) => side * v0(side * x);
  const ok = (s.overlap === "abs" || side > 0) && positiveOn(vs, thr);
  const C = ok ? integrate((x) => 1 / vs(x), 0, thr) : null;
  return {
    ...base, C, C2: null, formula: C === null ? "no escape: the drift ODE stops before the threshold" : `median T ~ ${C.toPrecision(4)} d`,
    law: { d: null, k, unit: 1, cdf: (t) => (C !== null && t >= C ? 1 : 0), median: C, escapeProbability: C === null ? 0 : 1, method: "drift ODE (deterministic limit)" },
  };
}

function bisectMedianSigned(cdf: (t: number) => number): number | null {
  let lo = -1, hi = 1;
  for (let i = 0; i < 200 && cdf(lo) > 0.5; i++) lo *= 2;
  for (let i = 0; i < 200 && cdf(hi) < 0.5; i++) hi *= 2;
  if (cdf(hi) < 0.5) return null;
  for (let i = 0; i < 200; i++) { const mid = (lo + hi) / 2; if (cdf(mid) < 0.5) lo = mid; else hi = mid; }
  return (lo + hi) / 2;
}
