/**
 * What `index-lab check` costs before it runs: CPU seconds per parameter draw of each property, times the draws
 * planned. The cost of one draw depends on the link far more than on anything a table could hold (one draw of
 * generative-invariance: 0.06 s on tanh(z), 2.8 s on He(4,z)), so for a family (--param) it is measured by a pilot:
 * every property at 1/3 and then at 2/3 of the parameter ranges (the grid values 333 and 667 of 1000 the draws
 * take), timed in CPU seconds. The first draw is cold (code
 * not yet compiled, caches empty: 2-10x a later draw) and leaves the run warm, so a property's estimate is its planned
 * draws at the second draw's cost. In a fresh process that second draw is still not fully warm, so the estimate is
 * on the safe side: He(3,z) + a*He(2,z), 50 draws, estimated 20 CPU-s, took 12.4; tanh(a*z), 25 draws: 4.0 vs 2.9;
 * He(4,z) + a*z^2, 20 draws: about 1x (a cold draw times the draws says 1.5-2.5x too much). The pilot costs two draws
 * per property. A single link has one
 * draw per property and no pilot: its weights are TYPICAL_SECONDS (medians of measured draws), which only shape
 * the progress bar. The estimate feeds the --budget guard (refused before the run) and the cost-weighted ETA.
 */
import { cpuSeconds } from "../numeric/deadline.js";
import { parseLink } from "../link/link.js";
import { parameterValue, type LinkProperty, type Parameter } from "./properties.js";

/**
 * CPU seconds of one draw per property: medians over He(3,z), He(3,z)+a*He(2,z), relu, tanh, He(4,z), z^2, sign,
 * He(2,z1)*z2, measured 2026-12-06 on the shared 2-core machine (Node 20, load ~8); at least 0.01 s.
 */
export const TYPICAL_SECONDS: Readonly<Record<string, number>> = {
  "exact-vs-numeric": 0.01, stein: 0.01, parseval: 0.01, parity: 0.01, reflection: 0.01, "information-exponent": 0.01,
  "generative-below-information": 0.03, "generative-invariance": 0.2, "simulated-ordering": 0.03,
};


/** The cost model of a check: seconds per draw of each property, the draws planned, and how it was obtained. */
export interface CheckEstimate {
  /** Estimated CPU seconds of each property's planned draws (the ETA's weights). */
  readonly perProperty: readonly number[];
  readonly planned: readonly number[];
  /** Estimated CPU seconds of the check after the pilot (the check is single-threaded; --budget compares it plus the pilot's time). */
  readonly totalSeconds: number;
  readonly method: "pilot" | "typical";
  /** CPU seconds the pilot itself took (0 without one). */
  readonly pilotSeconds: number;
}

/**
 * The estimate for `props` on `source` with `planned` draws each; a pilot at the parameters' midpoints for a family.
 * A property that is skipped (`skip`) costs nothing; one that throws in the pilot is charged its pilot time.
 */
export function estimateCheck(source: string, props: readonly LinkProperty[], planned: readonly number[], options: { params: readonly Parameter[]; maxDegree: number; skip?: (p: LinkProperty) => boolean }): CheckEstimate {
  const typical = (p: LinkProperty) => TYPICAL_SECONDS[p.id] ?? 0.05;
  const sum = (xs: readonly number[]) => xs.reduce((s, c) => s + c, 0);
  if (!options.params.length) {
    const perProperty = props.map((p, i) => (options.skip?.(p) ? 0 : typical(p) * planned[i]!));
    return { perProperty, planned, totalSeconds: sum(perProperty), method: "typical", pilotSeconds: 0 };
  }
  const t0 = cpuSeconds();
  const at = (k: number) => parseLink(source, { constants: Object.fromEntries(options.params.map((q) => [q.name, parameterValue(q, k)])) });
  const links = [at(333), at(667)];
  const draw = (p: LinkProperty, link: (typeof links)[number]) => {
    const start = cpuSeconds();
    try { if (!p.notApplicable(link)) p.check(link, options.maxDegree); } catch { /* charged what it took */ }
    return Math.max(1e-3, cpuSeconds() - start);
  };
  const perProperty = props.map((p, i) => {
    if (options.skip?.(p) || planned[i]! === 0) return 0;
    draw(p, links[0]!); // cold: compiles the code paths and fills the caches the run then finds warm
    return planned[i]! * draw(p, links[1]!);
  });
  return { perProperty, planned, totalSeconds: sum(perProperty), method: "pilot", pilotSeconds: cpuSeconds() - t0 };
}
