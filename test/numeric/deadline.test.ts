// Issue 19: a budgeted step reads the clock often enough that an expensive function cannot overrun its budget by
// 512 calls (erf nested 200 deep: its derivative costs ~2 ms a call, and a fixed every-512th-call check overran by 1-3 s).
import { describe, expect, it } from "vitest";
import { budgeted, NO_DEADLINE, type Deadline } from "../../src/numeric/deadline.js";

const countingDeadline = () => { const d = { seconds: 1, checks: 0, expired: () => false, check: () => { d.checks++; } }; return d as Deadline & { checks: number }; };
const busy = (ms: number) => (x: number) => { const end = performance.now() + ms; while (performance.now() < end); return x; };

describe("budgeted", () => {
  it("an expensive function (0.5 ms a call) has the deadline checked at nearly every call", () => {
    const d = countingDeadline();
    const f = budgeted(busy(0.5), d);
    for (let i = 0; i < 40; i++) f(i);
    expect(d.checks).toBeGreaterThanOrEqual(20);
  });

  it("a cheap function has it checked rarely (at most every 512th call once the cost is known), and values pass through", () => {
    const d = countingDeadline();
    const f = budgeted((x) => 2 * x, d);
    let s = 0;
    for (let i = 0; i < 100000; i++) s += f(i);
    expect(s).toBe(100000 * 99999);
    expect(d.checks).toBeLessThan(2000);
    expect(budgeted(Math.sin, NO_DEADLINE)).toBe(Math.sin);
  });
});
