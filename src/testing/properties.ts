/**
 * A battery of mathematical properties every link must satisfy, usable on one link or on a family of links with
 * parameters (fast-check draws the parameters and shrinks a failure to the simplest failing values).
 * The properties compare independent computations: exact vs numeric paths, Stein's identity, Parseval, parity,
 * reflection z -> -z, and the information exponent against the spectrum.
 */
import fc from "fast-check";
import type { Expr } from "../link/expr.js";
import { parseLink, type Link } from "../link/link.js";
import { derivative, isSmooth } from "../link/analysis.js";
import { compileUnivariate } from "../link/compile.js";
import { show } from "../link/expr.js";
import { hermiteSpectrum } from "../hermite/spectrum.js";
import { numericHermiteCoefficients } from "../hermite/numericUnivariate.js";
import { parityOf } from "../link/parity.js";
import { informationExponent } from "../exponents/information.js";
import { generativeExponent } from "../exponents/generative.js";
import { predictedOrdering, simulateOrdering, QUICK_ORDERING, type OrderingSettings, type PredictedOrdering } from "./ordering.js";

/** Result of one property check on one link: holds or not, in words, or undecidable (inconclusive). */
export interface Outcome {
  readonly ok: boolean;
  readonly detail: string;
  /** The check ran but could not decide (e.g. an ordering not resolvable at the quick size): never counted as a pass. */
  readonly inconclusive?: boolean;
}

/** A mathematical property of links: its statement, when it does not apply, and how to check it on one link. */
export interface LinkProperty {
  readonly id: string;
  readonly statement: string;
  /** Why the property does not apply to this link, or null when it does. */
  readonly notApplicable: (link: Link) => string | null;
  readonly check: (link: Link, K: number) => Outcome;
  /** At most this many parameter draws for a family (simulations are expensive). */
  readonly maxRuns?: number;
}

const factorial = (k: number) => { let f = 1; for (let i = 2; i <= k; i++) f *= i; return f; };
const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));
const singleOnly = (l: Link) => (l.kind === "single" ? null : "single-index links only");

/** Replace every variable v by -v. */
function reflect(e: Expr): Expr {
  switch (e.op) {
    case "num": return e;
    case "var": return { op: "neg", arg: e, col: 0 };
    case "neg": case "call": case "he": return { ...e, arg: reflect(e.arg) };
    case "pow": return { ...e, base: reflect(e.base) };
    default: return { ...e, left: reflect(e.left), right: reflect(e.right) };
  }
}

/**
 * "A quick simulation agrees with the predicted ordering" (src/testing/ordering.ts): online SGD against the layer-wise
 * alternating algorithm of Tsiolis et al. 2025 on the exact reduced engine, each at its tuned rate. `predict` replaces
 * the prediction engine (the tests use it to show that a reversed prediction fails).
 */
export function orderingProperty(options: { settings?: OrderingSettings; predict?: (linkText: string) => PredictedOrdering | { none: string } } = {}): LinkProperty {
  const memo = new Map<string, PredictedOrdering | { none: string }>();
  const predict = (l: Link) => {
    const text = show(l.expr, () => "z");
    if (!memo.has(text)) memo.set(text, (options.predict ?? predictedOrdering)(text));
    return { text, p: memo.get(text)! };
  };
  return {
    id: "simulated-ordering",
    statement: "a quick seeded simulation (exact reduced engine) reaches weak recovery in the order the prediction engine states (alternating vs online SGD), one-sided test at the stated level",
    maxRuns: 2,
    notApplicable: (l) => singleOnly(l) ?? (l.constant ? "constant link" : (() => { const { p } = predict(l); return "none" in p ? p.none : null; })()),
    check: (l) => {
      const { text, p } = predict(l);
      if ("none" in p) return { ok: true, detail: p.none };
      const r = simulateOrdering(text, p, options.settings ?? QUICK_ORDERING);
      return { ok: r.status !== "fail", inconclusive: r.status === "inconclusive", detail: r.detail };
    },
  };
}

