/**
 * two-timescale and feature-strength on the sweep machinery of src/sweeps: every job's result on disk, resume that
 * recomputes nothing, shards whose union (in one directory or joined by merge) gives exactly the unsharded summary,
 * and a generic job kind whose records survive the JSON round trip. Tiny grids, in this thread (vitest runs the
 * TypeScript sources, where there is no compiled worker file); worker-count independence through the built CLI is
 * in test/experiments/sweepsCli.test.ts.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../src/link/errors.js";
import { runTwoTimescale, TWO_TIMESCALE_PRESET, type TwoTimescaleConfig } from "../../src/experiments/twoTimescaleExperiment.js";
import { runFeatureStrength, FEATURE_STRENGTH_PRESET, type FeatureStrengthConfig } from "../../src/experiments/featureStrengthExperiment.js";
import { defineJobKind } from "../../src/sweeps/jobs.js";
import { runJobSweep } from "../../src/sweeps/sweep.js";
import { mergeRuns } from "../../src/sweeps/merge.js";
import { readRuns, runsFiles, type JobRecord } from "../../src/sweeps/store.js";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "index-lab-exp-sweep-"));
const records = (dir: string) => runsFiles(dir).flatMap((f) => readRuns<JobRecord>(f)).sort((a, b) => a.configId.localeCompare(b.configId) || a.replicate - b.replicate);
/** Everything but wall times and the bookkeeping of what was computed now. */
const science = <T extends { seconds: number; sweep: unknown }>(r: T) => { const { seconds: _s, sweep: _w, ...rest } = r; return rest; };

const TT: TwoTimescaleConfig = {
  ...TWO_TIMESCALE_PRESET, m: 6, epsilons: [1e-1, 1e-2, 1e-3], seeds: 2, tEnd: 10,
  checks: { phi1Zero: { target: "1 + He(2,z)/sqrt(2)", eps: 0.05, tEnd: 2, ds: [100, 1000] } },
};

const FS: FeatureStrengthConfig = {
  toy: {
    ...FEATURE_STRENGTH_PRESET.toy, Ls: [3], gammas: [1e-2, 1, 1e2], etaMin: 1e-6, etaMax: 1e2, etasPerDecade: 1, budget: 300, bisectionSteps: 2000,
    collapse: { L: 3, gammas: [1e2, 1e3], etaFraction: 0.05 },
    triangle: { L: 4, T: 100, scalingFrom: 1e2, scalingTo: 1e4, scalingPerDecade: 1, fitFrom: 1e2 },
  },
  mlp: {
    ...FEATURE_STRENGTH_PRESET.mlp!, d: 4, N: 8, steps: 20, batch: 4, gammas: [0.1, 10], etas: [1e-2, 1, 1e2], backend: "js64",
    seeds: 2, edgeGammas: [0.1], edgeBisections: 2, edgeSeeds: 2,
  },
};

describe("two-timescale through the sweep machinery", () => {
  it("writes one record per (epsilon, seed) and per check; resume recomputes nothing; shards reproduce the summary", async () => {
    const dir = tmp();
    const a = await runTwoTimescale(TT, undefined, { dir });
    const jobs = TT.epsilons.length * TT.seeds + 1;
    expect(a.sweep).toMatchObject({ computed: jobs, skipped: 0, total: jobs, complete: true });
    expect(records(dir)).toHaveLength(jobs);
    // every flow record is the run the summary reports (the summary is built from the records alone)
    const flows = records(dir).filter((r) => r.kind === "two-timescale.flow").map((r) => (r.result as { run: unknown }).run);
    expect(new Set(flows.map((f) => JSON.stringify(f)))).toEqual(new Set(a.runs.map((f) => JSON.stringify(f))));
    await expect(runTwoTimescale(TT, undefined, { dir })).rejects.toThrow(InputError); // no silent overwrite
    const b = await runTwoTimescale(TT, undefined, { dir, resume: true });
    expect(b.sweep).toMatchObject({ computed: 0, skipped: jobs });
    expect(science(b)).toEqual(science(a));

    const sharded = tmp();
    const s0 = await runTwoTimescale(TT, undefined, { dir: sharded, shard: { index: 0, count: 2 } });
    expect(s0.sweep.complete).toBe(false);
    expect(s0.claims.map((c) => c.verdict)).toEqual(["inconclusive"]);
    await runTwoTimescale(TT, undefined, { dir: sharded, shard: { index: 1, count: 2 } });
    const joined = await runTwoTimescale(TT, undefined, { dir: sharded, resume: true });
    expect(joined.sweep.computed).toBe(0);
    expect(science(joined)).toEqual(science(a));
    expect(records(sharded)).toEqual(records(dir));
  }, 120_000);
});

