/**
 * Special functions for the numerical layers and the statistics: the complementary error function (accurate in the
 * far tail), log Gamma and the regularised incomplete beta function.
 */
import { mathjsErf } from "./mathjs.js";

let erfImpl: ((x: number) => number) | null = null;
/**
 * mathjs's erf on numbers (its typed-function signature, called directly), built on the first call from mathjs's erf
 * factory alone: the ES-module entry costs ~0.4 s of CLI start-up, the full bundle ~0.1 s (see numeric/mathjs.ts).
 */
export const erfNumber = (x: number): number => (erfImpl ??= mathjsErf().signatures["number"]!)(x);

/**
 * Complementary error function, accurate in the far tail: 1 - erf(x) for x < 2, else the continued fraction
 * erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) evaluated by the modified Lentz method.
 */
export function erfc(x: number): number {
  if (x < 2) return 1 - erfNumber(x);
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / erfcContinuedFraction(x);
}

/**
 * The scaled complementary error function erfcx(x) = exp(x^2) erfc(x) for x >= 0, without the factor exp(-x^2)
 * (whose rounding, x^2 eps relative, dominates erfc far out): the continued fraction for x >= 1, (1 - erf(x)) exp(x^2)
 * below (erfc(x) >= 0.157 there, so the subtraction loses nothing). Relative error a few ulps (checked against mpmath
 * in test/fuzz/issue19-remaining.test.ts).
 */
export function erfcx(x: number): number {
  if (x < 1) return (1 - erfNumber(x)) * Math.exp(x * x);
  return 1 / Math.sqrt(Math.PI) / erfcContinuedFraction(x);
}

/** x + (1/2)/(x + 1/(x + (3/2)/(x + ...))) by the modified Lentz method (x >= 1). */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x, C = x, D = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    D = x + a * D; D = D === 0 ? tiny : 1 / D;
    C = x + a / C; if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/** Regularised incomplete beta I_x(a, b) by the Lentz continued fraction (Numerical Recipes §6.4). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbeta = lgamma(a + b) - lgamma(a) - lgamma(b);
  const front = Math.exp(Math.log(x) * a + Math.log(1 - x) * b + lbeta);
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  let f = 1, c = 1, d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = Math.floor(i / 2);
    let num: number;
    if (i === 0) num = 1;
    else if (i % 2 === 0) num = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d; if (Math.abs(d) < 1e-300) d = 1e-300; d = 1 / d;
    c = 1 + num / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    const cd = c * d; f *= cd;
    if (Math.abs(1 - cd) < 1e-14) break;
  }
  return (front * (f - 1)) / a;
}

/** log Gamma by the Lanczos approximation (g = 7, 9 terms). */
export function lgamma(z: number): number {
  const g = 7, c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgamma(1 - z);
  z -= 1;
  let x = c[0]!;
  for (let i = 1; i < g + 2; i++) x += c[i]! / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}
