/**
 * The measured OpenBLAS kernel (src/tensors/openblasKernel.ts): the decision rule's invariances (a machine phase that
 * slows every kernel of a round alike changes nothing), the stored tuning's scope (this CPU, this library setting), its
 * use by the backend (OPENBLAS_CORETYPE set only while the library loads, the user's own setting first) and, when the
 * openblas backend is available, the child-process trial itself.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MARGIN, TRIAL_SHAPES, WIN_FRACTION, buildOf, chooseKernel, cpuIdentity, readKernelTuning, runTrial, type KernelTuning } from "../../src/tensors/openblasKernel.js";
import { createOpenblasBackend, probeOpenblas } from "../../src/tensors/openblas.js";
import { DoctorSchema } from "../../src/reports/schemas.js";

const rounds = fc.integer({ min: 3, max: 12 });
const rate = fc.double({ min: 50, max: 250, noNaN: true });

/** Scores of OpenBLAS's own kernel and of up to three candidates over the same rounds. */
const trials = rounds.chain((n) => fc.record({
  own: fc.array(rate, { minLength: n, maxLength: n }),
  candidates: fc.array(fc.array(rate, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 3 }),
}));
const named = (cs: number[][]) => cs.map((scores, i) => ({ kernel: `K${i}`, scores }));

describe("chooseKernel", () => {
  it("a round's common factor (the machine's speed in that round) and the order of the rounds change nothing", () => {
    fc.assert(fc.property(trials, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ own, candidates }, seed) => {
      // per-round factors: powers of two, so that the scaled ratios are exactly the unscaled ones (ties stay ties)
      const phase = own.map((_, j) => 2 ** (((seed >> j) % 5) - 2));
      const order = own.map((_, j) => j).sort((a, b) => ((a * seed) % 13) - ((b * seed) % 13) || a - b);
      const scaled = chooseKernel(own.map((s, j) => s * phase[j]!), named(candidates.map((c) => c.map((s, j) => s * phase[j]!))));
      const permuted = chooseKernel(order.map((j) => own[j]!), named(candidates.map((c) => order.map((j) => c[j]!))));
      const plain = chooseKernel(own, named(candidates));
      expect(scaled.kernel).toBe(plain.kernel);
      expect(permuted.kernel).toBe(plain.kernel);
    }));
  });
  it("a chosen kernel beats OpenBLAS's own by the margin in median and in enough rounds, and is the best such", () => {
    fc.assert(fc.property(trials, ({ own, candidates }) => {
      const c = chooseKernel(own, named(candidates));
      const eligible = Object.entries(c.ratios).filter(([, r]) => r.median >= 1 + MARGIN && r.wins >= Math.ceil(WIN_FRACTION * own.length));
      if (c.kernel === null) expect(eligible).toEqual([]);
      else expect(Math.max(...eligible.map(([, r]) => r.median))).toBe(c.ratios[c.kernel]!.median);
    }));
  });
  it("a kernel 10 % faster in every round is chosen; one with a failed round is not, however fast", () => {
    fc.assert(fc.property(fc.array(rate, { minLength: 5, maxLength: 10 }), (own) => {
      expect(chooseKernel(own, [{ kernel: "Fast", scores: own.map((s) => 1.1 * s) }]).kernel).toBe("Fast");
      const failed = own.map((s, j) => (j === 0 ? NaN : 2 * s));
      expect(chooseKernel(own, [{ kernel: "Flaky", scores: failed }])).toMatchObject({ kernel: null, ratios: {} });
    }));
  });
  it("a kernel 1 % faster (inside the margin) is not chosen", () => {
    expect(chooseKernel([100, 101, 99, 100, 100], [{ kernel: "Slight", scores: [101, 102, 100, 101, 101] }]).kernel).toBeNull();
  });
});

