/**
 * Fault injection on the durable files of the sweeps and batch runs, in this thread: torn and non-UTF-8 tails cut by
 * bytes (the next appended run is not lost), corrupted / tampered / conflicting lines refused with their line number
 * (on resume as in merge), exclusive writer locks (a second writer refused, a dead writer's lock recovered), and
 * `report --force` that never deletes a file index-lab did not write.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../src/link/errors.js";
import { cutTornLine, JsonLinesAppender, readJsonLines } from "../../src/io/durable.js";
import { acquireLock, processAlive } from "../../src/io/lock.js";
import { runSweep } from "../../src/sweeps/sweep.js";
import { mergeRuns } from "../../src/sweeps/merge.js";
import { readManifest, readRuns } from "../../src/sweeps/store.js";
import { BatchStore } from "../../src/simulations/batch/store.js";
import { checkReportTarget, REPORT_MANIFEST, writeReport } from "../../src/reports/write.js";
import { config } from "../simulations/helpers.js";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "index-lab-faults-"));
const CONFIGS = [config({ d: 16, maxSteps: 30 }), config({ d: 24, maxSteps: 30 })];
const sweep = (dir: string, resume = false) => runSweep({ command: "test", masterSeed: 7, workers: 0, configs: CONFIGS, seeds: 3, dir, resume });
const lines = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
/** A PID that is certainly not running: a child that has exited. */
const deadPid = () => { const c = spawnSync(process.execPath, ["-e", "0"]); return c.pid!; };

describe("JSON lines: truncation by bytes", () => {
  it("a torn non-UTF-8 tail is cut at its byte offset and the next appended record survives", () => {
    const file = path.join(tmp(), "runs.jsonl");
    // multi-byte and invalid bytes before the tear: a cut computed on decoded text would land in the wrong place
    fs.writeFileSync(file, Buffer.concat([Buffer.from('{"a":"é€😀"}\n{"a":2}\n'), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3])]));
    const w = new JsonLinesAppender(file);
    w.append({ a: 3 });
    w.close();
    expect(readJsonLines(file)).toEqual([{ a: "é€😀" }, { a: 2 }, { a: 3 }]);
    cutTornLine(file); // nothing to cut: idempotent
    expect(readJsonLines(file)).toHaveLength(3);
  });

  it("a complete line that is not UTF-8 or not JSON is refused with its line number, never skipped", () => {
    const file = path.join(tmp(), "runs.jsonl");
    fs.writeFileSync(file, Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]));
    expect(() => readJsonLines(file, false, { error: (m) => new InputError(m) })).toThrow(/runs\.jsonl:2: .*UTF-8/);
    fs.writeFileSync(file, '{"a":1}\n\n{"a":\n');
    expect(() => readJsonLines(file)).toThrow(/runs\.jsonl:3: .*not JSON/);
  });
});

describe("sweep records read back are validated", () => {
  it("tampered, null, foreign and conflicting lines are refused with the line number, on resume and in merge", async () => {
    const dir = tmp();
    const ref = await sweep(dir);
    const file = path.join(dir, "runs.jsonl");
    const good = lines(file);
    expect(good).toHaveLength(6);
    const tamper = (i: number, edit: (r: Record<string, unknown>) => unknown) =>
      good.map((l, j) => (j === i ? JSON.stringify(edit(JSON.parse(l))) : l)).join("\n") + "\n";
    const cases: [string, string, RegExp][] = [
      ["escapeStep abc", tamper(2, (r) => ({ ...r, escapeStep: "abc" })), /runs\.jsonl:3: .*escapeStep/],
      ["escapeStep -5", tamper(1, (r) => ({ ...r, escapeStep: -5, censored: false })), /runs\.jsonl:2: .*escapeStep/],
      ["censored and escaped", tamper(0, (r) => ({ ...r, escapeStep: 3, censored: true, diverged: false })), /runs\.jsonl:1: .*censored/],
      ["null line", tamper(4, () => null), /runs\.jsonl:5: .*null/],
      ["foreign master seed", tamper(0, (r) => ({ ...r, masterSeed: 8 })), /does not belong to this sweep/],
      ["conflicting duplicate", good.join("\n") + "\n" + JSON.stringify({ ...JSON.parse(good[0]!), steps: 29 }) + "\n", /appears twice with different results/],
    ];
    for (const [what, text, message] of cases) {
      fs.writeFileSync(file, text);
      await expect(sweep(dir, true), what).rejects.toThrow(message);
      if (what !== "foreign master seed") expect(() => mergeRuns([dir], tmp()), what).toThrow(InputError);
    }
    // an exact duplicate (a line written twice) changes nothing
    fs.writeFileSync(file, good.join("\n") + "\n" + good[3] + "\n");
    const again = await sweep(dir, true);
    expect(again.computed).toBe(0);
    expect(again.records).toEqual(ref.records);
  });

  it("a manifest with configs null is refused as input", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "sweep.json"), JSON.stringify({ format: "index-lab-sweep/1", command: "x", masterSeed: 0, seeds: 1, configs: null, meta: {} }));
    expect(() => readManifest(dir)).toThrow(/sweep\.json is not an index-lab sweep manifest \(configs:/);
  });
});

