/**
 * The built loader (dist/) validates with zod on a theory-cache miss only: a warm cache loads the catalog without
 * importing zod (start-up of `predict`, issue 18 section 4), a miss still validates (bad documents are refused with the
 * schema's message) and writes the validated form. Needs `npm run build`, like test/cli.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = resolve(import.meta.dirname, "..", "..");
const LOADER = pathToFileURL(join(ROOT, "dist", "src", "theory", "loader.js")).href;
const root = mkdtempSync(join(tmpdir(), "lazy-schema-"));
const theory = join(root, "theory");
const cache = join(root, "cache");
cpSync(join(ROOT, "theory"), theory, { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

// every module URL the ESM loader resolves, one per line on stderr
const HOOK = `data:text/javascript,${encodeURIComponent(`import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent("export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('MODULE ' + r.url + '\\\\n'); return r; }"));`)}`;

function runWithModules(script: string): { stdout: string; modules: string[] } {
  const r = spawnSync(process.execPath, ["--import", HOOK, "--input-type=module", "-e", script], { env: { ...process.env, INDEX_LAB_CACHE: cache }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, modules: r.stderr.split("\n").filter((l) => l.startsWith("MODULE ")).map((l) => l.slice(7)) };
}

const zodLoaded = (modules: string[]) => modules.some((m) => /\/node_modules\/zod\//.test(m));

describe("theory schema loaded on a cache miss only (dist)", () => {
  it("a miss validates and writes the validated catalog; a hit loads the same claims without zod", () => {
    const script = `const m = await import(${JSON.stringify(LOADER)}); const c = m.loadTheory(${JSON.stringify(theory)}); console.log(JSON.stringify(c.claims.map((l) => l.claim)));`;
    const miss = runWithModules(script);
    const files = readdirSync(cache).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(1);
    const written = JSON.parse(readFileSync(join(cache, files[0]!), "utf8")) as { validated?: { schema: string; files: Record<string, unknown> } };
    expect(written.validated?.schema).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(written.validated?.files ?? {}).length).toBeGreaterThan(0);
    const hit = runWithModules(script);
    expect(hit.stdout).toBe(miss.stdout);
    expect(JSON.parse(hit.stdout).length).toBeGreaterThan(0);
    expect(hit.modules.some((m) => m.endsWith("/theory/loader.js"))).toBe(true);
    expect(zodLoaded(hit.modules)).toBe(false);
  });

  it("a document the schema refuses is still refused with the schema's message when zod was not loaded up front", () => {
    const script = `const m = await import(${JSON.stringify(LOADER)});
      try { m.validateTheoryDocument({ kind: "claims", source: 3, claims: [] }, "bad.yaml"); console.log("accepted"); } catch (e) { console.log(e.message); }`;
    const r = runWithModules(script);
    expect(r.stdout).toMatch(/^theory file bad\.yaml: source: .*claims: /);
  });
});
