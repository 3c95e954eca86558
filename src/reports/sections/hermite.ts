/** Report section: the link, its Hermite spectrum with exact forms and error bounds, Parseval, parity, IE. */
import type { Analysis } from "../../analyze.js";
import { type Block, figureBlock, tableBlock, text } from "../document.js";
import { barChart } from "../plots.js";
import { num, sci } from "../numbers.js";
import { inlineMath } from "../math.js";

const CONVENTION_NOTE =
  "Coefficients are normalized probabilists' Hermite coefficients $c_k = \\mathbb{E}[f(Z)\\,\\mathrm{He}_k(Z)]/\\sqrt{k!}$, $Z \\sim \\mathcal{N}(0,1)$, so $f = \\sum_k c_k \\mathrm{He}_k/\\sqrt{k!}$ and $\\mathbb{E}[f^2] = \\sum_k c_k^2$.";

export function hermiteBlocks(a: Analysis, figurePrefix: string): Block[] {
  const h = a.hermite;
  const blocks: Block[] = [
    text(`Link \`${a.link}\`${a.parsed !== a.link ? ` (parsed as ${inlineMath(a.parsed)})` : ""}: ${a.kind === "single" ? "single-index in `z`" : `multi-index in ${a.variables.map((v) => `\`${v}\``).join(", ")}`}; parity **${a.parity}** (${a.parityProof === "symbolic" ? "proved from the expression" : "numerical check"}); coefficients by \`${h.method}\`.`),
    text(CONVENTION_NOTE),
  ];
  if (a.kind === "single") {
    blocks.push(figureBlock({
      id: `${figurePrefix}spectrum`,
      caption: `Hermite spectrum c_k of ${a.link}, k = 0..${h.maxDegree} (method ${h.method}; every error bound below ${sci(Math.max(...h.errorBounds))}).`,
      spec: barChart({ data: h.coefficients.map((c, k) => ({ label: String(k), value: c })), x: "Hermite degree k", y: "c_k (normalized)" }),
    }));
    blocks.push(tableBlock({
      caption: "Coefficients (exact closed form where one exists)",
      header: ["k", "c_k", "exact", "error bound"],
      rows: h.coefficients.map((c, k) => [String(k), num(c), h.exact[k] ? inlineMath(h.exact[k]!) : "", sci(h.errorBounds[k]!)]),
    }));
  } else {
    const nz = (h.tensor ?? []).filter((t) => (t.exact ? t.exact !== "0" : Math.abs(t.value) > 10 * t.errorBound));
    blocks.push(figureBlock({
      id: `${figurePrefix}spectrum`,
      caption: `Norm of each degree's part, sqrt(sum_{|alpha|=l} c_alpha^2), l = 0..${h.maxDegree}, of ${a.link} (rotation invariant).`,
      spec: barChart({ data: h.coefficients.map((c, l) => ({ label: String(l), value: c })), x: "total degree |α|", y: "norm of the degree-l part" }),
    }));
    blocks.push(tableBlock({
      caption: "Non-zero tensor coefficients c_alpha = E[g(z) He_alpha(z)]/sqrt(alpha!), He_alpha = prod_i He_{alpha_i}(z_i)",
      header: ["|alpha|", "alpha", "c_alpha", "exact", "error bound"],
      rows: nz.map((t) => [String(t.alpha.reduce((s, x) => s + x, 0)), `(${t.alpha.join(",")})`, num(t.value), t.exact ? inlineMath(t.exact) : "", sci(t.errorBound)]),
    }));
  }
  const captured = h.secondMoment > 0 ? 100 * (1 - h.parsevalResidual / h.secondMoment) : 100;
  blocks.push(text(`Parseval: \`E[f^2] = ${num(h.secondMoment)}\`${h.secondMomentExact ? ` (exactly ${inlineMath(h.secondMomentExact)})` : ""}; degrees up to ${h.maxDegree} capture ${num(Math.min(100, captured), 6)}% of it (residual ${sci(h.parsevalResidual)} ± ${sci(h.parsevalResidualError)}).`));
  blocks.push(text(`**Information exponent: ${a.informationExponent ?? "not found up to K"}.** ${a.informationExponentNote}`));
  return blocks;
}
