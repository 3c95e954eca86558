/**
 * The regime experiments' cost models (the budget guard's and the progress ETA's): CPU seconds = rate x units, the
 * units being what the model says the work scales with. The rates and exponents were fitted to per-job CPU times
 * measured by `npm run bench -- regime-cost` (bench/regimeCost.ts: every job in one thread, process.cpuUsage around
 * the job's run) over the preset and a 2x smaller and 2x larger size of each experiment; the bench prints the ratio
 * measured / predicted per size (target [0.8, 1.25]).
 */

/** Where the constants below come from. */
export const REGIME_COST_PROVENANCE = {
  command: "REGIME_COST_FIT=1 npm run bench -- regime-cost (bench/regimeCost.ts)",
  date: "2026-12-07 01:05-01:40 UTC",
  machine: "2 cores (AMD EPYC), Node v20.20.2, shared with 4 other jobs (load average 12-14): CPU times, not wall",
  fit: "two-timescale: least squares of log CPU over 29 flow jobs (m = 16, 32, 64; eps 1e-1..1e-4); the checks from the preset's one job each; lr-transition and feature-strength: see their entries",
  /** A second run of the same bench after the fit (a repeat, not held-out sizes), measured / predicted per row. */
  check: "01:28-01:42 UTC, load 10-12: two-timescale preset 0.90, m = 16 0.99, m = 64 1.04; lr-transition d = 2048 1.17, 1024 1.06, 4096 0.93 (2 seeds each); feature-strength preset 1.17, 1/2x 1.17, 2x 0.92",
} as const;

/**
 * Two-timescale (seed 003): one flow integration of the reduced ODE with m particles at time-scale ratio eps costs
 * FLOW_RATE x m^FLOW_EXPONENT x (FLOW_EPS_OFFSET + log10(1/eps)) CPU seconds (the Rosenbrock solver's O(m^2)
 * Jacobian work per step, times steps that grow with m and with log(1/eps)). Fitted: exponent 2.63, per-job
 * ratios 0.57-1.51, per size 1.08 (m = 16), 0.96 (m = 32), 1.00 (m = 64).
 */
export const FLOW_RATE = 5.37e-5;
export const FLOW_EXPONENT = 2.63;
export const FLOW_EPS_OFFSET = 0.6;
/** The finite-d check: (m/10)^5 per size (the full-d particle system), measured 5.9 CPU-s on the preset's sizes. */
export const FINITE_D_RATE = 0.54;
/** The online-SGD check: sum(rho) d^2 m tEnd multiply-adds, measured 0.74 CPU-s on the preset's. */
export const SGD_RATE = 1.72e-8;
/** The phi_1 = 0 check: per dimension and unit of time, measured 0.77 CPU-s on the preset's (2 d, tEnd 20). */
export const PHI1_ZERO_RATE = 0.0193;

/** Model units of one flow job (the cost is FLOW_RATE times this). */
export const flowUnits = (m: number, eps: number): number => m ** FLOW_EXPONENT * Math.max(FLOW_EPS_OFFSET, FLOW_EPS_OFFSET + Math.log10(1 / eps));

/**
 * Lr-transition (seed 000): CPU seconds per step of the reduced chain, charged on each run's expected steps
 * (lrRunSteps: twice the fastest drift channel's escape time over min(1, gamma0), capped by the budget d^(p-1)).
 * The d-scaling of the steps model held (measured / predicted at the old 1.3e-7: 0.53 at d = 1024, 0.57 at 2048,
 * 0.58 at 4096, 2 seeds, 72 runs); the rate is 1.3e-7 x 0.540 (the ratio over all 144 runs).
 */
export const LR_RATE = 7.0e-8;

/**
 * Feature-strength (seed 004), per job kind (measured / old model over the preset and the toy budget and MLP steps
 * at 1/2x and 2x: toy rows 2.04, MLP runs 2.98, MLP edge bisections 1.38, fewest-steps scans growing as
 * gamma^0.50 = gamma^(1 - 2/L) at L = 4; 681 jobs). Runs that diverge stop early, which the model cannot know: the
 * rates are totals over the grids, not per run.
 */
export const TOY_STEP_RATE = 1.02e-7;
export const BISECTION_STEP_RATE = 4.07e-8;
export const COLLAPSE_FIXED = 0.003;
export const MLP_MAC_RATE = 1.79e-8;
export const EDGE_RUN_FRACTION = 0.463;
export const MIN_STEPS_FIXED = 0.002;
export const MIN_STEPS_RATE = 9.9e-6;
