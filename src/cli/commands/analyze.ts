import type { Command } from "commander";
import { analyzeLink, DEFAULT_TIME_LIMIT, type Analysis } from "../../analyze.js";
import { deadlineAfter } from "../../numeric/deadline.js";
import { intOption, runCommand, throwInput } from "../io.js";
import { num, sci, table } from "../format.js";
import { HERMITE_CONVENTION } from "../../hermite/basis.js";
import { spectrumCutByDeadline } from "../../hermite/spectrum.js";
import { parseNoise } from "../../exponents/noise.js";
import { latexOf, withLatex } from "../../link/latex.js";
import { alphaCLatex } from "../../reports/math.js";
import { schemaId } from "../../io/schemaId.js";

export function register(program: Command): void {
  program
    .command("analyze")
    .description("Hermite coefficients, Parseval check, parity and information exponent of one or more links")
    .argument("<links...>", "link expressions, e.g. \"z^3 - 3*z\" \"relu(z)\" \"sign(z1*z2*z3)\"")
    .option("-K, --max-degree <K>", "largest Hermite degree (default 12 single-index, 6 multi-index)")
    .option("--noise <model>", "label noise for the generative exponent and the weak-recovery threshold (multi-index: the threshold and the easy subspace only): 'gaussian:SIGMA' (y = f + SIGMA xi) or 'flip:P' (sign links, P in [0, 1/2])")
    .option("--time-limit <seconds>", `CPU-time budget per link (seconds of this process's CPU, not wall-clock) for the generative spectrum, leaps and subspaces; past it GE is given by its proved bounds and the exit code is 3 (default ${DEFAULT_TIME_LIMIT}, at most 3600)`)
    .option("--json", "print JSON (one object per link; an array when several); every exact form has its LaTeX beside it (exactLatex, ...)")
    .option("--latex", "print the link, its Hermite coefficients and E[f^2] as LaTeX equations")
    .option("--debug", "print stack traces of internal errors")
    .addHelpText("after", `\nCoefficient convention: ${HERMITE_CONVENTION}.`)
    .action(async (links: string[], opts: { maxDegree?: string; noise?: string; timeLimit?: string; json?: boolean; latex?: boolean; debug?: boolean }) => {
      await runCommand(opts, () => {
        const maxDegree = opts.maxDegree === undefined ? undefined : intOption("--max-degree", opts.maxDegree, 0, 200);
        const noise = parseNoise(opts.noise);
        const timeLimit = timeLimitOption(opts.timeLimit);
        // the budget is CPU time, per link: a loaded machine does not cut what an idle one finishes
        const results = links.map((l) => analyzeLink(l, { maxDegree, noise, deadline: deadlineAfter(timeLimit, "cpu"), multiIndexLearnability: true })).map((a) => (opts.json ? { $schema: schemaId("analysis"), ...withLatex(a) } : a));
        return results.length === 1 ? results[0]! : results;
      }, (r) => (Array.isArray(r) ? r : [r]).map(opts.latex ? formatAnalysisLatex : formatAnalysis).join("\n\n"),
      // a part cut by the time limit is an open answer: exit 3 (README, Exit codes), never bad input
      (r) => (Array.isArray(r) ? r : [r]).flatMap((a) => (cutByTimeLimit(a).length ? ["inconclusive" as const] : [])));
    });
}

/** The parts of an analysis the time limit cut (empty: nothing was cut). */
export function cutByTimeLimit(a: Analysis): string[] {
  const out: string[] = [];
  if (a.generativeBounds && !a.generativeBounds.resolved) out.push("generative spectrum");
  if (a.generativeLeapBounds && !a.generativeLeapBounds.resolved) out.push("generative leap");
  if (a.subspaceLeap && !a.subspaceLeap.resolved) out.push("leap");
  if (a.weakRecoveryThreshold?.regime === "undetermined") out.push("alpha_c");
  if (a.weakLearnability && !a.weakLearnability.resolved) out.push("weak learnability");
  if (a.warnings.some((w) => /p_\d+ = IE\(f\^\d+\) was not computed/.test(w))) out.push("label-power exponents");
  return out;
}

/** `--time-limit` in seconds: a number in (0, 3600], default {@link DEFAULT_TIME_LIMIT}; bad input exits 2. */
export function timeLimitOption(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIME_LIMIT;
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || v <= 0 || v > 3600) throwInput(`--time-limit must be a number of seconds in (0, 3600], got '${raw}'`);
  return v;
}

