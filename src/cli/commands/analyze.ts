import type { Command } from "commander";
import { analyzeLink, type Analysis } from "../../analyze.js";
import { intOption, runCommand } from "../io.js";
import { num, sci, table } from "../format.js";
import { HERMITE_CONVENTION } from "../../hermite/basis.js";

export function register(program: Command): void {
  program
    .command("analyze")
    .description("Hermite coefficients, Parseval check, parity and information exponent of one or more links")
    .argument("<links...>", "link expressions, e.g. \"z^3 - 3*z\" \"relu(z)\" \"sign(z1*z2*z3)\"")
    .option("-K, --max-degree <K>", "largest Hermite degree (default 12 single-index, 6 multi-index)")
    .option("--json", "print JSON (one object per link; an array when several)")
    .option("--debug", "print stack traces of internal errors")
    .addHelpText("after", `\nCoefficient convention: ${HERMITE_CONVENTION}.`)
    .action(async (links: string[], opts: { maxDegree?: string; json?: boolean; debug?: boolean }) => {
      await runCommand(opts, () => {
        const maxDegree = opts.maxDegree === undefined ? undefined : intOption("--max-degree", opts.maxDegree, 0, 200);
        const results = links.map((l) => analyzeLink(l, { maxDegree }));
        return results.length === 1 ? results[0]! : results;
      }, (r) => (Array.isArray(r) ? r : [r]).map(formatAnalysis).join("\n\n"));
    });
}

export function formatAnalysis(a: Analysis): string {
  const h = a.hermite;
  const lines: string[] = [];
  lines.push(`link  ${a.link}${a.parsed !== a.link ? `   (parsed as ${a.parsed})` : ""}`);
  lines.push(`      ${a.kind === "single" ? "single-index in z" : `multi-index in ${a.variables.join(", ")}`}; parity: ${a.parity} (${a.parityProof}); method: ${h.method}`);
  lines.push(`      c_k = E[f(Z) He_k(Z)]/sqrt(k!), probabilists' Hermite He_k, Z ~ N(0,1)`);
  if (a.kind === "single") {
    lines.push(table(["k", "c_k", "exact", "error bound"], h.coefficients.map((c, k) => [String(k), num(c), h.exact[k] ?? "", sci(h.errorBounds[k]!)])));
  } else {
    const nz = (h.tensor ?? []).filter((t) => t.exact ? t.exact !== "0" : Math.abs(t.value) > 10 * t.errorBound);
    lines.push(`      non-zero c_alpha = E[g(z) He_alpha(z)]/sqrt(alpha!), He_alpha = prod_i He_{alpha_i}(z_i), by total degree |alpha|:`);
    lines.push(table(["|alpha|", "alpha", "c_alpha", "exact", "error bound"], nz.map((t) => [String(t.alpha.reduce((s, x) => s + x, 0)), `(${t.alpha.join(",")})`, num(t.value), t.exact ?? "", sci(t.errorBound)])));
  }
  const captured = h.secondMoment > 0 ? 100 * (1 - h.parsevalResidual / h.secondMoment) : 100;
  lines.push(`Parseval: E[f^2] = ${num(h.secondMoment)}${h.secondMomentExact ? ` (= ${h.secondMomentExact})` : ""}; sum_{k<=${h.maxDegree}} c_k^2 captures ${num(Math.min(100, captured), 8)}% (residual ${sci(h.parsevalResidual)} +- ${sci(h.parsevalResidualError)})`);
  lines.push(`information exponent: ${a.informationExponent ?? (a.informationExponentNote.startsWith("IE >") ? `> ${h.maxDegree}` : "undefined")}`);
  lines.push(`  ${a.informationExponentNote}`);
  return lines.join("\n");
}
