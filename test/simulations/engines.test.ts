import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { buildProblem, configKey, runReplicate } from "../../src/simulations/config.js";
import { initialGram, semidefiniteCholesky } from "../../src/simulations/gram.js";
import { uniformInitialOverlap } from "../../src/simulations/reduced.js";
import { Xoshiro128 } from "../../src/numeric/xoshiro.js";
import { isInputError } from "../../src/link/errors.js";
import { config } from "./helpers.js";

describe("initial laws", () => {
  it("m0 of a uniform unit vector: E[m0^2] = 1/d and E[m0^4] = 3/(d(d+2))", () => {
    for (const d of [3, 10, 1000, 2 ** 24]) {
      const g = Xoshiro128.forKey({ masterSeed: 1, configuration: "m0", replicate: d });
      const n = 60000;
      let s2 = 0, s4 = 0;
      for (let i = 0; i < n; i++) { const m = uniformInitialOverlap(d, g); s2 += m * m; s4 += m ** 4; }
      // Var(m^2) = E m^4 - (E m^2)^2 <= 3/d^2
      expect(Math.abs(s2 / n - 1 / d)).toBeLessThan(5 * Math.sqrt(3 / (d * d * n)));
      expect(Math.abs((s4 / n) / (3 / (d * (d + 2))) - 1)).toBeLessThan(0.1);
    }
  });

  it("initial Gram matrix: unit students, identity on targets, E<w_i, w_j>^2 = E<w_i, w*_l>^2 = 1/d", () => {
    const p = buildProblem(config({ engine: "gram", width: 3, link: "z1*z2", student: "tanh(z)", d: 20 }));
    const r = 5, n = 20000;
    let ss = 0, st = 0;
    for (let i = 0; i < n; i++) {
      const G = initialGram(p, Xoshiro128.forKey({ masterSeed: 3, configuration: "gram0", replicate: i }));
      for (let a = 0; a < 3; a++) expect(G[a * r + a]).toBeCloseTo(1, 14);
      expect(G[3 * r + 3]).toBe(1); expect(G[4 * r + 4]).toBe(1); expect(G[3 * r + 4]).toBe(0);
      ss += G[0 * r + 1]! ** 2; st += G[2 * r + 4]! ** 2;
    }
    // <u, v>^2 for independent uniform unit vectors has mean 1/d and variance 2(d-1)/(d^2(d+2)) < 2/d^2
    expect(Math.abs(ss / n - 1 / 20)).toBeLessThan(5 * Math.sqrt(2 / (400 * n)));
    expect(Math.abs(st / n - 1 / 20)).toBeLessThan(5 * Math.sqrt(2 / (400 * n)));
  });
});

describe("semidefinite Cholesky", () => {
  it("L L^T = G for Gram matrices of random vectors, with rank = number of independent vectors", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 }), fc.nat(1e6), (n, dup, seed) => {
      const g = Xoshiro128.forKey({ masterSeed: seed, configuration: "chol", replicate: 0 });
      const dim = 8;
      const V = Array.from({ length: n }, () => Array.from({ length: dim }, () => g.normal()));
      for (let j = 0; j < dup; j++) V.push(V[j % n]!.map((x) => 2 * x)); // dependent copies
      const r = V.length, G = new Float64Array(r * r), L = new Float64Array(r * r);
      for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) G[i * r + j] = V[i]!.reduce((s, x, k) => s + x * V[j]![k]!, 0);
      const rank = semidefiniteCholesky(G, r, L);
      if (rank !== n) return false;
      for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) {
        let v = 0;
        for (let k = 0; k < r; k++) v += L[i * r + k]! * L[j * r + k]!;
        if (Math.abs(v - G[i * r + j]!) > 1e-9 * (1 + Math.abs(G[i * r + j]!))) return false;
      }
      return true;
    }), { numRuns: 200 });
  });
});

