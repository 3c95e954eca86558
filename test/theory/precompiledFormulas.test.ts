// The build's precompiled theory formulas (dist/vendor/theory-formulas.cjs, scripts/precompile-formulas.ts) against
// the formulas compiled from their text: the same symbols and the same values, bit for bit (issue 18, start-up).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { R } from "../../src/link/compile.js";
import { compileFormulaText, type PrecompiledFormula } from "../../src/theory/formula.js";
import { FORMULA_SYMBOLS } from "../../src/theory/symbols.js";
import { loadTheory } from "../../src/theory/loader.js";
import { seededRng } from "../../src/numeric/xoshiro.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const file = path.join(root, "dist/vendor/theory-formulas.cjs");

describe("precompiled theory formulas", () => {
  it("hold every formula of the catalog, with the symbols and values of the formula compiled from its text", () => {
    expect(existsSync(file), "dist/vendor/theory-formulas.cjs missing: run npm run build").toBe(true);
    const table = (createRequire(import.meta.url)(file) as (r: typeof R) => Map<string, PrecompiledFormula>)(R);
    const sources = new Set<string>();
    for (const c of loadTheory().claims) {
      for (const k of c.cases) sources.add(k.exponent.source).add(k.logPower.source);
      if (c.prefactor) sources.add(c.prefactor.source);
      if (c.curve) sources.add(c.curve.logExponent.source).add(c.curve.smallEnd.source).add(c.curve.largeEnd.source);
      for (const r of c.regimes) { sources.add(r.exponent.source); if (r.prefactor) sources.add(r.prefactor.source); }
    }
    expect([...sources].filter((s) => !table.has(s))).toEqual([]);
    const rng = seededRng(18);
    let compared = 0;
    for (const [source, pre] of table) {
      const text = compileFormulaText(source, "test");
      expect(pre.used.map((i) => FORMULA_SYMBOLS[i])).toEqual(text.symbols);
      for (let t = 0; t < 20; t++) {
        // small integers (exponents), large values (d) and fractions, Infinity (an exponent above the degree)
        const bindings = Object.fromEntries(FORMULA_SYMBOLS.map((s) => [s, t === 0 ? Infinity : t % 3 === 0 ? 1 + Math.floor(8 * rng.uniform()) : t % 3 === 1 ? 2 ** (20 * rng.uniform()) : rng.uniform() - 0.5]));
        const args = FORMULA_SYMBOLS.map((s) => bindings[s]!);
        expect(Object.is(pre.f(...args), text.evaluate(bindings)), `${source} at ${JSON.stringify(bindings)}`).toBe(true);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
