/**
 * The leap exponent of a multi-index link in the given basis (Abbe, Boix-Adsera, Misiakiewicz 2023,
 * arXiv 2302.11055, Gaussian form as restated in theory notes §2.3): with S the Hermite support,
 *   Leap = min over orderings alpha^(1), alpha^(2), ... of S of  max_i  sum_{j not in supp alpha^(1..i-1)} alpha^(i)_j,
 * i.e. the largest degree a term puts on coordinates not yet reached, minimised over learning orders.
 * Online SGD is conjectured to need about d^{max(Leap-1, 1)} samples (Abbe et al. 2023, Conjecture; notes §2.6).
 *
 * The minimum is a bottleneck problem: for a threshold t, the set of coordinates reachable with steps of cost <= t
 * is the closure of repeatedly adding supp(alpha) for any alpha whose new-coordinate degree is <= t, which does not
 * depend on the order; Leap = min{t : the closure covers every coordinate of supp S}. The staircase reported is
 * the greedy order: at each stage add every term of the smallest new-coordinate degree.
 */
import type { Link } from "../link/link.js";
import type { HermiteSpectrum } from "../hermite/spectrum.js";
import { judgedTensor, relevantCoordinates, supportOf, type SupportEntry } from "./support.js";

/** One step of the staircase: the coordinates that become learnable together and the degree the step needs. */
export interface Stage {
  /** Coordinates that become learnable at this stage (names z_i). */
  readonly directions: readonly string[];
  /** The degree this stage needs (the leap of the step). */
  readonly exponent: number;
  /** Why: the terms (or evidence) that carry the step. */
  readonly reason: string;
}

/** The leap exponent of a multi-index link with the greedy staircase that attains it. */
export interface LeapResult {
  /** Leap exponent, or null when some coordinate the link depends on is not reached by any term of degree <= K. */
  readonly value: number | null;
  /** The greedy staircase: at each stage every term of the smallest new-coordinate degree. */
  readonly staircase: Stage[];
  /** Coordinates the link depends on but no stage reached (within degree K). */
  readonly unreached: string[];
  /** The result, basis and conjectured online-SGD sample complexity d^{max(Leap-1, 1)} in one sentence. */
  readonly note: string;
}

/** New-coordinate degree of alpha given the learned set. */
export const newDegree = (alpha: readonly number[], learned: ReadonlySet<number>) =>
  alpha.reduce((s, a, j) => s + (learned.has(j) ? 0 : a), 0);

/** Leap by the threshold-closure characterisation (order independent, hence exactly the min over orderings). */
export function leapOfSupport(support: readonly (readonly number[])[], coordinates: readonly number[]): number | null {
  const target = new Set(coordinates);
  if (target.size === 0) return null;
  const maxT = Math.max(0, ...support.map((a) => a.reduce((s, x) => s + x, 0)));
  for (let t = 1; t <= maxT; t++) {
    const learned = new Set<number>();
    for (let changed = true; changed;) {
      changed = false;
      for (const a of support) {
        const nd = newDegree(a, learned);
        if (nd > 0 && nd <= t) { for (const j of supportOf(a)) learned.add(j); changed = true; }
      }
    }
    if ([...target].every((j) => learned.has(j))) return t;
  }
  return null;
}

/** Greedy staircase: repeatedly add all terms of the smallest positive new-coordinate degree. */
export function staircaseOfSupport(support: readonly SupportEntry[], names: readonly string[]): { stages: Stage[]; learned: Set<number> } {
  const learned = new Set<number>();
  const stages: Stage[] = [];
  for (;;) {
    let best = Infinity;
    for (const e of support) { const nd = newDegree(e.alpha, learned); if (nd > 0) best = Math.min(best, nd); }
    if (!Number.isFinite(best)) break;
    const carriers = support.filter((e) => newDegree(e.alpha, learned) === best);
    const added = new Set<number>();
    for (const e of carriers) for (const j of supportOf(e.alpha)) if (!learned.has(j)) added.add(j);
    const shown = carriers.slice(0, 4).map((e) => e.reason).join("; ") + (carriers.length > 4 ? `; and ${carriers.length - 4} more` : "");
    stages.push({ directions: [...added].sort((a, b) => a - b).map((j) => names[j]!), exponent: best, reason: shown });
    for (const j of added) learned.add(j);
  }
  return { stages, learned };
}

/**
 * Leap exponent of a multi-index link in its given basis z1..zr (Abbe, Boix-Adsera, Misiakiewicz 2023, arXiv
 * 2302.11055; Gaussian form of theory notes §2.3): Leap = min over orderings of the Hermite support S of
 * max_i (degree of alpha^(i) on coordinates not yet reached), with the staircase and the conjectured online-SGD sample
 * complexity d^{max(Leap-1, 1)}. Zeros of the support are certified as for the information exponent.
 * @param spectrum the link's Hermite spectrum (with its tensor of c_alpha).
 * @param K degree the support was searched to (for the note; default spectrum.maxDegree).
 * @returns value null when a coordinate the link depends on is not reached by a non-zero c_alpha with |alpha| <= K.
 */
export function leapExponent(link: Link, spectrum: HermiteSpectrum, K = spectrum.maxDegree): LeapResult {
  const support = judgedTensor(link, spectrum).filter((e) => e.nonzero);
  const relevant = relevantCoordinates(link);
  const { stages, learned } = staircaseOfSupport(support, link.variables);
  const unreached = relevant.filter((j) => !learned.has(j)).map((j) => link.variables[j]!);
  const leap = leapOfSupport(support.map((e) => e.alpha), relevant);
  const basis = `in the given basis ${link.variables.join(", ")}, from the Hermite support up to total degree ${K}`;
  if (unreached.length > 0 || leap === null) {
    return { value: null, staircase: stages, unreached, note: `Leap > ${K} ${basis}: ${unreached.join(", ") || "no coordinate"} not reached by any non-zero c_alpha with |alpha| <= ${K}; raise --max-degree to look further` };
  }
  const order = stages.map((s) => `{${s.directions.join(", ")}} at degree ${s.exponent}`).join(" -> ");
  return {
    value: leap, staircase: stages, unreached,
    note: `Leap = ${leap} ${basis} (Abbe, Boix-Adsera, Misiakiewicz 2023, arXiv 2302.11055): staircase ${order}; online SGD is conjectured to need about d^${Math.max(leap - 1, 1)} samples (d^{max(Leap-1,1)})`,
  };
}
