/**
 * `report --simulate quick` shows progress on stderr only to a person at a terminal: under a pseudo-terminal
 * (util-linux `script`) the human mode writes progress lines and --json writes none.
 * Runs the built binary (dist/), like the other CLI tests.
 */
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIN = resolve("dist/src/cli/main.js");
const SCRIPT = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));

describe.skipIf(!SCRIPT || !existsSync(BIN))("report --simulate quick progress", () => {
  it("progress lines on a TTY in human mode; none with --json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "index-lab-progress-"));
    const cmd = (out: string, json: boolean) => `node ${BIN} report "relu(z)" --simulate quick --out ${join(dir, out)}${json ? " --json" : ""}`;
    const [tty, ttyJson] = await Promise.all([
      run(SCRIPT!, ["-qc", cmd("a", false), "/dev/null"], { maxBuffer: 1 << 24 }),
      run(SCRIPT!, ["-qc", cmd("b", true), "/dev/null"], { maxBuffer: 1 << 24 }),
    ]);
    // under script, stderr and stdout share the terminal: everything arrives on stdout
    expect(tty.stdout).toMatch(/online SGD: \d+\/\d+ runs/);
    expect(ttyJson.stdout).not.toMatch(/online SGD: \d+\/\d+ runs/);
    expect(JSON.parse(ttyJson.stdout.replace(/\r/g, "")).files.length).toBeGreaterThan(3);
  }, 120_000);
});
