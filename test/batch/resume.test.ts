import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createJsCpuBackend } from "../../src/tensors/jsCpu.js";
import { simulateBatchReuse, BATCH_REUSE_DEFAULTS, type BatchReuseConfig, type SeedTrace } from "../../src/simulations/batch/batchReuse.js";
import { simulateGiantStep, GIANT_STEP_DEFAULTS, type GiantStepConfig, type SeedOutcome } from "../../src/simulations/batch/giantStep.js";
import { BatchStore, BATCH_SEEDS, decodeOutcome, encodeOutcome, type BatchManifest } from "../../src/simulations/batch/store.js";
import { isInputError } from "../../src/link/errors.js";

const backend = createJsCpuBackend();
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "index-lab-batch-"));
const manifest = (experiment: string, config: unknown): BatchManifest => ({ format: "index-lab-batch/1", experiment, preset: null, runs: [{ tag: "run", config }], backend: backend.name });
/** Everything but the wall time must agree. */
// the science of a run, without what depends on this process: its wall time and the throughput of the work it did
// itself (a resumed run multiplies only the seeds it computes)
const numbers = (r: { wallSeconds: number; throughput?: unknown }) => ({ ...r, wallSeconds: 0, throughput: undefined });

class Killed extends Error {}

/** Run with a store that "dies" after `after` seeds were appended (like a kill between two seeds). */
async function interrupted<T>(run: (hooks: { done: ReadonlyMap<number, T>; onSeed: (r: number, o: T) => void }) => Promise<unknown>, store: BatchStore, after: number) {
  let appended = 0;
  const hooks = store.hooks<T>("run");
  await expect(run({
    done: hooks.done!,
    onSeed: (rep, o) => { if (appended === after) throw new Killed(); hooks.onSeed!(rep, o); appended++; },
  })).rejects.toBeInstanceOf(Killed);
  store.close();
}

describe("resumable batch runs (--out DIR, --resume)", () => {
  const reuse: BatchReuseConfig = {
    ...BATCH_REUSE_DEFAULTS, target: "He(3,z)/sqrt(6)", d: 120, p: 4, alpha: 2, steps: 2, seeds: 3, nTest: 128, algorithm: "multi-pass",
  };
  it("batch reuse: 2 of 3 seeds, killed, resumed = the uninterrupted run, bitwise; the resumed run computes only the missing seed", async () => {
    const dir = tmp();
    await interrupted<SeedTrace>((h) => simulateBatchReuse(reuse, backend, () => {}, h), BatchStore.open(dir, manifest("batch-reuse", reuse), false), 2);
    const store = BatchStore.open(dir, manifest("batch-reuse", reuse), true);
    expect([...store.done("run").keys()].sort()).toEqual([0, 1]);
    let computed = 0;
    const hooks = store.hooks<SeedTrace>("run");
    const resumed = await simulateBatchReuse(reuse, backend, () => {}, { done: hooks.done, onSeed: (r, o) => { computed++; hooks.onSeed!(r, o); } });
    store.close();
    expect(computed).toBe(1);
    const whole = await simulateBatchReuse(reuse, backend);
    expect(numbers(resumed)).toEqual(numbers(whole));
    // a finished run resumed again recomputes nothing and gives the same result
    const again = BatchStore.open(dir, manifest("batch-reuse", reuse), true);
    const third = await simulateBatchReuse(reuse, backend, () => {}, { done: again.done("run"), onSeed: () => { throw new Error("recomputed a finished seed"); } });
    again.close();
    expect(numbers(third)).toEqual(numbers(whole));
  });

  it("giant step: the same, including the ridge refit summary", async () => {
    const giant: GiantStepConfig = { ...GIANT_STEP_DEFAULTS, target: "z1 + z1*z2", d: 48, p: 16, n: 600, nRefit: 300, nTest: 300, seeds: 3, steps: 2, preprocess: false, eta: "p*sqrt(n/d)/4" };
    const dir = tmp();
    await interrupted<SeedOutcome>((h) => simulateGiantStep(giant, backend, () => {}, h), BatchStore.open(dir, manifest("giant-step", giant), false), 2);
    const store = BatchStore.open(dir, manifest("giant-step", giant), true);
    const resumed = await simulateGiantStep(giant, backend, () => {}, store.hooks("run"));
    store.close();
    const whole = await simulateGiantStep(giant, backend);
    expect(numbers(resumed)).toEqual(numbers(whole));
    expect(resumed.summary).not.toBeNull();
  });

  it("refuses a changed configuration, a different backend, and finished seeds without --resume; cuts a torn last line", () => {
    const dir = tmp();
    const s = BatchStore.open(dir, manifest("batch-reuse", reuse), false);
    s.record("run", 0, { x: 1 });
    s.close();
    const changed = (e: unknown) => isInputError(e) && /different batch-reuse run/.test((e as Error).message);
    expect(() => BatchStore.open(dir, manifest("batch-reuse", { ...reuse, d: 121 }), true)).toThrow();
    try { BatchStore.open(dir, manifest("batch-reuse", { ...reuse, seeds: 4 }), true); } catch (e) { expect(changed(e)).toBe(true); }
    expect(() => BatchStore.open(dir, { ...manifest("batch-reuse", reuse), backend: "other" }, true)).toThrow(/--backend/);
    expect(() => BatchStore.open(dir, manifest("batch-reuse", reuse), false)).toThrow(/--resume/);
    // a kill in the middle of writing a line leaves a torn line: it is ignored and cut off
    fs.appendFileSync(path.join(dir, BATCH_SEEDS), '{"tag":"run","replicate":1,"outc');
    const r = BatchStore.open(dir, manifest("batch-reuse", reuse), true);
    expect([...r.done("run").keys()]).toEqual([0]);
    r.record("run", 1, { x: 2 });
    r.close();
    const lines = fs.readFileSync(path.join(dir, BATCH_SEEDS), "utf8").trim().split("\n");
    expect(lines.map((l) => JSON.parse(l).replicate)).toEqual([0, 1]);
  });

  it("the outcome codec is an exact inverse on doubles, typed arrays and non-finite numbers (property)", () => {
    fc.assert(fc.property(fc.array(fc.double()), fc.array(fc.double({ noNaN: true })), (xs, ys) => {
      const v = { M: [Float64Array.from(xs)], test: ys, d: { step: 3, reason: "x" }, f: Float32Array.from(ys) };
      const back = decodeOutcome(JSON.parse(JSON.stringify(encodeOutcome(v)))) as typeof v;
      expect(back.M[0]).toEqual(v.M[0]);
      expect(Object.is(back.M[0]![0], v.M[0]![0]) || xs.length === 0).toBe(true); // -0 and NaN survive
      expect(back.test).toEqual(v.test);
      expect(back.f).toEqual(v.f);
      expect(back.d).toEqual(v.d);
    }));
  });
});
