/**
 * `npm run bench -- readme --only <pattern>` re-times a subset: the other examples keep the figures of the README's
 * own table when runs/bench-readme.json is absent (runs/ is not committed). The table must therefore read back into
 * the timings that wrote it, row for row.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseDuration, timingsInReadme } from "../../bench/readme.js";
import { duration, withTimes } from "../../scripts/readme/times.js";

const root = path.resolve(import.meta.dirname, "../..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const tableRows = (text: string) => (new RegExp("<!-- readme-times:begin[\\s\\S]*?<!-- readme-times:end -->").exec(text)?.[0] ?? "").split("\n").filter((l) => /^\| \d+ \| /.test(l));

describe("README timings table round trip (bench readme --only)", () => {
  it("durations parse back to what duration() printed", () => {
    for (const s of [0.5, 8.4, 12, 59, 61, 72, 300, 845]) expect(duration(parseDuration(duration(s))!)).toBe(duration(s));
    expect(parseDuration("n/a")).toBeNull();
  });

  it("every row of the table is recovered, and writing the recovered timings gives the same rows", () => {
    const rows = tableRows(readme);
    expect(rows.length).toBeGreaterThan(20);
    const t = timingsInReadme(readme);
    expect(t.length).toBe(rows.length);
    const again = withTimes(readme, { date: "x", cores: 2, loadAverage: [0, 0, 0], node: "v0", timings: t });
    // (the line column is the example's current line: the README may have moved since the last timing)
    const noLine = (r: string[]) => r.map((l) => l.replace(/^\| \d+ \| /, "| "));
    expect(noLine(tableRows(again))).toEqual(noLine(rows));
  });
});
