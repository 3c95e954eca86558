/**
 * Inline mathematics in report text: `$...$` spans hold LaTeX, kept as is in the Markdown report and typeset as
 * MathML (temml, at build time) in the HTML report by render.ts.
 */
import { latexOf } from "../link/latex.js";
import { num, sci } from "./numbers.js";

/** A `$...$` span of report text (no space inside either dollar, as in pandoc), its LaTeX captured: split keeps it at the odd indices. */
export const MATH_SPAN = /\$([^$\s](?:[^$]*[^$\s])?)\$/g;

/**
 * A `$...$` span of link-language text (an exact form, a link, a formula) typeset as LaTeX; text the link language
 * cannot express stays as `code`.
 * @example inlineMath("1/sqrt(2*pi)") // "$\\frac{1}{\\sqrt{2 \\pi}}$"
 */
export function inlineMath(text: string): string {
  try {
    return `$${latexOf(text)}$`;
  } catch {
    return `\`${text}\``;
  }
}

/** Escape text for LaTeX's \text{...} (underscores, percent and the like are errors or comments there). */
export function latexText(text: string): string {
  const special: Record<string, string> = { "\\": "\\textbackslash{}", "^": "\\^{}", "~": "\\~{}" };
  return text.replace(/[\\^~_%&#${}]/g, (c) => special[c] ?? `\\${c}`);
}

/**
 * The weak-recovery threshold as a LaTeX equation: `\alpha_c = \frac{1}{2}` when certified exactly, `\alpha_c = \infty`
 * for a hard direction, else `\alpha_c \approx v \pm e` with its certified error bound.
 */
export function alphaCLatex(t: { alphaC: number; exact: string | null; errorBound: number; interval: readonly [number, number] }): string {
  if (t.exact === "inf" || (t.exact === null && t.alphaC === Infinity)) return `\\alpha_c = \\infty${t.exact === null ? ` \\ (\\text{certified} \\ge ${numberLatex(num(t.interval[0], 6))})` : ""}`;
  if (t.exact !== null) return `\\alpha_c = ${latexOf(t.exact)}`;
  if (t.errorBound === 0) return `\\alpha_c = ${numberLatex(num(t.alphaC, 17))}`;
  return `\\alpha_c \\approx ${numberLatex(num(t.alphaC, 8))} \\pm ${numberLatex(sci(t.errorBound))}`;
}

/** A printed number in LaTeX: `1.2e-5` as `1.2 \times 10^{-5}`. */
const numberLatex = (s: string) => s.replace(/^(-?[\d.]+)e([+-]?\d+)$/, (_, m: string, e: string) => `${m} \\times 10^{${Number(e)}}`);
