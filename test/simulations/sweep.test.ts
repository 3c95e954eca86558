/**
 * Sweeps through the built CLI (dist/, built by `npm test`): results independent of the number of workers, resume
 * after kill -9 and after a torn last line, shards joined by `merge`, and one-line errors with exit code 2.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { groupSize } from "../../src/sweeps/runner.js";
import { JOB_GROUP } from "../../src/sweeps/jobs.js";

const CLI = path.resolve("dist/src/cli/main.js");
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "index-lab-sweep-"));
const readRecords = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".jsonl"))
  .flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)))
  .sort((a, b) => a.configId.localeCompare(b.configId) || a.replicate - b.replicate);
const unique = (rs: { configId: string; replicate: number }[]) => [...new Map(rs.map((r) => [`${r.configId}#${r.replicate}`, r])).values()];

const VERIFY = ["verify", "He(2,z)", "--d", "64:256", "--seeds", "8", "--eta", "0.1/d", "--max-steps", "40*d", "--json"];

describe("lockstep groups of a sweep (runner.ts groupSize)", () => {
  it("one group per worker for few workers, JOB_GROUP from 4 workers on or in this thread, never above 4 JOB_GROUP", () => {
    expect(groupSize(32, 2)).toBe(16);
    expect(groupSize(32, 1)).toBe(32);
    expect(groupSize(64, 1)).toBe(4 * JOB_GROUP);
    expect(groupSize(32, 4)).toBe(JOB_GROUP);
    expect(groupSize(32, 16)).toBe(JOB_GROUP);
    expect(groupSize(32, 0)).toBe(JOB_GROUP);
    expect(groupSize(3, 2)).toBe(JOB_GROUP);
  });
});

describe("sweeps", () => {
  // one clean reference sweep shared by the resume and shard tests (each CLI start costs about a second)
  // refStatus: the verdict's exit code (0 consistent, 3 inconclusive: 8 seeds per d decide little; either is a
  // verdict, not an error), which every later run of the same sweep must reproduce
  let clean = "", refStdout = "", refStatus = -1;
  beforeAll(() => {
    expect(fs.existsSync(CLI), "run `npm run build` first").toBe(true);
    clean = tmp();
    const ref = run([...VERIFY, "--out", clean, "--workers", "2"]);
    expect([0, 3]).toContain(ref.status);
    refStdout = ref.stdout;
    refStatus = ref.status!;
  }, 60_000);

  it("results are bitwise identical whatever the number of workers", () => {
    const args = ["simulate", "online-sgd", "--link", "He(2,z)", "--d", "64", "--eta", "0.1/d", "--max-steps", "20000", "--seeds", "6", "--json"];
    const a = JSON.parse(execFileSync(process.execPath, [CLI, ...args, "--workers", "0"], { encoding: "utf8" }));
    const b = JSON.parse(execFileSync(process.execPath, [CLI, ...args, "--workers", "3"], { encoding: "utf8" }));
    expect(b.runs).toEqual(a.runs);
    expect(Object.keys(a)).toEqual(["$schema", "engine", "backend", "config", "runs", "summary", "cluster"]);
    expect(Object.keys(a.runs[0])).toEqual(["seed", "escapeStep", "censored", "diverged", "finalOverlap"]);
    expect(Object.keys(a.summary)).toEqual(["median", "ci95", "censored", "diverged"]);
  });

  it("resume after kill -9 and after a torn line loses nothing and recomputes nothing finished", async () => {
    const ref = { stdout: refStdout };
    const refRecords = readRecords(clean);
    expect(refRecords.length).toBe(24);

    const dir = tmp();
    const child = spawn(process.execPath, [CLI, ...VERIFY, "--out", dir, "--workers", "1"], { stdio: "ignore" });
    const file = path.join(dir, "runs.jsonl");
    for (let i = 0; i < 400 && !(fs.existsSync(file) && fs.readFileSync(file, "utf8").split("\n").length > 3); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    // a torn last line, as if killed in the middle of a write
    fs.appendFileSync(file, '{"configId":"abc","replic');
    const noResume = run([...VERIFY, "--out", dir]);
    expect(noResume.status).toBe(2);
    expect(noResume.stderr).toContain("--resume");
    const before = readRecordsSafe(file);
    const resumed = run([...VERIFY, "--out", dir, "--resume", "--workers", "2"]);
    expect(resumed.status).toBe(refStatus);
    const out = JSON.parse(resumed.stdout);
    expect(out.runs.computedNow).toBe(24 - before);
    expect(readRecords(dir)).toEqual(refRecords);
    expect(out.report.verdict).toEqual(JSON.parse(ref.stdout).report.verdict);
    // a finished sweep is never recomputed
    const again = JSON.parse(run([...VERIFY, "--out", dir, "--resume"]).stdout);
    expect(again.runs.computedNow).toBe(0);
  }, 120_000);

  it("shards i/N cover the sweep exactly once and merge joins them", () => {
    const dir = tmp();
    for (let i = 0; i < 3; i++) {
      const r = run([...VERIFY, "--out", dir, "--shard", `${i}/3`, "--resume"]);
      expect(r.status).toBe(i < 2 ? 0 : refStatus);
      if (i < 2) expect(JSON.parse(r.stdout).complete).toBe(false);
    }
    const perShard = fs.readdirSync(dir).filter((f) => f.startsWith("runs.shard-")).map((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean).length);
    expect(perShard).toEqual([8, 8, 8]);
    const merged = run(["merge", dir, "--json"]);
    expect(merged.status).toBe(refStatus);
    const m = JSON.parse(merged.stdout);
    expect(m.missing).toBe(0);
    expect(m.verify.report.verdict).toEqual(JSON.parse(refStdout).report.verdict);
    expect(unique(readRecords(dir))).toEqual(readRecords(clean));
  }, 120_000);

  it("bad input: one line on stderr, exit code 2", () => {
    const cases = [
      ["simulate", "online-sgd", "--link", "He(3,z)", "--d", "2", "--eta", "1", "--max-steps", "10"],
      ["simulate", "online-sgd", "--link", "He(3,z)", "--d", "64", "--eta", "-d", "--max-steps", "10"],
      ["simulate", "online-sgd", "--link", "z1*z2", "--student", "tanh(z)", "--width", "3", "--d", "5", "--eta", "1/d", "--max-steps", "10"],
      ["verify", "sign(z)*0", "--d", "64:256"],
      ["verify", "He(3,z)", "--d", "64:256", "--shard", "3/3"],
    ];
    for (const c of cases) {
      const r = run(c);
      expect(r.status, c.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n").length, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });
});

function readRecordsSafe(file: string): number {
  return fs.readFileSync(file, "utf8").split("\n").filter((l) => { try { JSON.parse(l); return true; } catch { return false; } }).length;
}
