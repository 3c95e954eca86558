/**
 * The shell examples of README.md as data, for the README test (test/readme/), `npm run bench -- readme` and the
 * script that writes the measured times back (scripts/readme/times.ts).
 *
 * An example is a line `npx index-lab ...` in a fenced block that is not TypeScript. Its trailing comment may carry
 * a marker in brackets, fields separated by ';':
 *   exit N            the documented exit code (default 0; README "Exit codes")
 *   long: TEXT        the measured time (written by scripts/readme/times.ts from `npm run bench -- readme`)
 *   test: FLAGS       flags the README test substitutes to scale a long example down (only with `long`)
 *   test exit: N      the exit code of the scaled-down run, when it differs; `test exit: verdict` accepts any verdict
 *                     code (0, 1 or 3: a scaled-down run is a smoke test of the command, its verdict is not the
 *                     claim's; the full-size code is checked by `npm run bench -- readme`)
 * A fenced block preceded by `<!-- readme-test: skip (why) -->` is not run (e.g. a Slurm script template).
 * Examples of one block run in order in one fresh directory (a `merge` reads what the `verify` before it wrote).
 */

/** One README example: where it is, its argv after `npx index-lab`, and its marker. */
export interface ReadmeExample {
  /** 1-based line in README.md. */
  readonly line: number;
  /** Index of its fenced block (examples of a block share a directory). */
  readonly block: number;
  /** The command as written, without the trailing comment. */
  readonly command: string;
  /** Arguments after `npx index-lab`. */
  readonly args: readonly string[];
  readonly exit: number;
  /** The stated time of a long example (null: not marked long). */
  readonly long: string | null;
  /** Flags the README test substitutes (long examples only). */
  readonly testFlags: readonly string[];
  /** Exit codes the README test accepts for the (scaled) run. */
  readonly testExit: readonly number[];
}

/** Split a shell line into words (double and single quotes, no expansion), the trailing comment and where it starts. */
export function shellWords(line: string): { words: string[]; comment: string; commentAt: number } {
  const words: string[] = [];
  let cur = "", inWord = false, quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = null; else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") { quote = ch; inWord = true; continue; }
    if (ch === "#" && !inWord) return { words, comment: line.slice(i + 1).trim(), commentAt: i };
    if (/\s/.test(ch)) { if (inWord) { words.push(cur); cur = ""; inWord = false; } continue; }
    cur += ch; inWord = true;
  }
  if (quote) throw new Error(`unterminated quote in README line: ${line}`);
  if (inWord) words.push(cur);
  return { words, comment: "", commentAt: line.length };
}

function parseMarker(comment: string, where: string): { exit: number; long: string | null; testFlags: string[]; testExit: number[] | null } {
  const m = /\[([^\]]*)\]\s*$/.exec(comment);
  const out = { exit: 0, long: null as string | null, testFlags: [] as string[], testExit: null as number[] | null };
  if (!m) return out;
  for (const field of m[1]!.split(";").map((f) => f.trim()).filter(Boolean)) {
    let g: RegExpExecArray | null;
    if ((g = /^exit\s+(\d+)$/.exec(field))) out.exit = Number(g[1]);
    else if ((g = /^test exit:\s*(\d+|verdict)$/.exec(field))) out.testExit = g[1] === "verdict" ? [0, 1, 3] : [Number(g[1])];
    else if ((g = /^long:\s*(.+)$/.exec(field))) out.long = g[1]!.trim();
    else if ((g = /^test:\s*(.+)$/.exec(field))) out.testFlags = shellWords(g[1]!).words;
    else throw new Error(`${where}: unknown README marker field '${field}' (exit N; long: TIME; test: FLAGS; test exit: N)`);
  }
  if (out.testFlags.length && out.long === null) throw new Error(`${where}: 'test:' flags are allowed only on an example marked 'long'`);
  return out;
}

