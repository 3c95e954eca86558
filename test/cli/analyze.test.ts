/**
 * The real binary (`node dist/src/cli/main.js`): exit codes, the JSON contract of `analyze --json`, one-line errors
 * without stack traces, `--help`, and the README's examples. The build runs first when dist is missing or stale.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "dist", "src", "cli", "main.js");

/** Newest modification time of the TypeScript sources under src/. */
function newestSource(dir = join(ROOT, "src")): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  if (!existsSync(MAIN) || statSync(MAIN).mtimeMs < newestSource()) {
    // tsc emits even when a file being edited elsewhere has type errors, so the exit status is not decisive here
    spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8", stdio: "ignore" });
  }
  expect(existsSync(MAIN)).toBe(true);
}, 300_000);

interface Run { status: number | null; stdout: string; stderr: string }
const run = (...args: string[]): Run => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** The same, asynchronously, so that independent invocations overlap (node start-up dominates their cost). */
const runAsync = (...args: string[]): Promise<Run> => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT });
  let stdout = "", stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
  child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
  child.on("error", reject);
  child.on("close", (status) => resolve({ status, stdout, stderr }));
});

const CONTRACT_KEYS = ["link", "variables", "parity", "hermite", "informationExponent", "informationExponentNote"];
const HERMITE_KEYS = ["convention", "coefficients", "exact", "errorBounds", "parsevalResidual"];

/** Every stable key is present with the right type; single-index arrays have K + 1 entries. */
function checkContract(a: Record<string, unknown>, K: number): void {
  for (const k of CONTRACT_KEYS) expect(a, `key ${k}`).toHaveProperty(k);
  const h = a["hermite"] as Record<string, unknown>;
  for (const k of HERMITE_KEYS) expect(h, `key hermite.${k}`).toHaveProperty(k);
  expect(typeof a["link"]).toBe("string");
  expect(Array.isArray(a["variables"])).toBe(true);
  expect(["even", "odd", "none"]).toContain(a["parity"]);
  expect(h["convention"]).toMatch(/probabilists' Hermite/);
  expect(h["convention"]).toMatch(/c_k = E\[f\(Z\) He_k\(Z\)\]\/sqrt\(k!\)/);
  const coefficients = h["coefficients"] as unknown[], exact = h["exact"] as unknown[], bounds = h["errorBounds"] as unknown[];
  expect(coefficients.length).toBe(K + 1);
  expect(exact.length).toBe(K + 1);
  expect(bounds.length).toBe(K + 1);
  for (const c of coefficients) expect(Number.isFinite(c)).toBe(true);
  for (const b of bounds) { expect(Number.isFinite(b)).toBe(true); expect(b as number).toBeGreaterThanOrEqual(0); }
  for (const e of exact) expect(e === null || typeof e === "string").toBe(true);
  expect(Number.isFinite(h["parsevalResidual"])).toBe(true);
  const ie = a["informationExponent"];
  expect(ie === null || (Number.isInteger(ie) && (ie as number) >= 1)).toBe(true);
  expect(typeof a["informationExponentNote"]).toBe("string");
}

/** Exit 2, nothing on stdout, exactly one line on stderr, no stack frames. */
function expectBadInput(r: Run): string {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/Error:|\.ts:\d+|\.js:\d+/);
  return lines[0]!;
}

