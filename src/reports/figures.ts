/**
 * The files of one figure: its SVG (vega, at a printed width), the same figure as PDF (svg-to-pdfkit on pdfkit,
 * DejaVu Sans embedded so that Greek letters and scripts print), and its data as a tidy CSV (one row per plotted
 * point, a `layer` column naming what the row is) that pandas or matplotlib read directly.
 */
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import type { Figure } from "./document.js";
import { renderSvg } from "./plots.js";
import { FIGURE_FONT, FIGURE_FONT_FILE } from "./fonts.js";

const require = createRequire(import.meta.url);
type SvgToPdf = (doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options: Record<string, unknown>) => void;
const SVGtoPDF = require("svg-to-pdfkit") as SvgToPdf;

/** The rendered files of a figure. */
export interface FigureFiles {
  readonly svg: string;
  readonly pdf: Uint8Array;
  readonly csv: string;
}

/** Render a figure to SVG, PDF and CSV at a printed width in inches (default 7). */
export async function renderFigure(figure: Figure, options: { widthInches?: number } = {}): Promise<FigureFiles> {
  const svg = await renderSvg(figure.spec, options);
  // the PDF is drawn in points: the root size in inches is replaced by the viewBox size
  const { width, height } = viewBoxSize(svg);
  const inPoints = svg.replace(/(<svg[^>]*?)\bwidth="[^"]+"([^>]*?)\bheight="[^"]+"/, `$1width="${width}"$2height="${height}"`);
  return { svg, pdf: await svgToPdf(inPoints, figure.caption), csv: figureCsv(figure.spec) };
}

/** Size of an SVG in points, from its viewBox (1 unit = 1 pt). */
function viewBoxSize(svg: string): { width: number; height: number } {
  const m = /viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!m) throw new Error("figure SVG has no viewBox");
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** One-page PDF of an SVG at its printed size (points), fonts embedded; deterministic (fixed creation date). */
export function svgToPdf(svg: string, title = "index-lab figure"): Promise<Uint8Array> {
  const { width, height } = viewBoxSize(svg);
  const doc = new PDFDocument({ size: [width, height], margin: 0, info: { Title: title.slice(0, 200), Producer: "index-lab (pdfkit, svg-to-pdfkit)", CreationDate: new Date(0) } });
  doc.registerFont(FIGURE_FONT, FIGURE_FONT_FILE);
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });
  const warnings: string[] = [];
  SVGtoPDF(doc, svg, 0, 0, { width, height, assumePt: true, fontCallback: () => FIGURE_FONT, warningCallback: (w: string) => warnings.push(w) });
  doc.end();
  return done;
}

type Row = Record<string, unknown>;

/** The inline data of every layer of a spec (depth first), with the name of the layer or of its mark. */
function layerData(spec: unknown, name = "data", out: { layer: string; rows: Row[] }[] = [], seen = new Set<string>()): { layer: string; rows: Row[] }[] {
  if (Array.isArray(spec)) { for (const s of spec) layerData(s, name, out, seen); return out; }
  if (!spec || typeof spec !== "object") return out;
  const s = spec as Record<string, unknown>;
  const mark = typeof s.mark === "string" ? s.mark : (s.mark as { type?: string } | undefined)?.type;
  const here = typeof s.name === "string" ? s.name : mark ?? name;
  const values = (s.data as { values?: unknown } | undefined)?.values;
  if (Array.isArray(values)) {
    const key = `${here}\u0000${JSON.stringify(values)}`;
    if (!seen.has(key)) { seen.add(key); out.push({ layer: here, rows: values as Row[] }); }
  }
  for (const k of ["layer", "hconcat", "vconcat", "concat", "spec"]) if (k in s) layerData(s[k], here, out, seen);
  return out;
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  const t = typeof v === "string" ? v : JSON.stringify(v);
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

/**
 * The data of a figure as one tidy CSV table: a `layer` column (what the rows are: "measured medians", "fit band",
 * ...) and the union of the layers' fields, one row per plotted point; a field a layer lacks is left empty.
 */
export function figureCsv(spec: Record<string, unknown>): string {
  const layers = layerData(spec);
  const columns: string[] = [];
  for (const l of layers) for (const r of l.rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const lines = [["layer", ...columns].map(csvCell).join(",")];
  for (const l of layers) for (const r of l.rows) lines.push([l.layer, ...columns.map((c) => r[c])].map(csvCell).join(","));
  return `${lines.join("\n")}\n`;
}
