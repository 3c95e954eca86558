/**
 * The learning problem shared by every engine: target link, student activation, loss, label noise, learning rates,
 * algorithm variant and stopping rule, as plain numbers and compiled closures (no d-dependence except through the
 * learning-rate formulas, which are evaluated per dimension).
 *
 * Student: yhat = sum_i a_i sigma(<w_i, x>), neurons w_i on the unit sphere. One fresh sample x ~ N(0, I_d) per step,
 * y = g*(<w*_1, x>, ..., <w*_k, x>) + tau * eps. Losses (Ben Arous–Gheissari–Jagannath 2021; seed 000):
 *   correlation  L = -y yhat          ->  residual r = y
 *   square       L = (y - yhat)^2 / 2 ->  residual r = y - yhat
 * Spherical projected gradient step on w_i followed by renormalisation: w_i <- normalise(w_i + s_i P_{w_i}^perp x),
 * s_i = gamma * r * a_i * sigma'(<w_i, x>).
 */
import { parseLink, type Link } from "../link/link.js";
import { parseExpression } from "../link/parse.js";
import { compilePositional, compileUnivariate } from "../link/compile.js";
import { derivative } from "../link/analysis.js";
import { InputError } from "../link/errors.js";
import type { Expr } from "../link/expr.js";
import { parseNoise as parseNoiseModel } from "../exponents/noise.js";

/** correlation: L = -y yhat (residual y); square: L = (y - yhat)^2 / 2 (residual y - yhat). */
export type Loss = "correlation" | "square";

/**
 * Algorithm variants (seed 000, Tsiolis–Mousavi-Hosseini–Erdogdu 2025):
 * - online: one gradient step per fresh sample;
 * - reuse: `innerSteps` plain (unprojected) gradient steps w' = w + eta * psi x on the same sample, then the
 *   spherical step from w with psi evaluated at the inner preactivations <w', x> = <w, x> + eta psi |x|^2;
 * - alternating (layer-wise): a~ = a + etaA * r * sigma(<w, x>) on the sample, then the w-step with a~ in place of a;
 *   a keeps a~ when the second layer is trained, and a~ is discarded (reset) when it is fixed.
 */
export type Variant =
  | { readonly kind: "online" }
  | { readonly kind: "reuse"; readonly etaInner: number; readonly innerSteps: number }
  | { readonly kind: "alternating"; readonly etaA: number };

/** A student activation: its source, compiled sigma and sigma', and the checked expressions they were compiled from. */
export interface Activation {
  readonly source: string;
  readonly sigma: (z: number) => number;
  readonly sigmaPrime: (z: number) => number;
  /** The expressions of sigma and sigma' (absent for hand-made activations: the engines then call the closures). */
  readonly expr?: Expr;
  readonly primeExpr?: Expr;
}

/** When a run stops and what it records: the part of a configuration that never changes a trajectory. */
export interface StoppingRule {
  /** Escape when overlap >= threshold; overlap is m (signed) or |m|. */
  readonly threshold: number;
  readonly overlap: "signed" | "abs";
  /** For p > 1 or k > 1: escape when any (neuron, direction) overlap passes, or when every direction is covered. */
  readonly escape: "any" | "all";
  readonly maxSteps: number;
  /** Keep stepping after the escape (the escape step is still recorded). */
  readonly runToMax: boolean;
  /** Number of trace points (0: none). */
  readonly tracePoints: number;
}

/** The keys of `StoppingRule`: left out of the stream key so a larger budget follows the same trajectory. */
export const STOPPING_RULE_KEYS = ["threshold", "overlap", "escape", "maxSteps", "runToMax", "tracePoints"] as const satisfies readonly (keyof StoppingRule)[];

/** A configuration at one dimension, as numbers and compiled closures: what the engines run. */
export interface Problem extends StoppingRule {
  readonly d: number;
  /** Number of student neurons p. */
  readonly width: number;
  /** Number of target directions k (1 for single-index links). */
  readonly targets: number;
  readonly target: Link;
  readonly student: Activation;
  readonly loss: Loss;
  /** gamma: the learning rate of the first layer at this d. */
  readonly eta: number;
  /** Second layer: initial value a0 of every a_i, and its learning rate (0: fixed). */
  readonly a0: number;
  readonly etaSecondLayer: number;
  readonly variant: Variant;
  /** Standard deviation of additive Gaussian label noise. */
  readonly noiseSigma: number;
  /** Probability of flipping the label's sign (noise "flip:P"). */
  readonly flipProbability: number;
  /** null: uniform on the sphere (exact law); a number: start every neuron at this overlap with w*_1 (p = k = 1). */
  readonly m0: number | null;
}

