/**
 * Named experiments reproducing the seed papers' figures at sizes that run in minutes on 2 cores, each with the
 * claims it checks. The papers' own sizes are stated in `paperSize`; --d, --p, --seeds override the preset.
 */
import type { GiantStepConfig, GiantStepResult } from "./giantStep.js";
import { GIANT_STEP_DEFAULTS } from "./giantStep.js";
import type { BatchReuseConfig, BatchReuseResult } from "./batchReuse.js";
import { BATCH_REUSE_DEFAULTS } from "./batchReuse.js";
import { closedFormVerdict, lessVerdict, predictionVerdict, scalingVerdict, showMeanSe, tCritical2, tCritical3, thresholdVerdict, welchDof, type ClaimVerdict } from "./claims.js";
import { firstStepEstimate } from "./firstStep.js";
import { checkBatchWork, meanSe, studentActivation, type MeanSe } from "./common.js";
import { giantSeedSeconds } from "./cost.js";
import { inBasis, targetBasis } from "./basis.js";
import { twoStepPrediction } from "./twoSteps.js";
import { onePassPrediction } from "./onePass.js";
import { multiPassDmft } from "./dmft.js";
import { compareCurves, type ComparedCurve, type CurveComparison } from "./publishedCurves.js";
import { referenceCurvesById } from "../../theory/references.js";

export interface PresetOverrides { readonly d?: number; readonly p?: number; readonly seeds?: number; readonly masterSeed?: number; readonly full?: boolean }

export interface Preset<C, R> {
  readonly name: string;
  readonly description: string;
  readonly paperSize: string;
  readonly runs: (o: PresetOverrides) => { tag: string; config: C }[];
  readonly judge: (results: Map<string, R>) => ClaimVerdict[];
  /** Published curves beside index-lab's, with pair verdicts (presets that have reference curves in theory/). */
  readonly compare?: (results: Map<string, R>) => CurveComparison[];
}

export type GiantStepPreset = Preset<GiantStepConfig, GiantStepResult>;
export type BatchReusePreset = Preset<BatchReuseConfig, BatchReuseResult>;

const SEED001 = "Dandi, Krzakala, Loureiro, Pesce, Stephan, arXiv 2305.18270";
const SEED002 = "Dandi, Troiani, Arnaboldi, Pesce, Zdeborova, Krzakala, arXiv 2402.03220";

/** E|cos(v, u)| for a uniformly random unit v in R^d and a fixed unit u: sqrt(2/(pi d)) to leading order. */
const nullCosine = (d: number) => Math.sqrt(2 / (Math.PI * d));

const H_TWO_INDEX = "0.5*(He(4,z1)/24 + He(2,z1)/2 + He(1,z1) + He(4,z2)/24 + He(2,z2)/2 + He(1,z2))";

/**
 * The saved outputs of the authors' GiantStep notebook (github.com/lucpoisson/GiantStep @ 74e72d9,
 * single_step/single_step.ipynb, output of the cell "iterate over array of sample sizes"): test error, mean and
 * np.std (ddof 0) over 10 seeds, d = 512, p = 1024, n = np.logspace(1.3, 2, 3, base = d, dtype = int).
 * Transcribed numbers, not the notebook.
 */
export const NOTEBOOK_TEST_ERRORS = [
  { exponent: 1.3, n: 3326, mean: 0.3360002036384977, std: 0.0063229646780440935, seconds: 41.7 },
  { exponent: 1.65, n: 29532, mean: 0.2067522390105553, std: 0.005893831748022804, seconds: 77.2 },
  { exponent: 2, n: 262144, mean: 0.07741778601141551, std: 0.002084362460098963, seconds: 445.0 },
] as const;
const NOTEBOOK_SOURCE = "github.com/lucpoisson/GiantStep @ 74e72d952a6b7d1df5eda2d89390ed8adac3f108, single_step/single_step.ipynb (saved outputs)";
/** The notebook's protocol, item by item, and why index-lab's default differs (printed with the preset). */
export const NOTEBOOK_PROTOCOL = [
  "W0 ~ N(0, I/d) rows and a ~ N(0, 1/p) drawn ONCE, shared by the 10 seeds (index-lab: drawn per seed, so its error bars include the initialisation)",
  "a Gaussian (index-lab default: alternating +-1/sqrt(p))",
  "eta = 10 sqrt(n p) (index-lab default: eta = p sqrt(n/d), eta0 = 1 in eta = Theta(p d^{(l-1)/2}); 7.1x smaller at d = 512, p = 1024)",
  "preprocessing y - A - Z B with A = mean(y), B = mean(y z) of the training batch (index-lab: B = mean((y - A) z), equal up to O(1/n))",
  "ridge refit of the second layer on the SAME training batch, on the preprocessed labels, without intercept, lambda = 1 on features relu(Z W1^T)/sqrt(p) (index-lab: a fresh batch of n samples, the raw labels, an unpenalised intercept)",
  "test prediction A_test + Z_test B_test + features w, with A_test, B_test estimated from the TEST labels (10^5 of them) (index-lab: nothing is estimated from the test labels; the linear part must be carried by the ReLU features)",
  "test error mean over seeds with np.std (index-lab: mean ± standard error)",
];
const NOTEBOOK_WHY = "index-lab's default refits on fresh data and never looks at test labels, so its test error is an out-of-sample error of the network itself; the notebook gives the predictor the linear part of the test labels (an in-sample fit of d + 1 parameters on the test set), which matters most at n = d^1.3, where the one-step features have learned only C1 and the linear part is most of what is learned";

/** Seeds of the default notebook preset (the notebook's own 10 with --full): a run of about 80 CPU-seconds. */
export const NOTEBOOK_DEFAULT_SEEDS = 4;

/**
 * The notebook's runs at its d, p, n and 10^5 test samples (the test-side fit of d + 1 parameters biases the error by
 * O(d/nTest), so nTest is never reduced): n = d^1.3 and d^1.65 with 4 seeds by default; --full adds n = d^2 and
 * uses the notebook's 10 seeds. Plus index-lab's protocol at n = d^1.3 for contrast.
 */
