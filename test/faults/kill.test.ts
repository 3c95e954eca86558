/**
 * Fault injection on a sweep in separate processes (the built library in dist/, as `npm test` builds it): kill -9 at
 * seeded random points of a sweep, then resume; two writers started on one folder at once. Expected outcome each
 * time: the finished runs are byte-identical to an uninterrupted sweep, no run is lost or duplicated, a dead writer's
 * lock is recovered, and a concurrent writer is refused, never run twice.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runSweep } from "../../src/sweeps/sweep.js";
import { config } from "../simulations/helpers.js";

const SWEEP = path.resolve("dist/src/sweeps/sweep.js");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "index-lab-kill-"));
// censored runs of ~1e5 reduced-chain steps (~13 ms each): a sweep of ~1 s, so that the kills land inside it
const CONFIGS = [64, 96].map((d) => config({ link: "He(3,z)", student: "He(3,z)", d, eta: "0.01*d^-1.5", threshold: 0.5, runToMax: false, maxSteps: 100_000 }));
const SEEDS = 24;
const script = (dir: string) => `
const { runSweep } = await import(${JSON.stringify(SWEEP)});
const r = await runSweep({ command: "fault", masterSeed: 3, workers: 0, configs: ${JSON.stringify(CONFIGS)}, seeds: ${SEEDS}, dir: ${JSON.stringify(dir)}, resume: true });
process.stdout.write(JSON.stringify({ computed: r.computed, skipped: r.skipped }));`;

/** Newlines in DIR/runs.jsonl (0 when absent): the runs written so far. */
const written = (dir: string) => { try { const b = fs.readFileSync(path.join(dir, "runs.jsonl")); let n = 0; for (const x of b) if (x === 0x0a) n++; return n; } catch { return 0; } };

/**
 * Run the sweep in a child process; kill it with SIGKILL as soon as DIR/runs.jsonl holds `killAtRuns` runs (polled
 * every 2 ms, so the kill lands anywhere in the next run, its write included; null: let it finish). Killing at a
 * point of the sweep's progress, not of the clock, keeps the test meaningful on a fast or a loaded machine.
 */
function child(dir: string, killAtRuns: number | null): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", script(dir)], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (b) => { stdout += b; });
    p.stderr.on("data", (b) => { stderr += b; });
    const timer = killAtRuns === null ? null : setInterval(() => { if (written(dir) >= killAtRuns) p.kill("SIGKILL"); }, 2);
    p.on("close", (code, signal) => { if (timer) clearInterval(timer); resolve({ code, signal, stdout, stderr }); });
  });
}
const lines = (dir: string) => fs.readFileSync(path.join(dir, "runs.jsonl"), "utf8").split("\n").filter(Boolean);

describe("kill -9 and concurrent writers", () => {
  let reference: string[] = [];
  beforeAll(async () => {
    expect(fs.existsSync(SWEEP), "run `npm run build` first").toBe(true);
    const dir = tmp();
    await runSweep({ command: "fault", masterSeed: 3, workers: 0, configs: CONFIGS, seeds: SEEDS, dir });
    reference = lines(dir).sort();
    expect(reference).toHaveLength(CONFIGS.length * SEEDS);
  }, 60_000);

  it("kill -9 at seeded random points, then resume: byte-identical runs, none lost or duplicated, the stale lock recovered", async () => {
    const dir = tmp();
    let u = 0x9e3779b9; // xorshift32: the kill times are reproducible
    const next = () => { u ^= u << 13; u >>>= 0; u ^= u >>> 17; u ^= u << 5; u >>>= 0; return u / 2 ** 32; };
    const total = CONFIGS.length * SEEDS;
    let killed = 0, target = 0;
    for (let i = 0; i < 3; i++) {
      target = Math.min(total - 1, target + 1 + Math.floor(next() * (total / 3))); // a later point of the sweep each time
      const r = await child(dir, target);
      if (r.signal === "SIGKILL") {
        killed++;
        expect(fs.existsSync(path.join(dir, "runs.jsonl.lock"))).toBe(true); // left behind: the next writer must recover it
      }
      else expect(r.code, r.stderr).toBe(0); // the sweep finished between two polls: still a valid step
      // whatever was on disk when it died is a prefix of complete records (a torn tail at most)
      const have = fs.existsSync(path.join(dir, "runs.jsonl")) ? lines(dir).filter((l) => l.endsWith("}")) : [];
      for (const l of have) if (JSON.parse(l)) expect(reference).toContain(l);
    }
    expect(killed).toBeGreaterThan(0);
    const last = await child(dir, null);
    expect(last.code, last.stderr).toBe(0);
    const all = lines(dir);
    expect(new Set(all).size).toBe(all.length); // no duplicate
    expect(all.sort()).toEqual(reference);
    expect(fs.existsSync(path.join(dir, "runs.jsonl.lock"))).toBe(false);
  }, 60_000);

  it("two writers started on one folder at once: one runs, the other is refused (or finds nothing to do); never twice", async () => {
    const dir = tmp();
    const [a, b] = await Promise.all([child(dir, null), child(dir, null)]);
    const outcomes = [a, b].map((r) => (r.code === 0 ? JSON.parse(r.stdout) as { computed: number } : r.stderr));
    for (const o of outcomes) if (typeof o === "string") expect(o).toMatch(/locked by another writer \(PID \d+/);
    const computed = outcomes.reduce((s, o) => s + (typeof o === "string" ? 0 : o.computed), 0);
    expect(computed).toBe(CONFIGS.length * SEEDS); // every run computed exactly once
    const all = lines(dir);
    expect(all.sort()).toEqual(reference);
  }, 60_000);
});
