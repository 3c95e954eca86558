/**
 * Rotation invariance (issue 14 §1): the data are isotropic and every algorithm of the catalog is rotation invariant,
 * so a link g and g o Q (Q orthogonal) must get the same exponents, scalings and regimes, with stage subspaces
 * rotated by Q^T. Rotations are exact: products of Givens rotations with rational (Pythagorean) cosines, so the
 * rotated polynomial links stay on the exact-polynomial path.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import Fraction from "fraction.js";
import { predictLink, type LinkPredictions } from "../../src/predictions/predictLink.js";
import { staircaseLinkArbitrary } from "../../src/testing/arbitraries.js";

/** An exact rational rotation of R^r: a product of Givens rotations with cos = (1 - t^2)/(1 + t^2), sin = 2t/(1 + t^2). */
function rationalRotation(r: number, moves: { i: number; j: number; t: Fraction }[]): Fraction[][] {
  let Q = Array.from({ length: r }, (_, a) => Array.from({ length: r }, (_, b) => new Fraction(a === b ? 1 : 0)));
  for (const { i, j, t } of moves) {
    if (i === j) continue;
    const den = t.mul(t).add(1), c = new Fraction(1).sub(t.mul(t)).div(den), s = t.mul(2).div(den);
    const G = Array.from({ length: r }, (_, a) => Array.from({ length: r }, (_, b) => new Fraction(a === b ? 1 : 0)));
    G[i]![i] = c; G[j]![j] = c; G[i]![j] = s.neg(); G[j]![i] = s;
    Q = Q.map((row) => G[0]!.map((_, b) => row.reduce((acc, q, k) => acc.add(q.mul(G[k]![b]!)), new Fraction(0))));
  }
  return Q;
}

/** g(Q u) written in u = z1..zr: substitute z_i -> sum_j Q_ij z_j. */
function rotateText(text: string, Q: Fraction[][]): string {
  const r = Q.length;
  let out = text;
  for (let i = 1; i <= r; i++) out = out.replace(new RegExp(`\\bz${i}\\b`, "g"), `__Z${i}__`);
  for (let i = 1; i <= r; i++) {
    const terms = Q[i - 1]!.map((q, j) => (q.equals(0) ? null : `(${q.toFraction()})*z${j + 1}`)).filter((x) => x !== null);
    out = out.split(`__Z${i}__`).join(`(${terms.join(" + ")})`);
  }
  return out;
}

/** Everything predict asserts, with the printed vectors (basis-dependent) replaced by a placeholder. */
function invariantView(r: LinkPredictions) {
  const strip = (s: string) => s.replace(/\((-?[0-9.e-]+(, )?)+\)/g, "(v)");
  const p = r.profile;
  return {
    exponents: [p.kind, p.dimension, p.parity, p.informationExponent, p.generativeExponent, p.leapExponent, p.generativeLeap, p.labelPowerExponents],
    stages: p.staircase.map((s) => [s.exponent, s.basis.length]),
    generativeStages: p.generativeStaircase.map((s) => [s.exponent, s.basis.length]),
    predictions: r.predictions.map((q) => ({
      claim: q.claimId, applies: q.applies, scaling: q.scaling, regimes: q.regimes ?? null, curve: q.curve ?? null,
      notLearned: q.notLearned ? true : false, structure: q.structure ? strip(q.structure.summary) : null,
      items: q.structure?.items.map((i) => strip(i.what)) ?? null,
    })),
  };
}

/** Projector onto the span of the first `upTo` stages' bases. */
const projector = (stages: { basis: number[][] }[], upTo: number, r: number) => {
  const vs = stages.slice(0, upTo).flatMap((s) => s.basis);
  return Array.from({ length: r }, (_, i) => Array.from({ length: r }, (_, j) => vs.reduce((acc, v) => acc + v[i]! * v[j]!, 0)));
};

