/**
 * The catalog consistency audit over a generated corpus (issue 14 §2): for every link, every pair of applicable
 * claims about the same quantity must be compatible (src/testing/consistency.ts). Too slow for the unit suite at
 * >= 200 links (each link needs its full exponent profile), so it runs here:
 *   npm run build && node dist/scripts/catalog-audit.js [size=240] [seed=14]
 * Prints each conflict with the two claims; exit code 1 when any conflict is found, 0 otherwise.
 */
import { predictLink } from "../src/predictions/predictLink.js";
import { auditCorpus, catalogConflicts } from "../src/testing/consistency.js";

const size = Number(process.argv[2] ?? 240), seed = Number(process.argv[3] ?? 14);
const corpus = auditCorpus(size, seed);
const t0 = Date.now();
let conflicts = 0, failures = 0;
for (const text of corpus) {
  try {
    const r = predictLink(text, { maxDegree: 4 });
    for (const c of catalogConflicts(r.kind, r.predictions)) { conflicts++; console.log(`CONFLICT ${text}: ${c.reason}`); }
  } catch (e) {
    failures++; console.log(`ERROR ${text}: ${(e as Error).message.split("\n")[0]}`);
  }
}
console.log(`audited ${corpus.length} links (${corpus.length - failures} analysed) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${conflicts} conflicts`);
process.exitCode = conflicts || failures ? 1 : 0;
