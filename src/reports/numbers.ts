/** Number formatting shared by reports and the CLI: never prints NaN (non-finite values print as "n/a"). */

/** Significant-digit formatting: plain notation for 1e-4 <= |x| < 1e6, scientific otherwise. */
export function num(x: number, digits = 12): string {
  if (!Number.isFinite(x)) return "n/a";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e6) return Number(x.toPrecision(digits)).toString();
  return x.toExponential(Math.min(digits, 6) - 1);
}

/** Two significant digits in scientific notation. */
export const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : "n/a");
