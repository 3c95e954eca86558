/**
 * `simulate feature-strength`: the seed-004 experiment (Atanasov, Meterez, Simon, Pehlevan, arXiv 2410.04642).
 * Part 1, exact: the depth-L scalar chain (toyChain.ts) over a γ × η grid — divergence, loss after a budget, escape
 * time; η_max(γ) by bisection; slopes of log η_max vs log γ at small and large γ (predicted 2 and 2/L); the collapse
 * of the plateau in τ = ηt/γ (τ* = 1/(L−2)); the "triangle of optimizability" for a fixed budget T.
 * Part 2, small and honest: the centred μP MLP (centredMlp.ts) on a Gaussian single-index target (index-lab links;
 * the paper's image datasets are out of scope), divergence boundary η_max(γ) and the best η for a fixed budget.
 */
import { BISECTION_STEP_RATE, COLLAPSE_FIXED, EDGE_RUN_FRACTION, MIN_STEPS_FIXED, MIN_STEPS_RATE, MLP_MAC_RATE, TOY_STEP_RATE } from "./costCalibration.js";
import { parseLink } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { positive, positiveInteger, type ClaimVerdict } from "./budget.js";
import { linearFit, median, type LinearFit } from "../numeric/statistics.js";
import { defineJobKind, getJobKind } from "../sweeps/jobs.js";
import { runJobSweep } from "../sweeps/sweep.js";
import { groupRecords, partialClaim, type ExperimentSweepOptions } from "./twoTimescaleExperiment.js";
import { bisectEtaMax, predictedEscapeTau, predictedEtaMax, runToyChain, tauStar, type ToyStatus } from "./toyChain.js";
import { loadTf, trainMlpJs, trainMlpTf, type TrainResult } from "./centredMlp.js";

export interface FeatureStrengthConfig {
  readonly toy: {
    readonly Ls: number[];
    readonly gammas: number[];
    /** γ ≤ smallMax enter the lazy-slope fit, γ ≥ largeMin the ultra-rich fit. */
    readonly smallMax: number;
    readonly largeMin: number;
    /** The coarse η grid: etasPerDecade points per decade over [etaMin, etaMax] (relative to 2γ²/L·... no: absolute). */
    readonly etaMin: number;
    readonly etaMax: number;
    readonly etasPerDecade: number;
    readonly budget: number;
    readonly bisectionSteps: number;
    readonly collapse: { readonly L: number; readonly gammas: number[]; readonly etaFraction: number };
    /**
     * The triangle map for budget T, and its closure law: N*(γ) (fewest steps over η) on a γ grid from scalingFrom to
     * scalingTo, log N* vs log γ fitted over γ ≥ fitFrom (predicted slope 1 − 2/L, i.e. γ_c ∝ T^{L/(L−2)}).
     */
    readonly triangle: { readonly L: number; readonly T: number; readonly scalingFrom: number; readonly scalingTo: number; readonly scalingPerDecade: number; readonly fitFrom: number };
  };
  readonly mlp: null | {
    readonly d: number; readonly N: number; readonly L: number; readonly batch: number; readonly steps: number;
    readonly target: string; readonly gammas: number[]; readonly etas: number[]; readonly seed: number;
    readonly backend: "tfjs" | "js64" | "auto";
    /** With "auto", γ below this use the float64 reference (float32 cancellation in net_θ − net_θ0). */
    readonly float64Below: number;
    /** Seeds per grid point / per bisected edge (replicates of the sweep). */
    readonly seeds: number;
    /** γ at which the divergence edge η_max is bisected (float64 reference); empty: read η_max off the grid. */
    readonly edgeGammas: number[];
    readonly edgeBisections: number;
    /** Seeds per bisected edge (cheap float64 runs: more seeds than the grid). */
    readonly edgeSeeds: number;
    /** γ ≤ lazyMax enter the lazy-slope fit, γ ≥ richMin the ultra-rich fit. */
    readonly lazyMax: number;
    readonly richMin: number;
  };
}

const logspace = (lo: number, hi: number, perDecade: number) => {
  const n = Math.max(1, Math.round(Math.log10(hi / lo) * perDecade));
  return Array.from({ length: n + 1 }, (_, i) => lo * Math.pow(hi / lo, i / n));
};

/**
 * The default seed-004 setting (Atanasov, Meterez, Simon, Pehlevan, arXiv 2410.04642): toy chains of depth
 * L = 2, 3, 4 over γ from 1e-4 to 1e4 with a budget of 2000 steps, and a small centred μP MLP (d = 8, N = 64, L = 3)
 * on He2/sqrt(2) + z.
 */
export const FEATURE_STRENGTH_PRESET: FeatureStrengthConfig = {
  toy: {
    Ls: [2, 3, 4], gammas: logspace(1e-4, 1e4, 2), smallMax: 1e-2, largeMin: 1e2,
    etaMin: 1e-10, etaMax: 1e4, etasPerDecade: 2, budget: 2000, bisectionSteps: 200000,
    collapse: { L: 3, gammas: [1e2, 1e3, 1e4, 1e5], etaFraction: 0.01 },
    triangle: { L: 4, T: 100, scalingFrom: 1, scalingTo: 1e10, scalingPerDecade: 2, fitFrom: 1e5 },
  },
  mlp: {
    d: 8, N: 64, L: 3, batch: 8, steps: 150, target: "He(2,z)/sqrt(2) + z",
    gammas: [1e-2, 1e-1, 1, 10, 100], etas: logspace(1e-6, 1e2, 2), seed: 4004, backend: "auto", float64Below: 0.05,
    seeds: 1, edgeGammas: [1e-3, 3e-3, 1e-2, 3e-2, 10, 30, 100, 300, 1000], edgeBisections: 6, edgeSeeds: 5, lazyMax: 0.03, richMin: 10,
  },
};

/**
 * The larger seed-004 setting (`--full`): γ from 1e-5 to 1e5 at 4 points per decade, a budget of 10000 steps, and a
 * wider MLP (d = 32, N = 256, 2000 steps, 3 seeds) on wider γ and η grids.
 */
