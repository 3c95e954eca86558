// A claim conditioned on an exact alpha_c (theory conditions.alphaCExact): the phase-retrieval thresholds
// (alpha_WR = 1/2) apply where alpha_c = 1/2 is proved, and never beside a computed alpha_c that contradicts them.
import { describe, expect, it } from "vitest";
import { predictLink } from "../../src/predictions/predictLink.js";

const claim = (link: string) => {
  const p = predictLink(link, { maxDegree: 6 }).predictions.find((q) => q.claimId === "phase-retrieval-thresholds");
  if (!p) throw new Error(`no phase-retrieval-thresholds entry for ${link}`);
  return p;
};

describe("phase-retrieval-thresholds needs alpha_c = 1/2 exactly", () => {
  it("applies to z^2 and abs(z), where Y determines Z^2 and alpha_c = 1/2 is proved", () => {
    for (const link of ["z^2", "abs(z)"]) expect(claim(link).applies, link).toBe(true);
  });
  it("does not apply to even GE-2 links with another alpha_c (He_4: 0.6449; a link constant up to a far tail: >= 5e15)", () => {
    // both passed the former conditions (GE = 2, even) and were printed with alpha_WR = 1/2 beside their own alpha_c
    for (const link of ["He(4,z)", "-max(abs(z), 20) - 4"]) {
      const p = claim(link);
      expect(p.applies, link).toBe(false);
      expect(p.reason, link).toMatch(/needs alpha_c = 1\/2 exactly; here alpha_c (= 0\.644|>= 5e\+?15|>= 5000000000000000)/);
    }
  });
});
