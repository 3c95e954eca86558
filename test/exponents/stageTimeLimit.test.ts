/**
 * A grand-staircase stage cut by the time limit while its sharp alpha is computed (the state evolution on U,
 * src/exponents/stageThreshold.ts) is still printed, with its lower bound max(alpha(U), 1/rho(F_U)), `sharp: false`
 * and a note naming the time limit; the stages before it are kept.
 */
import { describe, expect, it } from "vitest";
import { parseLink } from "../../src/link/link.js";
import { weakLearnability } from "../../src/exponents/weakLearnability.js";
import { TimeLimitExceeded, type Deadline } from "../../src/numeric/deadline.js";

/** A budget that runs out exactly when the sharp-stage computation reads the clock (deterministic, machine-independent). */
const cutInSharpStage: Deadline = {
  seconds: 1,
  expired: () => false,
  check: () => { if (/sharpStageThreshold/.test(new Error().stack ?? "")) throw new TimeLimitExceeded(1); },
};

describe("a later stage cut by the time limit keeps its bound", () => {
  it("sign(z1)+sign(z2): trivial (1,1)/sqrt2, then (1,-1)/sqrt2 printed as alpha >= 1/rho(F_U) ~ 1.43, labelled as cut", () => {
    const r = weakLearnability(parseLink("sign(z1)+sign(z2)"), { deadline: cutInSharpStage, nodes: 200 });
    expect(r.staircase).toHaveLength(2);
    const [first, later] = r.staircase as [NonNullable<(typeof r.staircase)[0]>, NonNullable<(typeof r.staircase)[0]>];
    expect(first.kind).toBe("trivial");
    expect(later.kind).toBe("easy");
    expect(later.sharp).toBe(false);
    // the bound 1/rho(F_U) (scipy 1.43083, weak-learnability-reference.py), below the sharp value 2.05248
    expect(later.alpha).toBeGreaterThan(1.38);
    expect(later.alpha).toBeLessThan(1.48);
    expect(later.note).toMatch(/lower bound.*time limit of 1 s was reached during the state evolution on U/);
    expect(r.note).toMatch(/alpha >= 1\.4/);
  });
});
