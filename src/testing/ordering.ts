/**
 * "A quick simulation agrees with the predicted ordering": the prediction engine states sample complexities for plain
 * online SGD (Ben Arous, Gheissari, Jagannath 2021, arXiv 2003.10409: d^{max(IE-1,1)}, claim bgj-online-sgd) and for
 * the layer-wise alternating algorithm at large inner rate (Tsiolis, Mousavi-Hosseini, Erdogdu 2025, arXiv
 * 2510.21020, claim tsiolis-alternating-lr-curve: d^{max(p_2-1,1)} with p_2 = IE(f^2), theory notes §3.1). When the
 * exponents differ, the algorithm with the smaller exponent should reach weak recovery (|m| >= 1/2) first.
 *
 * Protocol (deterministic: every run draws from the keyed stream of src/numeric/xoshiro.ts):
 * 1. one dimension d, chosen so that d^{online exponent} stays near 2^16 steps (QUICK_DIMENSION);
 * 2. a pilot on `pilotSeeds` replicates tunes each algorithm's global rate gamma = gamma0 d^{-max(IE/2,1)} (and the
 *    alternating inner rate eta) on a grid, keeping the smallest Kaplan–Meier median (theory notes §5: a fixed gamma
 *    gives artefacts; here each algorithm gets its best rate);
 * 3. `testSeeds` fresh replicates (another master seed, so independent of the pilot) per algorithm at the tuned rates;
 * 4. a one-sided Mann–Whitney test in each direction on escape times, runs that never escaped (censored at the common
 *    budget, or diverged) ranked last as ties. pass: the predicted-faster algorithm is faster at level alpha; fail: the
 *    other one is; inconclusive: neither (the ordering is not resolvable at this size and these seeds).
 */
import { predictLink } from "../predictions/predictLink.js";
import { runReplicate, buildProblem, type RunConfig } from "../simulations/config.js";
import { kaplanMeierMedian, type Observation } from "../verification/survival.js";
import { mannWhitneyLess } from "../numeric/statistics.js";

/** The two algorithms compared: plain online SGD and the layer-wise alternating algorithm of Tsiolis et al. 2025. */
export type OrderingAlgorithm = "online" | "alternating";

/** What the prediction engine says about the two algorithms: the exponents of d and the claims they come from. */
export interface PredictedOrdering {
  readonly faster: OrderingAlgorithm;
  readonly slower: OrderingAlgorithm;
  readonly exponents: Readonly<Record<OrderingAlgorithm, number>>;
  readonly claims: Readonly<Record<OrderingAlgorithm, string>>;
  /** Information exponent of the link (sets the global rate's d-scaling). */
  readonly informationExponent: number;
}

/** Sizes, grids, seeds and level of the quick ordering test (QUICK_ORDERING holds the defaults). */
export interface OrderingSettings {
  /** Student activation (default tanh(z + 1/2): bounded, every Hermite coefficient non-zero, so it excites every degree). */
  readonly student: string;
  readonly gamma0s: readonly number[];
  /** Inner (second-layer) step of the alternating algorithm. */
  readonly etas: readonly number[];
  readonly pilotSeeds: number;
  readonly testSeeds: number;
  /** Budget per run: budgetFactor * d^{online exponent} fresh samples, capped at maxBudget. */
  readonly budgetFactor: number;
  readonly maxBudget: number;
  /** One-sided level of each directional test. */
  readonly level: number;
  readonly masterSeed: number;
  /** Override the dimension (default QUICK_DIMENSION by the online exponent). */
  readonly d?: number;
}

/** Default settings: 5 global rates x 3 inner rates tuned on 8 pilot seeds, 24 fresh seeds per algorithm, level 0.01. */
export const QUICK_ORDERING: OrderingSettings = {
  student: "tanh(z + 1/2)", gamma0s: [1, 3, 10, 30, 100], etas: [0.1, 0.3, 1], pilotSeeds: 8, testSeeds: 24,
  budgetFactor: 20, maxBudget: 2_000_000, level: 0.01, masterSeed: 9009,
};

/** d with d^e near 2^16 samples for the online exponent e (quick: seconds on one core). */
export const QUICK_DIMENSION: Readonly<Record<number, number>> = { 2: 256, 3: 64, 4: 32, 5: 16 };

