/**
 * `npm run bench -- readme`: run every shell example of README.md as written (full size), each block in a fresh
 * directory, and measure its wall and CPU time (user + system of the process and its worker threads, by
 * /usr/bin/time) and exit code; write the figures to runs/bench-readme.json and into README.md
 * (scripts/readme/times.ts). `README_BENCH_LINES=120,131` restricts the run to examples at those README lines
 * (their blocks' earlier examples run first, untimed, when a later one needs them); the other examples keep the
 * figures of the last run in runs/bench-readme.json (matched by command), so the table always lists every example
 * measured, and none is stated by hand.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readmeExamples } from "../scripts/readme/examples.js";
import { writeReadmeTimes, duration, type ExampleTiming, type TimingRun } from "../scripts/readme/times.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(root, "dist/src/cli/main.js");
const TIME = "/usr/bin/time";

function measure(args: readonly string[], cwd: string): { wallSeconds: number; cpuSeconds: number | null; exit: number | null } {
  const t0 = performance.now();
  if (!existsSync(TIME)) {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: "ignore" });
    return { wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: null, exit: r.status };
  }
  const file = path.join(cwd, ".time");
  const r = spawnSync(TIME, ["-f", "%U %S", "-o", file, process.execPath, cli, ...args], { cwd, stdio: "ignore" });
  const wallSeconds = (performance.now() - t0) / 1000;
  const [u, s] = readFileSync(file, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  rmSync(file);
  return { wallSeconds, cpuSeconds: u! + s!, exit: r.status };
}

export async function benchReadme(): Promise<string> {
  const readmePath = path.join(root, "README.md");
  const examples = readmeExamples(readFileSync(readmePath, "utf8"));
  const only = process.env.README_BENCH_LINES?.split(",").map(Number);
  const wanted = only ? examples.filter((e) => only.includes(e.line)) : examples;
  const loadAverage = loadavg();
  const timings: ExampleTiming[] = [];
  for (const block of [...new Set(wanted.map((e) => e.block))]) {
    const dir = mkdtempSync(path.join(tmpdir(), "index-lab-bench-readme-"));
    try {
      for (const e of examples.filter((x) => x.block === block)) {
        if (only && !only.includes(e.line) && !wanted.some((w) => w.block === block && w.line > e.line)) continue;
        const m = measure(e.args, dir);
        if (only && !only.includes(e.line)) continue;
        timings.push({ line: e.line, command: e.command, ...m, documentedExit: e.exit });
        process.stderr.write(`README.md:${e.line} ${e.command.slice(0, 80)}: ${m.cpuSeconds === null ? "" : `${duration(m.cpuSeconds)} CPU, `}${duration(m.wallSeconds)} wall, exit ${m.exit}\n`);
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }
  // a restricted run keeps the earlier run's figures for the examples it did not measure
  const previous = path.join(root, "runs/bench-readme.json");
  const kept = only && existsSync(previous) ? (JSON.parse(readFileSync(previous, "utf8")) as TimingRun).timings.filter((t) => !timings.some((x) => x.command === t.command)) : [];
  const all = [...timings, ...kept].sort((a, b) => (examples.find((e) => e.command === a.command)?.line ?? 0) - (examples.find((e) => e.command === b.command)?.line ?? 0));
  const run: TimingRun = { date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC", cores: availableParallelism(), loadAverage, node: process.version, timings: all };
  mkdirSync(path.join(root, "runs"), { recursive: true });
  writeFileSync(path.join(root, "runs/bench-readme.json"), `${JSON.stringify(run, null, 2)}\n`);
  writeReadmeTimes(readmePath, run);
  const mismatches = timings.filter((t) => t.exit !== t.documentedExit);
  return [
    ...timings.map((t) => `${String(t.line).padStart(4)}  ${t.command.slice(0, 90).padEnd(90)} ${t.cpuSeconds === null ? "" : `${duration(t.cpuSeconds).padStart(10)} CPU`} ${duration(t.wallSeconds).padStart(10)} wall  exit ${t.exit} (README: ${t.documentedExit})`),
    `README.md updated; raw figures in runs/bench-readme.json${mismatches.length ? `; EXIT CODE MISMATCH at README lines ${mismatches.map((t) => t.line).join(", ")}` : ""}`,
  ].join("\n");
}