/** Student activation from an expression in z; its a.e. derivative is symbolic (src/link/analysis.ts). */
export function activation(source: string): Activation {
  const link = parseLink(source);
  if (link.kind !== "single") throw new InputError(`the student activation must be a function of z only, got '${source}'`, { source });
  const primeExpr = derivative(link.expr, 0);
  return { source, sigma: link.f, sigmaPrime: compileUnivariate(primeExpr), expr: link.expr, primeExpr };
}

/** A learning rate given as a formula in d (e.g. "0.5*d^-1.5"), evaluated at one d; must be finite and > 0. */
export function learningRate(formula: string, d: number, what = "--eta"): number {
  let f: (...a: number[]) => number;
  try {
    f = compilePositional(parseExpression(formula, { symbols: ["d"], indexVariables: false }).expr, 1);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${what}: ${e.message}`, { column: e.column, source: formula });
    throw e;
  }
  const v = f(d);
  if (!Number.isFinite(v) || v <= 0) throw new InputError(`${what} '${formula}' must be a positive finite number, but at d = ${d} it is ${v}`);
  return v;
}

/**
 * Label noise, parsed by src/exponents/noise.ts ("none", "gaussian:SIGMA" additive, "flip:P" sign flips), as the
 * two numbers the engines use: the Gaussian standard deviation and the flip probability.
 */
export function noiseParameters(spec: string | undefined): { sigma: number; flip: number } {
  const n = parseNoiseModel(spec);
  return { sigma: n.kind === "gaussian" ? n.sigma : 0, flip: n.kind === "flip" ? n.p : 0 };
}

/** Validate the pieces that every engine relies on; all errors are one-line InputErrors. */
export function checkProblem(p: Problem, engine: "reduced" | "gram" | "full" | "leap"): void {
  const { d } = p;
  if (!Number.isInteger(d) || d < 3) throw new InputError(`d must be an integer >= 3, got ${d}`);
  if (d > 2 ** 30) throw new InputError(`d must be at most 2^30, got ${d}`);
  // the d-dimensional engine holds p + k + 2 vectors of d doubles (about 0.5 GB at d = 2^24, p = k = 1)
  if (engine === "full" && d > 2 ** 24) throw new InputError(`the full (d-dimensional) engine takes d at most 2^24, got ${d}; the reduced and Gram engines are exact at any d up to 2^30`);
  if (!Number.isInteger(p.width) || p.width < 1 || p.width > 32) throw new InputError(`the width p must be an integer in [1, 32], got ${p.width}`);
  if (p.targets > 4) throw new InputError(`at most k = 4 target directions are supported, the link has ${p.targets}`);
  if ((engine === "gram" || p.width > 1 || p.targets > 1) && d <= p.width + p.targets) {
    throw new InputError(`d must exceed p + k = ${p.width + p.targets} for the Gram-state engine, got d = ${d}`);
  }
  if (!(p.eta > 0) || !Number.isFinite(p.eta)) throw new InputError(`the learning rate must be positive and finite, got ${p.eta}`);
  if (!(p.threshold > 0 && p.threshold < 1)) throw new InputError(`--threshold must lie in (0, 1), got ${p.threshold}`);
  if (!Number.isInteger(p.maxSteps) || p.maxSteps < 1 || p.maxSteps > 2 ** 50) throw new InputError(`--max-steps must be an integer in [1, 2^50], got ${p.maxSteps}`);
  if (p.m0 !== null && !(Math.abs(p.m0) <= 1)) throw new InputError(`--m0 must lie in [-1, 1], got ${p.m0}`);
  if (p.m0 !== null && (p.width > 1 || p.targets > 1)) throw new InputError("--m0 is only defined for one neuron and a single-index link (p = k = 1)");
  if (!Number.isFinite(p.a0)) throw new InputError(`--a0 must be finite, got ${p.a0}`);
  if (!(p.etaSecondLayer >= 0) || !Number.isFinite(p.etaSecondLayer)) throw new InputError(`the second-layer learning rate must be finite and >= 0, got ${p.etaSecondLayer}`);
  if (p.variant.kind === "reuse" && (!(p.variant.etaInner >= 0) || !Number.isFinite(p.variant.etaInner) || !(p.variant.innerSteps >= 1))) {
    throw new InputError("batch reuse needs a finite inner learning rate >= 0 and at least one inner step");
  }
  if (p.variant.kind === "alternating" && (!Number.isFinite(p.variant.etaA) || p.variant.etaA < 0)) throw new InputError("the alternating variant needs a finite second-layer step >= 0");
  if (!(p.noiseSigma >= 0) || !Number.isFinite(p.noiseSigma)) throw new InputError(`noise SIGMA must be finite and >= 0, got ${p.noiseSigma}`);
}

/** Outcome of one run. Steps count fresh samples (inner reuse steps are not counted). */
export interface RunOutcome {
  /** First step t >= 0 with overlap >= threshold (t = 0: already at initialisation), or null. */
  readonly escapeStep: number | null;
  /** Reached maxSteps without escaping (and did not diverge). */
  readonly censored: boolean;
  /** A NaN/Inf (or a second-layer blow-up) appeared: the run stopped and is never counted as an escape. */
  readonly diverged: boolean;
  readonly divergence?: string;
  /** Overlap (signed or |.|, as configured; max over neurons and directions) at the last step simulated. */
  readonly finalOverlap: number;
  /** Signed overlap of neuron 1 with direction 1 at the last step simulated. */
  readonly finalSignedOverlap: number;
  readonly steps: number;
  /** [step, overlap] pairs, sub-sampled. */
  readonly trace?: [number, number][];
}

/**
 * The stopping rule shared by every engine: records the overlap statistic after each step, the escape step (first
 * t with overlap >= threshold), the sub-sampled trace and a divergence, and assembles the `RunOutcome`.
 * `observe(t, ov)` returns true when the run should stop (escaped and not running to the budget).
 */
export class EscapeMonitor {
  escapeStep: number | null;
  diverged = false;
  private divergence: string | undefined;
  private readonly trace: [number, number][] | undefined;
  private nextTrace: number;
  /** The next step whose overlap must be passed to `observe` even below the threshold (Infinity: none). */
  get nextTraceStep(): number { return this.nextTrace; }
  constructor(private readonly p: Problem, initialOverlap: number) {
    this.escapeStep = initialOverlap >= p.threshold ? 0 : null;
    this.trace = p.tracePoints > 0 ? [[0, initialOverlap]] : undefined;
    this.nextTrace = nextTraceStep(p, 0);
  }
  /** Whether any step is to be taken at all. */
  get started(): boolean {
    return this.escapeStep === null || this.p.runToMax;
  }
  observe(t: number, overlap: number): boolean {
    if (t >= this.nextTrace) { this.trace!.push([t, overlap]); this.nextTrace = nextTraceStep(this.p, t); }
    if (this.escapeStep === null && overlap >= this.p.threshold) {
      this.escapeStep = t;
      return !this.p.runToMax;
    }
    return false;
  }
  diverge(reason: string): void {
    this.diverged = true;
    this.divergence = reason;
  }
  outcome(steps: number, finalOverlap: number, finalSignedOverlap: number): RunOutcome {
    const trace = this.trace;
    if (trace && trace[trace.length - 1]![0] !== steps) trace.push([steps, finalOverlap]);
    return {
      escapeStep: this.diverged ? null : this.escapeStep,
      censored: !this.diverged && this.escapeStep === null,
      diverged: this.diverged,
      ...(this.divergence ? { divergence: this.divergence } : {}),
      finalOverlap,
      finalSignedOverlap,
      steps,
      ...(trace ? { trace } : {}),
    };
  }
}

/**
 * Sub-sampling of a trace on a logarithmic grid (escape dynamics live on log time): after recording step t, the next
 * recorded step is max(t + 1, ceil(t * r)) with r = maxSteps^(1 / tracePoints), so at most ~tracePoints points are
 * kept whenever the run stops. Returns Infinity when no trace is wanted.
 */
export function nextTraceStep(p: Problem, t: number): number {
  if (p.tracePoints <= 0) return Infinity;
  const r = Math.pow(Math.max(2, p.maxSteps), 1 / p.tracePoints);
  return Math.max(t + 1, Math.ceil(t * r));
}
