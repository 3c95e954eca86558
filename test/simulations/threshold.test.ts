/**
 * The weak-recovery simulations (issue 15 §2): the eigen-solvers, the estimators at small d against their d = infinity
 * predictions, the finite-size-scaling locator, memory refusals and the CLI's input errors.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { symmetricEigenQL } from "../../src/tensors/tridiagonalEigen.js";
import { symmetricEigen } from "../../src/tensors/ops.js";
import { lanczosTop, spectralRun, thresholdMemoryPlan, type SpectralRunConfig } from "../../src/simulations/threshold/spectral.js";
import { createJsCpuBackend } from "../../src/tensors/jsCpu.js";
import { Xoshiro128 } from "../../src/numeric/xoshiro.js";
import { locateTransition, type OverlapCell } from "../../src/verification/transition.js";
import { parseAlphaGrid, runThresholdExperiment } from "../../src/experiments/thresholdExperiment.js";
import { InputError } from "../../src/link/errors.js";

const symmetric = (n: number, rng: Xoshiro128) => {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const v = rng.normal(); A[i * n + j] = v; A[j * n + i] = v; }
  return A;
};

describe("eigen-solvers", () => {
  it("Householder + QL: A v = lambda v, orthonormal vectors, and the Jacobi eigenvalues", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
      const A = symmetric(n, Xoshiro128.forKey({ masterSeed: seed, configuration: "ql", replicate: 0 }));
      const q = symmetricEigenQL(A, n), j = symmetricEigen(A, n);
      for (let r = 0; r < n; r++) {
        expect(Math.abs(q.values[r]! - j.values[r]!)).toBeLessThan(1e-10);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += A[i * n + k]! * q.vectors[r * n + k]!;
          expect(Math.abs(s - q.values[r]! * q.vectors[r * n + i]!)).toBeLessThan(1e-10);
        }
        for (let t = 0; t <= r; t++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += q.vectors[r * n + k]! * q.vectors[t * n + k]!;
          expect(Math.abs(s - (r === t ? 1 : 0))).toBeLessThan(1e-10);
        }
      }
    }), { numRuns: 30, seed: 7 });
  });

  it("Lanczos finds the top eigenpair of a spiked random matrix", async () => {
    const d = 120;
    const rng = Xoshiro128.forKey({ masterSeed: 3, configuration: "lanczos", replicate: 0 });
    const A = symmetric(d, rng);
    for (let i = 0; i < d * d; i++) A[i]! /= Math.sqrt(d);
    A[0] += 3; // spike along e_1: top eigenvalue near 3 + 1/3, well separated from the edge 2
    const apply = async (v: Float32Array) => {
      const out = new Float32Array(d);
      for (let i = 0; i < d; i++) { let s = 0; for (let k = 0; k < d; k++) s += A[i * d + k]! * v[k]!; out[i] = s; }
      return out;
    };
    const top = await lanczosTop(apply, d, 80, 1e-6, Xoshiro128.forKey({ masterSeed: 1, configuration: "start", replicate: 0 }));
    const exact = symmetricEigenQL(A, d);
    expect(top.converged).toBe(true);
    expect(Math.abs(top.value - exact.values[0]!)).toBeLessThan(1e-5);
    let overlap = 0;
    for (let i = 0; i < d; i++) overlap += top.vector[i]! * exact.vectors[i]!;
    expect(Math.abs(overlap)).toBeGreaterThan(1 - 1e-5);
  });
});

describe("estimators at n = alpha d", () => {
  const run = async (c: Partial<SpectralRunConfig> & { link: string }, seeds: number[]) => {
    const backend = await createJsCpuBackend();
    const out = [];
    for (const s of seeds) out.push(await spectralRun({ noise: "none", d: 200, alpha: 1, estimator: "optimal", alphaC: 0.5, ...c }, 11, s, backend));
    return out;
  };

  it("are reproducible: same seed, same numbers", async () => {
    const [a] = await run({ link: "z^2", alpha: 1.5 }, [4]);
    const [b] = await run({ link: "z^2", alpha: 1.5 }, [4]);
    expect(b!.overlapSquared).toBe(a!.overlapSquared);
    expect(b!.eigenvalue).toBe(a!.eigenvalue);
  });

  it("optimal spectral on y = z^2: overlap^2 near its d = infinity value 0.486 (Lu-Li formula) (finite-d: below it) at alpha = 4 alpha_c, small at alpha = alpha_c/2", async () => {
    const above = await run({ link: "z^2", alpha: 2 }, [0, 1, 2]);
    const below = await run({ link: "z^2", alpha: 0.25 }, [0, 1, 2]);
    const mean = (r: { overlapSquared: number }[]) => r.reduce((s, x) => s + x.overlapSquared, 0) / r.length;
    // finite d lowers it (0.37 at d = 200 for these seeds; 0.46-0.51 at d = 1024)
    expect(mean(above)).toBeGreaterThan(0.25);
    expect(mean(above)).toBeLessThan(0.6);
    expect(mean(below)).toBeLessThan(0.15);
    expect(mean(above)).toBeGreaterThan(2.5 * mean(below));
  });

  it("linear estimator on a GE = 1 link: overlap^2 -> alpha lambda_1^2/(1 + alpha lambda_1^2) (y = z: 1/3 at alpha = 1/2)", async () => {
    const r = await run({ link: "z", alpha: 0.5, estimator: "linear", alphaC: 0 }, [0, 1, 2, 3]);
    const mean = r.reduce((s, x) => s + x.overlapSquared, 0) / r.length;
    expect(Math.abs(mean - 1 / 3)).toBeLessThan(0.06);
  });

  it("a hard link (y = z^2 exp(-z^2), lambda_1 = lambda_2 = 0) stays at the null overlap 1/d even at alpha = 5", async () => {
    const r = await run({ link: "z^2*exp(-z^2)", alpha: 5, estimator: "identity", alphaC: 0, d: 120 }, [0, 1]);
    for (const x of r) expect(x.overlapSquared * 120).toBeLessThan(10);
  });

  it("refuses shapes above the 2 GiB budget with the estimate, and bad grids with the option's name", () => {
    expect(() => thresholdMemoryPlan(32768, 20 * 32768)).toThrow(/GiB/);
    expect(() => thresholdMemoryPlan(32768, 20 * 32768)).toThrow(InputError);
    expect(parseAlphaGrid("0.3:0.6:0.1")).toEqual([0.3, 0.4, 0.5, 0.6]);
    expect(() => parseAlphaGrid("0:1:0.1")).toThrow(/--alpha/);
    expect(() => parseAlphaGrid("1:0.5:0.1")).toThrow(/--alpha/);
  });

  it("refuses an estimator the link's regime does not allow, and too large shapes, before running anything", async () => {
    const base = { dims: [64], alphas: [0.5], seeds: 2, masterSeed: 0, method: "spectral" as const };
    await expect(runThresholdExperiment({ ...base, link: "z^2", estimator: "linear" })).rejects.toThrow(/GE = 1/);
    await expect(runThresholdExperiment({ ...base, link: "z", estimator: "optimal" })).rejects.toThrow(InputError);
    await expect(runThresholdExperiment({ ...base, link: "z^2", dims: [32768], alphas: [20] })).rejects.toThrow(/GiB/);
    await expect(runThresholdExperiment({ ...base, method: "gamp", link: "z^2", dims: [32768], alphas: [20] })).rejects.toThrow(/GiB/);
    await expect(runThresholdExperiment({ ...base, method: "gamp", link: "z^2", estimator: "identity" })).rejects.toThrow(/--method spectral/);
    // multi-index: GAMP is refused with what is supported (the spectral method; test/simulations/threshold-multi.test.ts)
    await expect(runThresholdExperiment({ ...base, method: "gamp", link: "sign(z1*z2)" })).rejects.toThrow(/--method gamp runs single-index links.*2 latent directions.*--method spectral/);
    await expect(runThresholdExperiment({ ...base, method: "gamp", link: "z1*z2" })).rejects.toThrow(InputError);
  });
});

describe("finite-size-scaling locator", () => {
  // synthetic overlaps with the BBP scaling form m^2 = d^(-1/3) F((alpha - a_c) d^(1/3)), F(x) = softplus(x) + 1/(1 + x^2)
  const synthetic = (ac: number, noise: number): OverlapCell[] => {
    const rng = Xoshiro128.forKey({ masterSeed: 5, configuration: "fss", replicate: 0 });
    const cells: OverlapCell[] = [];
    for (const d of [512, 1024, 2048]) for (let a = 0.3; a <= 0.8 + 1e-9; a += 0.05) {
      const x = (a - ac) * Math.cbrt(d) * 4;
      const m2 = (Math.log1p(Math.exp(x)) + 1 / (1 + x * x)) / Math.cbrt(d) / 4;
      cells.push({ d, alpha: Number(a.toFixed(3)), overlapSquared: Array.from({ length: 10 }, () => Math.max(0, m2 * (1 + noise * rng.normal()))) });
    }
    return cells;
  };

  it("recovers the crossing of a synthetic scaling form, and calls a threshold off by a factor 2 inconsistent", () => {
    const cells = synthetic(0.5, 0.05);
    const ok = locateTransition(cells, 0.5, "easy", 400);
    expect(ok.verdict).toBe("consistent");
    expect(Math.abs(ok.estimate! - 0.5)).toBeLessThan(0.02);
    expect(locateTransition(cells, 0.25, "easy", 400).verdict).toBe("inconsistent");
    expect(locateTransition(cells, 1, "easy", 400).verdict).not.toBe("consistent");
  });

  it("is inconclusive when the grid misses the transition, and needs two sizes", () => {
    const cells = synthetic(1.5, 0.05);
    expect(locateTransition(cells, 1.5, "easy", 200).verdict).toBe("inconclusive");
    expect(locateTransition(cells.filter((c) => c.d === 512), 0.5, "easy", 200).verdict).toBe("inconclusive");
  });
});
