/**
 * The prediction engine: worked examples from the papers (profiles computed by index-lab from the link, and by hand
 * from the theory notes §2.5), and properties over random exponent profiles (fast-check).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { ExponentProfile } from "../../src/exponents/profile.js";
import { predict, type Prediction } from "../../src/predictions/engine.js";
import { predictLink } from "../../src/predictions/predictLink.js";
import { claimById } from "../../src/theory/loader.js";
import { profileBindings } from "../../src/predictions/bindings.js";

const byId = (ps: Prediction[], id: string) => {
  const p = ps.find((q) => q.claimId === id);
  if (!p) throw new Error(`no prediction ${id}`);
  return p;
};

/** A single-index profile from its exponents (as in the notes' table §2.5). */
function single(IE: number | null, GE: number | null, powers: (number | null)[], parity: ExponentProfile["parity"] = "none"): ExponentProfile {
  return {
    kind: "single", dimension: 1, parity, informationExponent: IE, generativeExponent: GE, labelPowerExponents: powers,
    leapExponent: IE, generativeLeap: GE, staircase: [], generativeStaircase: [], firstHermiteVector: [IE === 1 ? 1 : 0], notes: [],
  };
}

describe("worked examples: single-index He_k (notes §2.5: IE = k, GE = 1 for odd k, 2 for even k)", () => {
  // Ben Arous et al. 2021 as restated in the abstract of Damian et al. 2023: d^{k-1} for k >= 3 (d, d log d below);
  // Damian et al. 2023 abstract: smoothed SGD and CSQ d^{k/2}; Lee et al. 2024 abstract: reuse d^{max(GE-1,1)}.
  for (const k of [1, 2, 3, 4, 5, 6]) {
    it(`He_${k}`, () => {
      const GE = k === 1 ? 1 : k % 2 ? 1 : 2;
      const ps = predict(single(k, GE, [k, 2, k % 2 ? 1 : 2, 2], k % 2 ? "odd" : "even"));
      const bgj = byId(ps, "bgj-online-sgd").scaling!;
      expect(bgj.exponent).toBe(Math.max(k - 1, 1));
      expect(bgj.logPower).toBe(k === 2 ? 1 : 0);
      expect(byId(ps, "csq-lower-bound").scaling!.exponent).toBe(Math.max(k / 2, 1));
      expect(byId(ps, "smoothed-online-sgd").scaling!.exponent).toBe(Math.max(k / 2, 1));
      expect(byId(ps, "sq-lower-bound").scaling!.exponent).toBe(1); // GE <= 2 for polynomials
      expect(byId(ps, "batch-reuse-generative").scaling!.exponent).toBe(1);
    });
  }
});