export const FEATURE_STRENGTH_FULL: FeatureStrengthConfig = {
  toy: { ...FEATURE_STRENGTH_PRESET.toy, gammas: logspace(1e-5, 1e5, 4), etasPerDecade: 4, budget: 10000, collapse: { L: 3, gammas: [1e2, 1e3, 1e4, 1e5, 1e6], etaFraction: 0.01 } },
  mlp: { ...FEATURE_STRENGTH_PRESET.mlp!, N: 256, d: 32, steps: 2000, batch: 32, gammas: logspace(1e-3, 1e3, 1), etas: logspace(1e-8, 1e2, 2), seeds: 3, edgeGammas: logspace(1e-4, 1e4, 2).filter((g) => g <= 0.03 || g >= 10), edgeBisections: 8, edgeSeeds: 8 },
};

export function validateFeatureStrength(c: FeatureStrengthConfig): void {
  c.toy.Ls.forEach((L) => positiveInteger("--depth L", L, 1, 64));
  c.toy.gammas.forEach((g, i) => positive(`gamma (entry ${i + 1})`, g));
  positive("--eta-min", c.toy.etaMin); positive("--eta-max", c.toy.etaMax);
  if (!(c.toy.etaMax > c.toy.etaMin)) throw new InputError(`--eta-max must exceed --eta-min`);
  positiveInteger("--budget", c.toy.budget, 1, 1e8);
  positiveInteger("triangle depth L", c.toy.triangle.L, 1, 64); positiveInteger("triangle budget T", c.toy.triangle.T, 1, 1e8);
  positive("triangle scaling from", c.toy.triangle.scalingFrom); positive("triangle scaling to", c.toy.triangle.scalingTo);
  if (c.mlp) {
    positiveInteger("MLP depth L", c.mlp.L, 2, 16); positiveInteger("MLP width N", c.mlp.N, 1, 4096);
    c.mlp.gammas.forEach((g, i) => positive(`MLP gamma (entry ${i + 1})`, g));
    c.mlp.etas.forEach((e, i) => positive(`MLP eta (entry ${i + 1})`, e));
    c.mlp.edgeGammas.forEach((g, i) => positive(`MLP edge gamma (entry ${i + 1})`, g));
    positiveInteger("MLP seeds", c.mlp.seeds, 1, 1000); positiveInteger("MLP edge seeds", c.mlp.edgeSeeds, 1, 1000);
    positiveInteger("MLP edge bisections", c.mlp.edgeBisections, 0, 60);
    const l = parseLink(c.mlp.target);
    if (l.kind !== "single") throw new InputError(`--target must be a single-index link in z`);
  }
}

/** CPU seconds of `steps` toy-chain GD steps: the budget guard's and the ETA's cost model (rates: costCalibration.ts). */
const toyRunSeconds = (steps: number): number => steps * TOY_STEP_RATE;
/** Model units of one MLP run: multiply-adds of the forward and backward passes over the batch. */
export const mlpRunUnits = (j: { steps: number; batch: number; N: number; d: number; L: number }): number => j.steps * j.batch * (j.N * (j.d + (j.L - 2) * j.N));
const mlpRunSeconds = (j: { steps: number; batch: number; N: number; d: number; L: number }): number => mlpRunUnits(j) * MLP_MAC_RATE;
/** A fewest-steps scan: its length grows as the fewest steps N*(gamma) ~ gamma^(1 - 2/L) (the ≍ estimate). */
export const minStepsSeconds = (j: { gamma: number; L: number }): number => MIN_STEPS_FIXED + MIN_STEPS_RATE * Math.pow(j.gamma, Math.max(0, 1 - 2 / j.L));

/** Estimated CPU seconds of the whole experiment: the sum of its jobs' costs (the ETA's weights), so the two agree. */
export function estimateFeatureStrengthSeconds(c: FeatureStrengthConfig): number {
  return featureStrengthJobs(c).reduce((s, j) => s + j.replicates * getJobKind(j.kind).cost!(j.config), 0);
}

export interface ToyGridPoint { readonly L: number; readonly gamma: number; readonly eta: number; readonly status: ToyStatus; readonly finalLoss: number; readonly escapeStep: number | null; readonly convergedAt: number | null }

type ToySummary = NonNullable<FeatureStrengthResult["toy"]>;

/**
 * Outcome of the seed-004 experiment (arXiv 2410.04642): for the toy chain the η grid, η_max(γ) against the lazy and
 * ultra-rich predictions with the slopes of log η_max vs log γ, the τ = ηt/γ collapse and the triangle of
 * optimizability; for the MLP the divergence edge and the best η per γ; and the claims with their verdicts.
 */
export interface FeatureStrengthResult {
  readonly experiment: "feature-strength";
  readonly paper: string;
  readonly config: FeatureStrengthConfig;
  /** null while the sweep is incomplete (a shard, or an interrupted run): see `sweep` and the partial claim. */
  readonly toy: null | {
    readonly grid: ToyGridPoint[];
    readonly etaMax: { L: number; gamma: number; measured: number; predictedLazy: number; predictedRich: number; predictedBalanced: number }[];
    readonly etaStar: { L: number; gamma: number; eta: number | null }[];
    readonly slopes: { L: number; regime: "lazy" | "ultra-rich"; predicted: number; fit: LinearFit | null }[];
    readonly collapse: { L: number; tauStar: number; rows: { gamma: number; eta: number; escapeTau: number | null; predictedEscapeTau: number }[]; spread: number[] };
    readonly triangle: { L: number; T: number; map: string[]; gammaC: number | null; predictedGammaC: number; etaMin: { gamma: number; eta: number | null }[]; scaling: TriangleScaling };
  };
  readonly mlp: null | {
    readonly backends: string[];
    /** The TensorFlow.js backend as chosen through src/tensors (name, library/version, skipped ones), null if unused. */
    readonly tfBackend: { backend: string; detail: string; skipped: { name: string; reason: string }[] } | null;
    /** Per grid point: diverged when more than half the seeds diverged; loss = median over seeds. */
    readonly runs: { gamma: number; eta: number; backend: string; diverged: boolean; finalLoss: number | null; seeds: number; divergedSeeds: number }[];
    /** Largest non-diverging grid η per γ. */
    readonly etaMax: { gamma: number; eta: number | null }[];
    /** Bisected edge per γ (median over seeds) and the per-seed values; the slope fits use these when present. */
    readonly etaMaxBisected: { gamma: number; eta: number | null; seeds: (number | null)[] }[];
    readonly etaStar: { gamma: number; eta: number | null; loss: number | null }[];
    readonly slopes: { regime: "lazy" | "ultra-rich"; predicted: number; fit: LinearFit | null }[];
    readonly note: string;
  };
  readonly sweep: { computed: number; skipped: number; total: number; dir: string | null; complete: boolean };
  readonly claims: ClaimVerdict[];
  readonly seconds: number;
}

