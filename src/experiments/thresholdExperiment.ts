/**
 * The weak-recovery threshold experiment (issue 15 §2), as a sweep of src/sweeps (seeded, resumable, sharded, with
 * progress), judged against alpha_c from exponents/threshold.ts. Two methods:
 * - "gamp" (default): Bayes-optimal GAMP (simulations/threshold/gamp.ts) at every (d, alpha), started at a planted
 *   overlap q0 (easy and hard links) or at w_hat = 0 (trivial ones); the trajectories are compared with state
 *   evolution (predictions/stateEvolution.ts) and the transition located by the one-parameter state-evolution fit
 *   of verification/stateEvolutionFit.ts, with a bootstrap CI;
 * - "spectral": the optimal spectral (or, for a trivial direction, the linear) estimator's overlap, the transition
 *   located by the crossing of d^(1/3) overlap^2 curves (verification/transition.ts).
 */
import { MAX_BATCH_WORK } from "../simulations/batch/common.js";
import { InputError } from "../link/errors.js";
import { parseLink, type Link } from "../link/link.js";
import { noiseText, parseNoise, type NoiseModel } from "../exponents/noise.js";
import { weakRecoveryThreshold, type WeakRecoveryThreshold } from "../exponents/threshold.js";
import { chooseBackend, type BackendRequest } from "../tensors/select.js";
import type { TensorBackend } from "../tensors/backend.js";
import { sampleSize, spectralRun, thresholdMemoryPlan, validateSpectralRun, type SpectralRunConfig, type SpectralRunResult, type ThresholdEstimator } from "../simulations/threshold/spectral.js";
import { defineJobKind } from "../sweeps/jobs.js";
import { runJobSweep } from "../sweeps/sweep.js";
import { locateTransition, type TransitionReport, type TransitionVerdict } from "../verification/transition.js";
import { gampRun, validateGampRun, gampMemoryPlan, type GampRunConfig, type GampRunResult } from "../simulations/threshold/gamp.js";
import { stateEvolutionTable, stateEvolutionThreshold, type StateEvolutionTable } from "../predictions/stateEvolution.js";
import { outputChannel } from "../exponents/channel.js";
import { locateByStateEvolution, type StateEvolutionReport } from "../verification/stateEvolutionFit.js";
import type { ExperimentSweepOptions } from "./budget.js";
import { weakLearnability, MULTI_THRESHOLD_CITATION, MULTI_THRESHOLD_CONVENTION, type MultiIndexLearnability } from "../exponents/weakLearnability.js";
import { bestDirection, multiIndexMoments } from "../simulations/threshold/multiIndexPreprocessing.js";

/** One job of the sweep: a spectral run plus the tensor backend to use. */
export interface ThresholdJobConfig extends SpectralRunConfig {
  readonly backend: BackendRequest;
}

const backends = new Map<string, Promise<TensorBackend>>();
const backendFor = (request: BackendRequest) => {
  let b = backends.get(request);
  if (!b) { b = chooseBackend(request).then((c) => c.backend); backends.set(request, b); }
  return b;
};

/** Multiply-adds of one spectral replicate: the data (n d) and at most 2 n d per Lanczos step (the work cap and the ETA weight). */
export const spectralWork = (d: number, alpha: number, maxIterations: number): number => sampleSize(alpha, d) * d * (1 + 2 * Math.min(maxIterations, d - 1));

/** Multiply-adds of one GAMP replicate: the data (n d) and two n x d products per iteration (the work cap and the ETA weight). */
export const gampWork = (d: number, alpha: number, iterations: number): number => sampleSize(alpha, d) * d * (1 + 2 * iterations);

/** Sweep job: one replicate of one (link, noise, d, alpha, estimator). */
export const thresholdJob = defineJobKind<ThresholdJobConfig, SpectralRunResult>({
  name: "threshold.spectral",
  module: import.meta.url,
  validate: (c) => { validateSpectralRun(c); },
  cost: (c) => spectralWork(c.d, c.alpha, c.maxIterations ?? 400),
  run: async (c, { masterSeed, replicate }) => spectralRun(c, masterSeed, replicate, await backendFor(c.backend)),
});