describe("worked examples from the link (index-lab's own exponents)", () => {
  it("He_3 = z^3 - 3z: seed-000 batch-reuse kinks at eta ~ d^{-3/2} and d^{-1}; alternating kink at d^{-1/2} (notes §3.1)", () => {
    const r = predictLink("z^3-3*z", { d: 4096 });
    const br = byId(r.predictions, "tsiolis-batch-reuse-lr-curve").curve!;
    expect(br.kinks.map((k) => k.x)).toEqual([-1.5, -1]);
    expect(br.smallEnd.exponent).toBe(2); // d^2: online SGD (IE regime)
    expect(br.largeEnd.exponent).toBe(1); // d: GE regime
    expect(br.kinks[0]!.eta).toBeCloseTo(4096 ** -1.5, 12);
    const alt = byId(r.predictions, "tsiolis-alternating-lr-curve").curve!;
    expect(alt.kinks[0]!.x).toBe(-0.5);
    expect(alt.largeEnd.exponent).toBe(1); // p2 = IE(He_3^2) = 2 -> d (up to logs)
    // BGJ: d^2 samples; Lee et al.: polynomial link -> d polylog d
    expect(byId(r.predictions, "bgj-online-sgd").scaling!.formula).toBe("d^2");
    expect(byId(r.predictions, "bgj-online-sgd").scaling!.value).toBe(4096 ** 2);
    expect(byId(r.predictions, "batch-reuse-polynomial").applies).toBe(true);
    // seed 002: He_3 (odd, GE 1) is learned at step 2 of multi-pass GD, not at step 1 (C_1 = 0)
    const items = byId(r.predictions, "reuse-two-steps-learn").structure!.items;
    expect(items).toEqual([expect.objectContaining({ what: "step 2", value: "learns {z}" })]);
  });

  it("relu: IE 1, so online SGD needs d samples; not a polynomial, so Lee et al.'s polynomial theorem does not apply", () => {
    const r = predictLink("relu(z)");
    expect(byId(r.predictions, "bgj-online-sgd").scaling!.exponent).toBe(1);
    const poly = byId(r.predictions, "batch-reuse-polynomial");
    expect(poly.applies).toBe(false);
    expect(poly.reason).toMatch(/polynomial/);
    // one giant step at n ~ d learns the direction (c_1[relu] = 1/2 != 0; Dandi et al. 2023 abstract)
    expect(byId(r.predictions, "giant-step-single-direction").applies).toBe(true);
  });

  it("He_4: even, so multi-pass GD never learns it in finite T (Dandi et al. 2024, Sec. 2.3)", () => {
    const r = predictLink("He(4,z)");
    const s = byId(r.predictions, "reuse-two-steps-learn").structure!;
    expect(s.items[0]!.what).toBe("never in finite T");
    expect(byId(r.predictions, "bgj-online-sgd").scaling!.exponent).toBe(3);
  });

  it("z1*z2*z3: leap 3 -> online d^2 (Abbe et al. 2023); each direction needs n ~ d^3 in one step; reuse never learns it at n ~ d", () => {
    const r = predictLink("z1*z2*z3");
    expect(byId(r.predictions, "leap-online-sgd").scaling!.exponent).toBe(2);
    const g = byId(r.predictions, "giant-step-leap-index").structure!;
    // the one-step filtration: nothing below order 3, then the whole three-dimensional subspace
    expect(g.items.filter((i) => i.what.startsWith("order")).map((i) => i.what)).toEqual(["order 3 (n ~ d^3)"]);
    expect(g.summary).toBe("one step learns every direction once n ~ d^3");
    // Dandi et al. 2024: not learned in finite T at n = O(d) (notes §2.5 table)
    expect(byId(r.predictions, "reuse-two-steps-learn").structure!.items[0]!.what).toBe("never in finite T");
    expect(byId(r.predictions, "bgj-online-sgd").applies).toBe(false); // a single-index theorem
  });

  it("z1 + z1*z2*z3: leap 2 (Dandi et al. 2024): z1 in one step at n ~ d, {z2, z3} need n ~ d^3 in one step and are not on the n ~ d staircase", () => {
    const r = predictLink("z1 + z1*z2*z3");
    expect(byId(r.predictions, "leap-online-sgd").scaling!.exponent).toBe(1);
    const g = byId(r.predictions, "giant-step-leap-index").structure!.items;
    expect(g.find((i) => i.what === "order 1 (n ~ d^1)")!.value).toMatch(/span\{\(1, 0, 0\)\}/);
    expect(g.find((i) => i.what === "order 3 (n ~ d^3)")!.value).toMatch(/span\{\(0, 1, 0\), \(0, 0, 1\)\}/);
    const st = byId(r.predictions, "giant-step-staircase").structure!.items;
    expect(st[0]).toEqual(expect.objectContaining({ what: "step 1", value: expect.stringMatching(/\(1, 0, 0\)/) }));
    expect(st.find((i) => i.what === "never at n ~ d")!.value).toBe("the remaining 2-dimensional subspace");
  });

  it("seed-001 staircase target z1 + z1^2 + z2 - z2^2: one step learns the single direction (1,1)/sqrt2; a few steps learn both", () => {
    const r = predictLink("z1 + z1^2 + z2 - z2^2");
    const items = byId(r.predictions, "giant-step-single-direction").structure!.items;
    expect(items[0]!.value).toMatch(/\(0\.7071, 0\.7071\)/);
    const st = byId(r.predictions, "giant-step-staircase");
    expect(st.applies).toBe(true);
    expect(st.structure!.summary).toMatch(/whole two-dimensional subspace is learned in 2 steps/);
  });

  it("tanh(z1 + He_3(z2)): fresh steps at n ~ d learn C_1 only; the orthogonal direction is left to reuse (notes §2.5, §3.3 claim 4)", () => {
    const r = predictLink("tanh(z1+He(3,z2))");
    const st = byId(r.predictions, "giant-step-staircase").structure!;
    expect(st.items.map((i) => i.what)).toEqual(["step 1", "never at n ~ d"]);
    // with reuse (seed 002) the generative staircase has exponent 1 everywhere: the whole subspace is learned
    expect(byId(r.predictions, "reuse-two-steps-learn").structure!.summary).toMatch(/whole target subspace/);
  });

  it("claims that need a finite exponent say so rather than printing a number", () => {
    const r = predictLink("sign(z1*z2*z3)", { maxDegree: 2 });
    const p = byId(r.predictions, "leap-online-sgd");
    expect(p.applies).toBe(false);
    expect(p.reason).toMatch(/not finite up to the degree computed/);
  });
});

