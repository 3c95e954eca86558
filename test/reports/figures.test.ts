// Publication figures (issue #17): one colour per algorithm and per role in every figure of every report, scripts
// typeset in SVG text, figures at a printed width, the same figure as PDF (fonts embedded) and its data as tidy CSV.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { ALGORITHM_COLOURS, OKABE_ITO, ROLE_COLOURS, algorithmKey, colourScale, scriptTspans } from "../../src/reports/plots.js";
import { figureCsv, renderFigure } from "../../src/reports/figures.js";

const REPORTS = resolve("reports");
const examples = readdirSync(REPORTS, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(REPORTS, d.name, "report.json"))).map((d) => d.name);

type Spec = Record<string, unknown>;
/** Every colour encoding with a field in a spec: its scale's name -> colour pairs. */
function colourEncodings(spec: unknown, out: { field: string; scale?: { domain?: string[]; range?: string[] } }[] = []) {
  if (Array.isArray(spec)) { for (const s of spec) colourEncodings(s, out); return out; }
  if (!spec || typeof spec !== "object") return out;
  const s = spec as Spec;
  const c = (s.encoding as Spec | undefined)?.color as { field?: string; scale?: { domain?: string[]; range?: string[] } } | undefined;
  if (c?.field) out.push({ field: c.field, scale: c.scale });
  for (const v of Object.values(s)) if (v && typeof v === "object") colourEncodings(v, out);
  return out;
}

describe("shared colours", () => {
  const labels = ["online-sgd", "online", "IE regime (online SGD)", "smoothed-online-sgd", "alternating (layer-wise)", "batch-reuse", "GE regime (label powers)", "csq (lower bound)", "sq", "information-theoretic"];

  it("an algorithm has its colour whatever else shares the figure and in whatever order", () => {
    fc.assert(fc.property(fc.shuffledSubarray(labels, { minLength: 1 }), fc.array(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 3 }), (some, others) => {
      const { domain, range } = colourScale([...others.map((o) => `x${o}`), ...some]);
      for (const l of some) expect(range[domain.indexOf(l)]).toBe(ALGORITHM_COLOURS[algorithmKey(l)!]);
    }));
  });

  it("names that are no algorithm get distinct palette colours, never one already taken in the figure", () => {
    fc.assert(fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 4 }), (names) => {
      const { range } = colourScale(["online SGD", ...names.map((n) => `series ${n}`)]);
      expect(new Set(range).size).toBe(range.length);
      for (const c of range) expect([...OKABE_ITO, "#999999"]).toContain(c);
    }));
  });

  it("across every figure of every committed report, a name has one colour, and every colour field has the shared scale", () => {
    const seen = new Map<string, string>();
    let encodings = 0;
    for (const name of examples) {
      const doc = JSON.parse(readFileSync(join(REPORTS, name, "report.json"), "utf8")).document;
      for (const s of doc.sections) for (const b of s.blocks) if (b.kind === "figure") {
        for (const enc of colourEncodings(b.figure.spec)) {
          encodings++;
          expect(enc.scale?.domain?.length, `${name}/${b.figure.id}: colour by '${enc.field}' without the shared scale`).toBeGreaterThan(0);
          enc.scale!.domain!.forEach((n, i) => {
            const c = enc.scale!.range![i]!;
            expect(seen.get(n) ?? c, `${name}/${b.figure.id}: '${n}'`).toBe(c);
            seen.set(n, c);
          });
        }
      }
    }
    expect(encodings).toBeGreaterThan(20);
    expect(seen.get("online SGD")).toBe(ALGORITHM_COLOURS["online SGD"]);
    expect(seen.get("online-sgd")).toBe(ALGORITHM_COLOURS["online SGD"]);
    expect(seen.get("IE regime (online SGD)")).toBe(ALGORITHM_COLOURS["online SGD"]);
    expect(seen.get("measured")).toBe(ROLE_COLOURS.measured);
    expect(seen.get("predicted")).toBe(ROLE_COLOURS.predicted);
  });
});