/** Sweep job of the GAMP method: one GAMP replicate plus the backend. */
export interface GampJobConfig extends GampRunConfig {
  readonly backend: BackendRequest;
}

/** Sweep job: one GAMP replicate of one (link, noise, d, alpha, start, q0, iterations). */
export const gampJob = defineJobKind<GampJobConfig, GampRunResult>({
  name: "threshold.gamp",
  module: import.meta.url,
  validate: (c) => { validateGampRun(c); },
  cost: (c) => gampWork(c.d, c.alpha, c.iterations),
  run: async (c, { masterSeed, replicate }) => gampRun(c, masterSeed, replicate, await backendFor(c.backend)),
});

/** How the transition is located: GAMP against state evolution, or the spectral estimator's finite-size crossing. */
export type ThresholdMethod = "gamp" | "spectral";

/** What to simulate: link, noise, sizes, alpha grid, seeds, method, estimator ("auto": by regime), backend and solver. */
export interface ThresholdExperimentOptions extends ExperimentSweepOptions {
  /** Default "gamp". */
  readonly method?: ThresholdMethod;
  /** GAMP: planted initial overlap (default 0.1) and iterations (default 10). */
  readonly q0?: number;
  readonly iterations?: number;
  readonly link: string;
  readonly noise?: string;
  readonly dims: readonly number[];
  readonly alphas: readonly number[];
  readonly seeds: number;
  readonly masterSeed: number;
  readonly estimator?: ThresholdEstimator | "auto";
  readonly backend?: BackendRequest;
  readonly maxIterations?: number;
  readonly tolerance?: number;
  readonly bootstrap?: number;
}

/** One run as reported: where, which seed, the overlap and how the eigen-solver ended. */
export interface ThresholdRunRow {
  readonly d: number; readonly alpha: number; readonly n: number; readonly seed: number;
  readonly overlapSquared: number; readonly eigenvalue: number | null; readonly secondEigenvalue: number | null;
  readonly residual: number; readonly converged: boolean; readonly iterations: number; readonly backend: string; readonly seconds: number;
}

/** One GAMP run as reported: where, which seed, its trajectory. */
export interface GampRunRow {
  readonly d: number; readonly alpha: number; readonly n: number; readonly seed: number;
  readonly overlap: number[]; readonly cosineSquared: number[]; readonly degenerateLabels: number; readonly diverged: boolean;
  readonly backend: string; readonly seconds: number;
}

/** The GAMP method's part of the result: the state-evolution table's summary, the runs, the located transition. */
export interface GampResult {
  readonly q0: number;
  readonly iterations: number;
  readonly start: "planted" | "zero";
  /** The d = infinity GAMP threshold of the state-evolution table (1/Psi'(0)), an independent route to alpha_c. */
  readonly stateEvolutionAlphaC: number;
  readonly stateEvolutionAlphaCError: number;
  readonly stateEvolutionMethod: string;
  readonly runs: GampRunRow[];
  readonly diverged: number;
  readonly report: StateEvolutionReport;
}

/** The experiment's result: the prediction, the runs, the located transition and verdict, and the sweep's state. */
export interface ThresholdExperimentResult {
  readonly method: ThresholdMethod;
  /** The verdict of the method used. */
  readonly verdict: TransitionVerdict;
  /** GAMP method: its runs and report (null for the spectral method). */
  readonly gamp: GampResult | null;
  readonly link: string;
  readonly noise: string;
  readonly prediction: WeakRecoveryThreshold;
  readonly estimator: ThresholdEstimator;
  /** What the estimator is, in words. */
  readonly estimatorNote: string;
  readonly dims: readonly number[];
  readonly alphas: readonly number[];
  readonly seeds: number;
  readonly backend: string;
  readonly runs: ThresholdRunRow[];
  /** Runs whose Lanczos residual did not reach the tolerance (their overlaps are kept and counted). */
  readonly notConverged: number;
  /** GE = 1: the d = infinity overlap^2 of the linear estimator, alpha lambda_1^2/(1 + alpha lambda_1^2), per alpha. */
  readonly predictedCurve: { alpha: number; overlapSquared: number }[] | null;
  /** Spectral method: the finite-size-scaling report (null for the GAMP method). */
  readonly transition: TransitionReport | null;
  readonly sweep: { computed: number; skipped: number; total: number; complete: boolean; dir: string | null };
  readonly seconds: number;
}

