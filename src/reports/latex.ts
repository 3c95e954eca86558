/**
 * A report as a LaTeX fragment (`report --latex`, file report.tex) to `\input` into a paper: sections as
 * \subsection, tables with booktabs (tabularx columns for long text), figures as the PDFs written beside it via
 * \includegraphics at their printed size (scaled down only when wider than \linewidth). Needs \usepackage{graphicx,
 * booktabs, tabularx, amsmath, amssymb} (the typeset math uses \mathbb, \mathrm, \frac). The folder of the figures is \indexlabdir (empty: the working directory), e.g.
 * \newcommand{\indexlabdir}{reports/he3/} before the \input. Plain pdflatex: every non-ASCII character is mapped to
 * a LaTeX command.
 */
import type { Block, ReportDocument, Section, Table } from "./document.js";
import { MATH_SPAN } from "./math.js";

const UNICODE: Readonly<Record<string, string>> = {
  "§": "\\S{}", "–": "--", "—": "---", "±": "$\\pm$", "≍": "$\\asymp$", "·": "$\\cdot$", "×": "$\\times$", "÷": "$\\div$",
  "≤": "$\\le$", "≥": "$\\ge$", "≈": "$\\approx$", "≠": "$\\ne$", "→": "$\\to$", "←": "$\\leftarrow$", "∞": "$\\infty$",
  "√": "$\\surd$", "∑": "$\\sum$", "∈": "$\\in$", "⊥": "$\\perp$", "‖": "$\\|$", "…": "\\ldots{}", "°": "$^\\circ$",
  "²": "$^2$", "³": "$^3$", "¹": "$^1$", "‘": "`", "’": "'", "“": "``", "”": "''", "\u00a0": "~", "\u200b": "",
  "à": "\\`a", "á": "\\'a", "ä": "\\\"a", "â": "\\^a", "è": "\\`e", "é": "\\'e", "ê": "\\^e", "ë": "\\\"e", "í": "\\'i",
  "ï": "\\\"i", "ó": "\\'o", "ö": "\\\"o", "ô": "\\^o", "ú": "\\'u", "ü": "\\\"u", "ç": "\\c{c}", "ñ": "\\~n", "ß": "\\ss{}",
  "α": "$\\alpha$", "β": "$\\beta$", "γ": "$\\gamma$", "δ": "$\\delta$", "ε": "$\\varepsilon$", "ζ": "$\\zeta$", "η": "$\\eta$",
  "θ": "$\\theta$", "κ": "$\\kappa$", "λ": "$\\lambda$", "μ": "$\\mu$", "ν": "$\\nu$", "ξ": "$\\xi$", "π": "$\\pi$", "ρ": "$\\rho$",
  "σ": "$\\sigma$", "τ": "$\\tau$", "φ": "$\\varphi$", "χ": "$\\chi$", "ψ": "$\\psi$", "ω": "$\\omega$", "Γ": "$\\Gamma$",
  "Δ": "$\\Delta$", "Θ": "$\\Theta$", "Λ": "$\\Lambda$", "Σ": "$\\Sigma$", "Φ": "$\\Phi$", "Ψ": "$\\Psi$", "Ω": "$\\Omega$",
};

const ASCII: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "$": "\\$", "&": "\\&", "#": "\\#", "%": "\\%", "_": "\\_",
  "^": "\\^{}", "~": "\\textasciitilde{}", "<": "\\textless{}", ">": "\\textgreater{}", "|": "\\textbar{}",
};

/** Escape plain text for pdflatex: the ten special characters, `<`, `>`, `|`, and every non-ASCII character. */
export function latexEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    if (ch in ASCII) out += ASCII[ch];
    else if (ch.codePointAt(0)! < 128) out += ch === "\n" ? " " : ch;
    else out += UNICODE[ch] ?? `\\textsuperscript{[U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]}`;
  }
  return out;
}

/** Inline markup of the report prose: `$...$` LaTeX is kept, `code` becomes \texttt, **bold** \textbf; the rest is escaped. */
export function latexInline(s: string): string {
  return s.split(MATH_SPAN).map((part, i) => (i % 2 ? `$${part}$` : proseInline(part))).join("");
}

