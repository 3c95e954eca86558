/**
 * A run configuration as plain JSON (what workers receive and what results files record), its canonical key, and
 * its translation into a `Problem` at one dimension. Learning rates are formulas in d, evaluated per configuration.
 */
import { parseLink } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { parityOf } from "../link/parity.js";
import { STOPPING_RULE_KEYS, activation, checkProblem, learningRate, noiseParameters, type Loss, type Problem, type RunOutcome, type StoppingRule, type Variant } from "./model.js";
import { Xoshiro128, configurationId } from "../numeric/xoshiro.js";
import { simulateReduced, simulateReducedRuns } from "./reduced.js";
import { simulateGram } from "./gram.js";
import { simulateFull } from "./full.js";
import { simulateLeap } from "./leap.js";

/**
 * Online-SGD engines, all with the law of the d-dimensional algorithm: `reduced` (the Markov chain in the overlap m,
 * p = k = 1, O(1) per step), `gram` (the Gram matrix of neurons and targets, O((p+k)^3) per step) and `full`
 * (d-dimensional vectors, for cross-checks); and `leap` (the reduced chain advanced K steps at a time from the exact
 * one-step moments where the overlap is small, exact steps near the threshold: an approximation whose escape-time law
 * is tested against `reduced`, for IE >= 4; src/simulations/leap.ts).
 */
export type Engine = "reduced" | "gram" | "full" | "leap";

/**
 * One online-SGD configuration as plain JSON: what workers receive and results files record. Learning rates are
 * formulas in d (e.g. "0.5*d^-1.5"), evaluated by `buildProblem`.
 */
export interface RunConfig extends StoppingRule {
  readonly engine: Engine;
  readonly link: string;
  /** Student activation in z (default: the link itself, single-index links only). */
  readonly student: string;
  readonly loss: Loss;
  readonly d: number;
  /** First-layer learning rate gamma as a formula in d. */
  readonly eta: string;
  readonly width: number;
  readonly a0: number;
  /** Second-layer learning rate formula in d, or "0" for a fixed second layer. */
  readonly etaSecondLayer: string;
  readonly variant: "online" | "reuse" | "alternating";
  /** Inner learning rate (reuse) or layer-wise second-layer step (alternating), formula in d; "0" otherwise. */
  readonly etaInner: string;
  readonly innerSteps: number;
  readonly noise: string;
  readonly m0: number | null;
}

/**
 * Canonical text of a configuration (sorted keys), the input of its stream key and its id. The number of trace
 * points is left out: asking for a trace must not change the random numbers.
 */
export function canonicalConfig(c: RunConfig): string {
  const keys = (Object.keys(c) as (keyof RunConfig)[]).filter((k) => k !== "tracePoints").sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, canonicalField(c, k)])));
}

/**
 * Expressions enter keys in their canonical text (`He(3,z)` and `He(3, z)` name one configuration and draw the same
 * numbers); an expression that does not parse keeps its text (it is refused later by `buildProblem`).
 */
function canonicalField(c: RunConfig, k: keyof RunConfig): unknown {
  if (k !== "link" && k !== "student") return c[k];
  const source = c[k];
  let text = canonicalTexts.get(source);
  if (text === undefined) {
    try { text = parseLink(source).text; } catch { text = source; }
    canonicalTexts.set(source, text);
  }
  return text;
}

/** Canonical text by source (a key is computed for every run: parsing the link each time would dominate short runs). */
const canonicalTexts = new Map<string, string>();

/**
 * The part of a configuration that determines the trajectory: the stream key leaves out the stopping rule
 * (threshold, overlap convention, escape rule, budget, run-to-max) and the trace, so that a larger --max-steps or
 * another threshold follows the very same trajectories further.
 */
export function trajectoryConfig(c: RunConfig): string {
  const stopping = new Set<keyof RunConfig>(STOPPING_RULE_KEYS);
  const keys = (Object.keys(c) as (keyof RunConfig)[]).filter((k) => !stopping.has(k)).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, canonicalField(c, k)])));
}

/** The configuration's id: a 64-bit hex digest of its canonical text (see `canonicalConfig`). */
export function configKey(c: RunConfig): string {
  return configurationId(canonicalConfig(c));
}