describe("index-lab analyze (the binary)", () => {
  it("a good link: exit 0, valid JSON with the contract keys, c_3 = sqrt 6 exactly for z^3 - 3z, IE 3", () => {
    const r = run("analyze", "z^3 - 3*z", "--json");
    expect(r.status, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as Record<string, unknown>;
    checkContract(a, 12);
    const h = a["hermite"] as { coefficients: number[]; exact: (string | null)[]; parsevalResidual: number };
    expect(h.coefficients[3]).toBeCloseTo(Math.sqrt(6), 14);
    expect(h.exact[3]).toMatch(/sqrt\(6\)/);
    expect(h.coefficients.filter((_, k) => k !== 3).every((c) => c === 0)).toBe(true);
    expect(h.parsevalResidual).toBe(0);
    expect(a["informationExponent"]).toBe(3);
    expect(a["parity"]).toBe("odd");
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
  });

  it("several links give an array, one object per link in order (README's main job)", () => {
    const r = run("analyze", "z^3 - 3*z", "relu(z)", "sign(z1*z2*z3)", "--json");
    expect(r.status, r.stderr).toBe(0);
    const all = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(all)).toBe(true);
    expect(all.map((a) => a["link"])).toEqual(["z^3 - 3*z", "relu(z)", "sign(z1*z2*z3)"]);
    checkContract(all[0]!, 12);
    checkContract(all[1]!, 12);
    expect(all.map((a) => a["informationExponent"])).toEqual([3, 1, 3]);
    expect(all[2]!["variables"]).toEqual(["z1", "z2", "z3"]);
    const relu = all[1]!["hermite"] as { coefficients: number[] };
    expect(relu.coefficients[0]).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
    const multi = all[2]!["hermite"] as { tensor: { alpha: number[]; value: number }[] };
    expect(multi.tensor.find((t) => t.alpha.join() === "1,1,1")!.value).toBeCloseTo((2 / Math.PI) ** 1.5, 12);
  });

  it("README example: analyze \"tanh(z)\" --max-degree 20 --json is accurate (bounds <= 1e-12, tiny Parseval residual)", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain('analyze "tanh(z)" --max-degree 20 --json');
    const r = run("analyze", "tanh(z)", "--max-degree", "20", "--json");
    expect(r.status, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as Record<string, unknown>;
    checkContract(a, 20);
    const h = a["hermite"] as { coefficients: number[]; errorBounds: number[]; parsevalResidual: number; parsevalResidualError: number; secondMoment: number };
    for (const b of h.errorBounds) expect(b).toBeLessThanOrEqual(1e-12);
    // table §2.5: c_1 = 0.60571, c_3 = -0.14844, c_5 = 0.06255; even ones vanish (odd link)
    expect(h.coefficients[1]).toBeCloseTo(0.60571, 5);
    expect(h.coefficients[3]).toBeCloseTo(-0.14844, 5);
    expect(h.coefficients[5]).toBeCloseTo(0.06255, 5);
    for (let k = 0; k <= 20; k += 2) expect(Math.abs(h.coefficients[k]!)).toBeLessThanOrEqual(1e-12);
    // the residual is the tail sum_{k > 20} c_k^2: non-negative up to its error and small
    expect(h.parsevalResidual).toBeGreaterThanOrEqual(-h.parsevalResidualError);
    expect(h.parsevalResidual).toBeLessThan(1e-4 * h.secondMoment);
    expect(a["informationExponent"]).toBe(1);
  });

  it("human output states the convention, the exact forms and the information exponent with its reason", () => {
    const r = run("analyze", "z^3 - 3*z", "relu(z)");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/c_k = E\[f\(Z\) He_k\(Z\)\]\/sqrt\(k!\)/);
    expect(r.stdout).toMatch(/sqrt\(6\)/);
    expect(r.stdout).toMatch(/information exponent: 3/);
    expect(r.stdout).toMatch(/information exponent: 1/);
    expect(r.stdout).toMatch(/Parseval/);
  });

  it("bad links and bad options: exit 2 and exactly one line saying what and where, no stack trace", async () => {
    const cases: [string[], RegExp][] = [
      [["analyze", "z + 2*foo(z)"], /unknown function 'foo' at column 7/],
      [["analyze", "sin(x)", "--json"], /variable 'x' is not allowed: use z \(single-index\) or z1\.\.z8/],
      [["analyze", "log(z)"], /log needs a positive argument/],
      [["analyze", "exp(z^2)", "--json"], /not square-integrable/],
      [["analyze", "import({})"], /not allowed/],
      [["analyze", "relu(z)", "f(x)=x", "--json"], /function definitions not allowed/], // one bad link fails the command
      [["analyze", "relu(z)", "--max-degree", "abc"], /--max-degree/],
      [["analyze", "relu(z)", "--no-such-option"], /option/],
      [["analyze"], /argument/],
      [["no-such-command"], /command/],
    ];
    const results = await Promise.all(cases.map(([args]) => runAsync(...args)));
    results.forEach((r, i) => expect(expectBadInput(r), cases[i]![0].join(" ")).toMatch(cases[i]![1]));
  });

  it("--help works for the program and for analyze", () => {
    const top = run("--help");
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/Usage: index-lab/);
    expect(top.stdout).toMatch(/analyze/);
    const sub = run("analyze", "--help");
    expect(sub.status).toBe(0);
    expect(sub.stdout).toMatch(/Usage: index-lab analyze/);
    expect(sub.stdout).toMatch(/--max-degree/);
    expect(sub.stdout).toMatch(/--json/);
    expect(sub.stdout).toMatch(/probabilists' Hermite/);
  });

  it("a constant link is analysed but its exponent is refused with the reason (IE null plus a note)", () => {
    const r = run("analyze", "3", "--json");
    expect(r.status, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(a["informationExponent"]).toBeNull();
    expect(a["informationExponentNote"]).toMatch(/constant/);
  });
});

describe("analyze --time-limit (issue 19)", () => {
  it("a budget too small for sin(50 z)'s spectrum: exit 3 (a partial answer, issue 16) with the proved bound GE >= 1 and resolved = false; a bad budget exits 2", async () => {
    const [cut, bad] = await Promise.all([runAsync("analyze", "sin(50*z)", "-K", "4", "--time-limit", "0.3", "--json"), runAsync("analyze", "z", "--time-limit", "0")]);
    expect(cut.status).toBe(3);
    const a = JSON.parse(cut.stdout) as { generativeExponent: number | null; generativeBounds: { lower: number; upper: number | null; resolved: boolean }; generativeExponentNote: string };
    expect(a.generativeExponent).toBeNull();
    expect(a.generativeBounds).toEqual({ lower: 1, upper: null, resolved: false });
    expect(a.generativeExponentNote).toMatch(/^GE >= 1, not resolved within the time limit.*of 0\.3 s/);
    expect(expectBadInput(bad)).toMatch(/--time-limit must be a number of seconds in \(0, 3600\]/);
  }, 60_000);
});
