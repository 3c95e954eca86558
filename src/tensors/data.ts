/**
 * Gaussian data generated block by block from the seed, so a batch of any size can be streamed (never held whole)
 * and regenerated identically: rows are produced in fixed chunks of CHUNK_ROWS, each from its own counter-keyed
 * stream (master seed, batch label, chunk index) of src/numeric/xoshiro.ts. The rows therefore do not depend on the
 * block size the consumer uses, nor on the order in which blocks are requested.
 */
import { Xoshiro128 } from "../numeric/xoshiro.js";

/**
 * Rows per counter-keyed chunk of a Gaussian batch: the unit of generation, independent of the consumer's block size.
 */
export const CHUNK_ROWS = 256;

/** A named batch of i.i.d. N(0, I_d) rows: (seed, label) identify it, e.g. label "train/step=3". */
export interface GaussianBatch {
  readonly seed: number;
  readonly label: string;
  readonly d: number;
  readonly n: number;
}

let scratch = new Float64Array(0);

/**
 * Blocks generated recently, by (seed, label, d, start, count), kept up to BLOCK_MEMORY_BYTES in all (oldest dropped
 * first): the batch simulators read a batch two or three times (label moments, gradient, refit), and drawing a normal
 * costs more than copying it. A block is the same values whether drawn or copied.
 */
const BLOCK_MEMORY_BYTES = 128 * 2 ** 20;
const recentBlocks = new Map<string, Float32Array>();
let recentBytes = 0;

function remember(key: string, block: Float32Array): void {
  if (block.byteLength > BLOCK_MEMORY_BYTES) return;
  while (recentBytes + block.byteLength > BLOCK_MEMORY_BYTES) {
    const [oldest, b] = recentBlocks.entries().next().value as [string, Float32Array];
    recentBlocks.delete(oldest); recentBytes -= b.byteLength;
  }
  recentBlocks.set(key, block); recentBytes += block.byteLength;
}

/**
 * Forget the remembered blocks: a benchmark that runs the same experiment twice in one process calls it between the
 * runs, so that the second run draws its normals as the first did (equal work) instead of copying them.
 */
export function forgetRecentBlocks(): void {
  recentBlocks.clear();
  recentBytes = 0;
}

/** Rows [start, start + count) of the batch into `out` (row-major, count x d). */
export function gaussianRows(batch: GaussianBatch, start: number, count: number, out: Float32Array): void {
  const { d } = batch;
  if (start < 0 || count < 0 || start + count > batch.n) throw new RangeError(`rows [${start}, ${start + count}) outside a batch of ${batch.n}`);
  if (out.length < count * d) throw new RangeError("output buffer too small");
  const key = `${batch.seed}\0${batch.label}\0${d}\0${start}\0${count}`;
  const known = recentBlocks.get(key);
  if (known) { out.set(known); return; }
  drawRows(batch, start, count, out);
  remember(key, out.slice(0, count * d));
}

/**
 * Rows [start, start + count) of the batch (row-major, count x d) as a shared block: the remembered one itself when it
 * is known (no allocation, no copy), else drawn and remembered as is. The caller must not modify it (the giant step
 * reads each batch two or three times: label moments, gradient, refit).
 */
export function gaussianBlock(batch: GaussianBatch, start: number, count: number): Float32Array {
  const { d } = batch;
  if (start < 0 || count < 0 || start + count > batch.n) throw new RangeError(`rows [${start}, ${start + count}) outside a batch of ${batch.n}`);
  const key = `${batch.seed}\0${batch.label}\0${d}\0${start}\0${count}`;
  const known = recentBlocks.get(key);
  if (known) return known;
  const out = new Float32Array(count * d);
  drawRows(batch, start, count, out);
  remember(key, out);
  return out;
}

function drawRows(batch: GaussianBatch, start: number, count: number, out: Float32Array): void {
  const { d } = batch;
  let row = start;
  while (row < start + count) {
    const chunk = Math.floor(row / CHUNK_ROWS);
    const chunkStart = chunk * CHUNK_ROWS;
    const rng = Xoshiro128.forKey({ masterSeed: batch.seed, configuration: `${batch.label}/d=${d}`, replicate: chunk });
    const last = Math.min(start + count, chunkStart + CHUNK_ROWS);
    // one block draw per chunk (fillNormal returns exactly the values of successive normal() calls); the rows of
    // this chunk before `row` are drawn and dropped (only when a block is not chunk-aligned)
    const skip = (row - chunkStart) * d, len = skip + (last - row) * d;
    if (skip === 0) {
      // chunk-aligned (the usual case): straight into the output, the values of the float64 draw and copy below
      const o = (row - start) * d;
      rng.fillNormal32(out, o, o + len);
    } else {
      const buf = scratch.length >= len ? scratch : (scratch = new Float64Array(len));
      rng.fillNormal(buf, 0, len);
      out.set(buf.subarray(skip, len), (row - start) * d);
    }
    row = last;
  }
}

/** Block boundaries [start, count) covering n rows with blocks of about `blockRows` (a multiple of CHUNK_ROWS). */
export function blocks(n: number, blockRows: number): [number, number][] {
  const b = Math.max(CHUNK_ROWS, Math.round(blockRows / CHUNK_ROWS) * CHUNK_ROWS);
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += b) out.push([s, Math.min(b, n - s)]);
  return out;
}