describe("seed 004: regimes in gamma (Atanasov et al. 2024 abstract; toy constants derived here)", () => {
  it("eta* slopes 2 and 2/L; toy prefactor 2/L", () => {
    const ps = predict(single(1, 1, [1, 2, 1, 2]), null, { L: 4, gamma: 100 });
    const opt = byId(ps, "feature-strength-optimal-lr").regimes!;
    expect(opt.map((r) => r.exponent)).toEqual([2, 0.5]);
    const toy = byId(ps, "feature-strength-toy-max-lr").regimes!;
    expect(toy[1]!.value).toBeCloseTo((2 / 4) * 100 ** 0.5, 12);
  });
});

// --- properties over random exponent profiles -------------------------------------------------------------------

/** Consistent profiles: 1 <= GE <= IE, p1 = IE, GE <= p_k (GE <= min_k IE(f^k)), some p_k possibly above K (null). */
const profileArb = fc.record({
  IE: fc.integer({ min: 1, max: 8 }),
  geOffset: fc.integer({ min: 0, max: 7 }),
  p: fc.array(fc.option(fc.integer({ min: 0, max: 7 }), { nil: null, freq: 4 }), { minLength: 3, maxLength: 3 }),
  hitGE: fc.boolean(),
}).map(({ IE, geOffset, p, hitGE }) => {
  const GE = Math.max(1, IE - geOffset);
  const powers: (number | null)[] = [IE, ...p.map((o) => (o === null ? null : Math.min(8, GE + o)))];
  if (hitGE && !powers.includes(GE)) powers[2] = GE; // min_k p_k = GE (the usual case: a label power witnesses GE)
  return single(IE, GE, powers);
});

const curveFormula = (id: string) => claimById(id).curve!.logExponent;

