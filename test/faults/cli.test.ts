/**
 * Issue 19's CLI reproducers, each through the real command path (src/cli, in this process: test/faults/cliHarness.ts):
 * every count, size, budget, path and file a user gives is input, refused before anything runs with exit code 2 and
 * one line on stderr, never a stack trace, a hang, a V8 fatal error or a silently huge run.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, type CliRun } from "./cliHarness.js";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "index-lab-cli-faults-"));
/** Exit 2 with exactly one line on stderr, no stack trace, matching `message`. */
function refused(r: CliRun, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split("\n").filter(Boolean);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^index-lab: /);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

const SMALL = ["simulate", "online-sgd", "--link", "He(3,z)", "--d", "64", "--eta", "0.05*d^-1.5", "--max-steps", "300", "--seeds", "3", "--workers", "0", "--json"];

describe("counts, sizes and budgets have a stated maximum and a cost checked before the run", () => {
  it("verify --d 3:1073741824:1.0000000000001 (a V8 fatal error) is refused with the limit", async () => {
    refused(await cli(["verify", "He(3,z)", "--d", "3:1073741824:1.0000000000001"]), /grid points; at most 64 dimensions/);
  });
  it("simulate online-sgd --eta 1e-11 and --d 2^30 (silent 2^50-step budgets) are refused with the estimate", async () => {
    refused(await cli(["simulate", "online-sgd", "--link", "He(3,z)", "--eta", "1e-11", "--seeds", "1"]), /estimated wall time .* exceeds the budget .*--yes/);
    refused(await cli(["simulate", "online-sgd", "--link", "He(3,z)", "--d", "1073741824", "--seeds", "1"]), /estimated wall time [\d.]+ h exceeds/);
    refused(await cli(["verify", "He(4,z)", "--d", "1024:65536", "--seeds", "64"]), /verify \(448 runs, .* exceeds the budget/);
  });
  it("the batch simulators and the d-dimensional engine state their maxima (--steps 1e9, --n 1e12, full engine at d = 2^30)", async () => {
    const batch = ["--target", "He(3,z)", "--activation", "relu", "--d", "64", "--p", "8", "--eta", "1", "--seeds", "1", "--backend", "js-cpu"];
    refused(await cli(["simulate", "batch-reuse", ...batch, "--steps", "1000000000"]), /multiply-adds .* more than the maximum 1e\+14/);
    refused(await cli(["simulate", "giant-step", ...batch, "--n", "1e12", "--steps", "1"]), /multiply-adds .* more than the maximum/);
    refused(await cli(["simulate", "threshold", "--link", "z^2", "--d", "4096", "--alpha", "1:30:1", "--seeds", "1000"]), /this grid needs up to .* more than the maximum/);
    refused(await cli(["simulate", "online-sgd", "--link", "He(3,z)", "--engine", "full", "--d", "1073741824", "--eta", "0.1", "--max-steps", "1", "--seeds", "1"]), /full .* engine takes d at most 2\^24/);
  });
  it("--workers 1000 (160 threads, 5 GB) is refused with the maximum", async () => {
    refused(await cli([...SMALL, "--workers", "1000"]), /--workers must be an integer in \[0, \d+\]/);
    refused(await cli(["verify", "He(3,z)", "--workers", "1000"]), /--workers must be/);
    refused(await cli(["simulate", "lr-transition", "--workers", "1000"]), /--workers must be/);
  });
  it("a small run within the budget runs (exit 0) and --budget is itself checked", async () => {
    const r = await cli([...SMALL]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).runs).toHaveLength(3);
    refused(await cli([...SMALL, "--budget", "-1"]), /--budget must be a number of seconds > 0/);
  });
  it("the budget counts only the runs left: a refused fresh sweep makes no folder, a finished one resumes at any budget", async () => {
    const dir = path.join(tmp(), "sweep");
    refused(await cli([...SMALL, "--out", dir, "--budget", "1e-9"]), /estimated wall time/);
    expect(fs.existsSync(dir)).toBe(false);
    expect((await cli([...SMALL, "--out", dir])).code).toBe(0);
    const again = await cli([...SMALL, "--out", dir, "--resume", "--budget", "1e-9"]);
    expect(again.code, again.stderr).toBe(0);
    fs.writeFileSync(path.join(dir, "runs.jsonl"), fs.readFileSync(path.join(dir, "runs.jsonl"), "utf8").split("\n").slice(0, 1).join("\n") + "\n");
    refused(await cli([...SMALL, "--out", dir, "--resume", "--budget", "1e-9"]), /\(2 runs, .*estimated wall time/);
  });
});

describe("bad paths are input", () => {
  it("--out on a file, below a file, /dev/null, /proc/x, a name too long: one line, exit 2, nothing written", async () => {
    const dir = tmp(), file = path.join(dir, "file");
    fs.writeFileSync(file, "mine");
    refused(await cli([...SMALL, "--out", file]), /is a file, not a folder/);
    refused(await cli([...SMALL, "--out", path.join(file, "sub")]), /is a file, not a folder/);
    refused(await cli([...SMALL, "--out", "/dev/null"]), /is a device or special file, not a folder/);
    if (fs.existsSync("/proc/self")) refused(await cli([...SMALL, "--out", "/proc/x"]), /cannot be created/); // hung: Node's recursive mkdir loops there
    refused(await cli([...SMALL, "--out", path.join(dir, "x".repeat(300))]), /too long/);
    refused(await cli(["merge", dir, "--out", path.join(file, "m")]), /no runs|is a file/);
    refused(await cli(["report", "He(3,z)", "--out", file, "--force"]), /not a folder/);
    expect(fs.readFileSync(file, "utf8")).toBe("mine");
    expect(fs.readdirSync(dir)).toEqual(["file"]);
  });
  it("check z --param a=1 (a stack trace) is one line", async () => {
    refused(await cli(["check", "z", "--param", "a=1"]), /--param must look like name=lo:hi/);
  });
});

describe("bad files are input: --resume refuses what merge refuses, with the line number", () => {
  it("tampered, null, conflicting and non-UTF-8 lines, and a manifest with configs null", async () => {
    const dir = tmp();
    const clean = await cli([...SMALL, "--out", dir]);
    expect(clean.code, clean.stderr).toBe(0);
    const file = path.join(dir, "runs.jsonl");
    const good = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
    const edit = (i: number, f: (r: Record<string, unknown>) => unknown) => good.map((l, j) => (j === i ? JSON.stringify(f(JSON.parse(l))) : l)).join("\n") + "\n";
    const cases: [string, string | Buffer, RegExp][] = [
      ["escapeStep abc", edit(1, (r) => ({ ...r, escapeStep: "abc" })), /runs\.jsonl:2: .*escapeStep/],
      ["escapeStep -5", edit(0, (r) => ({ ...r, escapeStep: -5, censored: false })), /runs\.jsonl:1: .*escapeStep/],
      ["null line", edit(2, () => null), /runs\.jsonl:3: not a run record \(got null\)/],
      ["conflicting duplicate", `${good.join("\n")}\n${JSON.stringify({ ...JSON.parse(good[0]!), finalOverlap: 0.123 })}\n`, /appears twice with different results/],
      ["non-UTF-8 line", Buffer.concat([Buffer.from(`${good[0]}\n`), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]), /runs\.jsonl:2: .*UTF-8/],
    ];
    for (const [what, text, message] of cases) {
      fs.writeFileSync(file, text);
      refused(await cli([...SMALL, "--out", dir, "--resume"]), message);
      refused(await cli(["merge", dir, "--out", tmp()]), what === "conflicting duplicate" ? /appears twice/ : message);
    }
    // a torn non-UTF-8 tail (a kill in mid-write) is cut by bytes: the missing run is recomputed, none is lost
    fs.writeFileSync(file, Buffer.concat([Buffer.from(good.slice(0, 2).join("\n") + "\n"), Buffer.from([0x7b, 0x22, 0xe2, 0x82])]));
    const resumed = await cli([...SMALL, "--out", dir, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).runs).toEqual(JSON.parse(clean.stdout).runs);
    expect(fs.readFileSync(file, "utf8").split("\n").filter(Boolean).sort()).toEqual([...good].sort());
    // the manifest
    const manifest = path.join(dir, "sweep.json");
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, "utf8")), configs: null }));
    refused(await cli([...SMALL, "--out", dir, "--resume"]), /sweep\.json is not an index-lab sweep manifest \(configs: /);
  });
});

describe("divergence is reported, never a silent number", () => {
  it("simulate batch-reuse --eta 1e6 lists every seed as diverged (it gave Q ~ 5e35 with diverged: [])", async () => {
    const r = await cli(["simulate", "batch-reuse", "--target", "He(3,z)", "--activation", "relu", "--d", "32", "--p", "4", "--eta", "1e6", "--steps", "3", "--seeds", "2", "--n-test", "64", "--backend", "js-cpu", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.diverged.map((x: { seed: number }) => x.seed)).toEqual([0, 1]);
    for (const x of out.diverged) expect(x.reason).toMatch(/exceeds the divergence bound 1e\+8|not finite/);
    expect(JSON.stringify(out.steps)).not.toMatch(/e\+(9|\d\d)/); // no trajectory number beyond the bound
  });
});
