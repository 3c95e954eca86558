/**
 * Budgets (wall-clock, or this process's CPU time as for the CLI's `--time-limit`) for the expensive steps of an
 * analysis: a step checks its `Deadline` while it works and stops with `TimeLimitExceeded`, which the step's caller
 * turns into an honest partial answer ("GE >= 2, not resolved within the time limit of 5 s"). Results that hit a budget depend on the machine's speed,
 * and say so; without a deadline nothing is ever cut.
 */

/** Thrown by {@link Deadline.check} once the budget is spent. */
export class TimeLimitExceeded extends Error {
  /** The budget that was exceeded, in seconds. */
  readonly seconds: number;
  constructor(seconds: number) {
    super(`the time limit of ${seconds} s was exceeded`);
    this.name = "TimeLimitExceeded";
    this.seconds = seconds;
  }
}

/**
 * The clock a budget is measured on: "wall" (elapsed time) or "cpu" (user + system CPU time of this process, so that
 * a loaded machine does not cut an analysis that an idle one finishes: the CLI's `--time-limit`).
 */
export type DeadlineClock = "wall" | "cpu";

/** A budget: `check()` throws {@link TimeLimitExceeded} once `seconds` have passed on its clock since it was made. */
export interface Deadline {
  /** The budget in seconds (Infinity: no limit). */
  readonly seconds: number;
  /** The clock it is measured on (absent: wall). */
  readonly clock?: DeadlineClock;
  /** True once the budget is spent. */
  expired(): boolean;
  /** Throws {@link TimeLimitExceeded} once the budget is spent. */
  check(): void;
}

/** The deadline that never expires. */
export const NO_DEADLINE: Deadline = { seconds: Infinity, expired: () => false, check: () => {} };

/** User + system CPU seconds of this process (all its threads). */
export const cpuSeconds = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const cpuMs = () => 1000 * cpuSeconds();

/** Wall time between two readings of the CPU clock by a "cpu" deadline, in ms (process.cpuUsage is a system call). */
const CPU_READ_INTERVAL_MS = 5;

/**
 * A deadline `seconds` from now on `clock` (default wall; Infinity or undefined: {@link NO_DEADLINE}). A "cpu"
 * deadline reads the CPU clock at most every {@link CPU_READ_INTERVAL_MS} ms of wall time.
 */
export function deadlineAfter(seconds: number | undefined, clock: DeadlineClock = "wall"): Deadline {
  if (seconds === undefined || seconds === Infinity) return NO_DEADLINE;
  if (clock === "cpu") {
    const end = cpuMs() + 1000 * seconds;
    let spent = false, next = -Infinity;
    const expired = () => {
      if (spent) return true;
      const now = performance.now();
      if (now < next) return false;
      next = now + CPU_READ_INTERVAL_MS;
      return (spent = cpuMs() > end);
    };
    return { seconds, clock, expired, check: () => { if (expired()) throw new TimeLimitExceeded(seconds); } };
  }
  const end = performance.now() + 1000 * seconds;
  const expired = () => performance.now() > end;
  return { seconds, expired, check: () => { if (expired()) throw new TimeLimitExceeded(seconds); } };
}

/** Target time between two clock readings of {@link budgeted}, in ms: the slack a budgeted step may overrun by. */
export const BUDGET_CHECK_INTERVAL_MS = 1;

/**
 * f with the deadline checked every n-th call, n adapted to the cost of a call so that the clock is read about every
 * {@link BUDGET_CHECK_INTERVAL_MS} ms (at most every 512th call for a cheap f, every call for an expensive one: the
 * derivative of erf nested 200 deep costs ~2 ms a call, and a fixed 512 let a step overrun its budget by a second).
 */
export function budgeted(f: (x: number) => number, deadline: Deadline): (x: number) => number {
  if (deadline === NO_DEADLINE) return f;
  let calls = 0, every = 1, last = performance.now();
  return (x: number) => {
    const v = f(x);
    if (++calls >= every) {
      deadline.check();
      // the interval since the last reading covers exactly `calls` calls; the period at most doubles per reading
      const now = performance.now(), perCall = (now - last) / calls;
      const target = perCall > 0 ? Math.floor(BUDGET_CHECK_INTERVAL_MS / perCall) : 512;
      every = Math.max(1, Math.min(512, 2 * every, target));
      calls = 0; last = now;
    }
    return v;
  };
}
