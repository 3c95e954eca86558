// Paper-size runs (issue #16): `--full --slurm FILE` writes a Slurm array job whose shards cover the sweep exactly
// once, sized from the same cost model as the budget guard, and every paper-size line states that estimate.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planOnlineSgd } from "../../src/verification/onlineSgd.js";
import { planTasks, shardTasks } from "../../src/sweeps/plan.js";
import { checkSweepBudget } from "../../src/cli/sweepOptions.js";
import { slurmScript, slurmShards, slurmTime, shellWord } from "../../src/sweeps/slurm.js";
import { recipeArgv } from "../../src/cli/paperSize.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MAIN = path.join(root, "dist/src/cli/main.js");

describe("Slurm recipe", () => {
  it("verify --full --slurm: N array tasks, --shard i/N, the budget guard's core-hours, and shards that cover the sweep exactly once", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "index-lab-slurm-"));
    try {
      const file = path.join(dir, "run.sbatch");
      const r = spawnSync(process.execPath, [MAIN, "verify", "He(3,z)", "--full", "--out", "runs/he3-full", "--slurm", file, "--json"], { encoding: "utf8", cwd: root, timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      const written = JSON.parse(r.stdout) as { shards: number; coreHours: number; script: string };
      const script = readFileSync(file, "utf8");
      expect(script).toContain("--d 256:16384 --seeds 64");
      expect(script).toContain("--out runs/he3-full");
      expect(script).toMatch(/--wrap 'npx index-lab merge runs\/he3-full/);
      expect(written.shards).toBe(Number(/#SBATCH --array=0-(\d+)/.exec(script)![1]) + 1);
      // the estimate is the budget guard's: on one worker and one shard its wall time is the core-seconds
      const plan = planOnlineSgd({ link: "He(3,z)", dims: [256, 512, 1024, 2048, 4096, 8192, 16384] });
      const guard = checkSweepBudget({ yes: true }, plan.configs.map((config, i) => ({ config, runs: 64, steps: plan.expectedSteps[i] })), 1, 1, "test");
      expect(written.coreHours).toBeCloseTo(guard / 3600, 9);
      expect(script).toContain(`estimated ${(guard / 3600).toFixed(2)} core-hours`);
      // with one-hour shards on 2 cores (a small cluster allocation), shards 0..N-1 of the planned tasks hold every task once
      const tasks = planTasks(plan.configs, 64);
      const small = slurmScript({ name: "verify", argv: ["verify", "He(3,z)", "--full"], out: "runs/x", coreSeconds: guard, jobs: tasks.length, sharded: true, summary: ["merge", "runs/x"], cpusPerTask: 2, hoursPerShard: 0.1 });
      const N = Number(/#SBATCH --array=0-(\d+)/.exec(small)![1]) + 1;
      expect(Number(/--shard "\$\{SLURM_ARRAY_TASK_ID\}\/(\d+)"/.exec(small)![1])).toBe(N);
      expect(N).toBe(Math.ceil(guard / (2 * 0.1 * 3600)));
      expect(N).toBeGreaterThan(1);
      const seen = new Map<string, number>();
      for (let i = 0; i < N; i++) for (const t of shardTasks(tasks, { index: i, count: N })) seen.set(`${t.configId}/${t.replicate}`, (seen.get(`${t.configId}/${t.replicate}`) ?? 0) + 1);
      expect(seen.size).toBe(tasks.length);
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it("shard counts: each shard about the target core-hours, never more shards than jobs, one job when not shardable (property)", () => {
    fc.assert(fc.property(fc.double({ min: 1, max: 1e8, noNaN: true }), fc.integer({ min: 1, max: 5000 }), (coreSeconds, jobs) => {
      const N = slurmShards({ coreSeconds, jobs, sharded: true, cpusPerTask: 8, hoursPerShard: 2 });
      expect(N).toBeGreaterThanOrEqual(1);
      expect(N).toBeLessThanOrEqual(Math.min(jobs, 1000));
      if (N < Math.min(jobs, 1000)) expect(coreSeconds / N).toBeLessThanOrEqual(8 * 2 * 3600 * (1 + 1e-12));
      if (N > 1) expect(coreSeconds / (N - 1)).toBeGreaterThan(8 * 2 * 3600);
      expect(slurmShards({ coreSeconds, jobs, sharded: false })).toBe(1);
    }));
    expect(slurmTime(100)).toBe("00:15:00");
    expect(slurmTime(3 * 3600)).toBe("06:00:00");
  });

  it("quotes what the shell would split or expand, and a batch recipe is one resumable job", () => {
    expect(shellWord("He(3,z)")).toBe("'He(3,z)'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord("256:16384")).toBe("256:16384");
    const s = slurmScript({ name: "b", argv: ["simulate", "batch-reuse", "--preset", "he3", "--full"], out: "runs/b", coreSeconds: 7200, jobs: 1, sharded: false, summary: ["simulate", "batch-reuse", "--preset", "he3", "--full", "--out", "runs/b", "--resume"] });
    expect(s).not.toContain("--array");
    expect(s).not.toContain("--shard");
    expect(s).toContain("--out runs/b --workers \"${SLURM_CPUS_PER_TASK}\" --resume");
    expect(recipeArgv(["verify", "He(3,z)", "--full", "--out", "x", "--slurm=f", "--workers", "2", "--json", "--seeds", "8"])).toEqual(["verify", "He(3,z)", "--full", "--seeds", "8"]);
  });
});
