/**
 * `npm run fuzz`: the hostile-input campaign of issue 19 (test/fuzz/campaign.ts) over the whole path: parse, analyze
 * under a time limit, predict, and a Monte-Carlo oracle of c_0 and E[f^2] for accepted links. Sources: grammar-valid
 * random trees (the majority), hostile families and a labelled hostile corpus, mutated expressions and random
 * strings. `node dist/bench/fuzz.js [cases (default 100000)] [seed] [--time-limit S] [--no-predict] [--max-seconds S]`. Prints progress,
 * the summary table and every problem (crash, non-finite output, analysis over the time limit, accepted
 * non-square-integrable link, oracle disagreement); exit code 1 when any of the first four occurred.
 */
import fc from "fast-check";
import { appendFileSync, writeFileSync } from "node:fs";
import { CAMPAIGN_DEFAULTS, campaignSources, emptyTally, record, runCase, summaryTable, type Tally } from "../test/fuzz/campaign.js";

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
const noPredict = args.includes("--no-predict");
if (noPredict) args.splice(args.indexOf("--no-predict"), 1);
const timeLimit = Number(flag("--time-limit") ?? CAMPAIGN_DEFAULTS.timeLimit);
const out = flag("--out");
// --max-seconds S: stop drawing new cases after S seconds and report what was done (a campaign that fits a budget)
const maxSeconds = Number(flag("--max-seconds") ?? Infinity);
const total = Number(args[0] ?? 100_000);
const seed = Number(args[1] ?? 20261203);
if (!Number.isInteger(total) || total <= 0 || !Number.isInteger(seed) || !(timeLimit > 0)) {
  process.stderr.write("usage: node dist/bench/fuzz.js [cases (default 100000)] [seed] [--time-limit S] [--no-predict] [--out FILE.json] [--max-seconds S]\n");
  process.exit(2);
}
const trace = process.env["FUZZ_TRACE"];
const options = { ...CAMPAIGN_DEFAULTS, timeLimit, predict: !noPredict };

const g = globalThis as Record<string, unknown>;
g["__indexLabCanary"] = false;
g["__indexLabPwn"] = () => { g["__indexLabCanary"] = true; return 1; };

const tallies = new Map<string, Tally>();
const problems: string[] = [];
const started = performance.now();
let done = 0, lastReport = started;
// small rounds, so that a run stopped by --max-seconds has sampled every source in proportion
const batch = 40;
// interleave the sources batch by batch, so that a stopped run still covers each in proportion
const sources = campaignSources().map((s) => ({ ...s, n: Math.max(1, Math.round(total * s.share)), taken: 0 }));
for (const s of sources) tallies.set(s.name, emptyTally());
let stopped = false;
for (let b = 0; !stopped && sources.some((s) => s.taken < s.n); b++) {
  for (const s of sources) {
    const m = Math.min(Math.ceil((batch * s.share) / 0.45), s.n - s.taken);
    if (m <= 0) continue;
    const cases = fc.sample(s.arbitrary, { numRuns: m, seed: seed + 7919 * b + s.name.length });
    s.taken += m;
    const t = tallies.get(s.name)!;
    for (const c of cases) {
      // FUZZ_TRACE=file: each case is written before it runs, so a hang names its input
      if (trace) appendFileSync(trace, `${s.name}\t${JSON.stringify(c.source)}\n`);
      const r = runCase(c, options);
      const found = record(t, r);
      if (g["__indexLabCanary"] !== false) { found.push(`${JSON.stringify(c.source)}: the canary flipped (something was evaluated)`); t.crashes++; g["__indexLabCanary"] = false; }
      if (problems.length < 200) problems.push(...found.map((p) => `[${s.name}] ${p}`));
      done++;
    }
    const now = performance.now();
    if ((now - started) / 1000 > maxSeconds) { stopped = true; break; }
    if (now - lastReport > 15_000) {
      process.stderr.write(`  ${done}/${total} cases, ${((now - started) / 1000).toFixed(0)} s\n`);
      lastReport = now;
    }
  }
}

const seconds = (performance.now() - started) / 1000;
const header = `hostile-input campaign: ${done} cases${stopped ? ` (stopped by --max-seconds ${maxSeconds} of ${total} asked)` : ""}, seed ${seed}, time limit ${timeLimit} s per analysis (+${options.slack} s slack), K = ${options.maxDegree}, predict ${options.predict ? "on" : "off"}, oracle ${options.oracleSamples} Monte-Carlo samples; ${seconds.toFixed(0)} s`;
const table = summaryTable(tallies);
process.stdout.write(`${header}\n\n${table}\n`);
if (problems.length) process.stdout.write(`\nproblems (first ${Math.min(problems.length, 200)}):\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
if (out) writeFileSync(out, JSON.stringify({ header, tallies: Object.fromEntries(tallies), problems }, null, 2));
const bad = [...tallies.values()].some((t) => t.crashes || t.nonFinite || t.overTime || t.acceptedNonSquareIntegrable);
process.exit(bad ? 1 : 0);