/** One toy row (L, γ): the coarse η grid, η* for the budget, η_max by bisection bracketed by the grid. */
export interface ToyRowJob { readonly L: number; readonly gamma: number; readonly etas: number[]; readonly budget: number; readonly bisectionSteps: number; readonly etasPerDecade: number }

export const toyRowJob = defineJobKind<ToyRowJob, { grid: ToyGridPoint[]; etaMax: ToySummary["etaMax"][number]; etaStar: number | null }>({
  name: "feature-strength.toy-row",
  module: import.meta.url,
  cost: (j) => toyRunSeconds(j.etas.length * j.budget) + 12 * j.bisectionSteps * BISECTION_STEP_RATE,
  run: ({ L, gamma, etas, budget, bisectionSteps, etasPerDecade }) => {
    const grid: ToyGridPoint[] = [];
    let lastOk: number | null = null, firstBad: number | null = null, best: { eta: number; at: number } | null = null;
    for (const eta of etas) {
      const r = runToyChain({ gamma, eta, L, T: budget, tol: 1e-12, hold: 50 });
      grid.push({ L, gamma, eta, status: r.status, finalLoss: r.finalLoss, escapeStep: r.escapeStep, convergedAt: r.convergedAt });
      if (r.status === "converged") { lastOk = eta; if (!best || r.convergedAt! < best.at) best = { eta, at: r.convergedAt! }; }
      else if (lastOk !== null && firstBad === null) firstBad = eta;
    }
    const p = predictedEtaMax(gamma, L);
    // bisection with a long budget, bracketed by the grid (or by the prediction when the grid found no converging η)
    const lo = lastOk ?? p.balanced / 100, hi = firstBad ?? (lastOk ? lastOk * Math.pow(10, 1 / etasPerDecade) : p.balanced * 100);
    const b = bisectEtaMax(gamma, L, lo, hi, bisectionSteps);
    // η* for the budget: the η that reaches the tolerance first (losses at the budget tie at rounding level)
    return { grid, etaMax: { L, gamma, measured: b.etaMax, predictedLazy: p.lazy, predictedRich: p.rich, predictedBalanced: p.balanced }, etaStar: best?.eta ?? null };
  },
});

/** One γ of the τ-collapse: the loss recorded on a τ = ηt/γ grid and the escape τ against the gradient-flow value. */
export interface CollapseJob { readonly L: number; readonly gamma: number; readonly etaFraction: number; readonly taus: number[] }

export const collapseJob = defineJobKind<CollapseJob, { row: ToySummary["collapse"]["rows"][number]; curve: (number | null)[] }>({
  name: "feature-strength.collapse",
  module: import.meta.url,
  cost: (j) => COLLAPSE_FIXED + toyRunSeconds((j.taus[j.taus.length - 1]! * j.gamma) / (j.etaFraction * predictedEtaMax(j.gamma, j.L).balanced)),
  run: ({ L, gamma, etaFraction, taus }) => {
    const eta = etaFraction * predictedEtaMax(gamma, L).balanced;
    const recordAt = taus.map((tau) => Math.round((tau * gamma) / eta));
    const rec: number[] = [];
    const r = runToyChain({ gamma, eta, L, T: recordAt[recordAt.length - 1]!, recordAt, tol: 0, hold: 1 }, rec);
    while (rec.length < taus.length) rec.push(rec[rec.length - 1] ?? NaN);
    return {
      row: { gamma, eta, escapeTau: r.escapeStep === null ? null : (r.escapeStep * eta) / gamma, predictedEscapeTau: predictedEscapeTau(gamma, L) },
      curve: rec.map((v) => (Number.isFinite(v) ? v : null)),
    };
  },
});

/** One γ row of the triangle map for budget T: status per η ('#' converged, '.' not within T, 'x' diverged). */
export interface TriangleRowJob { readonly L: number; readonly T: number; readonly gamma: number; readonly etas: number[] }

export const triangleRowJob = defineJobKind<TriangleRowJob, { row: string; first: number | null }>({
  name: "feature-strength.triangle-row",
  module: import.meta.url,
  cost: (j) => toyRunSeconds(j.etas.length * j.T),
  run: ({ L, T, gamma, etas }) => {
    let row = "", first: number | null = null;
    for (const eta of etas) {
      const r = runToyChain({ gamma, eta, L, T, tol: TRIANGLE_TOL, hold: TRIANGLE_HOLD });
      row += r.status === "converged" ? "#" : r.status === "diverged" ? "x" : ".";
      if (r.status === "converged" && first === null) first = eta;
    }
    return { row, first };
  },
});

/** Tolerance and hold of "optimizable within T" (the triangle map and the fewest-steps scan use the same rule). */
const TRIANGLE_TOL = 1e-8, TRIANGLE_HOLD = 5;

