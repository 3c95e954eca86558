/**
 * `npm run bench -- readme`: run every shell example of README.md as written (full size), each block in a fresh
 * directory, and measure its wall and CPU time (user + system of the process and its worker threads, by
 * /usr/bin/time) and exit code; write the figures to runs/bench-readme.json and into README.md
 * (scripts/readme/times.ts). `README_BENCH_LINES=120,131` restricts the run to examples at those README lines
 * (their blocks' earlier examples run first, untimed, when a later one needs them); the other examples keep the
 * figures of the last run in runs/bench-readme.json (matched by command), so the table always lists every example
 * measured, and none is stated by hand. `npm run bench -- readme --only <pattern>` (or README_BENCH_ONLY) restricts it
 * to the examples whose command contains the pattern ("/re/": a regular expression); without runs/bench-readme.json
 * (runs/ is not committed) the other examples keep the figures of the README's own table.
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

/** The --only pattern after `readme` on the command line, or README_BENCH_ONLY; "/re/" is a regular expression. */
function onlyPattern(): string | RegExp | null {
  const i = process.argv.indexOf("--only");
  const raw = i >= 0 ? process.argv[i + 1] : process.env.README_BENCH_ONLY;
  if (raw === undefined || raw === "") return null;
  const re = /^\/(.*)\/([a-z]*)$/.exec(raw);
  return re ? new RegExp(re[1]!, re[2]) : raw;
}

/** "1 min 12 s", "8.4 s", "5 min" back to seconds (the inverse of `duration`, to its rounding). */
export function parseDuration(text: string): number | null {
  const m = /^(?:(\d+) min)?\s*(?:([\d.]+) s)?$/.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  return 60 * Number(m[1] ?? 0) + Number(m[2] ?? 0);
}

/** The figures of the README's measured-times table, matched back to the examples (by the command text shown). */
export function timingsInReadme(readme: string): ExampleTiming[] {
  const examples = readmeExamples(readme);
  const shown = (c: string) => (c === "npx index-lab" ? "(no arguments)" : `\`${c.replace(/^npx index-lab\s*/, "").replace(/\|/g, "\\|").slice(0, 90)}\``);
  const out: ExampleTiming[] = [];
  for (const row of readme.split("\n")) {
    const cells = /^\| (\d+) \| (.*) \| ([^|]+) \| ([^|]+) \| (\d+|killed) \((\d+)\)/.exec(row);
    if (!cells) continue;
    // a command shown twice in the README (the same example in two sections) is matched to the nearer line
    const e = examples.filter((x) => shown(x.command) === cells[2]).sort((a, b) => Math.abs(a.line - Number(cells[1])) - Math.abs(b.line - Number(cells[1])))[0];
    const wall = parseDuration(cells[4]!);
    if (!e || wall === null) continue;
    out.push({ line: e.line, command: e.command, wallSeconds: wall, cpuSeconds: parseDuration(cells[3]!), exit: cells[5] === "killed" ? null : Number(cells[5]), documentedExit: e.exit });
  }
  return out;
}

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
  const lines = process.env.README_BENCH_LINES?.split(",").map(Number);
  // `npm run bench -- readme --only <pattern>` (or README_BENCH_ONLY=<pattern>): the examples whose command contains
  // the pattern (a substring, or /regex/); robust to README edits, unlike line numbers
  const pattern = onlyPattern();
  const matches = (command: string) => pattern === null || (pattern instanceof RegExp ? pattern.test(command) : command.includes(pattern));
  const only = lines || pattern !== null ? examples.filter((e) => (!lines || lines.includes(e.line)) && matches(e.command)).map((e) => e.line) : undefined;
  if (only && only.length === 0) return `no README example matches${pattern !== null ? ` --only ${String(pattern)}` : ""}${lines ? ` README_BENCH_LINES=${lines.join(",")}` : ""}: nothing re-timed, README.md unchanged`;
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
  // (runs/ is not committed: without the earlier run's file the figures come back from the README's own table)
  const earlier = !only ? [] : existsSync(previous) ? (JSON.parse(readFileSync(previous, "utf8")) as TimingRun).timings : timingsInReadme(readFileSync(readmePath, "utf8"));
  const kept = earlier.filter((t) => !timings.some((x) => x.command === t.command));
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
