import type { Command } from "commander";
import { runCommand, intOption, throwInput } from "../io.js";
import { num, table } from "../format.js";
import { predictLink, type LinkPredictions } from "../../predictions/predictLink.js";
import type { Prediction } from "../../predictions/engine.js";
import { latexOf, withLatex } from "../../link/latex.js";
import { alphaCLatex, latexText } from "../../reports/math.js";
import { schemaId } from "../../io/schemaId.js";
import { DEFAULT_TIME_LIMIT } from "../../analyze.js";
import { timeLimitOption } from "./analyze.js";
import { parseNoise } from "../../exponents/noise.js";
import { deadlineAfter } from "../../numeric/deadline.js";

interface PredictFlags {
  algorithm?: string; claim?: string[]; d?: string; gamma?: string; depth?: string; eps?: string; width?: string; l?: string;
  lrScan?: boolean; explain?: boolean; maxDegree?: string; timeLimit?: string; json?: boolean; latex?: boolean; debug?: boolean; noise?: string;
}

/** A positive finite number option, or a one-line input error naming it. */
function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || v <= 0) throwInput(`${name} must be a positive number, got '${raw}'`);
  return v;
}

export function register(program: Command): void {
  program
    .command("predict")
    .description("for every training algorithm the catalog covers: samples (or steps) as d grows, regime boundaries, claim, citation and status")
    .argument("<link>", "link expression, e.g. \"z^3-3*z\" or \"tanh(z1+He(3,z2))\"")
    .option("--algorithm <name>", "only claims about this algorithm (online-sgd, batch-reuse, alternating, giant-step, multi-pass-gd, ...)")
    .option("--claim <id...>", "only these claim ids")
    .option("--d <d>", "evaluate the scalings at this dimension (stated log factors included, constants not)")
    .option("--gamma <gamma>", "feature-learning strength for seed-004 claims")
    .option("--depth <L>", "network depth L for seed-004 claims")
    .option("--eps <eps>", "time-scale ratio for seed-003 claims")
    .option("--width <p>", "network width p (giant-step learning rate)")
    .option("--l <l>", "giant-step batch exponent: n = d^l")
    .option("--noise <spec>", "label noise of the weak-recovery threshold (alpha_c, trivial / easy / hard subspaces, grand staircase): none, gaussian:SIGMA or flip:P; the exponents and scalings are those of the noiseless link", "none")
    .option("--lr-scan", "print the learning-rate curves (samples vs eta): regimes and kinks")
    .option("--explain", "print the chain of reasoning: Hermite data -> exponent -> theorem -> scaling")
    .option("-K, --max-degree <K>", "largest Hermite degree for the exponents (default 8 single-index, 4 multi-index)")
    .option("--time-limit <seconds>", `CPU-time budget (seconds of this process's CPU, not wall-clock) for the whole prediction; past it the claims that need what was not computed are labelled "not computed within the time limit" and the exit code is 3 (default ${DEFAULT_TIME_LIMIT}, at most 3600)`)
    .option("--json", "print JSON (every formula with its LaTeX beside it: formulaLatex, exponentFormulaLatex)")
    .option("--latex", "print the applicable predictions as LaTeX equations (claim, status and citation as comments)")
    .option("--debug", "print stack traces of internal errors")
    .action(async (link: string, opts: PredictFlags) => {
      await runCommand(opts, () => {
        const d = positive("--d", opts.d);
        if (d !== undefined && d < 2) throwInput(`--d must be at least 2, got '${opts.d}'`);
        const r = predictLink(link, {
          algorithm: opts.algorithm, claims: opts.claim, d,
          gamma: positive("--gamma", opts.gamma), L: positive("--depth", opts.depth), eps: positive("--eps", opts.eps),
          p: positive("--width", opts.width), l: positive("--l", opts.l),
          maxDegree: opts.maxDegree === undefined ? undefined : intOption("--max-degree", opts.maxDegree, 1, 40),
          // CPU time: a loaded machine does not cut what an idle one finishes; a cut is a partial answer (exit 3)
          deadline: deadlineAfter(timeLimitOption(opts.timeLimit), "cpu"), partial: true, multiIndexLearnability: true, noise: parseNoise(opts.noise),
        });
        return opts.json ? { $schema: schemaId("predictions"), ...withLatex(r) } : r;
      }, (r) => (opts.latex ? formatPredictionsLatex(r) : formatPredictions(r, { lrScan: opts.lrScan ?? false, explain: opts.explain ?? false })),
      (r) => (r.incomplete ? ["inconclusive"] : []));
    });
}

const show = (v: number | null) => (v === null ? "inf" : String(v));