/**
 * Fewest GD steps to optimise the toy at γ over all η, N*(γ) = min_η N(γ, η): η scanned downward from just above the
 * edge of stability at `perDecade` points per decade, stopping once the plateau alone (τ*γ/η steps, or the lazy
 * γ²/(Lη)) exceeds the best N so far. The region optimizable within T steps is {γ : N*(γ) ≤ T}, so the triangle closes
 * at γ_c(T) = N*^{-1}(T); with η_min ≈ τ*γ/T and η_max ≈ 2γ^{2/L}/L (notes §3.5), N*(γ) ∝ γ^{1−2/L} at large γ, i.e.
 * γ_c ∝ T^{L/(L−2)}.
 */
export interface MinStepsJob { readonly L: number; readonly gamma: number; readonly perDecade: number; readonly cap: number }

export const minStepsJob = defineJobKind<MinStepsJob, { gamma: number; steps: number | null; eta: number | null; scanned: number }>({
  name: "feature-strength.min-steps",
  module: import.meta.url,
  cost: (j) => minStepsSeconds(j),
  run: ({ L, gamma, perDecade, cap }) => {
    const top = 1.5 * predictedEtaMax(gamma, L).balanced, ratio = Math.pow(10, -1 / perDecade);
    // a lower bound on the steps to converge: 0.9 of the plateau τ*γ/η (rich) or of the lazy time γ²/(Lη)
    const plateau = (eta: number) => (0.9 * Math.min(Number.isFinite(tauStar(L)) ? tauStar(L) * gamma : Infinity, (gamma * gamma) / L)) / eta;
    let best: { steps: number; eta: number } | null = null, scanned = 0;
    for (let eta = top; scanned < 40 * perDecade; eta *= ratio) {
      if (best && plateau(eta) > best.steps) break;
      // a run needing more than 50 plateaus (oscillating just under the edge) is never the fewest: stop it there
      const T = Math.min(best ? best.steps : cap, Math.ceil(50 * plateau(eta)) + 2000);
      const r = runToyChain({ gamma, eta, L, T, tol: TRIANGLE_TOL, hold: TRIANGLE_HOLD });
      scanned++;
      if (r.status === "converged" && (!best || r.convergedAt! + TRIANGLE_HOLD < best.steps)) best = { steps: r.convergedAt! + TRIANGLE_HOLD, eta };
      if (!best && r.status === "not-converged" && r.escapeStep === null && plateau(eta) > cap) break;
    }
    return { gamma, steps: best?.steps ?? null, eta: best?.eta ?? null, scanned };
  },
});

/** One MLP training run at (γ, η): replicate r trains from seed masterSeed + 7919 r (the sweep's master seed is mlp.seed). */
export interface MlpJob {
  readonly d: number; readonly N: number; readonly L: number; readonly batch: number; readonly steps: number;
  readonly target: string; readonly gamma: number; readonly eta: number; readonly backend: "tfjs" | "js64";
}

const mlpSeed = (masterSeed: number, replicate: number) => masterSeed + 7919 * replicate;

export const mlpJob = defineJobKind<MlpJob, { backend: string; backendDetail: string | null; diverged: boolean; finalLoss: number | null }>({
  name: "feature-strength.mlp",
  module: import.meta.url,
  cost: (j) => mlpRunSeconds(j),
  run: async (j, { masterSeed, replicate }) => {
    const opts = { shape: { d: j.d, N: j.N, L: j.L }, gamma: j.gamma, eta: j.eta, steps: j.steps, batch: j.batch, target: parseLink(j.target).f, seed: mlpSeed(masterSeed, replicate), recordAt: [j.steps] };
    const r: TrainResult = j.backend === "js64" ? trainMlpJs(opts) : await trainMlpTf(opts);
    const last = r.testLoss[r.testLoss.length - 1];
    return { backend: r.backend, backendDetail: r.backendDetail ?? null, diverged: r.diverged, finalLoss: r.diverged || last === undefined || !Number.isFinite(last) ? null : last };
  },
});

/**
 * The MLP's edge of divergence at γ by bisection in log η (float64 reference, one seed per replicate): the largest η
 * whose run does not diverge within the step budget, to relative resolution 10^{1/(2^bisections · perDecade)}. Grid
 * values quantise η_max to the grid step; bisection removes that quantisation from the slope fits.
 */
export interface MlpEdgeJob { readonly d: number; readonly N: number; readonly L: number; readonly batch: number; readonly steps: number; readonly target: string; readonly gamma: number; readonly lo: number; readonly hi: number; readonly bisections: number }

export const mlpEdgeJob = defineJobKind<MlpEdgeJob, { gamma: number; etaMax: number | null; bracket: [number, number] }>({
  name: "feature-strength.mlp-edge",
  module: import.meta.url,
  // the bisection's runs above the edge diverge and stop early: EDGE_RUN_FRACTION of a full run each, measured
  cost: (j) => EDGE_RUN_FRACTION * (j.bisections + 2) * mlpRunSeconds(j),
  run: (j, { masterSeed, replicate }) => {
    const target = parseLink(j.target).f;
    const stable = (eta: number) => !trainMlpJs({ shape: { d: j.d, N: j.N, L: j.L }, gamma: j.gamma, eta, steps: j.steps, batch: j.batch, target, seed: mlpSeed(masterSeed, replicate), recordAt: [j.steps] }).diverged;
    let lo = j.lo, hi = j.hi;
    // widen the bracket by decades until it holds the edge (at most 6 decades either way)
    for (let i = 0; i < 6 && !stable(lo); i++) { hi = lo; lo /= 10; }
    for (let i = 0; i < 6 && stable(hi); i++) { lo = hi; hi *= 10; }
    if (!stable(lo) || stable(hi)) return { gamma: j.gamma, etaMax: null, bracket: [lo, hi] };
    for (let i = 0; i < j.bisections; i++) { const mid = Math.sqrt(lo * hi); if (stable(mid)) lo = mid; else hi = mid; }
    return { gamma: j.gamma, etaMax: Math.sqrt(lo * hi), bracket: [lo, hi] };
  },
});