/** The stage subspaces of g o Q are Q^T times those of g: P' = Q^T P Q at every stage. */
function expectRotatedStages(a: LinkPredictions, b: LinkPredictions, Q: number[][]) {
  const r = Q.length;
  for (const key of ["staircase", "generativeStaircase"] as const) {
    const sa = a.profile[key], sb = b.profile[key];
    for (let t = 1; t <= sa.length; t++) {
      const P = projector(sa, t, r), Pb = projector(sb, t, r);
      for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
        let v = 0;
        for (let k = 0; k < r; k++) for (let l = 0; l < r; l++) v += Q[k]![i]! * P[k]![l]! * Q[l]![j]!;
        expect(Math.abs(v - Pb[i]![j]!), `${key} stage ${t}`).toBeLessThan(1e-8);
      }
    }
  }
}

describe("rotation invariance of predict (issue 14 §1)", () => {
  it("named case: z1 + He(3,z2) and (z1+z2)/sqrt(2) + He(3,(z1-z2)/sqrt(2)) get the same predictions (online SGD d^2, CSQ d^3)", () => {
    const a = predictLink("z1 + He(3,z2)"), b = predictLink("(z1+z2)/sqrt(2) + He(3,(z1-z2)/sqrt(2))");
    expect(invariantView(b)).toEqual(invariantView(a));
    for (const r of [a, b]) {
      expect(r.profile.leapExponent).toBe(3);
      expect(r.predictions.find((p) => p.claimId === "leap-online-sgd")!.scaling!.exponent).toBe(2);
      expect(r.predictions.find((p) => p.claimId === "csq-leap-lower-bound")!.scaling!.exponent).toBe(3);
    }
    // C_1 spans (1,1)/sqrt2 in the rotated basis; the orthogonal direction is reached only at degree 3
    const s = b.profile.staircase;
    expect(s.map((t) => t.exponent)).toEqual([1, 3]);
    expect(Math.abs(s[0]!.basis[0]![0]! * s[0]!.basis[0]![1]!)).toBeCloseTo(0.5, 12);
    const c = Math.SQRT1_2, Q = [[c, -c], [c, c]]; // z = Q u with u1 = (z1+z2)/sqrt2, u2 = (z2-z1)/sqrt2
    expectRotatedStages(a, b, Q.map((row, i) => row.map((_, j) => Q[j]![i]!)).map((row) => row));
  });

  it("property: staircase links and exact rational rotations of z1..zr leave every exponent, scaling and regime unchanged", () => {
    const t = fc.constantFrom(new Fraction(1, 2), new Fraction(1, 3), new Fraction(2, 3), new Fraction(-1, 2), new Fraction(3, 4), new Fraction(1));
    const link = fc.oneof(
      staircaseLinkArbitrary({ r: 2 }).filter((l) => !l.text.includes("He(4")),
      staircaseLinkArbitrary({ r: 3, leap: 1 }),
      fc.constantFrom("z1 + He(3, z2)", "z1 + z1*z2*z3", "z1*z2 + He(3, z3)", "z1 + z2^2", "z1 + z1^2 + z2 - z2^2").map((text) => ({ text, kind: "multi" as const })),
    );
    fc.assert(fc.property(link, fc.array(fc.record({ i: fc.nat(2), j: fc.nat(2), t }), { minLength: 1, maxLength: 3 }), (l, moves) => {
      const r = Math.max(...[...l.text.matchAll(/z(\d)/g)].map((m) => Number(m[1])));
      const Qf = rationalRotation(r, moves.filter((m) => m.i < r && m.j < r));
      const a = predictLink(l.text), b = predictLink(rotateText(l.text, Qf));
      expect(invariantView(b), `${l.text} rotated: ${rotateText(l.text, Qf)}`).toEqual(invariantView(a));
      expectRotatedStages(a, b, Qf.map((row) => row.map((q) => q.valueOf())));
    }), { numRuns: 10, seed: 1414 });
  });
});
