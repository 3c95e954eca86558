/**
 * What an online-SGD run costs before it runs: CPU seconds per step of each engine, measured on this machine's
 * class of core (Node 20, one thread; `simulate online-sgd --eta 1e-9 --max-steps ...`, censored runs):
 *   reduced  2.2e-8 s/step at d = 1024 on a quiet core (bench/issue18.ts best window 4.6e7 steps/s; lockstep lanes,
 *            WebAssembly draws), 2.6e-8 s per CPU-second under a load of 12 on 2 cores (3.7-3.9e7 steps/CPU-s); taken
 *            as 8e-8: about 3.6x pessimistic on a quiet core, 3x under load, so that ETAs and budget checks err on the
 *            long side (the lr-transition experiment keeps its own fitted rate, LR_RATE in src/experiments/costCalibration.ts,
 *            fitted on its He3 alternating runs before the WebAssembly draws),
 *   gram     2.2e-7 s/step at p + k = 2 and 1.0e-6 at p + k = 5, i.e. ~1e-7 + 8e-9 (p+k)^3,
 *   full     2.3e-5 s/step at d = 1024, p + k = 2, i.e. ~1.2e-8 d (p+k),
 *   leap     at most the reduced chain's cost over K >= 64 steps per leap (exact steps near the threshold).
 * Reuse multiplies a step by 1 + inner steps. The estimate guards against runs that would take years (a 2^50-step
 * budget); it is not a benchmark.
 */
import type { RunConfig } from "./config.js";

/** CPU seconds per step of the reduced chain, deliberately pessimistic (about 4x; see above and bench/issue18.ts). */
export const REDUCED_SECONDS_PER_STEP = 8e-8;

/** Estimated CPU seconds of one online-SGD step of configuration `c` with `targets` target directions. */
export function secondsPerStep(c: Pick<RunConfig, "engine" | "d" | "width" | "variant" | "innerSteps">, targets = 1): number {
  const pk = c.width + targets;
  const base = c.engine === "reduced" ? REDUCED_SECONDS_PER_STEP
    : c.engine === "leap" ? REDUCED_SECONDS_PER_STEP / 64
      : c.engine === "gram" ? 1e-7 + 8e-9 * pk ** 3
        : 1.2e-8 * c.d * pk;
  return base * (c.variant === "reuse" ? 1 + c.innerSteps : 1);
}

/**
 * Estimated CPU seconds of `runs` runs of configuration `c` that take `steps` steps each (the expected steps to the
 * escape, or the budget `c.maxSteps` when no estimate exists: every run censored).
 */
export function runsSeconds(c: RunConfig, runs: number, steps: number = c.maxSteps, targets = 1): number {
  return runs * Math.min(steps, c.maxSteps) * secondsPerStep(c, targets);
}
