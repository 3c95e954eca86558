/**
 * Assembling a regime report for one link from the library's stages. Each stage is a guarded section: a failure is
 * shown in the report with its reason, never dropped.
 */
import { analyzeLink, type Analysis, type AnalyzeOptions } from "../analyze.js";
import { guardedSection, type ReportDocument, type Section } from "./document.js";
import { hermiteBlocks } from "./sections/hermite.js";
import { exponentBlocks } from "./sections/exponents.js";
import { predictionBlocks } from "./sections/predictions.js";
import { predictLink } from "../predictions/predictLink.js";
import { VERSION } from "../version.js";

export interface ReportOptions extends AnalyzeOptions {
  /** Extra sections contributed by later stages (e.g. simulations computed beforehand). */
  readonly extraSections?: (analysis: Analysis) => Section[];
  /** Settings of the run recorded in the provenance (e.g. "simulate": "quick"). */
  readonly provenance?: Record<string, string>;
}

export interface ReportData {
  readonly analysis: Analysis;
  readonly document: ReportDocument;
}

export function buildReport(link: string, options: ReportOptions = {}): ReportData {
  const started = Date.now();
  const analysis = analyzeLink(link, options);
  const sections: Section[] = [
    guardedSection("hermite", "Hermite spectrum and information exponent", () => hermiteBlocks(analysis, "")),
    guardedSection("exponents", "Exponents: information, generative, leap", () => exponentBlocks(analysis)),
    guardedSection("predictions", "Predictions of the literature", () => predictionBlocks(predictLink(link, { maxDegree: Math.min(analysis.hermite.maxDegree, analysis.kind === "single" ? 8 : 4) }))),
    ...(options.extraSections?.(analysis) ?? []),
  ];
  const document: ReportDocument = {
    title: `index-lab regime report: ${link}`,
    subtitle: `${analysis.kind === "single" ? "single-index" : `multi-index (r = ${analysis.variables.length})`} Gaussian index model y = g(W* x), x ~ N(0, I_d)`,
    provenance: {
      "index-lab": VERSION,
      node: process.version,
      "generated": new Date(started).toISOString(),
      "max Hermite degree": String(analysis.hermite.maxDegree),
      ...(options.provenance ?? {}),
      "wall time": `${((Date.now() - started) / 1000).toFixed(2)} s`,
    },
    sections,
  };
  return { analysis, document };
}
