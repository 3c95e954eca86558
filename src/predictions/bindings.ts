/**
 * From an ExponentProfile to formula bindings, and the claims' link conditions evaluated on a profile.
 * An exponent that is null in the profile (above the largest degree computed, or undefined) is bound to +Infinity,
 * so max/min formulas treat it as "never"; conditions that need it say so.
 */
import type { ExponentProfile, ExponentSymbol } from "../exponents/profile.js";
import type { Conditions, Interval, ProfileSymbol } from "../theory/schema.js";
import type { Bindings } from "../theory/formula.js";
import type { LinkFacts } from "./facts.js";

// the exponent layer and the theory catalog name the same exponents (a compile error here if they drift apart)
const sameSymbols: [ExponentSymbol] extends [ProfileSymbol] ? ([ProfileSymbol] extends [ExponentSymbol] ? true : never) : never = true;
void sameSymbols;

/**
 * The value of an exponent symbol (IE, GE, leap, gleap, p1..p4) in a profile; null when above the degree computed or
 * undefined.
 */
export function profileValue(profile: ExponentProfile, s: ProfileSymbol): number | null {
  switch (s) {
    case "IE": return profile.informationExponent;
    case "GE": return profile.generativeExponent;
    case "leap": return profile.leapExponent;
    case "gleap": return profile.generativeLeap;
    default: return profile.labelPowerExponents[Number(s.slice(1)) - 1] ?? null;
  }
}

const NAMES: Record<ProfileSymbol, string> = {
  IE: "information exponent IE", GE: "generative exponent GE", leap: "leap exponent", gleap: "generative leap",
  p1: "p1 = IE(f)", p2: "p2 = IE(f^2)", p3: "p3 = IE(f^3)", p4: "p4 = IE(f^4)",
};
/** An exponent symbol in words, e.g. "generative exponent GE". */
export const describeSymbol = (s: ProfileSymbol) => NAMES[s];

/**
 * Formula bindings for every exponent symbol of the profile; a null exponent is bound to +Infinity, so max/min
 * formulas treat it as "never".
 */
export function profileBindings(profile: ExponentProfile): Bindings {
  const b: Bindings = {};
  for (const s of ["IE", "GE", "leap", "gleap", "p1", "p2", "p3", "p4"] as const) b[s] = profileValue(profile, s) ?? Number.POSITIVE_INFINITY;
  return b;
}

/** Whether v satisfies the interval constraint (eq, min, max; all inclusive). */
export function inInterval(v: number, i: Interval): boolean {
  return (i.eq === undefined || v === i.eq) && (i.min === undefined || v >= i.min) && (i.max === undefined || v <= i.max);
}

/** An interval constraint on the symbol s as text, e.g. "IE >= 3". */
export function showInterval(s: string, i: Interval): string {
  const parts: string[] = [];
  if (i.eq !== undefined) parts.push(`${s} = ${i.eq}`);
  if (i.min !== undefined) parts.push(`${s} >= ${i.min}`);
  if (i.max !== undefined) parts.push(`${s} <= ${i.max}`);
  return parts.join(" and ");
}

/** Every failing condition as a sentence (empty: the claim applies). */
export function failedConditions(c: Conditions, profile: ExponentProfile, facts: LinkFacts | null): string[] {
  const out: string[] = [];
  if (c.kind !== "any" && c.kind !== profile.kind) out.push(`the theorem is about ${c.kind}-index targets; this link is ${profile.kind}-index`);
  for (const s of c.defined) {
    if (profileValue(profile, s) === null) out.push(`the ${describeSymbol(s)} is not finite up to the degree computed (or undefined)`);
  }
  for (const [s, i] of Object.entries(c.ranges) as [ProfileSymbol, Interval][]) {
    const v = profileValue(profile, s);
    if (v !== null && !inInterval(v, i)) out.push(`needs ${showInterval(s, i)}; here ${s} = ${v}`);
    else if (v === null && !c.defined.includes(s)) out.push(`needs ${showInterval(s, i)}; here ${s} is not finite up to the degree computed`);
  }
  if (c.polynomial) {
    if (facts === null) out.push("needs a polynomial link; unknown here (no link facts given)");
    else if (!facts.polynomial) out.push("the theorem needs a polynomial link");
  }
  if (c.parityNot.includes(profile.parity)) out.push(`the theorem excludes ${profile.parity} links`);
  if (c.alphaCExact !== undefined) {
    const t = facts?.weakRecovery ?? null;
    if (!t) out.push(`needs alpha_c = ${c.alphaCExact} exactly; alpha_c is not computed here`);
    else if (t.exact !== c.alphaCExact) out.push(`needs alpha_c = ${c.alphaCExact} exactly; here alpha_c ${t.exact !== null ? `= ${t.exact}` : t.regime === "undetermined" ? `>= ${Number(t.interval[0].toPrecision(6))}` : `= ${Number(t.alphaC.toPrecision(6))} +- ${Number(t.errorBound.toPrecision(2))}`}`);
  }
  return out;
}
