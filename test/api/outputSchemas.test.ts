// Every command's --json output validates against its shipped JSON Schema (issue #17), on small real runs of the
// binary: doctor, check, merge, batch-reuse, simulate threshold, and report --json with the threshold run's phase
// diagram (issue #15) rendered as a report section. (analyze, predict, online-sgd, verify, export and giant-step
// are validated in schemas.test.ts.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemaId, type SchemaName } from "../../src/io/schemaId.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = path.join(root, "dist/src/cli/main.js");
function issues(name: SchemaName, value: unknown): string[] {
  const s = z.fromJSONSchema(JSON.parse(readFileSync(path.join(root, "schemas", `${name}.schema.json`), "utf8")));
  const r = s.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${name}: ${i.path.join(".")}: ${i.message}`);
}
/** Run the binary; exit codes 0, 1 and 3 are verdicts (a small run may be inconsistent), anything else fails. */
function cli(...args: string[]): { out: string; status: number } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", cwd: root, timeout: 120_000 });
  if (![0, 1, 3].includes(r.status ?? -1)) throw new Error(`index-lab ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return { out: r.stdout, status: r.status! };
}
const json = (...args: string[]) => JSON.parse(cli(...args).out) as Record<string, unknown>;

describe("every command's --json output validates against its schema", () => {
  let dir = "";
  beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), "index-lab-outputs-")); });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it("doctor, check and batch-reuse name and satisfy their schemas", () => {
    const doctor = json("doctor", "--json");
    expect(issues("doctor", doctor)).toEqual([]);
    expect(doctor.$schema).toBe(schemaId("doctor"));
    const check = json("check", "z^2", "-K", "3", "--no-simulate", "--json");
    expect(issues("check", check)).toEqual([]);
    expect(check.$schema).toBe(schemaId("check"));
    const reuse = json("simulate", "batch-reuse", "--target", "z1^2", "--d", "16", "--p", "4", "--steps", "1", "--seeds", "2", "--n-test", "256", "--json");
    expect(issues("batch-run", reuse)).toEqual([]);
    expect(reuse.$schema).toBe(schemaId("batch-run"));
    // the validator is not vacuous: a wrong verdict word, a missing key and a negative count are rejected
    expect(issues("check", { ...check, results: [{ ...(check.results as object[])[0], status: "maybe" }] })).not.toEqual([]);
    expect(issues("doctor", { ...doctor, cores: 0 })).not.toEqual([]);
    const { backend: _b, ...noBackend } = reuse;
    expect(issues("batch-run", noBackend)).not.toEqual([]);
  });

  it("simulate threshold and merge validate; report --threshold draws the phase diagram and states its verdict", () => {
    const run = cli("simulate", "threshold", "--link", "z^2", "--d", "64,128", "--alpha", "0.3,0.7", "--seeds", "2", "--iterations", "4", "--bootstrap", "100", "--workers", "1", "--out", path.join(dir, "thr"), "--json");
    const thr = JSON.parse(run.out) as Record<string, unknown> & { verdict: string; gamp: { report: { curves: unknown[] } } };
    expect(issues("threshold", thr)).toEqual([]);
    expect(thr.$schema).toBe(schemaId("threshold"));
    expect(thr.gamp.report.curves).toHaveLength(4);
    expect(issues("threshold", { ...thr, verdict: "maybe" })).not.toEqual([]);
    const merged = json("merge", path.join(dir, "thr"), "--json");
    expect(issues("merge", merged)).toEqual([]);
    expect(merged.runs).toBe(8);

    const file = path.join(dir, "thr.json");
    writeFileSync(file, run.out);
    const rep = cli("report", "z^2", "-o", path.join(dir, "rep"), "-K", "3", "--threshold", file, "--json");
    const summary = JSON.parse(rep.out) as { verdicts: { section: string; verdict: string }[]; files: string[] };
    expect(issues("report-summary", summary)).toEqual([]);
    expect(summary.verdicts).toEqual([expect.objectContaining({ section: "threshold", verdict: thr.verdict })]);
    expect(rep.status).toBe({ consistent: 0, inconsistent: 1, inconclusive: 3 }[thr.verdict]);
    const svg = readFileSync(path.join(dir, "rep", "threshold-phase-diagram.svg"), "utf8");
    for (const label of ["simulation, d = 64", "simulation, d = 128", "state evolution at alpha_c", "predicted alpha_c", "alpha = n/d"]) expect(svg).toContain(label);
    const html = readFileSync(path.join(dir, "rep", "index.html"), "utf8");
    // alpha_c = 1/2 typeset as MathML in the section text
    expect(html).toMatch(/<msub><mi>α<\/mi><mi>c<\/mi><\/msub><mo>=<\/mo><mfrac><mn>1<\/mn><mn>2<\/mn><\/mfrac>/);
    // a file that is not a threshold run, or a run of another link, is bad input (exit 2, one line)
    const bad = spawnSync(process.execPath, [MAIN, "report", "z^2", "-o", path.join(dir, "rep2"), "--threshold", path.join(dir, "thr", "sweep.json")], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/is not the output of 'index-lab simulate threshold --json'/);
    const other = spawnSync(process.execPath, [MAIN, "report", "abs(z)", "-o", path.join(dir, "rep3"), "--threshold", file], { encoding: "utf8" });
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/is a run of 'z\^2', not of 'abs\(z\)'/);
  });
});
