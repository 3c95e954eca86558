/**
 * Verification of the online-SGD sample complexity of a single-index link (theory-notes §5): a sweep of the exact
 * reduced chain over a grid of d, with the learning rate scaled as the theory says, escape-time medians with
 * censoring, a scaling fit with bootstrap CI, and a verdict against the predicted exponent.
 */
import { parseLink } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { hermiteSpectrum } from "../hermite/spectrum.js";
import { parityOf } from "../link/parity.js";
import { informationExponent } from "../exponents/information.js";
import { configKey, defaultOverlap, type Engine, type RunConfig } from "../simulations/config.js";
import { learningRate } from "../simulations/model.js";
import { defaultRate, onlineSgdPrediction, RHO_MEDIAN, type DefaultRate, type ScalingPrediction } from "./prediction.js";
import { buildProblem } from "../simulations/config.js";
import { OverlapMoments } from "../simulations/overlapMoments.js";
import { summariseEscapes, type MedianSummary, type Observation } from "./survival.js";
import { judgeScaling, type VerdictReport } from "./verdict.js";
import type { RunRecord } from "../sweeps/store.js";
import { escapeConstantReport, type ConstantReport } from "./escapeConstant.js";

/**
 * What to verify: the target link, student activation, loss, the grid of d, and optionally the learning rate, escape
 * threshold, noise, step budget and simulation engine.
 */
export interface OnlineSgdPlanOptions {
  readonly link: string;
  readonly student?: string;
  readonly loss?: "correlation" | "square";
  readonly dims: readonly number[];
  /** Learning-rate formula in d; default from the theory's scaling and the stability margin (see `defaultRate`). */
  readonly eta?: string;
  readonly threshold?: number;
  readonly overlap?: "signed" | "abs";
  readonly noise?: string;
  /** Step budget per run as a formula in d; default: `budgetFactor` times the drift-ODE estimate of the escape time. */
  readonly maxSteps?: string;
  readonly budgetFactor?: number;
  readonly engine?: Engine;
}

/**
 * The run configurations (one per d) of an online-SGD verification, the prediction they test, and the constants
 * behind the default learning rate and step budget.
 */
export interface OnlineSgdPlan {
  /** The predicted scaling the runs test (claim bgj-online-sgd). */
  readonly prediction: ScalingPrediction;
  /** One run configuration per d. */
  readonly configs: RunConfig[];
  /** The learning-rate formula in d used. */
  readonly eta: string;
  /** gamma0 of the default rate (null when --eta was given) and how the rate was chosen. */
  readonly gamma0: number | null;
  readonly etaRule: string;
  /** How the per-d step budget was set. */
  readonly maxStepsRule: string;
  /**
   * Expected steps of a run per d (the cost model of the budget check): twice the drift-ODE escape time, capped by
   * the step budget (a run stops at its escape or at the budget).
   */
  readonly expectedSteps: number[];
  /** A = k c_k[f] c_k[sigma], B = E[f^2] E[sigma'^2]: drift and noise constants at m = 0 (theory-notes §4.2). */
  readonly driftConstant: number;
  readonly noiseConstant: number;
}

/** The dimension at which the default rate's stability margin is evaluated (the ratio is d-independent at large d). */
export const RATE_REFERENCE_D = 2 ** 20;

/**
 * The default rate of `defaultRate` for a configuration: the shrinkage/signal ratio of the full second-order term
 * (OverlapMoments) at gamma0 = 1 and d = RATE_REFERENCE_D, at the median initial overlap (k >= 3) or at its largest
 * on (0, threshold] (k <= 2), on the side of m = 0 towards which the signal drives the overlap.
 */
export function marginRate(k: number, reference: RunConfig, threshold: number): DefaultRate {
  const d = reference.d;
  const gamma = d ** -Math.max(k / 2, 1);
  const mom = new OverlapMoments(buildProblem({ ...reference, engine: "reduced", eta: String(gamma), m0: 0 }));
  const ratio = (m: number) => {
    const up = mom.at(m), down = mom.at(-m);
    const s = up.signal > 0 ? up : down; // the side on which the signal increases |m|
    return s.signal === 0 ? Infinity : Math.abs(s.shrinkage / s.signal);
  };
  if (k >= 3) return defaultRate(k, ratio(RHO_MEDIAN / Math.sqrt(d)), `at the median initial overlap ${RHO_MEDIAN.toFixed(3)}/sqrt(d)`);
  let worst = 0;
  for (let i = 1; i <= 50; i++) worst = Math.max(worst, ratio((i / 50) * threshold));
  return defaultRate(k, worst, `on the whole path 0 < |m| <= ${threshold}`);
}