/** Ordering stated by the prediction engine, or the reason none is stated. */
export function predictedOrdering(source: string): PredictedOrdering | { readonly none: string } {
  const r = predictLink(source, { claims: ["bgj-online-sgd", "tsiolis-alternating-lr-curve"] });
  const online = r.predictions.find((p) => p.claimId === "bgj-online-sgd");
  const alt = r.predictions.find((p) => p.claimId === "tsiolis-alternating-lr-curve");
  const ie = r.profile.informationExponent;
  if (!online?.applies || online.scaling?.exponent == null || ie === null) return { none: `no online-SGD prediction applies (${online?.reason ?? "claim bgj-online-sgd missing"})` };
  if (!alt?.applies || !alt.curve) return { none: `no alternating-algorithm prediction applies (${alt?.reason ?? "claim tsiolis-alternating-lr-curve missing"})` };
  const eOn = online.scaling.exponent, eAlt = alt.curve.largeEnd.exponent;
  if (eOn === eAlt) return { none: `same power d^${eOn} predicted for online SGD and the alternating algorithm: no ordering to test` };
  const faster: OrderingAlgorithm = eAlt < eOn ? "alternating" : "online";
  return {
    faster, slower: faster === "online" ? "alternating" : "online", informationExponent: ie,
    exponents: { online: eOn, alternating: eAlt }, claims: { online: online.claimId, alternating: alt.claimId },
  };
}

/** One algorithm after tuning: the chosen rates, pilot and test Kaplan–Meier medians, and how many test runs escaped. */
export interface TunedAlgorithm {
  readonly algorithm: OrderingAlgorithm;
  readonly gamma0: number;
  readonly eta: number | null;
  readonly pilotMedian: number | null;
  readonly testMedian: number | null;
  readonly escaped: number;
  readonly runs: number;
}

/** Outcome of the ordering test: pass / fail / inconclusive with the reason, the tuned settings and the raw escape times. */
export interface OrderingResult {
  readonly status: "pass" | "fail" | "inconclusive";
  readonly detail: string;
  readonly d: number;
  readonly budget: number;
  readonly predicted: PredictedOrdering;
  readonly tuned: readonly TunedAlgorithm[];
  /** One-sided p-values: "predicted faster is faster" and the opposite. */
  readonly pPredicted: number | null;
  readonly pOpposite: number | null;
  readonly settings: OrderingSettings;
  /** Escape times of the test runs per algorithm (null: never reached |m| >= 1/2 within the budget). */
  readonly times: Readonly<Partial<Record<OrderingAlgorithm, (number | null)[]>>>;
}

function config(link: string, s: OrderingSettings, d: number, budget: number, ie: number, alg: OrderingAlgorithm, gamma0: number, eta: number | null): RunConfig {
  return {
    engine: "reduced", link, student: s.student, loss: "correlation", d, eta: `${gamma0}*d^(${-Math.max(ie / 2, 1)})`, width: 1, a0: 1,
    etaSecondLayer: "0", variant: alg, etaInner: alg === "alternating" ? String(eta) : "0", innerSteps: 1, noise: "none",
    threshold: 0.5, overlap: "abs", escape: "any", maxSteps: budget, m0: null, runToMax: false, tracePoints: 0,
  };
}

/** Escape times, a run that never escaped (censored or diverged) as +Infinity. */
function escapeTimes(c: RunConfig, masterSeed: number, seeds: number): number[] {
  const problem = buildProblem(c);
  return Array.from({ length: seeds }, (_, r) => runReplicate(c, masterSeed, r, problem).escapeStep ?? Infinity);
}

const kmMedian = (times: readonly number[], budget: number) =>
  kaplanMeierMedian(times.map((t): Observation => (Number.isFinite(t) ? { time: t, event: true } : { time: budget, event: false })));

const timesOf = (test: Record<string, number[]>) =>
  Object.fromEntries(Object.entries(test).map(([k, v]) => [k, v.map((t) => (Number.isFinite(t) ? t : null))])) as OrderingResult["times"];

