import type { Command } from "commander";
import { probeEnvironment } from "../../environment.js";
import { runCommand } from "../io.js";
import { VERSION } from "../../version.js";
import { schemaId } from "../../io/schemaId.js";
import type { DoctorSchema, OutputOf } from "../../reports/schemas.js";

export function register(program: Command): void {
  program
    .command("doctor")
    .description("Report Node version, cores, memory, available tensor backends and whether a browser is present")
    .option("--json", "print JSON")
    .option("--debug", "print stack traces of internal errors")
    .action(async (opts: { json?: boolean; debug?: boolean }) => {
      await runCommand(opts, () => ({ $schema: schemaId("doctor"), version: VERSION, ...probeEnvironment() }) satisfies OutputOf<typeof DoctorSchema>, (e) => [
        `index-lab ${e.version}`,
        `node       ${e.node} (${e.platform}); ${e.cores} cores; ${e.memoryGiB} GiB`,
        ...e.backends.map((b) => `backend    ${b.name.padEnd(30)} ${b.available ? "yes" : "no "}  ${b.detail}${b.fix ? ` — fix: ${b.fix}` : ""}`),
        `browser    ${e.browser ?? "none (apt-get install chromium to run the report browser test)"}`,
      ].join("\n"));
    });
}