/** Parse an alpha grid "a:b:step" (inclusive, linear) or "a,b,c"; every value in (0, 1000]. */
export function parseAlphaGrid(raw: string): number[] {
  const t = raw.trim();
  const m = /^([^:,]+):([^:,]+):([^:,]+)$/.exec(t);
  let values: number[];
  if (m) {
    const [a, b, h] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (![a, b, h].every(Number.isFinite) || !(h > 0) || !(a > 0) || b < a) throw new InputError(`--alpha '${raw}' must be a:b:step with 0 < a <= b and step > 0`);
    const count = Math.floor((b - a) / h + 1e-9) + 1;
    if (count > 200) throw new InputError(`--alpha '${raw}' gives ${count} values; at most 200`);
    values = Array.from({ length: count }, (_, i) => Number((a + i * h).toPrecision(12)));
  } else {
    values = t.split(",").map((s) => Number(s.trim()));
    if (values.some((v) => !Number.isFinite(v))) throw new InputError(`--alpha '${raw}' must be a:b:step or a comma-separated list of numbers`);
  }
  for (const v of values) if (!(v > 0 && v <= 1000)) throw new InputError(`--alpha values must be in (0, 1000], got ${v}`);
  return [...new Set(values)].sort((x, y) => x - y);
}

/** Estimator for a regime: linear for a trivial direction, the optimal spectral method for an easy one, T(y) = y otherwise. */
export function defaultEstimator(regime: WeakRecoveryThreshold["regime"]): ThresholdEstimator {
  return regime === "trivial" ? "linear" : regime === "easy" ? "optimal" : "identity";
}

const ESTIMATOR_NOTES: Record<ThresholdEstimator, string> = {
  optimal: "top eigenvector of (1/n) sum T*(y_i) x_i x_i^T, T*(y) = h/(h + max(sqrt(alpha/alpha_c), 1.01)), h = E[He_2(Z) | Y = y] (Mondelli-Montanari optimal preprocessing, real form)",
  identity: "top eigenvector of (1/n) sum y_i x_i x_i^T (plain T(y) = y)",
  linear: "linear estimator (1/n) sum E[Z | Y = y_i] x_i (trivial direction)",
};

/** Refuse, before anything runs, a grid whose multiply-adds exceed MAX_BATCH_WORK (`knob`: the estimator's iteration flag). */
function checkThresholdWork(work: number, knob: string): void {
  if (!(work <= MAX_BATCH_WORK)) {
    throw new InputError(`simulate threshold: this grid needs up to ${work.toExponential(1)} multiply-adds (${(work / 1.5e10 / 3600).toPrecision(2)} CPU-hours at 1.5e10/s), more than the maximum ${MAX_BATCH_WORK.toExponential(0)}; reduce --d, --alpha, --seeds or ${knob}`);
  }
}

/** The spectral target of a multi-index link: the direction v the preprocessing is built for and its threshold. */
export interface MultiIndexSpectralTarget {
  readonly direction: number[];
  readonly prediction: WeakRecoveryThreshold;
  readonly learnability: MultiIndexLearnability;
}

const targets = new Map<string, MultiIndexSpectralTarget>();

