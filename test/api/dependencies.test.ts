// Every dependency earns its place (issue #17): a package listed in package.json is imported by the code (runtime
// dependencies by src/, bench/ or scripts/; development dependencies by the tests and tools, or run by a script).
// Unused packages (pure-rand, nerdamer before it typeset the exact forms) once sat in package.json doing nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>; scripts?: Record<string, string>;
};

function sources(dir: string): string[] {
  const full = path.join(root, dir);
  try { statSync(full); } catch { return []; }
  return readdirSync(full).flatMap((name) => {
    const p = path.join(full, name);
    return statSync(p).isDirectory() ? sources(path.join(dir, name)) : /\.(ts|js|mjs)$/.test(name) ? [p] : [];
  });
}

/** Package names a file imports: static and dynamic imports, re-exports and require calls (subpaths reduced). */
function importedPackages(file: string): Set<string> {
  const text = readFileSync(file, "utf8");
  const specs = [
    ...text.matchAll(/\bfrom\s+"([^".][^"]*)"/g), ...text.matchAll(/\bimport\(\s*"([^".][^"]*)"(?:\s+as\s+string)?\s*\)/g),
    ...text.matchAll(/\brequire(?:\.resolve)?\(\s*"([^".][^"]*)"\s*\)/g), ...text.matchAll(/^\s*import\s+"([^".][^"]*)"/gm),
  ].map((m) => m[1]!);
  return new Set(specs.filter((s) => !s.startsWith("node:")).map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!)));
}

const union = (files: string[]) => new Set(files.flatMap((f) => [...importedPackages(f)]));

describe("dependencies", () => {
  const runtime = union(["src", "bench", "scripts"].flatMap(sources));
  const rootConfigs = readdirSync(root).filter((f) => /config\.(ts|js|mjs)$/.test(f)).map((f) => path.join(root, f));
  const tooling = union(["test", "src", "bench", "scripts"].flatMap(sources).concat(rootConfigs));
  const testText = sources("test").map((f) => readFileSync(f, "utf8")).join("\n");
  const scripts = Object.values(pkg.scripts ?? {}).join(" ");

  it("every runtime (and optional) dependency is imported by src/, bench/ or scripts/", () => {
    const listed = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
    expect(listed.filter((name) => !runtime.has(name))).toEqual([]);
  });

  it("every development dependency is imported, run by a script or run by a test; @types/x types an installed x", () => {
    const all = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
    const bins: Record<string, string> = { typescript: "tsc", vitest: "vitest" };
    const used = (name: string) => {
      if (name.startsWith("@types/")) { const typed = name.slice(7); return typed === "node" || all.has(typed); }
      if (tooling.has(name)) return true;
      if (new RegExp(`\\b${bins[name] ?? name}\\b`).test(scripts)) return true;
      return new RegExp(`["'\\s]${name}["'\\s]`).test(testText); // a tool run by a test (e.g. node --import tsx)
    };
    expect(Object.keys(pkg.devDependencies ?? {}).filter((name) => !used(name))).toEqual([]);
  });

  it("the scan finds an import when there is one and reports a package nothing imports", () => {
    expect(runtime.has("commander")).toBe(true);
    expect(runtime.has("pure-rand")).toBe(false);
  });
});
