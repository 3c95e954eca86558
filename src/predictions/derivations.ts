/**
 * Structured predictions computed from a link's Hermite data, named by the `derivation` field of a claim.
 * Each returns what is learned (or when), with the rule it applied, so a reader can retrace it.
 */
import type { ExponentProfile } from "../exponents/profile.js";
import type { LinkFacts } from "./facts.js";
import type { MultiIndexLearnability } from "../exponents/weakLearnability.js";

/** A structured prediction (e.g. which directions one giant step learns), one line per item with the rule applied. */
export interface DerivedStructure {
  readonly kind: string;
  /** One line per item: what, when, why; `exact` is the value's closed form when it has one (typeset in `--json`). */
  readonly items: { what: string; value: string; why: string; exact?: string }[];
  readonly summary: string;
  /** Set when the structure shows the claim's quantity is not reached in its regime (the scaling is then null). */
  readonly notLearned?: { what: string; reason: string };
}

const fmtVec = (v: number[]) => `(${v.map((x) => Number(x.toPrecision(4))).join(", ")})`;

const spanText = (basis: readonly number[][]) => `span{${basis.map(fmtVec).join(", ")}}`;

/** Seed 001: one giant step at n = Theta(d^l) learns S_l = sum_{k <= l} range T_k (Dandi et al. 2023, abstract;
 * notes §1.6, §3.2): l = 1 span(C_1), l = 2 adds range(C_2), and so on; basis-free (subspaces in z1..zr). */
function giantStepSubspaces(profile: ExponentProfile, facts: LinkFacts | null): DerivedStructure {
  if (!facts) return { kind: "giant-step-subspaces", items: [], summary: "needs the link's Hermite data (link facts)" };
  const items: DerivedStructure["items"] = [];
  const dir = facts.giantStepDirection;
  items.push(dir.length
    ? { what: "l = 1 (n ~ d)", value: `span(C_1), one direction ${fmtVec(dir)} in ${facts.variables.join(", ")}`, why: "C_1 = E[g(z) z] != 0; a single step at n ~ d learns only this direction" }
    : { what: "l = 1 (n ~ d)", value: "nothing", why: "C_1 = E[g(z) z] = 0 (IE >= 2)" });
  items.push({ what: "l = 2 (n ~ d^2)", value: `span(C_1) + range(C_2), dimension ${facts.orderTwoRank}`, why: "C_2 = E[g(z)(z z^T - I)]; specialisation to several directions needs n ~ d^2" });
  let dim = 0;
  for (const st of facts.oneStepStages) {
    dim += st.basis.length;
    items.push({ what: `order ${st.order} (n ~ d^${st.order})`, value: `adds ${spanText(st.basis)} (dimension ${dim} learned)`, why: `lowest non-zero Hermite order along these directions is ${st.order}: range of T_${st.order} = E[g He_${st.order}(z)] beyond the lower orders` });
  }
  const r = facts.variables.length;
  const reached = facts.oneStepStages.reduce((s, st) => s + st.basis.length, 0);
  const last = facts.oneStepStages.length ? facts.oneStepStages[facts.oneStepStages.length - 1]!.order : null;
  // one step at n ~ d learns at most one direction: several directions need n ~ d^2 at least
  const all = last === null || (reached < r && profile.leapExponent === null) ? null : reached > 1 ? Math.max(last, 2) : last;
  return { kind: "giant-step-subspaces", items, summary: all === null ? "some directions are not reached by one step at any computed order" : `one step learns every direction once n ~ d^${all}` };
}

/** Seed 001: T = O(1) fresh steps at n = Theta(d). Step 1 learns span(C_1); each further step the directions linearly
 * connected to what is learned (facts.freshStepStages, basis-free; our reading [derived here]). */