/** The battery run by `index-lab check` (and `checkLink`): exact vs numeric paths, Stein, Parseval, parity, reflection, IE, GE <= IE, GE invariance, and the simulated ordering. */
export const PROPERTIES: readonly LinkProperty[] = [
  {
    id: "exact-vs-numeric",
    statement: "the exact closed forms agree with adaptive split quadrature within the stated error bounds",
    notApplicable: (l) => singleOnly(l) ?? (hermiteSpectrum(l, 0).exact[0] === null ? "no exact path for this link" : null),
    check: (l, K) => {
      const s = hermiteSpectrum(l, K);
      const n = numericHermiteCoefficients(l.f, l.breakpoints, K);
      let worst = { k: -1, gap: 0, allowed: 0 };
      for (let k = 0; k <= K; k++) {
        const gap = Math.abs(s.coefficients[k]! - n.coefficients[k]!);
        const allowed = s.errorBounds[k]! + n.errors[k]! + 1e-14;
        if (gap / allowed > worst.gap / Math.max(worst.allowed, 1e-300)) worst = { k, gap, allowed };
      }
      return { ok: worst.gap <= worst.allowed, detail: `largest |exact - numeric| = ${fmt(worst.gap)} at k = ${worst.k} (allowed ${fmt(worst.allowed)})` };
    },
  },
  {
    id: "stein",
    statement: "Stein's identity E[f(Z) He_k(Z)] = E[f^(k)(Z)], i.e. sqrt(k!) c_k = E[f^(k)], for smooth links",
    notApplicable: (l) => singleOnly(l) ?? (isSmooth(l.expr) ? null : "the link has kinks or jumps (distributional derivatives)"),
    check: (l, K) => {
      const s = hermiteSpectrum(l, K);
      let d: Expr = l.expr;
      const lines: string[] = [];
      let ok = true;
      for (let k = 1; k <= Math.min(K, 6); k++) {
        d = derivative(d, 0);
        const dk = compileUnivariate(d);
        const m = numericHermiteCoefficients(dk, [], 0);
        const lhs = Math.sqrt(factorial(k)) * s.coefficients[k]!;
        const rhs = m.coefficients[0]!;
        const tol = 1e-9 * Math.max(1, Math.abs(lhs)) + Math.sqrt(factorial(k)) * s.errorBounds[k]! + m.errors[0]!;
        if (!(Math.abs(lhs - rhs) <= tol)) { ok = false; lines.push(`k = ${k}: sqrt(k!) c_k = ${fmt(lhs)} but E[f^(k)] = ${fmt(rhs)} (f^(k) = ${show(d, () => "z")})`); }
      }
      return { ok, detail: ok ? `holds for k = 1..${Math.min(K, 6)}` : lines.join("; ") };
    },
  },
  {
    id: "parseval",
    statement: "Bessel/Parseval: sum_{k<=K} c_k^2 <= E[f(Z)^2], with the residual non-negative up to its error",
    notApplicable: () => null,
    check: (l, K) => {
      const s = hermiteSpectrum(l, K);
      return { ok: s.parsevalResidual >= -s.parsevalResidualError - 1e-14, detail: `E[f^2] - sum c^2 = ${fmt(s.parsevalResidual)} (error ${fmt(s.parsevalResidualError)})` };
    },
  },
  {
    id: "parity",
    statement: "an even link has zero odd coefficients and an odd link zero even ones (within error bounds)",
    notApplicable: (l) => singleOnly(l) ?? (parityOf(l).parity === "none" ? "the link is neither even nor odd" : null),
    check: (l, K) => {
      const p = parityOf(l).parity;
      const s = hermiteSpectrum(l, K);
      const bad = s.coefficients.map((c, k) => ({ c, k })).filter(({ c, k }) => (k % 2 === (p === "even" ? 1 : 0)) && Math.abs(c) > 10 * s.errorBounds[k]! + 1e-13);
      return { ok: bad.length === 0, detail: bad.length ? `${p} link but c_${bad[0]!.k} = ${fmt(bad[0]!.c)}` : `${p}: forbidden coefficients vanish` };
    },
  },
  {
    id: "reflection",
    statement: "c_k[f(-z)] = (-1)^k c_k[f]",
    notApplicable: singleOnly,
    check: (l, K) => {
      const s = hermiteSpectrum(l, K);
      const r = hermiteSpectrum(parseLink(show(reflect(l.expr), () => "z")), K);
      let worst = 0, at = 0;
      for (let k = 0; k <= K; k++) {
        const gap = Math.abs(r.coefficients[k]! - (k % 2 ? -1 : 1) * s.coefficients[k]!) / (s.errorBounds[k]! + r.errorBounds[k]! + 1e-14);
        if (gap > worst) { worst = gap; at = k; }
      }
      return { ok: worst <= 1, detail: `largest deviation ${fmt(worst)} error bounds (k = ${at})` };
    },
  },
  {
    id: "information-exponent",
    statement: "the information exponent is the first k >= 1 whose coefficient the numeric path finds non-zero",
    notApplicable: (l) => singleOnly(l) ?? (l.constant ? "constant link" : null),
    check: (l, K) => {
      const s = hermiteSpectrum(l, K);
      const ie = informationExponent(l, s).value;
      const n = numericHermiteCoefficients(l.f, l.breakpoints, K);
      const first = [...n.coefficients].findIndex((c, k) => k >= 1 && Math.abs(c) > 1e3 * n.errors[k]! + 1e-10);
      const numericIe = first < 0 ? null : first;
      return { ok: ie === numericIe || (numericIe === null && ie !== null && Math.abs(s.coefficients[ie]!) < 1e-9), detail: `IE = ${ie ?? `> ${K}`}; numeric path: ${numericIe ?? `> ${K}`}` };
    },
  },
  {
    id: "generative-below-information",
    statement: "GE <= IE: a label transformation can only lower the exponent (Damian et al. 2024)",
    notApplicable: (l) => singleOnly(l) ?? (l.constant ? "constant link" : null),
    check: (l, K) => {
      const ie = informationExponent(l, hermiteSpectrum(l, K)).value;
      const ge = generativeExponent(l, { maxDegree: K }).value;
      const ok = ge !== null ? ie === null || ge <= ie : ie === null;
      return { ok, detail: `GE = ${ge ?? `> ${K}`}, IE = ${ie ?? `> ${K}`}` };
    },
  },
  {
    id: "generative-invariance",
    statement: "GE(T o f) = GE(f) for injective label maps T(y) = y^3 and T(y) = tanh(y)",
    notApplicable: (l) => singleOnly(l) ?? (l.constant ? "constant link" : null),
    check: (l, K) => {
      const text = show(l.expr, () => "z");
      const base = generativeExponent(l, { maxDegree: K }).value;
      const mapped = [`(${text})^3`, `tanh(${text})`].map((m) => ({ m, ge: generativeExponent(parseLink(m), { maxDegree: K }).value }));
      const bad = mapped.filter((x) => x.ge !== base);
      return { ok: bad.length === 0, detail: bad.length ? `GE(f) = ${base ?? `> ${K}`} but GE(${bad[0]!.m}) = ${bad[0]!.ge ?? `> ${K}`}` : `GE = ${base ?? `> ${K}`} for f, f^3 and tanh(f)` };
    },
  },
  orderingProperty(),
];

