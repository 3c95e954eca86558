/**
 * `export`: a run directory as long-format ("tidy") tables that `pandas.read_csv` reads into an analysis-ready frame.
 *
 * - `runs.csv`: one row per run (sweep directories: sweep.json + runs*.jsonl) or per seed (batch-run directories:
 *   batch.json + seeds.jsonl), with the configuration joined in (link, d, eta, engine, backend, ...), the seed
 *   (replicate) and master seed, and every scalar of the record or result (nested keys joined by dots).
 * - `series.csv`: one row per element of every numeric array of a result (trajectories per step, per-grid values):
 *   run identity, series name, index, value.
 * - `summary-<key>.csv`: one row per grid point for every array of objects at the top of summary.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../link/errors.js";
import { readManifest, readRuns, runsFiles, type Manifest } from "./store.js";
import { BATCH_MANIFEST, BATCH_SEEDS, decodeOutcome, readSeedLines } from "../simulations/batch/store.js";
import { BatchManifestSchema } from "../simulations/batch/schema.js";
import { buildProblem, type RunConfig } from "../simulations/config.js";

/** A cell of an exported table. */
export type Cell = string | number | boolean | null;

/** One long-format table: its file name, columns and rows. */
export interface Table { readonly name: string; readonly columns: string[]; readonly rows: Cell[][] }

/** What `exportTables` needs to know beyond the files: the backend that produced runs of an engine, if not recorded. */
export interface ExportOptions { readonly backendOf?: (engine: string) => string | undefined }

/** Columns put first, in this order, whenever a table has them. */
const LEADING = ["configId", "kind", "tag", "seed", "masterSeed", "link", "target", "activation", "d", "eta", "etaValue", "engine", "backend"];

/** Scalars of a nested object, keys joined by dots; numeric arrays go to `series`, other arrays become JSON text. */
function flatten(value: unknown, prefix: string, out: Record<string, Cell>, series?: Map<string, number[]>): void {
  if (value === null || value === undefined) { if (prefix) out[prefix] = null; return; }
  if (typeof value === "number") { out[prefix] = Number.isFinite(value) ? value : null; return; }
  if (typeof value === "string" || typeof value === "boolean") { out[prefix] = value; return; }
  if (ArrayBuffer.isView(value)) { flatten(Array.from(value as unknown as ArrayLike<number>), prefix, out, series); return; }
  if (Array.isArray(value)) {
    if (series && value.length > 0 && value.every((x) => typeof x === "number" || x === null)) { series.set(prefix, value.map((x) => (x === null ? NaN : x))); return; }
    // an array of numeric arrays (a matrix per step): one series per step, named prefix.t
    if (series && value.length > 0 && value.every((x) => Array.isArray(x) || ArrayBuffer.isView(x))) { value.forEach((x, t) => flatten(x, `${prefix}.${t}`, out, series)); return; }
    out[prefix] = JSON.stringify(value);
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out, series);
}

/** A table from row objects: the union of their keys, leading columns first. */
function table(name: string, rows: Record<string, Cell>[], leading: readonly string[] = LEADING): Table {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  const columns = [...leading.filter((c) => seen.has(c)), ...[...seen].filter((c) => !leading.includes(c))];
  return { name, columns, rows: rows.map((r) => columns.map((c) => r[c] ?? null)) };
}

