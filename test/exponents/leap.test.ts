import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { relevantCoordinates } from "../../src/exponents/support.js";
import { leapOfSupport, newDegree } from "../../src/exponents/leap.js";
import { supportOf } from "../../src/exponents/support.js";
import { exponentProfile } from "../../src/exponents/profile.js";
import { generativeExponent } from "../../src/exponents/generative.js";
import { analyzeLink } from "../../src/analyze.js";

/** Leap by brute force over every ordering of the support (the definition, arXiv 2302.11055). */
function bruteLeap(support: number[][], coords: number[]): number | null {
  let best: number | null = null;
  const perm = (rest: number[][], learned: Set<number>, worst: number) => {
    if (best !== null && worst >= best) return;
    if (coords.every((j) => learned.has(j))) { best = worst; return; }
    rest.forEach((a, i) => {
      const nd = newDegree(a, learned);
      const next = new Set(learned); supportOf(a).forEach((j) => next.add(j));
      perm(rest.filter((_, t) => t !== i), next, Math.max(worst, nd));
    });
  };
  perm(support, new Set(), 0);
  return best;
}

describe("leap exponent", () => {
  it("the threshold-closure computation equals the minimum over orderings", () => {
    const alpha = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }).filter((a) => a.some((x) => x > 0));
    fc.assert(fc.property(fc.array(alpha, { minLength: 1, maxLength: 5 }), (support) => {
      const coords = [...new Set(support.flatMap((a) => supportOf(a)))];
      expect(leapOfSupport(support, coords)).toBe(bruteLeap(support, coords));
    }), { numRuns: 200 });
  });
  it("Leap(He_k(z1)) = k; Leap(z1 + z1 z2 z3) = 2; Leap(z1 + He_3(z2)) = 3; merged staircase z1 + z1 z2 has leap 1", () => {
    for (const k of [1, 2, 3, 4]) expect(exponentProfile(parseLink(`He(${k}, z1) + 0*z2`)).leapExponent).toBe(k);
    expect(exponentProfile(parseLink("z1 + z1*z2*z3")).leapExponent).toBe(2);
    expect(exponentProfile(parseLink("z1 + He(3, z2)")).leapExponent).toBe(3);
    expect(exponentProfile(parseLink("z1 + z1*z2")).leapExponent).toBe(1);
  });
  it("a coordinate that occurs but does not matter (0*z4) is not relevant", () => {
    expect(relevantCoordinates(parseLink("z1*z2 + 0*z4"))).toEqual([0, 1]);
    expect(relevantCoordinates(parseLink("z1 + z3 - z3"))).toEqual([0]);
  });
  it("staircase stages (subspaces) span exactly the coordinates the link depends on", () => {
    for (const s of ["z1 + z1*z2*z3", "z1*z2 + 0*z4", "z2 + He(3, z3)", "sign(z1*z2*z3)", "z1*z3"]) {
      const link = parseLink(s);
      const p = exponentProfile(link);
      const relevant = relevantCoordinates(link);
      for (const stairs of [p.staircase, p.generativeStaircase]) {
        const basis = stairs.flatMap((st) => st.basis);
        expect(basis.length, s).toBe(relevant.length);
        // every basis vector lives on the relevant coordinates
        for (const v of basis) v.forEach((x, j) => { if (!relevant.includes(j)) expect(Math.abs(x), s).toBeLessThan(1e-9); });
      }
    }
  });
});

describe("generative leap", () => {
  it("matches the theory notes' table (§2.5) in the given basis", () => {
    const cases: [string, number, number][] = [
      ["z1*z2", 2, 2], ["z1*z2*z3", 3, 2], ["sign(z1*z2*z3)", 3, 3], ["z1 + z1*z2*z3", 2, 2], ["z1 + He(3, z2)", 3, 1],
    ];
    for (const [s, leap, gleap] of cases) {
      const p = exponentProfile(parseLink(s));
      expect([s, p.leapExponent, p.generativeLeap]).toEqual([s, leap, gleap]);
      expect(p.generativeLeap!).toBeLessThanOrEqual(p.leapExponent!);
    }
  });
  it("a link depending on one coordinate gets the single-index exponents", () => {
    for (const [multi, single] of [["He(3, z2) + 0*z1", "He(3, z)"], ["He(4, z1)", "He(4, z)"], ["relu(z3)", "relu(z)"]] as const) {
      const p = exponentProfile(parseLink(multi)), q = exponentProfile(parseLink(single));
      expect(p.leapExponent).toBe(q.informationExponent);
      expect(p.generativeLeap).toBe(generativeExponent(parseLink(single), { maxDegree: 4 }).value);
    }
  });
  it("the zeros it uses are proved by a sign-flip symmetry: z1 z2 z3 has no degree-1 stage", () => {
    const p = exponentProfile(parseLink("z1*z2*z3"));
    expect(p.generativeStaircase[0]!.exponent).toBe(2);
  });
  it("analyze keeps the foundation keys and adds the exponent keys", () => {
    const a = analyzeLink("z1 + z1*z2*z3", { maxDegree: 4 });
    for (const key of ["link", "parsed", "kind", "variables", "parity", "parityProof", "hermite", "informationExponent", "informationExponentNote", "informationExponentEvidence",
      "generativeExponent", "generativeSpectrum", "leapExponent", "generativeLeap", "staircase"]) expect(a).toHaveProperty(key);
    expect(a.staircase!.map((s) => s.exponent)).toEqual([1, 2]);
    expect(a.subspaces!.giantStepDirection).toEqual([1, 0, 0]);
    const b = analyzeLink("He(3,z)", { maxDegree: 6 });
    expect(b.generativeExponent).toBe(1);
    expect(b.generativeSpectrum.length).toBe(6);
    expect(b.labelPowerExponents).toEqual([3, 2, 1, 2]);
  });
});