/** A family parameter (a named symbol of the link) and its range [lo, hi]. */
export interface Parameter { readonly name: string; readonly lo: number; readonly hi: number }

/** Outcome of one property over a link or family: status, detail, smallest failing case and the seed to replay it. */
export interface PropertyResult {
  readonly id: string;
  readonly statement: string;
  /** inconclusive: the property could not be decided (never a pass); the detail says why. */
  readonly status: "pass" | "fail" | "inconclusive" | "not-applicable";
  readonly detail: string;
  /** Parameter values of the smallest failing case (after shrinking). */
  readonly counterexample?: Record<string, number>;
  /** Replay with `--seed` and this path. */
  readonly seed: number;
  readonly path?: string;
  readonly runs: number;
}

/** Parameter values on a grid of 1/1000 of the range, so that exact paths stay exact; shrinks towards lo. */
/** The k-th of the 1001 grid values of a parameter (k = 0..1000), as the draws take them. */
export const parameterValue = (p: Parameter, k: number): number => Number((p.lo + ((p.hi - p.lo) * k) / 1000).toPrecision(12));

/** fast-check arbitrary of a parameter draw: each parameter takes one of its 1001 grid values (parameterValue). */
export function parameterArbitrary(params: readonly Parameter[]): fc.Arbitrary<Record<string, number>> {
  const parts = params.map((p) => fc.integer({ min: 0, max: 1000 }).map((k) => parameterValue(p, k)));
  return fc.tuple(...parts).map((vals) => Object.fromEntries(params.map((p, i) => [p.name, vals[i]!])));
}

