/**
 * The prediction engine: from a link's exponent profile (and, when available, its Hermite facts) to one prediction
 * per claim of the theory catalog, each with its claim id, citation, status and source, whether it applies to this
 * link and why (or why not). The chain is: Hermite data -> exponent (profile) -> claim (theorem) -> scaling.
 */
import type { ExponentProfile } from "../exponents/profile.js";
import { InputError } from "../link/errors.js";
import { theoryCatalog, citationOf, type LoadedClaim, type TheoryCatalog } from "../theory/loader.js";
import type { Bindings, CompiledFormula } from "../theory/formula.js";
import { ALGORITHMS, type ProfileSymbol } from "../theory/symbols.js";
import type { Check, Interval } from "../theory/schema.js";
import { failedConditions, inInterval, profileBindings, profileValue, showInterval } from "./bindings.js";
import { sampleCurve, type CurveKink, type CurveSegment } from "./curve.js";
import { derive, type DerivedStructure } from "./derivations.js";
import type { LinkFacts } from "./facts.js";

/** Parameters of the setting at which formulas are evaluated (all optional). */
export interface SettingParameters {
  readonly d?: number; readonly gamma?: number; readonly L?: number; readonly eps?: number;
  /** network width */
  readonly p?: number;
  /** giant-step batch exponent n = d^l */
  readonly l?: number;
}

/** Setting parameters at which formulas are evaluated, and which claims to predict. */
export interface PredictOptions extends SettingParameters {
  /** Only claims whose algorithm is this (e.g. "batch-reuse"). */
  readonly algorithm?: string;
  /** Only these claim ids (or aliases). */
  readonly claims?: readonly string[];
  readonly catalog?: TheoryCatalog;
}

/** A claim's predicted scaling evaluated for one link: quantity ~ prefactor * base^exponent * log(base)^logPower. */
export interface ScalingPrediction {
  /** The variable of the power law: d, gamma or eps. */
  readonly base: "d" | "gamma" | "eps";
  /** quantity ~ prefactor * base^exponent * log(base)^logPower; null when the exponent needs an unset parameter. */
  readonly exponent: number | null;
  /** Power k of log(base). */
  readonly logPower: number;
  /** The scaling as a link-language expression in the base (parseable when every parameter is set). */
  readonly formula: string;
  /** The claim's exponent formula before substitution. */
  readonly exponentFormula: string;
  /** Further unspecified polylog factors (Theta-tilde). */
  readonly polylog: boolean;
  /** Upper bound (achieved by an algorithm), lower bound (for a class), or tight. */
  readonly bound: "upper" | "lower" | "tight";
  /** The constant the source gives, when known. */
  readonly prefactor: number | null;
  /** Which case of the claim applied (its condition). */
  readonly case: string;
  /** Evaluated at the given base value (prefactor included when known), else null. */
  readonly value: number | null;
}

/** One regime of a claim (e.g. gamma << 1 vs gamma >> 1, or a segment of a learning-rate curve) with its exponent. */
export interface RegimePrediction {
  /** The regime's name (e.g. "lazy (gamma << 1)"). */
  readonly name: string;
  /** The exponent in this regime; null when it needs an unset parameter. */
  readonly exponent: number | null;
  /** The regime's scaling as a link-language expression. */
  readonly formula: string;
  /** The constant, when known. */
  readonly prefactor: number | null;
  /** Evaluated at the given base value, else null. */
  readonly value: number | null;
  /** For learning-rate curves: the segment in x = log_d(eta) and its slope. */
  readonly from?: number; readonly to?: number; readonly slope?: number;
  readonly exponentFrom?: number; readonly exponentTo?: number;
}

/**
 * A seed-000 learning-rate curve log_d(samples) vs x = log_d(eta) for one link: kinks (with eta = d^x when d is set),
 * the two ends checked against the claim, and sample points.
 */
export interface CurvePrediction {
  /** The curve's abscissa: x = log_d(eta). */
  readonly variable: "x";
  /** What the ordinate log_d(samples) measures. */
  readonly meaning: string;
  /** Where the slope changes, with eta = d^x when d is given. */
  readonly kinks: (CurveKink & { eta: number | null })[];
  /** The small-eta end: its name, the curve's value there, and the value the claim predicts for it. */
  readonly smallEnd: { name: string; exponent: number; predicted: number };
  /** The large-eta end: its name, the curve's value there, and the value the claim predicts for it. */
  readonly largeEnd: { name: string; exponent: number; predicted: number };
  /** Sample points (x, log_d(samples)) for plotting. */
  readonly points: { x: number; exponent: number }[];
}

