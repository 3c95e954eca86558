import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { buildReport } from "../../src/reports/build.js";
import { renderReport } from "../../src/reports/render.js";
import { writeReport } from "../../src/reports/write.js";
import { guardedSection } from "../../src/reports/document.js";
import { InputError } from "../../src/link/errors.js";

describe("regime reports", () => {
  it("renders a self-contained HTML file and a Markdown file with the same figures", async () => {
    const data = buildReport("relu(z)");
    const r = await renderReport(data.document);
    expect(r.html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|url\(http/);
    const figures = data.document.sections.flatMap((s) => s.blocks).filter((b) => b.kind === "figure");
    expect(figures.length).toBeGreaterThan(0);
    for (const f of figures) {
      if (f.kind !== "figure") continue;
      expect(r.html).toContain(`id="fig-${f.figure.id}"`);
      expect(r.markdown).toContain(`](${f.figure.id}.svg)`);
      expect(r.images.get(`${f.figure.id}.svg`)).toMatch(/^<svg[\s\S]*<\/svg>$/);
    }
    // the exact closed form of c_0 of relu: $LaTeX$ in Markdown, MathML typeset at build time in HTML
    expect(r.markdown).toContain("$\\frac{1}{\\sqrt{2 \\pi}}$");
    expect(r.html).toContain("<mfrac><mn>1</mn><msqrt><mrow><mn>2</mn><mi>π</mi></mrow></msqrt></mfrac>");
    expect(r.html).not.toMatch(/\$\\frac/);
  });

  it("shows a failed section with its reason instead of dropping it", async () => {
    const s = guardedSection("sim", "Simulations", () => { throw new Error("engine diverged at step 12"); });
    expect(s.status).toBe("failed");
    const data = buildReport("z", { extraSections: () => [s] });
    const r = await renderReport(data.document);
    expect(r.html).toContain("engine diverged at step 12");
    expect(r.markdown).toContain("**This section failed:** engine diverged at step 12");
  });

  it("never overwrites an existing folder without force, and writes atomically with force", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "il-report-")), "out");
    const data = buildReport("sign(z)");
    const r = await renderReport(data.document);
    writeReport(dir, r, data);
    expect(existsSync(join(dir, "index.html"))).toBe(true);
    expect(() => writeReport(dir, r, data)).toThrow(InputError);
    writeReport(dir, r, data, { force: true });
    const json = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    expect(json.analysis.informationExponent).toBe(1);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("# index-lab regime report: sign(z)");
  });
});
