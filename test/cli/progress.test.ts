// Honest ETA (issue #16): progress is weighted by each run's expected cost (the budget guard's model), so the ETA is
// exact whenever a run's wall time is proportional to its cost, however unequal the costs; a count-based ETA is
// not. `--progress json` writes one line per update on stderr, valid against the shipped schema, monotone, with a
// final line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { CostProgress } from "../../src/sweeps/progress.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = path.join(root, "dist/src/cli/main.js");

/** Run a schedule on a synthetic clock where run i takes tau * cost_i seconds; resumed runs take no time. */
function replay(costs: number[], tau: number, resumed: Set<number>) {
  let t = 0;
  const clock = new CostProgress(costs, () => t);
  for (const i of resumed) clock.skip(costs[i]!);
  const todo = costs.map((_, i) => i).filter((i) => !resumed.has(i));
  const out: { eta: number | null; trueLeft: number; countEta: number | null }[] = [];
  let doneNow = 0;
  for (const [k, i] of todo.entries()) {
    t += tau * costs[i]!;
    const s = clock.finish(costs[i]!);
    doneNow++;
    const trueLeft = todo.slice(k + 1).reduce((a, j) => a + tau * costs[j]!, 0);
    out.push({ eta: s.etaSeconds, trueLeft, countEta: (t * (todo.length - doneNow)) / doneNow });
  }
  return out;
}

describe("cost-weighted ETA", () => {
  it("is exact on a schedule whose run costs differ 100x, where a count-based ETA is off by a large factor", () => {
    // ten cheap runs first, then ten runs 100x dearer: after the cheap ones a count would promise 10 tau seconds
    const costs = [...Array(10).fill(1), ...Array(10).fill(100)];
    const r = replay(costs, 0.5, new Set());
    for (const x of r) expect(x.eta).toBeCloseTo(x.trueLeft, 9);
    const afterCheap = r[9]!;
    expect(afterCheap.trueLeft).toBe(500);
    expect(afterCheap.countEta).toBe(5); // 100x too small
    expect(r[r.length - 1]!.eta).toBe(0);
  });

  it("is exact for any costs in [1, 100], any order, any rate and any set of runs read back from disk (property)", () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 40 }),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      fc.array(fc.nat(), { maxLength: 10 }),
      (costs, tau, picks) => {
        const resumed = new Set(picks.map((p) => p % costs.length));
        if (resumed.size === costs.length) resumed.delete(0);
        for (const x of replay(costs, tau, resumed)) expect(Math.abs(x.eta! - x.trueLeft)).toBeLessThanOrEqual(1e-9 * (1 + x.trueLeft));
      },
    ), { numRuns: 200 });
  });

  it("has no ETA before the first run ends, counts read-back runs as done, and a non-positive cost as 1", () => {
    let t = 0;
    const c = new CostProgress([3, 0, 5], () => t);
    expect(c.state().etaSeconds).toBeNull();
    expect(c.skip(3)).toMatchObject({ runsDone: 1, costDone: 3, costTotal: 9, etaSeconds: null });
    t = 2;
    expect(c.finish(0)).toMatchObject({ runsDone: 2, costDone: 4, etaSeconds: 10 });
  });
});

describe("--progress json", () => {
  const shipped = z.fromJSONSchema(JSON.parse(readFileSync(path.join(root, "schemas/progress.schema.json"), "utf8")));

  it("verify writes schema-valid, monotone JSON lines on stderr, costs weighted by d, and one final line", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "index-lab-progress-"));
    try {
      const r = spawnSync(process.execPath, [MAIN, "verify", "He(3,z)", "--d", "32,256", "--seeds", "3", "--workers", "0", "--progress", "json", "--out", path.join(dir, "v"), "--json"], { encoding: "utf8", cwd: root, timeout: 120_000 });
      expect([0, 1, 3]).toContain(r.status);
      // stdout keeps only the result, valid against the shipped verify schema, with the paper-size run's estimate
      const result = JSON.parse(r.stdout) as { paperSize: { flag: string; sizes: string; coreHours: number } };
      const verifySchema = z.fromJSONSchema(JSON.parse(readFileSync(path.join(root, "schemas/verify.schema.json"), "utf8")));
      expect(verifySchema.safeParse(result).success).toBe(true);
      expect(result.paperSize).toMatchObject({ flag: "--full", sizes: "--d 256:16384 --seeds 64" });
      expect(result.paperSize.coreHours).toBeGreaterThan(0);
      const lines = r.stderr.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, number | string | null>);
      for (const l of lines) expect(shipped.safeParse(l).success, JSON.stringify(l)).toBe(true);
      expect(lines.length).toBe(6 + 1 + 1); // the start, one per run, the final line
      expect(lines.map((l) => l.event)).toEqual([...Array(7).fill("progress"), "final"]);
      for (const [a, b] of lines.slice(0, -1).map((l, i) => [l, lines[i + 1]!] as const)) {
        expect(b.runsDone as number).toBeGreaterThanOrEqual(a.runsDone as number);
        expect(b.costDone as number).toBeGreaterThanOrEqual(a.costDone as number);
        expect(b.elapsedSeconds as number).toBeGreaterThanOrEqual(a.elapsedSeconds as number);
        expect(b.costTotal).toBe(a.costTotal);
      }
      const last = lines[lines.length - 1]!;
      expect(last).toMatchObject({ runsDone: 6, runsTotal: 6, fraction: 1, etaSeconds: 0, costUnit: "estimated core-seconds" });
      // a run at d = 256 is charged more than one at d = 32 (its expected escape takes more steps)
      const steps = lines.slice(1, -1).map((l, i) => (l.costDone as number) - (lines[i]!.costDone as number));
      expect(Math.max(...steps) / Math.min(...steps)).toBeGreaterThan(5);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it("an unknown mode is bad input (exit 2, one line)", () => {
    const r = spawnSync(process.execPath, [MAIN, "simulate", "online-sgd", "--link", "He(3,z)", "--d", "32", "--seeds", "2", "--progress", "loud"], { encoding: "utf8", cwd: root });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual(["index-lab: --progress must be one of auto, bar, json, lines, none, got 'loud'"]);
  });
});
