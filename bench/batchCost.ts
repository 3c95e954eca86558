/**
 * `npm run bench -- batch-cost`: calibrate the batch cost model (src/simulations/batch/cost.ts). Every distinct run
 * configuration of the giant-step and batch-reuse presets (default size) and the README's single batch runs is run
 * with 2 seeds on the auto backend; the CPU time (process.cpuUsage: user + system of all threads, the backend's
 * included) of the second seed is the per-seed cost (the first also pays the set-up). The four rates are fitted by
 * non-negative least squares on relative errors and written, with the measurements and the machine, to
 * src/simulations/batch/costCalibration.ts. BATCH_COST_ONLY=substring restricts the configurations (no rewrite).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GIANT_STEP_PRESETS, BATCH_REUSE_PRESETS } from "../src/simulations/batch/presets.js";
import { simulateGiantStep, GIANT_STEP_DEFAULTS, type GiantStepConfig } from "../src/simulations/batch/giantStep.js";
import { simulateBatchReuse, BATCH_REUSE_DEFAULTS, type BatchReuseConfig } from "../src/simulations/batch/batchReuse.js";
import { batchReuseWork, giantStepWork, workSeconds, WORK_KINDS, type BatchCostCalibration, type GiantShape, type ReuseShape } from "../src/simulations/batch/cost.js";
import { chooseBackend, parseBackend } from "../src/tensors/select.js";
import { matrix } from "../src/tensors/matrix.js";
import type { TensorBackend } from "../src/tensors/backend.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const KINDS = WORK_KINDS;

type Case = { label: string; kind: "giant-step"; config: GiantStepConfig } | { label: string; kind: "batch-reuse"; config: BatchReuseConfig };

/** One measured seed: what ran (the shape the cost model reads) and its CPU seconds. */
export type CostMeasurement = { readonly label: string; readonly cpuSeconds: number } & ({ readonly kind: "giant-step"; readonly shape: GiantShape } | { readonly kind: "batch-reuse"; readonly shape: ReuseShape });

export const giantShape = (c: GiantStepConfig): GiantShape => ({ d: c.d, p: c.p, n: c.n, steps: c.steps, nTest: c.nTest, nRefit: c.nRefit, preprocess: c.preprocess, activation: c.activation, target: c.target, ...(c.protocol ? { protocol: c.protocol } : {}) });
export const reuseShape = (c: BatchReuseConfig): ReuseShape => ({ d: c.d, p: c.p, alpha: c.alpha, steps: c.steps, nTest: c.nTest, algorithm: c.algorithm, minibatches: c.minibatches, activation: c.activation });
/** The work of a measured seed by the current cost model. */
export const workOf = (m: CostMeasurement) => (m.kind === "giant-step" ? giantStepWork(m.shape) : batchReuseWork(m.shape));

export function cases(): Case[] {
  const out: Case[] = [];
  const seen = new Set<string>();
  const key = (c: object) => JSON.stringify({ ...c, target: undefined, seeds: undefined, masterSeed: undefined, eta: undefined });
  for (const p of GIANT_STEP_PRESETS) for (const r of p.runs({})) {
    if (seen.has(key(r.config))) continue;
    seen.add(key(r.config));
    out.push({ label: `giant-step --preset ${p.name} ${r.tag}`, kind: "giant-step", config: { ...r.config, seeds: 2 } });
  }
  for (const p of BATCH_REUSE_PRESETS) for (const r of p.runs({})) {
    if (seen.has(key(r.config))) continue;
    seen.add(key(r.config));
    out.push({ label: `batch-reuse --preset ${p.name} ${r.tag}`, kind: "batch-reuse", config: { ...r.config, seeds: 2 } });
  }
  // the README's single runs (and one wide batch-reuse and one tanh giant step, off the presets' shapes)
  out.push({ label: "giant-step README two-index d=256 p=512 n=d^2 T=2", kind: "giant-step", config: { ...GIANT_STEP_DEFAULTS, target: "0.5*(z1 + z1^2 + z2 - z2^2)", d: 256, p: 512, n: 65536, nRefit: 65536, steps: 2, seeds: 2 } });
  out.push({ label: "giant-step tanh d=128 p=256 n=8192 T=1", kind: "giant-step", config: { ...GIANT_STEP_DEFAULTS, target: "He(2,z)", activation: "tanh(z)", d: 128, p: 256, n: 8192, nRefit: 8192, steps: 1, seeds: 2 } });
  out.push({ label: "batch-reuse README He3 relu d=1000 alpha=2 T=4", kind: "batch-reuse", config: { ...BATCH_REUSE_DEFAULTS, target: "He(3,z)", d: 1000, alpha: 2, eta: "1", steps: 4, seeds: 2 } });
  out.push({ label: "batch-reuse README He3/sqrt6 p=2 alpha=5 T=2", kind: "batch-reuse", config: { ...BATCH_REUSE_DEFAULTS, target: "He(3,z)/sqrt(6)", p: 2, alpha: 5, eta: "0.2", steps: 2, seeds: 2 } });
  out.push({ label: "batch-reuse wide p=64 d=500 alpha=4 T=3", kind: "batch-reuse", config: { ...BATCH_REUSE_DEFAULTS, target: "He(2,z)", d: 500, p: 64, alpha: 4, steps: 3, seeds: 2 } });
  return out;
}

