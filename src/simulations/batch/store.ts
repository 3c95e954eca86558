/**
 * Resumable batch runs (issue #7: "long runs show progress and resume like the online-SGD sweeps"). A directory
 * holds a manifest of the configuration(s) (`batch.json`, written atomically: temporary file, fsync, rename) and
 * one JSON line per finished seed (`seeds.jsonl`, a single append + fsync per line). A killed run loses at most the
 * seed in flight; a torn last line is cut off when the file is reopened. On `resume`, finished seeds are read back
 * instead of recomputed. Each seed's data stream is derived from (master seed, replicate) only, so a resumed run is
 * bitwise identical to an uninterrupted one (floats are stored as JSON numbers, which round-trip exactly).
 *
 * The same durable files as the sweeps (src/io/durable.ts); the per-seed outcome is an opaque, encoded object owned
 * by the simulator.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../link/errors.js";
import { BatchManifestSchema, SeedLineSchema } from "./schema.js";
import { JsonLinesAppender, makeDirectory, readJsonLines, writeAtomic } from "../../io/durable.js";
import { acquireLock, type HeldLock } from "../../io/lock.js";

export const BATCH_MANIFEST = "batch.json";
export const BATCH_SEEDS = "seeds.jsonl";

/**
 * The manifest (`batch.json`) of a resumable batch-run directory: experiment, preset, every run with its full
 * configuration, and the tensor backend; a directory whose manifest differs is refused.
 */
export interface BatchManifest {
  readonly format: "index-lab-batch/1";
  /** "giant-step" or "batch-reuse". */
  readonly experiment: string;
  /** Preset name, or null for a single configuration. */
  readonly preset: string | null;
  /** Every run of the experiment with its full configuration (seeds and master seed included). */
  readonly runs: readonly { readonly tag: string; readonly config: unknown }[];
  /** Tensor backend the seeds were computed with (float32 results depend on it). */
  readonly backend: string;
}

export interface SeedLine { readonly tag: string; readonly replicate: number; readonly outcome: unknown }

/** Hooks a simulator calls per seed: outcomes already on disk, and a sink for newly finished ones. */
export interface SeedHooks<T> {
  readonly done?: ReadonlyMap<number, T>;
  readonly onSeed?: (replicate: number, outcome: T) => void;
}

/**
 * Encode a seed outcome as JSON-safe data: Float64Array -> {f64: [...]}, Float32Array -> {f32: [...]}, non-finite
 * numbers and -0 -> {num: "NaN" | "Infinity" | "-Infinity" | "-0"}. `decodeOutcome` is the exact inverse.
 */
export function encodeOutcome(v: unknown): unknown {
  // JSON numbers round-trip every finite double except the sign of zero
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) ? v : { num: Object.is(v, -0) ? "-0" : String(v) };
  if (v instanceof Float64Array) return { f64: Array.from(v, encodeOutcome) };
  if (v instanceof Float32Array) return { f32: Array.from(v, encodeOutcome) };
  if (Array.isArray(v)) return v.map(encodeOutcome);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeOutcome(x)]));
  return v;
}

export function decodeOutcome(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeOutcome);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === "num" && typeof o.num === "string") return Number(o.num);
    if (keys.length === 1 && keys[0] === "f64" && Array.isArray(o.f64)) return Float64Array.from(o.f64.map(decodeOutcome) as number[]);
    if (keys.length === 1 && keys[0] === "f32" && Array.isArray(o.f32)) return Float32Array.from(o.f32.map(decodeOutcome) as number[]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeOutcome(x)]));
  }
  return v;
}

/** Canonical JSON (object keys sorted) so that two equal configurations compare equal as strings. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * Complete lines of the seeds file, each validated (tag, replicate, outcome); a torn last line (killed mid-write) is
 * ignored and, with `repair`, cut off by bytes.
 * @throws InputError "FILE:LINE: reason" for a bad line.
 */
export function readSeedLines(file: string, repair = false): SeedLine[] {
  return readJsonLines<SeedLine>(file, repair, {
    parse: (x) => {
      const r = SeedLineSchema.safeParse(x);
      return r.success ? { ok: true, value: x as SeedLine } : { ok: false, reason: `not a seed record: ${r.error.issues.slice(0, 2).map((i) => `${i.path.join(".") || "(top level)"}: ${i.message}`).join("; ")}` };
    },
    error: (m) => new InputError(m),
  });
}