export function formatAnalysis(a: Analysis): string {
  const h = a.hermite;
  const lines: string[] = [];
  lines.push(`link  ${a.link}${a.parsed !== a.link ? `   (parsed as ${a.parsed})` : ""}`);
  lines.push(`      ${a.kind === "single" ? "single-index in z" : `multi-index in ${a.variables.join(", ")}`}; parity: ${a.parity} (${a.parityProof}); method: ${h.method}`);
  lines.push(`      c_k = E[f(Z) He_k(Z)]/sqrt(k!), probabilists' Hermite He_k, Z ~ N(0,1)`);
  // a quadrature cut by the time limit has estimates of its error only, and 3 digits are all it can stand behind
  const cut = spectrumCutByDeadline(h);
  if (a.kind === "single") {
    lines.push(table(["k", "c_k", "exact", cut ? "error estimate (not converged)" : "error bound"], h.coefficients.map((c, k) => [String(k), cut ? num(c, 3) : num(c), h.exact[k] ?? "", sci(h.errorBounds[k]!)])));
  } else {
    const nz = (h.tensor ?? []).filter((t) => t.exact ? t.exact !== "0" : Math.abs(t.value) > 10 * t.errorBound);
    lines.push(`      non-zero c_alpha = E[g(z) He_alpha(z)]/sqrt(alpha!), He_alpha = prod_i He_{alpha_i}(z_i), by total degree |alpha|:`);
    lines.push(table(["|alpha|", "alpha", "c_alpha", "exact", "error bound"], nz.map((t) => [String(t.alpha.reduce((s, x) => s + x, 0)), `(${t.alpha.join(",")})`, num(t.value), t.exact ?? "", sci(t.errorBound)])));
  }
  const captured = h.secondMoment > 0 ? 100 * (1 - h.parsevalResidual / h.secondMoment) : 100;
  lines.push(`Parseval: E[f^2] = ${num(h.secondMoment)}${h.secondMomentExact ? ` (= ${h.secondMomentExact})` : ""}; sum_{k<=${h.maxDegree}} c_k^2 captures ${num(Math.min(100, captured), 8)}% (residual ${sci(h.parsevalResidual)} +- ${sci(h.parsevalResidualError)})`);
  lines.push(`information exponent: ${a.informationExponent ?? (a.informationExponentNote.startsWith("IE >") ? `> ${h.maxDegree}` : cut ? "not resolved within the time limit" : "undefined")}`);
  lines.push(`  ${a.informationExponentNote}`);
  lines.push(...formatExponents(a));
  return lines.join("\n");
}

/**
 * The link, its Hermite coefficients and E[f^2] as LaTeX equations, one per line (exact forms typeset, numerical
 * coefficients as \approx with 12 significant digits), with the coefficient convention as a LaTeX comment, and the
 * weak-recovery threshold alpha_c of a single-index link.
 */
export function formatAnalysisLatex(a: Analysis): string {
  const h = a.hermite;
  const v = a.kind === "single" ? "z" : a.variables.map((x) => latexOf(x)).join(", ");
  const value = (exact: string | null | undefined, x: number) => (exact ? `= ${latexOf(exact)}` : `\\approx ${num(x, 12)}`);
  const lines = [
    `% ${a.link}: c_k = E[f(Z) He_k(Z)]/sqrt(k!), probabilists' Hermite He_k, Z ~ N(0, 1)${a.kind === "multi" ? "; c_alpha = E[f(Z) He_alpha(Z)]/sqrt(alpha!)" : ""}` +
      ([...h.exact, h.secondMomentExact, ...(h.tensor ?? []).map((t) => t.exact)].some((x) => x?.includes("erf(")) ? "; \\bar\\Phi(t) = P(Z > t)" : ""),
    `f(${v}) = ${latexOf(a.parsed)}`,
  ];
  if (a.kind === "single") h.coefficients.forEach((c, k) => lines.push(`c_{${k}} ${value(h.exact[k], c)}`));
  else {
    for (const t of h.tensor ?? []) {
      if (t.exact ? t.exact === "0" : Math.abs(t.value) <= 10 * t.errorBound) continue;
      lines.push(`c_{(${t.alpha.join(",")})} ${value(t.exact, t.value)}`);
    }
  }
  lines.push(`\\mathbb{E}[f(Z)^2] ${value(h.secondMomentExact, h.secondMoment)}`);
  const t = a.weakRecoveryThreshold;
  if (t) lines.push(`% weak-recovery threshold (${t.regime}): ${t.convention}`, alphaCLatex(t));
  return lines.join("\n");
}