function notebookRuns(o: PresetOverrides): { tag: string; config: GiantStepConfig }[] {
  const d = o.d ?? 512, p = o.p ?? 2 * d, seeds = o.seeds ?? (o.full ? 10 : NOTEBOOK_DEFAULT_SEEDS);
  const ns = (o.full ? NOTEBOOK_TEST_ERRORS : NOTEBOOK_TEST_ERRORS.slice(0, 2)).map((x) => ({ l: x.exponent, n: d === 512 ? x.n : Math.floor(d ** x.exponent) }));
  const notebook = ns.map(({ l, n }) => ({
    tag: `notebook/n=d^${l}`,
    config: { ...GIANT_STEP_DEFAULTS, target: H_TWO_INDEX, d, p, n, nRefit: n, nTest: 100000, steps: 1, preprocess: true, ridge: 1, eta: "10*sqrt(n*p)", secondLayer: "gaussian" as const, init: "random" as const, seeds, masterSeed: o.masterSeed ?? 1, protocol: "notebook" as const },
  }));
  const n13 = ns[0]!.n;
  return [...notebook, {
    tag: "index-lab/n=d^1.3",
    config: { ...GIANT_STEP_DEFAULTS, target: H_TWO_INDEX, d, p, n: n13, nRefit: n13, steps: 1, preprocess: true, ridge: 1, seeds, masterSeed: o.masterSeed ?? 1 },
  }];
}

/** Multiply-adds of a list of runs (checkBatchWork, the cap) and their CPU-minutes by the batch cost model (cost.ts). */
export function runsCost(runs: { config: GiantStepConfig }[]): { multiplyAdds: number; cpuMinutes: number } {
  const multiplyAdds = runs.reduce((w, r) => w + checkBatchWork(r.config), 0);
  return { multiplyAdds, cpuMinutes: runs.reduce((s, r) => s + r.config.seeds * giantSeedSeconds(r.config), 0) / 60 };
}

const costText = (o: PresetOverrides) => {
  const c = runsCost(notebookRuns(o));
  return `${c.multiplyAdds.toExponential(1)} multiply-adds, about ${c.cpuMinutes.toPrecision(2)} CPU-min by the batch cost model`;
};

/**
 * The seed-001 presets (Dandi et al. 2023, arXiv 2305.18270): `learning-curve` (one step at n = d^1.3, d^1.65, d^2
 * against the random-features and linear baselines) and `staircase` (three steps with and without a linear connection
 * to the second direction), each with its runs and the claims it judges.
 */
