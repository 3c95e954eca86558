/**
 * The leaping engine (src/simulations/leap.ts) against the exact reduced chain: the escape-time laws agree by a
 * two-sample KS test (level 1e-3) for He3, He4, a ReLU target and a noisy link, at dimensions where most steps are
 * leapt (asserted, so the test exercises the leaps); a deliberately coarse leap (fixed K of half the median escape
 * time, no threshold guard) is rejected by the same test (p < 1e-6). The one-step moments the leaps use agree with
 * single exact steps (Monte Carlo mean within 4 standard errors).
 */
import { describe, expect, it } from "vitest";
import { buildProblem } from "../../src/simulations/config.js";
import { simulateReduced } from "../../src/simulations/reduced.js";
import { DEFAULT_LEAP, simulateLeap, type LeapSettings, type LeapStatistics } from "../../src/simulations/leap.js";
import { ExactStepMoments } from "../../src/simulations/overlapMoments.js";
import { ChiSquareSampler, Xoshiro128 } from "../../src/numeric/xoshiro.js";
import { planOnlineSgd } from "../../src/verification/onlineSgd.js";
import { ksTwoSample } from "../../src/verification/twoSample.js";
import type { Problem } from "../../src/simulations/model.js";

const ACCEPT = 1e-3, REJECT = 1e-6;
const escape = (o: { escapeStep: number | null }) => o.escapeStep ?? Infinity;

function problems(link: string, student: string, d: number, noise = "none"): { exact: Problem; leap: Problem } {
  const c = planOnlineSgd({ link, student, dims: [d], noise }).configs[0]!;
  return { exact: buildProblem(c), leap: buildProblem({ ...c, engine: "leap" }) };
}

function exactSample(p: Problem, n: number, tag: string): number[] {
  return Array.from({ length: n }, (_, r) => escape(simulateReduced(p, Xoshiro128.forKey({ masterSeed: 11, configuration: tag, replicate: r }))));
}

function leapSample(p: Problem, n: number, tag: string, settings: LeapSettings = DEFAULT_LEAP): { times: number[]; stats: LeapStatistics } {
  const stats: LeapStatistics = { leaps: 0, leptSteps: 0, exactSteps: 0 };
  const times = Array.from({ length: n }, (_, r) => escape(simulateLeap(p, Xoshiro128.forKey({ masterSeed: 12, configuration: tag, replicate: r }), { ...settings, stats })));
  return { times, stats };
}

const leptShare = (s: LeapStatistics) => s.leptSteps / (s.leptSteps + s.exactSteps);

describe("leaping engine = exact chain in escape-time law", () => {
  const cases: [string, string, string, number, string, number][] = [
    ["He4", "He(4,z)", "He(4,z)", 32, "none", 200],
    ["ReLU target and student (IE 1)", "relu(z)", "relu(z)", 256, "none", 200],
    ["He3 with Gaussian label noise", "He(3,z)", "He(3,z)", 64, "gaussian:1", 200],
  ];
  for (const [name, link, student, d, noise, n] of cases) {
    it(`${name}, d = ${d}`, () => {
      const { exact, leap } = problems(link, student, d, noise);
      const a = exactSample(exact, n, name), b = leapSample(leap, n, name);
      expect(leptShare(b.stats)).toBeGreaterThan(0.5);
      expect(ksTwoSample(a, b.times).pValue).toBeGreaterThan(ACCEPT);
    });
  }

  it("He3, d = 64: accepted, and a deliberately coarse fixed leap rejected", () => {
    const { exact, leap } = problems("He(3,z)", "He(3,z)", 64);
    const a = exactSample(exact, 200, "he3");
    const good = leapSample(leap, 200, "he3");
    expect(leptShare(good.stats)).toBeGreaterThan(0.5);
    expect(ksTwoSample(a, good.times).pValue).toBeGreaterThan(ACCEPT);
    const sorted = [...a].sort((x, y) => x - y);
    const coarse = leapSample(leap, 200, "he3:coarse", { ...DEFAULT_LEAP, fixedLeap: Math.round(sorted[100]! / 2) });
    expect(ksTwoSample(a, coarse.times).pValue).toBeLessThan(REJECT);
  });
});

describe("one-step moments of the exact update", () => {
  it("match single exact steps (He3 at d = 16 with large kicks, ReLU/tanh with square loss and noise)", () => {
    for (const [link, student, loss, noise, eta, m] of [["He(3,z)", "He(3,z)", "correlation", "none", "0.01", 0.3], ["relu(z)", "tanh(z)", "square", "gaussian:0.5", "0.01", -0.4]] as const) {
      const p = buildProblem({ engine: "leap", link, student, loss, d: 16, eta, width: 1, a0: 0.7, etaSecondLayer: "0", variant: "online", etaInner: "0", innerSteps: 1, noise, threshold: 0.99, overlap: "signed", escape: "any", maxSteps: 1, m0: m, runToMax: true, tracePoints: 0 });
      const mom = new ExactStepMoments(p).at(m);
      const g = Xoshiro128.forKey({ masterSeed: 3, configuration: link, replicate: 0 }), R = new ChiSquareSampler(14);
      let s1 = 0, s2 = 0;
      const N = 200_000, c = Math.sqrt(1 - m * m);
      for (let i = 0; i < N; i++) {
        const z = g.normal(), xi = g.normal(), r = R.sample(g);
        let y = p.target.f(m * z + c * xi);
        if (p.noiseSigma > 0) y += p.noiseSigma * g.normal();
        const s = p.eta * (loss === "square" ? y - p.a0 * p.student.sigma(z) : y) * p.a0 * p.student.sigmaPrime(z);
        const dm = (m + s * xi * c) / Math.sqrt(1 + s * s * (xi * xi + r)) - m;
        s1 += dm; s2 += dm * dm;
      }
      const mean = s1 / N, variance = s2 / N - mean * mean;
      expect(Math.abs(mean - mom.drift)).toBeLessThan(4 * Math.sqrt(variance / N));
      expect(Math.abs(variance / mom.variance - 1)).toBeLessThan(0.1);
    }
  });
});