/** The jobs of the experiment, by part, and the sweep's job list (one definition for the run and the estimate). */
function featureStrengthParts(c: FeatureStrengthConfig) {
  const etas = logspace(c.toy.etaMin, c.toy.etaMax, c.toy.etasPerDecade);
  const rowJobs = c.toy.Ls.flatMap((L) => c.toy.gammas.map((gamma): ToyRowJob => ({ L, gamma, etas, budget: c.toy.budget, bisectionSteps: c.toy.bisectionSteps, etasPerDecade: c.toy.etasPerDecade })));
  const cl = c.toy.collapse, taus = Array.from({ length: 41 }, (_, i) => (i / 40) * 2 * Math.min(tauStar(cl.L), 5));
  const collapseJobs = cl.gammas.map((gamma): CollapseJob => ({ L: cl.L, gamma, etaFraction: cl.etaFraction, taus }));
  const tr = c.toy.triangle, triGammas = logspace(1e-3, 1e7, 2), triEtas = logspace(1e-8, 1e4, 4);
  const triangleJobs = triGammas.map((gamma): TriangleRowJob => ({ L: tr.L, T: tr.T, gamma, etas: triEtas }));
  const minGammas = logspace(tr.scalingFrom, tr.scalingTo, tr.scalingPerDecade);
  const minJobs = minGammas.map((gamma): MinStepsJob => ({ L: tr.L, gamma, perDecade: 16, cap: 1e7 }));
  const o = c.mlp;
  const mlpJobs: MlpJob[] = o ? o.gammas.flatMap((gamma) => o.etas.map((eta): MlpJob => ({
    d: o.d, N: o.N, L: o.L, batch: o.batch, steps: o.steps, target: o.target, gamma, eta,
    backend: o.backend === "js64" || (o.backend === "auto" && gamma < o.float64Below) ? "js64" : "tfjs",
  }))) : [];
  const edgeJobs: MlpEdgeJob[] = o && o.edgeGammas.length ? o.edgeGammas.map((gamma) => {
    // start from the lazy (2γ²) / rich (2γ^{2/L}) guess of the toy; the bracket widens itself when wrong
    const guess = gamma < 1 ? gamma * gamma : Math.pow(gamma, 2 / o.L);
    return { d: o.d, N: o.N, L: o.L, batch: o.batch, steps: o.steps, target: o.target, gamma, lo: guess / 10, hi: guess * 10, bisections: o.edgeBisections };
  }) : [];
  const seeds = o?.seeds ?? 1;
  const jobs = [
    ...rowJobs.map((config) => ({ kind: toyRowJob.name, config, replicates: 1 })),
    ...collapseJobs.map((config) => ({ kind: collapseJob.name, config, replicates: 1 })),
    ...triangleJobs.map((config) => ({ kind: triangleRowJob.name, config, replicates: 1 })),
    ...minJobs.map((config) => ({ kind: minStepsJob.name, config, replicates: 1 })),
    ...mlpJobs.map((config) => ({ kind: mlpJob.name, config, replicates: seeds })),
    ...edgeJobs.map((config) => ({ kind: mlpEdgeJob.name, config, replicates: o!.edgeSeeds })),
  ];
  return { rowJobs, collapseJobs, triangleJobs, minJobs, mlpJobs, edgeJobs, jobs, o, tr, cl, taus, triGammas, triEtas, etas, minGammas, seeds };
}

/** The sweep's jobs of a configuration (kind, configuration, replicates). */
export const featureStrengthJobs = (c: FeatureStrengthConfig) => featureStrengthParts(c).jobs;

/**
 * The optimization landscape across the feature-learning strength γ (Atanasov et al., arXiv 2410.04642; notes §3.5),
 * run as a job sweep (resume, shards, workers): the depth-L toy chain over γ × η with η_max by bisection, the
 * τ-collapse, the triangle map and N*(γ), then the centred μP MLP grid and its bisected edges. Until every job is on
 * disk, `toy` and `mlp` are null and the only claim is the partial-sweep one.
 * @throws InputError for a non-positive γ or η, a depth, width, budget or seed count out of range, eta-max <= eta-min,
 *   an MLP target that does not parse or is not a single-index link, or a sweep directory that holds a different sweep.
 */