export const GIANT_STEP_PRESETS: GiantStepPreset[] = [
  {
    name: "learning-curve",
    description: "one step with preprocessing on 0.5*(h(z1)+h(z2)), h = He4/24 + He2/2 + He1, ReLU, ridge lambda = 1, n = d^1.3, d^1.65, d^2",
    paperSize: "d = 512, p = 1024, 10 seeds (preset: d = 256, p = 512, 3 seeds)",
    runs: (o) => {
      const d = o.d ?? 256;
      return [1.3, 1.65, 2].map((l) => {
        const n = Math.round(d ** l);
        return {
          tag: `n=d^${l}`,
          config: {
            ...GIANT_STEP_DEFAULTS, target: H_TWO_INDEX, d, p: o.p ?? 2 * d, n, nRefit: n, steps: 1, preprocess: true,
            ridge: 1, seeds: o.seeds ?? 3, masterSeed: o.masterSeed ?? 1,
          },
        };
      });
    },
    judge: (res) => {
      const lo = res.get("n=d^1.3")!, hi = res.get("n=d^2")!;
      const d = lo.config.d, null0 = nullCosine(d);
      const out: ClaimVerdict[] = [];
      if (lo.summary) {
        const c1 = thresholdVerdict(lo.summary.updateCosines[0]!, 2 * null0, "above", "mean |cos(dw_i, C1)| at n = d^1.3");
        const perp = thresholdVerdict(lo.summary.updateCosines[1]!, 2 * null0, "below", "mean |cos(dw_i, C1perp)| at n = d^1.3");
        const both = c1.verdict === "consistent" && perp.verdict === "consistent" ? "consistent" : c1.verdict === "inconsistent" || perp.verdict === "inconsistent" ? "inconsistent" : "inconclusive";
        out.push({ claim: "n = Theta(d): one step learns only the first-Hermite direction C1", source: `${SEED001}, abstract; notes §3.2 claim 1`, verdict: both, evidence: `${c1.evidence}; ${perp.evidence}; null level 2*sqrt(2/(pi d)) = ${(2 * null0).toFixed(3)}` });
      }
      if (hi.summary) {
        const spec = thresholdVerdict(hi.summary.updateCosines[1]!, 2 * null0, "above", "mean |cos(dw_i, C1perp)| at n = d^2");
        out.push({ claim: "n = Theta(d^2): neurons specialise to the second-order direction (C1perp)", source: `${SEED001}, abstract`, ...spec });
        const lin = lessVerdict(hi.summary.testMSE, hi.summary.linearMSE, ["test MSE after one step", "linear baseline"]);
        out.push({ claim: "n = Theta(d^2): test error below the linear baseline", source: `${SEED001}; notes §3.2 claim 5`, ...lin });
        const rf = lessVerdict(hi.summary.testMSE, hi.summary.randomFeaturesMSE, ["test MSE after one step", "random features"]);
        out.push({ claim: "n = Theta(d^2): test error below random features (no step)", source: `${SEED001}, abstract`, ...rf });
      }
      return out;
    },
  },
  {
    name: "staircase",
    description: "three fresh-batch steps at n = 4d without preprocessing, eta = p sqrt(n/d) (eta0 = 1 in the paper's eta = Theta(p d^{(l-1)/2})): 0.5*(z1 + z1^2 + z2 - z2^2) (linear connection: given u = (z1+z2)/sqrt2, E[f v | u] = u) vs 0.5*(z1 + z1^2 + z2 + z2^2) (v only through v^2), at d and 8d",
    paperSize: "paper's multi-step figure sizes and eta not read (preset: d in {64, 512} (--d D: {D, 8D}), p = 256, 3 seeds)",
    runs: (o) => {
      const d1 = o.d ?? 64;
      return [d1, 8 * d1].flatMap((d) => {
        const base = { ...GIANT_STEP_DEFAULTS, d, p: o.p ?? 256, n: 4 * d, nRefit: 4 * d, steps: 3, preprocess: false, seeds: o.seeds ?? 3, masterSeed: o.masterSeed ?? 1 };
        return [
          { tag: `connected/d=${d}`, config: { ...base, target: "0.5*(z1 + z1^2 + z2 - z2^2)" } },
          { tag: `unconnected/d=${d}`, config: { ...base, target: "0.5*(z1 + z1^2 + z2 + z2^2)" } },
        ];
      });
    },
    judge: (res) => {
      const ds = [...new Set([...res.keys()].map((t) => Number(t.split("d=")[1])))].sort((x, y) => x - y);
      const d1 = ds[0]!, d2 = ds[ds.length - 1]!;
      const w = res.get(`connected/d=${d2}`)!, wo = res.get(`unconnected/d=${d2}`)!;
      const perp = (r: GiantStepResult, t: number): MeanSe | undefined => r.steps[t]?.basisRms[1];
      const out: ClaimVerdict[] = [];
      const w1 = perp(w, 1), wT = perp(w, w.steps.length - 1);
      if (w1 && wT) out.push({ claim: `staircase: with a linear connection, steps after the first gain overlap along C1perp (d = ${d2})`, source: `${SEED001}, abstract; notes §3.2 claim 3`, ...lessVerdict(w1, wT, ["RMS C1perp overlap after step 1", `after step ${w.steps.length - 1}`]) });
      if (w.summary && wo.summary) out.push({ claim: `without the linear connection the C1perp direction is not learned in O(1) steps at n = Theta(d) (d = ${d2})`, source: `${SEED001}; notes §3.2 claim 2`, ...lessVerdict(wo.summary.updateCosines[1]!, w.summary.updateCosines[1]!, ["mean |cos(dw_i, C1perp)|, unconnected", "connected"]) });
      // d-scaling of the (scale-free) update cosine with C1perp: Theta(1) when learned, like a random direction (sqrt(2/(pi d))) when not
      for (const [tag, exp] of [["connected", "theta1"], ["unconnected", "decays"]] as const) {
        const a = res.get(`${tag}/d=${d1}`)?.summary, b = res.get(`${tag}/d=${d2}`)?.summary;
        if (a && b && d1 !== d2) out.push({ claim: `staircase, ${tag}: mean |cos(dw_i, C1perp)| after ${w.steps.length - 1} steps is ${exp === "theta1" ? "Theta(1)" : "O(d^-1/2)"}`, source: `${SEED001}; notes §3.2 claims 2-3`, ...scalingVerdict(a.updateCosines[1]!, b.updateCosines[1]!, d1, d2, exp) });
      }
      return out;
    },
  },
  {
    name: "notebook",
    description: `the protocol of the authors' GiantStep notebook (${NOTEBOOK_SOURCE}): one step with preprocessing on 0.5*(h(z1)+h(z2)), h = He4/24 + He2/2 + He1, ReLU, d = 512, p = 1024, eta = 10 sqrt(n p), ridge refit on the training batch, the test-side mean and linear part estimated from the test labels; protocol: ${NOTEBOOK_PROTOCOL.join("; ")}. Why index-lab's default differs: ${NOTEBOOK_WHY}`,
    paperSize: `notebook: d = 512, p = 1024, n = d^1.3, d^1.65, d^2, 10 seeds, 10^5 test samples. Preset: the notebook's d, p, n and test size at n = d^1.3 and d^1.65 with ${NOTEBOOK_DEFAULT_SEEDS} seeds (each compared with the notebook's value at the same size, by a Welch t test), plus index-lab's protocol at n = d^1.3: ${costText({})}. --full: the notebook's 10 seeds and n = d^2 = 262144 too: ${costText({ full: true })} (one process, so about that in wall time on an idle machine; resumable with --out/--resume)`,
    runs: notebookRuns,
    judge: (res) => {
      const out: ClaimVerdict[] = [];
      for (const pub of NOTEBOOK_TEST_ERRORS) {
        const r = res.get(`notebook/n=d^${pub.exponent}`);
        if (!r?.summary) continue;
        // the notebook's np.std has ddof 0: its se over 10 seeds is std * sqrt(10/9) / sqrt(10) = std / 3
        const published: MeanSe = { mean: pub.mean, se: pub.std / 3 };
        const ours = r.summary.testMSE, same = r.config.d === 512 && r.config.p === 1024, k = r.seedsCompleted;
        const z = (ours.mean - published.mean) / Math.hypot(ours.se, published.se);
        // two standard errors at the 2-sigma level of Student's t for the Welch degrees of freedom (few seeds: wider)
        const dof = welchDof(ours.se, k, published.se, 10), crit = tCritical2(dof);
        out.push({
          claim: `notebook protocol reproduces the notebook's saved test error at n = d^${pub.exponent} = ${pub.n} (d = 512, p = 1024) within two standard errors`,
          source: `${SEED001}; ${NOTEBOOK_SOURCE}`,
          verdict: !same || k < 2 || !Number.isFinite(z) ? "inconclusive" : Math.abs(z) <= crit ? "consistent" : "inconsistent",
          evidence: `index-lab, notebook protocol, d = ${r.config.d}, p = ${r.config.p}, n = ${r.config.n}, ${k} seeds: ${showMeanSe(ours)} vs notebook ${showMeanSe(published)} (10 seeds, np.std ${pub.std.toPrecision(3)} with ddof 0); z = ${z.toFixed(2)}, |z| <= ${crit.toFixed(2)} required (Student t at the 2-sigma level, Welch dof ${dof.toFixed(1)})${same ? "" : "; not the notebook's d and p, so no verdict"}${k < 2 ? "; one seed has no standard error, so no verdict" : ""}`,
        });
      }
      const lo = res.get("notebook/n=d^1.3")?.summary, il = res.get("index-lab/n=d^1.3")?.summary;
      if (lo && il) {
        out.push({
          claim: "at n = d^1.3 index-lab's protocol (fresh refit batch, intercept, nothing estimated from test labels) gives a higher test error than the notebook's",
          source: `${SEED001}; ${NOTEBOOK_SOURCE}; ${NOTEBOOK_WHY}`,
          ...lessVerdict(lo.testMSE, il.testMSE, ["notebook protocol", "index-lab protocol"]),
        });
      }
      return out;
    },
  },
];

