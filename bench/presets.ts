/**
 * `npm run bench -- presets`: every preset's default run (the presets listed by `simulate giant-step --help`,
 * `simulate batch-reuse --help`, the three regime experiments, and `simulate threshold` at its defaults), each as
 * written by a user, in a fresh directory: wall time, CPU time (user + system of the process and its threads, by
 * /usr/bin/time), exit code, and the cost model's estimate before the run (the `costTotal` of the first
 * `--progress json` line, estimated core-seconds). Writes reports/readme-timings.md and the figures as reports/readme-timings.json (test/batch/cost.test.ts
 * compares the batch cost model with them).
 * `PRESETS_BENCH_ONLY=notebook,he3` restricts the run (no report written).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GIANT_STEP_PRESETS, BATCH_REUSE_PRESETS } from "../src/simulations/batch/presets.js";
import { duration } from "../scripts/readme/times.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/src/cli/main.js");

/** One measured preset run. */
export interface PresetTiming {
  readonly command: string;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly exit: number | null;
  /** The cost model's estimate of the run before it ran, in core-seconds (null: the command printed none). */
  readonly estimateCoreSeconds: number | null;
  /** The core-hours of the paper-size run (--full) the command printed on its paper-size line, if any. */
  readonly fullRun: string | null;
}

/** The default run of every preset, as argv after `index-lab`. */
export function presetCommands(): string[][] {
  return [
    ...GIANT_STEP_PRESETS.map((p) => ["simulate", "giant-step", "--preset", p.name]),
    ...BATCH_REUSE_PRESETS.map((p) => ["simulate", "batch-reuse", "--preset", p.name]),
    ["simulate", "lr-transition", "--preset"],
    ["simulate", "two-timescale", "--preset"],
    ["simulate", "feature-strength", "--preset"],
    ["simulate", "threshold", "--link", "z^2"],
    ["simulate", "threshold", "--link", "z^2", "--method", "spectral"],
  ];
}

function run(args: readonly string[]): PresetTiming {
  const dir = mkdtempSync(path.join(tmpdir(), "index-lab-bench-presets-"));
  try {
    const timeFile = path.join(dir, ".time");
    const t0 = performance.now();
    const r = spawnSync("/usr/bin/time", ["-f", "%U %S", "-o", timeFile, process.execPath, cli, ...args, "--progress", "json"], { cwd: dir, encoding: "utf8", maxBuffer: 256 << 20 });
    const wallSeconds = (performance.now() - t0) / 1000;
    const [u, s] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    const first = r.stderr.split("\n").find((l) => l.startsWith("{") && l.includes("\"costTotal\""));
    const line = first ? (JSON.parse(first) as { costTotal: number; costUnit?: string }) : null;
    // only an estimate in core-seconds compares with the CPU time (threshold weights its runs by multiply-adds)
    const estimate = line && line.costUnit === "estimated core-seconds" ? line : null;
    const full = /(?:paper-size run|cluster run)[^\n]*?about ([\d.]+ (?:core-hours?|core-minutes?|core-seconds?|CPU-\w+))/.exec(r.stdout)?.[1] ?? null;
    return { command: `index-lab ${args.join(" ")}`, wallSeconds, cpuSeconds: u! + s!, exit: r.status, estimateCoreSeconds: estimate?.costTotal ?? null, fullRun: full };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** The markdown table of a run (pure). */
export function presetsMarkdown(meta: { date: string; cores: number; cpu: string; load: readonly number[]; node: string }, rows: readonly PresetTiming[]): string {
  const ratio = (t: PresetTiming) => (t.estimateCoreSeconds ? (t.cpuSeconds / t.estimateCoreSeconds).toFixed(2) : "n/a");
  return [
    "# Measured times of every preset's default run",
    "",
    "<!-- written by `npm run bench -- presets` (bench/presets.ts); do not edit by hand -->",
    "",
    `Measured ${meta.date} on ${meta.cores} cores (${meta.cpu}), Node ${meta.node}, load average at the start ${meta.load.map((x) => x.toFixed(1)).join(" / ")}.`,
    "The machine was shared with other jobs, so wall times are upper bounds; CPU time (user + system, all threads, by",
    "/usr/bin/time) is the figure to compare. A run that spreads over the cores takes about CPU / 2 of wall time on an",
    "idle 2-core machine, a single-threaded one about its CPU time. `estimate` is the cost model's figure before the run",
    "(estimated core-seconds, the `costTotal` of the first `--progress json` line: the budget guard's and the ETA's",
    "weights); for giant-step / batch-reuse presets it counts the simulated seeds, not the d = infinity predictions.",
    "",
    "| command | wall | CPU | exit | estimate (core-s) | CPU / estimate | <= 3 min CPU |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((t) => `| \`${t.command}\` | ${duration(t.wallSeconds)} | ${duration(t.cpuSeconds)} | ${t.exit ?? "killed"} | ${t.estimateCoreSeconds === null ? "n/a" : t.estimateCoreSeconds.toFixed(1)} | ${ratio(t)} | ${t.cpuSeconds <= 180 ? "yes" : "NO"} |`),
    "",
    "Exit codes (README, Exit codes): 0 every verdict pass or consistent, 1 some verdict fail or inconsistent, 3 some",
    "verdict inconclusive, 2 bad input.",
    "",
  ].join("\n");
}

export async function benchPresets(): Promise<string> {
  if (!existsSync("/usr/bin/time")) return "needs /usr/bin/time (GNU time) for the CPU times";
  const only = process.env.PRESETS_BENCH_ONLY?.split(",");
  const commands = presetCommands().filter((a) => !only || only.some((o) => a.includes(o)));
  const meta = { date: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`, cores: availableParallelism(), cpu: cpus()[0]?.model ?? "unknown CPU", load: loadavg(), node: process.version };
  const rows: PresetTiming[] = [];
  for (const args of commands) {
    const t = run(args);
    rows.push(t);
    process.stderr.write(`${t.command}: ${duration(t.wallSeconds)} wall, ${duration(t.cpuSeconds)} CPU, exit ${t.exit}, estimate ${t.estimateCoreSeconds?.toFixed(1) ?? "n/a"} core-s\n`);
  }
  const md = presetsMarkdown(meta, rows);
  if (!only) {
    mkdirSync(path.join(root, "runs"), { recursive: true });
    writeFileSync(path.join(root, "reports/readme-timings.json"), `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
    writeFileSync(path.join(root, "reports/readme-timings.md"), md);
  }
  return `${md}${only ? "\n(restricted run: nothing written)" : "\nwritten to reports/readme-timings.md and reports/readme-timings.json"}`;
}
