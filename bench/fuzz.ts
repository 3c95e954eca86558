/**
 * `npm run fuzz`: the hostile-input campaign of issue 19 (test/fuzz/campaign.ts) over the whole path: parse, analyze
 * under a time limit, predict, and a Monte-Carlo oracle of c_0 and E[f^2] for accepted links. Sources: grammar-valid
 * random trees (the majority), hostile families and a labelled hostile corpus, mutated expressions and random
 * strings. `node dist/bench/fuzz.js [cases (default 100000)] [seed] [--time-limit S] [--slack S] [--max-degree K]
 * [--oracle-samples N] [--no-predict] [--clock wall|cpu] [--workers N] [--max-seconds S] [--out FILE.json] [--case-log FILE.jsonl]`.
 * `--workers N` runs N processes (rounds of ~90 cases dealt round-robin; a process per worker, so that `--clock cpu`
 * reads each case's own CPU time). Prints progress, the summary table and every problem (crash, non-finite output,
 * analysis over the time limit, accepted non-square-integrable link, oracle disagreement); exit code 1 when any of
 * the first four occurred.
 */
import fc from "fast-check";
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fork } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CAMPAIGN_DEFAULTS, campaignSources, emptyTally, record, runCase, summaryTable, type CampaignOptions, type Tally } from "../test/fuzz/campaign.js";

const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
const noPredict = args.includes("--no-predict");
if (noPredict) args.splice(args.indexOf("--no-predict"), 1);
const timeLimit = Number(flag("--time-limit") ?? CAMPAIGN_DEFAULTS.timeLimit);
const slack = Number(flag("--slack") ?? CAMPAIGN_DEFAULTS.slack);
const maxDegree = Number(flag("--max-degree") ?? CAMPAIGN_DEFAULTS.maxDegree);
const oracleSamples = Number(flag("--oracle-samples") ?? CAMPAIGN_DEFAULTS.oracleSamples);
const clock = (flag("--clock") ?? "wall") as "wall" | "cpu";
const workers = Number(flag("--workers") ?? 1);
const shard = flag("--shard");
const out = flag("--out");
// --case-log FILE: one JSON line per case in campaign order (source, outcome, refusal, oracle verdict, findings)
const caseLog = flag("--case-log");
// --max-seconds S: stop drawing new cases after S seconds and report what was done (a campaign that fits a budget)
const maxSeconds = Number(flag("--max-seconds") ?? Infinity);
const total = Number(args[0] ?? 100_000);
const seed = Number(args[1] ?? 20261203);
if (!Number.isInteger(total) || total <= 0 || !Number.isInteger(seed) || !(timeLimit > 0) || !(slack >= 0) || !Number.isInteger(maxDegree) || maxDegree < 1
  || !Number.isInteger(oracleSamples) || oracleSamples < 100 || (clock !== "wall" && clock !== "cpu") || !Number.isInteger(workers) || workers < 1 || workers > 16) {
  process.stderr.write("usage: node dist/bench/fuzz.js [cases (default 100000)] [seed] [--time-limit S] [--slack S] [--max-degree K] [--oracle-samples N>=100] [--no-predict] [--clock wall|cpu] [--workers 1..16] [--out FILE.json] [--case-log FILE.jsonl] [--max-seconds S]\n");
  process.exit(2);
}
const trace = process.env["FUZZ_TRACE"];
const options: CampaignOptions = { ...CAMPAIGN_DEFAULTS, timeLimit, slack, maxDegree, oracleSamples, clock, predict: !noPredict };

/**
 * What one process did: per-source tallies, the first problems (with the case's place, so that the merged list is in
 * campaign order whatever the number of workers), cases done, whether --max-seconds stopped it, and with
 * --case-log the outcome of every case (timings left out: they are the one part that depends on the run).
 */
interface ShardResult { tallies: Record<string, Tally>; problems: [number, string][]; done: number; stopped: boolean; cases: [number, string][] }

/** The place of case k of round b of source s in a campaign with `total` cases: rounds first, then sources. */
const caseOrder = (b: number, s: number, k: number) => (b * 16 + s) * 1_000_000 + k;