function sweepTables(dir: string, m: Manifest, o: ExportOptions): { runs: Record<string, Cell>[]; series: Record<string, Cell>[] } {
  const configs = new Map(m.configs.map((c) => [c.id, c]));
  // the learning rate of an online-SGD configuration as a number (its formula in d evaluated), once per configuration
  const etaValues = new Map<string, number | null>();
  const etaValue = (id: string, config: unknown): number | null => {
    if (!etaValues.has(id)) {
      let v: number | null = null;
      try { v = buildProblem(config as RunConfig).eta; } catch { v = null; }
      etaValues.set(id, v);
    }
    return etaValues.get(id)!;
  };
  const runs: Record<string, Cell>[] = [], series: Record<string, Cell>[] = [];
  for (const file of runsFiles(dir)) {
    for (const rec of readRuns<Record<string, unknown> & { configId: string; replicate: number }>(file)) {
      const entry = configs.get(rec.configId);
      const row: Record<string, Cell> = {};
      const arrays = new Map<string, number[]>();
      flatten(entry?.config ?? {}, "", row);
      const engine = typeof row.engine === "string" ? row.engine : undefined;
      const backend = row.backend ?? (typeof m.meta.backend === "string" ? m.meta.backend : undefined) ?? (engine ? o.backendOf?.(engine) : undefined);
      if (backend !== undefined) row.backend = backend;
      row.kind = typeof rec.kind === "string" ? rec.kind : (entry?.kind ?? "online-sgd");
      if (row.kind === "online-sgd" && entry) row.etaValue = etaValue(rec.configId, entry.config);
      const { result, kind: _k, ...identity } = rec;
      flatten(identity, "", row);
      if (result !== undefined) flatten(result, "result", row, arrays);
      row.seed = rec.replicate;
      delete row.replicate;
      runs.push(row);
      for (const [name, values] of arrays) values.forEach((v, i) => series.push({ configId: rec.configId, seed: rec.replicate, series: name, index: i, value: Number.isFinite(v) ? v : null }));
    }
  }
  return { runs, series };
}

function batchTables(dir: string): { runs: Record<string, Cell>[]; series: Record<string, Cell>[] } {
  let manifest;
  try { manifest = BatchManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, BATCH_MANIFEST), "utf8"))); } catch {
    throw new InputError(`${path.join(dir, BATCH_MANIFEST)} is not an index-lab batch manifest`);
  }
  const configs = new Map(manifest.runs.map((r) => [r.tag, r.config]));
  const runs: Record<string, Cell>[] = [], series: Record<string, Cell>[] = [];
  for (const line of readSeedLines(path.join(dir, BATCH_SEEDS))) {
    const row: Record<string, Cell> = { tag: line.tag, kind: manifest.experiment, seed: line.replicate, backend: manifest.backend };
    const arrays = new Map<string, number[]>();
    flatten(configs.get(line.tag) ?? {}, "", row);
    flatten(decodeOutcome(line.outcome), "result", row, arrays);
    row.seed = line.replicate;
    runs.push(row);
    for (const [name, values] of arrays) values.forEach((v, i) => series.push({ tag: line.tag, seed: line.replicate, series: name, index: i, value: Number.isFinite(v) ? v : null }));
  }
  return { runs, series };
}

function summaryTables(dir: string): Table[] {
  const file = path.join(dir, "summary.json");
  if (!fs.existsSync(file)) return [];
  const summary = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  const out: Table[] = [];
  for (const [key, value] of Object.entries(summary)) {
    if (!Array.isArray(value) || value.length === 0 || !value.every((x) => x !== null && typeof x === "object" && !Array.isArray(x))) continue;
    const rows = value.map((x) => { const r: Record<string, Cell> = {}; flatten(x, "", r); return r; });
    out.push(table(`summary-${key}.csv`, rows));
  }
  return out;
}

/**
 * The long-format tables of a run directory: a sweep (sweep.json + runs*.jsonl), a batch run (batch.json +
 * seeds.jsonl), plus summary.json's grid tables when present.
 * @throws InputError when the directory holds neither kind of run.
 */
export function exportTables(dir: string, options: ExportOptions = {}): Table[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError(`export: '${dir}' is not a directory`);
  const manifest = readManifest(dir);
  const batch = fs.existsSync(path.join(dir, BATCH_MANIFEST));
  if (!manifest && !batch) throw new InputError(`export: '${dir}' holds no sweep (sweep.json) or batch run (batch.json)`);
  const parts = manifest ? sweepTables(dir, manifest, options) : batchTables(dir);
  const tables = [table("runs.csv", parts.runs)];
  if (parts.series.length) tables.push(table("series.csv", parts.series, ["configId", "tag", "seed", "series", "index", "value"]));
  return [...tables, ...summaryTables(dir)];
}

/** A cell as CSV (RFC 4180): null is empty, text with a comma, quote or line break is quoted with quotes doubled. */
function csvCell(c: Cell): string {
  if (c === null) return "";
  const s = typeof c === "number" ? String(c) : typeof c === "boolean" ? (c ? "true" : "false") : c;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A table as CSV text with a header line. */
export function toCsv(t: Table): string {
  return [t.columns, ...t.rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}