function scalingText(p: Prediction): string {
  if (p.notLearned) return `not learned in this regime: ${p.notLearned.reason}`;
  if (p.curve) return `${p.scaling!.formula} at best eta; ${p.curve.kinks.length ? `kinks at eta ~ ${p.curve.kinks.map((k) => `d^${num(k.x, 6)}`).join(", ")}` : "no transition"}`;
  if (p.scaling) return `${p.scaling.formula}${p.scaling.polylog ? " (up to polylog)" : ""}${p.scaling.bound === "lower" ? " lower bound" : p.scaling.bound === "upper" ? " upper bound" : ""}`;
  if (p.regimes) return p.regimes.map((r) => `${r.name}: ${r.formula}`).join("; ");
  if (p.structure) return p.structure.summary;
  return "-";
}

/**
 * The applicable predictions as LaTeX: per claim a comment (id, algorithm, quantity, status, citation) and the
 * scaling in d with its exponent formula, the regimes' formulas, or the weak-recovery threshold alpha_c.
 */
export function formatPredictionsLatex(r: LinkPredictions): string {
  const lines = [`% ${r.link}: predictions (exponents are convention-free; ${r.convention})`, `f = ${latexOf(r.parsed)}`];
  if (r.incomplete) lines.push(`% ${r.incomplete.status}: ${r.incomplete.claimsNotComputed.join(", ") || "no claim"} left out; missing: ${r.incomplete.missing.map((m) => m.split(":")[0]).join("; ")}`);
  for (const p of r.predictions.filter((q) => q.applies)) {
    lines.push(`% ${p.claimId} (${p.algorithm}; ${p.status}): Q = ${p.quantity}. ${p.citation}`);
    if (p.scaling) {
      const s = p.scaling;
      const bound = s.bound === "lower" ? "\\gtrsim" : s.bound === "upper" ? "\\lesssim" : "\\asymp";
      const exponent = s.exponentFormula && s.exponent !== null ? `, \\quad ${num(s.exponent, 6)} = ${latexOf(s.exponentFormula)}` : "";
      lines.push(`Q_{\\text{${latexText(p.claimId)}}} ${bound} ${latexOf(s.formula)}${s.polylog ? " \\ (\\text{up to polylog})" : ""}${exponent}`);
    }
    for (const g of p.regimes ?? []) lines.push(`\\text{${latexText(g.name)}}: \\quad ${latexOf(g.formula)}`);
    if (p.structure?.kind === "weak-recovery-threshold" && r.facts.weakRecovery) lines.push(alphaCLatex(r.facts.weakRecovery));
  }
  return lines.join("\n");
}