describe("feature-strength through the sweep machinery", () => {
  it("shards in separate directories joined by merge give the unsharded records and summary", async () => {
    const dir = tmp();
    const a = await runFeatureStrength(FS, undefined, { dir });
    expect(a.sweep.complete).toBe(true);
    // MLP grid points and bisected edges carry their seeds as replicates
    const mlp = records(dir).filter((r) => r.kind === "feature-strength.mlp");
    expect(mlp).toHaveLength(FS.mlp!.gammas.length * FS.mlp!.etas.length * FS.mlp!.seeds);
    expect(a.mlp!.runs.every((r) => r.seeds === FS.mlp!.seeds)).toBe(true);
    const parts = [tmp(), tmp(), tmp()];
    for (let i = 0; i < 3; i++) {
      const r = await runFeatureStrength(FS, undefined, { dir: parts[i], shard: { index: i, count: 3 } });
      expect(r.toy).toBeNull();
    }
    const merged = tmp();
    const m = mergeRuns(parts, merged);
    expect(m.missing).toBe(0);
    expect(records(merged)).toEqual(records(dir));
    const b = await runFeatureStrength(FS, undefined, { dir: merged, resume: true });
    expect(b.sweep.computed).toBe(0);
    expect(science(b)).toEqual(science(a));
  }, 120_000);

  it("seeds change the MLP runs but never the exact toy jobs", async () => {
    const one = await runFeatureStrength({ ...FS, mlp: { ...FS.mlp!, seeds: 1 } });
    const two = await runFeatureStrength(FS);
    expect(one.toy).toEqual(two.toy);
    // replicate 0 is the same run whatever the number of seeds; the median over two seeds differs from it somewhere
    expect(two.mlp!.runs.some((r, i) => r.finalLoss !== one.mlp!.runs[i]!.finalLoss)).toBe(true);
  }, 60_000);
});

describe("generic job kinds", () => {
  const square = defineJobKind<{ x: number }, { y: number; tag: string; none: null }>({
    name: "test.square", module: import.meta.url,
    validate: (c) => { if (!(c.x >= 0)) throw new InputError(`x must be >= 0, got ${c.x}`); },
    run: (c, { masterSeed, replicate }) => ({ y: c.x * c.x + masterSeed + replicate / 8, tag: `r${replicate}`, none: null }),
  });

  it("per-configuration replicates, ids independent of key order, invalid configurations refused before any job runs", async () => {
    const r = await runJobSweep({ command: "test", masterSeed: 7, workers: 0, jobs: [{ kind: square.name, config: { x: 3 }, replicates: 3 }, { kind: square.name, config: { x: 0.1 }, replicates: 1 }] });
    expect(r.records).toHaveLength(4);
    expect(r.complete).toBe(true);
    for (const rec of r.records) {
      const x = rec.configId === r.ids[0] ? 3 : 0.1;
      expect(rec.result).toEqual({ y: x * x + 7 + rec.replicate / 8, tag: `r${rec.replicate}`, none: null });
    }
    const swapped = await runJobSweep({ command: "test", masterSeed: 7, workers: 0, jobs: [{ kind: square.name, config: { x: 0.1 }, replicates: 1 }, { kind: square.name, config: { x: 3 }, replicates: 3 }] });
    expect(new Set(swapped.ids)).toEqual(new Set(r.ids));
    const dir = tmp();
    await expect(runJobSweep({ command: "test", masterSeed: 7, workers: 0, dir, jobs: [{ kind: square.name, config: { x: 1 }, replicates: 1 }, { kind: square.name, config: { x: -1 }, replicates: 1 }] })).rejects.toThrow(/x must be >= 0/);
    expect(fs.readdirSync(dir)).toEqual([]);
    await expect(runJobSweep({ command: "test", masterSeed: 7, workers: 0, jobs: [{ kind: "test.nope", config: {}, replicates: 1 }] })).rejects.toThrow(InputError);
  });
});
