/**
 * Label noise models and their parser (shared with the simulators):
 *   "none"            y = f(z)
 *   "gaussian:SIGMA"  y = f(z) + SIGMA * xi, xi ~ N(0,1) independent, SIGMA >= 0
 *   "flip:P"          y = s * f(z) for a {-1,+1}-valued f, s = -1 with probability P in [0, 1/2]
 * A noisy model is a "non-deterministic link" in the sense of Damian et al. 2024 (arXiv 2403.05529, §1.1): the
 * generative exponent is defined through the conditional law of Z given Y, which now involves the noise density.
 */
import { InputError } from "../link/errors.js";

/** Label noise: none (y = f(z)), additive Gaussian y = f(z) + sigma xi, or sign flips y = s f(z) with P(s = -1) = p. */
export type NoiseModel =
  | { readonly kind: "none" }
  | { readonly kind: "gaussian"; readonly sigma: number }
  | { readonly kind: "flip"; readonly p: number };

/** The noiseless model y = f(z). */
export const NO_NOISE: NoiseModel = { kind: "none" };

/**
 * Parse a noise model: "gaussian:SIGMA" (SIGMA >= 0), "flip:P" (P in [0, 1/2]) or "none"; zero noise is "none".
 * @param option the option named in error messages (default "--noise").
 * @throws InputError naming the option and the problem.
 */
export function parseNoise(spec: string | undefined, option = "--noise"): NoiseModel {
  if (spec === undefined) return NO_NOISE;
  const text = spec.trim();
  if (text === "" || text === "none") return NO_NOISE;
  const m = /^([a-zA-Z]+)\s*:\s*(.+)$/.exec(text);
  if (!m) throw new InputError(`${option} must be 'gaussian:SIGMA', 'flip:P' or 'none', got '${spec}'`);
  const kind = m[1]!.toLowerCase();
  const raw = m[2]!.trim();
  const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (kind === "gaussian") {
    if (!Number.isFinite(value)) throw new InputError(`${option} gaussian:SIGMA needs a number for SIGMA, got '${raw}'`);
    if (value < 0) throw new InputError(`${option} gaussian:SIGMA needs SIGMA >= 0 (a noise standard deviation), got ${raw}`);
    if (value > 1e6) throw new InputError(`${option} gaussian:SIGMA is too large (${raw}): use SIGMA <= 1e6`);
    return value === 0 ? NO_NOISE : { kind: "gaussian", sigma: value };
  }
  if (kind === "flip") {
    if (!Number.isFinite(value)) throw new InputError(`${option} flip:P needs a number for P, got '${raw}'`);
    if (value < 0 || value > 0.5) throw new InputError(`${option} flip:P needs a flip probability P in [0, 1/2], got ${raw}`);
    return value === 0 ? NO_NOISE : { kind: "flip", p: value };
  }
  throw new InputError(`${option}: unknown noise model '${m[1]}' (use 'gaussian:SIGMA' or 'flip:P')`);
}

/** The noise model in words with its formula, e.g. "additive Gaussian noise y = f(z) + 0.5 xi". */
export function describeNoise(n: NoiseModel): string {
  return n.kind === "none" ? "noiseless (y = f(z))"
    : n.kind === "gaussian" ? `additive Gaussian noise y = f(z) + ${n.sigma} xi`
      : `label flips y = s f(z), P(s = -1) = ${n.p}`;
}

/** The noise model in the syntax `parseNoise` reads ("none", "gaussian:SIGMA", "flip:P"). */
export const noiseText = (n: NoiseModel) => (n.kind === "none" ? "none" : n.kind === "gaussian" ? `gaussian:${n.sigma}` : `flip:${n.p}`);

/** Draw one noisy label from a clean one (for simulators and the Monte-Carlo estimator). */
export function applyNoise(n: NoiseModel, y: number, uniform: () => number, normal: () => number): number {
  if (n.kind === "gaussian") return y + n.sigma * normal();
  if (n.kind === "flip") return uniform() < n.p ? -y : y;
  return y;
}