const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/**
 * Least squares of X b ~ y over b >= 0, on residuals relative to y + FLOOR (a seed of a few hundredths of a second is
 * mostly noise on a loaded machine): the best of the 2^m supports.
 */
const FLOOR = 0.05;
export function fitRates(input: readonly { x: readonly number[]; y: number }[]): number[] {
  const m = input[0]!.x.length;
  const rows = input.map((r) => ({ x: r.x.map((v) => (v * r.y) / (r.y + FLOOR)), y: r.y }));
  let best: { b: number[]; r: number } | null = null;
  for (let mask = 1; mask < 1 << m; mask++) {
    const idx = Array.from({ length: m }, (_, j) => j).filter((j) => mask & (1 << j));
    // normal equations of the scaled problem, on the columns of the support (each column scaled to unit size)
    const scale = idx.map((j) => Math.max(...rows.map((r) => r.x[j]! / r.y)) || 1);
    const A = idx.map(() => new Array<number>(idx.length).fill(0)), v = new Array<number>(idx.length).fill(0);
    for (const r of rows) {
      const a = idx.map((j, i) => r.x[j]! / r.y / scale[i]!);
      for (let i = 0; i < idx.length; i++) { v[i] += a[i]!; for (let k = 0; k < idx.length; k++) A[i]![k] += a[i]! * a[k]!; }
    }
    const sol = solve(A, v);
    if (!sol || sol.some((s) => !(s > 0))) continue;
    const b = new Array<number>(m).fill(0);
    idx.forEach((j, i) => { b[j] = sol[i]! / scale[i]!; });
    const r = rows.reduce((s, row) => s + (row.x.reduce((t, x, j) => t + x * b[j]!, 0) / row.y - 1) ** 2, 0);
    if (!best || r < best.r) best = { b, r };
  }
  if (!best) throw new Error("no non-negative fit");
  return best.b;
}

function solve(A: number[][], v: number[]): number[] | null {
  const n = v.length, M = A.map((r, i) => [...r, v[i]!]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r;
    if (Math.abs(M[piv]![c]!) < 1e-12) return null;
    [M[c], M[piv]] = [M[piv]!, M[c]!];
    for (let r = 0; r < n; r++) if (r !== c) { const f = M[r]![c]! / M[c]![c]!; for (let k = c; k <= n; k++) M[r]![k] -= f * M[c]![k]!; }
  }
  return M.map((r, i) => r[n]! / r[i]!);
}

/**
 * CPU seconds per multiply-add and per operand element of the backend's product, measured directly (the fit cannot
 * separate them from the JavaScript loops on the presets' shapes): the forward and gradient products of an
 * 8192-row block at (d, p) = (512, 1024), compute-bound, and (2000, 8), bound by reading Z; best of 3 each; the two
 * rates solve the two equations.
 */
async function productRates(backend: TensorBackend): Promise<{ multiplyAdds: number; operands: number }> {
  const eq: { mac: number; el: number; t: number }[] = [];
  for (const [n, d, p] of [[8192, 512, 1024], [8192, 2000, 8]] as const) {
    const Z = matrix(n, d), W = matrix(p, d), G = matrix(n, p);
    for (const m of [Z, W, G]) for (let i = 0; i < m.data.length; i++) m.data[i] = Math.sin(i);
    await backend.matmul(Z, W, { transB: true });
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t0 = cpuNow();
      await backend.matmul(Z, W, { transB: true });
      await backend.matmul(G, Z, { transA: true });
      best = Math.min(best, cpuNow() - t0);
    }
    eq.push({ mac: 2 * n * d * p, el: 2 * n * (d + p), t: best });
  }
  const [x, y] = eq as [typeof eq[0], typeof eq[0]];
  const det = x.mac * y.el - x.el * y.mac;
  const mac = (x.t * y.el - x.el * y.t) / det, el = (x.mac * y.t - x.t * y.mac) / det;
  return { multiplyAdds: Math.max(mac, 1e-12), operands: Math.max(el, 0) };
}