export function formatPredictions(r: LinkPredictions, o: { lrScan: boolean; explain: boolean }): string {
  const pr = r.profile;
  const lines: string[] = [];
  lines.push(`link  ${r.link}${r.parsed !== r.link ? `   (parsed as ${r.parsed})` : ""}   ${r.kind}-index`);
  // an exponent the time limit cut is shown by its proved bounds, never as 'inf'
  const cut = (sym: string, v: number | null) => {
    const u = pr.unresolved?.find((x) => x.symbol === sym);
    return u ? `${u.upper === null ? `>= ${u.lower}` : `in [${u.lower}, ${u.upper}]`} (not computed within the time limit)` : show(v);
  };
  lines.push(`      IE ${show(pr.informationExponent)}, GE ${cut("GE", pr.generativeExponent)}, p_j = IE(f^j) ${pr.labelPowerExponents.map((v, j) => cut(`p${j + 1}`, v)).join(",")}` +
    (pr.kind === "multi" ? `, leap ${cut("leap", pr.leapExponent)}, generative leap ${cut("gleap", pr.generativeLeap)} (on subspaces, basis-free)` : "") + `; parity ${pr.parity}`);
  if (pr.kind === "multi") {
    const stages = (s: typeof pr.staircase) => s.map((t) => `span{${t.directions.join(", ")}} at degree ${t.exponent}`).join(" -> ") || "none";
    lines.push(`      leap staircase: ${stages(pr.staircase)}`, `      generative staircase: ${stages(pr.generativeStaircase)}`);
    if (pr.coordinateLeap) lines.push(`      coordinate leap in the given basis ${r.facts.variables.join(", ")} (fixed-basis claims only): ${show(pr.coordinateLeap.value)}`);
  }
  if (r.setting.d !== null) lines.push(`      values at d = ${r.setting.d} (constants not included; 'inf' = above the degree computed)`);
  const noise = r.facts.weakRecovery?.noise ?? r.facts.weakLearnability?.noise ?? "none";
  if (noise !== "none") lines.push(`      label noise ${noise}: in the weak-recovery threshold (alpha_c, subspaces, grand staircase) only; exponents and scalings are the noiseless link's`);
  if (o.explain) {
    lines.push("", "Hermite data -> exponents:", `  convention: ${r.convention}`);
    lines.push(`  non-zero Hermite degrees (<= ${r.facts.maxDegree}): ${r.facts.hermiteDegrees.join(", ") || "none"}; polynomial link: ${r.facts.polynomial ? "yes" : "no"}`);
    for (const n of pr.notes) lines.push(`  ${n}`);
  }
  const applying = r.predictions.filter((p) => p.applies);
  const rows = applying.map((p) => [
    p.algorithm, scalingText(p),
    p.scaling?.value != null ? num(p.scaling.value, 4) : "",
    p.claimId, `${p.status}${p.source !== "primary" ? ` (${p.source})` : ""}`,
  ]);
  lines.push("", table(["algorithm", "prediction", r.setting.d !== null ? "at d" : "", "claim", "status (source)"], rows));
  const thresholds = applying.filter((p) => p.structure?.kind === "weak-recovery-threshold" && p.structure.items.length);
  if (thresholds.length) {
    const s = thresholds[0]!.structure!;
    lines.push("", `quantity: weak-recovery threshold (regime boundary in alpha = n/d)`);
    lines.push(`  ${s.summary}`);
    lines.push(`  ${s.items[0]!.why}`);
    // multi-index: one regime boundary per grand-staircase subspace
    for (const it of s.items.filter((i) => /^(subspace|hard)/.test(i.what))) lines.push(`  ${it.what}: ${it.value}`);
    for (const p of thresholds) lines.push(`  [${p.algorithm}] ${p.claimId}: ${p.citation} (${p.status}; source ${p.source})`);
  }
  const notApplying = r.predictions.filter((p) => !p.applies && p.notComputed === undefined);
  const open = r.predictions.filter((p) => p.notComputed !== undefined);
  if (r.incomplete) {
    lines.push("", `${r.incomplete.status}:`);
    for (const m of r.incomplete.missing) lines.push(`  ${m}`);
    for (const p of open) lines.push(`  ${p.claimId} (${p.algorithm}): ${p.notComputed}`);
  }
  if (notApplying.length) {
    lines.push("", "not applicable to this link:");
    for (const p of notApplying) lines.push(`  ${p.claimId}: ${p.reason.replace(/^does not apply: /, "")}`);
  }
  if (o.lrScan) {
    for (const p of applying.filter((q) => q.curve)) {
      const c = p.curve!;
      lines.push("", `${p.claimId} (${p.algorithm}): ${c.meaning}`);
      lines.push(table(["regime", "x from", "x to", "slope in log eta", "log_d(samples)"], (p.regimes ?? []).map((g) => [
        g.name, num(g.from!, 6), num(g.to!, 6), num(g.slope!, 6), `${num(g.exponentFrom!, 6)} -> ${num(g.exponentTo!, 6)}`,
      ])));
      if (c.kinks.length) {
        lines.push(table(["kink", "eta ~ d^x", r.setting.d !== null ? `eta at d = ${r.setting.d}` : "", "log_d(samples) there", "slopes"], c.kinks.map((k, i) => [
          String(i + 1), `d^${num(k.x, 6)}`, k.eta === null ? "" : num(k.eta, 4), num(k.exponent, 6), `${num(k.slopeLeft, 6)} -> ${num(k.slopeRight, 6)}`,
        ])));
      }
      lines.push(`  ends: ${c.smallEnd.name} d^${num(c.smallEnd.exponent, 6)}; ${c.largeEnd.name} d^${num(c.largeEnd.exponent, 6)}`);
    }
    if (!applying.some((q) => q.curve)) lines.push("", "no learning-rate curve among the selected claims (seed-000 curves: --algorithm batch-reuse or alternating)");
  }
  if (o.explain) {
    lines.push("", "theorem -> scaling, claim by claim:");
    for (const p of r.predictions) {
      lines.push(`- ${p.claimId} [${p.status}; source ${p.source}] ${p.title}`);
      lines.push(`    ${p.citation}`);
      lines.push(`    ${p.applies ? "applies" : "does not apply"}: ${p.reason.replace(/^does not apply: /, "")}`);
      for (const a of p.assumptions) lines.push(`    assumes (not checked): ${a}`);
      for (const it of p.structure?.items ?? []) lines.push(`    ${it.what}: ${it.value}  [${it.why}]`);
      lines.push(`    source: ${p.sourceNote}`);
      lines.push(`    check: ${"pending" in p.check ? `pending (${p.check.pending})` : `${p.check.experiment}: vary ${p.check.vary}; measure ${p.check.measure}; agrees if ${p.check.agrees}`}`);
    }
  } else {
    lines.push("", "--explain prints the reasoning and assumptions; --json the full record (citation, regimes, structure, check).");
  }
  return lines.join("\n");
}
