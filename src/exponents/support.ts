/**
 * The Hermite support S = {alpha != 0 : c_alpha != 0} of a multi-index link, every member and every excluded
 * entry judged with its reason (exact zero, parity in a coordinate, or a numerical bound; certificates.ts).
 */
import type { Link } from "../link/link.js";
import type { HermiteSpectrum } from "../hermite/spectrum.js";
import { parityOf, type ParityCertificate } from "../link/parity.js";
import { judgeCoefficient, type CoefficientVerdict } from "./certificates.js";
import { variablesOf } from "../link/expr.js";
import { seededRng } from "../numeric/xoshiro.js";

/** One c_alpha with its value and the certified verdict on whether it belongs to the Hermite support. */
export interface SupportEntry extends CoefficientVerdict {
  readonly alpha: readonly number[];
  readonly value: number;
}

const proof = (p: ParityCertificate) => (p.method === "symbolic" ? "proved from the expression" : "numerical check");

/** Every c_alpha with 1 <= |alpha| <= K, judged; coordinate parities give exact zeros (odd alpha_i for an even dependence on z_i, and so on). */
export function judgedTensor(link: Link, spectrum: HermiteSpectrum): SupportEntry[] {
  const tensor = spectrum.tensor ?? [];
  const coordinate = link.variables.map((_, i) => parityOf(link, new Set([i])));
  const out: SupportEntry[] = [];
  for (const t of tensor) {
    const degree = t.alpha.reduce((a, b) => a + b, 0);
    if (degree === 0) continue;
    let parityReason: string | null = null;
    for (let i = 0; i < t.alpha.length && !parityReason; i++) {
      const p = coordinate[i]!, a = t.alpha[i]!;
      if (p.parity === "even" && a % 2 === 1) parityReason = `the link is even in ${link.variables[i]} (${proof(p)})`;
      else if (p.parity === "odd" && a % 2 === 0) parityReason = `the link is odd in ${link.variables[i]} (${proof(p)})`;
    }
    const v = judgeCoefficient(`c_(${t.alpha.join(",")})`, { value: t.value, exact: t.exact, errorBound: t.errorBound }, parityReason);
    out.push({ alpha: t.alpha, value: t.value, ...v });
  }
  return out;
}

/** Total degree |alpha| = sum_i alpha_i. */
export const degreeOf = (alpha: readonly number[]) => alpha.reduce((a, b) => a + b, 0);
/** Coordinates i with alpha_i > 0. */
export const supportOf = (alpha: readonly number[]) => alpha.flatMap((a, i) => (a > 0 ? [i] : []));

/**
 * Coordinates the link depends on: those that occur in the expression and whose value changes g somewhere
 * (checked at 400 seeded Gaussian points by resampling z_j; `0*z2` occurs but is irrelevant).
 */
export function relevantCoordinates(link: Link): number[] {
  const occurring = [...variablesOf(link.expr)].sort((a, b) => a - b);
  const rng = seededRng(0x51ed);
  const r = link.dimension;
  const z = new Float64Array(r);
  return occurring.filter((j) => {
    for (let t = 0; t < 400; t++) {
      for (let i = 0; i < r; i++) z[i] = rng.normal() * (t < 200 ? 1 : 3);
      const a = link.g(z);
      z[j] = rng.normal() * 2;
      const b = link.g(z);
      if (Math.abs(a - b) > 1e-12 * (1 + Math.abs(a) + Math.abs(b))) return true;
    }
    return false;
  });
}