/** Runs of a batch-reuse preset: every target x d x algorithm; --d D replaces the two sizes by {D, 4D}. */
/** --full of a batch-reuse preset: the paper's smallest and largest d ({1000, 5000} of {1000, 2000, 5000}) and 16 seeds. */
const PAPER_REUSE = { ds: [1000, 5000], seeds: 16 };

const reuseRuns = (targets: { tag: string; target: string; activation?: string }[], ds: number[], algorithms: BatchReuseConfig["algorithm"][], extra: Partial<BatchReuseConfig> = {}, full: { ds: number[]; seeds: number } = PAPER_REUSE) =>
  (o: PresetOverrides) => targets.flatMap((tg) => (o.d ? [o.d, 4 * o.d] : o.full ? full.ds : ds).flatMap((d) => algorithms.map((algorithm) => ({
    tag: `${tg.tag}/${algorithm}/d=${d}`,
    config: { ...BATCH_REUSE_DEFAULTS, ...extra, target: tg.target, activation: tg.activation ?? extra.activation ?? BATCH_REUSE_DEFAULTS.activation, d, algorithm, p: o.p ?? extra.p ?? BATCH_REUSE_DEFAULTS.p, seeds: o.seeds ?? (o.full ? full.seeds : extra.seeds ?? BATCH_REUSE_DEFAULTS.seeds), masterSeed: o.masterSeed ?? 1 },
  }))));

/**
 * The setting of the authors' public code for the paper's figures (github.com/IdePHICS/benefit-reusing-batch,
 * simulation.py / simulations_PyTorch.py): ReLU student, eta = 0.2, lambda = 0 (no weight decay), p = 2,
 * a = +-1/sqrt(p) alternating, W0 orthogonal to W* (zero initial overlap), alpha = 5 (their data files: alpha = 3
 * and 5, T = 7, d = 5000 and 10000, 32 seeds). The figure captions of the paper itself were not available to us.
 */
const AUTHORS = { activation: "relu(z)", eta: "0.2", weightDecay: 0, p: 2, alpha: 5, secondLayer: "alternating" as const, init: "orthogonal" as const, nTest: 2048 };
const AUTHORS_CODE = "authors' code github.com/IdePHICS/benefit-reusing-batch (eta = 0.2, lambda = 0, p = 2, alpha = 5, ReLU)";

/** The two sizes d1 < d2 present among the runs of `tag` (tags are `${tag}/${algorithm}/d=${d}`). */
function sizes(res: Map<string, BatchReuseResult>, tag: string): [number, number] {
  const ds = [...new Set([...res.keys()].filter((t) => t.startsWith(`${tag}/`)).map((t) => Number(t.split("d=")[1])))].sort((x, y) => x - y);
  return [ds[0]!, ds[ds.length - 1]!];
}

/** Final-step RMS overlap statistic of a run (all target directions, or the C1-orthogonal part). */
const finalStat = (r: BatchReuseResult, which: "all" | "perp"): MeanSe => {
  const s = r.steps[r.steps.length - 1]!;
  return which === "all" ? s.overlapRms : s.perpRms;
};

/** Scaling verdicts for the RMS overlap at the last step between the two sizes of `tag`. */
function scalingClaims(res: Map<string, BatchReuseResult>, tag: string, expectation: Record<string, "theta1" | "decays">, which: "all" | "perp", claim: (alg: string, exp: string, T: number) => string): ClaimVerdict[] {
  const [d1, d2] = sizes(res, tag);
  return Object.entries(expectation).flatMap(([alg, exp]) => {
    const a = res.get(`${tag}/${alg}/d=${d1}`), b = res.get(`${tag}/${alg}/d=${d2}`);
    if (!a || !b || d1 === d2) return [];
    return [{ claim: claim(alg, exp, b.steps.length - 1), source: `${SEED002}; notes §3.3`, ...scalingVerdict(finalStat(a, which), finalStat(b, which), d1, d2, exp) }];
  });
}

/** The d = infinity two-step prediction for a run's configuration, as sign-coherent overlaps in the run's target basis. */
export function predictionFor(r: BatchReuseResult): { t1: number[]; t2: MeanSe[]; method: string } {
  return cached(predictionCache, r, "", () => predictionOf(r));
}

/**
 * The d = infinity predictions are deterministic functions of a run (fixed Monte Carlo seeds) and a preset's claims
 * ask for the same one several times: computed once per run (and Monte Carlo size).
 */
function cached<T>(cache: WeakMap<BatchReuseResult, Map<string, T>>, r: BatchReuseResult, key: string, make: () => T): T {
  let byKey = cache.get(r);
  if (!byKey) { byKey = new Map(); cache.set(r, byKey); }
  let v = byKey.get(key);
  if (v === undefined) { v = make(); byKey.set(key, v); }
  return v;
}
const predictionCache = new WeakMap<BatchReuseResult, Map<string, ReturnType<typeof predictionOf>>>();
const onePassCache = new WeakMap<BatchReuseResult, Map<string, ReturnType<typeof onePassOf>>>();
const dmftCache = new WeakMap<BatchReuseResult, Map<string, ReturnType<typeof dmftOf>>>();

