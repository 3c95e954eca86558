/** `npm run bench`: every benchmark, each reported against a baseline measured in the same run. */
import { benchAnalyze } from "./analyze.js";
import { benchGenerative } from "./generative.js";
import { benchBatch } from "./batch.js";
import { benchExperiments } from "./experiments.js";
import { benchOnline } from "./online.js";
import { benchIssue18, chainRows } from "./issue18.js";
import { denseRows, startupRows } from "./issue18dense.js";
import { benchThreshold } from "./threshold.js";
import { benchReadme } from "./readme.js";
import { benchBatchCost } from "./batchCost.js";
import { benchPresets } from "./presets.js";
import { benchRegimeCost } from "./regimeCost.js";

const sections: [string, () => Promise<string>][] = [
  ["analyze", benchAnalyze],
  ["generative", benchGenerative],
  ["batch", benchBatch],
  ["experiments", benchExperiments],
  ["online", benchOnline],
  ["issue18", benchIssue18],
  ["threshold", benchThreshold],
];
// run only when asked for: `npm run bench -- readme` (every README example at full size; rewrites README.md),
// `npm run bench -- batch-cost` (calibrates the batch cost model; rewrites src/simulations/batch/costCalibration.ts),
// `npm run bench -- presets` (every preset's default run; writes reports/readme-timings.md), `npm run bench -- regime-cost`
// (measured / predicted CPU time of the regime experiments' cost models), and issue 18's chain, dense-kernel and
// start-up rows alone (`npm run bench -- issue18-chain issue18-dense issue18-startup`, also part of "issue18")
const onRequest: [string, () => Promise<string>][] = [
  ["readme", benchReadme],
  ["batch-cost", benchBatchCost],
  ["presets", benchPresets],
  ["regime-cost", benchRegimeCost],
  ["issue18-dense", async () => (await denseRows()).join("\n")],
  ["issue18-startup", async () => startupRows().join("\n")],
  ["issue18-chain", async () => chainRows().join("\n")],
];

// section names only: `--only <pattern>` belongs to the readme section (bench/readme.ts)
const argv = process.argv.slice(2);
const only = argv.filter((a, i) => a !== "--only" && argv[i - 1] !== "--only");
for (const [name, run] of [...sections, ...onRequest]) {
  if (only.length ? !only.includes(name) : onRequest.some(([n]) => n === name)) continue;
  process.stdout.write(`\n== ${name}\n${await run()}\n`);
}
