/** Published reference curves in theory/: schema, provenance, and the numbers the issue quotes from them. */
import { describe, expect, it } from "vitest";
import { loadReferenceCurves, projectReference, referenceCurvesById, validateReferenceCurves } from "../../src/theory/references.js";
import { InputError } from "../../src/link/errors.js";
import { compareCurves, pairVerdict, type ComparedCurve } from "../../src/simulations/batch/publishedCurves.js";
import { targetBasis } from "../../src/simulations/batch/basis.js";
import { targetMoments } from "../../src/simulations/batch/common.js";
import { parseLink } from "../../src/link/link.js";

const ref = referenceCurvesById("dandi-2024-hidden-progress-alpha5");

describe("reference curves (seed 002 hidden progress, IdePHICS/benefit-reusing-batch)", () => {
  it("validates, cites the paper's arXiv id and pins every curve to a full commit of the authors' repository", () => {
    expect(loadReferenceCurves().map((r) => r.id)).toContain(ref.id);
    expect(ref.cite).toMatch(/arXiv 2402\.03220/);
    expect(ref.provenance.repository).toBe("IdePHICS/benefit-reusing-batch");
    for (const c of ref.curves) expect(c.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(ref.curves.map((c) => c.points.map((p) => p.t))).toEqual(ref.curves.map(() => [1, 2, 3, 4, 5, 6]));
  });

  it("projected on the authors' plotted directions, t = 6 gives the figure's numbers (DMFT 0.405 / 0.0143, simulation 0.380 +- 0.0006)", () => {
    const u = ref.plottedDirections.C1!, v = ref.plottedDirections.C1perp!;
    const dmft = ref.curves.find((c) => c.id === "published-dmft")!, sim = ref.curves.find((c) => c.id === "published-simulation")!;
    expect(projectReference(dmft, 6, u)!.mean).toBeCloseTo(0.40494, 4);
    expect(projectReference(dmft, 6, v)!.mean).toBeCloseTo(0.01436, 4);
    const s = projectReference(sim, 6, u)!;
    expect(s.mean).toBeCloseTo(0.38012, 4);
    expect(s.se).toBeCloseTo(0.00063, 4); // numpy: std(ddof=1)/sqrt(32) of the per-seed projection
    expect(projectReference(sim, 6, v)!.se).toBeCloseTo(0.00060, 4);
    expect(projectReference(sim, 7, u)).toBeNull();
  });

  it("the authors' plotted C1 direction is index-lab's C1/|C1| to 6 digits (accurate quadrature of tanh(z1 + He3(z2)))", () => {
    const b = targetBasis(targetMoments(parseLink("tanh(z1 + He(3,z2))")).c1);
    expect(b.vectors[0]).toBeCloseTo(ref.plottedDirections.C1![0]!, 6);
    expect(b.vectors[1]).toBeCloseTo(ref.plottedDirections.C1![1]!, 6);
  });

  it("refuses documents without provenance or with malformed points, naming the field", () => {
    const bad = (mutate: (d: Record<string, any>) => void) => {
      const doc = structuredClone(ref) as Record<string, any>;
      mutate(doc);
      return () => validateReferenceCurves(doc, "x.yaml");
    };
    expect(bad((d) => { delete d.provenance.commit; })).toThrow(/x\.yaml: provenance\.commit/);
    expect(bad((d) => { d.curves[1].points[0].covariance = [1, 2]; })).toThrow(/upper triangle/);
    expect(bad((d) => { delete d.curves[1].seeds; })).toThrow(/needs d, seeds/);
    expect(bad((d) => { d.curves[0].points[2].mean = [1, 2, 3]; })).toThrow(InputError);
  });
});

describe("pair verdicts of the published-curve comparison", () => {
  const curve = (id: string, kind: "dmft" | "simulation", values: [number, number][], se: number, seeds: number | null): ComparedCurve => ({
    id, label: id, kind, seeds, points: values.map(([a, b], i) => ({ t: i + 1, values: [{ mean: a, se }, { mean: b, se }] })),
  });

  it("agreement within the critical value is consistent; a gap of many standard errors is inconsistent", () => {
    const a = curve("a", "simulation", [[0.1, 0.01], [0.2, 0.02]], 0.001, 32);
    const b = curve("b", "dmft", [[0.1005, 0.0105], [0.2008, 0.0195]], 0.0005, null);
    const c = curve("c", "dmft", [[0.1, 0.01], [0.23, 0.02]], 0.0005, null);
    expect(pairVerdict(a, b, 0, "C1").verdict).toBe("consistent");
    expect(pairVerdict(a, c, 0, "C1").verdict).toBe("inconsistent");
    expect(pairVerdict(a, c, 1, "C1perp").verdict).toBe("consistent");
  });

  it("the conclusion names the DMFT the simulations support, from the shipped published curves", () => {
    const basis = targetBasis([0.3576620530097361, -0.29841981108517046]);
    // index-lab-like curves: the published simulation itself (so every simulation agrees with it)
    const pubSim = ref.curves.find((c) => c.id === "published-simulation")!;
    const rows = [0, 1].map((r) => Array.from(basis.vectors.subarray(2 * r, 2 * r + 2)));
    const asOurs = (id: string, kind: "dmft" | "simulation"): ComparedCurve => ({
      id, label: id, kind, seeds: kind === "simulation" ? 32 : null,
      points: pubSim.points.map((p) => ({ t: p.t, values: rows.map((u) => projectReference(pubSim, p.t, u)!) })),
    });
    const cmp = compareCurves(ref, basis, 2, { dmft: asOurs("index-lab-dmft", "dmft"), simulation: asOurs("index-lab-simulation", "simulation") });
    expect(cmp.conclusion).toMatch(/support index-lab's DMFT and contradict the published DMFT/);
    expect(cmp.verdicts.filter((v) => /published DMFT.*equals published simulation/.test(v.claim)).map((v) => v.verdict)).toEqual(["inconsistent", "inconsistent"]);
  });
});