function giantStepStaircase(profile: ExponentProfile, facts: LinkFacts | null): DerivedStructure {
  if (profile.kind === "single") {
    const ok = profile.informationExponent === 1;
    return ok
      ? { kind: "giant-step-staircase", items: [{ what: "step 1", value: "{z}", why: "C_1 = c_1 != 0" }], summary: "the direction is learned in 1 step at n ~ d" }
      : { kind: "giant-step-staircase", items: [{ what: "never at n ~ d", value: "{z}", why: "c_1 = 0" }], summary: "nothing is learned at n ~ d", notLearned: { what: "{z}", reason: "c_1 = 0: fresh steps at n = Theta(d) have no correlational signal (Dandi et al. 2023, abstract)" } };
  }
  if (!facts) return { kind: "giant-step-staircase", items: [], summary: "needs the link's Hermite data (link facts)" };
  const steps = facts.freshStepStages;
  if (!steps.length) return { kind: "giant-step-staircase", items: [{ what: "never at n ~ d", value: "everything", why: "C_1 = 0" }], summary: "nothing is learned at n ~ d", notLearned: { what: "the whole target subspace", reason: "C_1 = E[g(z) z] = 0: one step at n = Theta(d) learns nothing, so later fresh steps have nothing to build on" } };
  const items: DerivedStructure["items"] = steps.map((st, i) => i === 0
    ? { what: "step 1", value: `learns span(C_1), direction ${fmtVec(st.basis[0]!)}`, why: "one step at n ~ d learns a single direction (Dandi et al. 2023, abstract)" }
    : { what: `step ${i + 1}`, value: `learns ${spanText(st.basis)}`, why: "linearly connected to the learned subspace U: E[g <u,z> <v,z>] != 0 for some u in U (range of P_perp C_2 P_U)" });
  if (facts.freshStepUnlearned > 0) {
    items.push({ what: "never at n ~ d", value: `the remaining ${facts.freshStepUnlearned}-dimensional subspace`, why: "not linearly connected to the learned subspace: P_perp C_2 P_U = 0 there" });
    return { kind: "giant-step-staircase", items, summary: `only a ${steps.reduce((s, t) => s + t.basis.length, 0)}-dimensional subspace is learned at n ~ d with fresh batches`, notLearned: { what: `a ${facts.freshStepUnlearned}-dimensional subspace of the target`, reason: "not linearly connected to span(C_1) and what follows it (P_perp C_2 P_U = 0)" } };
  }
  const n = steps.length;
  return { kind: "giant-step-staircase", items, summary: facts.variables.length === 2 && n === 2 ? "the whole two-dimensional subspace is learned in 2 steps at n ~ d" : `the whole target subspace is learned in ${n} steps at n ~ d` };
}

/** Seed 002: with a reused batch of n = Theta(d), the generative staircase's exponent-1 stages are learned in O(1)
 * steps (step 1: C_1, step 2: the label non-linearity); the first stage of exponent >= 2 and all after never in finite T. */
function reuseDirections(profile: ExponentProfile): DerivedStructure {
  const stages = profile.kind === "single"
    ? [{ directions: ["z"], exponent: profile.generativeExponent ?? Infinity }]
    : profile.generativeStaircase;
  const items: DerivedStructure["items"] = [];
  let blocked = false;
  const never: string[] = [];
  stages.forEach((s) => {
    const what = profile.kind === "single" ? `{${s.directions.join(", ")}}` : `span{${s.directions.join(", ")}}`;
    if (!blocked && s.exponent <= 1) {
      const step = profile.kind === "single" ? (profile.informationExponent === 1 ? "step 1" : "step 2") : "O(1) steps";
      items.push({ what: step, value: `learns ${what}`, why: profile.kind === "single" && profile.informationExponent === 1 ? "IE = 1: the first (correlational) step already aligns" : "generative exponent 1 along it: some F(y) correlates linearly (hidden progress at step 1, learned at step 2)" });
    } else {
      blocked = true; never.push(what);
      items.push({ what: "never in finite T", value: what, why: Number.isFinite(s.exponent) ? `generative exponent ${s.exponent} >= 2 along it (a symmetry such as evenness hides it from every F(y) <v, z>)` : "not reached up to the degree computed" });
    }
  });
  if (profile.kind === "multi" && profile.generativeLeap === null) { blocked = true; never.push("the directions no stage reaches"); items.push({ what: "never in finite T", value: "the directions no stage reaches", why: "not reached up to the degree computed" }); }
  return {
    kind: "reuse-directions", items,
    summary: blocked ? "part of the target subspace is never learned at n = Theta(d), T = O(1)" : "the whole target subspace is learned in O(1) steps at n = Theta(d)",
    ...(blocked ? { notLearned: { what: never.join(", "), reason: "generative exponent >= 2 along it given what is learned (Dandi et al. 2024, Sec. 2.3: such directions are not learned in finite T at n = Theta(d))" } } : {}),
  };
}