/** Drift-ODE estimate of the escape time from m0 = d^{-1/2} to the threshold (theory-notes §4.2). */
export function escapeTimeEstimate(k: number, gamma: number, A: number, d: number, threshold: number): number {
  const m0 = 1 / Math.sqrt(d), a = Math.abs(A);
  if (k <= 1) return (threshold - m0) / (gamma * a);
  if (k === 2) return Math.log(threshold / m0) / (gamma * a);
  return (m0 ** (2 - k) - threshold ** (2 - k)) / ((k - 2) * gamma * a);
}

/**
 * Plan an online-SGD verification of the predicted sample complexity n ~ d^{IE-1} (claim `bgj-online-sgd`; Ben Arous,
 * Gheissari, Jagannath 2021, arXiv 2003.10409): the information exponent k of the target, the learning rate
 * eta = gamma0 d^{-max(k/2, 1)} unless given, and per d a step budget of `budgetFactor`
 * (default 20) times the drift-ODE escape time (theory notes §4.2, §5).
 * @throws InputError for a multi-index target, a student with c_k = 0 (its drift vanishes at order k), an IE not
 *   found, or a malformed formula.
 */
export function planOnlineSgd(o: OnlineSgdPlanOptions): OnlineSgdPlan {
  const target = parseLink(o.link);
  if (target.kind !== "single") throw new InputError("verify --algorithm online-sgd handles single-index links (z); for multi-index links use 'simulate online-sgd --engine gram'");
  const student = o.student ?? o.link;
  const spec = hermiteSpectrum(target, 12);
  const ie = informationExponent(target, spec, parityOf(target));
  const prediction = onlineSgdPrediction(ie);
  const k = prediction.informationExponent;
  const sSpec = student === o.link ? spec : hermiteSpectrum(parseLink(student), 12);
  const A = k * spec.coefficients[k]! * sSpec.coefficients[k]!;
  let dsig2 = 0;
  for (let j = 1; j <= sSpec.maxDegree; j++) dsig2 += j * sSpec.coefficients[j]! ** 2; // E[sigma'^2] = sum j c_j^2
  const B = spec.secondMoment * dsig2;
  if (!(Math.abs(A) > 1e-12)) throw new InputError(`the student '${student}' has c_${k} = 0: its drift on this link vanishes at order ${k} (theory-notes §6.1), so online SGD with it does not test the IE prediction; choose a student with c_${k} != 0`);
  const threshold = o.threshold ?? 0.5;
  const base = (d: number, eta: string): RunConfig => ({
    engine: o.engine ?? "reduced", link: o.link, student, loss: o.loss ?? "correlation", d, eta, width: 1, a0: 1,
    etaSecondLayer: "0", variant: "online", etaInner: "0", innerSteps: 1, noise: o.noise ?? "none", threshold,
    overlap: o.overlap ?? defaultOverlap(o.link, student), escape: "any", maxSteps: 1, m0: null, runToMax: false, tracePoints: 0,
  });
  const rate = o.eta === undefined ? marginRate(k, base(RATE_REFERENCE_D, "1"), threshold) : null;
  const eta = o.eta ?? rate!.formula;
  const factor = o.budgetFactor ?? 20;
  const maxStepsRule = o.maxSteps ?? `${factor} x drift-ODE escape-time estimate`;
  const expectedSteps: number[] = [];
  const configs = o.dims.map((d): RunConfig => {
    const gamma = learningRate(eta, d);
    const escape = escapeTimeEstimate(k, gamma, A, d, threshold);
    const maxSteps = o.maxSteps !== undefined
      ? Math.ceil(learningRate(o.maxSteps, d, "--max-steps"))
      : Math.min(2 ** 50, Math.max(1000, Math.ceil(factor * escape)));
    expectedSteps.push(Number.isFinite(escape) && escape > 0 ? Math.min(maxSteps, 2 * escape) : maxSteps);
    return { ...base(d, eta), maxSteps };
  });
  return { prediction, configs, eta, expectedSteps, gamma0: rate ? rate.gamma0 : null, etaRule: rate ? rate.rule : "given by --eta", maxStepsRule, driftConstant: A, noiseConstant: B };
}

