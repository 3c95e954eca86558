/**
 * Globally adaptive quadrature of a vector-valued integrand on [a, b], with an error estimate per component.
 *
 * Each panel is integrated with Gauss–Legendre rules of 20 and 30 points; the difference estimates the error of the
 * 20-point value, so it bounds the (far smaller) error of the 30-point value that is returned. The panel with the
 * largest estimated error is bisected until the total estimate meets the tolerance.
 */
import { gaussLegendre } from "./gaussLegendre.js";

/** Fills `out[0..m-1]` with the integrand components at x. */
export type VectorIntegrand = (x: number, out: Float64Array) => void;

/** Integrals of the m components with error estimates, and whether the tolerance was met within `maxPanels`. */
export interface VectorIntegral {
  readonly values: Float64Array;
  /** Estimated absolute error per component (quadrature estimate plus a rounding floor). */
  readonly errors: Float64Array;
  readonly evaluations: number;
  readonly panels: number;
  readonly converged: boolean;
  /** True when refinement was stopped by `expired` (the errors then carry the panels' mass allowance). */
  readonly cut?: boolean;
}

interface Panel { a: number; b: number; value: Float64Array; error: Float64Array; worst: number; mass: Float64Array }

const LOW = 20, HIGH = 30;

function integratePanel(f: VectorIntegrand, m: number, a: number, b: number, buf: Float64Array, weight: (k: number) => number): Panel {
  const lo = gaussLegendre(LOW), hi = gaussLegendre(HIGH);
  const c = (a + b) / 2, h = (b - a) / 2;
  const vLo = new Float64Array(m), vHi = new Float64Array(m), mass = new Float64Array(m);
  for (let i = 0; i < LOW; i++) {
    f(c + h * lo.nodes[i]!, buf);
    const w = h * lo.weights[i]!;
    for (let k = 0; k < m; k++) vLo[k]! += w * buf[k]!;
  }
  for (let i = 0; i < HIGH; i++) {
    f(c + h * hi.nodes[i]!, buf);
    const w = h * hi.weights[i]!;
    for (let k = 0; k < m; k++) { vHi[k]! += w * buf[k]!; mass[k]! += Math.abs(w * buf[k]!); }
  }
  const error = new Float64Array(m);
  let worst = 0;
  for (let k = 0; k < m; k++) {
    error[k] = Math.abs(vHi[k]! - vLo[k]!) + 4 * Number.EPSILON * mass[k]!;
    worst = Math.max(worst, error[k]! / weight(k));
  }
  return { a, b, value: vHi, error, worst, mass };
}

/** Tolerance and panel budget of {@link integrateAdaptive}. */
export interface AdaptiveOptions {
  /** Absolute tolerance on each component (after dividing by `scale(k)`). */
  readonly tolerance: number;
  /** Per-component scale: component k's error is compared with tolerance * scale(k). */
  readonly scale?: (k: number) => number;
  readonly maxPanels?: number;
  /** Initial number of equal panels. */
  readonly initialPanels?: number;
  /**
   * Past this (checked once per refinement pass) refinement stops: every panel whose error still exceeds its share
   * gets the allowance 2 x its absolute mass (sum |w g| of the 30-point rule, an estimate of int |g| on the panel, so
   * of how far the panel's value can be off), and `cut` is true.
   */
  readonly expired?: () => boolean;
}

/**
 * int_a^b f(x) dx for a vector integrand of m components, by globally adaptive Gauss–Legendre 20/30-point panels:
 * the panel with the largest scaled error estimate |Q30 - Q20| is bisected until the total meets the tolerance or
 * `maxPanels` (default 4000) is reached (then `converged` is false and the errors say how far off it is).
 */
