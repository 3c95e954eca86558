/** `npm run bench`: every benchmark, each reported against a baseline measured in the same run. */
import { benchAnalyze } from "./analyze.js";
import { benchGenerative } from "./generative.js";
import { benchBatch } from "./batch.js";
import { benchExperiments } from "./experiments.js";
import { benchOnline } from "./online.js";
import { benchIssue18 } from "./issue18.js";
import { denseRows, startupRows } from "./issue18dense.js";
import { benchThreshold } from "./threshold.js";
import { benchReadme } from "./readme.js";

const sections: [string, () => Promise<string>][] = [
  ["analyze", benchAnalyze],
  ["generative", benchGenerative],
  ["batch", benchBatch],
  ["experiments", benchExperiments],
  ["online", benchOnline],
  ["issue18", benchIssue18],
  ["threshold", benchThreshold],
];
// run only when asked for (`npm run bench -- readme`): every README example at full size, and it rewrites README.md
// issue 18's dense-kernel rows and start-up rows alone (`npm run bench -- issue18-dense issue18-startup`): both are
// also part of "issue18"
const onRequest: [string, () => Promise<string>][] = [
  ["readme", benchReadme],
  ["issue18-dense", async () => (await denseRows()).join("\n")],
  ["issue18-startup", async () => startupRows().join("\n")],
];

const only = process.argv.slice(2);
for (const [name, run] of [...sections, ...onRequest]) {
  if (only.length ? !only.includes(name) : onRequest.some(([n]) => n === name)) continue;
  process.stdout.write(`\n== ${name}\n${await run()}\n`);
}
