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
const SEEDS = 30;
const script = (dir: string) => `
const { runSweep } = await import(${JSON.stringify(SWEEP)});
const r = await runSweep({ command: "fault", masterSeed: 3, workers: 0, configs: ${JSON.stringify(CONFIGS)}, seeds: ${SEEDS}, dir: ${JSON.stringify(dir)}, resume: true });
process.stdout.write(JSON.stringify({ computed: r.computed, skipped: r.skipped }));`;

/** Run the sweep in a child process; kill it with SIGKILL after `killAfterMs` (null: let it finish). */
function child(dir: string, killAfterMs: number | null): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", script(dir)], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (b) => { stdout += b; });
    p.stderr.on("data", (b) => { stderr += b; });
    const timer = killAfterMs === null ? null : setTimeout(() => p.kill("SIGKILL"), killAfterMs);
    p.on("close", (code, signal) => { if (timer) clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
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
    let killed = 0;
    for (let i = 0; i < 3; i++) {
      const r = await child(dir, 250 + Math.floor(next() * 600));
      if (r.signal === "SIGKILL") killed++;
      else expect(r.code, r.stderr).toBe(0); // finished before its kill (a loaded machine): still a valid step
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
