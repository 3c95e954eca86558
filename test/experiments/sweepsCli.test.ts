/**
 * The regime experiments' sweeps through the built CLI (dist/, built by `npm test`), where jobs run on worker
 * threads: raw results bitwise identical for 0 and 2 workers, resume after kill -9 (and a torn last line) losing only
 * the jobs in flight, and shards in separate directories joined by `index-lab merge`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exitCodeOf, type VerdictWord } from "../../src/cli/exitCode.js";

const CLI = path.resolve("dist/src/cli/main.js");
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "index-lab-exp-cli-"));
const lines = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl"))
  .flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter((l) => l.startsWith("{") && l.endsWith("}")));
/** Raw records as text, one per identity, sorted: equal text means bitwise-equal numbers. */
const rawRecords = (dir: string) => [...new Set(lines(dir))].sort();
/** The exit code a completed run owes its claims' verdicts (issue 16; the one rule of src/cli/exitCode.ts). */
const verdictExit = (stdout: string) => exitCodeOf((JSON.parse(stdout).claims as { verdict: VerdictWord }[]).map((c) => c.verdict));
const science = (stdout: string) => { const { seconds: _s, sweep: _w, ...rest } = JSON.parse(stdout); return rest; };

const TT = ["simulate", "two-timescale", "--epsilons", "1e-1:1e-3:4", "--width", "6", "--seeds", "3", "--t-end", "8", "--no-checks", "--json", "--quiet"];

describe("regime experiments on worker threads", () => {
  let clean = "", cleanOut = "", cleanStatus = -1;
  beforeAll(() => {
    expect(fs.existsSync(CLI), "run `npm run build` first").toBe(true);
    clean = tmp();
    const r = run([...TT, "--out", clean, "--workers", "0"]);
    cleanOut = r.stdout;
    expect(r.status, r.stderr).toBe(verdictExit(cleanOut));
    cleanStatus = r.status!;
  }, 60_000);

  it("two-timescale: the same raw results and summary with 0 and 2 workers; summary.json written", () => {
    expect(rawRecords(clean)).toHaveLength(12);
    const dir = tmp();
    const r = run([...TT, "--out", dir, "--workers", "2"]);
    expect(r.status, r.stderr).toBe(cleanStatus);
    expect(rawRecords(dir)).toEqual(rawRecords(clean));
    expect(science(r.stdout)).toEqual(science(cleanOut));
    expect(science(fs.readFileSync(path.join(dir, "summary.json"), "utf8"))).toEqual(science(cleanOut));
  }, 60_000);

  it("two-timescale: kill -9 then --resume loses only jobs in flight and ends with the clean results", async () => {
    const dir = tmp();
    const child = spawn(process.execPath, [CLI, ...TT, "--out", dir, "--workers", "1"], { stdio: "ignore" });
    const file = path.join(dir, "runs.jsonl");
    for (let i = 0; i < 1000 && !(fs.existsSync(file) && fs.readFileSync(file, "utf8").split("\n").length > 3); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    fs.appendFileSync(file, '{"configId":"0123","replic'); // torn last line, as if killed mid-write
    const before = rawRecords(dir).length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(12); // killed mid-sweep
    expect(run([...TT, "--out", dir]).status).toBe(2); // refuses to overwrite without --resume
    const resumed = run([...TT, "--out", dir, "--resume", "--workers", "2"]);
    expect(resumed.status, resumed.stderr).toBe(cleanStatus);
    const out = JSON.parse(resumed.stdout);
    expect(out.sweep.skipped).toBe(before);
    expect(out.sweep.computed).toBe(12 - before);
    expect(rawRecords(dir)).toEqual(rawRecords(clean));
    expect(science(resumed.stdout)).toEqual(science(cleanOut));
  }, 90_000);

  it("two-timescale: shards in separate directories, joined by merge, summarise to the clean result", () => {
    const parts = [tmp(), tmp()];
    for (let i = 0; i < 2; i++) {
      const r = run([...TT, "--out", parts[i]!, "--shard", `${i}/2`, "--workers", "2"]);
      expect([0, 1, 3], r.stderr).toContain(r.status); // a shard alone completes with partial verdicts
      expect(JSON.parse(r.stdout).sweep.complete).toBe(false);
    }
    const merged = tmp();
    const m = run(["merge", ...parts, "--out", merged, "--json"]);
    expect(m.status, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ runs: 12, missing: 0 });
    const s = run([...TT, "--out", merged, "--resume"]);
    expect(s.status, s.stderr).toBe(cleanStatus);
    expect(JSON.parse(s.stdout).sweep.computed).toBe(0);
    expect(science(s.stdout)).toEqual(science(cleanOut));
  }, 90_000);

  it("feature-strength: the same raw results with 0 and 2 workers (toy rows, collapse, triangle, fewest-steps jobs)", () => {
    const args = ["simulate", "feature-strength", "--depths", "3", "--gammas", "1e-2,1,1e2", "--eta-min", "1e-6", "--eta-max", "1e2", "--steps", "300", "--no-mlp", "--json", "--quiet"];
    const a = tmp(), b = tmp();
    const ra = run([...args, "--out", a, "--workers", "0"]), rb = run([...args, "--out", b, "--workers", "2"]);
    expect([0, 1, 3], ra.stderr).toContain(ra.status); // completed; the code is the verdicts' (issue 16)
    expect(rb.status, rb.stderr).toBe(ra.status);
    expect(rawRecords(b)).toEqual(rawRecords(a));
    expect(science(rb.stdout)).toEqual(science(ra.stdout));
  }, 120_000);

  it("bad sweep options are one-line input errors", () => {
    const r = run(["simulate", "two-timescale", "--resume"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--out");
    const s = run(["simulate", "feature-strength", "--out", tmp(), "--shard", "3/2"]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain("--shard");
  });
});
