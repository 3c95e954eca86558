/** `index-lab merge`: join the results of sweep shards; for a verify sweep, print the verify report. */
import type { Command } from "commander";
import { runCommand } from "../io.js";
import type { VerifyResult } from "./verify.js";
import type { ScalingPrediction } from "../../verification/prediction.js";
import type { RunConfig } from "../../simulations/config.js";
import type { RunRecord } from "../../sweeps/store.js";
import { schemaId } from "../../io/schemaId.js";
import type { MergeSchema, OutputOf } from "../../reports/schemas.js";

interface MergeOutput {
  $schema: string;
  out: string;
  files: string[];
  runs: number;
  duplicates: number;
  expected: number | null;
  missing: number | null;
  verify: VerifyResult | null;
  /** For a sweep of another command (e.g. simulate two-timescale): how to summarise the merged directory. */
  next: string | null;
}

export function register(program: Command): void {
  program
    .command("merge")
    .description("join the runs of sweep shards (directories or runs*.jsonl files) into one runs.jsonl")
    .argument("<inputs...>", "shard directories or results files")
    .option("--out <dir>", "directory of the merged runs.jsonl (default: the first input directory)")
    .option("--json", "print JSON")
    .option("--debug", "print stack traces of internal errors")
    .action(async (inputs: string[], flags: { out?: string; json?: boolean; debug?: boolean }) => {
      // the merge and the verify report only when the command runs (start-up of --help: bench/issue18.ts)
      const [{ mergeRuns }, { formatVerify, verifyResult, verifyVerdicts, load }] = await Promise.all([import("../../sweeps/merge.js"), import("./verify.js")]);
      await load();
      await runCommand(flags, (): MergeOutput => {
        const outDir = flags.out ?? inputs[0]!;
        const m = mergeRuns(inputs, outDir);
        let verify: VerifyResult | null = null;
        const meta = m.manifest?.meta as { kind?: string; link: string; prediction: ScalingPrediction; eta: string; maxSteps: string; engine: string } | undefined;
        if (m.manifest && meta?.kind === "verify-online-sgd") {
          verify = verifyResult(meta, m.manifest.configs.map((c) => c.config as RunConfig), m.records as RunRecord[], m.manifest.seeds, m.manifest.masterSeed, 0, outDir);
        }
        const next = m.manifest && !verify && m.missing === 0
          ? `summarise: index-lab ${m.manifest.command} <the same options> --out ${outDir} --resume (nothing is recomputed)` : null;
        return { $schema: schemaId("merge"), out: m.out, files: m.files, runs: m.runs, duplicates: m.duplicates, expected: m.expected, missing: m.missing, verify, next } satisfies OutputOf<typeof MergeSchema>;
      }, (r) => [
        `merged ${r.files.length} file(s) into ${r.out}: ${r.runs} runs${r.duplicates ? ` (${r.duplicates} duplicates agreed)` : ""}${r.expected !== null ? `, ${r.missing} of ${r.expected} missing` : ""}`,
        ...(r.verify ? ["", formatVerify(r.verify)] : []),
        ...(r.next ? [r.next] : []),
      ].join("\n"), (r) => (r.verify ? verifyVerdicts(r.verify) : []));
    });
}