/** Every runnable shell example of a README, in order. */
export function readmeExamples(readme: string): ReadmeExample[] {
  const lines = readme.split("\n");
  const out: ReadmeExample[] = [];
  let fence: { lang: string; skip: boolean } | null = null, block = -1, skipNext = false;
  lines.forEach((text, i) => {
    const f = /^```\s*([\w-]*)\s*$/.exec(text);
    if (f) {
      if (fence) fence = null;
      else { fence = { lang: f[1]!, skip: skipNext }; block++; skipNext = false; }
      return;
    }
    if (!fence) {
      if (/<!--\s*readme-test:\s*skip\b/.test(text)) skipNext = true;
      else if (text.trim()) skipNext = false;
      return;
    }
    if (fence.skip || !["", "sh", "bash", "shell", "console"].includes(fence.lang)) return;
    const t = text.trim();
    if (!t.startsWith("npx index-lab")) return;
    const where = `README.md:${i + 1}`;
    const { words, comment, commentAt } = shellWords(t);
    const marker = parseMarker(comment, where);
    out.push({
      line: i + 1, block, command: t.slice(0, commentAt).trim(),
      args: words.slice(2), exit: marker.exit, long: marker.long, testFlags: marker.testFlags, testExit: marker.testExit ?? [marker.exit],
    });
  });
  return out;
}

/**
 * The argv the README test runs: the example's, with each `--flag [value]` of `testFlags` replacing the same flag
 * (or appended). A flag is followed by its value unless the next word is another flag.
 */
export function scaledArgs(args: readonly string[], testFlags: readonly string[]): string[] {
  const result = [...args];
  for (let i = 0; i < testFlags.length; i++) {
    const flag = testFlags[i]!;
    const value = testFlags[i + 1] !== undefined && !testFlags[i + 1]!.startsWith("--") ? testFlags[++i]! : null;
    const at = result.indexOf(flag);
    if (at < 0) { result.push(flag, ...(value === null ? [] : [value])); continue; }
    const hasValue = result[at + 1] !== undefined && !result[at + 1]!.startsWith("--");
    result.splice(at, 1 + (hasValue ? 1 : 0), flag, ...(value === null ? [] : [value]));
  }
  return result;
}

/** The command an example runs (`analyze`, `simulate online-sgd`, ...), to look up its documented JSON keys. */
export function commandOf(args: readonly string[]): string {
  return args[0] === "simulate" ? `simulate ${args[1]}` : args[0] ?? "";
}

/**
 * The JSON keys the README documents per command (dotted paths; `[]` = every element of an array). The README
 * test asserts each in the output of every `--json` example, and that the README's section names each key.
 */
export const DOCUMENTED_JSON_KEYS: Record<string, readonly string[]> = {
  analyze: ["link", "variables", "parity", "hermite.convention", "hermite.coefficients", "hermite.exact", "hermite.errorBounds", "hermite.parsevalResidual", "informationExponent"],
  predict: ["predictions[].algorithm", "predictions[].quantity", "predictions[].scaling", "predictions[].claimId", "predictions[].citation", "predictions[].status", "predictions[].applies", "predictions[].reason"],
  "simulate online-sgd": ["engine", "backend", "config", "runs[].seed", "runs[].escapeStep", "runs[].censored", "runs[].diverged", "runs[].finalOverlap", "summary.median", "summary.ci95", "summary.censored", "summary.diverged"],
  verify: ["link", "engine", "backend", "complete", "runs.done", "runs.expected", "prediction", "report.verdict.verdict", "report.verdict.reason"],
  "simulate giant-step": ["config", "backend", "steps", "summary"],
  "simulate batch-reuse": ["config", "backend", "steps"],
  report: ["out", "files", "failedSections", "verdicts"],
  check: ["results[].id", "results[].status", "results[].detail"],
  doctor: ["node", "cores", "backends[].name", "backends[].available", "browser"],
};

/** The value at a dotted path (`a.b`, `a[].b`: every element), or the paths that are missing. */
export function missingKeys(value: unknown, paths: readonly string[]): string[] {
  const missing: string[] = [];
  const walk = (v: unknown, parts: string[], shown: string): void => {
    if (!parts.length) return;
    const [head, ...rest] = parts;
    const array = head!.endsWith("[]");
    const key = array ? head!.slice(0, -2) : head!;
    if (v === null || typeof v !== "object" || !(key in (v as object))) { missing.push(`${shown}${key}`); return; }
    const next = (v as Record<string, unknown>)[key];
    if (array) {
      if (!Array.isArray(next)) { missing.push(`${shown}${key} (not an array)`); return; }
      next.forEach((e, i) => walk(e, rest, `${shown}${key}[${i}].`));
    } else walk(next, rest, `${shown}${key}.`);
  };
  const roots = Array.isArray(value) ? value : [value];
  for (const root of roots) for (const p of paths) walk(root, p.split("."), "");
  return [...new Set(missing)];
}
