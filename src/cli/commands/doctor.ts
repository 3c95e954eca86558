import type { Command } from "commander";
import { probeEnvironment } from "../../environment.js";
import { intOption, runCommand } from "../io.js";
import { VERSION } from "../../version.js";
import { describeTuning, tuneOpenblasKernel } from "../../tensors/openblasKernel.js";
import { schemaId } from "../../io/schemaId.js";
import type { DoctorSchema, OutputOf } from "../../reports/schemas.js";

export function register(program: Command): void {
  program
    .command("doctor")
    .description("Report Node version, cores, memory, available tensor backends and whether a browser is present")
    .option("--tune-blas", "first measure OpenBLAS's kernels on this CPU (child processes, alternated rounds) and store the fastest for the openblas backend")
    .option("--rounds <n>", "alternated rounds of --tune-blas (3..100)", "10")
    .option("--json", "print JSON")
    .option("--debug", "print stack traces of internal errors")
    .action(async (opts: { tuneBlas?: boolean; rounds?: string; json?: boolean; debug?: boolean }) => {
      await runCommand(opts, async () => {
        const rounds = intOption("--rounds", opts.rounds, 3, 100);
        const blasTuning = opts.tuneBlas ? tuneOpenblasKernel({ rounds, onRound: (r, n) => process.stderr.write(`tune-blas: round ${r + 1}/${n}\n`) }) : undefined;
        return { $schema: schemaId("doctor"), version: VERSION, ...probeEnvironment(), ...(blasTuning ? { blasTuning } : {}) } satisfies OutputOf<typeof DoctorSchema>;
      }, (e) => [
        `index-lab ${e.version}`,
        `node       ${e.node} (${e.platform}); ${e.cores} cores; ${e.memoryGiB} GiB`,
        ...e.backends.map((b) => `backend    ${b.name.padEnd(30)} ${b.available ? "yes" : "no "}  ${b.detail}${b.fix ? ` — fix: ${b.fix}` : ""}`),
        `browser    ${e.browser ?? "none (apt-get install chromium to run the report browser test)"}`,
        ...(e.blasTuning ? [`tune-blas  ${describeTuning(e.blasTuning)}; ${e.blasTuning.file ? `written to ${e.blasTuning.file}` : "not stored (INDEX_LAB_OPENBLAS_TUNING=off)"}`] : []),
      ].join("\n"));
    });
}