export async function runFeatureStrength(c: FeatureStrengthConfig, progress?: (m: string) => void, sweep: ExperimentSweepOptions = {}): Promise<FeatureStrengthResult> {
  validateFeatureStrength(c);
  const t0 = performance.now();
  const { rowJobs, collapseJobs, triangleJobs, minJobs, mlpJobs, edgeJobs, jobs, o, tr, cl, taus, triGammas, triEtas, etas, minGammas, seeds } = featureStrengthParts(c);
  let lastShown = -1;
  const swept = await runJobSweep({
    command: "simulate feature-strength", masterSeed: o?.seed ?? 4004, workers: sweep.workers ?? 0, dir: sweep.dir, shard: sweep.shard ?? null,
    resume: sweep.resume || !!sweep.shard, jobs, meta: { experiment: "feature-strength", config: c },
    onProgress: (done, total, work) => {
      sweep.onProgress?.(done, total, work);
      const tenth = Math.floor((10 * done) / Math.max(1, total));
      if (progress && tenth !== lastShown) { lastShown = tenth; progress(`feature-strength: ${done}/${total} jobs`); }
    },
  });
  const sweepInfo = { computed: swept.computed, skipped: swept.skipped, total: swept.total, dir: sweep.dir ?? null, complete: swept.complete };
  const paper = "Atanasov, Meterez, Simon, Pehlevan, The optimization landscape of SGD across the feature learning strength, arXiv 2410.04642 (ICLR 2025), abstract and §4 toy; toy reconstruction of theory notes §3.5";
  if (!swept.complete) {
    return { experiment: "feature-strength", paper, config: c, toy: null, mlp: null, sweep: sweepInfo, claims: [partialClaim(swept.records.length, swept.manifest, sweep.shard ?? null)], seconds: (performance.now() - t0) / 1000 };
  }
  const byId = groupRecords(swept.records);
  let offset = 0;
  const take = <R>(n: number): R[][] => { const out = swept.ids.slice(offset, offset + n).map((id) => (byId.get(id) ?? []).map((r) => r.result as R)); offset += n; return out; };
  const rows = take<{ grid: ToyGridPoint[]; etaMax: ToySummary["etaMax"][number]; etaStar: number | null }>(rowJobs.length).map((x) => x[0]!);
  const collapses = take<{ row: ToySummary["collapse"]["rows"][number]; curve: (number | null)[] }>(collapseJobs.length).map((x) => x[0]!);
  const triRows = take<{ row: string; first: number | null }>(triangleJobs.length).map((x) => x[0]!);
  const minSteps = take<{ gamma: number; steps: number | null; eta: number | null; scanned: number }>(minJobs.length).map((x) => x[0]!);
  const mlpRuns = take<{ backend: string; backendDetail: string | null; diverged: boolean; finalLoss: number | null }>(mlpJobs.length);
  const edges = take<{ gamma: number; etaMax: number | null; bracket: [number, number] }>(edgeJobs.length);

  const grid = rows.flatMap((r) => r.grid), etaMax = rows.map((r) => r.etaMax);
  const etaStar = rows.map((r) => ({ L: r.etaMax.L, gamma: r.etaMax.gamma, eta: r.etaStar }));
  const slopes: ToySummary["slopes"] = [];
  for (const L of c.toy.Ls) {
    const rs = etaMax.filter((r) => r.L === L && Number.isFinite(r.measured));
    const small = rs.filter((r) => r.gamma <= c.toy.smallMax), large = rs.filter((r) => r.gamma >= c.toy.largeMin);
    slopes.push({ L, regime: "lazy", predicted: 2, fit: small.length >= 3 ? linearFit(small.map((r) => Math.log(r.gamma)), small.map((r) => Math.log(r.measured))) : null });
    slopes.push({ L, regime: "ultra-rich", predicted: 2 / L, fit: large.length >= 3 ? linearFit(large.map((r) => Math.log(r.gamma)), large.map((r) => Math.log(r.measured))) : null });
  }
  const collapseRows = collapses.map((x) => x.row);
  const curves = collapses.map((x) => x.curve.map((v) => v ?? NaN));
  const spread = curves.slice(1).map((cur, i) => Math.max(...cur.map((v, j) => Math.abs(v - curves[i]![j]!))));
  const map = triRows.map((r, i) => `gamma=${triGammas[i]!.toExponential(0).padStart(6)} ${r.row}`);
  const etaMinRows = triRows.map((r, i) => ({ gamma: triGammas[i]!, eta: r.first }));
  const gammaC = triRows.reduce<number | null>((g, r, i) => (r.first !== null ? triGammas[i]! : g), null);
  const ts = tauStar(tr.L);
  const predictedGammaC = Number.isFinite(ts) ? Math.pow((2 * tr.T) / (tr.L * ts), tr.L / (tr.L - 2)) : Infinity;
  const scaling = triangleScaling(tr, minSteps);

  const mlp = o ? await mlpSummary(c, mlpJobs, mlpRuns, edges) : null;
  const claims = featureClaims(c, slopes, collapseRows, tr, gammaC, predictedGammaC, scaling, mlp);
  return {
    experiment: "feature-strength", paper, config: c,
    toy: {
      grid, etaMax, etaStar, slopes,
      collapse: { L: cl.L, tauStar: tauStar(cl.L), rows: collapseRows, spread },
      triangle: { L: tr.L, T: tr.T, map: [`eta from ${triEtas[0]!.toExponential(0)} to ${triEtas[triEtas.length - 1]!.toExponential(0)}, 4 per decade (# optimizable, . not converged within T, x diverged)`, ...map], gammaC, predictedGammaC, etaMin: etaMinRows, scaling },
    },
    mlp, sweep: sweepInfo, claims, seconds: (performance.now() - t0) / 1000,
  };
}

/** Fit of log N*(γ) vs log γ at large γ, and γ_c(T) read off N* for the map's budget. */
function triangleScaling(tr: FeatureStrengthConfig["toy"]["triangle"], minSteps: { gamma: number; steps: number | null; eta: number | null; scanned: number }[]): TriangleScaling {
  const pts = minSteps.filter((m) => m.steps !== null && m.gamma >= tr.fitFrom) as { gamma: number; steps: number; eta: number }[];
  const fit = pts.length >= 3 ? linearFit(pts.map((m) => Math.log(m.gamma)), pts.map((m) => Math.log(m.steps))) : null;
  const ts = tauStar(tr.L);
  // N*(γ) η_rich(γ) / (τ* γ): the constant the ≍ estimate sets to 1 (η_min = τ*γ/T at η_max = 2γ^{2/L}/L)
  const constants = minSteps.map((m) => ({ gamma: m.gamma, C: m.steps === null ? null : (m.steps * predictedEtaMax(m.gamma, tr.L).rich) / (ts * m.gamma) }));
  // γ_c(T): log-log interpolation of N* = T between consecutive scanned γ
  let gammaC: number | null = null;
  for (let i = 1; i < minSteps.length; i++) {
    const a = minSteps[i - 1]!, b = minSteps[i]!;
    if (a.steps !== null && b.steps !== null && a.steps <= tr.T && b.steps > tr.T) {
      const u = Math.log(tr.T / a.steps) / Math.log(b.steps / a.steps);
      gammaC = a.gamma * Math.pow(b.gamma / a.gamma, u);
    }
  }
  const last = constants.filter((x) => x.C !== null).pop();
  return { minSteps, fit, predictedSlope: 1 - 2 / tr.L, constant: last?.C ?? null, constants, gammaCFromMinSteps: gammaC };
}

