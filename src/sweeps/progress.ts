/**
 * Progress of a long run weighted by the expected cost of each run (the cost model of the budget guard), not by the
 * number of runs: with costs c_i, the work computed by this process so far W_now = sum of c_i over the runs it
 * finished, in elapsed wall time t, and the work left R, the ETA is t R / W_now. It is exact whenever a run's wall
 * time is proportional to its expected cost, whatever the order of the runs and however unequal their costs (a count
 * would extrapolate a 1x run's time to a 100x run). Runs read back from disk count as done but not as timed work.
 * `ProgressLineSchema` (src/sweeps/schema.ts) is the shape of one `--progress json` line.
 */

/** One update: runs and expected cost done of the total, elapsed wall seconds and the ETA (null before any timed work). */
export interface ProgressState {
  readonly runsDone: number;
  readonly runsTotal: number;
  /** Expected cost of the runs done (computed now or read back), in `unit`. */
  readonly costDone: number;
  readonly costTotal: number;
  /** costDone / costTotal (1 for an empty run). */
  readonly fraction: number;
  readonly elapsedSeconds: number;
  /** Wall seconds left at the rate of the work computed so far; 0 when nothing is left; null before the first run ends. */
  readonly etaSeconds: number | null;
}

/** The unit of the cost model behind a tracker, printed with every JSON line (e.g. "estimated core-seconds"). */
export type CostUnit = string;

/** A cost that can weight the ETA: finite and > 0, else 1 (a run without an estimate counts like a unit run). */
export const usableCost = (c: number): number => (Number.isFinite(c) && c > 0 ? c : 1);

/**
 * Tracks the runs of a schedule of known expected costs. `now` returns wall seconds (injectable: tests drive a
 * synthetic clock); the clock starts at construction.
 */
export class CostProgress {
  private runsDone = 0;
  private costDone = 0;
  private costNow = 0;
  private readonly costTotal: number;
  private readonly started: number;

  constructor(costs: readonly number[], private readonly now: () => number = () => performance.now() / 1000) {
    this.runsTotal = costs.length;
    this.costTotal = costs.reduce((s, c) => s + usableCost(c), 0);
    this.started = now();
  }

  readonly runsTotal: number;

  /** A run whose result already exists (read back from disk): done, but no wall time was spent on it. */
  skip(cost: number): ProgressState {
    this.runsDone++;
    this.costDone += usableCost(cost);
    return this.state();
  }

  /** A run of expected cost `cost` finished now. */
  finish(cost: number): ProgressState {
    this.runsDone++;
    this.costDone += usableCost(cost);
    this.costNow += usableCost(cost);
    return this.state();
  }

  state(): ProgressState {
    const elapsedSeconds = Math.max(0, this.now() - this.started);
    const left = Math.max(0, this.costTotal - this.costDone);
    const etaSeconds = this.runsDone >= this.runsTotal || left === 0 ? 0 : this.costNow > 0 ? (elapsedSeconds * left) / this.costNow : null;
    return {
      runsDone: this.runsDone, runsTotal: this.runsTotal, costDone: this.costDone, costTotal: this.costTotal,
      fraction: this.costTotal > 0 ? Math.min(1, this.costDone / this.costTotal) : 1, elapsedSeconds, etaSeconds,
    };
  }
}
