/**
 * `--progress auto|bar|json|lines|none`: how a long run reports its cost-weighted progress (src/sweeps/progress.ts).
 * bar: a cli-progress bar on stderr (the default when stderr is a terminal and the output is not --json); json: one
 * JSON object per update on stderr (schema `progress`, the last with event "final"); lines: a plain line per tenth of
 * the expected cost; none: nothing. stdout always carries only the result.
 */
import { SingleBar } from "cli-progress";
import { throwInput } from "./io.js";
import { formatSeconds } from "../experiments/budget.js";
import { schemaId } from "../io/schemaId.js";
import type { ProgressState } from "../sweeps/progress.js";

/** The progress modes a user may ask for. */
export const PROGRESS_MODES = ["auto", "bar", "json", "lines", "none"] as const;

/** A progress mode after `auto` is resolved. */
export type ProgressMode = Exclude<(typeof PROGRESS_MODES)[number], "auto">;

/** Help text of --progress. */
export const PROGRESS_HELP = "progress on stderr: auto (a bar with a cost-weighted ETA when stderr is a terminal), bar, json (one JSON line per update, schema index-lab/schemas/progress.schema.json), lines or none";

/**
 * Resolve --progress: an explicit mode wins; `auto` is nothing with --json or --quiet, a bar when stderr is a
 * terminal, else `fallback` (none for the sweep commands, lines for the regime experiments).
 */
export function progressMode(raw: string | undefined, flags: { json?: boolean; quiet?: boolean }, fallback: ProgressMode = "none"): ProgressMode {
  const mode = raw ?? "auto";
  if (!(PROGRESS_MODES as readonly string[]).includes(mode)) throwInput(`--progress must be one of ${PROGRESS_MODES.join(", ")}, got '${mode}'`);
  if (mode !== "auto") return mode as ProgressMode;
  if (flags.quiet || flags.json) return "none";
  return process.stderr.isTTY ? "bar" : fallback;
}

/** Where a run's progress goes: `update` with each new state, `finish` once at the end (the JSON mode's final line). */
export interface ProgressSink {
  readonly mode: ProgressMode;
  update(state: ProgressState): void;
  finish(): void;
}

const etaText = (s: ProgressState) => (s.etaSeconds === null ? "estimating" : formatSeconds(s.etaSeconds));

/** The one JSON object of a --progress json line. */
export function progressLine(event: "progress" | "final", task: string, costUnit: string, s: ProgressState): Record<string, unknown> {
  return {
    $schema: schemaId("progress"), event, task, runsDone: s.runsDone, runsTotal: s.runsTotal, costDone: s.costDone, costTotal: s.costTotal,
    costUnit, fraction: s.fraction, elapsedSeconds: s.elapsedSeconds, etaSeconds: s.etaSeconds,
  };
}

/** A sink for `task` whose costs are in `costUnit`, writing to `out` (stderr). */
export function progressSink(mode: ProgressMode, task: string, costUnit: string, out: NodeJS.WritableStream = process.stderr): ProgressSink {
  let last: ProgressState | null = null;
  if (mode === "json") {
    return {
      mode,
      update: (s) => { last = s; out.write(`${JSON.stringify(progressLine("progress", task, costUnit, s))}\n`); },
      finish: () => { if (last) out.write(`${JSON.stringify(progressLine("final", task, costUnit, last))}\n`); },
    };
  }
  if (mode === "lines") {
    let shown = -1;
    return {
      mode,
      update: (s) => {
        const tenth = Math.floor(10 * s.fraction);
        if (tenth === shown) return;
        shown = tenth;
        out.write(`  ${task}: ${s.runsDone}/${s.runsTotal} runs, ${(100 * s.fraction).toFixed(0)}% of the expected cost, ETA ${etaText(s)}\n`);
      },
      finish: () => {},
    };
  }
  if (mode === "bar") {
    // the bar's value is the per-mille of expected cost done; the ETA is ours (cost-weighted), not cli-progress's count-based one
    const bar = new SingleBar({ stream: out, format: `${task} [{bar}] {percentage}% of cost | runs {runs} | ETA {etaText}`, hideCursor: false });
    let started = false;
    return {
      mode,
      update: (s) => {
        const payload = { runs: `${s.runsDone}/${s.runsTotal}`, etaText: etaText(s) };
        const v = Math.round(1000 * s.fraction);
        if (!started) { bar.start(1000, v, payload); started = true; } else bar.update(v, payload);
      },
      finish: () => { if (started) bar.stop(); },
    };
  }
  return { mode, update: () => {}, finish: () => {} };
}