function predictionOf(r: BatchReuseResult): { t1: number[]; t2: MeanSe[]; method: string } {
  const c = r.config, p = c.p;
  if (c.secondLayer !== "alternating" || c.init !== "orthogonal" || !(c.algorithm === "multi-pass" || c.algorithm === "one-pass")) {
    throw new RangeError("the two-step prediction is implemented for alternating a, zero initial overlap, multi-pass or one-pass");
  }
  const a = Array.from({ length: p }, (_, j) => (j % 2 === 0 ? 1 : -1) / Math.sqrt(p));
  const pr = twoStepPrediction({ target: c.target, activation: c.activation, a, alpha: c.alpha, eta: c.etaValue, weightDecay: c.weightDecay, algorithm: c.algorithm, samples: 2 ** 19 });
  const basis = targetBasis(c.targetMoments.c1), k = c.k;
  const signedInBasis = (m: number[][]) => {
    const acc = new Array<number>(k).fill(0);
    m.forEach((row, j) => inBasis(row, basis, k).forEach((v, q) => { acc[q] += (Math.sign(a[j]!) * v) / p; }));
    return acc;
  };
  // the Monte Carlo se of the signed combination is rotation-invariant in size: use its largest coordinate for every direction
  const se = Math.max(...pr.signed.t2.map((x) => x.se));
  return { t1: signedInBasis(pr.m1), t2: signedInBasis(pr.m2).map((mean) => ({ mean, se })), method: pr.method };
}

/**
 * The d = infinity one-pass trajectory (onePass.ts) for a one-pass run: sign-coherent overlaps per basis direction
 * and test error at t = 0..T, started from the run's measured mean initial Q (zero initial overlap).
 */
export function onePassFor(r: BatchReuseResult): { signed: number[][]; testMSE: number[]; se: number[]; method: string } {
  return cached(onePassCache, r, "", () => onePassOf(r));
}

function onePassOf(r: BatchReuseResult): { signed: number[][]; testMSE: number[]; se: number[]; method: string } {
  const c = r.config, p = c.p, k = c.k;
  if (c.secondLayer !== "alternating" || c.init !== "orthogonal" || c.algorithm !== "one-pass") {
    throw new RangeError("the one-pass trajectory is implemented for alternating a, zero initial overlap and one-pass GD");
  }
  const a = Array.from({ length: p }, (_, j) => (j % 2 === 0 ? 1 : -1) / Math.sqrt(p));
  const tr = onePassPrediction({ target: c.target, activation: c.activation, a, alpha: c.alpha, eta: c.etaValue, weightDecay: c.weightDecay, steps: r.steps.length - 1 });
  const basis = targetBasis(c.targetMoments.c1);
  const signed = tr.m.map((m) => {
    const acc = new Array<number>(k).fill(0);
    for (let j = 0; j < p; j++) inBasis(m.slice(j * k, j * k + k), basis, k).forEach((v, q) => { acc[q] += (Math.sign(a[j]!) * v) / p; });
    return acc;
  });
  // Monte Carlo error of the recursion: each step adds eta alpha |a| sd(r sigma' h*)/sqrt(N), sd(r sigma' h*) <~ sqrt(E r^2)
  const N = 2 ** 18, se = tr.testMSE.map((e0, t) => c.etaValue * c.alpha * Math.abs(a[0]!) * Math.sqrt((t * Math.max(e0, tr.testMSE[0]!)) / N));
  return { signed, testMSE: tr.testMSE, se, method: tr.method };
}

/**
 * The d = infinity multi-pass trajectory (DMFT, dmft.ts) for a multi-pass run: sign-coherent overlaps per basis
 * direction at t = 0..T, mean ± se over `mc.seeds` (default 3) independent Monte Carlo seeds of the DMFT with
 * `mc.samples` (default 2^15) samples each.
 */
export function dmftFor(r: BatchReuseResult, mc: { seeds?: number; samples?: number } = {}): { signed: MeanSe[][]; method: string } {
  return cached(dmftCache, r, `${mc.seeds ?? ""}/${mc.samples ?? ""}`, () => dmftOf(r, mc));
}

function dmftOf(r: BatchReuseResult, mc: { seeds?: number; samples?: number }): { signed: MeanSe[][]; method: string } {
  const c = r.config, p = c.p, k = c.k;
  if (c.secondLayer !== "alternating" || c.init !== "orthogonal" || c.algorithm !== "multi-pass") {
    throw new RangeError("the multi-pass DMFT is implemented for alternating a, zero initial overlap and multi-pass GD");
  }
  const a = Array.from({ length: p }, (_, j) => (j % 2 === 0 ? 1 : -1) / Math.sqrt(p));
  const basis = targetBasis(c.targetMoments.c1);
  const nSeeds = mc.seeds ?? 3, samples = mc.samples ?? 2 ** 15;
  const runs = Array.from({ length: nSeeds }, (_, i) => multiPassDmft({ target: c.target, activation: c.activation, a, alpha: c.alpha, eta: c.etaValue, weightDecay: c.weightDecay, steps: r.steps.length - 1, samples, seed: i + 1 }));
  const signedOf = (m: number[]) => {
    const acc = new Array<number>(k).fill(0);
    for (let j = 0; j < p; j++) inBasis(m.slice(j * k, j * k + k), basis, k).forEach((v, q) => { acc[q] += (Math.sign(a[j]!) * v) / p; });
    return acc;
  };
  const signed = r.steps.map((_, t) => {
    const per = runs.map((run) => signedOf(run.m[t]!));
    return Array.from({ length: k }, (_, q) => meanSe(per.map((x) => x[q]!)));
  });
  return { signed, method: `${runs[0]!.method}; mean ± se over ${nSeeds} Monte Carlo seeds` };
}

/** Seeds that reached step t (a diverged seed stops contributing at its divergence step). */
const aliveSeeds = (r: BatchReuseResult, t: number) => r.raw.overlaps.filter((ov) => ov.length > t).length;

/** Simulated sign-coherent overlap at step t along basis direction q vs the d = infinity prediction. */
function matchesPrediction(r: BatchReuseResult, t: 1 | 2, q: number, name: string): ClaimVerdict[] {
  const s = r.steps[t]?.signedByDirection[q];
  if (!s) return [];
  const pr = predictionFor(r);
  const predicted: MeanSe = t === 1 ? { mean: pr.t1[q]!, se: 0 } : pr.t2[q]!;
  return [{
    claim: `${name}: sign-coherent overlap mean_j sign(a_j) <M_j, ${r.config.basisNames[q]}> at t = ${t} equals the d = infinity prediction (d = ${r.config.d})`,
    source: `${SEED002}, hidden progress and DMFT (notes §3.3); prediction: ${pr.method}`,
    ...predictionVerdict(s, predicted, `simulation at d = ${r.config.d}`, aliveSeeds(r, t)),
  }];
}

