/**
 * Files that survive a kill -9: whole files written atomically (temporary file, fsync, rename) and append-only JSON
 * lines, one fsync'd line per record, whose reader ignores a torn last line (and can cut it off before appending).
 * Used by the sweep store (src/sweeps/store.ts) and the resumable batch runs (src/simulations/batch/store.ts).
 */
import * as fs from "node:fs";

/** Replace `file` by `text` atomically: readers see the old or the new content, never a partial one. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  try { fs.writeSync(fd, text); fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  fs.renameSync(tmp, file);
}

/**
 * The records of every complete line of a JSON-lines file (none if it does not exist). A torn last line (killed
 * mid-write) is ignored and, with `repair`, cut off; a line that does not parse, or that `accept` refuses, is skipped
 * (its record will be recomputed).
 */
export function readJsonLines<T>(file: string, repair = false, accept: (x: unknown) => boolean = () => true): T[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, "utf8");
  const end = text.lastIndexOf("\n") + 1;
  if (repair && end < text.length) fs.truncateSync(file, Buffer.byteLength(text.slice(0, end), "utf8"));
  const out: T[] = [];
  for (const line of text.slice(0, end).split("\n")) {
    if (!line.trim()) continue;
    let record: unknown;
    try { record = JSON.parse(line); } catch { continue; }
    if (accept(record)) out.push(record as T);
  }
  return out;
}

/** Appends records as complete JSON lines, each fsync'd; a torn last line is cut off when the file is opened. */
export class JsonLinesAppender {
  private readonly fd: number;
  constructor(readonly file: string) {
    readJsonLines(file, true);
    this.fd = fs.openSync(file, "a");
  }
  append(record: unknown): void {
    fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
    fs.fsyncSync(this.fd);
  }
  close(): void { fs.closeSync(this.fd); }
}
