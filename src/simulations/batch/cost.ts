/**
 * What a seed of a batch run (giant-step, seed 001; batch-reuse, seed 002) costs before it runs, in CPU seconds:
 * the work of the seed counted in eight kinds, each at a rate calibrated on this machine class
 * (BATCH_COST_CALIBRATION, measured and fitted by `npm run bench -- batch-cost`):
 *   multiplyAdds   multiply-adds of the backend's matrix products (the two products with the batch per step, the
 *                  refit's feature and Gram products, the test features),
 *   operands       elements of the products' operands and results, rows (d + p) per product (a narrow product,
 *                  p = 2, is bound by reading Z, not by its multiply-adds; both rates are measured, not fitted),
 *   dense          multiply-adds and element passes in plain JavaScript (the ridge Cholesky solves, p^3/6; the 60
 *                  power iterations of the update's singular vectors; dot products over d in the preprocessing and the
 *                  linear predictor; Q; the gradient accumulation and weight updates, p d per block),
 *   hidden         loops over hidden units (ReLU blocks, the gradient's residual times sigma', feature sums),
 *   gaussians      normal deviates drawn (train, refit and test batches; a reused batch once),
 *   calls          calls of a closure: the target once per label, the activation where it is not ReLU (always in
 *                  batch-reuse),
 *   giantSeeds, reuseSeeds  a fixed cost per seed of each simulator (initialisation, overlaps, summaries).
 * It replaces a model of multiply-adds only at min(1.5e10, 2.2e8 p) per second, which was 1x to 3.7x off on the
 * presets (7x on the smallest giant-step shapes, whose time is in JavaScript loops, not in the products). The
 * measured seeds it was fitted to are stored with the calibration; test/batch/cost.test.ts checks the model against
 * them and against the presets' measured totals (reports/readme-timings.md).
 */
import { CALIBRATION } from "./costCalibration.js";
import type { GiantStepConfig } from "./giantStep.js";
import type { BatchReuseConfig } from "./batchReuse.js";

/** The kinds of work, in the order of the fit. */
export const WORK_KINDS = ["multiplyAdds", "operands", "dense", "hidden", "gaussians", "calls", "giantSeeds", "reuseSeeds"] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** The work of one seed, by kind. */
export type BatchWork = { readonly [K in WorkKind]: number };

/** CPU seconds per unit of each kind of work, and how they were obtained. */
export interface BatchCostCalibration {
  readonly secondsPer: { readonly [K in WorkKind]: number };
  readonly provenance: string;
}

export const BATCH_COST_CALIBRATION: BatchCostCalibration = CALIBRATION;

/** Target directions of a link, read from its text (z alone: 1; else the largest index of z1..z8). */
export const targetDimension = (target: string): number => Math.max(1, ...[...target.matchAll(/\bz([1-8])\b/g)].map((m) => Number(m[1])));

const isRelu = (activation: string) => /^(relu\(z\)|relu|max\(z,0\)|max\(0,z\))$/.test(activation.replace(/\s+/g, ""));

/** Blocks of the streamed batches (defaultBlockRows of giantStep.ts). */
const giantBlockRows = (d: number, p: number) => Math.max(256, Math.min(16384, Math.round(2 ** 23 / Math.max(d, p) / 256) * 256));

export type GiantShape = Pick<GiantStepConfig, "d" | "p" | "n" | "steps" | "nTest" | "nRefit" | "preprocess" | "activation" | "target"> & { readonly protocol?: string; readonly blockRows?: number };
export type ReuseShape = Pick<BatchReuseConfig, "d" | "p" | "alpha" | "steps" | "nTest" | "algorithm" | "minibatches" | "activation"> & { readonly cacheBytes?: number };