/** Run the protocol above on a single-index link whose predicted ordering is `predicted`. */
export function simulateOrdering(linkText: string, predicted: PredictedOrdering, settings: OrderingSettings = QUICK_ORDERING): OrderingResult {
  const eOn = predicted.exponents.online;
  const d = settings.d ?? QUICK_DIMENSION[eOn];
  const base = { predicted, settings, pPredicted: null, pOpposite: null, times: {} };
  if (d === undefined) {
    return { ...base, status: "inconclusive", d: 0, budget: 0, tuned: [], detail: `online SGD needs ~d^${eOn} samples: too slow for a quick check at any useful d` };
  }
  const budget = Math.min(settings.maxBudget, Math.round(settings.budgetFactor * d ** eOn));
  const ie = predicted.informationExponent;
  const tuned: TunedAlgorithm[] = [];
  const test: Record<string, number[]> = {};
  for (const alg of ["online", "alternating"] as const) {
    let best: { gamma0: number; eta: number | null; median: number } | null = null;
    for (const eta of alg === "alternating" ? settings.etas : [null]) {
      for (const gamma0 of settings.gamma0s) {
        // a grid point only matters if its median beats the best so far: cap its pilot runs there (the stream key
        // leaves out the budget, so the capped runs follow the same trajectories and the selection is unchanged)
        const cap = best ? Math.min(budget, best.median) : budget;
        const med = kmMedian(escapeTimes(config(linkText, settings, d, cap, ie, alg, gamma0, eta), settings.masterSeed, settings.pilotSeeds), cap);
        if (med !== null && (best === null || med < best.median)) best = { gamma0, eta, median: med };
      }
    }
    if (!best) {
      tuned.push({ algorithm: alg, gamma0: NaN, eta: null, pilotMedian: null, testMedian: null, escaped: 0, runs: 0 });
      continue;
    }
    // fresh replicates: a different master seed gives streams independent of the pilot's
    const times = escapeTimes(config(linkText, settings, d, budget, ie, alg, best.gamma0, best.eta), settings.masterSeed + 1, settings.testSeeds);
    test[alg] = times;
    tuned.push({ algorithm: alg, gamma0: best.gamma0, eta: best.eta, pilotMedian: best.median, testMedian: kmMedian(times, budget), escaped: times.filter(Number.isFinite).length, runs: times.length });
  }
  const untuned = tuned.filter((t) => t.pilotMedian === null).map((t) => t.algorithm);
  if (untuned.length) {
    return { ...base, status: "inconclusive", d, budget, tuned, times: timesOf(test), detail: `at d = ${d} no learning rate on the grid let ${untuned.join(" and ")} reach |m| >= 1/2 within ${budget} samples in half the pilot runs` };
  }
  const fast = test[predicted.faster]!, slow = test[predicted.slower]!;
  const pPredicted = mannWhitneyLess(fast, slow).pValue, pOpposite = mannWhitneyLess(slow, fast).pValue;
  const describe = (t: TunedAlgorithm) => `${t.algorithm} (gamma0 ${t.gamma0}${t.eta !== null ? `, eta ${t.eta}` : ""}): median ${t.testMedian ?? `> ${budget}`}, ${t.escaped}/${t.runs} escaped`;
  const summary = `d = ${d}, ${settings.testSeeds} fresh seeds each after tuning on ${settings.pilotSeeds}; ${tuned.map(describe).join("; ")}; predicted ${predicted.faster} (d^${predicted.exponents[predicted.faster]}, ${predicted.claims[predicted.faster]}) before ${predicted.slower} (d^${predicted.exponents[predicted.slower]}, ${predicted.claims[predicted.slower]})`;
  const fmtP = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toPrecision(2));
  const status = pPredicted < settings.level ? "pass" : pOpposite < settings.level ? "fail" : "inconclusive";
  const verdict = status === "pass" ? `${predicted.faster} is faster (one-sided Mann–Whitney p = ${fmtP(pPredicted)} < ${settings.level})`
    : status === "fail" ? `the OPPOSITE ordering holds: ${predicted.slower} is faster (one-sided p = ${fmtP(pOpposite)} < ${settings.level})`
      : `not resolvable at this size (one-sided p = ${fmtP(pPredicted)} for the prediction, ${fmtP(pOpposite)} against; level ${settings.level})`;
  return { ...base, status, d, budget, tuned, pPredicted, pOpposite, times: timesOf(test), detail: `${verdict}; ${summary}` };
}