function proseInline(s: string): string {
  return s.split(/(`[^`]+`|\*\*[^*]+\*\*)/).map((part) => {
    if (/^`[^`]+`$/.test(part)) return `\\texttt{${latexEscape(part.slice(1, -1))}}`;
    if (/^\*\*[^*]+\*\*$/.test(part)) return `\\textbf{${latexEscape(part.slice(2, -2))}}`;
    return latexEscape(part);
  }).join("");
}

/** A booktabs table; columns whose cells run long are tabularx X columns (ragged right) so the table fits \linewidth. */
export function latexTable(t: Table, label: string): string {
  const widths = t.header.map((h, j) => Math.max(h.length, ...t.rows.map((r) => (r[j] ?? "").length)));
  const long = widths.map((w) => w > 24);
  const anyLong = long.some(Boolean);
  const cols = long.map((l) => (l ? ">{\\raggedright\\arraybackslash}X" : "l")).join("");
  const row = (cells: readonly string[]) => `${cells.map(latexInline).join(" & ")} \\\\`;
  const env = anyLong ? ["\\begin{tabularx}{\\linewidth}{" + cols + "}", "\\end{tabularx}"] : ["\\begin{tabular}{" + cols + "}", "\\end{tabular}"];
  return [
    "\\begin{table}[htbp]", "\\centering", "\\small",
    ...(t.caption ? [`\\caption{${latexInline(t.caption)}}`] : []),
    `\\label{tab:indexlab-${label}}`,
    env[0]!, "\\toprule", row(t.header), "\\midrule", ...t.rows.map(row), "\\bottomrule", env[1]!,
    "\\end{table}",
  ].join("\n");
}

function latexBlock(b: Block, label: string): string {
  switch (b.kind) {
    case "text": return `${latexInline(b.text)}\n`;
    case "code": return `\\begin{flushleft}\\small\\ttfamily\n${b.text.split("\n").map(latexEscape).join("\\\\\n")}\n\\end{flushleft}\n`;
    case "table": return `${latexTable(b.table, label)}\n`;
    case "figure": return [
      "\\begin{figure}[htbp]", "\\centering",
      `\\indexlabgraphic{\\indexlabdir ${b.figure.id}.pdf}`,
      `\\caption{${latexInline(b.figure.caption)}}`, `\\label{fig:indexlab-${b.figure.id}}`,
      "\\end{figure}", "",
    ].join("\n");
  }
}

function latexSection(s: Section): string {
  const status = s.status === "failed" ? `\\textbf{This section failed:} ${latexInline(s.reason ?? "unknown reason")}\n\n`
    : s.status === "skipped" ? `\\textit{Not run:} ${latexInline(s.reason ?? "")}\n\n` : "";
  let tables = 0;
  const blocks = s.blocks.map((b) => latexBlock(b, `${s.id}-${b.kind === "table" ? ++tables : 0}`));
  return `\\subsection{${latexInline(s.title)}}\\label{sec:indexlab-${s.id}}\n${status}${blocks.join("\n")}`;
}

/** The whole report as a LaTeX fragment (see the module comment for the packages and \indexlabdir). */
export function latexFragment(doc: ReportDocument): string {
  const prov = Object.entries(doc.provenance).map(([k, v]) => `\\item[${latexEscape(k)}] ${latexEscape(v)}`);
  return [
    "% index-lab regime report as a LaTeX fragment: \\input it into a paper (pdflatex).",
    "% Needs \\usepackage{graphicx,booktabs,tabularx,amsmath,amssymb}. Figures are the PDFs beside this file; set their folder with",
    "% \\newcommand{\\indexlabdir}{path/to/report/} before the \\input (default: the working directory).",
    "\\providecommand{\\indexlabdir}{}",
    "% a figure at its printed size (index-lab report --figure-width), scaled down only if wider than the line",
    "\\providecommand{\\indexlabgraphic}[1]{\\sbox0{\\includegraphics{#1}}\\ifdim\\wd0>\\linewidth\\includegraphics[width=\\linewidth]{#1}\\else\\usebox0\\fi}",
    `\\section{${latexInline(doc.title)}}\\label{sec:indexlab-report}`,
    `\\textit{${latexInline(doc.subtitle)}}`,
    "",
    ...doc.sections.map(latexSection),
    "\\subsection{Provenance}",
    "\\begin{description}\\small",
    ...prov,
    "\\end{description}",
    "",
  ].join("\n");
}
