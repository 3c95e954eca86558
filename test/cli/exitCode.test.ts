import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { EXIT, exitCodeOf, verdictSummary, type VerdictWord } from "../../src/cli/exitCode.js";
import { checkLink, PROPERTIES } from "../../src/testing/properties.js";

const WORDS: VerdictWord[] = ["consistent", "pass", "inconsistent", "fail", "failed", "inconclusive", "not-applicable", "measured"];

describe("the exit-code rule (README, Exit codes)", () => {
  it("is 1 when any verdict fails, else 3 when any is inconclusive, else 0, whatever the order", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }), (vs) => {
      const failed = vs.some((v) => v === "inconsistent" || v === "fail" || v === "failed");
      const open = vs.includes("inconclusive");
      const code = exitCodeOf(vs);
      expect(code).toBe(failed ? EXIT.failed : open ? EXIT.inconclusive : EXIT.ok);
      expect(exitCodeOf([...vs].reverse())).toBe(code);
    }));
  });

  it("never turns a verdict without evidence into a pass: not-applicable and measured alone give 0 only because nothing was claimed", () => {
    expect(exitCodeOf([])).toBe(0);
    expect(exitCodeOf(["not-applicable", "measured"])).toBe(0);
    expect(exitCodeOf(["not-applicable", "inconclusive"])).toBe(3);
  });

  it("keeps bad input (2) and internal errors (4) apart from verdicts", () => {
    expect(new Set(Object.values(EXIT)).size).toBe(5);
    expect([EXIT.badInput, EXIT.internalError]).not.toContain(exitCodeOf(["fail", "inconclusive"]));
  });

  it("summarises the verdicts with the code they give", () => {
    expect(verdictSummary(["consistent", "inconclusive", "consistent"])).toBe("verdicts: 2 consistent, 1 inconclusive -> exit code 3");
  });

  it("an unknown verdict word is an internal error, not a silent 0", () => {
    expect(() => exitCodeOf(["probably" as VerdictWord])).toThrow(/unknown verdict/);
  });
});

describe("a property applied to zero draws", () => {
  it("is not-applicable, never pass (issue 16: 'simulated-ordering PASS (applied to 0 of 2 parameter draws)')", () => {
    // at a = 0 the link is He3 (orderings differ); every draw of this seed has a > 0, where IE = 2 and both
    // algorithms are predicted at d^1, so the ordering property applies to none of them
    const [r] = checkLink("He(3,z) + a*He(2,z)", { params: [{ name: "a", lo: 0, hi: 1 }], properties: PROPERTIES.filter((p) => p.id === "simulated-ordering") });
    expect(r!.status).toBe("not-applicable");
    expect(r!.detail).toMatch(/applied to 0 of \d+ parameter draws/);
  });
});