describe("exclusive writer locks", () => {
  it("a second writer of the same results file is refused; a dead writer's lock is recovered", async () => {
    const dir = tmp();
    const lockFile = path.join(dir, "runs.jsonl.lock");
    const held = acquireLock(lockFile, "first", (m) => new InputError(m));
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8"))).toMatchObject({ pid: process.pid, host: os.hostname() });
    await expect(sweep(dir)).rejects.toThrow(/locked by another writer \(PID \d+/);
    expect(fs.existsSync(path.join(dir, "runs.jsonl"))).toBe(false); // refused before anything was written
    held.release();
    expect(fs.existsSync(lockFile)).toBe(false);
    // a lock left by a kill -9: its PID is gone, the next writer takes it over
    const pid = deadPid();
    expect(processAlive(pid)).toBe(false);
    fs.writeFileSync(lockFile, JSON.stringify({ pid, host: os.hostname(), since: "then", what: "killed" }));
    const r = await sweep(dir);
    expect(r.computed).toBe(6);
    expect(fs.existsSync(lockFile)).toBe(false); // released at the end
    // a lock of another host cannot be checked from here: refused, with the host named
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 1, host: "elsewhere", since: "now", what: "slurm" }));
    await expect(sweep(dir, true)).rejects.toThrow(/PID 1 on host elsewhere/);
    fs.rmSync(lockFile);
    // two shards take different locks and run side by side
    const sharded = tmp();
    const [a, b] = await Promise.all([0, 1].map((index) => runSweep({ command: "test", masterSeed: 7, workers: 0, configs: CONFIGS, seeds: 3, dir: sharded, shard: { index, count: 2 }, resume: true })));
    expect(a!.computed + b!.computed).toBe(6);
  });

  it("a batch-run directory takes one writer", () => {
    const dir = tmp();
    const manifest = { format: "index-lab-batch/1" as const, experiment: "giant-step", preset: null, runs: [{ tag: "run", config: { n: 1 } }], backend: "js64" };
    const first = BatchStore.open(dir, manifest, false);
    expect(() => BatchStore.open(dir, manifest, true)).toThrow(/locked by another writer/);
    first.record("run", 0, { q: 1 });
    first.close();
    const second = BatchStore.open(dir, manifest, true);
    expect(second.done("run").get(0)).toEqual({ q: 1 });
    second.close();
    fs.appendFileSync(path.join(dir, "seeds.jsonl"), '{"tag":"other","replicate":0,"outcome":1}\n');
    expect(() => BatchStore.open(dir, manifest, true)).toThrow(/seeds\.jsonl: seed other#0 belongs to no run/);
    fs.writeFileSync(path.join(dir, "seeds.jsonl"), '{"tag":"run","replicate":-1,"outcome":1}\n');
    expect(() => BatchStore.open(dir, manifest, true)).toThrow(/seeds\.jsonl:1: .*replicate/);
  });
});

describe("report --force replaces only index-lab's own files", () => {
  const rendered = { html: "<p>r</p>", markdown: "# r", images: new Map([["spectrum.svg", "<svg/>"]]) };

  it("refuses a folder holding anything else, listing it, and deletes nothing", () => {
    const thesis = tmp();
    fs.writeFileSync(path.join(thesis, "thesis.tex"), "\\documentclass{article}");
    fs.mkdirSync(path.join(thesis, "chapters"));
    expect(() => writeReport(thesis, rendered, {}, { force: true })).toThrow(/will not replace .*\(chapters\/, thesis\.tex\)/);
    expect(fs.readdirSync(thesis).sort()).toEqual(["chapters", "thesis.tex"]);
    // a report folder to which the user added a file is refused too
    const out = path.join(tmp(), "rep");
    writeReport(out, rendered, {});
    expect(fs.readdirSync(out).sort()).toEqual([REPORT_MANIFEST, "index.html", "report.json", "report.md", "spectrum.svg"]);
    writeReport(out, { ...rendered, html: "<p>2</p>" }, {}, { force: true }); // only our files: replaced
    expect(fs.readFileSync(path.join(out, "index.html"), "utf8")).toBe("<p>2</p>");
    fs.writeFileSync(path.join(out, "notes.txt"), "mine");
    expect(() => writeReport(out, rendered, {}, { force: true })).toThrow(/notes\.txt/);
    expect(fs.readFileSync(path.join(out, "notes.txt"), "utf8")).toBe("mine");
    // the working directory, a file, a path below a file
    expect(() => checkReportTarget(".", true)).toThrow(/working directory/);
    const file = path.join(tmp(), "f");
    fs.writeFileSync(file, "x");
    expect(() => checkReportTarget(file, true)).toThrow(/not a folder \(a file\)/);
    expect(() => checkReportTarget(path.join(file, "sub"), true)).toThrow(/a parent of it is a file/);
    expect(() => checkReportTarget("/dev/null", true)).toThrow(/not a folder/);
    expect(() => checkReportTarget(path.join(tmp(), "x".repeat(300)), false)).toThrow(/too long/);
  });
});

