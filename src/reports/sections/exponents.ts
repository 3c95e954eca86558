/**
 * Report section: the exponents with their certificates (IE, GE, label-power exponents, leap, generative leap),
 * the generative spectrum lambda_k^2 and the optimal label transformation zeta_GE(y), the staircases and subspaces.
 */
import type { Analysis } from "../../analyze.js";
import { type Block, figureBlock, tableBlock, text } from "../document.js";
import { barChart, lineChart, NEUTRAL, OKABE_ITO, ROLE_COLOURS } from "../plots.js";
import { num, sci } from "../numbers.js";

const orDash = (x: number | null | undefined) => (x === null || x === undefined ? "not found up to K" : String(x));

export function exponentBlocks(a: Analysis): Block[] {
  const blocks: Block[] = [];
  const rows: string[][] = [
    ["information exponent (IE)", orDash(a.informationExponent), "Ben Arous, Gheissari, Jagannath 2021 (arXiv 2003.10409)", a.informationExponentNote],
    ["generative exponent (GE)", orDash(a.generativeExponent), "Damian, Pillaud-Vivien, Lee, Bruna 2024 (arXiv 2403.05529)", a.generativeExponentNote],
    ["IE of label powers y^j, j = 1..4", a.labelPowerExponents.map((p) => p ?? "-").join(", "), "theory notes §2.2(c), §3.1", "exponents p_j that the batch-reuse terms y^j bring in (seed 000)"],
  ];
  if (a.kind === "multi") {
    rows.push(["leap exponent (given basis)", orDash(a.leapExponent), "Abbe, Boix-Adserà, Misiakiewicz 2023 (arXiv 2302.11055)", a.leapNote ?? ""]);
    rows.push(["generative leap (given basis)", orDash(a.generativeLeap), "Damian, Lee, Bruna 2025 (arXiv 2506.05500)", a.generativeLeapNote ?? ""]);
  }
  blocks.push(tableBlock({ caption: `Exponents (label noise: ${a.noise})`, header: ["exponent", "value", "source", "certificate"], rows }));
  if (a.generativeExplanation) blocks.push(text(`**Why:** ${a.generativeExplanation}`));
  if (a.generativeSpectrum.length) {
    blocks.push(figureBlock({
      id: "generative-spectrum",
      caption: `Generative spectrum lambda_k^2 = E[zeta_k(Y)^2], zeta_k(y) = E[He_k(Z)/sqrt(k!) | Y = y] (method ${a.generativeMethod ?? "n/a"}); lambda_k^2 in [0, 1] is the best squared correlation any label transformation reaches at degree k.`,
      spec: barChart({
        data: a.generativeSpectrum.map((e) => ({ label: String(e.k), value: e.lambdaSquared, group: e.nonzero ? `non-zero (${e.basis})` : `zero (${e.basis})` })),
        x: "degree k", y: "λ_k^2",
        // non-zero: blue (exact) or sky blue (numerical certificate); zero: grey, whatever proved it
        colours: Object.fromEntries(a.generativeSpectrum.map((e) => [e.nonzero ? `non-zero (${e.basis})` : `zero (${e.basis})`, e.nonzero ? (e.basis === "exact" ? OKABE_ITO[0]! : OKABE_ITO[5]!) : NEUTRAL])),
      }),
    }));
    blocks.push(tableBlock({
      caption: "Generative spectrum with certificates",
      header: ["k", "lambda_k^2", "error bound", "verdict"],
      rows: a.generativeSpectrum.map((e) => [String(e.k), num(e.lambdaSquared, 8), sci(e.errorBound), e.reason]),
    }));
  }
  const t = a.optimalTransformation;
  if (t && t.points.length > 1) {
    const continuous = t.points.filter((p) => p.atomMass === null);
    const atoms = t.points.filter((p) => p.atomMass !== null);
    blocks.push(figureBlock({
      id: "optimal-transformation",
      caption: `Optimal label transformation T(y) = zeta_${t.k}(y) = E[He_${t.k}(Z)/sqrt(${t.k}!) | Y = y]: ${t.description}${atoms.length ? ` (${atoms.length} atoms of the label law shown as points)` : ""}.`,
      spec: lineChart({
        data: [...continuous.map((p) => ({ x: p.y, y: p.zeta, series: "continuous part" })), ...atoms.map((p) => ({ x: p.y, y: p.zeta, series: "atoms" }))],
        x: "label y", y: `ζ_${t.k}(y)`, scatter: true, colours: { "continuous part": ROLE_COLOURS.fit, atoms: ROLE_COLOURS.predicted },
      }),
    }));
  }
  if (a.kind === "multi") {
    const stairs = (title: string, s: { directions: readonly string[]; exponent: number; reason: string }[] | undefined) => {
      if (s && s.length) blocks.push(tableBlock({ caption: title, header: ["stage", "directions learned", "exponent needed", "why"], rows: s.map((st, i) => [String(i + 1), st.directions.join(", "), String(st.exponent), st.reason]) }));
    };
    stairs("Leap staircase in the given basis (correlational learners: online SGD)", a.staircase);
    stairs("Generative staircase in the given basis (label and learned coordinates may be transformed)", a.generativeStaircase);
    if (a.subspaces) {
      blocks.push(text(`First Hermite vector C_1 = E[g(z) z] = (${a.subspaces.firstHermiteVector.map((v) => num(v, 6)).join(", ")}): one giant step with n = Theta(d) learns span(C_1) (Dandi et al. 2023). ${a.subspaces.note}`));
    }
  }
  for (const w of a.warnings) blocks.push(text(`Warning: ${w}`));
  return blocks;
}