export interface TriangleScaling {
  /** N*(γ) = fewest GD steps to the tolerance over all η, and the η achieving it. */
  readonly minSteps: { gamma: number; steps: number | null; eta: number | null; scanned: number }[];
  readonly fit: LinearFit | null;
  readonly predictedSlope: number;
  /** N* η_max^{rich} / (τ* γ) at the largest γ: the O(1) constant the ≍ estimate of γ_c sets to 1. */
  readonly constant: number | null;
  /** The same constant at every scanned γ (it tends to 1 as γ grows when the ≍ estimate is asymptotically exact). */
  readonly constants: { gamma: number; C: number | null }[];
  readonly gammaCFromMinSteps: number | null;
}

async function mlpSummary(
  c: FeatureStrengthConfig, jobs: MlpJob[], results: { backend: string; backendDetail: string | null; diverged: boolean; finalLoss: number | null }[][],
  edges: { gamma: number; etaMax: number | null; bracket: [number, number] }[][],
): Promise<NonNullable<FeatureStrengthResult["mlp"]>> {
  const o = c.mlp!;
  // a grid point diverges when more than half its seeds diverged; its loss is the median over the seeds
  const runs = jobs.map((j, i) => {
    const rs = results[i]!;
    const losses = rs.map((r) => r.finalLoss ?? Infinity);
    const diverged = rs.filter((r) => r.diverged).length * 2 > rs.length;
    const m = median(losses);
    return { gamma: j.gamma, eta: j.eta, backend: rs[0]!.backend, diverged, finalLoss: diverged || !Number.isFinite(m) ? null : m, seeds: rs.length, divergedSeeds: rs.filter((r) => r.diverged).length };
  });
  const backends = [...new Set(runs.map((r) => r.backend))];
  const etaMaxGrid = o.gammas.map((gamma) => {
    const ok = runs.filter((r) => r.gamma === gamma && !r.diverged).map((r) => r.eta);
    return { gamma, eta: ok.length ? Math.max(...ok) : null };
  });
  const etaStar = o.gammas.map((gamma) => {
    const ok = runs.filter((r) => r.gamma === gamma && r.finalLoss != null);
    if (!ok.length) return { gamma, eta: null, loss: null };
    const b = ok.reduce((x, y) => (y.finalLoss! < x.finalLoss! ? y : x));
    return { gamma, eta: b.eta, loss: b.finalLoss };
  });
  // the boundary: bisected edges (median over seeds) where they were run, else the grid values
  const bisected = o.edgeGammas.map((gamma, i) => {
    const v = edges[i]!.map((e) => e.etaMax ?? NaN).filter(Number.isFinite);
    return { gamma, eta: v.length * 2 > edges[i]!.length ? median(v) : null, seeds: edges[i]!.map((e) => e.etaMax) };
  });
  const boundary = bisected.length ? bisected : etaMaxGrid;
  const fitOn = (sel: (g: number) => boolean) => {
    const pts = boundary.filter((r) => r.eta != null && sel(r.gamma));
    return pts.length >= 3 ? linearFit(pts.map((r) => Math.log(r.gamma)), pts.map((r) => Math.log(r.eta!))) : null;
  };
  const usedTf = runs.some((r) => r.backend !== "js-float64");
  const tfDetail = results.flat().find((r) => r.backend !== "js-float64")?.backendDetail ?? null;
  const tfBackend = usedTf ? await loadTf().then(({ backend, detail, skipped }) => ({ backend, detail: tfDetail ?? detail, skipped })) : null;
  return {
    backends, tfBackend, runs, etaMax: etaMaxGrid, etaMaxBisected: bisected, etaStar,
    slopes: [
      { regime: "lazy", predicted: 2, fit: fitOn((g) => g <= o.lazyMax) },
      { regime: "ultra-rich", predicted: 2 / o.L, fit: fitOn((g) => g >= o.richMin) },
    ],
    note: `${bisected.length ? `η_max(γ) by bisection in log η (${o.edgeBisections} halvings of a decade-wide bracket, float64 reference trainer, ${o.edgeSeeds} seed(s), median over seeds); ` : `η grid resolution ${(Math.log10(o.etas[1]! / o.etas[0]!) || 1).toFixed(2)} decades: η_max is the largest non-diverging grid value, so the fitted slopes carry that quantisation; `}lazy fit over γ ≤ ${o.lazyMax}, ultra-rich over γ ≥ ${o.richMin}; divergence = test loss > 1e8 within ${o.steps} steps; landscape grid on float32 TensorFlow.js${tfBackend ? ` (${tfBackend.backend}: ${tfBackend.detail}${tfBackend.skipped.length ? `; skipped ${tfBackend.skipped.map((k) => `${k.name}: ${k.reason}`).join("; ")}` : ""})` : ""} except float64 reference where γ < ${o.float64Below}`,
  };
}

function fmt(f: LinearFit | null): string {
  return f ? `slope ${f.slope.toFixed(3)} (95% CI [${f.slopeCI[0].toFixed(3)}, ${f.slopeCI[1].toFixed(3)}], n = ${f.n})` : "not enough points";
}

