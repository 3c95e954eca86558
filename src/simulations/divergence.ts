/**
 * The one divergence rule of every simulator: a run has diverged at the first step at which a monitored quantity
 * is not finite or exceeds DIVERGENCE_BOUND in absolute value. Monitored quantities are O(1) in a sane run: losses
 * and test errors in the units of the labels, |w|^2/d of a first-layer row (1 at initialisation), second-layer
 * weights. A diverged run stops, is reported per seed with the step and the reason, and is never averaged into a
 * curve or counted as an escape.
 */

/** Absolute value beyond which a monitored quantity counts as diverged. */
export const DIVERGENCE_BOUND = 1e8;

/** Where and why a run diverged. */
export interface Divergence {
  /** First step at which a monitored quantity left the finite range or the bound. */
  readonly step: number;
  readonly reason: string;
}

/** Why a single value counts as diverged ("not finite", "= 5.1e+35 > 1e8"), or null when it does not. */
export function divergedValue(value: number, bound = DIVERGENCE_BOUND): string | null {
  if (!Number.isFinite(value)) return `is not finite (${value})`;
  if (Math.abs(value) > bound) return `= ${value.toExponential(2)} exceeds the divergence bound ${bound.toExponential(0)}`;
  return null;
}

/**
 * The divergence of step `step` from named monitored quantities (a number, or an array: its worst entry), or null.
 * E.g. divergenceAt(3, { "training loss": 2.1, "|w|^2/d": Q }) -> { step: 3, reason: "|w|^2/d = 5.0e+35 exceeds ..." }.
 */
export function divergenceAt(step: number, quantities: Record<string, number | ArrayLike<number>>, bound = DIVERGENCE_BOUND): Divergence | null {
  for (const [name, q] of Object.entries(quantities)) {
    if (typeof q === "number") {
      const why = divergedValue(q, bound);
      if (why) return { step, reason: `${name} ${why} at step ${step}` };
      continue;
    }
    let worst = 0;
    for (let i = 0; i < q.length; i++) {
      const v = q[i]!;
      if (!Number.isFinite(v)) return { step, reason: `${name} is not finite (${v}) at step ${step}` };
      if (Math.abs(v) > Math.abs(worst)) worst = v;
    }
    const why = divergedValue(worst, bound);
    if (why) return { step, reason: `${name} ${why} at step ${step}` };
  }
  return null;
}

/** Squared norms of the rows of a row-major `rows x cols` matrix, divided by `scale` (e.g. |w_i|^2 / d). */
export function rowSquaredNorms(W: ArrayLike<number>, rows: number, cols: number, scale = 1): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let l = 0; l < cols; l++) s += W[i * cols + l]! ** 2;
    out[i] = s / scale;
  }
  return out;
}
