/**
 * `analyzeLink`: the foundation report on one link: Hermite spectrum, parity, information exponent.
 * Later stages (generative exponent, leap, predictions) add fields; the keys here are a stable contract.
 */
import { parseLink, type Link } from "./link/link.js";
import { hermiteSpectrum, type HermiteSpectrum } from "./hermite/spectrum.js";
import { parityOf } from "./link/parity.js";
import { informationExponent, type DegreeEvidence } from "./exponents/information.js";
import { isInputError } from "./link/errors.js";

export interface AnalyzeOptions {
  /** Largest Hermite degree K (default 12 single-index, 6 multi-index). */
  readonly maxDegree?: number;
}

export interface Analysis {
  readonly link: string;
  /** Canonical text of the parsed expression. */
  readonly parsed: string;
  readonly kind: "single" | "multi";
  readonly variables: readonly string[];
  readonly parity: "even" | "odd" | "none";
  readonly parityProof: "symbolic" | "numerical";
  readonly hermite: HermiteSpectrum;
  readonly informationExponent: number | null;
  readonly informationExponentNote: string;
  readonly informationExponentEvidence: DegreeEvidence[];
}

export function defaultMaxDegree(link: Link): number {
  return link.kind === "single" ? 12 : link.dimension <= 3 ? 6 : 4;
}

export function analyzeLink(source: string | Link, options: AnalyzeOptions = {}): Analysis {
  const link = typeof source === "string" ? parseLink(source) : source;
  const K = options.maxDegree ?? defaultMaxDegree(link);
  const hermite = hermiteSpectrum(link, K);
  const parity = parityOf(link);
  let ie: number | null = null, note: string, evidence: DegreeEvidence[] = [];
  try {
    const r = informationExponent(link, hermite, parity);
    ie = r.value; note = r.note; evidence = r.evidence;
  } catch (e) {
    if (!isInputError(e)) throw e;
    note = e.message;
  }
  return {
    link: link.source, parsed: link.text, kind: link.kind, variables: link.variables,
    parity: parity.parity, parityProof: parity.method, hermite,
    informationExponent: ie, informationExponentNote: note, informationExponentEvidence: evidence,
  };
}
