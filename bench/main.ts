/** `npm run bench`: every benchmark, each reported against a baseline measured in the same run. */
import { benchAnalyze } from "./analyze.js";
import { benchGenerative } from "./generative.js";
import { benchBatch } from "./batch.js";
import { benchExperiments } from "./experiments.js";
import { benchOnline } from "./online.js";
import { benchIssue18 } from "./issue18.js";
import { benchThreshold } from "./threshold.js";

const sections: [string, () => Promise<string>][] = [
  ["analyze", benchAnalyze],
  ["generative", benchGenerative],
  ["batch", benchBatch],
  ["experiments", benchExperiments],
  ["online", benchOnline],
  ["issue18", benchIssue18],
  ["threshold", benchThreshold],
];

const only = process.argv.slice(2);
for (const [name, run] of sections) {
  if (only.length && !only.includes(name)) continue;
  process.stdout.write(`\n== ${name}\n${await run()}\n`);
}