function featureClaims(
  c: FeatureStrengthConfig, slopes: ToySummary["slopes"], collapse: ToySummary["collapse"]["rows"],
  tr: FeatureStrengthConfig["toy"]["triangle"], gammaC: number | null, predictedGammaC: number, scaling: TriangleScaling, mlp: FeatureStrengthResult["mlp"],
): ClaimVerdict[] {
  const out: ClaimVerdict[] = [];
  for (const s of slopes) {
    const ok = s.fit != null && Math.abs(s.fit.slope - s.predicted) <= 0.1;
    out.push({
      id: `004.toy.etamax-${s.regime}-L${s.L}`, statement: `toy chain, depth ${s.L}: η_max ∝ γ^${s.predicted === 2 ? "2" : `(2/${s.L})`} for ${s.regime === "lazy" ? "γ ≪ 1" : "γ ≫ 1"}`,
      source: "arXiv 2410.04642 abstract (η* ∝ γ², γ^{2/L}); toy and η_max = 2γ²/L, 2γ^{2/L}/L from theory notes §3.5 [derived here]",
      predicted: `slope ${s.predicted.toFixed(3)} ± 0.1`, measured: fmt(s.fit),
      verdict: s.fit == null ? "inconclusive" : ok ? "pass" : "fail", reason: s.fit == null ? "fewer than 3 γ in the regime" : "bisected edge of convergence, OLS over the regime's γ",
    });
  }
  const last = collapse[collapse.length - 1];
  const relErr = collapse.map((r) => (r.escapeTau == null ? Infinity : Math.abs(r.escapeTau - r.predictedEscapeTau) / r.predictedEscapeTau));
  out.push({
    id: "004.toy.tau-collapse", statement: "plateau escape collapses in τ = ηt/γ and tends to τ* = 1/(L−2) as γ grows",
    source: "arXiv 2410.04642 [reported-2nd: collapse in τ = ηt/γ]; τ* from theory notes §3.5 [derived here]",
    predicted: `escape τ = gradient-flow value (→ τ* = ${tauStar(c.toy.collapse.L).toFixed(3)}), relative error < 5%`,
    measured: collapse.map((r) => `γ=${r.gamma.toExponential(0)}: τ_esc ${r.escapeTau?.toFixed(4) ?? "none"} (flow ${r.predictedEscapeTau.toFixed(4)})`).join("; "),
    verdict: relErr.every((e) => e < 0.05) ? "pass" : "fail", reason: `largest relative error ${Math.max(...relErr).toExponential(1)}; last γ escape ${last.escapeTau?.toFixed(4)} vs τ* ${tauStar(c.toy.collapse.L).toFixed(4)}`,
  });
  const ratio = gammaC == null ? NaN : gammaC / predictedGammaC;
  const sc = scaling, C = sc.constant, exp = tr.L / (tr.L - 2);
  // The closure law is tested through its exponent (γ_c ∝ T^{L/(L−2)} ⇔ N*(γ) ∝ γ^{1−2/L}); the prefactor of the ≍
  // estimate is O(1) and enters γ_c raised to the power L/(L−2), so a constant C in N* = C τ*γ/η_max moves γ_c by C^{L/(L−2)}.
  const slopeOk = sc.fit != null && Math.abs(sc.fit.slope - sc.predictedSlope) <= 0.05;
  out.push({
    id: "004.toy.triangle", statement: `the optimizable region for a budget of T steps closes at γ_c(T) ∝ T^{L/(L−2)} (L = ${tr.L}): the fewest steps over η, N*(γ), grows as γ^{1−2/L}`,
    source: "theory notes §3.5 [derived here] from η_min ≈ τ*γ/T and η_max ≈ 2γ^{2/L}/L; the paper's triangle figure was not read in primary form",
    predicted: `slope of log N* vs log γ = ${sc.predictedSlope.toFixed(3)} ± 0.05 for γ ≥ ${tr.fitFrom.toExponential(0)}; prefactor: γ_c(${tr.T}) ≍ ${predictedGammaC.toExponential(2)} up to C^{-${exp.toFixed(0)}}`,
    measured: `${sc.fit ? `slope ${sc.fit.slope.toFixed(3)} (95% CI [${sc.fit.slopeCI[0].toFixed(3)}, ${sc.fit.slopeCI[1].toFixed(3)}], n = ${sc.fit.n})` : "too few γ"}; N*(γ): ${sc.minSteps.filter((_, i) => i % 2 === 0).map((m) => `${m.gamma.toExponential(0)}:${m.steps ?? "none"}`).join(" ")}; C = N*η_max/(τ*γ) = ${C?.toFixed(2) ?? "n/a"} at the largest γ; γ_c(${tr.T}) = ${sc.gammaCFromMinSteps?.toExponential(2) ?? "n/a"} from N* (map: largest optimizable γ ${gammaC?.toExponential(0) ?? "none"}, ratio to the ≍ estimate ${Number.isFinite(ratio) ? ratio.toExponential(1) : "n/a"})`,
    verdict: sc.fit == null ? "inconclusive" : slopeOk ? "pass" : "fail",
    reason: `${sc.fit == null ? "fewer than 3 γ with a finite N*" : slopeOk ? "closure exponent as predicted" : "closure exponent off"}; C(γ) = N*η_max/(τ*γ): ${sc.constants.filter((_, i) => i % 2 === 0).map((x) => `${x.gamma.toExponential(0)}:${x.C?.toFixed(2) ?? "-"}`).join(" ")} (→ 1: the ≍ estimate is asymptotically exact, and at finite γ the fewest steps exceed it by C, which lowers γ_c by about C^{${exp.toFixed(0)}}). The map's closure sits lower still because near γ_c the optimizable η window is narrower than its quarter-decade η spacing; γ_c from N* has no such quantisation`,
  });
  if (mlp) {
    for (const s of mlp.slopes) {
      const tol = s.regime === "lazy" ? 0.3 : 0.2;
      const f = s.fit;
      const width = f ? f.slopeCI[1] - f.slopeCI[0] : Infinity;
      const verdict = f == null || !Number.isFinite(width) || width > 4 * tol ? "inconclusive" : Math.abs(f.slope - s.predicted) <= tol ? "pass" : "fail";
      out.push({
        id: `004.mlp.etamax-${s.regime}`, statement: `centred μP MLP (L = ${c.mlp!.L}, N = ${c.mlp!.N}) on ${c.mlp!.target}: divergence boundary slope in γ`,
        source: "arXiv 2410.04642 abstract (η* ∝ γ² / γ^{2/L}); extrapolation to Gaussian index-model data is ours (theory notes §3.5)",
        predicted: `slope ${s.predicted.toFixed(3)} ± ${tol}`, measured: `${fmt(f)}; backends ${mlp.backends.join(", ")}`,
        verdict, reason: f == null ? "fewer than 3 γ with a non-diverging η" : `${mlp.etaMaxBisected.length ? "bisected edges" : "η quantised to the grid"}; γ ${s.regime === "lazy" ? `≤ ${c.mlp!.lazyMax}` : `≥ ${c.mlp!.richMin}`}; CI width ${width.toFixed(2)}`,
      });
    }
  }
  return out;
}
