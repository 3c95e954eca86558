/**
 * Wall-clock budgets for the expensive steps of an analysis (`--time-limit`): a step checks its `Deadline` while it
 * works and stops with `TimeLimitExceeded`, which the step's caller turns into an honest partial answer
 * ("GE >= 2, not resolved within the time limit of 5 s"). Results that hit a budget depend on the machine's speed,
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

/** A wall-clock budget: `check()` throws {@link TimeLimitExceeded} once `seconds` have passed since it was made. */
export interface Deadline {
  /** The budget in seconds (Infinity: no limit). */
  readonly seconds: number;
  /** True once the budget is spent. */
  expired(): boolean;
  /** Throws {@link TimeLimitExceeded} once the budget is spent. */
  check(): void;
}

/** The deadline that never expires. */
export const NO_DEADLINE: Deadline = { seconds: Infinity, expired: () => false, check: () => {} };

/** A deadline `seconds` from now (Infinity or undefined: {@link NO_DEADLINE}). */
export function deadlineAfter(seconds: number | undefined): Deadline {
  if (seconds === undefined || seconds === Infinity) return NO_DEADLINE;
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
