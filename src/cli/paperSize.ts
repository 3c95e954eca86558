/**
 * What a paper-size run needs, printed by every preset and README example: the flag (`--full`), its estimated
 * core-hours from the budget guard's cost model, and the Slurm recipe (`--slurm FILE` writes it: src/sweeps/slurm.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeAtomic } from "../io/durable.js";
import { coreHoursText, slurmScript, slurmShards, type SlurmPlan } from "../sweeps/slurm.js";

/** The paper-size run of a command: what --full sets, its estimated core-hours, and how to get the Slurm recipe. */
export interface PaperSize {
  /** The flag that selects it (always "--full"). */
  readonly flag: "--full";
  /** What --full sets, e.g. "d = 256:16384, 64 seeds". */
  readonly sizes: string;
  /** Estimated CPU core-hours of the paper-size run (the budget guard's cost model). */
  readonly coreHours: number;
  /** Shards of the Slurm array job the recipe uses (1: one resumable job). */
  readonly shards: number;
  /** The command line that writes the recipe. */
  readonly slurm: string;
}

/** The paper-size summary of a plan (its argv already carries --full's sizes). */
export function paperSize(sizes: string, plan: SlurmPlan, command: string): PaperSize {
  return { flag: "--full", sizes, coreHours: plan.coreSeconds / 3600, shards: slurmShards(plan), slurm: `${command} --full --slurm run.sbatch` };
}

/** The line printed with a result: "paper size: --full (...): about X core-hours; Slurm recipe: ...". */
export function paperSizeLine(p: PaperSize): string {
  return `paper size: ${p.flag} (${p.sizes}): about ${coreHoursText(p.coreHours * 3600)} by the budget guard's cost model; Slurm recipe (${p.shards === 1 ? "one resumable job" : `${p.shards}-task array job, --shard i/${p.shards}`}): ${p.slurm}`;
}

/** The result of --slurm FILE: the file written, the estimate, the shards; nothing is run. */
export interface SlurmWritten { readonly slurm: string; readonly coreHours: number; readonly shards: number; readonly out: string; readonly script: string }

/** Write the recipe of `plan` to `file` (atomically) and say what was written. */
export function writeSlurm(file: string, plan: SlurmPlan): SlurmWritten {
  const script = slurmScript(plan);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeAtomic(path.resolve(file), script);
  return { slurm: file, coreHours: plan.coreSeconds / 3600, shards: slurmShards(plan), out: plan.out, script };
}

/** Human text of --slurm FILE. */
export const slurmWrittenText = (w: SlurmWritten): string =>
  `wrote ${w.slurm}: ${w.shards === 1 ? "one resumable job" : `a ${w.shards}-task Slurm array job`} into ${w.out}, about ${coreHoursText(w.coreHours * 3600)} in all; submit with: bash ${w.slurm}`;

/** index-lab arguments for the flags that were given: each `[flag, value]` with a defined value (true: a bare flag). */
export function argvOf(pairs: readonly (readonly [string, string | boolean | undefined])[]): string[] {
  return pairs.flatMap(([flag, v]) => (v === undefined || v === false ? [] : v === true ? [flag] : [flag, v]));
}

/** Options of a run that the recipe sets itself (dropped from the command line it copies): name and whether it takes a value. */
const RECIPE_OWNED: Record<string, boolean> = { "--out": true, "--out-dir": true, "--shard": true, "--workers": true, "--progress": true, "--slurm": true, "--resume": false, "--json": false, "--quiet": false, "--yes": false, "--debug": false };

/** The index-lab arguments of this process without the options the recipe sets (--out, --shard, --slurm, ...). */
export function recipeArgv(argv: readonly string[] = process.argv.slice(2)): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [name, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), true] : [a, false];
    if (name in RECIPE_OWNED) { if (RECIPE_OWNED[name] && !inline) i++; continue; }
    out.push(a);
  }
  return out;
}