/**
 * The prediction of one catalog claim for one link: what is predicted (scaling, regimes, curve or structure), its
 * citation, status and provenance, whether it applies to this link and why, and the experiment that checks it.
 */
export interface Prediction {
  /** Catalog id of the claim (theory/*.yaml). */
  readonly claimId: string;
  readonly aliases: string[];
  /** The claim's title. */
  readonly title: string;
  /** The algorithm or lower-bound class the claim is about (e.g. "online-sgd", "csq", "batch-reuse"). */
  readonly algorithm: string;
  /** What the scaling measures (e.g. samples to weak recovery). */
  readonly quantity: string;
  /** The measure class of the scaling (theory schema MEASURES), null when the claim does not say. */
  readonly measures: string | null;
  /** The predicted scaling for this link, or null when the claim gives none, does not apply, or nothing is learned. */
  readonly scaling: ScalingPrediction | null;
  /**
   * Set when the claim's own structure says its quantity is not reached in this regime (e.g. an even direction under
   * batch reuse at n = Theta(d)): what is not learned and why; `scaling` is then null.
   */
  readonly notLearned?: { what: string; reason: string };
  /** Regimes in a setting parameter, or segments of a learning-rate curve, when the claim has them. */
  readonly regimes?: RegimePrediction[];
  /** The seed-000 learning-rate curve, when the claim is one. */
  readonly curve?: CurvePrediction;
  /** Structured output (e.g. directions learned by one giant step), when the claim has a derivation. */
  readonly structure?: DerivedStructure;
  /** Authors, year, arXiv id and place in the paper: print it with the prediction. */
  readonly citation: string;
  /** "proved", "proved-up-to-logs" (read in the paper), "reported" (a restatement), "derived" (ours, exact), "conjectured" or "empirical". */
  readonly status: string;
  /** How the claim was read: "primary", "secondary" (a restatement) or "derived-here". */
  readonly source: string;
  /** What exactly was read, and where the statement may differ from the paper. */
  readonly sourceNote: string;
  /** Whether every condition of the claim holds for this link. */
  readonly applies: boolean;
  /** Why it applies, or every failing condition as a sentence. */
  readonly reason: string;
  /** Conditions index-lab cannot check from the link (on the student, the schedule, ...). */
  readonly assumptions: string[];
  /** The regime in which the statement holds (as the claim states it). */
  readonly validity: string;
  /** The experiment that checks the claim, or why the check is pending. */
  readonly check: Check;
}

/** A prefactor as text: its value when known, else its formula (parenthesised unless a single symbol). */
const prefactorText = (f: CompiledFormula | null, v: number | null) =>
  !f ? "" : v !== null ? `${num(v)}*` : /^[A-Za-z]+$/.test(f.source) ? `${f.source}*` : `(${f.source})*`;

const num = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10))));

/** base^e * log(base)^k as a link-language expression. */
export function powerFormula(base: string, e: number, k: number): string {
  const pow = (b: string, x: number) => (x === 1 ? b : x < 0 ? `${b}^(${num(x)})` : `${b}^${num(x)}`);
  const parts: string[] = [];
  if (e !== 0) parts.push(pow(base, e));
  if (k > 0) parts.push(pow(`log(${base})`, k));
  let s = parts.join("*") || "1";
  if (k < 0) s = `${s}/${pow(`log(${base})`, -k)}`;
  return s;
}