/** Draws planned per property: `runs` (at most the property's maxRuns) for a family, one without parameters. */
export function plannedDraws(props: readonly LinkProperty[], params: readonly Parameter[], runs = 25): number[] {
  return props.map((prop) => (params.length ? Math.min(runs, prop.maxRuns ?? runs) : 1));
}

/** Run every property on a link (or a family of links over parameter ranges); `onPropertyDone` is called with index -1 before the first property, then after each, with the draws planned per property. */
export function checkLink(source: string, options: { params?: readonly Parameter[]; runs?: number; seed?: number; maxDegree?: number; properties?: readonly LinkProperty[]; simulate?: boolean; onProgress?: (message: string) => void; onPropertyDone?: (index: number, planned: readonly number[]) => void } = {}): PropertyResult[] {
  const params = options.params ?? [];
  const seed = options.seed ?? 42;
  const K = options.maxDegree ?? 8;
  const runs = params.length ? options.runs ?? 25 : 1;
  const first = parseLink(source, { constants: Object.fromEntries(params.map((p) => [p.name, p.lo])) });
  const props = options.properties ?? PROPERTIES;
  const planned = plannedDraws(props, params, runs);
  options.onPropertyDone?.(-1, planned); // index -1: before the first property
  return props.map((prop, i) => {
    const result = checkOne(prop, i);
    options.onPropertyDone?.(i, planned);
    return result;
  });
  function checkOne(prop: LinkProperty, i: number): PropertyResult {
    options.onProgress?.(`property ${i + 1}/${props.length}: ${prop.id}`);
    if (options.simulate === false && prop.id === "simulated-ordering") return { id: prop.id, statement: prop.statement, status: "not-applicable" as const, detail: "simulations switched off (--no-simulate)", seed, runs: 0 };
    const na = prop.notApplicable(first);
    if (na) return { id: prop.id, statement: prop.statement, status: "not-applicable" as const, detail: na, seed, runs: 0 };
    let lastDetail = "", applied = 0, drawn = 0, inconclusive = 0, inconclusiveDetail = "";
    let notApplicableReason: string | null = null;
    const details = fc.check(fc.property(parameterArbitrary(params), (values) => {
      const link = parseLink(source, { constants: values });
      drawn++;
      const skip = prop.notApplicable(link);
      if (skip) { notApplicableReason = skip; return true; }
      applied++;
      const o = prop.check(link, K);
      lastDetail = o.detail;
      if (o.ok && o.inconclusive) { inconclusive++; inconclusiveDetail = o.detail; }
      return o.ok;
    }), { seed, numRuns: Math.min(runs, prop.maxRuns ?? runs) });
    if (params.length) lastDetail = `${lastDetail} (applied to ${applied} of ${drawn} parameter draws)`;
    if (details.failed) {
      const ce = details.counterexample?.[0] as Record<string, number> | undefined;
      // re-run the property at the shrunk case so the report carries its own numbers, never fast-check's bare
      // "Property failed by returning false"; a thrown error keeps its message
      let detail = lastDetail;
      if (ce) { try { detail = prop.check(parseLink(source, { constants: ce }), K).detail; } catch (e) { detail = (e as Error).message; } }
      const thrown = details.errorInstance instanceof Error && !/returning false/.test(details.errorInstance.message) ? details.errorInstance.message : null;
      const at = ce && Object.keys(ce).length ? `at ${Object.entries(ce).map(([k, v]) => `${k} = ${v}`).join(", ")}: ` : "";
      return { id: prop.id, statement: prop.statement, status: "fail" as const, detail: `${at}${thrown ? `${thrown}; ` : ""}${detail}`, counterexample: ce, seed, path: details.counterexamplePath ?? undefined, runs: details.numRuns };
    }
    // a property that applied to no draw has no evidence either way: not-applicable, never a pass
    if (applied === 0) return { id: prop.id, statement: prop.statement, status: "not-applicable" as const, detail: `applied to 0 of ${drawn} parameter draws (${notApplicableReason ?? "not applicable"})`, seed, runs: 0 };
    if (inconclusive) return { id: prop.id, statement: prop.statement, status: "inconclusive" as const, detail: `${inconclusiveDetail}${params.length ? ` (inconclusive on ${inconclusive} of ${applied} applicable draws)` : ""}`, seed, runs: details.numRuns };
    return { id: prop.id, statement: prop.statement, status: "pass" as const, detail: lastDetail, seed, runs: details.numRuns };
  }
}
