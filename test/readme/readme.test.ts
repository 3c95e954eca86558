// The README is a contract: every shell example runs as written (scaled down only where the README marks it long,
// states its measured time and gives the test's flags), exits with the documented code, prints the documented JSON
// keys, and writes only inside a fresh directory. The times themselves are measured by `npm run bench -- readme`.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DOCUMENTED_JSON_KEYS, commandOf, missingKeys, readmeExamples, scaledArgs, shellWords, type ReadmeExample } from "../../scripts/readme/examples.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/src/cli/main.js");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const examples = readmeExamples(readme);
const blocks = [...new Set(examples.map((e) => e.block))].map((b) => examples.filter((e) => e.block === b));

/** The README text of the `###` section an example sits in. */
function sectionOf(line: number): string {
  const lines = readme.split("\n");
  let start = line - 1;
  while (start > 0 && !lines[start]!.startsWith("#")) start--;
  let end = line;
  while (end < lines.length && !/^#{1,3} /.test(lines[end]!)) end++;
  return lines.slice(start, end).join("\n");
}

describe("README examples: parsing", () => {
  it("finds the examples, their markers, and scales only long ones", () => {
    expect(examples.length).toBeGreaterThan(15);
    for (const e of examples) if (e.testFlags.length) expect(e.long, `README.md:${e.line}`).not.toBeNull();
    expect(shellWords(`npx index-lab check "He(3,z) + a*He(2,z)" --param a=0:1   # [exit 3]`)).toEqual({ words: ["npx", "index-lab", "check", "He(3,z) + a*He(2,z)", "--param", "a=0:1"], comment: "[exit 3]", commentAt: 58 });
    expect(scaledArgs(["verify", "He(3,z)", "--d", "256:4096", "--seeds", "32", "--json"], ["--seeds", "8", "--no-checks"])).toEqual(["verify", "He(3,z)", "--d", "256:4096", "--seeds", "8", "--json", "--no-checks"]);
  });

  it("every example writes to a fresh folder (runs/... or a temp dir), never to reports/ (owned by npm run reports)", () => {
    for (const e of examples) {
      const out = e.args.findIndex((a) => a === "--out" || a === "-o");
      if (out >= 0) expect(e.args[out + 1], `README.md:${e.line}`).toMatch(/^runs\//);
    }
  });

  it("the README names every JSON key it promises, in the section of the command", () => {
    for (const e of examples.filter((x) => x.args.includes("--json"))) {
      const keys = DOCUMENTED_JSON_KEYS[commandOf(e.args)];
      expect(keys, `README.md:${e.line}: no documented keys for '${commandOf(e.args)}'`).toBeDefined();
      const section = sectionOf(e.line);
      for (const k of keys!) expect(section, `README.md:${e.line}: key ${k}`).toContain(k.split(".").pop()!.replace("[]", ""));
    }
  });
});

describe("README examples: they run", () => {
  beforeAll(() => { expect(existsSync(cli), "build first (npm test does)").toBe(true); });

  it("`npx index-lab` prints no npm warning (the project's .npmrc holds only keys npm knows)", () => {
    const r = spawnSync("npx", ["--no-install", "index-lab", "--version"], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/npm warn/i);
  }, 180_000); // npx resolves the bin through npm: 9 s alone, over the 60 s default once at load average 15

  for (const block of blocks) {
    it(`block at README.md:${block[0]!.line}: ${block.map((e) => commandOf(e.args) || "(no arguments)").join(", ")}`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), "index-lab-readme-"));
      try {
        for (const e of block) runExample(e, dir);
        // nothing escapes the fresh directory except what the examples name under runs/
        for (const name of readdirSync(dir)) expect(["runs"], `README.md:${block[0]!.line} wrote ${name}`).toContain(name);
      } finally { rmSync(dir, { recursive: true, force: true }); }
    }, 300_000);
  }
});

function runExample(e: ReadmeExample, cwd: string): void {
  const args = scaledArgs(e.args, e.testFlags);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  const where = `README.md:${e.line}: index-lab ${args.join(" ")}\n${r.stderr.slice(-2000)}`;
  expect(e.testExit, where).toContain(r.status);
  expect(r.stderr, where).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // never a stack trace
  if (args.includes("--json")) {
    const json = JSON.parse(r.stdout) as unknown;
    expect(missingKeys(json, DOCUMENTED_JSON_KEYS[commandOf(args)] ?? []), where).toEqual([]);
    expect(r.stdout, where).not.toMatch(/\bNaN\b/);
  } else expect(r.stdout.length, where).toBeGreaterThan(0);
}