/** Seed 002: M^(1)_j = eta alpha a_j E[sigma'(h0)] E[g*(h*) h*]; E[g* h*] is C_1 in the given coordinates, with the
 * entries analyze proves zero set to 0 (profile.firstHermiteVector is judged). */
function firstStepOverlap(profile: ExponentProfile): DerivedStructure {
  const c1 = profile.firstHermiteVector;
  const names = profile.kind === "single" ? ["z"] : c1.map((_, i) => `z${i + 1}`);
  return {
    kind: "first-step-overlap",
    items: c1.map((v, i) => ({ what: `M1 along ${names[i]}`, value: v === 0 ? "0" : `eta * alpha * a_j * E[sigma'(h0)] * ${Number(v.toPrecision(6))}`, why: v === 0 ? `E[g*(h*) h*_${i + 1}] = 0 (proved or within its error bound; see analyze)` : `E[g*(h*) h*_${i + 1}] = c_(e_${i + 1}) = ${Number(v.toPrecision(6))}` })),
    summary: c1.every((v) => v === 0) ? "C_1 = 0: the first step gives no macroscopic overlap" : `rank-one spike along C_1 = ${fmtVec(c1)}`,
  };
}

/** Seed 003: phases in increasing Hermite degree; eps exponents 1 (degree 0), 1/2 with a log of d sqrt(eps) (degree 1), unknown beyond. */
function twoTimescalePhases(facts: LinkFacts | null): DerivedStructure {
  if (!facts) return { kind: "two-timescale-phases", items: [], summary: "needs the link's Hermite data (link facts)" };
  const items = facts.hermiteDegrees.map((k) => ({
    what: `degree ${k}`,
    value: k === 0 ? "t_0 ~ eps" : k === 1 ? "t_1 ~ sqrt(eps) log(c d sqrt(eps)) / (2 |sigma_1 phi_1|)" : "t_k ~ eps^beta_k (exponent not retrieved from the paper; measure it)",
    why: k === 0 ? "fast second layer fits the mean (derived here)" : k === 1 ? "instability of the neurons' spread at rate |sigma_1 phi_1|/sqrt(eps) from the initial spread ~ 1/d (derived here, theory/berthier-montanari-zhou-2023.yaml)" : "canonical learning order (BMZ, reported-2nd)",
  }));
  return { kind: "two-timescale-phases", items, summary: `plateaus then drops, in the order of degrees ${facts.hermiteDegrees.join(" < ")}` };
}

/** alpha_c = n/d of weak recovery (exponents/threshold.ts): 0 trivial (GE 1), 1/E[E[He_2|Y]^2] easy, inf hard. */
function weakRecovery(facts: LinkFacts | null): DerivedStructure {
  if (facts?.weakLearnability) return multiIndexLearnability(facts.weakLearnability);
  const t = facts?.weakRecovery ?? null;
  if (!t) return { kind: "weak-recovery-threshold", items: [], summary: facts?.variables.length && facts.variables.length > 1 ? "alpha_c not computed here (multi-index: the CLI's predict computes the subspaces; library: predictLink(link, { multiIndexLearnability: true }); r <= 4)" : "alpha_c not computed" };
  // undetermined: alphaC is only the certified lower end of the interval (time limit, or 2 lambda_2^2 unresolved)
  const v = t.exact ?? (t.alphaC === Infinity ? `inf (certified >= ${Number(t.interval[0].toPrecision(6))})`
    : t.regime === "undetermined" ? `not determined (certified >= ${Number(t.interval[0].toPrecision(6))})`
      : `${Number(t.alphaC.toPrecision(8))} +- ${Number(t.errorBound.toPrecision(2))}`);
  const meaning = t.regime === "trivial" ? "weak recovery at every alpha > 0 (trivial direction)"
    : t.regime === "hard" ? "no weak recovery at n = Theta(d) by spectral / first-order methods (hard direction)"
      : t.regime === "undetermined" ? `no weak recovery below n = ${Number(t.interval[0].toPrecision(6))} d; the threshold itself is not determined`
        : `weak recovery iff n > ${t.exact ?? Number(t.alphaC.toPrecision(6))} d`;
  return {
    kind: "weak-recovery-threshold",
    items: [
      { what: "alpha_c", value: v, why: t.note, ...(t.exact ? { exact: t.exact } : {}) },
      { what: "regime", value: t.regime, why: meaning },
      { what: "convention", value: "alpha = n/d", why: t.convention },
    ],
    summary: `alpha_c = ${v}: ${meaning}`,
  };
}