/** The work of one giant-step seed (runSeed of giantStep.ts, term by term). */
export function giantStepWork(c: GiantShape): BatchWork {
  const { d, p, n, steps, nTest, nRefit } = c;
  const k = targetDimension(c.target);
  const relu = isRelu(c.activation);
  const rowBlocks = (rows: number) => Math.ceil(rows / (c.blockRows ?? giantBlockRows(d, p)));
  const w = { multiplyAdds: 0, operands: 0, dense: 0, hidden: 0, gaussians: 0, calls: 0, giantSeeds: 1, reuseSeeds: 0 };
  /** sigma (or sigma and sigma') over rows x p preactivations, `passes` times, plus `sums` plain passes over them. */
  const act = (rows: number, passes: number, sums: number) => { w.hidden += (sums + (relu ? passes : 0)) * rows * p; if (!relu) w.calls += passes * rows * p; };
  // each step: the preprocessing pass (a draw, labels, two sums over d), then the batch again: draw, labels, the
  // preprocessed label (a dot product over d), the two products, residual and gradient, accumulation and update
  const pre = c.preprocess ? 1 : 0;
  w.gaussians += steps * n * d * (1 + pre);
  w.calls += steps * n * (1 + pre);
  w.dense += steps * pre * 3 * n * d;
  w.multiplyAdds += steps * 2 * n * d * p;
  w.operands += steps * 2 * n * (d + p);
  act(steps * n, 2, 2);
  w.dense += steps * (rowBlocks(n) + 3) * p * d;
  if (c.protocol === "notebook") {
    // refit on the first training batch (drawn again, preprocessed) without a random-features fit; the test set twice
    // (its labels' moments, then the predictions)
    w.gaussians += (n + 2 * nTest) * d;
    w.calls += n + 2 * nTest;
    w.dense += n * d + 3 * nTest * d + (p + 1) ** 3 / 6;
    w.multiplyAdds += n * (d * p + p * p) + nTest * d * p;
    w.operands += n * (d + 2 * p) + nTest * (d + p);
    act(n, 1, 2); act(nTest, 1, 1);
    w.dense += rowBlocks(n) * p * p;
  } else {
    // refit: learned and random features, their Gram matrices, and the linear fit's; three Cholesky solves; the test set
    w.gaussians += (nRefit + nTest) * d;
    w.calls += nRefit + nTest;
    w.dense += nRefit * d + nTest * d + (2 * (p + 1) ** 3 + (d + 1) ** 3) / 6;
    w.multiplyAdds += nRefit * (2 * d * p + 2 * p * p + d * d) + 2 * nTest * d * p;
    w.operands += nRefit * (3 * d + 4 * p) + 2 * nTest * (d + p);
    act(nRefit, 2, 2); act(nTest, 2, 2);
    w.dense += rowBlocks(nRefit) * (2 * p * p + d * d);
  }
  // the update's top-k right singular vectors (60 power iterations of 2 p d k), its cosines
  w.dense += 120 * p * d * k;
  w.dense += 2 * p * d;
  return w;
}

/** The work of one batch-reuse seed (runSeed of batchReuse.ts, term by term). */
export function batchReuseWork(c: ReuseShape): BatchWork {
  const { d, p, steps, nTest } = c;
  const n = Math.round(c.alpha * d);
  const cached = 4 * n * d <= (c.cacheBytes ?? 2 ** 30) && c.algorithm !== "one-pass";
  const rows = c.algorithm === "cycle" || c.algorithm === "replacement" ? Math.floor(n / c.minibatches) : n;
  const blocks = Math.ceil(rows / 8192);
  const w = { multiplyAdds: 0, operands: 0, dense: 0, hidden: 0, gaussians: 0, calls: 0, giantSeeds: 0, reuseSeeds: 1 };
  const drawn = nTest + (cached ? n : steps * rows);
  w.gaussians += drawn * d;
  w.calls += drawn; // the target's closure, once per label
  // the test error and the overlaps (Q = W W^T / d in full up to p = 16) at every one of the steps + 1 records;
  // the activation is a closure call per hidden unit (relu included: batch-reuse has no ReLU block loop)
  const q = p <= 16 ? (p * (p + 1)) / 2 : p;
  w.multiplyAdds += (steps + 1) * nTest * d * p;
  w.operands += (steps + 1) * nTest * (d + p);
  w.dense += (steps + 1) * q * d;
  w.calls += (steps + 1) * nTest * p;
  w.hidden += (steps + 1) * nTest * p;
  // each step: forward and gradient products over the rows used, sigma and sigma' per hidden unit, accumulation
  w.multiplyAdds += steps * 2 * rows * d * p;
  w.operands += steps * 2 * rows * (d + p);
  w.calls += steps * 2 * rows * p;
  w.hidden += steps * 2 * rows * p;
  w.dense += steps * (blocks + 3) * p * d;
  return w;
}

/** CPU seconds of work `w` at the calibrated rates. */
export function workSeconds(w: BatchWork, cal: BatchCostCalibration = BATCH_COST_CALIBRATION): number {
  const s = cal.secondsPer;
  return WORK_KINDS.reduce((t, k) => t + w[k] * s[k], 0);
}

/** Estimated CPU seconds of one giant-step seed. */
export const giantSeedSeconds = (c: GiantShape): number => workSeconds(giantStepWork(c));

/** Estimated CPU seconds of one batch-reuse seed. */
export const reuseSeedSeconds = (c: ReuseShape): number => workSeconds(batchReuseWork(c));
