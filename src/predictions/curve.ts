/**
 * Seed-000 learning-rate curves: log_d(samples) as a function of x = log_d(eta), a piecewise-linear formula of the
 * catalog (theory/tsiolis-...yaml). The curve is sampled on a dyadic grid and its kinks located exactly as the
 * intersection of the two adjacent linear pieces (exact when each piece spans >= 2 grid cells).
 */
import type { CompiledFormula, Bindings } from "../theory/formula.js";

/** A kink of a learning-rate curve: where the slope d log(samples)/d log(eta) changes. */
export interface CurveKink {
  /** log_d(eta) at the kink: eta_kink ~ d^x. */
  readonly x: number;
  /** log_d(samples) at the kink. */
  readonly exponent: number;
  /** Slope d log(samples)/d log(eta) left of the kink. */
  readonly slopeLeft: number;
  /** Slope right of the kink. */
  readonly slopeRight: number;
}

/** A linear piece of a learning-rate curve between two kinks (or an end). */
export interface CurveSegment {
  readonly from: number; readonly to: number;
  /** d log(samples) / d log(eta) on the segment. */
  readonly slope: number;
  readonly exponentFrom: number; readonly exponentTo: number;
  readonly name: string;
}

/** A sampled learning-rate curve with its kinks, linear segments and end values. */
export interface LearningRateCurve {
  /** The sampled range [from, to] of x = log_d(eta). */
  readonly from: number; readonly to: number;
  /** (x, log_d(samples)) on the dyadic grid of step 1/64. */
  readonly points: { x: number; exponent: number }[];
  /** The kinks, located exactly as intersections of adjacent linear pieces. */
  readonly kinks: CurveKink[];
  /** The linear pieces between kinks. */
  readonly segments: CurveSegment[];
  /** log_d(samples) at x = from. */
  readonly smallEnd: number;
  /** log_d(samples) at x = to. */
  readonly largeEnd: number;
}

const STEP = 1 / 64;
const round = (v: number) => Math.round(v * 1e9) / 1e9;

/**
 * Sample the curve x -> f(x) = log_d(samples) on a dyadic grid of step 1/64 over [from, to] and locate its kinks as the
 * intersections of adjacent linear pieces (exact when each piece spans >= 2 grid cells; seed-000, Tsiolis,
 * Mousavi-Hosseini, Erdogdu 2025, arXiv 2510.21020).
 * @param f the claim's curve formula in x and the profile symbols; bindings their values.
 * @param names names of the small-eta and large-eta ends, for the segments.
 */
export function sampleCurve(f: CompiledFormula, bindings: Bindings, from: number, to: number,
  names: { small: string; large: string } = { small: "small eta", large: "large eta" }): LearningRateCurve {
  const n = Math.round((to - from) / STEP);
  const points = Array.from({ length: n + 1 }, (_, i) => {
    const x = from + i * STEP;
    return { x, exponent: f.evaluate({ ...bindings, x }) };
  });
  if (points.some((p) => !Number.isFinite(p.exponent))) {
    return { from, to, points, kinks: [], segments: [], smallEnd: points[0]!.exponent, largeEnd: points[n]!.exponent };
  }
  const slopes = points.slice(1).map((p, i) => (p.exponent - points[i]!.exponent) / STEP);
  const kinks: CurveKink[] = [];
  let i = 1;
  while (i < slopes.length) {
    if (Math.abs(slopes[i]! - slopes[i - 1]!) < 1e-9) { i++; continue; }
    // the kink lies in cell i-1 or i; the next cell with a new constant slope is j (pieces are straight)
    let j = i;
    while (j + 1 < slopes.length && Math.abs(slopes[j + 1]! - slopes[j]!) > 1e-9) j++;
    const sL = slopes[i - 1]!, sR = slopes[j]!;
    const a = points[i - 1]!, b = points[j + 1]!;
    // intersection of y = a.exponent + sL (x - a.x) and y = b.exponent + sR (x - b.x)
    const x = (b.exponent - a.exponent + sL * a.x - sR * b.x) / (sL - sR);
    kinks.push({ x: round(x), exponent: round(a.exponent + sL * (x - a.x)), slopeLeft: round(sL), slopeRight: round(sR) });
    i = j + 1;
  }
  const cuts = [from, ...kinks.map((k) => k.x), to];
  const value = (x: number) => f.evaluate({ ...bindings, x });
  const segments = cuts.slice(1).map((end, s) => {
    const start = cuts[s]!;
    const slope = s < kinks.length ? kinks[s]!.slopeLeft : kinks.length ? kinks[kinks.length - 1]!.slopeRight : slopes[0]!;
    const name = kinks.length === 0 ? `${names.small}; no transition` : s === 0 ? names.small : s === cuts.length - 2 ? names.large : `transition (slope ${slope})`;
    return { from: start, to: end, slope, exponentFrom: round(value(start)), exponentTo: round(value(end)), name };
  });
  return { from, to, points, kinks, segments, smallEnd: points[0]!.exponent, largeEnd: points[n]!.exponent };
}