/** Generative exponent, label powers, leap and generative leap (issue 4). */
export function formatExponents(a: Analysis): string[] {
  const lines: string[] = [];
  const K = a.hermite.maxDegree;
  lines.push(a.labelPowerExponents.length ? `label powers: p_j = IE(f^j), j = 1..4: ${a.labelPowerExponents.map((p) => p ?? "-").join(", ")}  ("-" = above K or undefined)` : "label powers: not computed (no information exponent to read them from)");
  if (a.kind === "single") {
    const b = a.generativeBounds;
    const geText = a.generativeExponent ?? (b && !b.resolved ? `>= ${b.lower}${b.upper !== null ? ` and <= ${b.upper}` : ""}, not resolved within the time limit` : a.generativeSpectrum.length ? `> ${a.generativeSpectrum.length}` : "undefined");
    lines.push(`generative exponent: ${geText}  (noise: ${a.noise}; method: ${a.generativeMethod ?? "n/a"}${b && !b.resolved ? "; spectrum not computed within the time limit" : ""})`);
    if (a.generativeSpectrum.length) {
      lines.push(`  lambda_k^2 = E[zeta_k(Y)^2], zeta_k(y) = E[h_k(Z) | Y = y], h_k = He_k/sqrt(k!) (Damian, Pillaud-Vivien, Lee, Bruna 2024, arXiv 2403.05529)`);
      lines.push(table(["k", "lambda_k", "lambda_k^2", "error bound", "verdict"], a.generativeSpectrum.map((e) => [String(e.k), num(e.lambda, 8), num(e.lambdaSquared, 10), sci(e.errorBound), `${e.nonzero ? "non-zero" : "zero"} (${e.basis})`])));
    }
    lines.push(`  ${a.generativeExponentNote}`);
    lines.push(`  why: ${a.generativeExplanation}`);
    const w = a.weakRecoveryThreshold;
    if (w) {
      const v = w.exact ?? (w.regime === "undetermined" ? `not determined (certified >= ${num(w.interval[0], 6)})` : w.alphaC === Infinity ? `inf (certified >= ${num(w.interval[0], 6)})` : `${num(w.alphaC, 10)} in [${num(w.interval[0], 10)}, ${num(w.interval[1], 10)}]`);
      lines.push(`weak-recovery threshold: alpha_c = ${v}  (n = alpha d; ${w.regime}; ${w.basis})`);
      lines.push(`  1/alpha_c = E_Y[E[He_2(Z) | Y]^2], He_2 = z^2 - 1 (${w.citation.split(";")[0]})`);
      lines.push(`  ${w.note}`);
    }
    const t = a.optimalTransformation;
    if (t) {
      const pts = t.points.length > 9 ? t.points.filter((_, i) => i % Math.ceil(t.points.length / 9) === 0) : t.points;
      lines.push(`  optimal transformation ${t.description} (${t.points.length} points in --json; a sample):`);
      lines.push(table(["y", "zeta(y)", "atom mass"], pts.map((p) => [num(p.y, 6), num(p.zeta, 8), p.atomMass === null ? "" : num(p.atomMass, 6)])));
    }
  } else {
    lines.push(`leap exponent: ${a.leapExponent ?? `> ${K}`}  (in the given basis ${a.variables.join(", ")})`);
    if (a.leapNote) lines.push(`  ${a.leapNote}`);
    if (a.subspaceLeap) lines.push(`leap on subspaces (basis-free, used by predict): ${a.subspaceLeap.value ?? `> ${K}`}`, `  ${a.subspaceLeap.note}`);
    lines.push(`generative leap: ${a.generativeLeap ?? (a.noise !== "none" ? "not computed under label noise" : "not reached")}  (in the given basis; first stage = multi-index generative exponent ${a.generativeExponent ?? "-"})`);
    if (a.generativeLeapNote) lines.push(`  ${a.generativeLeapNote}`);
    for (const s of a.generativeStaircase ?? []) lines.push(`  stage {${s.directions.join(", ")}} at degree ${s.exponent}: ${s.reason}`);
    if (a.subspaces) lines.push(`  ${a.subspaces.note}`);
    const wl = a.weakLearnability;
    if (wl) {
      const v = wl.regime === "undetermined" ? "not determined" : wl.alphaC === 0 ? "0" : wl.alphaC === Infinity ? "inf" : `${num(wl.alphaC, 6)} +- ${num(wl.errorBound, 2)}`;
      lines.push(`weak-recovery threshold: alpha_c = ${v}  (n = alpha d; ${wl.regime}; 1/alpha_c = top eigenvalue of F(M) = E_y[G M G], G = E[zz^T - I | y]; Troiani et al. 2024)`);
      for (const s of wl.staircase) lines.push(`  ${s.kind} stage: ${s.note}`);
      lines.push(`  ${wl.note}`);
    }
  }
  for (const w of a.warnings) lines.push(`warning: ${w}`);
  return lines;
}
