/** Plain-text tables and number formatting for human output. */

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Significant-digit formatting that never prints NaN: non-finite values print as "n/a". */
export function num(x: number, digits = 12): string {
  if (!Number.isFinite(x)) return "n/a";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e6) return Number(x.toPrecision(digits)).toString();
  return x.toExponential(Math.min(digits, 6) - 1);
}

export const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : "n/a");
