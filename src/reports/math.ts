/**
 * Inline mathematics in report text: `$...$` spans hold LaTeX, kept as is in the Markdown report and typeset as
 * MathML (temml, at build time) in the HTML report by render.ts.
 */
import { latexOf } from "../link/latex.js";

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
