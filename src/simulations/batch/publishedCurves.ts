/**
 * Published curves beside index-lab's (issue 14 §3): a reference-curves file of theory/ (the authors' DMFT and
 * simulations, transcribed with provenance), index-lab's DMFT and index-lab's simulation, projected on the same
 * orthonormal basis of the target space (C_1/|C_1| and its complement), with a verdict for each pair of curves.
 *
 * Pair test: z_t = (A_t - B_t) / sqrt(se_A^2 + se_B^2) at every common step t; the pair is consistent when
 * max_t |z_t| is within the critical value (3-sigma-equivalent Student t for the fewest seeds in the pair, 3 for
 * theory curves), inconsistent when some |z_t| exceeds it. The evidence states the resolution: the smallest
 * difference at the last step the test could detect (critical value x combined se).
 */
import { projectReference } from "../../theory/references.js";
import type { ReferenceCurvesFile } from "../../theory/schema.js";
import { showMeanSe, tCritical3, type ClaimVerdict, type Verdict } from "./claims.js";
import type { MeanSe } from "./common.js";
import type { TargetBasis } from "./basis.js";

/** One curve of a comparison: per step t, one value (mean ± se) per basis direction. */
export interface ComparedCurve {
  readonly id: string;
  readonly label: string;
  readonly kind: "dmft" | "simulation";
  /** Seeds behind a simulation curve (null for a theory curve). */
  readonly seeds: number | null;
  readonly points: { t: number; values: MeanSe[] }[];
}

/** Curves side by side on one basis, the verdict for each pair, and which theory curve the simulations support. */
export interface CurveComparison {
  readonly reference: { id: string; cite: string; repository: string; commit: string; figure: string };
  readonly directions: string[];
  readonly basisNote: string;
  readonly curves: ComparedCurve[];
  readonly verdicts: ClaimVerdict[];
  /** A plain sentence: which theory curve the simulations support, or that the test cannot tell. */
  readonly conclusion: string;
}