/** Escape-time summary at one dimension d: Kaplan–Meier median with bootstrap CI and censoring counts. */
export interface DimensionSummary extends MedianSummary { readonly d: number; readonly eta: number; readonly maxSteps: number }

/** Per-d escape-time summaries and the verdict of the scaling fit against the prediction. */
export interface OnlineSgdReport {
  /** Per d: learning rate, step budget, Kaplan–Meier median escape time with bootstrap CI, censoring counts. */
  readonly perDimension: DimensionSummary[];
  /** The scaling fit and its verdict against the prediction. */
  readonly verdict: VerdictReport;
  /**
   * The predicted constant and law of the escape time (theory/escape-time-law.yaml): per d the measured/predicted
   * median ratio with CI and the KS distance to the predicted and limiting laws, with a verdict at the largest d;
   * null (with `constantNote`) when the law is not available for the configuration.
   */
  readonly constant: ConstantReport | null;
  readonly constantNote: string;
}

/** Observations of one configuration: escapes are events; censored and diverged runs are censored at their last step. */
export function observations(records: readonly RunRecord[]): { obs: Observation[]; diverged: number } {
  const obs = records.map((r) => (r.escapeStep !== null && !r.diverged ? { time: r.escapeStep, event: true } : { time: r.steps, event: false }));
  return { obs, diverged: records.filter((r) => r.diverged).length };
}

/**
 * Summarise the runs of an online-SGD verification: per d the Kaplan–Meier median escape time with a bootstrap 95%
 * CI (censored and diverged runs counted), then the log-log slope fit with bootstrap CI and the verdict
 * (consistent / inconsistent / inconclusive with the reason) against the predicted exponent (theory notes §5).
 * @param replicates bootstrap replicates of the slope fit (default 1000).
 */
export function onlineSgdReport(configs: readonly RunConfig[], records: readonly RunRecord[], prediction: ScalingPrediction, replicates = 1000): OnlineSgdReport {
  const groups = configs.map((c) => {
    const id = configKey(c);
    const mine = records.filter((r) => r.configId === id);
    const { obs, diverged } = observations(mine);
    return { config: c, obs, diverged };
  }).sort((a, b) => a.config.d - b.config.d);
  const perDimension = groups.map((g) => ({
    d: g.config.d, eta: learningRate(g.config.eta, g.config.d), maxSteps: g.config.maxSteps,
    ...summariseEscapes(g.obs, g.diverged, `d=${g.config.d}`),
  }));
  let constant: ConstantReport | null = null, constantNote = "";
  const c0 = groups[0]?.config;
  if (!c0) constantNote = "no configurations";
  else if (c0.variant !== "online" || c0.width !== 1 || c0.etaSecondLayer.trim() !== "0" || c0.m0 !== null) {
    constantNote = "the escape-time law is derived for one neuron, online steps, a fixed second layer and the uniform start";
  } else {
    try {
      constant = escapeConstantReport(
        { link: c0.link, student: c0.student, loss: c0.loss, noise: c0.noise, a0: c0.a0, threshold: c0.threshold, overlap: c0.overlap },
        groups.map((g, i) => ({ d: g.config.d, gamma: perDimension[i]!.eta, maxSteps: g.config.maxSteps, summary: perDimension[i]!, obs: g.obs })),
      );
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      constantNote = `no escape-time law: ${e.message}`;
    }
  }
  // the slope verdict also knows the finite-d law's slope over the fitted d (small d is pre-asymptotic)
  const law = constant ? {
    predictedMedian: new Map(constant.perDimension.filter((x) => x.predictedMedian !== null).map((x) => [x.d, x.predictedMedian!] as [number, number])),
    source: "finite-d escape-time law, theory/escape-time-law.yaml",
  } : null;
  const verdict = judgeScaling(groups.map((g) => ({ d: g.config.d, obs: g.obs })), prediction, "online-sgd", replicates, law);
  return { perDimension, verdict, constant, constantNote };
}
