/**
 * GAMP and its state evolution (issue 15 §2): the output channel against closed forms, state evolution's threshold
 * 1/Psi'(0) as an independent route to alpha_c (it fails when the normalisation is off by 2), GAMP against state
 * evolution, the state-evolution fit on synthetic and simulated trajectories, and the trivial / hard verdicts.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { parseNoise } from "../../src/exponents/noise.js";
import { outputChannel } from "../../src/exponents/channel.js";
import { phibar } from "../../src/exponents/conditional.js";
import { weakRecoveryThreshold } from "../../src/exponents/threshold.js";
import { psiAt, stateEvolution, stateEvolutionTable, stateEvolutionThreshold } from "../../src/predictions/stateEvolution.js";
import { gampMemoryPlan, gampRun } from "../../src/simulations/threshold/gamp.js";
import { locateByStateEvolution, scaledStateEvolution, type TrajectoryCell } from "../../src/verification/stateEvolutionFit.js";
import { createJsCpuBackend } from "../../src/tensors/jsCpu.js";
import { Xoshiro128 } from "../../src/numeric/xoshiro.js";
import { runThresholdExperiment } from "../../src/experiments/thresholdExperiment.js";
import { InputError } from "../../src/link/errors.js";

const Phi = (x: number) => 1 - phibar(x);

describe("output channel g_out", () => {
  it("Gaussian channel y = z + sigma xi: g_out = (y - omega)/(sigma^2 + V), g_out' = -1/(sigma^2 + V)", () => {
    const ch = outputChannel(parseLink("z"), parseNoise("gaussian:0.7"));
    fc.assert(fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }), (y, om, V) => {
      const labels = ch.prepare(Float64Array.of(y));
      const g = new Float64Array(1), dg = new Float64Array(1);
      ch.denoise(labels, Float64Array.of(om), V, g, dg);
      expect(g[0]!).toBeCloseTo((y - om) / (0.49 + V), 5);
      expect(dg[0]!).toBeCloseTo(-1 / (0.49 + V), 5);
    }), { numRuns: 40, seed: 3 });
  });

  it("y = z^2: two-point posterior at +-sqrt(y); y = sign(z): truncated Gaussian, E[z | z > 0] = omega + sqrt(V) phi/Phi", () => {
    const sq = outputChannel(parseLink("z^2"), parseNoise("none")), sg = outputChannel(parseLink("sign(z)"), parseNoise("none"));
    fc.assert(fc.property(fc.double({ min: 0.01, max: 9, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0.1, max: 1, noNaN: true }), (y, om, V) => {
      const g = new Float64Array(1), dg = new Float64Array(1);
      sq.denoise(sq.prepare(Float64Array.of(y)), Float64Array.of(om), V, g, dg);
      const r = Math.sqrt(y), wp = Math.exp(-((r - om) ** 2) / (2 * V)), wm = Math.exp(-((r + om) ** 2) / (2 * V));
      const mean = (r * wp - r * wm) / (wp + wm), variance = y - mean * mean;
      expect(g[0]!).toBeCloseTo((mean - om) / V, 6);
      expect(dg[0]!).toBeCloseTo((variance / V - 1) / V, 5);
      sg.denoise(sg.prepare(Float64Array.of(1)), Float64Array.of(om), V, g, dg);
      const s = Math.sqrt(V), a = om / s, ratio = Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI) / Phi(a);
      expect(g[0]! * V).toBeCloseTo(s * ratio, 5);
    }), { numRuns: 40, seed: 4 });
  });
});

describe("state evolution", () => {
  it("linear channel: Psi(q) = 1/(sigma^2 + 1 - q) exactly", () => {
    const t = stateEvolutionTable(parseLink("z"), parseNoise("gaussian:0.5"));
    for (const q of [0, 0.01, 0.1, 0.3, 0.6]) expect(psiAt(t, q)).toBeCloseTo(1 / (0.25 + 1 - q), 3);
  });

  it("1/Psi'(0) reproduces alpha_c = 1/E[E[He_2|Y]^2] by an independent route (a normalisation off by 2 fails)", () => {
    for (const [src, noise] of [["z^2", "none"], ["abs(z)", "none"], ["sign(z^2-1)", "flip:0.1"], ["z^2", "gaussian:0.5"]] as const) {
      const link = parseLink(src), n = parseNoise(noise);
      const se = stateEvolutionThreshold(stateEvolutionTable(link, n));
      const ac = weakRecoveryThreshold(link, { noise: n }).alphaC;
      expect(Math.abs(se - ac) / ac, `${src} ${noise}`).toBeLessThan(1e-3);
    }
  });

  it("a trivial direction has Psi(0) = E[E[Z|Y]^2] = lambda_1^2 > 0: q = 0 is not a fixed point", () => {
    const link = parseLink("relu(z)");
    const t = stateEvolutionTable(link, parseNoise("none"));
    expect(t.psi0).toBeCloseTo(weakRecoveryThreshold(link).firstMoment, 4);
    expect(stateEvolutionThreshold(t)).toBe(0);
  });
});

describe("GAMP against state evolution", () => {
  const backend = createJsCpuBackend();

  it("linear channel from w_hat = 0: the mean overlap follows the exact state evolution", async () => {
    const t = stateEvolutionTable(parseLink("z"), parseNoise("gaussian:0.5"));
    const se = stateEvolution(t, 1, 0, 4);
    const runs = await Promise.all([0, 1, 2].map((r) => gampRun({ link: "z", noise: "gaussian:0.5", d: 400, alpha: 1, start: "zero", q0: 0.1, iterations: 4 }, 0, r, backend)));
    for (let s = 1; s <= 4; s++) expect(Math.abs(runs.reduce((a, x) => a + x.overlap[s]!, 0) / 3 - se[s]!)).toBeLessThan(0.03);
  });

  it("planted start: m_0 = |w_hat_0|^2/d = q0 exactly; same seed, same trajectory", async () => {
    const c = { link: "z^2", noise: "none", d: 256, alpha: 0.8, start: "planted" as const, q0: 0.1, iterations: 3 };
    const a = await gampRun(c, 5, 0, backend), b = await gampRun(c, 5, 0, backend);
    expect(a.overlap[0]).toBeCloseTo(0.1, 12);
    expect(a.selfOverlap[0]).toBeCloseTo(0.1, 12);
    expect(b.overlap).toEqual(a.overlap);
  });

  it("refuses shapes above 2 GiB with the estimate", () => {
    expect(() => gampMemoryPlan(32768, 20 * 32768, 0)).toThrow(/GiB/);
    expect(() => gampMemoryPlan(32768, 20 * 32768, 0)).toThrow(InputError);
  });
});

describe("state-evolution fit of the threshold", () => {
  const table = stateEvolutionTable(parseLink("z^2"), parseNoise("none"));
  const synthetic = (s: number, d: number, seeds: number): TrajectoryCell[] => {
    const rng = Xoshiro128.forKey({ masterSeed: 9, configuration: "se-fit", replicate: 0 });
    return [0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map((alpha) => {
      const q = scaledStateEvolution(table, alpha, s, 0.1, 8);
      const trajectories = Array.from({ length: seeds }, () => q.map((x, t) => (t === 0 ? x : x + Math.sqrt(x / d) * rng.normal())));
      return { d, alpha, trajectories, finalCosineSquared: trajectories.map((r) => r[8]!) };
    });
  };

  it("recovers the threshold of synthetic trajectories, and judges a wrong alpha_c (off by 2) inconsistent", () => {
    const cells = synthetic(0.6, 4096, 8);
    const ok = locateByStateEvolution(cells, table, 0.6, "easy", 0.1, 300);
    expect(ok.verdict).toBe("consistent");
    expect(Math.abs(ok.estimate! - 0.6) / 0.6).toBeLessThan(0.05);
    expect(locateByStateEvolution(cells, table, 0.3, "easy", 0.1, 300).verdict).toBe("inconsistent");
    expect(locateByStateEvolution(cells, table, 1.2, "easy", 0.1, 300).verdict).toBe("inconsistent");
  });

  it("y = z^2 at d = 768: simulated GAMP locates alpha_c = 1/2, and excludes 1/4 and 1", async () => {
    const r = await runThresholdExperiment({ link: "z^2", dims: [768], alphas: [0.3, 0.4, 0.5, 0.6, 0.7, 0.8], seeds: 6, masterSeed: 0, backend: "js-cpu", bootstrap: 300, iterations: 8 });
    const rep = r.gamp!.report;
    expect(r.verdict).toBe("consistent");
    expect(rep.ci95[0]!).toBeGreaterThan(0.25);
    expect(rep.ci95[1]!).toBeLessThan(1);
  }, 30000);

  it("GE = 1 (relu): overlap at every alpha from w_hat = 0; GE = 3 (sign(z^3 - 2 ln 2 z)): the planted overlap decays up to alpha = 10", async () => {
    const trivial = await runThresholdExperiment({ link: "relu(z)", dims: [256], alphas: [0.1, 1], seeds: 3, masterSeed: 0, backend: "js-cpu", bootstrap: 100, iterations: 4 });
    expect(trivial.verdict).toBe("consistent");
    const hard = await runThresholdExperiment({ link: "sign(z^3 - 1.3862943611198906*z)", dims: [256], alphas: [2, 10], seeds: 3, masterSeed: 0, backend: "js-cpu", bootstrap: 100, iterations: 4 });
    expect(hard.prediction.regime).toBe("hard");
    expect(hard.verdict).toBe("consistent");
  }, 30000);
});
