/**
 * Status audit (issue 14 §2): "proved" only for what was read in the paper. A claim with status proved or
 * proved-up-to-logs must have source primary; a restatement is "reported"; our own derivation is "derived" (exact)
 * or "conjectured" (heuristic). Before this audit two derived-here entries (two-timescale-degree0-time,
 * feature-strength-toy-max-lr) and eleven secondary ones said "proved".
 */
import { describe, expect, it } from "vitest";
import { theoryCatalog, validateTheoryDocument } from "../../src/theory/loader.js";

export function statusProblems(claims: { id: string; status: string; source: string }[]): string[] {
  const out: string[] = [];
  for (const c of claims) {
    if ((c.status === "proved" || c.status === "proved-up-to-logs") && c.source !== "primary") out.push(`${c.id}: status ${c.status} but source ${c.source}`);
    if (c.status === "reported" && c.source !== "secondary") out.push(`${c.id}: status reported needs source secondary, got ${c.source}`);
    if (c.status === "derived" && c.source !== "derived-here") out.push(`${c.id}: status derived needs source derived-here, got ${c.source}`);
    if (c.source === "derived-here" && !["derived", "conjectured"].includes(c.status)) out.push(`${c.id}: a derivation of ours cannot be ${c.status}`);
  }
  return out;
}

describe("status audit of the catalog", () => {
  it("no claim says proved unless it was read in the paper; derivations say derived", () => {
    const claims = theoryCatalog().claims.map((l) => ({ id: l.claim.id, status: l.claim.status, source: l.claim.source }));
    expect(statusProblems(claims)).toEqual([]);
    for (const id of ["two-timescale-degree0-time", "feature-strength-toy-max-lr"]) expect(claims.find((c) => c.id === id)!.status).toBe("derived");
  });
  it("the audit fails on the pre-audit entries (proved + derived-here, proved + secondary)", () => {
    expect(statusProblems([{ id: "two-timescale-degree0-time", status: "proved", source: "derived-here" }])).toHaveLength(2);
    expect(statusProblems([{ id: "csq-lower-bound", status: "proved", source: "secondary" }])).toHaveLength(1);
  });
  it("the schema accepts the new statuses", () => {
    const doc = { kind: "claims", source: { id: "x", authors: ["A"], cite: "A", year: 2024, title: "t", arxiv: "2401.00001", read: "abstract" },
      claims: [{ id: "c", title: "t", algorithm: "online-sgd", location: "l", status: "reported", source: "secondary", sourceNote: "n", statement: "s",
        setting: { data: "x", network: "n", loss: "l" }, quantity: "q", measures: "samples-weak-recovery", scaling: { bound: "upper", cases: [{ exponent: "1" }] }, validity: "v", check: { pending: "not simulated here" } }] };
    expect(validateTheoryDocument(doc, "x.yaml").claims[0]!.claim.status).toBe("reported");
  });
});
