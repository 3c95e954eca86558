/**
 * The information exponent (Ben Arous, Gheissari, Jagannath 2021, arXiv 2003.10409, Def. 1.2 for the population
 * loss; here in the Hermite form IE = min{k >= 1 : c_k != 0}), and for multi-index links the lowest total degree
 * l >= 1 with a non-zero c_alpha (rotation invariant).
 */
import type { Link } from "../link/link.js";
import type { HermiteSpectrum } from "../hermite/spectrum.js";
import { parityOf, type ParityCertificate } from "../link/parity.js";
import { judgeCoefficient, type CoefficientVerdict } from "./certificates.js";
import { InputError } from "../link/errors.js";

/** The verdict on one degree (single-index: c_k; multi-index: all c_alpha with |alpha| = l), with its reason. */
export interface DegreeEvidence extends CoefficientVerdict { readonly degree: number }

/**
 * The information exponent with the evidence for it: the certificate of every degree below it and of the first
 * non-zero one.
 */
export interface InformationExponent {
  /** The exponent, or null when no degree 1..K is non-zero ("IE > K"). */
  readonly value: number | null;
  /**
   * The certificate in one sentence: how each lower degree vanishes (exactly, by parity, numerically) and why the
   * IE-th does not.
   */
  readonly note: string;
  /** Per degree 1..IE (or 1..K), why it is zero or not. */
  readonly evidence: DegreeEvidence[];
}

function parityZeroReason(parity: ParityCertificate, k: number, what = "the link"): string | null {
  if (parity.parity === "even" && k % 2 === 1) return `${what} is even (${parity.method === "symbolic" ? "proved from the expression" : "numerical check"})`;
  if (parity.parity === "odd" && k % 2 === 0) return `${what} is odd (${parity.method === "symbolic" ? "proved from the expression" : "numerical check"})`;
  return null;
}

/**
 * Information exponent IE = min{k >= 1 : c_k != 0} with c_k = E[f(Z) He_k(Z)] / sqrt(k!) (Ben Arous, Gheissari,
 * Jagannath 2021, arXiv 2003.10409, Def. 1.2, in its Hermite form); for a multi-index link, the lowest total degree
 * l >= 1 with some c_alpha != 0. Every zero below it is certified exactly, by parity, or numerically (see
 * {@link judgeCoefficient}); value null means IE > K.
 * @param spectrum the link's Hermite spectrum up to the degree K to search.
 * @param parity the link's parity (computed when absent), used to certify zeros of the wrong parity.
 * @throws InputError for a constant link (no information about the direction, exponents undefined).
 */
export function informationExponent(link: Link, spectrum: HermiteSpectrum, parity: ParityCertificate = parityOf(link)): InformationExponent {
  if (link.constant) throw new InputError("the link is constant: it carries no information about the index direction, so its exponents are undefined");
  const evidence: DegreeEvidence[] = [];
  const K = spectrum.maxDegree;
  if (link.kind === "single") {
    for (let k = 1; k <= K; k++) {
      const v = judgeCoefficient(`c_${k}`, { value: spectrum.coefficients[k]!, exact: spectrum.exact[k]!, errorBound: spectrum.errorBounds[k]! }, parityZeroReason(parity, k));
      evidence.push({ degree: k, ...v });
      if (v.nonzero) return { value: k, note: `IE = ${k}: ${evidence.filter((e) => !e.nonzero).map((e) => e.reason).join("; ")}${k > 1 ? "; " : ""}${v.reason}`, evidence };
    }
    return { value: null, note: `IE > ${K}: every c_1..c_${K} is zero (${summarise(evidence)}); raise --max-degree to look further`, evidence };
  }
  // multi-index: per-coordinate parities give exact zeros of c_alpha
  const coordinateParity = link.variables.map((_, i) => parityOf(link, new Set([i])));
  const tensor = spectrum.tensor ?? [];
  for (let l = 1; l <= K; l++) {
    const part = tensor.filter((t) => t.alpha.reduce((a, b) => a + b, 0) === l);
    const verdicts = part.map((t) => {
      let parityReason: string | null = parityZeroReason(parity, l);
      for (let i = 0; i < t.alpha.length && !parityReason; i++) parityReason = parityZeroReason(coordinateParity[i]!, t.alpha[i]!, `the link as a function of ${link.variables[i]}`);
      return judgeCoefficient(`c_(${t.alpha.join(",")})`, { value: t.value, exact: t.exact, errorBound: t.errorBound }, parityReason);
    });
    const hit = verdicts.find((v) => v.nonzero);
    if (hit) {
      evidence.push({ degree: l, ...hit });
      return { value: l, note: `IE = ${l}: all degrees below ${l} vanish; ${hit.reason}`, evidence };
    }
    evidence.push({ degree: l, nonzero: false, basis: worstBasis(verdicts), reason: `every c_alpha with |alpha| = ${l} vanishes (${summarise(verdicts)})` });
  }
  return { value: null, note: `IE > ${K}: no coefficient of total degree 1..${K} is non-zero (${summarise(evidence)})`, evidence };
}

function worstBasis(vs: CoefficientVerdict[]): CoefficientVerdict["basis"] {
  return vs.some((v) => v.basis === "numerical") ? "numerical" : vs.some((v) => v.basis === "parity") ? "parity" : "exact";
}
function summarise(vs: CoefficientVerdict[]): string {
  const count = (b: string) => vs.filter((v) => v.basis === b).length;
  return [["exact", "exact"], ["parity", "by parity"], ["numerical", "numerically"]]
    .filter(([b]) => count(b!) > 0).map(([b, w]) => `${count(b!)} ${w}`).join(", ");
}