/**
 * A multi-index link's spectral target (simulations/threshold/multiIndexPreprocessing.ts): the trivial direction
 * (linear estimator, alpha_c = 0), or in the easy subspace the unit v maximising E[h_v^2], h_v = E[(v.z)^2 - 1 | y],
 * whose optimal scalar preprocessing has its threshold at 1/E[h_v^2] (= the AMP alpha_c of Troiani et al. when the top
 * eigenspace of F holds v v^T; the note says which), or a hard link (alpha_c = infinity).
 * @throws InputError when the weak learnability is undetermined, or as {@link weakLearnability} does.
 */
export function multiIndexSpectralTarget(link: Link, noise: NoiseModel): MultiIndexSpectralTarget {
  const key = `${link.text}/${noiseText(noise)}`;
  const known = targets.get(key);
  if (known) return known;
  const L = weakLearnability(link, { noise });
  if (L.regime === "undetermined") throw new InputError(`the weak learnability of '${link.text}' is undetermined on the grid (${L.note}); simulate threshold needs its regime`);
  const r = link.dimension, axis = Array.from({ length: r }, (_, j) => (j === 0 ? 1 : 0));
  const direction = L.regime === "trivial" ? L.trivialSubspace[0]! : L.regime === "easy" ? bestDirection(link, noise, L.easySubspace) : axis;
  const mm = multiIndexMoments(link, noise, direction);
  const fmt = (x: number) => Number(x.toPrecision(6)).toString();
  const vText = `(${mm.direction.map((x) => Number(x.toPrecision(4))).join(", ")})`;
  let alphaC: number, interval: [number, number], note: string;
  if (L.regime === "trivial") { alphaC = 0; interval = [0, 0]; note = `multi-index, trivial direction v = ${vText} (E[v.z | y] != 0, E[l_v^2] = ${fmt(mm.firstMoment)}): the linear estimator recovers at every alpha > 0`; }
  else if (L.regime === "hard") { alphaC = Infinity; interval = [Infinity, Infinity]; note = "multi-index, hard (no trivial or easy direction): no transition at n = Theta(d)"; }
  else {
    const e = mm.secondMoment, de = mm.secondMomentError;
    const mc = 1 / e, mcInterval: [number, number] = [1 / (e + de), e - de > 0 ? 1 / (e - de) : Infinity];
    // the Monte Carlo value lies below E[h_v^2] by the binning (Jensen): agreement within 3% plus both errors
    const agree = Math.abs(mc - L.alphaC) <= (mcInterval[1] - mcInterval[0]) / 2 + L.errorBound + 0.03 * L.alphaC;
    // agreeing: the grid's alpha_c (the more accurate value of the same quantity) is the prediction
    alphaC = agree ? L.alphaC : mc; interval = agree ? [L.interval[0], L.interval[1]] : mcInterval;
    note = `multi-index, easy: spectral estimator along v = ${vText}, threshold 1/E[h_v^2] = ${fmt(mc)} in [${fmt(mcInterval[0])}, ${fmt(mcInterval[1])}] (Monte Carlo), h_v = E[(v.z)^2 - 1 | y]; the AMP alpha_c of the easy subspace is ${fmt(L.alphaC)} +- ${fmt(L.errorBound)} (${agree ? "the same within the errors (v v^T in the top eigenspace of F): the prediction is the AMP value" : "lower: a scalar preprocessing does not reach it for this link; the prediction is the spectral method's own threshold"})`;
  }
  const prediction: WeakRecoveryThreshold = {
    alphaC, exact: L.regime === "trivial" ? "0" : L.regime === "hard" ? "inf" : null, interval,
    errorBound: Number.isFinite(alphaC) ? Math.max(alphaC - interval[0], interval[1] - alphaC) : 0,
    regime: L.regime, basis: "monte-carlo", secondMoment: mm.secondMoment, secondMomentError: mm.secondMomentError, firstMoment: mm.firstMoment,
    noise: noiseText(noise), note, convention: `${MULTI_THRESHOLD_CONVENTION}; the scalar spectral method along v: 1/alpha = E[h_v(Y)^2]`,
    citation: `${MULTI_THRESHOLD_CITATION}; Mondelli, Montanari 2018 (arXiv 1708.05932) for the channel y | v.z`,
  };
  const out = { direction: mm.direction, prediction, learnability: L };
  targets.set(key, out);
  return out;
}

