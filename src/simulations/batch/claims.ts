/**
 * Verdicts for the batch presets: each claim of the papers becomes a statistical comparison that can fail, stated
 * with the numbers it used. "inconclusive" when the uncertainty straddles the decision boundary.
 */
import type { MeanSe } from "./common.js";
import { studentTCritical } from "../../numeric/statistics.js";

export type Verdict = "consistent" | "inconsistent" | "inconclusive";

/**
 * The verdict on one claim of the seed papers: the claim, where it comes from, consistent / inconsistent /
 * inconclusive, and the numbers the comparison used.
 */
export interface ClaimVerdict {
  readonly claim: string;
  readonly source: string;
  readonly verdict: Verdict;
  readonly evidence: string;
}

const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : "n/a");
export const showMeanSe = (m: MeanSe) => `${fmt(m.mean)} ± ${fmt(m.se)}`;

/**
 * Dimension scaling test between d1 < d2 of an overlap statistic S (RMS over neurons, mean ± se over seeds):
 * Theta(1) predicts S(d1)/S(d2) ~ 1, O(d^{-1/2}) predicts sqrt(d2/d1). The boundary is the geometric midpoint
 * (d2/d1)^{1/4}; the ratio's 2-se interval (delta method on the log) must lie on one side.
 */
export function scalingVerdict(s1: MeanSe, s2: MeanSe, d1: number, d2: number, expect: "theta1" | "decays"): { verdict: Verdict; evidence: string } {
  const ratio = s1.mean / s2.mean;
  const seLog = Math.sqrt((s1.se / s1.mean) ** 2 + (s2.se / s2.mean) ** 2);
  const lo = ratio * Math.exp(-2 * seLog), hi = ratio * Math.exp(2 * seLog);
  const boundary = (d2 / d1) ** 0.25;
  const side = hi < boundary ? "theta1" : lo > boundary ? "decays" : null;
  const verdict: Verdict = side === null || !Number.isFinite(ratio) ? "inconclusive" : side === expect ? "consistent" : "inconsistent";
  return {
    verdict,
    evidence: `S(d=${d1}) = ${showMeanSe(s1)}, S(d=${d2}) = ${showMeanSe(s2)}; ratio ${fmt(ratio)} (2-se interval [${fmt(lo)}, ${fmt(hi)}]) vs boundary ${fmt(boundary)} between Theta(1) (ratio 1) and d^{-1/2} (ratio ${fmt(Math.sqrt(d2 / d1))})`,
  };
}

/** a < b with the difference beyond 2 combined standard errors. */
export function lessVerdict(a: MeanSe, b: MeanSe, names: [string, string]): { verdict: Verdict; evidence: string } {
  const diff = b.mean - a.mean, se = Math.hypot(a.se, b.se);
  const verdict: Verdict = diff > 2 * se ? "consistent" : diff < -2 * se ? "inconsistent" : "inconclusive";
  return { verdict, evidence: `${names[0]} ${showMeanSe(a)} vs ${names[1]} ${showMeanSe(b)} (difference ${fmt(diff)}, 2 se = ${fmt(2 * se)})` };
}

/** x above (or below) a threshold beyond 2 se. */
export function thresholdVerdict(x: MeanSe, threshold: number, expect: "above" | "below", name: string): { verdict: Verdict; evidence: string } {
  const lo = x.mean - 2 * x.se, hi = x.mean + 2 * x.se;
  const side = lo > threshold ? "above" : hi < threshold ? "below" : null;
  return {
    verdict: side === null ? "inconclusive" : side === expect ? "consistent" : "inconsistent",
    evidence: `${name} = ${showMeanSe(x)} vs threshold ${fmt(threshold)} (expected ${expect})`,
  };
}

/** Closed form within 3 standard errors. */
export function closedFormVerdict(estimate: MeanSe, predicted: number, name: string): { verdict: Verdict; evidence: string } {
  const z = (estimate.mean - predicted) / estimate.se;
  return {
    verdict: Math.abs(z) <= 3 ? "consistent" : "inconsistent",
    evidence: `${name}: simulation ${showMeanSe(estimate)} vs closed form ${fmt(predicted)} (z = ${fmt(z)}, relative error ${fmt((estimate.mean - predicted) / predicted)})`,
  };
}

/** Two-sided critical value of Student's t with `dof` degrees of freedom at the level of a normal 3-sigma test (p = 0.99865; 19.2 at dof = 2). */
export const tCritical3 = (dof: number): number => studentTCritical(3, dof);

/** Two-sided critical value of Student's t with `dof` degrees of freedom at the level of a normal 2-sigma test (p = Phi(2) = 0.97725). */
export const tCritical2 = (dof: number): number => studentTCritical(2, dof);

/** Welch-Satterthwaite degrees of freedom of the difference of two means with standard errors se1, se2 over n1, n2 samples. */
export function welchDof(se1: number, n1: number, se2: number, n2: number): number {
  const a = se1 * se1, b = se2 * se2;
  return (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1));
}

/**
 * A simulated value (mean ± se over `seeds` seeds) against a d = infinity prediction (itself with a Monte Carlo se):
 * consistent when the difference is within the 3-sigma-equivalent Student-t critical value for seeds - 1 degrees
 * of freedom times the combined se (the se over few seeds is itself uncertain).
 */
export function predictionVerdict(simulated: MeanSe, predicted: MeanSe, name: string, seeds = Infinity): { verdict: Verdict; evidence: string } {
  const se = Math.hypot(simulated.se, predicted.se);
  const z = (simulated.mean - predicted.mean) / se, crit = Number.isFinite(seeds) ? tCritical3(seeds - 1) : 3;
  return {
    verdict: !Number.isFinite(z) ? "inconclusive" : Math.abs(z) <= crit ? "consistent" : "inconsistent",
    evidence: `${name}: ${showMeanSe(simulated)} vs d = infinity prediction ${showMeanSe(predicted)} (z = ${fmt(z)}, critical value ${fmt(crit)} for ${Number.isFinite(seeds) ? `${seeds} seeds` : "normal errors"})`,
  };
}
