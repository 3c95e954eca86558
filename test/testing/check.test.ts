import { describe, expect, it } from "vitest";
import { checkLink, PROPERTIES, type LinkProperty } from "../../src/testing/properties.js";
import { hermiteSpectrum } from "../../src/hermite/spectrum.js";

describe("index-lab check: the property battery", () => {
  it("passes every applicable property on a family with exact and numeric paths", () => {
    const results = checkLink("He(3,z) + a*He(2,z)", { params: [{ name: "a", lo: 0, hi: 1 }], runs: 8, seed: 7 });
    expect(results.map((r) => r.id)).toEqual(PROPERTIES.map((p) => p.id));
    expect(results.filter((r) => r.status === "fail")).toEqual([]);
    expect(results.find((r) => r.id === "exact-vs-numeric")!.status).toBe("pass");
  });

  it("finds a false claim and shrinks it to the smallest failing parameter", () => {
    // a deliberately false property: "c_2 = 0" fails for every a > 0 on He(3,z) + a He(2,z)
    const falseClaim: LinkProperty = {
      id: "c2-vanishes", statement: "c_2 = 0", notApplicable: () => null,
      check: (l) => { const c = hermiteSpectrum(l, 3).coefficients[2]!; return { ok: Math.abs(c) < 1e-12, detail: `c_2 = ${c}` }; },
    };
    const [r] = checkLink("He(3,z) + a*He(2,z)", { params: [{ name: "a", lo: 0, hi: 1 }], runs: 50, seed: 3, properties: [falseClaim] });
    expect(r!.status).toBe("fail");
    // parameters live on a 1/1000 grid and shrink towards lo = 0; a = 0 passes, so the minimal failure is 0.001
    expect(r!.counterexample).toEqual({ a: 0.001 });
    // the failure prints the drawn parameter and the number that disagrees, never fast-check's bare message
    expect(r!.detail).not.toMatch(/returning false/);
    expect(r!.detail).toMatch(/^at a = 0\.001: c_2 = [0-9.e-]+$/);
  });

  it("a failure on a single link prints the two numbers that disagree", () => {
    const falseClaim: LinkProperty = {
      id: "c1-is-two", statement: "c_1 = 2", notApplicable: () => null,
      check: (l) => { const c = hermiteSpectrum(l, 2).coefficients[1]!; return { ok: Math.abs(c - 2) < 1e-12, detail: `c_1 = ${c} but the claim says 2` }; },
    };
    const [r] = checkLink("z", { properties: [falseClaim] });
    expect(r!.status).toBe("fail");
    expect(r!.detail).toBe("c_1 = 1 but the claim says 2");
  });

  it("reports properties that do not apply instead of passing them silently", () => {
    const results = checkLink("relu(z)");
    expect(results.find((r) => r.id === "stein")!.status).toBe("not-applicable");
    expect(results.find((r) => r.id === "parity")!.status).toBe("not-applicable");
  });
});