/** Size of the multi-pass run compared with the published curves: the sign-coherent C1perp overlap has a per-seed
 * SD ~ 0.005-0.008 at d = 2000: 16 seeds gave se 0.0020 (measured), the published DMFT 3.6 se away at t = 6 (gap
 * 0.0073), at half the cost of 32 seeds (the preset then needs about half a minute of CPU).
 * d = 1000 would be cheaper still but no longer separates the published DMFT from the simulation along C1perp
 * (measured: consistent at d = 1000, 32 seeds; inconsistent at d = 2000). --full: d = 5000, 32 seeds (se ~ 0.0006). */
const REFERENCE_D = 2000, REFERENCE_D_FULL = 5000, REFERENCE_SEEDS = 16, REFERENCE_SEEDS_FULL = 32;
/** Monte Carlo of index-lab's DMFT for the comparison: 8 seeds x 2^16 samples give se ~ 0.0006 on C1perp at t = 6.
 * With fewer simulation seeds (--seeds S) the DMFT needs less precision: round(S/4) seeds, at least 2, at most 8. */
const REFERENCE_DMFT = { seeds: 8, samples: 2 ** 16 };
const referenceDmft = (simSeeds: number) => ({ seeds: Math.min(REFERENCE_DMFT.seeds, Math.max(2, Math.round(simSeeds / 4))), samples: REFERENCE_DMFT.samples });
const REFERENCE_ID = "dandi-2024-hidden-progress-alpha5";

/** The multi-pass run of the published hidden-progress figure (T = 6, the published steps): d = REFERENCE_D, or
 * REFERENCE_D_FULL with --full, or 4D with --d D (the preset's largest size). */
function referenceRun(o: PresetOverrides): { tag: string; config: BatchReuseConfig } {
  const d = o.full ? REFERENCE_D_FULL : o.d ? 4 * o.d : REFERENCE_D;
  return {
    tag: `reference/multi-pass/d=${d}`,
    config: { ...BATCH_REUSE_DEFAULTS, ...AUTHORS, target: "tanh(z1 + He(3,z2))", d, algorithm: "multi-pass", steps: 6, seeds: o.seeds ?? (o.full ? REFERENCE_SEEDS_FULL : REFERENCE_SEEDS), masterSeed: o.masterSeed ?? 1 },
  };
}

/** The published DMFT and simulations of the hidden-progress figure beside index-lab's DMFT and simulation. */
export function hiddenProgressComparison(r: BatchReuseResult): CurveComparison {
  const ref = referenceCurvesById(REFERENCE_ID);
  const basis = targetBasis(r.config.targetMoments.c1), k = r.config.k;
  const mc = referenceDmft(r.config.seeds);
  const dm = dmftFor(r, mc);
  const ts = r.steps.filter((s) => s.t >= 1).map((s) => s.t);
  const dmft: ComparedCurve = { id: "index-lab-dmft", label: `index-lab DMFT (${mc.seeds} x 2^${Math.log2(mc.samples)} samples)`, kind: "dmft", seeds: null, points: ts.map((t) => ({ t, values: dm.signed[t]! })) };
  const simulation: ComparedCurve = { id: "index-lab-simulation", label: `index-lab simulation d = ${r.config.d}, ${aliveSeeds(r, ts[ts.length - 1]!)} seeds`, kind: "simulation", seeds: aliveSeeds(r, ts[ts.length - 1]!), points: ts.map((t) => ({ t, values: r.steps[t]!.signedByDirection })) };
  return compareCurves(ref, basis, k, { dmft, simulation });
}

/**
 * The seed-002 presets (Dandi et al. 2024, arXiv 2402.03220): the first-step closed form, two steps on He3, even and
 * symmetric targets, hidden progress on tanh(z1 + He3(z2)) and z1 z2 z3 + He3(z4), judged against the d = infinity
 * predictions (two steps, multi-pass DMFT, one-pass recursion) and the d-scaling of the overlaps.
 */
