// The README's "Library API" example, run as written (its `from "index-lab"` pointed at src/index.ts) in a child
// process with tsx, so the README cannot drift from the API. The printed values are checked against known facts:
// relu's coefficients c_0 = 1/sqrt(2 pi), c_1 = 1/2, c_2 = 1/(2 sqrt(pi)) (E[relu(Z)(Z^2 - 1)] = 1/sqrt(2 pi));
// He_3 has IE = 3 and GE = 1 (y^3 correlates with z; Damian, Pillaud-Vivien, Lee, Bruna 2024, arXiv 2403.05529);
// online SGD on He_3 needs n ~ d^{IE-1} = d^2 (Ben Arous, Gheissari, Jagannath 2021, arXiv 2003.10409).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The first TypeScript block of the README's "## Library API" section. */
function readmeExample(): string {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const start = readme.indexOf("## Library API");
  if (start < 0) throw new Error("README has no '## Library API' section");
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  if (!block) throw new Error("the Library API section has no ts code block");
  return block[1]!;
}

describe("README Library API example", () => {
  let stdout = "";
  let dir = "";
  beforeAll(async () => {
    const code = readmeExample();
    expect(code).toContain('from "index-lab"');
    dir = mkdtempSync(path.join(tmpdir(), "index-lab-readme-"));
    const file = path.join(dir, "example.mts");
    writeFileSync(file, code.replace(/from "index-lab"/g, `from ${JSON.stringify(pathToFileURL(path.join(root, "src/index.ts")).href)}`));
    const tsx = path.join(root, "node_modules/.bin/tsx");
    ({ stdout } = await promisify(execFile)(tsx, [file], { cwd: root, timeout: 120_000 }));
  }, 150_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it("prints relu's exact Hermite coefficients", () => {
    expect(stdout).toMatch(/exact-piecewise \[ '1\/sqrt\(2\*pi\)', '1\/2', '1\/\(2\*sqrt\(pi\)\)', '0' \]/);
  });

  it("certifies IE = 3 and GE = 1 for He_3", () => {
    expect(stdout).toMatch(/^IE = 3: c_1 = 0 exactly; c_2 = 0 exactly; c_3 = sqrt\(6\)/m);
    expect(stdout).toMatch(/^GE = 1 < IE = 3/m);
  });

  it("predicts n ~ d^2 for online SGD on He_3, citing Ben Arous, Gheissari, Jagannath 2021", () => {
    expect(stdout).toMatch(/^bgj-online-sgd d\^2 \| Ben Arous, Gheissari, Jagannath 2021, arXiv 2003\.10409/m);
  });

  it("finds the simulated escape times consistent with d^2, medians growing with d", () => {
    const medians = [...stdout.matchAll(/^(256|512|1024|2048) (\d+)$/gm)].map((m) => Number(m[2]));
    expect(medians).toHaveLength(4);
    for (let i = 1; i < medians.length; i++) expect(medians[i]!).toBeGreaterThan(medians[i - 1]!);
    const verdict = /^n ≍ d\^2 (\w+) fitted slope ([\d.]+) with 95% CI \[([\d.]+), ([\d.]+)\]/m.exec(stdout);
    expect(verdict, stdout).not.toBeNull();
    expect(verdict![1]).toBe("consistent");
    expect(Number(verdict![3])).toBeLessThanOrEqual(2);
    expect(Number(verdict![4])).toBeGreaterThanOrEqual(2);
  });
});
