// The LaTeX target (issue #17): `report --latex` writes a fragment that compiles in a paper with pdflatex. The
// committed example reports' report.tex is the fragment of their report.json, and compiles with their PDF figures.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { latexEscape, latexFragment, latexInline } from "../../src/reports/latex.js";
import type { ReportDocument } from "../../src/reports/document.js";

const PDFLATEX = spawnSync("pdflatex", ["--version"]).status === 0;
if (!PDFLATEX) console.warn("LaTeX compile tests skipped: no pdflatex (apt-get install texlive-latex-base texlive-latex-recommended)");
const REPORTS = resolve("reports");

/** Compile `fragment` inside a minimal article with pdflatex; returns the exit status and the log. */
function compile(fragment: string, figureDir: string): { status: number | null; log: string } {
  const dir = mkdtempSync(join(tmpdir(), "il-tex-"));
  writeFileSync(join(dir, "fragment.tex"), fragment);
  writeFileSync(join(dir, "main.tex"), [
    "\\documentclass{article}", "\\usepackage{graphicx,booktabs,tabularx,amsmath,amssymb}",
    "\\setlength{\\textwidth}{7in}\\setlength{\\oddsidemargin}{-0.25in}",
    `\\newcommand{\\indexlabdir}{${figureDir}/}`, "\\begin{document}", "\\input{fragment.tex}", "\\end{document}", "",
  ].join("\n"));
  const r = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "main.tex"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, log: readFileSync(join(dir, "main.log"), "latin1") };
}

describe("LaTeX escaping", () => {
  it("is plain ASCII for any text, so pdflatex never meets an unmapped character", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => { expect(latexEscape(s)).toMatch(/^[\x20-\x7e]*$/); }));
  });
  it("escapes the special characters", () => {
    expect(latexEscape("c_k^2 ~ 50% & #1 {x} $y$ \\ <a|b>")).toBe("c\\_k\\^{}2 \\textasciitilde{} 50\\% \\& \\#1 \\{x\\} \\$y\\$ \\textbackslash{} \\textless{}a\\textbar{}b\\textgreater{}");
    expect(latexEscape("λ ± §")).toBe("$\\lambda$ $\\pm$ \\S{}");
  });
});

describe("inline markup", () => {
  it("keeps $...$ spans as LaTeX math and escapes the prose around them", () => {
    expect(latexInline("so $c_k = \\frac{1}{\\sqrt{k!}}$ costs 5$ & `He_3`"))
      .toBe("so $c_k = \\frac{1}{\\sqrt{k!}}$ costs 5\\$ \\& \\texttt{He\\_3}");
  });
});

describe("report.tex of the example reports", () => {
  it.each(["he3", "sign-z1z2z3"])("%s: is the fragment of its report.json and maps every character", (name) => {
    const doc = JSON.parse(readFileSync(join(REPORTS, name, "report.json"), "utf8")).document as ReportDocument;
    const tex = readFileSync(join(REPORTS, name, "report.tex"), "utf8");
    expect(tex).toBe(latexFragment(doc));
    expect(tex).not.toContain("[U+");
    expect(tex).not.toContain("\\textbackslash{}sqrt"); // typeset math is LaTeX, not escaped text
    expect(tex).toContain("\\toprule");
    expect(tex).toMatch(/\\indexlabgraphic\{\\indexlabdir [a-z0-9-]+\.pdf\}/);
  });

  it.skipIf(!PDFLATEX)("he3 and sign-z1z2z3 compile with pdflatex in a minimal article, figures included", () => {
    for (const name of ["he3", "sign-z1z2z3"]) {
      const r = compile(readFileSync(join(REPORTS, name, "report.tex"), "utf8"), join(REPORTS, name));
      expect(r.status, r.log.split("\n").filter((l) => l.startsWith("!")).join("\n")).toBe(0);
      expect(r.log).not.toMatch(/Missing character|File `[^']*' not found|Undefined control sequence/);
      expect(r.log).toMatch(/\.pdf, id=/); // the figures were included
    }
  });

  it.skipIf(!PDFLATEX)("a failed section, special characters and code compile", () => {
    const doc: ReportDocument = {
      title: "t_1 & 100% {x}", subtitle: "y = g(W* x), x ~ N(0, I_d)", provenance: { "wall time": "1 s", "a#b": "$5" },
      sections: [
        { id: "s", title: "Sim ^ § – ≍", status: "failed", reason: "diverged at \\step_12 <oops>", blocks: [] },
        { id: "t", title: "Table", status: "ok", blocks: [
          { kind: "text", text: "`c_k = E[f(Z) He_k(Z)]/sqrt(k!)` and **bold λ_k^2**" },
          { kind: "code", text: "index-lab report \"z^3\" --out r\n  # comment ~ %" },
          { kind: "table", table: { caption: "long & short", header: ["k", "a long column whose cells run on and on"], rows: [["1", "x".repeat(120)], ["2|3", "y_z^w"]] } },
        ] },
      ],
    };
    const r = compile(latexFragment(doc), tmpdir());
    expect(r.status, r.log.split("\n").filter((l) => l.startsWith("!")).join("\n")).toBe(0);
    expect(r.log).not.toMatch(/Missing character/);
  });
});
