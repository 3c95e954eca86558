/**
 * Report section (`report --simulate quick`, single-index links): does a quick seeded simulation reach weak recovery
 * in the order the prediction engine states? Online SGD (Ben Arous, Gheissari, Jagannath 2021, arXiv 2003.10409)
 * against the layer-wise alternating algorithm of Tsiolis, Mousavi-Hosseini, Erdogdu 2025 (arXiv 2510.21020), each at
 * its rate tuned on pilot seeds, then a one-sided Mann–Whitney test on fresh seeds (protocol: src/testing/ordering.ts,
 * the same check as `index-lab check`'s simulated-ordering property).
 */
import { parseLink } from "../../link/link.js";
import { predictedOrdering, simulateOrdering, QUICK_ORDERING, type OrderingSettings } from "../../testing/ordering.js";
import { VERSION } from "../../version.js";
import { type Block, type Section, figureBlock, tableBlock, text } from "../document.js";
import { colourScale } from "../plots.js";

/** Display names of the two algorithms (their colours are the shared ones of every figure). */
const ALGORITHM_NAMES: Record<string, string> = { online: "online SGD", alternating: "alternating (layer-wise)" };

export async function orderingSection(source: string, options: { settings?: OrderingSettings; onProgress?: (m: string) => void } = {}): Promise<Section> {
  const id = "simulation-ordering", title = "Simulation: predicted ordering of algorithms (quick)";
  const started = Date.now();
  try {
    const link = parseLink(source);
    if (link.kind !== "single") return { id, title, status: "skipped", reason: "the ordering check covers single-index links (multi-index: see the giant-step section)", blocks: [] };
    if (link.constant) return { id, title, status: "skipped", reason: "constant link", blocks: [] };
    const predicted = predictedOrdering(source);
    if ("none" in predicted) return { id, title, status: "skipped", reason: predicted.none, blocks: [] };
    const settings = options.settings ?? QUICK_ORDERING;
    options.onProgress?.("ordering: tuning and testing online SGD vs the alternating algorithm");
    const r = simulateOrdering(source, predicted, settings);
    const wall = (Date.now() - started) / 1000;
    const blocks: Block[] = [
      text(`The prediction engine states d^${predicted.exponents.online} samples for online SGD (claim ${predicted.claims.online}) and d^${predicted.exponents.alternating} for the layer-wise alternating algorithm at large inner rate (claim ${predicted.claims.alternating}), so **${predicted.faster}** should reach weak recovery (|m| >= 1/2) first. Quick test at d = ${r.d || "n/a"}: one spherical neuron, student \`${settings.student}\`, correlation loss, second layer a = 1; each algorithm's global rate gamma = gamma0 d^(-max(IE/2, 1)) (gamma0 in {${settings.gamma0s.join(", ")}}) and the alternating inner rate eta (in {${settings.etas.join(", ")}}) tuned on ${settings.pilotSeeds} pilot seeds by the Kaplan–Meier median, then ${settings.testSeeds} fresh seeds per algorithm (master seed ${settings.masterSeed + 1}) compared by one-sided Mann–Whitney tests at level ${settings.level} in each direction; runs that never escaped within ${r.budget} samples are ranked last (counted, never dropped). Exact reduced engine (the law of the d-dimensional algorithm, theory notes §4.1).`),
      tableBlock({
        caption: "Tuned settings and test escape times (samples = steps; inner steps of the alternating algorithm are not counted)",
        header: ["algorithm", "gamma0", "eta", "pilot median", "test median", "escaped / runs"],
        rows: r.tuned.map((t) => [t.algorithm, Number.isFinite(t.gamma0) ? String(t.gamma0) : "none escaped", t.eta === null ? "-" : String(t.eta), t.pilotMedian === null ? "not identified" : String(t.pilotMedian), t.testMedian === null ? `> ${r.budget}` : String(t.testMedian), `${t.escaped} / ${t.runs}`]),
      }),
    ];
    const series = Object.entries(r.times).flatMap(([alg, ts]) => {
      const finite = (ts ?? []).filter((t): t is number => t !== null).sort((a, b) => a - b);
      return finite.map((t, i) => ({ t: Math.max(1, t), F: (i + 1) / (ts ?? []).length, algorithm: ALGORITHM_NAMES[alg] ?? alg }));
    });
    if (series.length) {
      blocks.push(figureBlock({
        id: "ordering-ecdf",
        caption: `Empirical distribution of the escape time (fraction of the ${settings.testSeeds} test runs with |m| >= 1/2 by t samples; log scale) for each algorithm at its tuned rate, d = ${r.d}. Exact reduced engine, ${settings.testSeeds} seeds per algorithm, master seed ${settings.masterSeed + 1}; index-lab ${VERSION}, Node ${process.version}; wall time ${wall.toFixed(1)} s.`,
        spec: {
          width: 420, height: 240, name: "escape-time ECDF", data: { values: series },
          mark: { type: "line", interpolate: "step-after", point: { filled: true, size: 20 }, tooltip: true },
          encoding: {
            x: { field: "t", type: "quantitative", scale: { type: "log" }, title: "samples t" },
            y: { field: "F", type: "quantitative", scale: { domain: [0, 1] }, title: "fraction escaped" },
            color: { field: "algorithm", type: "nominal", title: null, scale: colourScale(Object.values(ALGORITHM_NAMES)) },
          },
        },
      }));
    }
    blocks.push(text(`**Verdict: ${r.status}.** ${r.detail}. A quick run at one small d tests the ordering, not the exponents; the predicted advantage is asymptotic, so \`inconclusive\` at this size is not evidence against it.`));
    return { id, title, status: "ok", blocks, verdicts: [{ claim: "simulated-ordering", verdict: r.status }] };
  } catch (e) {
    return { id, title, status: "failed", reason: e instanceof Error ? e.message : String(e), blocks: [] };
  }
}
