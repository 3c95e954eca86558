/**
 * Rendering a ReportDocument: one self-contained HTML file (inline CSS and SVG, nothing fetched) and a Markdown file
 * with the same content, each figure beside them as SVG, PDF and CSV (figures.ts), and optionally a LaTeX fragment
 * (latex.ts).
 */
import type { Block, ReportDocument, Section, Table } from "./document.js";
import { mathmlOfLatex } from "../link/latex.js";
import { MATH_SPAN } from "./math.js";
import { renderFigure } from "./figures.js";
import { latexFragment } from "./latex.js";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Minimal inline markup: `code` and **bold**, after escaping. */
const markup = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
const mathHtml = (tex: string) => { try { return mathmlOfLatex(tex); } catch { return `<code>${escapeHtml(tex)}</code>`; } };
/** Inline markup with `$...$` LaTeX typeset as MathML (split keeps the captured LaTeX at the odd indices). */
const inline = (s: string) => s.split(MATH_SPAN).map((part, i) => (i % 2 ? mathHtml(part) : markup(part))).join("");

const CSS = `
body { font-family: Helvetica, Arial, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } p.caption { color: #444; margin-bottom: 0.2em; font-size: 0.92em; }
code, pre { font-family: Menlo, Consolas, monospace; font-size: 0.9em; background: #f6f6f6; }
pre { padding: 0.6em; overflow-x: auto; }
figure { margin: 1em 0; } figure.plot svg { max-width: 100%; height: auto; } .files { font-size: 0.85em; color: #555; } figcaption { color: #444; font-size: 0.9em; margin-top: 0.3em; }
.failed { border-left: 4px solid #D55E00; padding-left: 0.8em; color: #8a3300; }
.skipped { border-left: 4px solid #999; padding-left: 0.8em; color: #555; }
dl.provenance { display: grid; grid-template-columns: max-content auto; gap: 0.1em 1em; font-size: 0.85em; color: #555; }
dl.provenance dt { font-weight: bold; }
math { font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math", math; font-size: 1.08em; }
`;

export interface RenderedReport {
  readonly html: string;
  readonly markdown: string;
  /** Files beside the report: each figure's SVG, PDF and CSV, and `report.tex` when asked for (name -> content). */
  readonly images: ReadonlyMap<string, string | Uint8Array>;
}

/** How to render: the printed figure width in inches (default 7, two columns) and whether to write `report.tex`. */
export interface RenderOptions {
  readonly figureWidth?: number;
  readonly latex?: boolean;
}

export async function renderReport(doc: ReportDocument, options: RenderOptions = {}): Promise<RenderedReport> {
  const svgs = new Map<string, string>();
  const images = new Map<string, string | Uint8Array>();
  for (const s of doc.sections) for (const b of s.blocks) if (b.kind === "figure") {
    const f = await renderFigure(b.figure, { widthInches: options.figureWidth });
    svgs.set(b.figure.id, f.svg);
    images.set(`${b.figure.id}.svg`, f.svg).set(`${b.figure.id}.pdf`, f.pdf).set(`${b.figure.id}.csv`, f.csv);
  }
  if (options.latex) images.set("report.tex", latexFragment(doc));
  return { html: toHtml(doc, svgs), markdown: toMarkdown(doc), images };
}

const fileLinks = (id: string) => ["svg", "pdf", "csv"].map((e) => `[${e.toUpperCase()}](${id}.${e})`).join(" · ");

function tableHtml(t: Table): string {
  const head = `<tr>${t.header.map((h) => `<th>${inline(h)}</th>`).join("")}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`).join("\n");
  return `${t.caption ? `<p class="caption">${inline(t.caption)}</p>` : ""}<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function blockHtml(b: Block, svgs: ReadonlyMap<string, string>): string {
  switch (b.kind) {
    case "text": return `<p>${inline(b.text)}</p>`;
    case "code": return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
    case "table": return tableHtml(b.table);
    case "figure": return `<figure id="fig-${b.figure.id}" class="plot">${svgs.get(b.figure.id) ?? ""}<figcaption>${inline(b.figure.caption)} <span class="files">${["svg", "pdf", "csv"].map((e) => `<a href="${b.figure.id}.${e}">${e.toUpperCase()}</a>`).join(" · ")}</span></figcaption></figure>`;
  }
}

function sectionHtml(s: Section, svgs: ReadonlyMap<string, string>): string {
  const status = s.status === "failed" ? `<p class="failed">This section failed: ${inline(s.reason ?? "unknown reason")}</p>`
    : s.status === "skipped" ? `<p class="skipped">Not run: ${inline(s.reason ?? "")}</p>` : "";
  return `<section id="${s.id}"><h2>${inline(s.title)}</h2>${status}\n${s.blocks.map((b) => blockHtml(b, svgs)).join("\n")}</section>`;
}

function toHtml(doc: ReportDocument, svgs: ReadonlyMap<string, string>): string {
  const prov = Object.entries(doc.provenance).map(([k, v]) => `<dt>${inline(k)}</dt><dd>${inline(v)}</dd>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title><style>${CSS}</style></head>
<body><h1>${inline(doc.title)}</h1><p class="subtitle">${inline(doc.subtitle)}</p>
${doc.sections.map((s) => sectionHtml(s, svgs)).join("\n")}
<h2>Provenance</h2><dl class="provenance">${prov}</dl>
</body></html>
`;
}

const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function toMarkdown(doc: ReportDocument): string {
  const out: string[] = [`# ${doc.title}`, "", `_${doc.subtitle}_`, ""];
  for (const s of doc.sections) {
    out.push(`## ${s.title}`, "");
    if (s.status === "failed") out.push(`> **This section failed:** ${s.reason ?? "unknown reason"}`, "");
    if (s.status === "skipped") out.push(`> Not run: ${s.reason ?? ""}`, "");
    for (const b of s.blocks) {
      if (b.kind === "text") out.push(b.text, "");
      else if (b.kind === "code") out.push("```", b.text, "```", "");
      else if (b.kind === "figure") out.push(`![${mdCell(b.figure.caption)}](${b.figure.id}.svg)`, "", `*${b.figure.caption}* (${fileLinks(b.figure.id)})`, "");
      else {
        const t = b.table;
        if (t.caption) out.push(`*${t.caption}*`, "");
        out.push(`| ${t.header.map(mdCell).join(" | ")} |`, `| ${t.header.map(() => "---").join(" | ")} |`);
        for (const r of t.rows) out.push(`| ${r.map(mdCell).join(" | ")} |`);
        out.push("");
      }
    }
  }
  out.push("## Provenance", "", ...Object.entries(doc.provenance).map(([k, v]) => `- **${k}**: ${v}`), "");
  return out.join("\n");
}
