// `check` has the budget guard and cost-weighted ETA of the other long commands: a family's estimate comes from two
// pilot draws of each property (src/testing/checkCost.ts), and a check beyond --budget is refused before it runs.
import { describe, it, expect } from "vitest";
import { cli } from "../faults/cliHarness.js";
import { estimateCheck } from "../../src/testing/checkCost.js";
import { PROPERTIES, plannedDraws } from "../../src/testing/properties.js";

describe("check: cost model and --budget", () => {
  it("refuses a family whose estimate exceeds --budget (exit 2, one line with the estimate and what to lower), before any draw of the run", async () => {
    const t0 = performance.now();
    const r = await cli(["check", "He(3,z) + a*He(2,z)", "--param", "a=0:1", "--runs", "100000", "--budget", "5", "--no-simulate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/check He\(3,z\) \+ a\*He\(2,z\): estimated wall time .* exceeds the budget of 5 s; re-run with --yes .*--runs/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
    // 100000 draws of 9 properties would take hours; the pilot is two draws per property
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 90_000);

  it("--budget must be a positive number of seconds", async () => {
    const r = await cli(["check", "He(3,z)", "--budget", "-1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--budget must be a number of seconds > 0/);
  });

  it("--progress json weights the properties by estimated core-seconds and ends with a final line at the whole cost", async () => {
    const r = await cli(["check", "tanh(a*z)", "--param", "a=0.5:2", "--runs", "3", "--no-simulate", "--progress", "json", "--json"]);
    expect([0, 1, 3]).toContain(r.code);
    const lines = r.stderr.trim().split("\n").map((l) => JSON.parse(l) as { event: string; costUnit: string; costTotal: number; costDone: number; runsTotal: number });
    expect(lines[0]!.costUnit).toBe("estimated core-seconds");
    expect(lines[0]!.costTotal).toBeGreaterThan(0);
    expect(lines[0]!.runsTotal).toBe(PROPERTIES.length);
    const last = lines[lines.length - 1]!;
    expect(last.event).toBe("final");
    expect(last.costDone).toBeCloseTo(last.costTotal, 9);
  }, 90_000);

  it("the estimate: a skipped property costs nothing, a single link uses typical figures (no pilot), a family is piloted", () => {
    const skip = (p: { id: string }) => p.id === "simulated-ordering";
    const one = estimateCheck("He(3,z)", PROPERTIES, plannedDraws(PROPERTIES, []), { params: [], maxDegree: 8, skip });
    expect(one.method).toBe("typical");
    expect(one.pilotSeconds).toBe(0);
    expect(one.perProperty[PROPERTIES.findIndex(skip)]).toBe(0);
    const params = [{ name: "a", lo: 0, hi: 1 }];
    const planned = plannedDraws(PROPERTIES, params, 10);
    const fam = estimateCheck("He(2,z) + a*z", PROPERTIES, planned, { params, maxDegree: 6, skip });
    expect(fam.method).toBe("pilot");
    expect(fam.pilotSeconds).toBeGreaterThan(0);
    expect(fam.perProperty[PROPERTIES.findIndex(skip)]).toBe(0);
    // ten planned draws at the second pilot draw's cost: at least 10 ms per property (1 ms floor per draw)
    fam.perProperty.forEach((c, i) => { if (!skip(PROPERTIES[i]!)) expect(c).toBeGreaterThanOrEqual(10 * 1e-3 - 1e-12); });
    expect(fam.totalSeconds).toBeCloseTo(fam.perProperty.reduce((s, c) => s + c, 0), 12);
  }, 60_000);
});
