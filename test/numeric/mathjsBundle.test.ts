// The build's bundle of mathjs's parser (dist/vendor/mathjs-subset.cjs, scripts/bundle-mathjs.ts) against the parser
// made from mathjs's own files: the same syntax trees and the same error messages (issue 18, start-up).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { mathjsCjsDirectory, mathjsSubsetFrom, runMathjsBundle, type MathjsSubset } from "../../src/numeric/mathjs.js";
import { SHORT_COMMAND_V8_FLAGS } from "../../src/cli/v8Flags.js";
import { readFileSync, writeFileSync } from "node:fs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const script = path.join(root, "dist/scripts/bundle-mathjs.js");
const require = createRequire(import.meta.url);
const dir = mkdtempSync(path.join(tmpdir(), "index-lab-mathjs-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOURCES = [
  "z^3 - 3*z", "He(3, z) + 0.5*relu(z)", "sign(z1*z2*z3)", "1/(z-0.3)^2", "tanh(z)*relu(z)", "-z^-2", "2z", "z!", "e^pi",
  "[1, 2]", "a = 3", "f(x) = x", "z ? 1 : 2", "1:3", "x.y", "{a: 1}", "3 > z", "abs(z", "z +", "", "1e-300 * z", "z'", "\"s\"",
];

function outcome(m: MathjsSubset, source: string): string {
  try { return `tree ${JSON.stringify(m.parse(source))} ${m.parse(source).toString()}`; } catch (e) { return `error ${(e as Error).name}: ${(e as Error).message}`; }
}

describe("mathjs subset bundle", () => {
  it("is written by the build step and gives the parser of mathjs's own files: same trees, same errors, same erf", () => {
    expect(existsSync(script), "dist/scripts/bundle-mathjs.js missing: run npm run build").toBe(true);
    const out = path.join(dir, "bundle.cjs");
    execFileSync(process.execPath, [script, out], { cwd: root, stdio: "pipe" });
    const bundle = require(out) as { version: string; files: number; load: (id: string) => unknown };
    expect(bundle.files).toBeGreaterThan(20);
    const cjs = mathjsCjsDirectory();
    const fromBundle = mathjsSubsetFrom((file) => bundle.load(`mathjs/lib/cjs/${file}`));
    const fromFiles = mathjsSubsetFrom((file) => require(path.join(cjs, file)));
    for (const s of SOURCES) expect(outcome(fromBundle, s), s).toBe(outcome(fromFiles, s));
    // the sources above include both kinds
    expect(SOURCES.map((s) => outcome(fromFiles, s).split(" ")[0])).toEqual(expect.arrayContaining(["tree", "error"]));
    for (const x of [-3, -0.5, 0, 1e-8, 0.7, 2.5]) expect(fromBundle.erf.signatures.number!(x)).toBe(fromFiles.erf.signatures.number!(x));
    // a file that was not bundled is an error, not a silent fallback
    expect(() => bundle.load("mathjs/lib/cjs/function/arithmetic/add.js")).toThrow(/no file/);
  });

  it("the build's V8 code cache is used under the short commands' flags only, and never for another text", () => {
    const dist = path.join(root, "dist/src/numeric/mathjs.js");
    const probe = `import(${JSON.stringify(dist)}).then((m) => { const t = m.mathjs().parse("z^3 - 3*z").toString(); console.log(JSON.stringify({ ...m.mathjsLoad, t })); })`;
    const run = (flags: string[]) => JSON.parse(execFileSync(process.execPath, [...flags, "-e", probe], { cwd: root, encoding: "utf8" })) as { from: string; codeCache: string; t: string };
    const short = run([SHORT_COMMAND_V8_FLAGS]), other = run([]);
    expect(short).toEqual({ from: "bundle", codeCache: "accepted", t: "z ^ 3 - 3 * z" });
    expect(other).toEqual({ from: "bundle", codeCache: "rejected", t: short.t });
    // a cache whose recorded SHA-256 is not the bundle's is not handed to V8 (which checks only the length)
    const out = path.join(dir, "bundle.cjs");
    const cache = readFileSync(path.join(root, "dist/vendor/mathjs-subset.v8cache"));
    const bad = Buffer.from(cache); bad[0] = bad[0]! ^ 0xff;
    writeFileSync(path.join(dir, "bad.v8cache"), bad);
    expect(runMathjsBundle(out, readFileSync(path.join(dir, "bad.v8cache"))).codeCache).toBe("rejected");
  });
});
