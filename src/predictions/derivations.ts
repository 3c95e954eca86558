/**
 * Structured predictions computed from a link's Hermite data, named by the `derivation` field of a claim.
 * Each returns what is learned (or when), with the rule it applied, so a reader can retrace it.
 */
import type { ExponentProfile } from "../exponents/profile.js";
import type { LinkFacts } from "./facts.js";

/** A structured prediction (e.g. which directions one giant step learns), one line per item with the rule applied. */
export interface DerivedStructure {
  readonly kind: string;
  /** One line per item: what, when, why. */
  readonly items: { what: string; value: string; why: string }[];
  readonly summary: string;
}

const fmtVec = (v: number[]) => `(${v.map((x) => Number(x.toPrecision(4))).join(", ")})`;

/** Seed 001: one giant step at n = Theta(d^l). l = 1 learns span(C_1); l = 2 span(C_1) + range(C_2); coordinate i
 * with lowest non-zero Hermite order l_i needs l >= l_i (Dandi et al. 2023, abstract; notes §1.6, §3.2). */
function giantStepSubspaces(profile: ExponentProfile, facts: LinkFacts | null): DerivedStructure {
  if (!facts) return { kind: "giant-step-subspaces", items: [], summary: "needs the link's Hermite data (link facts)" };
  const items: DerivedStructure["items"] = [];
  const dir = facts.giantStepDirection;
  items.push(dir.length
    ? { what: "l = 1 (n ~ d)", value: `span(C_1), one direction ${fmtVec(dir)} in ${facts.variables.join(", ")}`, why: "C_1 = E[g(z) z] != 0; a single step at n ~ d learns only this direction" }
    : { what: "l = 1 (n ~ d)", value: "nothing", why: "C_1 = E[g(z) z] = 0 (IE >= 2)" });
  items.push({ what: "l = 2 (n ~ d^2)", value: `span(C_1) + range(C_2), dimension ${facts.orderTwoRank}`, why: "C_2 = E[g(z)(z z^T - I)]; specialisation to several directions needs n ~ d^2" });
  facts.coordinateOrders.forEach((o, i) => {
    items.push({
      what: `direction ${facts.variables[i]}`, value: o === null ? `not reached up to degree ${facts.maxDegree}` : `needs n ~ d^${o}`,
      why: o === null ? "no non-zero Hermite coefficient involving it up to the degree computed" : `lowest non-zero Hermite order involving ${facts.variables[i]} is ${o} (given basis)`,
    });
  });
  const orders = facts.coordinateOrders.filter((o): o is number => o !== null);
  const r = facts.coordinateOrders.length;
  // one step at n ~ d learns at most one direction; several directions need n ~ d^2 and range(C_2) of full rank
  const all = orders.length !== r || !orders.length ? null
    : r === 1 ? orders[0]! : Math.max(...orders, facts.orderTwoRank === r ? 2 : 3);
  return { kind: "giant-step-subspaces", items, summary: all === null ? "some directions are not reached by one step at any computed order" : `one step learns every direction once n ~ d^${all}` };
}

/** Seed 001: T = O(1) fresh steps at n = Theta(d). Each step learns at most what is linearly connected to what is
 * known; step 1 learns span(C_1) only. Two-index links are decided in the basis (C_1, orthogonal); otherwise the
 * leap-1 stages of the given basis are reported with that caveat (notes §6.3: the leap depends on the basis). */
function giantStepStaircase(profile: ExponentProfile, facts: LinkFacts | null): DerivedStructure {
  if (profile.kind === "single") {
    const ok = profile.informationExponent === 1;
    return { kind: "giant-step-staircase", items: [{ what: ok ? "step 1" : "never at n ~ d", value: "{z}", why: ok ? "C_1 = c_1 != 0" : "c_1 = 0" }], summary: ok ? "the direction is learned in 1 step at n ~ d" : "nothing is learned at n ~ d" };
  }
  const items: DerivedStructure["items"] = [];
  const dir = facts?.giantStepDirection ?? [];
  if (!dir.length) return { kind: "giant-step-staircase", items: [{ what: "never at n ~ d", value: "everything", why: "C_1 = 0" }], summary: "nothing is learned at n ~ d" };
  items.push({ what: "step 1", value: `learns span(C_1), direction ${fmtVec(dir)}`, why: "one step at n ~ d learns a single direction (Dandi et al. 2023, abstract)" });
  const oc = facts?.orthogonalConnected ?? null;
  if (oc) {
    items.push(oc.value
      ? { what: "step 2", value: "learns the direction orthogonal to C_1", why: `linearly connected to C_1: ${oc.reason}` }
      : { what: "never at n ~ d", value: "the direction orthogonal to C_1", why: `not linearly connected to C_1: ${oc.reason}` });
    return { kind: "giant-step-staircase", items, summary: oc.value ? "the whole two-dimensional subspace is learned in 2 steps at n ~ d" : "only span(C_1) is learned at n ~ d with fresh batches" };
  }
  let blocked = false;
  for (const s of profile.staircase) {
    if (!blocked && s.exponent <= 1) items.push({ what: "later steps (given basis)", value: `{${s.directions.join(", ")}}`, why: "leap-1 stage in the given coordinates; not decided in the basis adapted to C_1" });
    else { blocked = true; items.push({ what: "never at n ~ d", value: `{${s.directions.join(", ")}}`, why: `needs a leap of ${s.exponent} > 1` }); }
  }
  return { kind: "giant-step-staircase", items, summary: blocked ? "span(C_1) at step 1; the stages needing a leap > 1 are not learned at n ~ d" : "span(C_1) at step 1; the rest follows the given-basis leap-1 staircase (basis-dependent, not decided)" };
}