describe("seed-000 learning-rate curves (properties)", () => {
  for (const id of ["tsiolis-batch-reuse-lr-curve", "tsiolis-alternating-lr-curve"]) {
    it(`${id}: continuous, non-increasing in eta, meets the IE regime at small eta and its stated end at large eta`, () => {
      const f = curveFormula(id);
      const spec = claimById(id).claim.curve!;
      fc.assert(fc.property(profileArb, fc.double({ min: -6, max: 1, noNaN: true }), (prof, x) => {
        const b = profileBindings(prof);
        const h = 1e-6;
        const y0 = f.evaluate({ ...b, x }), y1 = f.evaluate({ ...b, x: x + h });
        expect(y1).toBeLessThanOrEqual(y0 + 1e-12);            // non-increasing
        expect(Math.abs(y1 - y0)).toBeLessThanOrEqual(6 * h + 1e-12); // Lipschitz (slopes <= 6): continuous
        const IE = prof.informationExponent!;
        expect(f.evaluate({ ...b, x: spec.from })).toBe(Math.max(IE - 1, 1)); // IE regime = online SGD (BGJ)
        expect(f.evaluate({ ...b, x: spec.to })).toBe(claimById(id).curve!.largeEnd.evaluate(b));
      }), { numRuns: 300 });
    });
  }

  it("batch reuse: the large-eta end is the GE regime d^{max(GE-1,1)} when a label power witnesses GE, and never below it", () => {
    const f = curveFormula("tsiolis-batch-reuse-lr-curve");
    fc.assert(fc.property(profileArb, (prof) => {
      const b = profileBindings(prof);
      const end = f.evaluate({ ...b, x: 1 });
      const GE = prof.generativeExponent!;
      expect(end).toBeGreaterThanOrEqual(Math.max(GE - 1, 1));
      const minP = Math.min(...prof.labelPowerExponents.map((p) => p ?? Infinity));
      if (minP === GE) expect(end).toBe(Math.max(GE - 1, 1));
    }), { numRuns: 300 });
  });

  it("the engine's kinks lie where the slope changes, and the curve is linear between them", () => {
    fc.assert(fc.property(profileArb, (prof) => {
      const [p] = predict(prof, null, { claims: ["tsiolis-batch-reuse-lr-curve"] });
      const f = curveFormula("tsiolis-batch-reuse-lr-curve");
      const b = profileBindings(prof);
      const y = (x: number) => f.evaluate({ ...b, x });
      for (const k of p!.curve!.kinks) {
        expect(y(k.x)).toBeCloseTo(k.exponent, 7);
        const left = (y(k.x) - y(k.x - 1e-3)) / 1e-3, right = (y(k.x + 1e-3) - y(k.x)) / 1e-3;
        expect(left).toBeCloseTo(k.slopeLeft, 4);
        expect(right).toBeCloseTo(k.slopeRight, 4);
      }
      for (const r of p!.regimes!) {
        const mid = (r.from! + r.to!) / 2;
        expect(y(mid)).toBeCloseTo(r.exponentFrom! + r.slope! * (mid - r.from!), 7);
      }
    }), { numRuns: 150 });
  });
});

describe("orderings the theory states (properties)", () => {
  it("GE <= IE => reuse never needs more than online; lower bounds below the algorithms that attain them", () => {
    fc.assert(fc.property(profileArb, (prof) => {
      const ps = predict(prof);
      const e = (id: string) => byId(ps, id).scaling!.exponent!;
      expect(e("batch-reuse-generative")).toBeLessThanOrEqual(e("bgj-online-sgd"));
      expect(e("sq-lower-bound")).toBeLessThanOrEqual(e("csq-lower-bound"));
      expect(e("csq-lower-bound")).toBeLessThanOrEqual(e("bgj-online-sgd"));
      expect(e("information-theoretic-rate")).toBeLessThanOrEqual(e("sq-lower-bound"));
      expect(e("smoothed-online-sgd")).toBe(e("csq-lower-bound")); // Damian et al. 2023 close the gap
      const br = byId(ps, "tsiolis-batch-reuse-lr-curve").curve!;
      expect(br.largeEnd.exponent).toBeLessThanOrEqual(br.smallEnd.exponent);
      expect(br.smallEnd.exponent).toBe(e("bgj-online-sgd"));
    }), { numRuns: 300 });
  });
});

describe("invariance under z -> -z (properties over random polynomial links)", () => {
  it("every exponent, scaling and applicability is unchanged by the reflection", () => {
    const coef = fc.integer({ min: -3, max: 3 });
    fc.assert(fc.property(fc.array(coef, { minLength: 4, maxLength: 4 }), (a) => {
      fc.pre(a.some((c) => c !== 0));
      const src = a.map((c, k) => `${c}*He(${k + 1},z)`).join(" + ");
      const neg = a.map((c, k) => `${c}*He(${k + 1},-z)`).join(" + ");
      const strip = (ps: Prediction[]) => ps.filter((p) => p.claimId !== "reuse-first-step-overlap" && p.claimId !== "giant-step-single-direction")
        .map((p) => [p.claimId, p.applies, p.scaling?.exponent ?? null, p.scaling?.logPower ?? null, p.curve?.kinks.map((k) => k.x) ?? null]);
      const P = predictLink(src, { maxDegree: 6 }), Q = predictLink(neg, { maxDegree: 6 });
      expect(strip(Q.predictions)).toEqual(strip(P.predictions));
      // the first-step overlap flips sign with C_1 (Dandi et al. 2024): E[g(-h) h] = -E[g(h) h]
      expect(Q.profile.firstHermiteVector[0]).toBeCloseTo(-P.profile.firstHermiteVector[0]!, 9);
    }), { numRuns: 8 });
  });
});