function tryEvaluate(f: CompiledFormula, b: Bindings): number | null {
  try {
    const v = f.evaluate(b);
    return Number.isNaN(v) ? null : v;
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
}

function settingBindings(o: SettingParameters): Bindings {
  const b: Bindings = {};
  for (const k of ["d", "gamma", "L", "eps", "p", "l"] as const) if (o[k] !== undefined) b[k] = o[k];
  return b;
}

const describeWhen = (when: Partial<Record<ProfileSymbol, Interval>>) =>
  Object.entries(when).map(([s, i]) => showInterval(s, i as Interval)).join(" and ") || "all links";

/** The chain profile -> case -> exponent, in words. */
function explainUses(f: CompiledFormula, profile: ExponentProfile): string {
  const used = f.symbols.filter((s): s is ProfileSymbol => ["IE", "GE", "leap", "gleap", "p1", "p2", "p3", "p4"].includes(s));
  return used.map((s) => `${s} = ${profileValue(profile, s) ?? "inf"}`).join(", ");
}

function scalingOf(l: LoadedClaim, profile: ExponentProfile, b: Bindings, setting: SettingParameters): { scaling: ScalingPrediction | null; reason: string } {
  const spec = l.claim.scaling!;
  const match = l.cases.find((c) => Object.entries(c.spec.when).every(([s, i]) => {
    const v = profileValue(profile, s as ProfileSymbol);
    return v !== null && inInterval(v, i as Interval);
  }));
  if (!match) return { scaling: null, reason: `no case of the claim covers this link (cases: ${l.cases.map((c) => describeWhen(c.spec.when)).join("; ")})` };
  const e = tryEvaluate(match.exponent, b);
  const k = tryEvaluate(match.logPower, b) ?? 0;
  const pre = l.prefactor ? tryEvaluate(l.prefactor, b) : 1;
  const base = spec.base;
  const at = base === "d" ? setting.d : base === "gamma" ? setting.gamma : setting.eps;
  const prefText = prefactorText(l.prefactor, pre);
  const formula = e === null || !Number.isFinite(e)
    ? `${prefText}${base}^(${match.exponent.source})`
    : `${prefText}${powerFormula(base, e, k)}`;
  const value = e !== null && Number.isFinite(e) && at !== undefined && pre !== null ? pre * at ** e * Math.log(at) ** k : null;
  const uses = explainUses(match.exponent, profile);
  return {
    scaling: {
      base, exponent: e !== null && Number.isFinite(e) ? e : null, logPower: k, formula, exponentFormula: match.exponent.source,
      polylog: spec.polylog, bound: spec.bound, prefactor: l.prefactor ? pre : 1, case: describeWhen(match.spec.when), value,
    },
    reason: `${uses ? `${uses}; ` : ""}case ${describeWhen(match.spec.when)}: exponent ${match.exponent.source} = ${e === null ? "(needs a parameter)" : num(e)}${k ? `, log power ${num(k)}` : ""}${match.spec.note ? ` (${match.spec.note})` : ""}`,
  };
}

function regimesOf(l: LoadedClaim, b: Bindings, setting: SettingParameters): RegimePrediction[] {
  const base = l.claim.scaling?.base ?? "gamma";
  const at = base === "d" ? setting.d : base === "gamma" ? setting.gamma : setting.eps;
  return l.regimes.map((r) => {
    const e = tryEvaluate(r.exponent, b);
    const pre = r.prefactor ? tryEvaluate(r.prefactor, b) : null;
    const prefText = prefactorText(r.prefactor, pre);
    const formula = e === null ? `${prefText}${base}^(${r.exponent.source})` : `${prefText}${powerFormula(base, e, 0)}`;
    const value = e !== null && at !== undefined ? (r.prefactor ? pre ?? NaN : 1) * at ** e : null;
    return { name: r.name, exponent: e, formula, prefactor: pre, value: value !== null && Number.isFinite(value) ? value : null };
  });
}

function curveOf(l: LoadedClaim, profile: ExponentProfile, b: Bindings, setting: SettingParameters): { curve: CurvePrediction; regimes: RegimePrediction[]; scaling: ScalingPrediction } {
  const spec = l.claim.curve!;
  const c = sampleCurve(l.curve!.logExponent, b, spec.from, spec.to, { small: spec.smallEndName, large: spec.largeEndName });
  const d = setting.d;
  const eta = (x: number) => (d === undefined ? null : d ** x);
  const kinks = c.kinks.map((k) => ({ ...k, eta: eta(k.x) }));
  const regimes: RegimePrediction[] = c.segments.map((s: CurveSegment) => ({
    name: s.name, exponent: s.slope === 0 ? s.exponentFrom : null,
    formula: s.slope === 0 ? powerFormula("d", s.exponentFrom, 0) : `d^${num(s.exponentFrom)} * (eta/d^(${num(s.from)}))^(${num(s.slope)})`,
    prefactor: null, value: s.slope === 0 && d !== undefined ? d ** s.exponentFrom : null,
    from: s.from, to: s.to, slope: s.slope, exponentFrom: s.exponentFrom, exponentTo: s.exponentTo,
  }));
  const largeEnd = c.largeEnd;
  return {
    curve: {
      variable: "x", meaning: spec.meaning, kinks,
      smallEnd: { name: spec.smallEndName, exponent: c.smallEnd, predicted: l.curve!.smallEnd.evaluate(b) },
      largeEnd: { name: spec.largeEndName, exponent: c.largeEnd, predicted: l.curve!.largeEnd.evaluate(b) },
      points: c.points.filter((_, i) => i % 16 === 0),
    },
    regimes,
    scaling: {
      base: "d", exponent: largeEnd, logPower: 0, formula: powerFormula("d", largeEnd, 0), exponentFormula: spec.largeEnd,
      polylog: true, bound: "upper", prefactor: null, case: `best learning rate (large eta end: ${spec.largeEndName})`,
      value: d !== undefined ? d ** largeEnd : null,
    },
  };
}

/**
 * One prediction per claim of the theory catalog (filtered by algorithm or claim ids) for a link with this exponent
 * profile: the claim's scaling (quantity ~ prefactor * base^exponent * log(base)^logPower), curve, regimes or
 * derived structure evaluated at the profile and the setting parameters, with its citation, status, source, and
 * whether it applies to this link and why (the failing conditions) or why not.
 * @param facts the link's Hermite facts, needed by claims that condition on them or derive structure (null: those
 *   claims say so).
 * @throws InputError for an unknown algorithm or claim id.
 */
export function predict(profile: ExponentProfile, facts: LinkFacts | null = null, options: PredictOptions = {}): Prediction[] {
  const catalog = options.catalog ?? theoryCatalog();
  let claims = catalog.claims;
  if (options.algorithm !== undefined) {
    const known = [...new Set(catalog.claims.map((c) => c.claim.algorithm))];
    if (!known.includes(options.algorithm as never)) throw new InputError(`unknown algorithm '${options.algorithm}' (known: ${known.join(", ")})`);
    claims = claims.filter((c) => c.claim.algorithm === options.algorithm);
  }
  if (options.claims) {
    for (const id of options.claims) {
      if (!catalog.claims.some((c) => c.claim.id === id || c.claim.aliases.includes(id))) throw new InputError(`unknown claim '${id}'`);
    }
    claims = claims.filter((c) => options.claims!.some((id) => c.claim.id === id || c.claim.aliases.includes(id)));
  }
  const b: Bindings = { ...profileBindings(profile), ...settingBindings(options) };
  const order = (l: LoadedClaim) => ALGORITHMS.indexOf(l.claim.algorithm);
  return [...claims].sort((x, y) => order(x) - order(y)).map((l) => predictClaim(l, profile, facts, b, options));
}

function predictClaim(l: LoadedClaim, profile: ExponentProfile, facts: LinkFacts | null, b: Bindings, setting: SettingParameters): Prediction {
  const c = l.claim;
  const failed = failedConditions(c.conditions, profile, facts);
  const base = {
    claimId: c.id, aliases: c.aliases, title: c.title, algorithm: c.algorithm, quantity: c.quantity, measures: c.measures ?? null,
    citation: citationOf(l), status: c.status, source: c.source, sourceNote: c.sourceNote,
    assumptions: c.conditions.assumptions, validity: c.validity, check: c.check,
  };
  if (failed.length) return { ...base, scaling: null, applies: false, reason: `does not apply: ${failed.join("; ")}` };
  let scaling: ScalingPrediction | null = null;
  const reasons: string[] = [];
  let applies = true;
  const out: { regimes?: RegimePrediction[]; curve?: CurvePrediction; structure?: DerivedStructure } = {};
  if (c.scaling) {
    const s = scalingOf(l, profile, b, setting);
    scaling = s.scaling;
    reasons.push(s.reason);
    if (!scaling) applies = false;
  }
  if (c.regimes) {
    out.regimes = regimesOf(l, b, setting);
    reasons.push("independent of the link (a claim about the network's learning-rate scale); regimes in gamma");
  }
  if (c.curve) {
    const r = curveOf(l, profile, b, setting);
    out.curve = r.curve; out.regimes = r.regimes; scaling = r.scaling;
    const kinks = r.curve.kinks.map((k) => `eta ~ d^${num(k.x)}`).join(", ");
    reasons.push(`${explainUses(l.curve!.logExponent, profile)}: ${r.curve.kinks.length ? `kinks at ${kinks}` : "no transition (flat curve)"}; small-eta end d^${num(r.curve.smallEnd.exponent)}, large-eta end d^${num(r.curve.largeEnd.exponent)}`);
  }
  if (c.derivation) {
    out.structure = derive(c.derivation, profile, facts);
    reasons.push(out.structure.summary);
    if (out.structure.notLearned) {
      // the claim's quantity is not reached in its regime: no finite scaling is printed
      scaling = null;
      return { ...base, ...out, scaling, notLearned: out.structure.notLearned, applies, reason: `${reasons.join("; ")}; not learned in this regime: ${out.structure.notLearned.what}` };
    }
  }
  return { ...base, ...out, scaling, applies, reason: reasons.join("; ") };
}