/**
 * The threshold of a link `simulate threshold` can simulate: single-index links (spectral estimator and GAMP) and,
 * by the spectral method only, multi-index links of r <= 4 ({@link multiIndexSpectralTarget}).
 * @throws InputError as {@link weakRecoveryThreshold} or {@link multiIndexSpectralTarget} do.
 */
export function simulatableThreshold(link: Link, noise: NoiseModel): WeakRecoveryThreshold {
  if (link.kind !== "single") return multiIndexSpectralTarget(link, noise).prediction;
  return weakRecoveryThreshold(link, { noise });
}

/**
 * Run the threshold experiment (see the module comment): validate everything and the memory of the largest shape
 * first, sweep (d, alpha) x seeds, then locate the transition and judge it against alpha_c.
 * @throws InputError for bad input (link, multi-index link, noise, sizes, grid, estimator incompatible with the regime) or a shape whose
 *   memory estimate exceeds the budget.
 */
export async function runThresholdExperiment(o: ThresholdExperimentOptions): Promise<ThresholdExperimentResult> {
  const t0 = performance.now();
  const link = parseLink(o.link);
  const noise = parseNoise(o.noise);
  if (o.dims.length === 0 || o.alphas.length === 0) throw new InputError("simulate threshold needs at least one d and one alpha");
  if (!(Number.isInteger(o.seeds) && o.seeds >= 2 && o.seeds <= 1000)) throw new InputError(`--seeds must be an integer in [2, 1000], got ${o.seeds}`);
  const prediction = simulatableThreshold(link, noise);
  const method = o.method ?? (link.kind === "single" ? "gamp" : "spectral");
  if (method === "gamp" && link.kind !== "single") throw new InputError(`--method gamp runs single-index links (GAMP here estimates one direction); '${link.text}' has ${link.dimension} latent directions: use --method spectral (the spectral estimator of its easy subspace)`);
  const direction = link.kind === "single" ? undefined : multiIndexSpectralTarget(link, noise).direction;
  if (method === "gamp") {
    if (o.estimator !== undefined && o.estimator !== "auto") throw new InputError(`--estimator ${o.estimator} applies to --method spectral; GAMP uses the Bayes-optimal denoiser`);
    return runGampExperiment(o, t0, prediction);
  }
  const estimator = o.estimator === undefined || o.estimator === "auto" ? defaultEstimator(prediction.regime) : o.estimator;
  if (estimator === "optimal" && prediction.regime !== "easy") throw new InputError(`--estimator optimal needs a finite alpha_c > 0; this link is ${prediction.regime} (alpha_c = ${prediction.alphaC}); use linear or identity`);
  if (estimator === "linear" && prediction.regime !== "trivial") throw new InputError(`--estimator linear needs E[Z | Y] != 0 (GE = 1); this link is ${prediction.regime}`);
  const dmax = Math.max(...o.dims), amax = Math.max(...o.alphas);
  thresholdMemoryPlan(dmax, sampleSize(amax, dmax), o.maxIterations ?? 400);
  // the time it would take, before anything runs: per replicate the data (n d) and at most 2 n d per Lanczos step
  let work = 0;
  for (const d of o.dims) for (const alpha of o.alphas) work += o.seeds * spectralWork(d, alpha, o.maxIterations ?? 400);
  checkThresholdWork(work, "--max-iterations");
  const noiseSpec = noiseText(noise);
  const configs: ThresholdJobConfig[] = [];
  for (const d of [...o.dims].sort((a, b) => a - b)) for (const alpha of o.alphas) {
    configs.push({
      link: link.text, noise: noiseSpec, d, alpha, estimator, alphaC: Number.isFinite(prediction.alphaC) ? prediction.alphaC : 0,
      backend: o.backend ?? "auto", ...(o.maxIterations ? { maxIterations: o.maxIterations } : {}), ...(o.tolerance ? { tolerance: o.tolerance } : {}),
      ...(direction ? { direction } : {}),
    });
  }
  const swept = await runJobSweep({
    command: "simulate threshold", masterSeed: o.masterSeed, workers: o.workers ?? 0, dir: o.dir, shard: o.shard ?? null,
    resume: o.resume || !!o.shard,
    jobs: configs.map((config) => ({ kind: thresholdJob.name, config, replicates: o.seeds })),
    meta: { experiment: "threshold", link: link.text, noise: noiseSpec, estimator },
    onProgress: o.onProgress,
  });
  const runs: ThresholdRunRow[] = [];
  const cells = configs.map((c, i) => {
    const recs = swept.records.filter((r) => r.configId === swept.ids[i]).sort((a, b) => a.replicate - b.replicate);
    for (const r of recs) {
      const x = r.result as SpectralRunResult;
      runs.push({ d: c.d, alpha: c.alpha, n: x.n, seed: r.replicate, overlapSquared: x.overlapSquared, eigenvalue: x.eigenvalue, secondEigenvalue: x.secondEigenvalue, residual: x.residual, converged: x.converged, iterations: x.iterations, backend: x.backend, seconds: x.seconds });
    }
    return { d: c.d, alpha: c.alpha, overlapSquared: recs.map((r) => (r.result as SpectralRunResult).overlapSquared) };
  }).filter((c) => c.overlapSquared.length > 0);
  const transition = locateTransition(cells, prediction.alphaC, prediction.regime, o.bootstrap ?? 1000, `${link.text}/${noiseSpec}`);
  const lambda1 = prediction.firstMoment;
  return {
    method: "spectral", verdict: swept.complete ? transition.verdict : "inconclusive", gamp: null,
    link: link.text, noise: noiseSpec, prediction, estimator,
    estimatorNote: direction ? `${ESTIMATOR_NOTES[estimator]}, multi-index: preprocessing along v = (${direction.map((x) => Number(x.toPrecision(4))).join(", ")}), overlap = |P_W* v_hat| (projection on the hidden subspace)` : ESTIMATOR_NOTES[estimator], dims: [...o.dims].sort((a, b) => a - b), alphas: o.alphas, seeds: o.seeds,
    backend: [...new Set(runs.map((r) => r.backend))].join(", ") || "none",
    runs, notConverged: runs.filter((r) => !r.converged).length,
    predictedCurve: estimator === "linear" ? o.alphas.map((alpha) => ({ alpha, overlapSquared: (alpha * lambda1) / (1 + alpha * lambda1) })) : null,
    transition,
    sweep: { computed: swept.computed, skipped: swept.skipped, total: swept.total, complete: swept.complete, dir: o.dir ?? null },
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * The GAMP method (see the module comment): planted start at q0 for easy and hard links, w_hat = 0 for trivial ones;
 * the state-evolution table is computed once; memory of the largest shape checked before anything runs.
 */
async function runGampExperiment(o: ThresholdExperimentOptions, t0: number, prediction: WeakRecoveryThreshold): Promise<ThresholdExperimentResult> {
  const link = parseLink(o.link), noise = parseNoise(o.noise), noiseSpec = noiseText(noise);
  const q0 = o.q0 ?? 0.1, iterations = o.iterations ?? 10;
  if (!(q0 > 0 && q0 < 1)) throw new InputError(`--q0 must be in (0, 1), got ${q0}`);
  if (!(Number.isInteger(iterations) && iterations >= 1 && iterations <= 1000)) throw new InputError(`--iterations must be an integer in [1, 1000], got ${iterations}`);
  if (prediction.regime === "undetermined") throw new InputError("the threshold of this link is undetermined: GAMP's verdict needs alpha_c");
  const start = prediction.regime === "trivial" ? "zero" : "planted";
  const dmax = Math.max(...o.dims), amax = Math.max(...o.alphas);
  const channel = outputChannel(link, noise);
  gampMemoryPlan(dmax, sampleSize(amax, dmax), channel.preparedBytes(sampleSize(amax, dmax)));
  // the time it would take, before anything runs: per replicate the data (n d) and two n x d products per iteration
  let work = 0;
  for (const d of o.dims) for (const alpha of o.alphas) work += o.seeds * gampWork(d, alpha, iterations);
  checkThresholdWork(work, "--iterations");
  const configs: GampJobConfig[] = [];
  for (const d of [...o.dims].sort((a, b) => a - b)) for (const alpha of o.alphas) {
    configs.push({ link: link.text, noise: noiseSpec, d, alpha, start, q0, iterations, backend: o.backend ?? "auto" });
  }
  const table: StateEvolutionTable = stateEvolutionTable(link, noise, 2, channel);
  const swept = await runJobSweep({
    command: "simulate threshold", masterSeed: o.masterSeed, workers: o.workers ?? 0, dir: o.dir, shard: o.shard ?? null,
    resume: o.resume || !!o.shard,
    jobs: configs.map((config) => ({ kind: gampJob.name, config, replicates: o.seeds })),
    meta: { experiment: "threshold", method: "gamp", link: link.text, noise: noiseSpec, q0, iterations },
    onProgress: o.onProgress,
  });
  const runs: GampRunRow[] = [];
  const cells = configs.map((c, i) => {
    const recs = swept.records.filter((r) => r.configId === swept.ids[i]).sort((a, b) => a.replicate - b.replicate);
    const results = recs.map((r) => r.result as GampRunResult);
    recs.forEach((r, k) => { const x = results[k]!; runs.push({ d: c.d, alpha: c.alpha, n: x.n, seed: r.replicate, overlap: x.overlap, cosineSquared: x.cosineSquared, degenerateLabels: x.degenerateLabels, diverged: x.diverged, backend: x.backend, seconds: x.seconds }); });
    const ok = results.filter((x) => !x.diverged);
    return { d: c.d, alpha: c.alpha, trajectories: ok.map((x) => x.overlap), finalCosineSquared: ok.map((x) => x.cosineSquared[x.cosineSquared.length - 1]!) };
  }).filter((c) => c.trajectories.length > 1);
  const report = locateByStateEvolution(cells, table, prediction.alphaC, prediction.regime, q0, o.bootstrap ?? 1000, `${link.text}/${noiseSpec}`);
  const seA = stateEvolutionThreshold(table);
  const diverged = runs.filter((r) => r.diverged).length;
  const verdict: TransitionVerdict = !swept.complete || diverged > 0 && report.verdict === "consistent" ? "inconclusive" : report.verdict;
  return {
    method: "gamp", verdict, link: link.text, noise: noiseSpec, prediction, estimator: "optimal",
    estimatorNote: `Bayes-optimal GAMP (Gaussian prior), ${iterations} iterations from ${start === "zero" ? "w_hat = 0" : `a planted overlap q0 = ${q0}`}; ${channel.method}`,
    dims: [...o.dims].sort((a, b) => a - b), alphas: o.alphas, seeds: o.seeds,
    backend: [...new Set(runs.map((r) => r.backend))].join(", ") || "none",
    runs: [], notConverged: 0, predictedCurve: null, transition: null,
    gamp: {
      q0, iterations, start, stateEvolutionAlphaC: seA,
      stateEvolutionAlphaCError: Number.isFinite(seA) && seA > 0 ? seA * seA * table.slopeSe : 0,
      stateEvolutionMethod: table.method, runs, diverged, report,
    },
    sweep: { computed: swept.computed, skipped: swept.skipped, total: swept.total, complete: swept.complete, dir: o.dir ?? null },
    seconds: (performance.now() - t0) / 1000,
  };
}