/** A published curve of `ref` projected on every vector of `basis` (rows in target coordinates). */
export function publishedCurve(ref: ReferenceCurvesFile, id: string, basis: TargetBasis, k: number): ComparedCurve {
  const c = ref.curves.find((x) => x.id === id);
  if (!c) throw new RangeError(`reference curves ${ref.id} have no curve '${id}'`);
  const rows = Array.from({ length: k }, (_, r) => Array.from(basis.vectors.subarray(r * k, r * k + k)));
  return {
    id: c.id, label: c.label, kind: c.kind, seeds: c.seeds ?? null,
    points: c.points.map((p) => ({ t: p.t, values: rows.map((u) => projectReference(c, p.t, u)!) })),
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : "n/a");

/** Critical value of a pair: 3-sigma-equivalent Student t for the fewest simulation seeds, 3 for two theory curves. */
function pairCritical(a: ComparedCurve, b: ComparedCurve): number {
  const seeds = Math.min(a.seeds ?? Infinity, b.seeds ?? Infinity);
  return Number.isFinite(seeds) ? tCritical3(seeds - 1) : 3;
}

/** The pair verdict on direction q over the common steps (module comment). */
export function pairVerdict(a: ComparedCurve, b: ComparedCurve, q: number, direction: string): ClaimVerdict & { maxZ: number } {
  const crit = pairCritical(a, b);
  const common = a.points.filter((p) => b.points.some((x) => x.t === p.t)).map((p) => p.t).sort((x, y) => x - y);
  let maxZ = 0, worst = common[0] ?? 0, seLast = NaN, diffLast = NaN;
  for (const t of common) {
    const va = a.points.find((p) => p.t === t)!.values[q]!, vb = b.points.find((p) => p.t === t)!.values[q]!;
    const se = Math.hypot(va.se, vb.se), diff = Math.abs(va.mean - vb.mean);
    // without any error bar two curves agree only to the transcription precision (6 digits)
    const z = se > 0 ? diff / se : diff > 5e-6 ? Infinity : 0;
    if (z > maxZ) { maxZ = z; worst = t; }
    seLast = se; diffLast = va.mean - vb.mean;
  }
  const verdict: Verdict = !common.length || Number.isNaN(maxZ) ? "inconclusive" : maxZ <= crit ? "consistent" : "inconsistent";
  const at = (c: ComparedCurve, t: number) => showMeanSe(c.points.find((p) => p.t === t)!.values[q]!);
  const last = common[common.length - 1]!;
  return {
    claim: `${direction} overlap: ${a.label} equals ${b.label} at t = ${common[0]}..${last}`,
    source: "",
    verdict, maxZ,
    evidence: `largest |z| = ${fmt(maxZ)} at t = ${worst} (${at(a, worst)} vs ${at(b, worst)}) vs critical ${fmt(crit)}; at t = ${last}: difference ${fmt(diffLast)}, smallest resolvable difference ${fmt(crit * seLast)}`,
  };
}

/**
 * The three-way comparison: the published DMFT, index-lab's DMFT and index-lab's simulation (plus any other
 * published simulation of `ref`), every pair judged on every direction of the basis, and the conclusion.
 */
export function compareCurves(
  ref: ReferenceCurvesFile, basis: TargetBasis, k: number, ours: { dmft: ComparedCurve; simulation: ComparedCurve },
): CurveComparison {
  const publishedDmft = publishedCurve(ref, "published-dmft", basis, k);
  const publishedSims = ref.curves.filter((c) => c.kind === "simulation").map((c) => publishedCurve(ref, c.id, basis, k));
  const curves = [publishedDmft, ours.dmft, ours.simulation, ...publishedSims];
  const mainSim = publishedSims[0];
  const pairs: [ComparedCurve, ComparedCurve][] = [
    ...(mainSim ? [[ours.simulation, mainSim] as [ComparedCurve, ComparedCurve]] : []),
    [ours.dmft, publishedDmft],
    [publishedDmft, ours.simulation],
    ...(mainSim ? [[publishedDmft, mainSim] as [ComparedCurve, ComparedCurve]] : []),
    [ours.dmft, ours.simulation],
    ...(mainSim ? [[ours.dmft, mainSim] as [ComparedCurve, ComparedCurve]] : []),
  ];
  const source = `${ref.cite}; published curves: github.com/${ref.provenance.repository} @ ${ref.provenance.commit.slice(0, 7)} (theory/ reference curves '${ref.id}')`;
  const verdicts: ClaimVerdict[] = [];
  const judged = new Map<string, Verdict>();
  for (const [a, b] of pairs) for (let q = 0; q < k; q++) {
    const v = pairVerdict(a, b, q, basis.names[q]!);
    verdicts.push({ claim: v.claim, source, verdict: v.verdict, evidence: v.evidence });
    judged.set(`${a.id}|${b.id}|${q}`, v.verdict);
  }
  // the simulations support a theory curve when every simulation agrees with it on every direction and disagrees
  // with the other theory curve on at least one
  const sims = [ours.simulation, ...(mainSim ? [mainSim] : [])];
  const agrees = (theory: ComparedCurve) => sims.every((s) => Array.from({ length: k }, (_, q) => judged.get(`${theory.id}|${s.id}|${q}`)).every((v) => v === "consistent"));
  const refutes = (theory: ComparedCurve) => sims.every((s) => Array.from({ length: k }, (_, q) => judged.get(`${theory.id}|${s.id}|${q}`)).some((v) => v === "inconsistent"));
  const simNames = sims.map((s) => s.label).join(" and ");
  let conclusion: string;
  if (agrees(ours.dmft) && refutes(publishedDmft)) conclusion = `The simulations (${simNames}) support index-lab's DMFT and contradict the published DMFT.`;
  else if (agrees(publishedDmft) && refutes(ours.dmft)) conclusion = `The simulations (${simNames}) support the published DMFT and contradict index-lab's DMFT.`;
  else if (agrees(ours.dmft) && agrees(publishedDmft)) conclusion = `The simulations (${simNames}) agree with both DMFT curves: at this size they cannot tell them apart.`;
  else conclusion = `The simulations (${simNames}) support neither DMFT curve on every direction: see the pair verdicts.`;
  return {
    reference: { id: ref.id, cite: ref.cite, repository: ref.provenance.repository, commit: ref.provenance.commit, figure: ref.provenance.figure },
    directions: basis.names.slice(0, k),
    basisNote: `every curve is the sign-coherent overlap mean_j sign(a_j) <M_j, u> projected on index-lab's basis u = C1/|C1| = (${Array.from(basis.vectors.subarray(0, k)).map((x) => x.toFixed(6)).join(", ")}) and its orthogonal complement (the authors' figure projects on (${(ref.plottedDirections.C1 ?? []).join(", ")}))`,
    curves, verdicts, conclusion,
  };
}