async function measureAll(only: string | undefined): Promise<{ measured: CostMeasurement[]; backend: string; load: number[]; measuredRates: { multiplyAdds: number; operands: number } }> {
  const list = cases().filter((c) => !only || c.label.includes(only));
  const { backend } = await chooseBackend(parseBackend("auto"));
  const load = loadavg();
  const measured: CostMeasurement[] = [];
  let measuredRates: { multiplyAdds: number; operands: number };
  try {
    measuredRates = await productRates(backend);
    for (const c of list) {
      const marks: number[] = [];
      const hooks = { onSeed: () => { marks.push(cpuNow()); } };
      const t0 = cpuNow();
      if (c.kind === "giant-step") await simulateGiantStep(c.config, backend, () => {}, hooks);
      else await simulateBatchReuse(c.config, backend, () => {}, hooks);
      const cpuSeconds = marks[1]! - marks[0]!;
      measured.push(c.kind === "giant-step" ? { label: c.label, kind: c.kind, shape: giantShape(c.config), cpuSeconds } : { label: c.label, kind: c.kind, shape: reuseShape(c.config), cpuSeconds });
      process.stderr.write(`${c.label}: ${cpuSeconds.toFixed(3)} CPU-s per seed (first seed with set-up ${(marks[0]! - t0).toFixed(3)})\n`);
    }
  } finally { await backend.dispose(); }
  return { measured, backend: backend.name, load, measuredRates };
}

/**
 * Measure (or, with BATCH_COST_REFIT=FILE, read the raw measurements of an earlier run from FILE), fit, and write the
 * calibration; the raw measurements go to runs/batch-cost.json.
 */
export async function benchBatchCost(): Promise<string> {
  const only = process.env.BATCH_COST_ONLY, refit = process.env.BATCH_COST_REFIT;
  const raw = refit ? JSON.parse(readFileSync(refit, "utf8")) as { measured: CostMeasurement[]; backend: string; load: number[]; date: string; measuredRates: { multiplyAdds: number; operands: number } } : { ...await measureAll(only), date: new Date().toISOString().slice(0, 16).replace("T", " ") };
  const { measured, load } = raw;
  if (!refit) { mkdirSync(path.join(root, "runs"), { recursive: true }); writeFileSync(path.join(root, "runs/batch-cost.json"), `${JSON.stringify(raw, null, 2)}\n`); }
  const lines: string[] = [];
  // the product's rates are measured; the other rates are fitted to what is left of each seed's time
  const R = raw.measuredRates;
  const rest = KINDS.filter((k) => k !== "multiplyAdds" && k !== "operands");
  const fitted = fitRates(measured.map((m) => { const w = workOf(m); return { x: rest.map((k) => w[k]), y: Math.max(0.2 * m.cpuSeconds, m.cpuSeconds - w.multiplyAdds * R.multiplyAdds - w.operands * R.operands) }; }));
  const rates = KINDS.map((k) => (k === "multiplyAdds" || k === "operands" ? R[k] : fitted[rest.indexOf(k)]!));
  const secondsPer = Object.fromEntries(KINDS.map((k, j) => [k, rates[j]!])) as unknown as BatchCostCalibration["secondsPer"];
  const cal: BatchCostCalibration = {
    secondsPer,
    provenance: `npm run bench -- batch-cost, ${raw.date} UTC: ${measured.length} configurations, the second of 2 seeds each, backend ${raw.backend}, ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, load average at the start ${load.map((x) => x.toFixed(1)).join("/")} (shared machine); the product's rates measured (${(1 / R.multiplyAdds / 1e9).toFixed(1)} G multiply-adds and ${(1 / R.operands / 1e9).toFixed(2)} G operand elements per CPU-second), the others by non-negative least squares on relative errors`,
  };
  for (const m of measured) {
    const est = workSeconds(workOf(m), cal);
    lines.push(`${m.label.padEnd(62)} measured ${m.cpuSeconds.toFixed(3).padStart(8)} CPU-s  model ${est.toFixed(3).padStart(8)}  ratio ${(m.cpuSeconds / est).toFixed(2)}`);
  }
  const ratios = measured.map((m) => m.cpuSeconds / workSeconds(workOf(m), cal));
  lines.push(`rates (s per unit): ${KINDS.map((k) => `${k} ${secondsPer[k].toExponential(3)}`).join(", ")}`);
  lines.push(`measured / model: ${Math.min(...ratios).toFixed(2)} .. ${Math.max(...ratios).toFixed(2)}`);
  if (!only) {
    const file = path.join(root, "src/simulations/batch/costCalibration.ts");
    writeFileSync(file, [
      "// Written by `npm run bench -- batch-cost` (bench/batchCost.ts); do not edit by hand.",
      `export const CALIBRATION = ${JSON.stringify({ ...cal, measurements: measured.map((m) => ({ ...m, cpuSeconds: Number(m.cpuSeconds.toFixed(4)) })) }, null, 2)};`,
      "",
    ].join("\n"));
    lines.push(`written to ${path.relative(root, file)} (rebuild to use it)`);
  }
  return lines.join("\n");
}
