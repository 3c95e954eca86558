/**
 * Exclusive writer locks: one lock file per results file, holding the writer's PID, host and start time. A second
 * writer is refused; a lock left by a crashed writer (same host, PID no longer running) is recovered. The lock file
 * is created complete (written to a temporary file, then hard-linked into place, which fails atomically if the lock
 * exists), so a reader never sees a half-written lock.
 */
import * as fs from "node:fs";
import * as os from "node:os";

/** What a lock file records about its holder. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO time at which the lock was taken. */
  readonly since: string;
  /** What the holder is doing (e.g. the command line), for the refusal message. */
  readonly what: string;
}

/** A held lock: `release()` removes the lock file if it is still ours (idempotent). */
export interface HeldLock {
  readonly file: string;
  readonly owner: LockOwner;
  release(): void;
}

/** Whether process `pid` runs on this host (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === "EPERM"; }
}

function readOwner(file: string): LockOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, "utf8")) as LockOwner;
    return typeof o.pid === "number" && typeof o.host === "string" ? o : null;
  } catch { return null; }
}

const held = new Set<string>();
let exitHook = false;

/**
 * Take the exclusive lock `file` (e.g. `runs.jsonl.lock`). A lock held by a live process, or by a process on
 * another host (which cannot be checked from here), is refused with `error(message)`; a lock of a dead process on
 * this host, or an unreadable one, is stale and taken over. The lock is released by `release()` or at process exit.
 */
export function acquireLock(file: string, what: string, error: (message: string) => Error = (m) => new Error(m)): HeldLock {
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), what };
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(tmp, `${JSON.stringify(owner)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try { fs.linkSync(tmp, file); break; } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 3) throw e;
      }
      const other = readOwner(file);
      const live = other !== null && (other.host !== owner.host || processAlive(other.pid));
      if (live) {
        const where = other.host === owner.host ? `PID ${other.pid}` : `PID ${other.pid} on host ${other.host}`;
        throw error(`${file} is locked by another writer (${where}, since ${other.since}: ${other.what}); wait for it to finish${other.host === owner.host ? "" : ", or delete the lock if that process is gone"}`);
      }
      // stale: the writer died (kill -9, crash) without releasing; take it over
      try { fs.unlinkSync(file); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e; }
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  held.add(file);
  if (!exitHook) { exitHook = true; process.on("exit", () => { for (const f of held) releaseFile(f, process.pid); }); }
  return { file, owner, release: () => { if (held.delete(file)) releaseFile(file, owner.pid); } };
}

function releaseFile(file: string, pid: number): void {
  const o = readOwner(file);
  if (o && o.pid === pid && o.host === os.hostname()) fs.rmSync(file, { force: true });
}