/** Seed 002: with a reused batch of n = Theta(d), the generative staircase's exponent-1 stages are learned in O(1)
 * steps (step 1: C_1, step 2: the label non-linearity); the first stage of exponent >= 2 and all after never in finite T. */
function reuseDirections(profile: ExponentProfile): DerivedStructure {
  const stages = profile.kind === "single"
    ? [{ directions: ["z"], exponent: profile.generativeExponent ?? Infinity }]
    : profile.generativeStaircase;
  const items: DerivedStructure["items"] = [];
  let blocked = false;
  stages.forEach((s) => {
    if (!blocked && s.exponent <= 1) {
      const step = profile.kind === "single" ? (profile.informationExponent === 1 ? "step 1" : "step 2") : "O(1) steps";
      items.push({ what: step, value: `learns {${s.directions.join(", ")}}`, why: profile.kind === "single" && profile.informationExponent === 1 ? "IE = 1: the first (correlational) step already aligns" : "generative exponent 1 along it: some F(y) correlates linearly (hidden progress at step 1, learned at step 2)" });
    } else {
      blocked = true;
      items.push({ what: "never in finite T", value: `{${s.directions.join(", ")}}`, why: Number.isFinite(s.exponent) ? `generative exponent ${s.exponent} >= 2 along it (a symmetry such as evenness hides it from every F(y) <v, z>)` : "not reached up to the degree computed" });
    }
  });
  return { kind: "reuse-directions", items, summary: blocked ? "part of the target subspace is never learned at n = Theta(d), T = O(1)" : "the whole target subspace is learned in O(1) steps at n = Theta(d)" };
}

/** Seed 002: M^(1)_j = eta alpha a_j E[sigma'(h0)] E[g*(h*) h*]; E[g* h*] is C_1 in the given coordinates. */
function firstStepOverlap(profile: ExponentProfile): DerivedStructure {
  const c1 = profile.firstHermiteVector;
  const names = profile.kind === "single" ? ["z"] : c1.map((_, i) => `z${i + 1}`);
  return {
    kind: "first-step-overlap",
    items: c1.map((v, i) => ({ what: `M1 along ${names[i]}`, value: `eta * alpha * a_j * E[sigma'(h0)] * ${Number(v.toPrecision(6))}`, why: `E[g*(h*) h*_${i + 1}] = c_(e_${i + 1}) = ${Number(v.toPrecision(6))}` })),
    summary: c1.every((v) => v === 0) ? "C_1 = 0: the first step gives no macroscopic overlap" : `rank-one spike along C_1 = ${fmtVec(c1)}`,
  };
}

/** Seed 003: phases in increasing Hermite degree; eps exponents 1 (degree 0), 1/2 with a log (degree 1), unknown beyond. */
function twoTimescalePhases(facts: LinkFacts | null): DerivedStructure {
  if (!facts) return { kind: "two-timescale-phases", items: [], summary: "needs the link's Hermite data (link facts)" };
  const items = facts.hermiteDegrees.map((k) => ({
    what: `degree ${k}`,
    value: k === 0 ? "t_0 ~ eps" : k === 1 ? "t_1 ~ sqrt(eps) log(1/eps)" : "t_k ~ eps^beta_k (exponent not retrieved from the paper; measure it)",
    why: k === 0 ? "fast second layer fits the mean (derived here)" : k === 1 ? "overlap ODE of the degree-1 phase (derived here, notes §3.4)" : "canonical learning order (BMZ, reported-2nd)",
  }));
  return { kind: "two-timescale-phases", items, summary: `plateaus then drops, in the order of degrees ${facts.hermiteDegrees.join(" < ")}` };
}

/** alpha_c = n/d of weak recovery (exponents/threshold.ts): 0 trivial (GE 1), 1/E[E[He_2|Y]^2] easy, inf hard. */
function weakRecovery(facts: LinkFacts | null): DerivedStructure {
  const t = facts?.weakRecovery ?? null;
  if (!t) return { kind: "weak-recovery-threshold", items: [], summary: "alpha_c not computed (multi-index links: easy subspaces not implemented)" };
  const v = t.exact ?? (t.alphaC === Infinity ? `inf (certified >= ${Number(t.interval[0].toPrecision(6))})` : `${Number(t.alphaC.toPrecision(8))} +- ${Number(t.errorBound.toPrecision(2))}`);
  const meaning = t.regime === "trivial" ? "weak recovery at every alpha > 0 (trivial direction)"
    : t.regime === "hard" ? "no weak recovery at n = Theta(d) by spectral / first-order methods (hard direction)"
      : `weak recovery iff n > ${t.exact ?? Number(t.alphaC.toPrecision(6))} d`;
  return {
    kind: "weak-recovery-threshold",
    items: [
      { what: "alpha_c", value: v, why: t.note },
      { what: "regime", value: t.regime, why: meaning },
      { what: "convention", value: "alpha = n/d", why: t.convention },
    ],
    summary: `alpha_c = ${v}: ${meaning}`,
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
