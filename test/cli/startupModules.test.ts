/**
 * What the short commands load (issue 18 §4: the tensor backends, plotting and the worker pool load only in the
 * commands that use them). The real binary runs under a module hook that records every module it resolves (ES
 * modules through `module.register`, CommonJS through the require cache at exit; not the ES modules node loads
 * synchronously for a `require` of an ES module, which the project uses only for the theory schema, theory/loader.ts);
 * `analyze` and `predict` must load none of the heavy packages, and the check itself must see them where they are
 * loaded (`doctor` loads the backends). Start-up times are a benchmark row (bench/issue18dense.ts startupRows), not a
 * timed test.
 */
import { describe, it, expect, afterAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "../..");
const MAIN = path.join(root, "dist/src/cli/main.js");
const dir = mkdtempSync(path.join(tmpdir(), "index-lab-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packages that the short commands must never load. */
const HEAVY = ["onnxruntime-node", "onnxruntime-common", "@tensorflow/", "vega", "vega-lite", "piscina", "pdfkit"];

// the resolve hook runs on the loader's thread: it appends each resolved URL to the log file itself
writeFileSync(path.join(dir, "hooks.mjs"), `
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.STARTUP_MODULE_LOG, r.url + "\\n");
  return r;
}
`);
writeFileSync(path.join(dir, "register.mjs"), `
import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register(${JSON.stringify(pathToFileURL(path.join(dir, "hooks.mjs")).href)});
const require = createRequire(import.meta.url);
process.on("exit", () => appendFileSync(process.env.STARTUP_MODULE_LOG, Object.keys(require.cache).map((f) => "file://" + f + "\\n").join("")));
`);

let runs = 0;
/** The files below node_modules that `index-lab ...args` loaded, as package-relative paths, and its exit status. */
function loaded(args: string[], cache = path.join(dir, "cache")): { packages: string[]; files: string[]; status: number | null } {
  const log = path.join(dir, `log-${runs++}.txt`);
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(path.join(dir, "register.mjs")).href, MAIN, ...args], {
    cwd: root, encoding: "utf8", env: { ...process.env, STARTUP_MODULE_LOG: log, INDEX_LAB_CACHE: cache },
  });
  const urls = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  const files = [...new Set(urls.map((u) => /\/node_modules\/(.+)$/.exec(decodeURIComponent(u))?.[1]).filter((f): f is string => f !== undefined))];
  const packages = [...new Set(files.map((f) => (f.startsWith("@") ? f.split("/").slice(0, 2) : f.split("/").slice(0, 1)).join("/")))].sort();
  return { packages, files, status: r.status };
}

const heavy = (packages: string[]) => packages.filter((p) => HEAVY.some((h) => (h.endsWith("/") ? p.startsWith(h) : p === h)));

describe("modules loaded by the short commands", () => {
  it("the hook sees the heavy packages where they are loaded (doctor loads the tensor backends)", () => {
    const r = loaded(["doctor", "--json"]);
    expect(r.status).toBe(0);
    expect(heavy(r.packages)).toEqual(expect.arrayContaining(["onnxruntime-node"]));
  });

  for (const args of [["analyze", "z^3-3*z"], ["predict", "z^3-3*z"], ["analyze", "relu(z)", "--json"], ["--version"]]) {
    it(`index-lab ${args.join(" ")} loads none of ${HEAVY.join(", ")}`, () => {
      const r = loaded(args);
      expect(r.status).toBe(0);
      expect(heavy(r.packages)).toEqual([]);
      // the link parser comes from the build's bundle, not from mathjs's own files (scripts/bundle-mathjs.ts)
      if (args[0] !== "--version") expect(r.files.filter((f) => f.startsWith("mathjs/"))).toEqual([]);
    });
  }
});
