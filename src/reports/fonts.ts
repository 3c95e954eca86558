/**
 * The figure font, DejaVu Sans (package dejavu-fonts-ttf: Latin, Greek and mathematical symbols, free licence), and
 * text widths measured with it: vega lays out axes, legends and titles with these widths (its own estimate without a
 * canvas is 0.8 em per character, far too wide), and the PDF embeds the same font, so the layout is exact in print.
 */
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

const require = createRequire(import.meta.url);
/** Path of DejaVu Sans, the font of every figure (embedded in the PDFs). */
export const FIGURE_FONT_FILE = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
/** Family name of the figure font in SVG and PDF. */
export const FIGURE_FONT = "DejaVu Sans";

let measurer: PDFKit.PDFDocument | undefined;
const cache = new Map<string, number>();

/** Advance width (pt) of `text` at `size` pt in DejaVu Sans, with `_x`/`^x` scripts at 70% ({@link scriptRuns}). */
export function textWidth(text: string, size: number): number {
  const key = `${size}\u0000${text}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  if (!measurer) { measurer = new PDFDocument({ autoFirstPage: false }); measurer.registerFont(FIGURE_FONT, FIGURE_FONT_FILE); measurer.font(FIGURE_FONT); }
  let w = 0;
  for (const run of scriptRuns(text)) w += measurer.fontSize(run.script ? size * 0.7 : size).widthOfString(run.text);
  if (cache.size > 20000) cache.clear();
  cache.set(key, w);
  return w;
}

/** A text split into plain runs and script runs: `_x`, `_{xy}` (subscripts) and `^x`, `^{xy}` (superscripts). */
export function scriptRuns(text: string): { text: string; script?: "sub" | "sup" }[] {
  const runs: { text: string; script?: "sub" | "sup" }[] = [];
  const re = /([_^])(\{([^}]*)\}|([A-Za-z0-9*+\-]))/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index) });
    runs.push({ text: m[3] ?? m[4]!, script: m[1] === "_" ? "sub" : "sup" });
    last = m.index + m[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs;
}
