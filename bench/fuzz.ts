/**
 * `npm run fuzz`: the parser fuzzer of test/link/parser.test.ts with many more cases (default 10^6; pass a count
 * and a seed: `node dist/bench/fuzz.js 200000 7`). Inputs are random strings and random mutations of valid
 * expressions (hostile fragments spliced in); every one must become a link or an InputError with a consistent
 * column (test/link/contract.ts), and a canary global must never flip. Prints counts per source and outcome, the
 * most frequent refusal reasons, and every contract violation (exit code 1 if any).
 */
import fc from "fast-check";
import { linkExpression, mutatedExpression, randomText } from "../test/arbitraries.js";
import { attempt, ContractViolation } from "../test/link/contract.js";

const total = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 20240601);
if (!Number.isInteger(total) || total <= 0 || !Number.isInteger(seed)) {
  process.stderr.write("usage: node dist/bench/fuzz.js [cases (default 1000000)] [seed]\n");
  process.exit(2);
}

const g = globalThis as Record<string, unknown>;
g["__indexLabCanary"] = false;
g["__indexLabPwn"] = () => { g["__indexLabCanary"] = true; return 1; };

const sources: [string, fc.Arbitrary<string>, number][] = [
  // valid expressions cost ~5 ms each (kink scans and domain checks), so they get a small share
  ["random strings", randomText, 0.48],
  ["mutated expressions", mutatedExpression, 0.48],
  ["valid expressions", linkExpression(["z"]), 0.02],
  ["valid multi-index expressions", linkExpression(["z1", "z2", "z3"]), 0.02],
];

interface Tally { cases: number; links: number; refused: number; violations: number; ms: number }
const tallies = new Map<string, Tally>();
const reasons = new Map<string, number>();
const violations: string[] = [];
const batch = 1000;
const started = performance.now();
let done = 0, lastReport = started;

for (const [name, arb, share] of sources) {
  const n = Math.max(1, Math.round(total * share));
  const t: Tally = { cases: 0, links: 0, refused: 0, violations: 0, ms: 0 };
  tallies.set(name, t);
  const t0 = performance.now();
  for (let b = 0; b * batch < n; b++) {
    const inputs = fc.sample(arb, { numRuns: Math.min(batch, n - b * batch), seed: seed + 7919 * b + name.length });
    for (const input of inputs) {
      t.cases++;
      try {
        const r = attempt(input);
        if (r.ok) t.links++;
        else {
          t.refused++;
          // the reason without places and numbers, e.g. "unknown function '#' at column #"
          const key = r.error.message.replace(/'[^']*'/g, "'#'").replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, "#").slice(0, 80);
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
        }
      } catch (e) {
        t.violations++;
        if (violations.length < 50) violations.push(e instanceof ContractViolation ? e.message : `${JSON.stringify(input)}: ${String(e)}`);
      }
      if (g["__indexLabCanary"] !== false) {
        violations.push(`${JSON.stringify(input)}: the canary flipped (something was evaluated)`);
        g["__indexLabCanary"] = false;
        t.violations++;
      }
    }
    done += inputs.length;
    const now = performance.now();
    if (now - lastReport > 10_000) {
      process.stderr.write(`  ${done}/${total} cases, ${((now - started) / 1000).toFixed(0)} s\n`);
      lastReport = now;
    }
  }
  t.ms = performance.now() - t0;
}

const pad = (s: string | number, w: number) => String(s).padStart(w);
const lines = [`parser fuzz: ${done} cases, seed ${seed}, ${((performance.now() - started) / 1000).toFixed(1)} s`, ""];
lines.push(`${"source".padEnd(32)}${pad("cases", 10)}${pad("links", 10)}${pad("refused", 10)}${pad("violations", 12)}${pad("us/case", 10)}`);
for (const [name, t] of tallies) {
  lines.push(`${name.padEnd(32)}${pad(t.cases, 10)}${pad(t.links, 10)}${pad(t.refused, 10)}${pad(t.violations, 12)}${pad(((1000 * t.ms) / Math.max(1, t.cases)).toFixed(0), 10)}`);
}
lines.push("", "most frequent refusals:");
for (const [reason, count] of [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`${pad(count, 10)}  ${reason}`);
const nViolations = [...tallies.values()].reduce((s, t) => s + t.violations, 0);
lines.push("", nViolations === 0 ? "contract violations: none" : `contract violations: ${nViolations} (first ${violations.length}):`);
for (const v of violations) lines.push(`  ${v}`);
process.stdout.write(`${lines.join("\n")}\n`);
process.exit(nViolations === 0 ? 0 : 1);
