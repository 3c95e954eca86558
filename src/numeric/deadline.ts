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

/** f with the deadline checked every 512th call (the clock is read rarely, so the wrapper costs a counter). */
export function budgeted(f: (x: number) => number, deadline: Deadline): (x: number) => number {
  if (deadline === NO_DEADLINE) return f;
  let calls = 0;
  return (x: number) => {
    if ((++calls & 511) === 0) deadline.check();
    return f(x);
  };
}