export function integrateAdaptive(f: VectorIntegrand, m: number, a: number, b: number, options: AdaptiveOptions): VectorIntegral {
  const scale = options.scale ?? (() => 1);
  const maxPanels = options.maxPanels ?? 4000;
  const n0 = Math.max(1, options.initialPanels ?? 1);
  const buf = new Float64Array(m);
  let panels: Panel[] = [];
  for (let i = 0; i < n0; i++) panels.push(integratePanel(f, m, a + ((b - a) * i) / n0, a + ((b - a) * (i + 1)) / n0, buf, scale));
  let evaluations = n0 * (LOW + HIGH);
  const total = () => {
    const t = new Float64Array(m);
    for (const p of panels) for (let k = 0; k < m; k++) t[k]! += p.error[k]!;
    return t;
  };
  let converged = false, cut = false;
  for (;;) {
    const err = total();
    let ok = true;
    for (let k = 0; k < m; k++) if (err[k]! > options.tolerance * scale(k)) { ok = false; break; }
    if (ok) { converged = true; break; }
    if (panels.length >= maxPanels) break;
    if (options.expired?.()) {
      cut = true;
      const share = options.tolerance / panels.length;
      for (const p of panels) if (p.worst > share) for (let k = 0; k < m; k++) p.error[k] = Math.max(p.error[k]!, 2 * p.mass[k]!);
      break;
    }
    // bisect every panel whose error exceeds its share of the budget (fewer passes than one-at-a-time)
    const share = options.tolerance / panels.length;
    const next: Panel[] = [];
    let split = 0;
    const worstAll = Math.max(...panels.map((p) => p.worst));
    for (const p of panels) {
      if ((p.worst > share || p.worst >= worstAll) && p.b - p.a > 1e-13 * Math.max(1, Math.abs(p.a))) {
        const mid = (p.a + p.b) / 2;
        next.push(integratePanel(f, m, p.a, mid, buf, scale), integratePanel(f, m, mid, p.b, buf, scale));
        evaluations += 2 * (LOW + HIGH);
        split++;
      } else next.push(p);
    }
    panels = next;
    if (split === 0) break;
  }
  const values = new Float64Array(m), errors = total();
  // sum in order of increasing magnitude to limit rounding
  for (const p of panels) for (let k = 0; k < m; k++) values[k]! += p.value[k]!;
  evaluations += addEndpointSingularity(f, m, panels, a, b, buf, scale, errors);
  return { values, errors, evaluations, panels: panels.length, converged, cut };
}

/**
 * Bisection went down to width w <= 1e-9 at an end of [a, b] (an integrable endpoint singularity |x - a|^-s, s < 1,
 * or log|x - a|): |Q30 - Q20| on the last panel [a, a + w] does not see the mass hidden next to a. Its masses on [a + w/2, a + w] and [a + w/4, a + w/2]
 * give the ratio r = 2^(s - 1) of a power law, and the geometric sum M1 + M2 / (1 - r) estimates int_a^(a+w) |g|,
 * added to the error (an estimate, not a bound: it assumes the power law; r is capped at 0.999).
 */
function addEndpointSingularity(f: VectorIntegrand, m: number, panels: Panel[], a: number, b: number, buf: Float64Array, scale: (k: number) => number, errors: Float64Array): number {
  let evaluations = 0;
  for (const end of [a, b]) {
    const p = end === a ? panels.reduce((x, y) => (y.a < x.a ? y : x)) : panels.reduce((x, y) => (y.b > x.b ? y : x));
    const w = p.b - p.a;
    if (!(w <= 1e-9 * Math.max(1, Math.abs(end)))) continue;
    const dir = end === a ? 1 : -1;
    const at = (t: number) => end + dir * t * w;
    const seg = (t0: number, t1: number) => integratePanel(f, m, Math.min(at(t0), at(t1)), Math.max(at(t0), at(t1)), buf, scale).mass;
    const M1 = seg(0.5, 1), M2 = seg(0.25, 0.5);
    evaluations += 2 * (LOW + HIGH);
    for (let k = 0; k < m; k++) {
      const r = M1[k]! > 0 ? Math.min(0.999, M2[k]! / M1[k]!) : 0;
      errors[k]! += M1[k]! + M2[k]! / (1 - r);
    }
  }
  return evaluations;
}
