import type { Command } from "commander";
import { intOption, runCommand, throwInput } from "../io.js";
import { schemaId } from "../../io/schemaId.js";
import type { ReportSummarySchema, OutputOf } from "../../reports/schemas.js";

export function register(program: Command): void {
  program
    .command("report")
    .description("Write a self-contained regime report (HTML + Markdown + JSON; each figure as SVG, PDF and CSV; optionally LaTeX) for a link")
    .argument("<link>", "link expression, e.g. \"z^3-3*z\"")
    .requiredOption("-o, --out <dir>", "output folder (refused if it exists, unless --force)")
    .option("-K, --max-degree <K>", "largest Hermite degree")
    .option("--force", "overwrite the output folder")
    .option("--simulate <level>", "add simulations: none | quick (single-index: online-SGD scaling and the predicted ordering on the exact reduced engine; multi-index: one giant step against the batch size; ~1 min)", "none")
    .option("--threshold <file>", "add the phase diagram of a saved 'simulate threshold --json' run of this link (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--figure-width <inches>", "printed width of every figure in inches, with font sizes for it: 3.4 (one column) or 7 (two columns); any width from 2 to 12", "7")
    .option("--latex", "also write report.tex, a LaTeX fragment (booktabs tables, the PDF figures) to \\input into a paper")
    .option("--json", "print a JSON summary (files written) instead of text")
    .option("--debug", "print stack traces of internal errors")
    .action(async (link: string, opts: { out: string; maxDegree?: string; force?: boolean; simulate: string; threshold: string[]; figureWidth: string; latex?: boolean; json?: boolean; debug?: boolean }) => {
      await runCommand(opts, async () => {
        if (!opts.out.trim()) throwInput("--out needs a folder name");
        const maxDegree = opts.maxDegree === undefined ? undefined : intOption("--max-degree", opts.maxDegree, 0, 200);
        // the plotting stack (vega) loads only when a report is made
        const [{ buildReport }, { renderReport }, { writeReport }] = await Promise.all([
          import("../../reports/build.js"), import("../../reports/render.js"), import("../../reports/write.js"),
        ]);
        if (!["none", "quick"].includes(opts.simulate)) throwInput(`--simulate must be none or quick, got '${opts.simulate}'`);
        const figureWidth = Number(opts.figureWidth);
        if (!/^\s*\d+(\.\d+)?\s*$/.test(opts.figureWidth) || !(figureWidth >= 2 && figureWidth <= 12)) throwInput(`--figure-width must be a width in inches from 2 to 12 (3.4: one column, 7: two columns), got '${opts.figureWidth}'`);
        // the folder is checked before any work: a refused --out costs nothing
        (await import("../../reports/write.js")).checkReportTarget(opts.out, opts.force);
        // progress on stderr only for a person watching a terminal; JSON mode and pipes stay quiet
        const live = process.stderr.isTTY && !opts.json;
        const onProgress = live ? (m: string) => process.stderr.write(`\r\x1b[K${m}`) : undefined;
        const { readThresholdRun, thresholdSection } = await import("../../reports/sections/threshold.js");
        const thresholdRuns = opts.threshold.map((f) => {
          const run = readThresholdRun(f);
          if (run.link.replace(/\s+/g, "") !== link.replace(/\s+/g, "")) throwInput(`--threshold '${f}' is a run of '${run.link}', not of '${link}'`);
          return run;
        });
        const sections = opts.simulate === "quick" ? await (await import("../../reports/sections/quick.js")).quickSimulationSections(link, { onProgress }) : [];
        sections.push(...thresholdRuns.map((r, i) => thresholdSection(r, thresholdRuns.length > 1 ? `threshold-${i + 1}` : "threshold")));
        if (live) process.stderr.write("\r\x1b[Krendering the report\n");
        const data = buildReport(link, { maxDegree, extraSections: () => sections, provenance: { simulate: opts.simulate, "figure width": `${figureWidth} in` } });
        const rendered = await renderReport(data.document, { figureWidth, latex: opts.latex });
        const files = writeReport(opts.out, rendered, data, { force: opts.force });
        const failed = data.document.sections.filter((s) => s.status === "failed").map((s) => ({ section: s.id, reason: s.reason }));
        const verdicts = data.document.sections.flatMap((s) => (s.verdicts ?? []).map((v) => ({ section: s.id, ...v })));
        return { $schema: schemaId("report-summary"), link, out: opts.out, files, failedSections: failed, verdicts } satisfies OutputOf<typeof ReportSummarySchema>;
      }, (r) => [`report for ${r.link} written to ${r.out}:`, ...r.files.map((f) => `  ${f}`), ...r.failedSections.map((f) => `  section ${f.section} FAILED: ${f.reason}`),
        ...r.verdicts.map((v) => `  section ${v.section}: ${v.claim} ${v.verdict}`)].join("\n"),
      // a failed section counts as a failure: the report could not say what it was asked to
      (r) => [...r.verdicts.map((v) => v.verdict), ...r.failedSections.map(() => "failed" as const)]);
    });
}
