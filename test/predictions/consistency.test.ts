/**
 * The catalog checks itself (issue 14 §2). Each fix comes with a test that fails on the pre-issue behaviour:
 *  - the audit over >= 200 generated links finds no pair of claims where a lower bound exceeds an upper bound;
 *  - csq-leap-lower-bound read as a bound on samples or time conflicted with smoothed-online-sgd on He5 + 0.3 He4;
 *  - data-repetition-sgd follows the generative stages (z1 + z1 z2 z3: a degree-2 stage after a degree-1 one);
 *  - a claim whose structure says nothing is learned prints no finite scaling (notLearned, scaling null);
 *  - predict uses the zeros analyze proved (no "spike along C_1 = 1.6e-17");
 *  - a proved lower bound on lambda_k^2 holds (reference: mpmath at 50 digits).
 */
import { describe, expect, it } from "vitest";
import { predictLink } from "../../src/predictions/predictLink.js";
import { auditCorpus, catalogConflicts } from "../../src/testing/consistency.js";
import { generativeExponent } from "../../src/exponents/generative.js";
import { parseLink } from "../../src/link/link.js";
import type { Prediction } from "../../src/predictions/engine.js";

const byId = (ps: Prediction[], id: string) => ps.find((p) => p.claimId === id)!;

describe("catalog consistency audit", () => {
  it("no lower bound exceeds an upper bound the catalog also states, over 200 generated links (all families, all parities)", () => {
    const corpus = auditCorpus(183);
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const conflicts: string[] = [];
    for (const text of corpus) {
      const r = predictLink(text, { maxDegree: 4 });
      for (const c of catalogConflicts(r.kind, r.predictions)) conflicts.push(`${text}: ${c.reason}`);
    }
    expect(conflicts).toEqual([]);
  }, 120_000);

  it("He5 + 0.3 He4: the pre-audit reading of csq-leap-lower-bound (a bound on samples/time) conflicts with smoothed online SGD; the q/tau^2 reading does not", () => {
    const r = predictLink("He(5,z)+0.3*He(4,z)", { maxDegree: 6 });
    const csq = byId(r.predictions, "csq-leap-lower-bound");
    expect(csq.scaling!.exponent).toBe(4); // max(Leap, 2) with Leap = IE = 4
    expect(csq.measures).toBe("queries-over-tolerance");
    expect(catalogConflicts(r.kind, r.predictions)).toEqual([]);
    const misread = r.predictions.map((p) => (p.claimId === "csq-leap-lower-bound" ? { ...p, measures: "samples-weak-recovery" } : p));
    const found = catalogConflicts(r.kind, misread);
    expect(found.map((c) => [c.lower.claimId, c.upper.claimId])).toContainEqual(["csq-leap-lower-bound", "smoothed-online-sgd"]);
  });

  it("data-repetition-sgd on z1 + z1*z2*z3 follows the stages: d log d (degree-2 stage), not d from the first stage", () => {
    const r = predictLink("z1 + z1*z2*z3");
    expect(r.profile.generativeExponent).toBe(1);
    expect(r.profile.generativeLeap).toBe(2);
    const s = byId(r.predictions, "data-repetition-sgd").scaling!;
    expect([s.exponent, s.logPower]).toEqual([1, 1]);
  });

  it("reuse-two-steps-learn on an even link: not learned at n = Theta(d), so scaling null with the reason, in the JSON too", () => {
    for (const link of ["He(4,z)", "z1*z2*z3"]) {
      const p = byId(predictLink(link).predictions, "reuse-two-steps-learn");
      expect(p.applies, link).toBe(true);
      expect(p.scaling, link).toBeNull();
      expect(p.notLearned?.reason, link).toMatch(/generative exponent >= 2/);
      const json = JSON.parse(JSON.stringify(p));
      expect(json.scaling).toBeNull();
      expect(json.notLearned.what).toBeTruthy();
    }
    // learned links keep their finite scaling
    expect(byId(predictLink("He(3,z)").predictions, "reuse-two-steps-learn").scaling!.formula).toBe("d");
  });

  it("one truth per fact: z*cos(z) and cos(3*z) have C_1 = 0 in analyze, so no first-step spike is printed", () => {
    for (const link of ["z*cos(z)", "cos(3*z)"]) {
      const r = predictLink(link);
      expect(r.profile.firstHermiteVector, link).toEqual([0]);
      expect(byId(r.predictions, "reuse-first-step-overlap").structure!.summary, link).toBe("C_1 = 0: the first step gives no macroscopic overlap");
    }
  });

  it("a proved lower bound on lambda_2^2 holds for step(|z| - 0.5) - step(|z| - 1.608310598815743)", () => {
    // mpmath, 50 digits (constant read as the decimal it is written as): c_2 = -3.9877969036179359824e-18,
    // E[f^2] = P(0.5 <= |Z| < b) = 0.50930790692190493562, lambda_2^2 = c_2^2/m + c_2^2/(1-m) = 6.3632148205126546956e-35
    const g = generativeExponent(parseLink("step(abs(z)-0.5)-step(abs(z)-1.608310598815743)"), { maxDegree: 4 });
    const e = g.spectrum.find((s) => s.k === 2)!;
    const m = /lambda_2\^2 >= c_2\^2\/E\[f\^2\] >= ([0-9.e+-]+)/.exec(e.reason);
    expect(m, e.reason).not.toBeNull();
    const bound = Number(m![1]);
    expect(bound).toBeLessThanOrEqual(6.3632148205126546956e-35);
    expect(bound).toBeGreaterThan(0.99 * 3.1223791989829095366e-35); // c_2^2/E[f^2] itself
  });
});
