/**
 * Files that survive a kill -9: whole files written atomically (temporary file, fsync, rename) and append-only JSON
 * lines, one fsync'd line per record, whose reader ignores a torn last line (and can cut it off before appending).
 * Used by the sweep store (src/sweeps/store.ts) and the resumable batch runs (src/simulations/batch/store.ts).
 *
 * Every complete line read back is checked: it must be valid UTF-8, parse as JSON and pass the caller's `parse`
 * (a zod schema in practice); a bad line is refused with its line number, never skipped or "repaired". Only the bytes
 * after the last newline (a line torn by a kill in mid-write) are ignored, and the repair cuts the file at that byte
 * offset, whatever the encoding of what precedes it.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Replace `file` by `text` atomically: readers see the old or the new content, never a partial one. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  try { fs.writeSync(fd, text); fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  fs.renameSync(tmp, file);
}

/** How a JSON-lines reader checks records and reports a bad one. */
export interface JsonLinesCheck<T> {
  /** Validate one parsed line: return the record or a reason why it is not one. */
  readonly parse?: (value: unknown) => { ok: true; value: T } | { ok: false; reason: string };
  /** The error thrown for a bad line (the callers turn it into their user-facing error type). */
  readonly error?: (message: string) => Error;
}

const NEWLINE = 0x0a;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The records of every complete line of a JSON-lines file (none if it does not exist), with their 1-based line
 * numbers. A torn last line (no final newline: killed mid-write) is ignored and, with `repair`, cut off at its byte
 * offset. A complete line that is not UTF-8, not JSON or refused by `check.parse` throws `check.error`
 * ("FILE:LINE: reason"); blank lines are skipped.
 */
export function readJsonLinesNumbered<T>(file: string, repair = false, check: JsonLinesCheck<T> = {}): { line: number; record: T }[] {
  if (!fs.existsSync(file)) return [];
  const bytes = fs.readFileSync(file);
  const end = bytes.lastIndexOf(NEWLINE) + 1; // byte offset just past the last complete line
  if (repair && end < bytes.length) fs.truncateSync(file, end);
  const fail = (line: number, reason: string): never => {
    throw (check.error ?? ((m: string) => new Error(m)))(`${file}:${line}: ${reason}`);
  };
  const out: { line: number; record: T }[] = [];
  let start = 0;
  for (let line = 1; start < end; line++) {
    const stop = bytes.indexOf(NEWLINE, start);
    const raw = bytes.subarray(start, stop);
    start = stop + 1;
    let text: string;
    try { text = utf8.decode(raw); } catch { fail(line, "the line is not valid UTF-8 (the file is corrupted)"); }
    if (!text!.trim()) continue;
    let value: unknown;
    try { value = JSON.parse(text!); } catch { fail(line, "the line is not JSON (the file is corrupted or was edited)"); }
    if (!check.parse) { out.push({ line, record: value as T }); continue; }
    const r = check.parse(value);
    if (!r.ok) fail(line, r.reason);
    else out.push({ line, record: r.value });
  }
  return out;
}

/** The records of every complete line of a JSON-lines file: {@link readJsonLinesNumbered} without line numbers. */
export function readJsonLines<T>(file: string, repair = false, check: JsonLinesCheck<T> = {}): T[] {
  return readJsonLinesNumbered(file, repair, check).map((x) => x.record);
}

/** Appends records as complete JSON lines, each fsync'd; a torn last line is cut off (by bytes) when the file is opened. */
export class JsonLinesAppender {
  private readonly fd: number;
  constructor(readonly file: string) {
    cutTornLine(file);
    this.fd = fs.openSync(file, "a");
  }
  /** Append one record as one line with a single write, then fsync. */
  append(record: unknown): void {
    fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fs.fsyncSync(this.fd);
  }
  /** Close the file. */
  close(): void { fs.closeSync(this.fd); }
}

/** Cut the bytes after the last newline of `file` (a line torn by a kill in mid-write); no-op if there are none. */
export function cutTornLine(file: string): void {
  if (!fs.existsSync(file)) return;
  const bytes = fs.readFileSync(file);
  const end = bytes.lastIndexOf(NEWLINE) + 1;
  if (end < bytes.length) fs.truncateSync(file, end);
}

/** One-line explanations of the file-system errors a user-given path can cause. */
const PATH_PROBLEMS: Record<string, string> = {
  ENOTDIR: "a part of the path is a file, not a folder",
  ENAMETOOLONG: "the name is too long",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOENT: "the file system does not allow creating it",
  ELOOP: "too many symbolic links",
  ENOSPC: "no space left on the device",
};

/**
 * Create the folder `dir` and its missing parents, one component at a time (Node 20's recursive mkdir loops forever
 * on a path such as /proc/x, where mkdir fails with ENOENT under an existing parent). Returns nothing when `dir` is
 * (now) a folder.
 * @throws `error(message)` with one line naming the path when a component is a file or a device, or cannot be created.
 */
export function makeDirectory(dir: string, error: (message: string) => Error = (m) => new Error(m), what = "--out"): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let p = target;
  for (;;) {
    let stat: fs.Stats | null = null;
    try { stat = fs.statSync(p); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (code !== "ENOENT") throw error(`${what} '${dir}' cannot be used: ${PATH_PROBLEMS[code] ?? (e as Error).message.split("\n")[0]}`);
    }
    if (stat) {
      if (!stat.isDirectory()) {
        const kind = stat.isFile() ? "a file" : "a device or special file";
        throw error(p === target ? `${what} '${dir}' is ${kind}, not a folder` : `${what} '${dir}' cannot be used: ${p} is ${kind}, not a folder`);
      }
      break;
    }
    missing.push(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const m of missing.reverse()) {
    try { fs.mkdirSync(m); } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (code === "EEXIST" && fs.statSync(m).isDirectory()) continue; // created meanwhile by another writer
      throw error(`${what} '${dir}' cannot be created: ${PATH_PROBLEMS[code] ?? (e as Error).message.split("\n")[0]}`);
    }
  }
}
