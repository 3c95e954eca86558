/**
 * The exit-code rule of every command, in one place (README, "Exit codes"): an exit code is a verdict.
 *
 *   0  the run completed and every verdict is consistent / pass (or the command states no verdict);
 *      `not-applicable` and `measured` (a quantity reported without a prediction) are neutral, never a pass;
 *   1  some verdict is inconsistent / fail (a report section that failed counts as a failure);
 *   2  bad input: nothing ran (one line on stderr says what and where);
 *   3  the run completed, nothing failed, but some verdict is inconclusive;
 *   4  internal error (a bug: the stack trace with --debug).
 */

/** The exit codes, by meaning. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, inconclusive: 3, internalError: 4 } as const;

/** Every verdict word a command can state (the union of the verification, batch-claim, experiment and check vocabularies). */
export type VerdictWord = "consistent" | "pass" | "inconsistent" | "fail" | "failed" | "inconclusive" | "not-applicable" | "measured";

const CLASS: Record<VerdictWord, "ok" | "failed" | "inconclusive" | "neutral"> = {
  consistent: "ok", pass: "ok",
  inconsistent: "failed", fail: "failed", failed: "failed",
  inconclusive: "inconclusive",
  "not-applicable": "neutral", measured: "neutral",
};

/** The exit code of a completed run from its verdicts: 1 if any failed, else 3 if any inconclusive, else 0. */
export function exitCodeOf(verdicts: readonly VerdictWord[]): 0 | 1 | 3 {
  const classes = verdicts.map((v) => {
    const c = CLASS[v];
    if (c === undefined) throw new Error(`unknown verdict '${String(v)}' (src/cli/exitCode.ts lists the vocabulary)`);
    return c;
  });
  if (classes.includes("failed")) return EXIT.failed;
  if (classes.includes("inconclusive")) return EXIT.inconclusive;
  return EXIT.ok;
}

/** One line for the human output: the verdict counts and the exit code they give, e.g. "verdicts: 3 consistent, 1 inconclusive -> exit code 3". */
export function verdictSummary(verdicts: readonly VerdictWord[]): string {
  const counts = new Map<VerdictWord, number>();
  for (const v of verdicts) counts.set(v, (counts.get(v) ?? 0) + 1);
  const parts = [...counts].map(([v, n]) => `${n} ${v}`);
  return `verdicts: ${parts.length ? parts.join(", ") : "none"} -> exit code ${exitCodeOf(verdicts)}`;
}