describe("typeset text", () => {
  it("sub- and superscripts come back to the baseline and keep every character", () => {
    const piece = fc.oneof(fc.stringMatching(/^[a-z λη()=]{0,4}$/), fc.stringMatching(/^[_^][a-z0-9]$/), fc.stringMatching(/^[_^]\{[a-z0-9]{1,3}\}$/));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
      const content = pieces.join("");
      const out = scriptTspans(content, 9);
      const dys = [...out.matchAll(/dy="(-?[\d.]+)"/g)].reduce((s, m) => s + Number(m[1]), 0);
      expect(Math.abs(dys)).toBeLessThan(1e-9);
      const text = [...out.matchAll(/>([^<]*)<\/tspan>/g)].map((m) => m[1]).join("").replace(/\u200b/g, "");
      expect(text).toBe(content.replace(/[_^]\{([^}]*)\}/g, "$1").replace(/[_^]([a-z0-9])/g, "$1"));
    }));
  });

  it("λ_k^2 is λ, a subscript k and a superscript 2", () => {
    expect(scriptTspans("λ_k^2", 10)).toBe('<tspan>λ</tspan><tspan dy="3" font-size="7px">k</tspan><tspan dy="-7" font-size="7px">2</tspan><tspan dy="4">\u200b</tspan>');
  });
});

describe("figure files", () => {
  const spec = {
    layer: [
      { name: "measured", data: { values: [{ d: 64, T: 10, series: "measured" }, { d: 128, T: 41, series: "measured" }] }, mark: "point", encoding: { x: { field: "d", type: "quantitative", scale: { type: "log" }, title: "dimension d" }, y: { field: "T", type: "quantitative", title: "log_d η, λ_k^2" }, color: { field: "series", type: "nominal", scale: colourScale(["measured", "predicted"]) } } },
      { name: "predicted", data: { values: [{ d: 64, T: 9, series: "predicted" }, { d: 128, T: 40, series: "predicted, \"quoted\"" }] }, mark: "line", encoding: { x: { field: "d", type: "quantitative" }, y: { field: "T", type: "quantitative" }, color: { field: "series", type: "nominal" } } },
    ],
  };

  it.each([3.4, 7])("at %s in: SVG of that printed width, a one-page PDF of the same size with the font embedded", async (w) => {
    const f = await renderFigure({ id: "t", caption: "test", spec }, { widthInches: w });
    const width = Number(/<svg[^>]*width="([\d.]+)in"/.exec(f.svg)?.[1]);
    expect(Math.abs(width - w) / w).toBeLessThan(0.03);
    expect(f.svg).toContain('font-size="'); // scripts typeset as tspans
    expect(f.svg).toMatch(/<tspan dy="[\d.]+" font-size="[\d.]+px">d<\/tspan>/);
    const pdf = Buffer.from(f.pdf).toString("latin1");
    expect(pdf.startsWith("%PDF-")).toBe(true);
    expect(pdf.match(/\/Type \/Page\b/g)?.length).toBe(1);
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf)!;
    const vb = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(f.svg)!;
    expect(Number(box[1])).toBeCloseTo(Number(vb[1]), 0);
    expect(Number(box[2])).toBeCloseTo(Number(vb[2]), 0);
    expect(pdf).toMatch(/\/FontFile2/);
    expect(pdf).toMatch(/DejaVuSans/);
  });

  it("the CSV is tidy: a layer column, one row per point, quoted where needed", () => {
    const csv = figureCsv(spec);
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("layer,d,T,series");
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('predicted,128,40,"predicted, ""quoted"""');
  });

  it.skipIf(spawnSync("python3", ["-c", "1"]).status !== 0)("Python's csv module reads a committed figure's CSV with the documented columns", () => {
    const file = join(REPORTS, "he3", "online-sgd-scaling.csv");
    const py = "import csv,sys,json\nr=list(csv.DictReader(open(sys.argv[1])))\nprint(json.dumps({'cols':list(r[0].keys()),'layers':sorted(set(x['layer'] for x in r)),'n':len(r),'T':[float(x['T']) for x in r if x['layer']=='measured median']}))";
    const out = spawnSync("python3", ["-c", py, file], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    const got = JSON.parse(out.stdout) as { cols: string[]; layers: string[]; n: number; T: number[] };
    expect(got.cols).toEqual(expect.arrayContaining(["layer", "d", "T", "lo", "hi", "series"]));
    expect(got.layers).toEqual(["fit", "fit band", "measured CI", "measured median", "predicted"]);
    // the measured medians are the ones of the report's table
    const md = readFileSync(join(REPORTS, "he3", "report.md"), "utf8");
    for (const t of got.T) expect(md).toContain(`| ${t} |`);
  });
});

describe("report --figure-width", () => {
  it.each(["1", "13", "7in", "abc"])("refuses %s with exit 2 and one line naming the allowed range, before any work", async (w) => {
    const { cli } = await import("../faults/cliHarness.js");
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const out = join(mkdtempSync(join(tmpdir(), "il-fw-")), "r");
    const r = await cli(["report", "z", "--out", out, "--figure-width", w]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--figure-width must be a width in inches from 2 to 12/);
    expect(existsSync(out)).toBe(false);
  });
});
