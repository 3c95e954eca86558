import type { Command } from "commander";
import type { Parameter } from "../../testing/properties.js";
import { formatSeconds, requireBudget } from "../../experiments/budget.js";
import { intOption, runCommand, throwInput } from "../io.js";
import { table } from "../format.js";
import { PROGRESS_HELP, progressMode, progressSink } from "../progress.js";
import type { CostProgress } from "../../sweeps/progress.js";
import { schemaId } from "../../io/schemaId.js";
import type { CheckSchema, OutputOf } from "../../reports/schemas.js";

function parseParam(raw: string, acc: Parameter[]): Parameter[] {
  const m = /^([A-Za-z][A-Za-z0-9_]*)=([^:]+):([^:]+)$/.exec(raw.trim());
  if (!m) throwInput(`--param must look like name=lo:hi (e.g. a=0:1), got '${raw}'`);
  const [, name, a, b] = m!;
  const lo = Number(a), hi = Number(b);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo <= hi)) throwInput(`--param ${name}: need finite lo <= hi, got '${a}:${b}'`);
  if (/^z[1-8]?$/.test(name!) || ["pi", "e"].includes(name!)) throwInput(`--param name '${name}' is reserved`);
  return [...acc, { name: name!, lo, hi }];
}

export function register(program: Command): void {
  program
    .command("check")
    .description("Run the battery of mathematical property checks on a link or a family of links (fast-check, with shrinking)")
    .argument("<link>", "link expression; parameters of a family are named symbols, e.g. \"He(3,z) + a*He(2,z)\"")
    .option("--param <name=lo:hi>", "a family parameter and its range (repeatable)", parseParam, [] as Parameter[])
    .option("--runs <n>", "parameter draws per property for a family (default 25)")
    .option("--seed <s>", "fast-check seed (replay a failure with it)", "42")
    .option("-K, --max-degree <K>", "largest Hermite degree checked (default 8)")
    .option("--no-simulate", "skip the quick simulation of the predicted ordering (online SGD vs the alternating algorithm)")
    .option("--progress <mode>", `${PROGRESS_HELP}; each property is weighted by its estimated CPU seconds (for a family: from two pilot draws of each property)`, "auto")
    .option("--budget <seconds>", "refuse, before the run, a check whose estimated time (for a family: from two pilot draws of each property) exceeds this without --yes", "900")
    .option("--yes", "run even when the estimate exceeds the budget")
    .option("--json", "print JSON")
    .option("--debug", "print stack traces of internal errors")
    .action(async (link: string, opts: { param: Parameter[]; runs?: string; seed: string; maxDegree?: string; simulate: boolean; json?: boolean; debug?: boolean; progress?: string; budget: string; yes?: boolean }) => {
      // fast-check and the property battery only when the command runs (start-up of --help: bench/issue18.ts)
      const [{ checkLink, plannedDraws, PROPERTIES }, { estimateCheck }, { CostProgress }] = await Promise.all([
        import("../../testing/properties.js"), import("../../testing/checkCost.js"), import("../../sweeps/progress.js"),
      ]);
      await runCommand(opts, () => {
        const mode = progressMode(opts.progress, opts);
        const runs = opts.runs === undefined ? undefined : intOption("--runs", opts.runs, 1, 100000);
        const seed = intOption("--seed", opts.seed, -(2 ** 31), 2 ** 31 - 1);
        const maxDegree = opts.maxDegree === undefined ? undefined : intOption("--max-degree", opts.maxDegree, 1, 40);
        const budget = Number(opts.budget);
        if (!(Number.isFinite(budget) && budget > 0)) throwInput(`--budget must be a number of seconds > 0, got '${opts.budget}'`);
        // the cost model before the run: a pilot draw of every property for a family, typical figures for one link
        const estimate = estimateCheck(link, PROPERTIES, plannedDraws(PROPERTIES, opts.param, runs), {
          params: opts.param, maxDegree: maxDegree ?? 8, skip: (p) => !opts.simulate && p.id === "simulated-ordering",
        });
        requireBudget(estimate.pilotSeconds + estimate.totalSeconds, budget, !!opts.yes, `check ${link}`, "lower --runs, or --no-simulate");
        if (mode === "lines") process.stderr.write(`  estimated ${formatSeconds(estimate.totalSeconds)} of CPU for the check (${estimate.method === "pilot" ? `two pilot draws of each property took ${formatSeconds(estimate.pilotSeconds)}` : "typical figures per property"})\n`);
        const sink = progressSink(mode, "check", "estimated core-seconds");
        const costs = estimate.perProperty;
        let clock: CostProgress | null = null;
        const results = checkLink(link, {
          params: opts.param, runs, seed, maxDegree,
          simulate: opts.simulate,
          // progress only for a person at a terminal (JSON mode and pipes stay quiet)
          onProgress: mode === "lines" ? (m) => process.stderr.write(`  ${m}\n`) : undefined,
          onPropertyDone: (i, planned) => {
            // weights: the estimate's CPU seconds per property (the draws planned, if the property list differs)
            const w = planned.length === costs.length ? costs : planned;
            if (i < 0) { clock = new CostProgress(w); sink.update(clock.state()); } else if (clock) sink.update(clock.finish(w[i]!));
          },
        });
        sink.finish();
        return { $schema: schemaId("check"), link, params: opts.param, results } satisfies OutputOf<typeof CheckSchema>;
      }, (r) => [
        `check ${r.link}${r.params.length ? ` over ${r.params.map((p) => `${p.name} in [${p.lo}, ${p.hi}]`).join(", ")}` : ""}`,
        table(["property", "result", "detail"], r.results.map((x) => [x.id, x.status.toUpperCase(), `${x.detail}${x.counterexample ? `; smallest failing case ${JSON.stringify(x.counterexample)} (replay: --seed ${x.seed})` : ""}`])),
      ].join("\n"), (r) => r.results.map((x) => x.status));
    });
}
