// LaTeX of exact forms and formulas (issue #17): the typeset form of what `analyze` and `predict` print as text.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { latexOf, mathmlOf, mathmlOfLatex, withLatex } from "../../src/link/latex.js";
import { analyzeLink } from "../../src/analyze.js";
import { alphaCLatex, latexText } from "../../src/reports/math.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Braces balance and every \left has its \right. */
function wellFormed(tex: string): boolean {
  let depth = 0;
  for (const ch of tex.replace(/\\[{}]/g, "")) { if (ch === "{") depth++; else if (ch === "}" && --depth < 0) return false; }
  return depth === 0 && (tex.match(/\\left/g) ?? []).length === (tex.match(/\\right/g) ?? []).length;
}

describe("latexOf", () => {
  it("typesets the exact forms as a paper would: fractions, one root of 2 pi, juxtaposed products, the Gaussian tail", () => {
    expect(latexOf("1/sqrt(2*pi)")).toBe("\\frac{1}{\\sqrt{2 \\pi}}");
    expect(latexOf("-sqrt(3)/(12*sqrt(pi))")).toBe("-\\frac{\\sqrt{3}}{12 \\sqrt{\\pi}}");
    expect(latexOf("exp(-1/8)/(2*sqrt(2*pi))")).toBe("\\frac{e^{-1/8}}{2 \\sqrt{2 \\pi}}");
    expect(latexOf("((1 - erf((1/2)/sqrt(2)))/2)")).toBe("\\bar{\\Phi}\\left(\\frac{1}{2}\\right)");
    expect(latexOf("sign(z1*z2*z3)")).toBe("\\operatorname{sign}\\left(z_{1} z_{2} z_{3}\\right)");
    expect(latexOf("He(3, z) + 2*3")).toBe("\\mathrm{He}_{3}\\left(z\\right) + 2 \\cdot 3");
    expect(latexOf("max(leap - 1, 1)")).toBe("\\max\\left(\\mathrm{Leap} - 1, 1\\right)");
    expect(latexOf("a - (b - c)")).toBe("a - \\left(b - c\\right)");
    expect(() => latexOf("1 +")).toThrow(/cannot typeset/);
  });

  it("every exact coefficient of random polynomial and piecewise links typesets to well-formed LaTeX", () => {
    const term = fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: 0, max: 4 })).map(([c, k]) => `${c}*z^${k}`);
    const link = fc.oneof(
      fc.array(term, { minLength: 1, maxLength: 3 }).map((ts) => ts.join(" + ")),
      fc.integer({ min: -3, max: 3 }).map((a) => `relu(z - ${a}/2)`),
      fc.integer({ min: 1, max: 3 }).map((a) => `sign(z - ${a}/3)`),
    );
    fc.assert(fc.property(link, (l) => {
      const a = analyzeLink(l, { maxDegree: 5 });
      // temml (throwOnError) parses every one of them: the HTML report can typeset each exact coefficient
      return a.hermite.exact.every((x) => x === null || (wellFormed(latexOf(x)) && !mathmlOf(x).includes("merror")));
    }), { numRuns: 25 });
  });

  it("withLatex puts the LaTeX beside every exact string and formula, arrays included, and leaves the rest alone", () => {
    const out = withLatex({ hermite: { exact: ["1/2", null], secondMomentExact: "1/2" }, scaling: { formula: "d^2", bound: "tight" }, n: 3 });
    expect(out).toEqual({
      hermite: { exact: ["1/2", null], exactLatex: ["\\frac{1}{2}", null], secondMomentExact: "1/2", secondMomentExactLatex: "\\frac{1}{2}" },
      scaling: { formula: "d^2", formulaLatex: "d^{2}", bound: "tight" }, n: 3,
    });
  });

  it("mathmlOf typesets the LaTeX as MathML with the LaTeX as annotation; bad LaTeX is an InputError", () => {
    expect(mathmlOf("1/sqrt(2*pi)")).toBe("<math><semantics><mfrac><mn>1</mn><msqrt><mrow><mn>2</mn><mi>π</mi></mrow></msqrt></mfrac><annotation encoding=\"application/x-tex\">\\frac{1}{\\sqrt{2 \\pi}}</annotation></semantics></math>");
    expect(mathmlOf("((1 - erf((1/2)/sqrt(2)))/2)")).toContain("<mi mathvariant=\"normal\">Φ</mi>");
    expect(mathmlOf("He(3, z)", true)).toMatch(/^<math display="block"[^>]*>.*<msub><mpadded lspace="0"><mi>He<\/mi><\/mpadded><mn>3<\/mn><\/msub>/);
    expect(() => mathmlOfLatex("\\frac{1}{")).toThrow(/cannot typeset the LaTeX/);
  });

  it("`analyze relu(z) --latex` prints c_0 = 1/sqrt(2 pi) typeset (the real binary)", () => {
    const out = execFileSync(process.execPath, [path.join(root, "dist/src/cli/main.js"), "analyze", "relu(z)", "-K", "4", "--latex"], { cwd: root, encoding: "utf8" });
    expect(out).toContain("c_{0} = \\frac{1}{\\sqrt{2 \\pi}}");
    expect(out).toContain("\\mathbb{E}[f(Z)^2] = \\frac{1}{2}");
  });

  it("alpha_c typesets exactly when certified (1/2, 0, infinity), else with its error bound; \\text{} content is escaped", () => {
    expect(alphaCLatex({ alphaC: 0.5, exact: "1/2", errorBound: 0, interval: [0.5, 0.5] })).toBe("\\alpha_c = \\frac{1}{2}");
    expect(alphaCLatex({ alphaC: 0, exact: null, errorBound: 0, interval: [0, 0] })).toBe("\\alpha_c = 0");
    expect(alphaCLatex({ alphaC: Infinity, exact: null, errorBound: Infinity, interval: [12, Infinity] })).toBe("\\alpha_c = \\infty \\ (\\text{certified} \\ge 12)");
    expect(alphaCLatex({ alphaC: 0.5416441747636156, exact: null, errorBound: 2.8e-15, interval: [0.54, 0.55] })).toBe("\\alpha_c \\approx 0.54164417 \\pm 2.8 \\times 10^{-15}");
    expect(latexText("alpha_WR 5% a&b {x} ^~\\")).toBe("alpha\\_WR 5\\% a\\&b \\{x\\} \\^{}\\~{}\\textbackslash{}");
  });

  it("`predict z^2 --latex` prints alpha_c = 1/2 under each weak-recovery claim and no raw underscore inside \\text{}", () => {
    const out = execFileSync(process.execPath, [path.join(root, "dist/src/cli/main.js"), "predict", "z^2", "--latex"], { cwd: root, encoding: "utf8" });
    const lines = out.split("\n");
    const i = lines.findIndex((l) => l.startsWith("% mm-spectral-weak-recovery"));
    expect(lines[i + 1]).toBe("\\alpha_c = \\frac{1}{2}");
    for (const l of lines.filter((x) => !x.startsWith("%"))) for (const m of l.matchAll(/\\text\{((?:[^{}]|\\[{}])*)\}/g)) expect(m[1]).not.toMatch(/(^|[^\\])_/);
  });
});
