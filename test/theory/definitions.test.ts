/**
 * theory/definitions.yaml (issue 14 §1): validated by its schema, every referenced claim exists, and every claim whose
 * formulas or derivation use an exponent is listed under that exponent's definition with the reason.
 */
import { describe, expect, it } from "vitest";
import { loadDefinitions } from "../../src/theory/definitions.js";
import { theoryCatalog } from "../../src/theory/loader.js";

const SYMBOL_DEFINITION: Record<string, string> = {
  IE: "information-exponent", GE: "generative-exponent", leap: "leap-exponent", gleap: "generative-leap",
  p1: "label-power-exponents", p2: "label-power-exponents", p3: "label-power-exponents", p4: "label-power-exponents",
};
const DERIVATION_DEFINITION: Record<string, string> = {
  "giant-step-subspaces": "first-hermite-vector", "giant-step-staircase": "first-hermite-vector",
  "reuse-directions": "generative-leap", "first-step-overlap": "first-hermite-vector",
};

describe("theory/definitions.yaml", () => {
  const defs = loadDefinitions();
  const catalog = theoryCatalog();
  it("validates and names only claims of the catalog", () => {
    const ids = new Set(catalog.claims.map((c) => c.claim.id));
    for (const d of defs) for (const u of d.usedBy) expect(ids.has(u.claim), `${d.id} -> ${u.claim}`).toBe(true);
    expect(catalog.skipped.map((s) => s.file)).toContain("definitions.yaml");
  });
  it("every claim that uses an exponent says which definition and why", () => {
    for (const l of catalog.claims) {
      const text = JSON.stringify([l.claim.conditions.defined, l.claim.conditions.ranges, l.claim.scaling, l.claim.curve]);
      const needed = new Set<string>();
      for (const [s, def] of Object.entries(SYMBOL_DEFINITION)) if (new RegExp(`\\b${s}\\b`).test(text)) needed.add(def);
      if (l.claim.derivation && DERIVATION_DEFINITION[l.claim.derivation]) needed.add(DERIVATION_DEFINITION[l.claim.derivation]!);
      for (const def of needed) {
        const d = defs.find((x) => x.id === def);
        expect(d?.usedBy.some((u) => u.claim === l.claim.id), `${l.claim.id} uses ${def} but is not listed under it`).toBe(true);
      }
    }
  });
  it("leap and generative leap are the subspace (basis-free) definitions; the coordinate leap is kept only labelled", () => {
    expect(defs.find((d) => d.id === "leap-exponent")!.basis).toBe("subspaces");
    expect(defs.find((d) => d.id === "generative-leap")!.basis).toBe("subspaces");
    expect(defs.find((d) => d.id === "coordinate-leap")!.basis).toBe("given-basis");
  });
});
