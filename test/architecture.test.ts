// Imports flow one way, like the data (design card of the developers' guide):
// link -> hermite -> exponents -> predictions -> simulations -> verification -> reports -> cli, with the numerical
// and exact-arithmetic layers below the link language and the infrastructure (tensors, sweeps) at the level of the
// code that uses it. A module may import from its own folder or from a folder of strictly lower rank.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src");

const RANK: Record<string, number> = {
  "version.ts": 0,
  io: 0,
  numeric: 1,
  link: 2,
  exact: 3,
  hermite: 4,
  exponents: 5,
  theory: 5,
  "analyze.ts": 6,
  predictions: 7,
  tensors: 7,
  "environment.ts": 8,
  simulations: 9,
  sweeps: 10,
  verification: 11,
  experiments: 12,
  testing: 12,
  reports: 13,
  cli: 14,
  "index.ts": 15,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : name.endsWith(".ts") ? [full] : [];
  });
}

/** The unit of a source file: its top-level folder under src/, or the file name for modules at the root. */
const unitOf = (file: string) => path.relative(src, file).split(path.sep)[0]!;

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"(\.[^"]+)"/g)].map((m) => m[1]!);
  const dynamic = [...text.matchAll(/import\(\s*"(\.[^"]+)"\s*\)/g)].map((m) => m[1]!);
  return [...found, ...dynamic].map((spec) => path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")));
}

describe("architecture", () => {
  const all = files(src);

  it("every top-level unit of src/ has a rank", () => {
    const units = [...new Set(all.map(unitOf))].sort();
    expect(units.filter((u) => RANK[u] === undefined)).toEqual([]);
  });

  it("imports flow one way: only from the same folder or a lower rank", () => {
    const violations: string[] = [];
    for (const file of all) {
      const from = unitOf(file);
      for (const target of imports(file)) {
        const to = unitOf(target);
        if (to === from) continue;
        if (!(RANK[to]! < RANK[from]!)) violations.push(`${path.relative(src, file)} imports ${path.relative(src, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the checker sees a violation when there is one (an import of the CLI from the math)", () => {
    const fake = path.join(src, "hermite", "x.ts");
    const target = path.resolve(path.dirname(fake), "../cli/format.ts");
    expect(RANK[unitOf(target)]! < RANK[unitOf(fake)]!).toBe(false);
  });
});