const alphaText = (x: number, err: number) => (x === 0 ? "0" : x === Infinity ? "inf" : `${Number(x.toPrecision(6))} +- ${Number(err.toPrecision(2))}`);

/**
 * Multi-index (Troiani et al. 2024; exponents/weakLearnability.ts): alpha_c, then one item per grand-staircase
 * subspace (what: "subspace i", value: its alpha, sharp or a lower bound) and the hard directions. The summary names
 * only regimes and dimensions (rotation invariant); the numbers are in the items.
 */
function multiIndexLearnability(t: MultiIndexLearnability): DerivedStructure {
  const items: DerivedStructure["items"] = [
    { what: "alpha_c", value: t.regime === "undetermined" ? "not determined (time limit)" : alphaText(t.alphaC, t.errorBound), why: t.note },
  ];
  t.staircase.forEach((s, i) => items.push({
    what: `subspace ${i + 1} (${s.kind}${s.givenDimension ? `, given the ${s.givenDimension} learned before` : ""})`,
    value: `${spanText(s.basis)}: alpha ${s.sharp ? "=" : ">="} ${alphaText(s.alpha, Math.max(s.alpha - s.interval[0], s.interval[1] - s.alpha))}`,
    why: s.note,
  }));
  if (t.hardDirections.length) items.push({ what: "hard directions (alpha_c = inf)", value: spanText(t.hardDirections), why: "no stage reaches them: E[z_perp | y, z_U] = 0 and the conditional operator F_U vanishes (parity-like)" });
  if (t.unresolvedDirections.length) items.push({ what: "hard or learnable: not resolved", value: spanText(t.unresolvedDirections), why: "the next stage's eigenvalues are not significant at the grid used (or the time limit was reached)" });
  items.push({ what: "convention", value: "alpha = n/d", why: t.convention });
  const dims = t.staircase.map((s) => `${s.kind} (dimension ${s.basis.length})`).join(" -> ");
  const meaning = t.regime === "trivial" ? "weak recovery at every alpha > 0 (trivial subspace)"
    : t.regime === "easy" ? "weak recovery iff alpha > alpha_c (easy subspace)"
      : t.regime === "hard" ? "no weak recovery at n = Theta(d) by first-order methods (hard)" : "not determined within the time limit";
  return {
    kind: "weak-recovery-threshold", items,
    summary: `${meaning}; grand staircase: ${dims || "none"}${t.hardDirections.length ? `; ${t.hardDirections.length} hard direction(s)` : ""}${t.unresolvedDirections.length ? `; ${t.unresolvedDirections.length} direction(s) not resolved` : ""}`,
  };
}

/**
 * The structured prediction named by a claim's `derivation` field, computed from the link's profile and Hermite facts
 * (each item says what, when, and why, so a reader can retrace it).
 */
export function derive(name: string, profile: ExponentProfile, facts: LinkFacts | null): DerivedStructure {
  switch (name) {
    case "giant-step-subspaces": return giantStepSubspaces(profile, facts);
    case "giant-step-staircase": return giantStepStaircase(profile, facts);
    case "reuse-directions": return reuseDirections(profile);
    case "first-step-overlap": return firstStepOverlap(profile);
    case "two-timescale-phases": return twoTimescalePhases(facts);
    case "weak-recovery-threshold": return weakRecovery(facts);
    default: throw new Error(`internal: unknown derivation ${name}`);
  }
}