/** Run the rounds b = index, index + count, ... of the campaign (all of them for one process). */
function runShard(index: number, count: number): ShardResult {
  const g = globalThis as Record<string, unknown>;
  g["__indexLabCanary"] = false;
  g["__indexLabPwn"] = () => { g["__indexLabCanary"] = true; return 1; };
  const tallies = new Map<string, Tally>();
  const problems: [number, string][] = [];
  const caseLines: [number, string][] = [];
  const started = performance.now();
  let done = 0, lastReport = started, stopped = false;
  // small rounds (about 90 cases), so that a stopped run has sampled every source in proportion; the cases of round
  // b of a source are its cases b*m .. b*m + m - 1, so any process can run any round
  const batch = 40;
  const sources = campaignSources().map((s) => ({ ...s, n: Math.max(1, Math.round(total * s.share)), perRound: Math.ceil((batch * s.share) / 0.45) }));
  for (const s of sources) tallies.set(s.name, emptyTally());
  for (let b = index; !stopped && sources.some((s) => b * s.perRound < s.n); b += count) {
    for (const [si, s] of sources.entries()) {
      const m = Math.min(s.perRound, s.n - b * s.perRound);
      if (m <= 0) continue;
      const cases = fc.sample(s.arbitrary, { numRuns: m, seed: seed + 7919 * b + s.name.length });
      const t = tallies.get(s.name)!;
      for (const [k, c] of cases.entries()) {
        // FUZZ_TRACE=file: each case is written before it runs, so a hang names its input
        if (trace) appendFileSync(`${trace}${count > 1 ? `.${index}` : ""}`, `${s.name}\t${JSON.stringify(c.source)}\n`);
        const r = runCase(c, options);
        const found = record(t, r);
        if (g["__indexLabCanary"] !== false) { found.push(`${JSON.stringify(c.source)}: the canary flipped (something was evaluated)`); t.crashes++; g["__indexLabCanary"] = false; }
        const at = caseOrder(b, si, k);
        if (problems.length < 200) problems.push(...found.map((p): [number, string] => [at, `[${s.name}] ${p}`]));
        if (caseLog) caseLines.push([at, JSON.stringify({ source: s.name, case: c.source, accepted: r.accepted, refusal: r.refusal, crash: r.crash, nonFinite: r.nonFinite, overTime: r.overTime, oracle: r.oracle })]);
        done++;
      }
      const now = performance.now();
      if ((now - started) / 1000 > maxSeconds) { stopped = true; break; }
      if (now - lastReport > 15_000) {
        process.stderr.write(`  ${count > 1 ? `[worker ${index + 1}/${count}] ` : ""}${done} cases, ${((now - started) / 1000).toFixed(0)} s\n`);
        lastReport = now;
      }
    }
  }
  return { tallies: Object.fromEntries(tallies), problems, done, stopped, cases: caseLines };
}

async function main(): Promise<void> {
  if (shard) {
    // a worker: --shard i/N FILE; the result is written atomically (temporary file, then rename)
    const [i, n] = shard.split("/").map(Number) as [number, number];
    const result = runShard(i, n);
    writeFileSync(`${out!}.tmp`, JSON.stringify(result));
    renameSync(`${out!}.tmp`, out!);
    return;
  }
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let results: ShardResult[];
  if (workers === 1) results = [runShard(0, 1)];
  else {
    const dir = mkdtempSync(join(tmpdir(), "index-lab-fuzz-"));
    const self = fileURLToPath(import.meta.url);
    const own = ["--workers", "--out", "--case-log"];
    const passed = process.argv.slice(2).filter((_, k, all) => !own.includes(all[k]!) && !own.includes(all[k - 1]!));
    results = await Promise.all(Array.from({ length: workers }, (_, i) => new Promise<ShardResult>((resolve, reject) => {
      const file = join(dir, `shard-${i}.json`);
      const child = fork(self, [...passed, "--shard", `${i}/${workers}`, "--out", file, ...(caseLog ? ["--case-log", `${file}.cases`] : [])], { stdio: "inherit" });
      child.on("exit", (code) => {
        try { resolve(JSON.parse(readFileSync(file, "utf8")) as ShardResult); } catch { reject(new Error(`fuzz worker ${i} exited ${code} without a result`)); }
      });
    })));
    rmSync(dir, { recursive: true, force: true });
  }
  const tallies = new Map<string, Tally>();
  for (const r of results) for (const [name, t] of Object.entries(r.tallies)) {
    const acc = tallies.get(name) ?? emptyTally();
    for (const k of Object.keys(acc) as (keyof Tally)[]) acc[k] = k === "maxSeconds" ? Math.max(acc[k], t[k]) : acc[k] + t[k];
    tallies.set(name, acc);
  }
  // in campaign order, whatever the number of workers (each worker keeps its first 200)
  const problems = results.flatMap((r) => r.problems).sort((x, y) => x[0] - y[0]).slice(0, 200).map(([, p]) => p);
  if (caseLog) {
    const lines = results.flatMap((r) => r.cases).sort((x, y) => x[0] - y[0]).map(([, l]) => l);
    writeFileSync(`${caseLog}.tmp`, lines.length ? `${lines.join("\n")}\n` : "");
    renameSync(`${caseLog}.tmp`, caseLog);
  }
  const done = results.reduce((s, r) => s + r.done, 0);
  const stopped = results.some((r) => r.stopped);
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(cpu0);
  const header = `hostile-input campaign: ${done} cases${stopped ? ` (stopped by --max-seconds ${maxSeconds} of ${total} asked)` : ""}, seed ${seed}, time limit ${timeLimit} s per analysis (+${slack} s slack, ${clock} clock), K = ${maxDegree}, predict ${options.predict ? "on" : "off"}, oracle ${oracleSamples} Monte-Carlo samples, ${workers} worker(s); ${seconds.toFixed(0)} s wall${workers === 1 ? `, ${((own.user + own.system) / 1e6).toFixed(0)} s CPU` : " (the workers' CPU: run under `time`)"}`;
  const table = summaryTable(tallies);
  process.stdout.write(`${header}\n\n${table}\n`);
  if (problems.length) process.stdout.write(`\nproblems (first ${problems.length}):\n${problems.map((p) => `  ${p}`).join("\n")}\n`);
  if (out) { writeFileSync(`${out}.tmp`, JSON.stringify({ header, tallies: Object.fromEntries(tallies), problems }, null, 2)); renameSync(`${out}.tmp`, out); }
  const bad = [...tallies.values()].some((t) => t.crashes || t.nonFinite || t.overTime || t.acceptedNonSquareIntegrable);
  process.exit(bad ? 1 : 0);
}

main().catch((e) => { process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`); process.exit(4); });