describe("the stored tuning", () => {
  const env = { ...process.env };
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), "index-lab-tune-")); process.env.INDEX_LAB_OPENBLAS_TUNING = join(dir, "tuning.json"); delete process.env.OPENBLAS_CORETYPE; delete process.env.INDEX_LAB_OPENBLAS; });
  afterEach(() => { process.env = { ...env }; });
  const tuning = (over: Partial<KernelTuning> = {}): KernelTuning => ({
    version: 1, kernel: "Haswell", ratios: { Haswell: { median: 1.04, wins: 9 } }, rounds: 10, cpu: cpuIdentity(), library: "",
    config: "OpenBLAS 0.3.21 DYNAMIC_ARCH MAX_THREADS=64", ownKernel: "Cooperlake", measured: "2026-12-07T10:00:00.000Z", ...over,
  });
  const store = (t: unknown) => writeFileSync(process.env.INDEX_LAB_OPENBLAS_TUNING!, typeof t === "string" ? t : JSON.stringify(t));

  it("applies to this CPU and library setting only, and says why it is ignored otherwise", () => {
    expect(readKernelTuning()).toEqual({ tuning: null, note: null });
    store(tuning());
    expect(readKernelTuning().tuning?.kernel).toBe("Haswell");
    store(tuning({ cpu: "Some Other CPU, 64 cores" }));
    expect(readKernelTuning()).toMatchObject({ tuning: null, note: expect.stringContaining("was measured on Some Other CPU") });
    store(tuning());
    process.env.INDEX_LAB_OPENBLAS = "/opt/other/libopenblas.so";
    expect(readKernelTuning()).toMatchObject({ tuning: null, note: expect.stringContaining("INDEX_LAB_OPENBLAS=(unset)") });
    store("{ not json");
    expect(readKernelTuning().note).toMatch(/not valid JSON: ignored/);
    process.env.INDEX_LAB_OPENBLAS_TUNING = "off";
    expect(readKernelTuning()).toEqual({ tuning: null, note: null });
  });

  /** A koffi whose library reports the kernel OPENBLAS_CORETYPE named when it loaded (Cooperlake when unset). */
  function fakeKoffi(seen: (string | undefined)[]) {
    return {
      load: () => {
        const core = process.env.OPENBLAS_CORETYPE ?? "Cooperlake";
        seen.push(process.env.OPENBLAS_CORETYPE);
        return { func: (proto: string) => (/get_config/.test(proto) ? () => `OpenBLAS 0.3.21 DYNAMIC_ARCH ${core} MAX_THREADS=64` : /get_corename/.test(proto) ? () => core : /get_num_threads/.test(proto) ? () => 2 : () => undefined) };
      },
    };
  }

  it("the backend loads OpenBLAS with the stored kernel, restores the environment, and names the evidence", async () => {
    store(tuning());
    const seen: (string | undefined)[] = [];
    const b = await createOpenblasBackend({ loadKoffi: () => fakeKoffi(seen) });
    expect(seen).toEqual(["Haswell"]);
    expect(process.env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(b.detail).toContain("kernel Haswell");
    expect(b.detail).toContain("tuned: Haswell instead of OpenBLAS's own Cooperlake");
    expect(b.detail).toContain("Haswell 1.040x, faster in 9/10");
    expect(b.detail).not.toContain("tune-blas again");
  });
  it("the user's OPENBLAS_CORETYPE wins over the stored kernel; a stored kernel measured on another build says to retune", async () => {
    store(tuning());
    process.env.OPENBLAS_CORETYPE = "SkylakeX";
    const seen: (string | undefined)[] = [];
    const b = await createOpenblasBackend({ loadKoffi: () => fakeKoffi(seen) });
    expect(seen).toEqual(["SkylakeX"]);
    expect(b.detail).not.toContain("tuned");
    delete process.env.OPENBLAS_CORETYPE;
    store(tuning({ config: "OpenBLAS 0.3.20 DYNAMIC_ARCH MAX_THREADS=64" }));
    const stale = await createOpenblasBackend({ loadKoffi: () => fakeKoffi([]) });
    expect(stale.detail).toContain("measured with OpenBLAS 0.3.20 DYNAMIC_ARCH MAX_THREADS=64, run doctor --tune-blas again");
    // a library that ignores OPENBLAS_CORETYPE (or lacks the kernel) loads its own: the detail does not claim the stored one
    store(tuning());
    const deaf = { load: () => ({ func: (proto: string) => (/get_config/.test(proto) ? () => "OpenBLAS 0.3.21 DYNAMIC_ARCH Cooperlake MAX_THREADS=64" : /get_corename/.test(proto) ? () => "Cooperlake" : () => 2) }) };
    const own = await createOpenblasBackend({ loadKoffi: () => deaf });
    expect(own.detail).toContain("kernel Cooperlake");
    expect(own.detail).toContain("but OpenBLAS loaded Cooperlake, run doctor --tune-blas again");
  });
  it("a stored tuning is what doctor --json's blasTuning describes", () => {
    const doctor = { version: "0", node: "v20", platform: "linux-x64", cores: 2, memoryGiB: 1, backends: [], browser: null };
    expect(DoctorSchema.safeParse({ ...doctor, blasTuning: { ...tuning(), file: "/tmp/t.json" } }).success).toBe(true);
    expect(DoctorSchema.safeParse({ ...doctor, blasTuning: { ...tuning(), rounds: 0, file: null } }).success).toBe(false);
  });
  it("doctor --tune-blas without the backend, or with --rounds out of range, is one line and exit 2", () => {
    const main = join(import.meta.dirname, "..", "..", "dist", "src", "cli", "main.js");
    const off = spawnSync(process.execPath, [main, "doctor", "--tune-blas", "--rounds", "3"], { encoding: "utf8", env: { ...process.env, INDEX_LAB_OPENBLAS: "off" } });
    expect(off.status).toBe(2);
    expect(off.stderr.trim()).toBe("index-lab: --tune-blas: OpenBLAS's own kernel could not be measured (disabled by INDEX_LAB_OPENBLAS=off); index-lab doctor says whether the openblas backend is available");
    const rounds = spawnSync(process.execPath, [main, "doctor", "--tune-blas", "--rounds", "2"], { encoding: "utf8" });
    expect([rounds.status, rounds.stderr.trim()]).toEqual([2, "index-lab: --rounds must be an integer in [3, 100], got '2'"]);
  });
  it("buildOf drops exactly the kernel's name from openblas_get_config", () => {
    expect(buildOf("OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64", "Haswell")).toBe("OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY MAX_THREADS=64");
    expect(buildOf("OpenBLAS 0.3.21 DYNAMIC_ARCH Cooperlake MAX_THREADS=64", "Haswell")).toBe("OpenBLAS 0.3.21 DYNAMIC_ARCH Cooperlake MAX_THREADS=64");
  });
});

const available = probeOpenblas(true).available;
describe.skipIf(!available)("a trial in a child process (the openblas backend is available here)", () => {
  it("measures every shape under OpenBLAS's own kernel, and refuses a kernel OpenBLAS does not load", () => {
    const own = runTrial(null);
    if ("failed" in own) throw new Error(own.failed);
    expect(own.gflops).toHaveLength(TRIAL_SHAPES.length);
    for (const g of own.gflops) expect(g).toBeGreaterThan(0.5);
    expect(own.config).toMatch(/^OpenBLAS \d/);
    // an unknown name: OpenBLAS falls back to its own kernel, which the trial reports, so the candidate is refused
    expect(runTrial("NoSuchKernel")).toEqual({ failed: `OpenBLAS loaded ${own.core} instead` });
  }, 60_000);
});
if (!available) process.stderr.write("openblas trial test skipped: the openblas backend is not available here\n");
