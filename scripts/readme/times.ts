/**
 * Write the times measured by `npm run bench -- readme` into README.md: the `long:` field of every example that
 * is marked long or took longer than LONG_CPU_SECONDS, and the table between the readme-times markers.
 * Run by the bench; alone: `node dist/scripts/readme/times.js runs/bench-readme.json`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readmeExamples, shellWords } from "./examples.js";

/** One measured example. */
export interface ExampleTiming {
  readonly line: number;
  readonly command: string;
  readonly wallSeconds: number;
  /** user + system CPU seconds of the process and its threads (null when /usr/bin/time is missing). */
  readonly cpuSeconds: number | null;
  readonly exit: number | null;
  readonly documentedExit: number;
}

/** What the measurements ran on. */
export interface TimingRun { readonly date: string; readonly cores: number; readonly loadAverage: readonly number[]; readonly node: string; readonly timings: readonly ExampleTiming[] }

/** An example above this many CPU seconds is marked long (the README test then runs it with its `test:` flags). */
export const LONG_CPU_SECONDS = 5;

/** "1 min 12 s", "8.4 s". */
export function duration(s: number): string {
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60), r = Math.round(s - 60 * m);
  return r === 60 ? `${m + 1} min` : `${m} min${r ? ` ${r} s` : ""}`;
}

const timeText = (t: ExampleTiming) => `${t.cpuSeconds === null ? "" : `${duration(t.cpuSeconds)} CPU, `}${duration(t.wallSeconds)} wall`;

/**
 * The README with the measured times written in (pure: README text in, README text out): every example measured in
 * `run` (matched by its command) gets its `long:` field and a row of the table; examples not in `run` keep their
 * marker and have no row, so a complete run (`npm run bench -- readme`, not restricted) is what writes every time.
 */
export function withTimes(readme: string, run: TimingRun): string {
  // matched by the command's text, not its line: the README may have been edited since the measurement
  const byCommand = new Map(run.timings.map((t) => [t.command, t]));
  const lines = readme.split("\n");
  const examples = readmeExamples(readme);
  const rows: ExampleTiming[] = [];
  for (const e of examples) {
    const t = byCommand.get(e.command);
    if (!t) continue;
    rows.push({ ...t, line: e.line, documentedExit: e.exit });
    const long = e.long !== null || (t.cpuSeconds ?? t.wallSeconds) > LONG_CPU_SECONDS;
    if (!long) continue;
    const text = lines[e.line - 1]!;
    const { commentAt } = shellWords(text);
    const comment = text.slice(commentAt);
    const marker = /\[([^\]]*)\]\s*$/.exec(comment);
    const fields = marker ? marker[1]!.split(";").map((f) => f.trim()).filter((f) => f && !f.startsWith("long:")) : [];
    const exit = fields.filter((f) => f.startsWith("exit")), rest = fields.filter((f) => !f.startsWith("exit"));
    const newMarker = `[${[...exit, `long: ${timeText(t)}`, ...rest].join("; ")}]`;
    lines[e.line - 1] = marker
      ? `${text.slice(0, commentAt)}${comment.slice(0, marker.index)}${newMarker}`
      : `${text.slice(0, commentAt).trimEnd()}   # ${comment ? `${comment.replace(/^#\s*/, "")} ` : ""}${newMarker}`;
  }
  const table = [
    "<!-- readme-times:begin (written by `npm run bench -- readme`; do not edit by hand) -->",
    `Measured ${run.date} on ${run.cores} cores (Node ${run.node}), load average at the start ${run.loadAverage.map((x) => x.toFixed(1)).join(" / ")}: the machine was shared with other jobs, so wall times are upper bounds and CPU times (user + system, all threads) are the figure to compare. A sweep spreads over the cores, so its wall time on an idle 2-core machine is about CPU / 2.`,
    "",
    "| README line | example | CPU | wall | exit (documented) |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((t) => `| ${t.line} | ${t.command === "npx index-lab" ? "(no arguments)" : `\`${t.command.replace(/^npx index-lab\s*/, "").replace(/\|/g, "\\|").slice(0, 90)}\``} | ${t.cpuSeconds === null ? "n/a" : duration(t.cpuSeconds)} | ${duration(t.wallSeconds)} | ${t.exit ?? "killed"} (${t.documentedExit})${t.exit !== t.documentedExit ? " MISMATCH" : ""} |`),
    "<!-- readme-times:end -->",
  ].join("\n");
  const out = lines.join("\n");
  const re = /<!-- readme-times:begin[\s\S]*?<!-- readme-times:end -->/;
  return re.test(out) ? out.replace(re, table) : `${out.trimEnd()}\n\n## Measured times of the README examples\n\n${table}\n`;
}

/** Rewrite README.md at `readmePath` with the timings. */
export function writeReadmeTimes(readmePath: string, run: TimingRun): void {
  writeFileSync(readmePath, withTimes(readFileSync(readmePath, "utf8"), run));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) { process.stderr.write("usage: node dist/scripts/readme/times.js <bench-readme.json> [README.md]\n"); process.exit(2); }
  writeReadmeTimes(process.argv[3] ?? "README.md", JSON.parse(readFileSync(file, "utf8")) as TimingRun);
}
