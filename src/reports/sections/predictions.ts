/**
 * Report section: what the literature predicts for this link, claim by claim (theory/ catalog via the prediction
 * engine), with the regime diagrams: the sample-complexity exponent of each algorithm, and the seed-000
 * learning-rate curves log_d(samples) against log_d(eta) with their predicted regimes and kinks.
 */
import type { LinkPredictions } from "../../predictions/predictLink.js";
import type { Prediction } from "../../predictions/engine.js";
import { type Block, figureBlock, tableBlock, text } from "../document.js";
import { colourScale, NEUTRAL, OKABE_ITO } from "../plots.js";
import { inlineMath } from "../math.js";

const fmt = (x: number) => String(Number(x.toPrecision(4)));

function predictionText(p: Prediction): string {
  if (p.curve) {
    const k = p.curve.kinks.map((c) => `d^${fmt(c.x)}`).join(", ");
    return `d^${fmt(p.curve.largeEnd.exponent)} at large eta, d^${fmt(p.curve.smallEnd.exponent)} at small eta${k ? `; kinks at eta ~ ${k}` : ""}`;
  }
  if (p.scaling) return `${inlineMath(p.scaling.formula)}${p.scaling.polylog ? " (up to polylog)" : ""}${p.scaling.bound !== "tight" ? ` ${p.scaling.bound} bound` : ""}`;
  if (p.structure) return p.structure.summary;
  return p.title;
}

export function predictionBlocks(lp: LinkPredictions): Block[] {
  const applicable = lp.predictions.filter((p) => p.applies);
  const blocks: Block[] = [
    text(`Each row is a claim of the catalog in \`theory/\` (one file per paper), evaluated on this link's exponents (IE ${lp.profile.informationExponent ?? "-"}, GE ${lp.profile.generativeExponent ?? "-"}${lp.kind === "multi" ? `, leap ${lp.profile.leapExponent ?? "-"}, generative leap ${lp.profile.generativeLeap ?? "-"}` : ""}). Status is the claim's standing in its source (proved, proved-up-to-logs, conjectured, empirical); "secondary" or "derived-here" sources were not read in the paper itself.`),
    tableBlock({
      caption: "Predictions that apply to this link",
      header: ["algorithm", "prediction", "claim", "status (source)", "citation"],
      rows: applicable.map((p) => [p.algorithm, predictionText(p), p.claimId, `${p.status} (${p.source})`, p.citation]),
    }),
  ];
  // sample complexities only (not step sizes, time complexities or learning-rate curves)
  const scalings = applicable.filter((p) => /^(total )?samples/.test(p.quantity) && p.scaling && p.scaling.base === "d" && p.scaling.exponent !== null && !p.curve);
  if (scalings.length) {
    const best = new Map<string, { exponent: number; logPower: number; bound: string }>();
    for (const p of scalings) {
      const key = `${p.algorithm}${p.scaling!.bound === "lower" ? " (lower bound)" : ""}`;
      const cur = best.get(key);
      if (!cur || p.scaling!.exponent! < cur.exponent) best.set(key, { exponent: p.scaling!.exponent!, logPower: p.scaling!.logPower, bound: p.scaling!.bound });
    }
    blocks.push(figureBlock({
      id: "sample-complexity",
      caption: "Predicted sample complexity n ~ d^exponent (smallest exponent among the claims for each algorithm; lower bounds pale); log factors omitted in the bar height. Each algorithm has the same colour in every figure.",
      spec: {
        width: 420, height: { step: 20 },
        name: "predicted exponents",
        data: { values: [...best].map(([algorithm, v]) => ({ algorithm, exponent: v.exponent, kind: v.bound === "lower" ? "lower bound" : "algorithm" })) },
        mark: { type: "bar", tooltip: true },
        encoding: {
          y: { field: "algorithm", type: "nominal", sort: "x", title: null },
          x: { field: "exponent", type: "quantitative", title: "exponent of d in the number of samples n" },
          color: { field: "algorithm", type: "nominal", title: null, scale: colourScale([...best.keys()]), legend: { columns: 2 } },
          opacity: { field: "kind", type: "ordinal", title: null, scale: { domain: ["algorithm", "lower bound"], range: [1, 0.5] }, legend: null },
        },
      },
    }));
  }
  for (const p of applicable.filter((q) => q.curve)) {
    const c = p.curve!;
    const regimes = (p.regimes ?? []).filter((r) => r.from !== undefined && r.to !== undefined);
    blocks.push(figureBlock({
      id: `lr-curve-${p.claimId}`,
      caption: `${p.title} (${p.claimId}, ${p.status}, ${p.source}): predicted log_d(samples) against x = log_d(eta); shaded bands are the predicted regimes (coloured like the algorithm they behave as), dashed rules the kinks (${c.kinks.map((k) => `x = ${fmt(k.x)}`).join(", ") || "none"}).`,
      spec: {
        width: 420, height: 240,
        layer: [
          ...(regimes.length ? [{
            name: "regimes",
            data: { values: regimes.map((r) => ({ from: r.from, to: r.to, regime: r.name })) },
            mark: { type: "rect", opacity: 0.22 },
            encoding: { x: { field: "from", type: "quantitative" }, x2: { field: "to" }, color: { field: "regime", type: "nominal", title: "regime", scale: colourScale(regimes.map((r) => r.name), Object.fromEntries(regimes.filter((r) => /^transition/.test(r.name)).map((r) => [r.name, NEUTRAL]))) } },
          }] : []),
          {
            name: "predicted curve",
            data: { values: c.points },
            mark: { type: "line", color: OKABE_ITO[7] },
            encoding: {
              x: { field: "x", type: "quantitative", title: "x = log_d η" },
              y: { field: "exponent", type: "quantitative", title: "log_d n (samples)", scale: { zero: false }, axis: { format: "~g" } },
            },
          },
          ...(c.kinks.length ? [{
            name: "kinks",
            data: { values: c.kinks.map((k) => ({ x: k.x })) },
            mark: { type: "rule", strokeDash: [4, 3], color: "#555555" },
            encoding: { x: { field: "x", type: "quantitative" } },
          }] : []),
        ],
      },
    }));
  }
  const na = lp.predictions.filter((p) => !p.applies);
  if (na.length) blocks.push(tableBlock({ caption: "Claims that do not apply to this link, and why", header: ["claim", "reason"], rows: na.map((p) => [p.claimId, p.reason]) }));
  return blocks;
}