export const BATCH_REUSE_PRESETS: BatchReusePreset[] = [
  {
    name: "first-step",
    description: "closed form of the first step M1_j = eta alpha a_j E[sigma'(h0)] E[g*(h*) h*], tanh student on tanh(z), both algorithms",
    paperSize: "d in {1000, 2000, 5000}, 16-32 seeds (preset: d = 2000, p = 8, 8 seeds; --full: d = 5000, 16 seeds)",
    runs: reuseRuns([{ tag: "tanh", target: "tanh(z)", activation: "tanh(z)" }], [2000], ["multi-pass", "one-pass"], { alpha: 2, eta: "1", p: 8, steps: 1, seeds: 8 }, { ds: [5000], seeds: 16 }),
    judge: (res) => [...res.entries()].map(([tag, r]) => {
      const { estimate, predicted } = firstStepEstimate(r, studentActivation(r.config.activation));
      return { claim: `first-step closed form (${tag})`, source: `${SEED002}, first-step formula; notes §3.3`, ...closedFormVerdict(estimate, predicted, "|C1| recovered from M1") };
    }),
  },
  {
    name: "he3",
    description: "He3(z)/sqrt(6), ReLU student, the authors' code setting: two steps of multi-pass vs one-pass GD; the sign-coherent overlap at t = 2 against the d = infinity two-step prediction, and its d-scaling",
    paperSize: "d in {1000, 2000, 5000}, T <= 7, 16-32 seeds; authors' code: eta = 0.2, lambda = 0, p = 2, alpha = 5 (preset: d in {500, 2000}, T = 2, 12 seeds; --full: d in {1000, 5000}, 16 seeds)",
    runs: reuseRuns([{ tag: "He3", target: "He(3,z)/sqrt(6)" }], [500, 2000], ["multi-pass", "one-pass"], { ...AUTHORS, steps: 2, seeds: 12 }),
    judge: (res) => {
      const [d1, d2] = sizes(res, "He3");
      const out: ClaimVerdict[] = [];
      for (const d of [d1, d2]) {
        const m = res.get(`He3/multi-pass/d=${d}`), o = res.get(`He3/one-pass/d=${d}`);
        if (m) out.push(...matchesPrediction(m, 2, 0, "He3, multi-pass"));
        if (o) out.push(...matchesPrediction(o, 2, 0, "He3, one-pass"));
      }
      const m2 = res.get(`He3/multi-pass/d=${d2}`);
      if (m2?.steps[2]) {
        // Theta(1) at t = 2: the d = infinity value is non-zero, and the largest d resolves it with its sign
        const pr = predictionFor(m2).t2[0]!;
        const side = pr.mean < 0 ? "below" : "above";
        out.push({ claim: "He3, multi-pass: a non-zero (Theta(1)) sign-coherent overlap at t = 2, with the sign of the d = infinity prediction", source: `${SEED002}, §2.3 (P*-perp learned in 2 steps); ${AUTHORS_CODE}`, ...thresholdVerdict(m2.steps[2].signedByDirection[0]!, 0, side, `sign-coherent overlap at t = 2, d = ${d2} (prediction ${pr.mean.toPrecision(3)})`) });
      }
      out.push(...scalingClaims(res, "He3", { "one-pass": "decays" }, "all", (alg, _e, T) => `He3, ${alg}: RMS overlap at t = ${T} is O(d^-1/2) (no correlational signal: C1 = 0 and c_3[relu] = 0)`));
      return out;
    },
  },
  {
    name: "even",
    description: "even or symmetric targets He4/sqrt(24), z^2 - 1, |z| and z1*z2*z3 (ReLU, eta = 0.2, lambda = 0, alpha = 5 as in the authors' code, but p = 8 so that the RMS over neurons resolves the d-scaling with few seeds; the symmetry argument holds for every p): no overlap in O(1) steps for either algorithm",
    paperSize: "d in {1000, 2000, 5000} (preset: d in {125, 1000} (a ratio of 8 separates d^0 from d^-1/2 by a factor 2.8), p = 8, T = 2, 8 seeds; --full: d in {1000, 5000}, 16 seeds)",
    runs: (o) => reuseRuns([{ tag: "He4", target: "He(4,z)/sqrt(24)" }, { tag: "z2", target: "z^2 - 1" }, { tag: "abs", target: "abs(z)" }, { tag: "z1z2z3", target: "z1*z2*z3" }], [125, 1000], ["multi-pass", "one-pass"], { ...AUTHORS, p: 8, steps: 2, seeds: 8 })(o),
    judge: (res) => ["He4", "z2", "abs", "z1z2z3"].flatMap((tag) => scalingClaims(res, tag, { "multi-pass": "decays", "one-pass": "decays" }, "all",
      (alg, _e, T) => `even/symmetric target ${tag}, ${alg}: RMS overlap at t = ${T} is O(d^-1/2) (every target direction is in OE*: the law is invariant under its reflection)`)),
  },
  {
    name: "hidden-progress",
    description: "tanh(z1 + He3(z2)) (the authors' code target 'TEST', ReLU, eta = 0.2, p = 2, alpha = 5): both algorithms learn C1; the overlap orthogonal to C1 inside the target space, multi-pass vs one-pass, against the d = infinity two-step prediction, the multi-pass DMFT and the one-pass recursion (for this ReLU student the C1perp overlap is Theta(1) but small: ~0.001 at t = 2, ~0.009 at t = 7)",
    paperSize: `authors' data: d = 5000 and 10000, alpha = 3 and 5, T = 7, 32 seeds (preset: d in {250, 1000}, T = 7, 6 seeds; the comparison with the published curves: multi-pass at d = ${REFERENCE_D}, T = 6, ${REFERENCE_SEEDS} seeds, --full: d = ${REFERENCE_D_FULL}, ${REFERENCE_SEEDS_FULL} seeds, and the DMFT with ${REFERENCE_DMFT.seeds} x 2^${Math.log2(REFERENCE_DMFT.samples)} Monte Carlo samples)`,
    runs: (o) => [
      ...reuseRuns([{ tag: "TEST", target: "tanh(z1 + He(3,z2))" }], [250, 1000], ["multi-pass", "one-pass"], { ...AUTHORS, steps: 7, seeds: 6 }, { ds: [250, 1000], seeds: 6 })(o), // --full enlarges the comparison run only
      referenceRun(o),
    ],
    compare: (res) => {
      const r = [...res.entries()].find(([tag]) => tag.startsWith("reference/"))?.[1];
      return r ? [hiddenProgressComparison(r)] : [];
    },
    judge: (res) => {
      const [, d2] = sizes(res, "TEST");
      const out: ClaimVerdict[] = [];
      for (const alg of ["multi-pass", "one-pass"]) {
        const r = res.get(`TEST/${alg}/d=${d2}`);
        if (!r) continue;
        out.push(...matchesPrediction(r, 1, 0, `tanh(z1 + He3(z2)), ${alg}`), ...matchesPrediction(r, 2, 0, `tanh(z1 + He3(z2)), ${alg}`), ...matchesPrediction(r, 2, 1, `tanh(z1 + He3(z2)), ${alg}`));
        if (alg === "one-pass") {
          // the whole one-pass trajectory has a d = infinity recursion: compare its last step along C1
          const T = r.steps.length - 1, tr = onePassFor(r), s = r.steps[T]!.signedByDirection[0]!;
          out.push({ claim: `tanh(z1 + He3(z2)), one-pass: sign-coherent overlap along C1 at t = ${T} equals the d = infinity one-pass recursion (d = ${r.config.d})`, source: `${SEED002} (one-pass baseline); ${tr.method}`, ...predictionVerdict(s, { mean: tr.signed[T]![0]!, se: tr.se[T]! }, `simulation at d = ${r.config.d}`, aliveSeeds(r, T)) });
        }
      }
      const m = res.get(`TEST/multi-pass/d=${d2}`), op = res.get(`TEST/one-pass/d=${d2}`);
      if (m && op) {
        const T = m.steps.length - 1, dm = dmftFor(m), tr = onePassFor(op);
        const simPerp = m.steps[T]!.signedByDirection[1]!, dPerp = dm.signed[T]![1]!, dC1 = dm.signed[T]![0]!;
        out.push({ claim: `tanh(z1 + He3(z2)), multi-pass: sign-coherent overlaps along C1 and C1perp at t = ${T} equal the d = infinity DMFT (d = ${d2})`, source: `${SEED002}, DMFT; multi-pass DMFT of dmft.ts`,
          ...(() => {
            const v1 = predictionVerdict(m.steps[T]!.signedByDirection[0]!, dC1, "C1", aliveSeeds(m, T)), v2 = predictionVerdict(simPerp, dPerp, "C1perp", aliveSeeds(m, T));
            return { verdict: v1.verdict === "consistent" && v2.verdict === "consistent" ? "consistent" as const : v1.verdict === "inconsistent" || v2.verdict === "inconsistent" ? "inconsistent" as const : "inconclusive" as const, evidence: `${v1.evidence}; ${v2.evidence}` };
          })() });
        // the paper's claim at d = infinity: reuse grows a C1-orthogonal overlap inside U*, one-pass does not
        out.push({ claim: `tanh(z1 + He3(z2)): at d = infinity multi-pass grows a non-zero C1perp overlap by t = ${T} and one-pass does not`, source: `${SEED002}, §2.3 and DMFT; notes §3.3 claim 4; ${AUTHORS_CODE}`,
          ...(() => {
            const v = thresholdVerdict(dPerp, 0, dPerp.mean >= 0 ? "above" : "below", `DMFT multi-pass C1perp at t = ${T}`);
            const onePerp = tr.signed[T]![1]!;
            const ok = Math.abs(onePerp) <= 3 * tr.se[T]! + 1e-3;
            return { verdict: v.verdict === "consistent" && ok ? "consistent" as const : v.verdict === "inconsistent" || !ok ? "inconsistent" as const : "inconclusive" as const,
              evidence: `${v.evidence}; one-pass recursion C1perp at t = ${T} = ${onePerp.toPrecision(3)} (Monte Carlo se ${tr.se[T]!.toPrecision(2)}). Magnitude: the d = infinity C1perp overlap is ${Math.abs(dPerp.mean).toPrecision(2)}, below the O(d^-1/2) noise of the RMS overlap at d <= ${d2}` };
          })() });
        {
          // a strong statement needs a strong test: |z| beyond the 3-sigma-equivalent Student-t value for the seeds
          const z = (simPerp.mean / simPerp.se) * Math.sign(dPerp.mean || 1), crit = tCritical3(aliveSeeds(m, T) - 1);
          out.push({ claim: `tanh(z1 + He3(z2)), multi-pass: the simulated sign-coherent C1perp overlap at t = ${T} is resolved as non-zero, with the DMFT's sign (d = ${d2})`, source: `${SEED002}; DMFT value ${dPerp.mean.toPrecision(2)}`,
            verdict: z > crit ? "consistent" : z < -crit ? "inconsistent" : "inconclusive",
            evidence: `simulated C1perp at t = ${T} = ${simPerp.mean.toPrecision(3)} ± ${simPerp.se.toPrecision(2)} (z = ${z.toFixed(2)} vs critical ${crit.toFixed(2)} for ${aliveSeeds(m, T)} seeds); resolving the d = infinity value ${dPerp.mean.toPrecision(2)} needs se <~ ${(Math.abs(dPerp.mean) / 3).toPrecision(2)}, i.e. more seeds or larger d` });
        }
      }
      out.push(...scalingClaims(res, "TEST", { "one-pass": "decays" }, "perp",
        (alg, exp, T) => `tanh(z1 + He3(z2)), ${alg}: RMS overlap orthogonal to C1 inside U* at t = ${T} is ${exp === "theta1" ? "Theta(1)" : "O(d^-1/2)"}`));
      return out;
    },
  },
  {
    name: "parity-plus-he3",
    description: "z1*z2*z3 + He3(z4)/sqrt(6) (ReLU, the authors' code setting): only e4 can grow; e1, e2, e3 are symmetric (OE*) directions",
    paperSize: "d in {1000, 2000, 5000} (preset: d in {125, 1000}, T = 3, 12 seeds; --full: d in {1000, 5000}, 16 seeds)",
    runs: reuseRuns([{ tag: "P3H3", target: "z1*z2*z3 + He(3,z4)/sqrt(6)" }], [125, 1000], ["multi-pass", "one-pass"], { ...AUTHORS, steps: 3, seeds: 12 }),
    judge: (res) => {
      const [d1, d2] = sizes(res, "P3H3");
      const out: ClaimVerdict[] = [];
      const m = res.get(`P3H3/multi-pass/d=${d2}`);
      if (m) out.push(...matchesPrediction(m, 2, 3, "z1*z2*z3 + He3(z4), multi-pass"));
      // e1..e3: the RMS over neurons of (M_j1, M_j2, M_j3) decays like d^-1/2 for both algorithms
      for (const alg of ["multi-pass", "one-pass"]) {
        const a = res.get(`P3H3/${alg}/d=${d1}`), b = res.get(`P3H3/${alg}/d=${d2}`);
        if (!a || !b || d1 === d2) continue;
        const e123 = (r: BatchReuseResult) => rmsOfDirections(r, [0, 1, 2]);
        out.push({ claim: `z1*z2*z3 + He3(z4), ${alg}: the overlap with e1, e2, e3 at t = ${b.steps.length - 1} is O(d^-1/2)`, source: `${SEED002}; notes §3.3 claim 5`, ...scalingVerdict(e123(a), e123(b), d1, d2, "decays") });
      }
      return out;
    },
  },
];

/** RMS over neurons of the overlap restricted to some target directions (standard axes), mean ± se over seeds, last step. */
function rmsOfDirections(r: BatchReuseResult, dirs: number[]): MeanSe {
  const k = r.config.k, p = r.config.p;
  const per = r.raw.overlaps.map((ov) => {
    const m = ov[ov.length - 1]!;
    let s = 0;
    for (let j = 0; j < p; j++) for (const q of dirs) s += m[j * k + q]! ** 2;
    return Math.sqrt(s / p);
  });
  return meanSe(per);
}

export function findPreset<T extends { name: string }>(list: readonly T[], name: string): T | undefined {
  return list.find((p) => p.name === name);
}
