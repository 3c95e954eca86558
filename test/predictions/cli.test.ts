/** `index-lab predict`: JSON shape of the issue, readable table, one-line input errors with exit code 2. */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { predictLink } from "../../src/predictions/predictLink.js";
import { formatPredictions } from "../../src/cli/commands/predict.js";
import { parseExpression } from "../../src/link/parse.js";

const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "predict", ...args], { encoding: "utf8", timeout: 60_000 });

describe("predict command", () => {
  it("--json gives predictions with the fields the issue names", () => {
    const r = cli("tanh(z1+He(3,z2))", "--algorithm", "giant-step", "--d", "4096", "--json");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { predictions: Record<string, unknown>[] };
    expect(out.predictions.length).toBeGreaterThan(0);
    for (const p of out.predictions) {
      for (const k of ["algorithm", "quantity", "scaling", "claimId", "citation", "status", "applies", "reason"]) expect(p, k).toHaveProperty(k);
      expect(p.algorithm).toBe("giant-step");
    }
    const one = out.predictions.find((p) => p.claimId === "giant-step-single-direction")!;
    expect(one.applies).toBe(true);
    expect((one.scaling as { exponent: number }).exponent).toBe(1);
  });

  it("bad input is one line on stderr with exit code 2", () => {
    const a = cli("z^3", "--algorithm", "nonsense");
    expect(a.status).toBe(2);
    expect(a.stderr.trim().split("\n")).toHaveLength(1);
    expect(a.stderr).toMatch(/unknown algorithm 'nonsense'/);
    const b = cli("z^3", "--d", "-4");
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--d must be a positive number/);
  });

  it("the scaling formulas printed are link-language expressions that evaluate to the stated values", () => {
    const r = predictLink("He(4,z)", { d: 1000 });
    for (const p of r.predictions) {
      const s = p.scaling;
      if (!s || s.exponent === null || s.value === null || s.base !== "d") continue;
      const e = parseExpression(s.formula, { symbols: ["d"], indexVariables: false }).expr;
      expect(e, p.claimId).toBeDefined();
      expect(s.value / (s.prefactor ?? 1), p.claimId).toBeCloseTo(1000 ** s.exponent * Math.log(1000) ** s.logPower, 6);
    }
    const text = formatPredictions(r, { lrScan: true, explain: true });
    expect(text).toMatch(/tsiolis-batch-reuse-lr-curve/);
    expect(text).toMatch(/theorem -> scaling/);
    expect(text).not.toMatch(/NaN|undefined/);
  });
});