/**
 * Resumable store of a batch run (issue #7): the manifest and one fsync'd line per finished seed in `seeds.jsonl`;
 * `hooks(tag)` hands a simulator the seeds already on disk and records each new one as it finishes.
 */
export class BatchStore {
  private readonly lines: JsonLinesAppender;
  private readonly finished = new Map<string, Map<number, unknown>>();
  private constructor(readonly dir: string, readonly file: string, private readonly lock: HeldLock, tags: ReadonlySet<string>) {
    const raw = new Map<string, string>();
    for (const l of readSeedLines(file, true)) {
      const key = `${l.tag}#${l.replicate}`, text = canonical(l.outcome);
      if (!tags.has(l.tag)) throw new InputError(`${file}: seed ${key} belongs to no run of ${path.join(dir, BATCH_MANIFEST)}; the file was edited or mixed`);
      if (raw.has(key) && raw.get(key) !== text) throw new InputError(`${file}: seed ${key} appears twice with different results; the file was edited`);
      raw.set(key, text);
      if (!this.finished.has(l.tag)) this.finished.set(l.tag, new Map());
      this.finished.get(l.tag)!.set(l.replicate, decodeOutcome(l.outcome));
    }
    this.lines = new JsonLinesAppender(file);
  }

  /**
   * Open DIR for this experiment. A new or empty directory gets the manifest; a directory holding a different
   * configuration (or backend) is refused; one holding finished seeds of the same configuration needs `resume`.
   */
  static open(dir: string, manifest: BatchManifest, resume: boolean): BatchStore {
    makeDirectory(dir, (m) => new InputError(m));
    const mfile = path.join(dir, BATCH_MANIFEST), sfile = path.join(dir, BATCH_SEEDS);
    // one writer per directory: a second copy of the same run is refused, not run twice
    const lock = acquireLock(`${sfile}.lock`, `${manifest.experiment} run`, (m) => new InputError(m));
    try { return BatchStore.openLocked(dir, manifest, resume, mfile, sfile, lock); } catch (e) { lock.release(); throw e; }
  }

  private static openLocked(dir: string, manifest: BatchManifest, resume: boolean, mfile: string, sfile: string, lock: HeldLock): BatchStore {
    if (fs.existsSync(mfile)) {
      let old: BatchManifest;
      try { old = JSON.parse(fs.readFileSync(mfile, "utf8")) as BatchManifest; } catch {
        throw new InputError(`${mfile} is not an index-lab batch manifest`);
      }
      const valid = BatchManifestSchema.safeParse(old);
      if (!valid.success) throw new InputError(`${mfile} is not an index-lab batch manifest (${valid.error.issues[0]?.path.join(".") || "(top level)"}: ${valid.error.issues[0]?.message})`);
      const what = (m: BatchManifest) => canonical({ experiment: m.experiment, preset: m.preset, runs: m.runs });
      if (what(old) !== what(manifest)) {
        throw new InputError(`${dir} holds a different ${old.experiment} run (${old.preset ? `preset ${old.preset}` : "configuration"}: other target, sizes, seeds or options); use another --out directory`);
      }
      if (old.backend !== manifest.backend) {
        throw new InputError(`${dir} was computed with backend ${old.backend}; pass --backend ${old.backend} to continue it (results depend on the backend's float32 rounding)`);
      }
      if (readSeedLines(sfile).length > 0 && !resume) {
        throw new InputError(`${dir} already holds finished seeds of this run; pass --resume to continue it (finished seeds are not recomputed)`);
      }
    } else {
      writeAtomic(mfile, `${JSON.stringify(manifest, null, 2)}\n`);
    }
    return new BatchStore(dir, sfile, lock, new Set(manifest.runs.map((r) => r.tag)));
  }

  /** Finished seeds of one run (decoded outcomes by replicate). */
  done<T>(tag: string): Map<number, T> {
    return new Map(this.finished.get(tag) ?? []) as Map<number, T>;
  }

  /** Append one finished seed (one line, fsync'd). */
  record(tag: string, replicate: number, outcome: unknown): void {
    this.lines.append({ tag, replicate, outcome: encodeOutcome(outcome) });
    if (!this.finished.has(tag)) this.finished.set(tag, new Map());
    this.finished.get(tag)!.set(replicate, outcome);
  }

  hooks<T>(tag: string): SeedHooks<T> {
    return { done: this.done<T>(tag), onSeed: (rep, o) => this.record(tag, rep, o) };
  }

  /** Close the seeds file and release the writer lock. */
  close(): void { this.lines.close(); this.lock.release(); }
}
