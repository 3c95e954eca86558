/**
 * Report section (`report --threshold FILE`, issue 15): the phase diagram of a `simulate threshold` run. The overlap
 * against alpha = n/d at each d (mean ± se over seeds), the d = infinity prediction (GAMP: state evolution at the
 * predicted alpha_c after the same number of iterations; spectral: the predicted overlap^2 curve), the predicted
 * threshold alpha_c and the located transition with its bootstrap 95% CI; then the verdict.
 */
import { readFileSync } from "node:fs";
import type { z } from "zod";
import { ThresholdSchema } from "../schemas.js";
import { InputError } from "../../link/errors.js";
import { type Block, type Section, figureBlock, tableBlock, text } from "../document.js";
import { OKABE_ITO } from "../plots.js";
import { alphaCLatex } from "../math.js";
import { num } from "../numbers.js";

/** A `simulate threshold --json` output, as validated by its schema (non-finite numbers are null). */
export type ThresholdRun = z.output<typeof ThresholdSchema>;

/**
 * Read and validate a saved `simulate threshold --json` output (the schema the run's output is typed against).
 * @throws InputError naming the file and the first keys that do not match.
 */
export function readThresholdRun(file: string): ThresholdRun {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(`--threshold '${file}': ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not JSON (${(e as Error).message})`}`);
  }
  return parseThresholdRun(value, `--threshold '${file}'`);
}

/**
 * Validate a parsed `simulate threshold --json` output.
 * @param source names the input in the error (a file, a command).
 * @throws InputError naming the source and the first keys that do not match.
 */
export function parseThresholdRun(value: unknown, source: string): ThresholdRun {
  const r = ThresholdSchema.safeParse(value);
  if (!r.success) {
    const where = r.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
    throw new InputError(`${source} is not the output of 'index-lab simulate threshold --json' (${where})`);
  }
  return r.data;
}

/** One point of the phase diagram: the overlap at (d, alpha) with its standard error. */
interface Cell { readonly d: number; readonly alpha: number; readonly mean: number; readonly se: number }

/** What the figure and table show, whichever method produced the run. */
interface PhaseDiagram {
  readonly quantity: string;
  readonly cells: readonly Cell[];
  readonly predicted: readonly { alpha: number; value: number }[];
  readonly predictedLabel: string;
  readonly estimate: number | null;
  readonly ci95: readonly [number | null, number | null];
  readonly reason: string;
}

function gampDiagram(r: ThresholdRun): PhaseDiagram {
  const g = r.gamp!, rep = g.report, T = g.iterations;
  const last = (xs: readonly (number | null)[]) => xs[xs.length - 1] ?? null;
  const cells = rep.curves.flatMap((c) => {
    const mean = last(c.mean), se = last(c.se);
    return mean === null ? [] : [{ d: c.d, alpha: c.alpha, mean, se: se ?? 0 }];
  });
  // the state-evolution curve does not depend on d: one point per alpha
  const predicted = [...new Map(rep.curves.map((c) => [c.alpha, last(c.predicted)])).entries()]
    .flatMap(([alpha, value]) => (value === null ? [] : [{ alpha, value }])).sort((a, b) => a.alpha - b.alpha);
  return {
    quantity: `overlap m_${T} = <w_hat_${T}, w*>/d after ${T} GAMP iterations (${g.start === "zero" ? "from w_hat = 0" : `planted m_0 = ${g.q0}`})`,
    cells, predicted, predictedLabel: `state evolution at alpha_c (d = ∞, ${T} iterations)`,
    estimate: rep.estimate, ci95: rep.ci95, reason: rep.reason,
  };
}

function spectralDiagram(r: ThresholdRun): PhaseDiagram {
  const t = r.transition!;
  return {
    quantity: "overlap^2 = <v, w*>^2 of the unit top eigenvector",
    cells: t.curves.flatMap((c) => (c.mean === null ? [] : [{ d: c.d, alpha: c.alpha, mean: c.mean, se: c.se ?? 0 }])),
    predicted: (r.predictedCurve ?? []).flatMap((p) => (p.overlapSquared === null ? [] : [{ alpha: p.alpha, value: p.overlapSquared }])),
    predictedLabel: "predicted overlap^2 (d = ∞)",
    estimate: t.estimate, ci95: t.ci95, reason: t.reason,
  };
}

/** The vega-lite phase diagram: data by d, the prediction, alpha_c and the located transition's CI, all in the legend. */
function phaseDiagramSpec(p: PhaseDiagram, alphaC: number | null, dims: readonly number[]): Record<string, unknown> {
  const alphas = p.cells.map((c) => c.alpha);
  const lo = Math.min(...alphas), hi = Math.max(...alphas);
  const series = (d: number) => `simulation, d = ${d}`;
  const CI = "located transition, 95% CI", EST = "located transition", PRED = p.predictedLabel, AC = "predicted alpha_c";
  const domain = [...dims.map(series), PRED, AC, ...(p.estimate !== null ? [EST, CI] : [])];
  const range = [...dims.map((_, i) => [OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[5], OKABE_ITO[6]][i % 5]!), OKABE_ITO[7], OKABE_ITO[3], OKABE_ITO[1], OKABE_ITO[1]];
  const color = { field: "series", type: "nominal", title: null, scale: { domain, range }, legend: { symbolOpacity: 1 } };
  const x = { field: "alpha", type: "quantitative", title: "alpha = n/d", scale: { domain: [lo, hi], nice: false } };
  const layers: Record<string, unknown>[] = [];
  if (p.estimate !== null) {
    const [a, b] = p.ci95;
    layers.push({
      data: { values: [{ from: Math.max(lo, a ?? lo), to: Math.min(hi, b ?? hi), series: CI }] },
      mark: { type: "rect", opacity: 0.18 }, encoding: { x: { ...x, field: "from" }, x2: { field: "to" }, color },
    });
    layers.push({ data: { values: [{ alpha: p.estimate, series: EST }] }, mark: { type: "rule", strokeWidth: 1.5 }, encoding: { x, color } });
  }
  if (alphaC !== null && alphaC >= lo && alphaC <= hi) {
    layers.push({ data: { values: [{ alpha: alphaC, series: AC }] }, mark: { type: "rule", strokeDash: [5, 3], strokeWidth: 1.5 }, encoding: { x, color } });
  }
  if (p.predicted.length) {
    layers.push({ data: { values: p.predicted.map((q) => ({ alpha: q.alpha, y: q.value, series: PRED })) }, mark: { type: "line", strokeDash: [2, 2] }, encoding: { x, y: { field: "y", type: "quantitative" }, color } });
  }
  const data = p.cells.map((c) => ({ alpha: c.alpha, y: c.mean, lo: c.mean - c.se, hi: c.mean + c.se, series: series(c.d) }));
  layers.push({ data: { values: data }, mark: { type: "rule" }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color } });
  layers.push({
    data: { values: data }, mark: { type: "line", point: { filled: true, size: 36 } },
    encoding: { x, y: { field: "y", type: "quantitative", title: p.quantity.split(" = ")[0] ?? "overlap" }, color },
  });
  return { width: 440, height: 260, layer: layers };
}

const ciText = (ci: readonly [number | null, number | null]) => `[${ci[0] === null ? "open" : num(ci[0], 4)}, ${ci[1] === null ? "open" : num(ci[1], 4)}]`;

/**
 * The phase-diagram section of a threshold run: figure, the overlap table by alpha and d, the predicted alpha_c
 * (typeset) against the located transition, and the run's verdict (which sets the report's exit code).
 */
export function thresholdSection(r: ThresholdRun, id = "threshold"): Section {
  const title = `Weak-recovery threshold: phase diagram (${r.method === "gamp" ? "GAMP against state evolution" : "spectral estimator"})`;
  try {
    if (r.method === "gamp" ? !r.gamp : !r.transition) return { id, title, status: "failed", reason: `the ${r.method} run carries no ${r.method === "gamp" ? "gamp" : "transition"} data`, blocks: [] };
    const p = r.method === "gamp" ? gampDiagram(r) : spectralDiagram(r);
    const pr = r.prediction;
    const alphaC = pr.alphaC;
    const blocks: Block[] = [
      text(`Predicted threshold ($\\alpha = n/d$): $${alphaCLatex({ alphaC: alphaC ?? Infinity, exact: pr.exact, errorBound: pr.errorBound ?? Infinity, interval: [pr.interval[0] ?? 0, pr.interval[1] ?? Infinity] })}$ (${pr.regime}; ${pr.basis}). ${pr.note} [${pr.citation}]`),
      text(`Run: link \`${r.link}\`, noise \`${r.noise}\`, ${r.method === "gamp" ? "GAMP" : `estimator ${r.estimator}`}; d = ${r.dims.join(", ")}; ${r.seeds} seeds per (d, alpha); backend ${r.backend}. ${r.estimatorNote}`),
      figureBlock({
        id: `${id}-phase-diagram`,
        caption: `Phase diagram of ${r.link}: ${p.quantity} against alpha = n/d, mean ± se over ${r.seeds} seeds at each d; ${p.predictedLabel} (dotted); predicted alpha_c (dashed)${p.estimate !== null ? `; located transition ${num(p.estimate, 4)} with its bootstrap 95% CI ${ciText(p.ci95)} (band)` : "; no transition located"}.`,
        spec: phaseDiagramSpec(p, alphaC, r.dims),
      }),
      tableBlock({
        caption: `${p.quantity}: mean ± se by alpha and d, and the d = ∞ prediction`,
        header: ["alpha", ...r.dims.map((d) => `d = ${d}`), "predicted (d = ∞)"],
        rows: [...new Set(p.cells.map((c) => c.alpha))].sort((a, b) => a - b).map((a) => [
          num(a, 6),
          ...r.dims.map((d) => { const c = p.cells.find((x) => x.d === d && x.alpha === a); return c ? `${num(c.mean, 4)} ± ${num(c.se, 2)}` : "-"; }),
          (() => { const q = p.predicted.find((x) => x.alpha === a); return q ? num(q.value, 4) : "-"; })(),
        ]),
      }),
      text(`**Verdict: ${r.verdict}.** Located transition ${p.estimate === null ? "none" : `${num(p.estimate, 5)}, 95% CI ${ciText(p.ci95)}`}. ${p.reason.replace(/\.?$/, ".")}${r.sweep.complete ? "" : " The sweep was incomplete (shards not merged): the verdict covers the runs present."}`),
    ];
    return { id, title, status: "ok", blocks, verdicts: [{ claim: `weak-recovery threshold alpha_c of ${r.link} (simulate threshold, ${r.method})`, verdict: r.verdict }] };
  } catch (e) {
    return { id, title, status: "failed", reason: e instanceof Error ? e.message : String(e), blocks: [] };
  }
}
