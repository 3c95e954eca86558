/** Shared input checks and the time-budget guard of the regime experiments. */
import { InputError } from "../link/errors.js";
import type { SweepControl } from "../sweeps/sweep.js";

/** Refuse a grid whose estimated wall time exceeds the budget unless the user said --yes; the message carries the estimate. */
export function requireBudget(estimateSeconds: number, budgetSeconds: number, yes: boolean, what: string, shrink = "shrink the grid"): void {
  if (estimateSeconds > budgetSeconds && !yes) {
    throw new InputError(`${what}: estimated wall time ${formatSeconds(estimateSeconds)} exceeds the budget of ${formatSeconds(budgetSeconds)}; re-run with --yes to proceed (or ${shrink})`);
  }
}

export function formatSeconds(s: number): string {
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** A learning rate, epsilon or gamma: finite and > 0, else a one-line error naming the option. */
export function positive(name: string, v: number): number {
  if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) throw new InputError(`${name} must be a finite number > 0, got ${String(v)}`);
  return v;
}

export function positiveInteger(name: string, v: number, lo = 1, hi = Number.MAX_SAFE_INTEGER): number {
  if (!(Number.isInteger(v) && v >= lo && v <= hi)) throw new InputError(`${name} must be an integer in [${lo}, ${hi}], got ${String(v)}`);
  return v;
}

/** Parse "1e-4:1e-1:7" (log-spaced, inclusive) or "0.1,0.01" into numbers; every entry must be > 0. */
export function parseGrid(name: string, raw: string): number[] {
  const t = raw.trim();
  const logMatch = /^([^:,]+):([^:,]+):(\d+)$/.exec(t);
  let values: number[];
  if (logMatch) {
    const lo = Number(logMatch[1]), hi = Number(logMatch[2]), n = Number(logMatch[3]);
    positive(`${name} (lower end)`, lo); positive(`${name} (upper end)`, hi);
    if (n < 1 || n > 10000) throw new InputError(`${name}: the number of grid points must be in [1, 10000], got ${n}`);
    values = n === 1 ? [lo] : Array.from({ length: n }, (_, i) => lo * Math.pow(hi / lo, i / (n - 1)));
  } else {
    values = t.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
    if (values.length === 0) throw new InputError(`${name}: empty list '${raw}'`);
  }
  values.forEach((v, i) => {
    if (!(Number.isFinite(v) && v > 0)) throw new InputError(`${name} must contain only finite numbers > 0; entry ${i + 1} of '${raw}' is not`);
  });
  return values;
}

export type Verdict = "pass" | "fail" | "inconclusive" | "measured";

export interface ClaimVerdict {
  readonly id: string;
  readonly statement: string;
  readonly source: string;
  readonly predicted: string;
  readonly measured: string;
  readonly verdict: Verdict;
  readonly reason: string;
}

/** How an experiment's sweep runs (not part of the science): worker threads (0: this thread), results directory, resume, shard. */
export type ExperimentSweepOptions = Partial<Pick<SweepControl, "workers" | "dir" | "resume" | "shard" | "onProgress">>;
