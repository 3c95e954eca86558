/**
 * Writing a rendered report to a folder: index.html, report.md, report.json and the figures (SVG, PDF, CSV; report.tex
 * with --latex), atomically, with a
 * manifest of the files index-lab wrote (`.index-lab-report.json`). `--force` replaces a folder only when everything
 * in it is listed in that manifest: a folder holding anything else (a thesis, a subfolder, the working directory) is
 * refused with the list of what would not be touched, before anything is deleted.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { InputError } from "../link/errors.js";
import type { RenderedReport } from "./render.js";
import { schemaId } from "../io/schemaId.js";
import { makeDirectory } from "../io/durable.js";

/** Name of the manifest listing the files index-lab wrote into a report folder. */
export const REPORT_MANIFEST = ".index-lab-report.json";

function filesWritten(target: string): Set<string> {
  try {
    const m = JSON.parse(readFileSync(join(target, REPORT_MANIFEST), "utf8")) as { format?: string; files?: unknown };
    if (m.format === "index-lab-report/1" && Array.isArray(m.files) && m.files.every((f) => typeof f === "string")) return new Set(m.files as string[]);
  } catch { /* no manifest, or not ours: nothing in the folder is known to be ours */ }
  return new Set();
}

/** One line of what a refused folder holds: at most `max` names, then a count. */
function listNames(names: readonly string[], max = 8): string {
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

/**
 * Check that `outDir` can receive a report: it does not exist (and its parent is a folder or can be created), or
 * `force` is set and it is a folder holding only files of an earlier index-lab report (listed in its manifest).
 * @throws InputError with one line otherwise (a file, the working directory, foreign files, an unusable path).
 */
export function checkReportTarget(outDir: string, force = false): void {
  const target = resolve(outDir);
  let stat;
  try { stat = lstatSync(target); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    throw new InputError(`--out '${outDir}' cannot be used: ${code === "ENOTDIR" ? "a parent of it is a file" : code === "ENAMETOOLONG" ? "the name is too long" : (e as Error).message}`);
  }
  if (!stat.isDirectory()) throw new InputError(`--out '${outDir}' exists and is not a folder (${stat.isSymbolicLink() ? "a symbolic link" : stat.isFile() ? "a file" : "a device or special file"}); choose another --out`);
  if (!force) throw new InputError(`output folder '${outDir}' exists: choose another --out or pass --force to overwrite it`);
  const cwd = process.cwd();
  if (cwd === target || cwd.startsWith(target + sep)) throw new InputError(`--out '${outDir}' is the working directory or contains it; --force will not replace it`);
  const ours = filesWritten(target);
  const foreign = readdirSync(target, { withFileTypes: true })
    .filter((e) => e.name !== REPORT_MANIFEST && !(e.isFile() && ours.has(e.name)))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
  if (foreign.length) {
    throw new InputError(`--force will not replace '${outDir}': it holds files index-lab did not write (${listNames(foreign)})`);
  }
}

/**
 * Write the report into `outDir` (a fresh folder, swapped in whole: a reader never sees a half-written report),
 * with its manifest; returns the paths written.
 * @throws InputError when {@link checkReportTarget} refuses the folder or the path cannot be written.
 */
export function writeReport(outDir: string, rendered: RenderedReport, data: unknown, options: { force?: boolean } = {}): string[] {
  const target = resolve(outDir);
  checkReportTarget(outDir, options.force);
  const files: [string, string | Uint8Array][] = [
    ["index.html", rendered.html],
    ["report.md", rendered.markdown],
    ["report.json", `${JSON.stringify(data !== null && typeof data === "object" && !Array.isArray(data) ? { $schema: schemaId("report"), ...data } : data, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`],
    ...rendered.images,
  ];
  for (const [name] of files) {
    if (!name || name.includes("/") || name.includes("\\") || name.startsWith(".")) throw new Error(`report file name '${name}' is not a plain file name`);
  }
  const staging = `${target}.tmp-${process.pid}`;
  try {
    makeDirectory(dirname(target), (m) => new InputError(m));
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging); // not recursive: its parent exists (and a recursive mkdir loops on /proc/x)
    for (const [name, content] of files) writeFileSync(join(staging, name), content);
    writeFileSync(join(staging, REPORT_MANIFEST), `${JSON.stringify({ format: "index-lab-report/1", files: files.map(([n]) => n) }, null, 2)}\n`);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string") throw new InputError(`--out '${outDir}' cannot be written (${code}: ${relative(process.cwd(), (e as NodeJS.ErrnoException).path ?? target) || "."})`);
    throw e;
  }
  // swap in the finished folder; checked again just before: nothing but our own files is ever deleted
  if (existsSync(target)) { checkReportTarget(outDir, options.force); rmSync(target, { recursive: true, force: true }); }
  renameSync(staging, target);
  return files.map(([name]) => join(target, name));
}
