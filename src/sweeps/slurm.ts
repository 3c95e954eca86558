/**
 * The Slurm recipe of a paper-size run: a job array whose task i runs `--shard i/N` of the sweep into one shared
 * directory (task j of the sweep goes to shard j mod N: src/sweeps/plan.ts, so the N array tasks cover it exactly
 * once), followed by one summary job once every task has succeeded. The shard count comes from the run's estimated
 * core-seconds (the budget guard's cost model): enough shards that each takes about `hoursPerShard` on
 * `cpusPerTask` cores, never more shards than jobs. A run without shards (the batch simulators) is one resumable job.
 */

/** What the recipe needs: the run's index-lab arguments, its directory, the cost estimate and the number of jobs. */
export interface SlurmPlan {
  /** Short name of the run (job names: index-lab-<name>). */
  readonly name: string;
  /** index-lab arguments of the run, without --out, --shard, --resume, --workers, --progress, --json or --slurm. */
  readonly argv: readonly string[];
  /** The sweep (or batch) directory shared by the array tasks. */
  readonly out: string;
  /** Estimated core-seconds of the whole run (the cost model of the budget guard). */
  readonly coreSeconds: number;
  /** Jobs of the sweep (the most shards that can do work); 1 for a run that cannot be sharded. */
  readonly jobs: number;
  /** Whether the run accepts --shard (sweeps) or runs as one resumable job (--out/--resume only). */
  readonly sharded: boolean;
  /** The command that summarises the finished shards (e.g. `index-lab merge DIR`), as index-lab arguments. */
  readonly summary: readonly string[];
  readonly cpusPerTask?: number;
  readonly hoursPerShard?: number;
  /** Flags each task adds after --out (and --shard): default --workers $SLURM_CPUS_PER_TASK --resume --yes --progress none --json. */
  readonly runFlags?: readonly string[];
}

/** Cores per array task and the target wall hours of a shard, unless the plan says otherwise. */
export const SLURM_DEFAULTS = { cpusPerTask: 8, hoursPerShard: 2 } as const;

/** Shards of a plan: ceil(core-seconds / (cores x hours)), between 1 and the number of jobs (at most 1000). */
export function slurmShards(p: Pick<SlurmPlan, "coreSeconds" | "jobs" | "sharded" | "cpusPerTask" | "hoursPerShard">): number {
  if (!p.sharded) return 1;
  const perShard = (p.cpusPerTask ?? SLURM_DEFAULTS.cpusPerTask) * (p.hoursPerShard ?? SLURM_DEFAULTS.hoursPerShard) * 3600;
  return Math.max(1, Math.min(p.jobs, 1000, Math.ceil(p.coreSeconds / perShard)));
}

/** A shell word: bare when it is safe, else single-quoted. */
export function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** HH:MM:SS of a Slurm time limit: twice the expected wall time of one task, at least 15 minutes (a resubmitted task resumes). */
export function slurmTime(seconds: number): string {
  const s = Math.max(15 * 60, Math.ceil((2 * seconds) / 60) * 60);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00`;
}

/** Core-hours of an estimate in core-seconds, as printed (core-seconds below 0.01 core-hours). */
export const coreHoursText = (coreSeconds: number): string => {
  const h = coreSeconds / 3600;
  if (h < 0.01) return `${coreSeconds < 10 ? coreSeconds.toFixed(1) : coreSeconds.toFixed(0)} core-seconds`;
  return `${h < 0.1 ? h.toFixed(3) : h < 10 ? h.toFixed(2) : h.toFixed(0)} core-hours`;
};

/**
 * The sbatch script of a plan. `bash FILE` submits the array and, with an afterok dependency, the summary job;
 * `sbatch FILE` submits the array only.
 */
export function slurmScript(p: SlurmPlan): string {
  const cpus = p.cpusPerTask ?? SLURM_DEFAULTS.cpusPerTask;
  const N = slurmShards(p);
  const perTask = p.coreSeconds / N / cpus;
  const cli = (args: readonly string[]) => ["npx", "index-lab", ...args].map(shellWord).join(" ");
  const run = [...p.argv, "--out", p.out, ...(p.sharded ? ["--shard", `\${SLURM_ARRAY_TASK_ID}/${N}`] : []), ...(p.runFlags ?? ["--workers", "${SLURM_CPUS_PER_TASK}", "--resume", "--yes", "--progress", "none", "--json"])];
  // the variable references stay unquoted-expandable: quote them with double quotes, everything else as usual
  const runLine = ["npx", "index-lab", ...run].map((w) => (w.includes("${") ? `"${w}"` : shellWord(w))).join(" ");
  return [
    "#!/bin/bash",
    `# index-lab paper-size run: ${p.name}`,
    `# estimated ${coreHoursText(p.coreSeconds)} (the budget guard's cost model); ${N} ${p.sharded ? "shard" : "job"}${N === 1 ? "" : "s"} x ${cpus} cores, about ${(perTask / 3600).toFixed(2)} h each`,
    "# submit with `bash <this file>`: the array, then the summary job once every task succeeded;",
    `# or with \`sbatch <this file>\` and afterwards, once: ${cli(p.summary)}`,
    "# a task that hits its time limit can be resubmitted: --resume skips every finished run",
    `#SBATCH --job-name=index-lab-${p.name}`,
    ...(p.sharded ? [`#SBATCH --array=0-${N - 1}`] : []),
    `#SBATCH --cpus-per-task=${cpus}`,
    `#SBATCH --time=${slurmTime(perTask)}`,
    `#SBATCH --output=slurm-%x-%A_%a.out`,
    "set -euo pipefail",
    `if [ -z "\${SLURM_JOB_ID:-}" ]; then`,
    `  job=$(sbatch --parsable "$0")`,
    `  sbatch --dependency=afterok:"\${job%%;*}" --job-name=index-lab-${p.name}-summary --cpus-per-task=1 --time=00:30:00 --wrap ${shellWord(`${cli(p.summary)} > ${p.out}/summary.txt`)}`,
    "  exit 0",
    "fi",
    `mkdir -p ${shellWord(p.out)}`,
    "# exit codes 1 and 3 are verdicts (inconsistent, inconclusive) of a complete run, not failures of the task",
    `${runLine} > /dev/null || { rc=$?; [ "$rc" = 1 ] || [ "$rc" = 3 ] || exit "$rc"; }`,
    "",
  ].join("\n");
}