/** Default overlap convention: |m| when the sign of w* is not identifiable from the loss (see below). */
export function defaultOverlap(link: string, student: string): "signed" | "abs" {
  // The drift near m = 0 is A m^{k-1} with A = k c_k[f*] c_k[sigma] (theory-notes §4.2). Its sign is positive when
  // the student is the link itself (A = k c_k^2), except that an even link cannot tell w* from -w*.
  const l = parseLink(link);
  if (l.kind !== "single") return "abs";
  if (parityOf(l).parity === "even") return "abs";
  return student.replace(/\s+/g, "") === link.replace(/\s+/g, "") ? "signed" : "abs";
}

/**
 * The `Problem` of a configuration at its d: parsed target and student, learning rates evaluated at d, label noise.
 * @throws InputError for a constant link, d < 3, non-positive or non-finite learning rates, thresholds outside
 * (0, 1), p or k outside the engine's range (the reduced engine needs p = k = 1).
 */
export function buildProblem(c: RunConfig): Problem {
  const target = parseLink(c.link);
  if (target.constant) throw new InputError(`the link '${c.link}' is constant: there is nothing to learn`);
  const student = activation(c.student);
  const d = c.d;
  if (!Number.isInteger(d) || d < 3) throw new InputError(`d must be an integer >= 3, got ${d}`);
  const targets = target.kind === "single" ? 1 : target.dimension;
  const etaSecondLayer = c.etaSecondLayer.trim() === "0" ? 0 : learningRate(c.etaSecondLayer, d, "--eta-a");
  let variant: Variant;
  if (c.variant === "online") variant = { kind: "online" };
  else if (c.variant === "reuse") variant = { kind: "reuse", etaInner: learningRate(c.etaInner, d, "--eta-inner"), innerSteps: c.innerSteps };
  else variant = { kind: "alternating", etaA: learningRate(c.etaInner, d, "--eta-inner") };
  const noise = noiseParameters(c.noise);
  const p: Problem = {
    d, width: c.width, targets, target, student, loss: c.loss, eta: learningRate(c.eta, d, "--eta"),
    a0: c.a0, etaSecondLayer, variant, noiseSigma: noise.sigma, flipProbability: noise.flip, threshold: c.threshold, overlap: c.overlap,
    escape: c.escape, maxSteps: c.maxSteps, m0: c.m0, runToMax: c.runToMax, tracePoints: c.tracePoints,
  };
  checkProblem(p, c.engine);
  if ((c.engine === "reduced" || c.engine === "leap") && (p.width !== 1 || targets !== 1)) {
    throw new InputError(`the ${c.engine === "leap" ? "leaping" : "reduced"} single-neuron engine needs p = 1 and a single-index link; use --engine gram for p = ${p.width}, k = ${targets}`);
  }
  if (c.engine === "leap" && (p.variant.kind !== "online" || p.etaSecondLayer !== 0)) {
    throw new InputError("the leaping engine covers online SGD with a fixed second layer (no --variant reuse/alternating, no --eta-a); use --engine reduced");
  }
  return p;
}

/** Simulate replicate `replicate` of a configuration, drawing from the stream (masterSeed, trajectory config, replicate). */
export function runReplicate(c: RunConfig, masterSeed: number, replicate: number, problem: Problem = buildProblem(c)): RunOutcome {
  const g = Xoshiro128.forKey({ masterSeed, configuration: trajectoryConfig(c), replicate });
  switch (c.engine) {
    case "reduced": return simulateReduced(problem, g);
    case "leap": return simulateLeap(problem, g);
    case "gram": return simulateGram(problem, g);
    case "full": return simulateFull(problem, g);
  }
}

/**
 * Replicates of one configuration: bitwise `runReplicate` of each (same streams), the reduced engine's runs advanced in
 * lockstep (reducedChains), which is faster than one after another.
 */
export function runReplicates(c: RunConfig, masterSeed: number, replicates: readonly number[], problem: Problem = buildProblem(c)): RunOutcome[] {
  if (c.engine !== "reduced") return replicates.map((r) => runReplicate(c, masterSeed, r, problem));
  const configuration = trajectoryConfig(c);
  return simulateReducedRuns(problem, replicates.map((replicate) => Xoshiro128.forKey({ masterSeed, configuration, replicate })));
}
