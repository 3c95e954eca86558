/**
 * Dense row-major float32 matrices, and the memory budget every allocation of the batch simulators is checked
 * against before it happens.
 */
import { totalmem } from "node:os";
import { InputError } from "../link/errors.js";

/** A rows x cols matrix stored row-major: entry (i, j) at data[i * cols + j]. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

/** Same layout in float64 (reference computations and small accumulators). */
export interface Matrix64 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * A rows x cols float32 matrix, zero-filled or wrapping `data` (row-major).
 * @throws RangeError when `data` does not have rows * cols entries.
 */
export function matrix(rows: number, cols: number, data?: Float32Array): Matrix {
  const d = data ?? new Float32Array(rows * cols);
  if (d.length !== rows * cols) throw new RangeError(`matrix data has ${d.length} entries, expected ${rows} x ${cols}`);
  return { rows, cols, data: d };
}

/** One named block of memory a computation will hold at the same time as the others. */
export interface MemoryItem {
  readonly what: string;
  readonly bytes: number;
}

/** The blocks a computation will hold at once, their total, and the budget they were checked against. */
export interface MemoryPlan {
  readonly items: readonly MemoryItem[];
  readonly totalBytes: number;
  readonly limitBytes: number;
}

/** Default budget: 60% of physical memory (overridable by INDEX_LAB_MEMORY_GB). */
export function defaultMemoryLimit(): number {
  const env = Number(process.env.INDEX_LAB_MEMORY_GB);
  return Number.isFinite(env) && env > 0 ? env * 2 ** 30 : 0.6 * totalmem();
}

/** A byte count as text in GiB, e.g. "1.50 GiB". */
export const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/**
 * Check a plan against the budget before allocating anything; refuse with the itemised estimate when it does not fit.
 * @param limitBytes the budget (default {@link defaultMemoryLimit}: 60% of physical memory, or INDEX_LAB_MEMORY_GB).
 * @throws InputError with the largest items and their sizes when the total exceeds the budget, or when one array
 *   would exceed the 4 GiB single-array limit.
 */
export function checkMemory(items: MemoryItem[], limitBytes = defaultMemoryLimit()): MemoryPlan {
  const totalBytes = items.reduce((s, it) => s + it.bytes, 0);
  if (!(totalBytes <= limitBytes)) {
    const top = [...items].sort((a, b) => b.bytes - a.bytes).slice(0, 4).map((it) => `${it.what} ${gib(it.bytes)}`).join(", ");
    throw new InputError(
      `these shapes need about ${gib(totalBytes)} of memory (${top}), more than the budget of ${gib(limitBytes)}; ` +
      `reduce p, d, the block size or the refit/test sizes (or set INDEX_LAB_MEMORY_GB)`,
    );
  }
  // a Float32Array is limited to 2^32 - 1 elements by V8's ArrayBuffer limits in practice (~4 GiB here)
  for (const it of items) {
    if (it.bytes > 2 ** 32) throw new InputError(`${it.what} would need one array of ${gib(it.bytes)}, above the 4 GiB single-array limit; reduce the shapes`);
  }
  return { items, totalBytes, limitBytes };
}

/** Bytes of a float32 array with the given dimensions. */
export const f32Bytes = (...dims: number[]) => 4 * dims.reduce((a, b) => a * b, 1);
/** Bytes of a float64 array with the given dimensions. */
export const f64Bytes = (...dims: number[]) => 8 * dims.reduce((a, b) => a * b, 1);
