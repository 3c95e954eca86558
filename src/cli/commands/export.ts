/** `index-lab export DIR --format csv`: a run directory as long-format tables (src/sweeps/export.ts). */
import * as path from "node:path";
import type { Command } from "commander";
import { runCommand, throwInput } from "../io.js";
import { makeDirectory, writeAtomic } from "../../io/durable.js";
import { InputError } from "../../link/errors.js";
import { BACKENDS } from "./simulate.js";
import { schemaId } from "../../io/schemaId.js";
import type { ExportSchema, OutputOf } from "../../reports/schemas.js";

interface ExportOutput { $schema: string; dir: string; out: string; format: "csv"; tables: { file: string; rows: number; columns: string[] }[] }

export function register(program: Command): void {
  program
    .command("export")
    .description("write a run directory (sweep or batch run) as long-format CSV tables for pandas: runs.csv (one row per run, configuration joined in), series.csv (per step / per element), summary-*.csv (per grid point)")
    .argument("<dir>", "a sweep directory (sweep.json + runs*.jsonl) or a batch-run directory (batch.json + seeds.jsonl)")
    .option("--format <format>", "csv (parquet is not supported: see the README)", "csv")
    .option("--out <dir>", "where to write the tables (default: <dir>/export)")
    .option("--json", "print JSON")
    .option("--debug", "print stack traces of internal errors")
    .action(async (dir: string, flags: { format?: string; out?: string; json?: boolean; debug?: boolean }) => {
      const { exportTables, toCsv } = await import("../../sweeps/export.js");
      await runCommand(flags, (): ExportOutput => {
        if (flags.format === "parquet") throwInput("--format parquet is not supported: no well-kept pure-JS Parquet writer could be verified here; use --format csv (pandas.read_csv)");
        if (flags.format !== "csv") throwInput(`--format must be csv, got '${flags.format}'`);
        const tables = exportTables(dir, { backendOf: (engine) => BACKENDS[engine as keyof typeof BACKENDS] });
        const out = flags.out ?? path.join(dir, "export");
        makeDirectory(out, (m) => new InputError(m));
        for (const t of tables) writeAtomic(path.join(out, t.name), toCsv(t));
        return { $schema: schemaId("export"), dir, out, format: "csv", tables: tables.map((t) => ({ file: path.join(out, t.name), rows: t.rows.length, columns: t.columns })) } satisfies OutputOf<typeof ExportSchema>;
      }, (r) => [`exported ${r.dir} to ${r.out}:`, ...r.tables.map((t) => `  ${t.file}: ${t.rows} rows, columns ${t.columns.join(", ")}`)].join("\n"));
    });
}