describe("runs", () => {
  it("same key -> bitwise identical outcome; asking for a trace does not change it", () => {
    for (const engine of ["reduced", "gram", "full"] as const) {
      const c = config({ engine, d: 40, link: "He(2,z)", student: "He(2,z)", eta: "0.2/d", threshold: 0.5, overlap: "abs", maxSteps: 3000, runToMax: false });
      const a = runReplicate(c, 5, 7), b = runReplicate(c, 5, 7), t = runReplicate({ ...c, tracePoints: 50 }, 5, 7);
      expect(b).toEqual(a);
      expect(t.escapeStep).toBe(a.escapeStep);
      expect(t.finalSignedOverlap).toBe(a.finalSignedOverlap);
      expect(t.trace![0]![0]).toBe(0);
      expect(t.trace![t.trace!.length - 1]![0]).toBe(t.steps);
      expect(runReplicate(c, 5, 8).finalSignedOverlap).not.toBe(a.finalSignedOverlap);
    }
  });

  it("escape is the first step over the threshold; censored runs hit the budget", () => {
    const c = config({ d: 40, link: "He(2,z)", student: "He(2,z)", eta: "0.2/d", threshold: 0.5, overlap: "abs", maxSteps: 100000, runToMax: false, tracePoints: 100000 });
    const o = runReplicate(c, 1, 1);
    expect(o.escapeStep).not.toBeNull();
    const tr = o.trace!;
    expect(tr[tr.length - 1]![1]).toBeGreaterThanOrEqual(0.5);
    expect(tr.slice(0, -1).every(([, m]) => m < 0.5)).toBe(true);
    const short = runReplicate({ ...c, maxSteps: Math.max(1, o.escapeStep! - 1), tracePoints: 0 }, 1, 1);
    expect(short).toMatchObject({ escapeStep: null, censored: true, diverged: false, steps: o.escapeStep! - 1 });
  });

  it("divergence (a blown-up second layer) stops the run, is reported, and is never an escape", () => {
    for (const engine of ["reduced", "gram", "full"] as const) {
      const c = config({ engine, d: 10, link: "z", student: "z", loss: "square", eta: "0.1", etaSecondLayer: "1000", threshold: 0.99, maxSteps: 100000, runToMax: false });
      const o = runReplicate(c, 1, 0);
      expect(o.diverged).toBe(true);
      expect(o.escapeStep).toBeNull();
      expect(o.censored).toBe(false);
      expect(o.steps).toBeLessThan(100000);
    }
  });

  it("bad input is a one-line InputError", () => {
    const bad = [
      config({ d: 2 }), config({ eta: "-d" }), config({ eta: "0*d" }), config({ eta: "1/(d-32)" }), config({ threshold: 1 }),
      config({ threshold: 0 }), config({ engine: "gram", width: 3, link: "z1*z2", d: 5 }), config({ link: "1" }),
      config({ noise: "laplace:1" }), config({ link: "z1*z2" }), config({ eta: "x" }),
    ];
    for (const c of bad) {
      let err: unknown = null;
      try { buildProblem(c); } catch (e) { err = e; }
      expect(isInputError(err), JSON.stringify(c)).toBe(true);
      expect((err as Error).message).not.toContain("\n");
    }
  });
});

describe("stopping rules do not change trajectories", () => {
  it("a larger budget or another threshold follows the same trajectory further", () => {
    const c = config({ d: 64, link: "He(3,z)", student: "He(3,z)", eta: "0.5*d^-1.5", threshold: 0.3, maxSteps: 2000, runToMax: true, tracePoints: 2000 });
    const a = runReplicate(c, 9, 3), b = runReplicate({ ...c, maxSteps: 4000, threshold: 0.6, tracePoints: 4000 }, 9, 3);
    const later = new Map(b.trace!);
    const common = a.trace!.filter(([t]) => later.has(t));
    expect(common.length).toBeGreaterThan(200);
    for (const [t, m] of common) expect(later.get(t)).toBe(m);
  });
});

describe("configuration keys", () => {
  it("spellings of one expression (spaces, implicit products) name one configuration and give the same run", () => {
    const c = config({ d: 64, link: "He(3,z)", student: "z^3-3*z", eta: "0.5*d^-1.5", maxSteps: 3000, runToMax: true });
    const respelled = { ...c, link: "He(3, z)", student: "z^3 - 3 z" };
    expect(configKey(respelled)).toBe(configKey(c));
    expect(runReplicate(respelled, 4, 1)).toEqual(runReplicate(c, 4, 1));
    // a different expression is a different configuration
    expect(configKey({ ...c, link: "He(3, z) + 0" })).not.toBe(configKey({ ...c, link: "He(3,z)+1" }));
  });
});
