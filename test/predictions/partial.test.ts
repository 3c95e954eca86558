/**
 * Issue 16 B: a time limit never turns a valid input into bad input. `predictLink(..., { partial: true })` (what the
 * CLI runs) returns at every cut point: a claim it keeps is the claim the unlimited run gives, a claim it cannot
 * decide is labelled `notComputed`, and `incomplete` says what is missing. The CLI exits 3 for such an answer.
 */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { predictLink } from "../../src/predictions/predictLink.js";
import { TimeLimitExceeded, deadlineAfter } from "../../src/numeric/deadline.js";

const root = path.resolve(import.meta.dirname, "../..");
const MAIN = path.join(root, "dist/src/cli/main.js");

/** A deadline that passes after its n-th reading: every clock reading becomes a cut point (deterministic). */
const afterReadings = (n: number) => {
  let readings = 0;
  const expired = () => ++readings > n;
  return { seconds: 5, clock: "cpu" as const, expired, check: () => { if (expired()) throw new TimeLimitExceeded(5); } };
};
const substance = (p: object) => JSON.stringify({ ...p, reason: undefined });

describe("predict under a time limit: a partial answer, never an error", () => {
  const links: [string, number[]][] = [["relu(z)", [0, 5, 20, 40, 80]], ["tanh(z1+He(3,z2))", [0, 10, 30]]];
  it.each(links)("%s: at every cut, kept claims equal the unlimited run's, the others are labelled", (source, cuts) => {
    const full = predictLink(source, { maxDegree: 3, multiIndexLearnability: false });
    const byId = new Map(full.predictions.map((p) => [p.claimId, p]));
    let labelled = 0;
    for (const n of cuts) {
      const r = predictLink(source, { maxDegree: 3, deadline: afterReadings(n), partial: true, multiIndexLearnability: false });
      expect(r.predictions.map((p) => p.claimId)).toEqual(full.predictions.map((p) => p.claimId));
      for (const p of r.predictions) {
        if (p.notComputed !== undefined) {
          labelled++;
          expect(p.notComputed).toMatch(/^not computed within the time limit \(5 s CPU\); rerun with --time-limit 30/);
          if (p.structure?.kind !== "weak-recovery-threshold") { expect(p.applies).toBe(false); expect(p.scaling).toBeNull(); }
        } else if (p.structure?.kind !== "weak-recovery-threshold" || !r.incomplete) {
          expect(substance(p), `${source} cut after ${n}: ${p.claimId}`).toBe(substance(byId.get(p.claimId)!));
        }
      }
      if (r.predictions.some((p) => p.notComputed !== undefined)) expect(r.incomplete?.claimsNotComputed.length).toBeGreaterThan(0);
      if (r.profile.unresolved) expect(r.incomplete?.missing.length).toBeGreaterThanOrEqual(r.profile.unresolved.length);
    }
    // the earliest cut leaves something open (the test exercises the labelling, not only the happy path)
    expect(labelled).toBeGreaterThan(0);
  });

  it("a CPU-time deadline is not spent by waiting (wall time passing while the process sleeps)", async () => {
    const d = deadlineAfter(0.05, "cpu");
    await new Promise((r) => setTimeout(r, 120));
    expect(d.expired()).toBe(false);
    const w = deadlineAfter(0.05, "wall");
    await new Promise((r) => setTimeout(r, 120));
    expect(w.expired()).toBe(true);
    const t0 = process.cpuUsage();
    while (!d.expired()) { /* burn CPU */ }
    const used = process.cpuUsage(t0);
    expect((used.user + used.system) / 1e6).toBeGreaterThanOrEqual(0.04);
  });

  it("the CLI: a cut prediction exits 3 with the status and the claims left open (text and JSON); a bad limit exits 2", () => {
    const json = spawnSync(process.execPath, [MAIN, "predict", "sin(50*z)", "--time-limit", "0.2", "--json"], { cwd: root, encoding: "utf8" });
    expect(json.status, json.stderr).toBe(3);
    const r = JSON.parse(json.stdout) as { incomplete: { status: string; missing: string[]; claimsNotComputed: string[] }; predictions: { claimId: string; notComputed?: string }[] };
    expect(r.incomplete.status).toBe("not computed within the time limit (0.2 s CPU); rerun with --time-limit 30");
    expect(r.incomplete.missing.some((m) => m.startsWith("GE (>= 1)"))).toBe(true);
    expect(r.incomplete.claimsNotComputed).toEqual(r.predictions.filter((p) => p.notComputed).map((p) => p.claimId));
    expect(r.incomplete.claimsNotComputed.length).toBeGreaterThan(0);
    const text = spawnSync(process.execPath, [MAIN, "predict", "sin(50*z)", "--time-limit", "0.2"], { cwd: root, encoding: "utf8" });
    expect(text.status).toBe(3);
    expect(text.stdout).toMatch(/GE >= 1 \(not computed within the time limit\)/);
    expect(text.stdout).not.toMatch(/GE inf/);
    expect(text.stdout).toMatch(/-> exit code 3/);
    const bad = spawnSync(process.execPath, [MAIN, "predict", "z", "--time-limit", "0"], { cwd: root, encoding: "utf8" });
    expect(bad.status).toBe(2);
  }, 60_000);
});
