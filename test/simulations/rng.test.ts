import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ChiSquareSampler, Xoshiro128 } from "../../src/numeric/xoshiro.js";
import { ksTwoSample, kolmogorovQ } from "../../src/verification/twoSample.js";

const stream = (replicate: number, configuration = "rng-test") => Xoshiro128.forKey({ masterSeed: 11, configuration, replicate });

/** Standard normal CDF via erfc-free series (Abramowitz–Stegun 26.2.17 is not enough for KS at n = 1e5; use erf from Math). */
function phi(x: number): number {
  // Zelen & Severo 26.2.17 has |error| < 7.5e-8, far below the KS resolution at n = 2e5 (~3e-3)
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const p = 1 - Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? p : 1 - p;
}

describe("keyed random streams", () => {
  it("a stream depends only on its key (bitwise)", () => {
    fc.assert(fc.property(fc.nat(1e9), fc.string(), fc.nat(1e6), (seed, cfg, rep) => {
      const a = Xoshiro128.forKey({ masterSeed: seed, configuration: cfg, replicate: rep });
      const b = Xoshiro128.forKey({ masterSeed: seed, configuration: cfg, replicate: rep });
      for (let i = 0; i < 16; i++) if (a.nextUint32() !== b.nextUint32()) return false;
      return true;
    }), { numRuns: 200 });
  });

  it("neighbouring keys give unrelated streams (first outputs differ, correlation ~ 0)", () => {
    const n = 20000;
    const a = stream(0), b = stream(1), c = Xoshiro128.forKey({ masterSeed: 12, configuration: "rng-test", replicate: 0 });
    let sab = 0, sac = 0;
    for (let i = 0; i < n; i++) { const x = a.uniform() - 0.5, y = b.uniform() - 0.5, z = c.uniform() - 0.5; sab += x * y; sac += x * z; }
    // Var(U-1/2)=1/12, so the sample correlation has sd 1/sqrt(n); 5 sd bound
    expect(Math.abs(12 * sab / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(12 * sac / n)).toBeLessThan(5 / Math.sqrt(n));
  });

  it("ziggurat normals follow N(0, 1) (KS against Phi, moments, tails)", () => {
    const g = stream(2), n = 200000;
    const xs: number[] = [];
    let s2 = 0, s4 = 0, tail = 0;
    for (let i = 0; i < n; i++) { const x = g.normal(); xs.push(x); s2 += x * x; s4 += x ** 4; if (Math.abs(x) > 3.442619855899) tail++; }
    xs.sort((a, b) => a - b);
    let D = 0;
    for (let i = 0; i < n; i++) { const F = phi(xs[i]!); D = Math.max(D, Math.abs(F - i / n), Math.abs(F - (i + 1) / n)); }
    expect(kolmogorovQ(Math.sqrt(n) * D)).toBeGreaterThan(1e-3);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    // P(|Z| > r) = 2 (1 - Phi(r)) exercises the tail branch
    const pTail = 2 * (1 - phi(3.442619855899));
    expect(Math.abs(tail / n - pTail)).toBeLessThan(5 * Math.sqrt(pTail / n));
  });

  it("chi-square(nu) has mean nu and variance 2 nu, for nu from 1 to 2^30", () => {
    for (const nu of [1, 2, 6, 254, 2 ** 20, 2 ** 30]) {
      const g = stream(nu), R = new ChiSquareSampler(nu), n = 40000;
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) { const x = R.sample(g); s += x; s2 += x * x; }
      const mean = s / n, v = s2 / n - mean * mean;
      expect(Math.abs(mean - nu)).toBeLessThan(5 * Math.sqrt(2 * nu / n));
      expect(Math.abs(v / (2 * nu) - 1)).toBeLessThan(nu <= 2 ? 0.1 : 0.05);
    }
  });

  it("chi-square with 1 degree of freedom is the law of Z^2 (KS)", () => {
    const g = stream(3), R = new ChiSquareSampler(1), n = 20000;
    const a = Array.from({ length: n }, () => R.sample(g));
    const b = Array.from({ length: n }, () => g.normal() ** 2);
    expect(ksTwoSample(a, b).pValue).toBeGreaterThan(1e-3);
  });
});

describe("block samplers", () => {
  it("fillNormal and fillUniform return exactly the values of successive single draws, and leave the stream in the same state", () => {
    fc.assert(fc.property(fc.nat(1e6), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 50 }), (rep, n, offset) => {
      const a = stream(rep, "block"), b = stream(rep, "block");
      const normals = new Float64Array(n + offset), uniforms = new Float64Array(n + offset);
      a.fillNormal(normals, offset, offset + n);
      a.fillUniform(uniforms, offset, offset + n);
      for (let i = 0; i < offset; i++) if (normals[i] !== 0 || uniforms[i] !== 0) return false; // outside [from, to) untouched
      for (let i = 0; i < n; i++) if (normals[offset + i] !== b.normal()) return false;
      for (let i = 0; i < n; i++) if (uniforms[offset + i] !== b.uniform()) return false;
      return a.nextUint32() === b.nextUint32();
    }), { numRuns: 60 });
  });

  it("the block chi-square sampler has the chi-square law (KS against single draws; mean and variance) for small and large nu", () => {
    for (const nu of [0.5, 3, 254, 2 ** 20]) {
      const g = stream(7, `chi-fill-${nu}`), h = stream(8, `chi-fill-${nu}`), R = new ChiSquareSampler(nu), n = 30000;
      const block = new Float64Array(n);
      for (let from = 0; from < n; from += 1000) R.fill(g, block, from, from + 1000);
      const single = Array.from({ length: n }, () => R.sample(h));
      expect(ksTwoSample(Array.from(block), single).pValue).toBeGreaterThan(1e-3);
      let s = 0, s2 = 0;
      for (const x of block) { s += x; s2 += x * x; }
      const mean = s / n, v = s2 / n - mean * mean;
      expect(Math.abs(mean - nu)).toBeLessThan(5 * Math.sqrt(2 * nu / n));
      expect(Math.abs(v / (2 * nu) - 1)).toBeLessThan(nu <= 3 ? 0.12 : 0.06);
    }
  });
});

describe("Kolmogorov distribution", () => {
  it("Q_KS matches its classical critical values (5%: 1.3581, 1%: 1.6276)", () => {
    expect(kolmogorovQ(1.3581)).toBeCloseTo(0.05, 3);
    expect(kolmogorovQ(1.6276)).toBeCloseTo(0.01, 3);
  });
});
