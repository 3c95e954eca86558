import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { generativeExponent, generativeSpectrum } from "../../src/exponents/generative.js";
import { atomHermiteMoments, branchStructure, gaussianMass, phi } from "../../src/exponents/conditional.js";
import { binnedGenerativeSpectrum } from "../../src/exponents/binned.js";
import { parseNoise } from "../../src/exponents/noise.js";
import { integrateAdaptive } from "../../src/numeric/adaptive.js";
import { normalizedHermiteValues } from "../../src/hermite/basis.js";
import { hermiteSpectrum } from "../../src/hermite/spectrum.js";
import { informationExponent } from "../../src/exponents/information.js";
import { InputError } from "../../src/link/errors.js";

const kappa = (src: string, K = 4, noise?: string) => generativeSpectrum(parseLink(src), K, parseNoise(noise));
const ge = (src: string, K = 4, noise?: string) => generativeExponent(parseLink(src), { maxDegree: K, noise: parseNoise(noise) });

/** Random single-index links: small integer polynomials, optionally inside a kink or a squashing function. */
const poly = fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -2, max: 2 }), fc.integer({ min: -1, max: 1 }))
  .filter(([a, b, c, d]) => b !== 0 || c !== 0 || d !== 0)
  .map(([a, b, c, d]) => `${a} + ${b}*z + ${c}*z^2 + ${d}*z^3`);
const wrapped = fc.tuple(poly, fc.constantFrom("", "relu", "abs", "tanh", "sign")).map(([p, w]) => (w ? `${w}(${p})` : p));

describe("generative spectrum: the kappa_k table of the theory notes §2.2", () => {
  it("kappa_1(sign) = 2/pi and kappa_1(relu) = 1/2 + 1/pi", () => {
    expect(kappa("sign(z)").lambdaSquared[1]).toBeCloseTo(2 / Math.PI, 12);
    expect(kappa("relu(z)").lambdaSquared[1]).toBeCloseTo(0.5 + 1 / Math.PI, 11);
  });
  it("kappa_1(He_3) ~ 0.668, kappa_2(He_4) ~ 0.774, kappa_1(He_4) = 0", () => {
    expect(Math.abs(kappa("He(3,z)").lambdaSquared[1]! - 0.668)).toBeLessThan(1e-3);
    const he4 = ge("He(4,z)");
    expect(Math.abs(he4.spectrum[1]!.lambdaSquared - 0.774)).toBeLessThan(2e-3);
    expect(he4.spectrum[0]!.nonzero).toBe(false);
    expect(he4.spectrum[0]!.basis).toBe("parity");
    expect(he4.value).toBe(2);
  });
  it("kappa_2(z^2) = kappa_2(|z|) = 1 and injective links have kappa_k = 1 for every k", () => {
    for (const s of ["z^2", "abs(z)"]) expect(kappa(s).lambdaSquared[2]).toBeCloseTo(1, 10);
    for (const s of ["tanh(z)", "z^3 + z", "exp(z)", "z + sign(z)"]) {
      const l = kappa(s, 6).lambdaSquared;
      for (let k = 1; k <= 6; k++) expect(Math.abs(l[k]! - 1)).toBeLessThan(1e-9);
    }
  });
  it("lambda_k^2 lies in [0, 1] within its error bound", () => {
    fc.assert(fc.property(wrapped, (s) => {
      const r = kappa(s, 5);
      for (let k = 1; k <= 5; k++) {
        expect(r.lambdaSquared[k]!).toBeGreaterThanOrEqual(-r.errorBounds[k]! - 1e-14);
        expect(r.lambdaSquared[k]!).toBeLessThanOrEqual(1 + r.errorBounds[k]! + 1e-12);
      }
    }), { numRuns: 15 });
  });
});

describe("generative exponent: properties", () => {
  it("GE <= IE for every link", () => {
    fc.assert(fc.property(wrapped, (s) => {
      const link = parseLink(s);
      const ie = informationExponent(link, hermiteSpectrum(link, 6)).value;
      const g = generativeExponent(link, { maxDegree: 6 }).value;
      if (ie !== null) { expect(g).not.toBeNull(); expect(g!).toBeLessThanOrEqual(ie); }
    }), { numRuns: 12 });
  });
  it("GE(T o f) = GE(f) with the same lambda_k for injective T (y^3, tanh(y/4))", () => {
    fc.assert(fc.property(wrapped.filter((s) => !s.startsWith("sign")), fc.constantFrom("cube", "tanh"), (s, t) => {
      const a = kappa(s, 4);
      const b = kappa(t === "cube" ? `(${s})^3` : `tanh((${s})/4)`, 4);
      for (let k = 1; k <= 4; k++) expect(Math.abs(a.lambdaSquared[k]! - b.lambdaSquared[k]!)).toBeLessThan(1e-8 + 10 * (a.errorBounds[k]! + b.errorBounds[k]!));
      expect(ge(s).value).toBe(ge(t === "cube" ? `(${s})^3` : `tanh((${s})/4)`).value);
    }), { numRuns: 6 });
  });
  it("every non-even polynomial link has GE = 1; even ones have GE >= 2 and only even-order lambda_k", () => {
    fc.assert(fc.property(poly, (s) => {
      const g = ge(s, 6);
      const even = /\*z \+ 0\*z\^2 \+ 0\*z\^3$/.test(s) ? false : s.includes(" + 0*z + ") && s.endsWith(" + 0*z^3");
      if (even) {
        expect(g.value).toBe(2);
        for (const e of g.spectrum) if (e.k % 2 === 1) { expect(e.nonzero).toBe(false); expect(e.basis).toBe("parity"); }
      } else expect(g.value).toBe(1);
    }), { numRuns: 25 });
  });
  it("explains GE < IE through the label power that exposes the degree", () => {
    expect(ge("He(3,z)").explanation).toMatch(/cubing the label exposes degree 1/);
    expect(ge("He(4,z)").explanation).toMatch(/squaring the label exposes degree 2/);
  });
  it("GE > K is reported as null with the reason, and the optimal transformation is tabulated", () => {
    const g = ge("He(4,z)", 1);
    expect(g.value).toBeNull();
    expect(g.note).toMatch(/GE > 1/);
    const t = ge("He(3,z)").optimalTransformation!;
    expect(t.k).toBe(1);
    expect(t.points.length).toBeGreaterThan(20);
    // zeta_1 is a conditional mean of Z: |zeta_1(y)| <= the largest preimage modulus, and odd in y for odd f
    const at = (y: number) => t.points.find((p) => Math.abs(p.y - y) < 1e-12);
    for (const p of t.points) { const q = at(-p.y); if (q) expect(q.zeta).toBeCloseTo(-p.zeta, 9); }
  });
});

describe("closed forms vs numerics", () => {
  it("sign-type links: closed-form zeta_k agrees with quadrature of h_k phi over the level sets to 1e-10", () => {
    const cut = fc.integer({ min: -30, max: 30 }).map((n) => n / 10);
    fc.assert(fc.property(cut, cut, fc.constantFrom("sign", "step"), (a, b, fn) => {
      const src = a === b ? `${fn}(z - ${a})` : `${fn}((z - ${a})*(z - ${b}))`;
      const s = branchStructure(parseLink(src));
      expect(s.monotone.length).toBe(0);
      const K = 8, h = new Float64Array(K + 1);
      for (const atom of s.atoms) {
        const closed = atomHermiteMoments(atom, K);
        const numeric = new Float64Array(K + 1);
        for (const [lo, hi] of atom.intervals) {
          const r = integrateAdaptive((z, out) => { normalizedHermiteValues(z, K, h); for (let k = 0; k <= K; k++) out[k] = h[k]! * phi(z); }, K + 1, Math.max(lo, -14), Math.min(hi, 14), { tolerance: 1e-14 });
          for (let k = 0; k <= K; k++) numeric[k]! += r.values[k]!;
        }
        for (let k = 0; k <= K; k++) expect(Math.abs(closed[k]! / atom.mass - numeric[k]! / atom.mass)).toBeLessThan(1e-10);
      }
    }), { numRuns: 20 });
  });
  it("atom masses are Gaussian probabilities summing to 1 for piecewise-constant links", () => {
    const s = branchStructure(parseLink("sign(z^2 - 1) + step(z - 2)"));
    expect(s.atoms.reduce((t, a) => t + a.mass, 0)).toBeCloseTo(1, 14);
    expect(gaussianMass(-1, 1)).toBeCloseTo(0.6826894921370859, 15);
  });
  it("binned Monte Carlo (10^6 samples, quantile bins) agrees with the exact route within its standard error and never exceeds it beyond noise", () => {
    fc.assert(fc.property(wrapped, (s) => {
      const link = parseLink(s);
      const exact = generativeSpectrum(link, 4);
      const mc = binnedGenerativeSpectrum(link.f, 4, { samples: 1_000_000, seed: 7, bins: 10_000 });
      for (let k = 1; k <= 4; k++) {
        const se = mc.standardErrors[k]!, diff = mc.lambdaSquared[k]! - exact.lambdaSquared[k]!, eb = exact.errorBounds[k]!;
        expect(diff).toBeLessThan(4 * se + eb + 1e-6); // a lower bound up to noise
        expect(Math.abs(diff)).toBeLessThan(4 * se + eb + 0.005 * exact.lambdaSquared[k]! + 1e-6); // plus a small binning bias (10^4 bins)
      }
    }), { numRuns: 3 });
  });
});

describe("noise", () => {
  it("Gaussian noise shrinks every lambda_k but keeps it non-zero, and never creates one", () => {
    for (const s of ["He(3,z)", "relu(z)", "z^2"]) {
      const clean = ge(s, 4);
      let prev = clean.spectrum.map((e) => e.lambdaSquared);
      for (const sigma of [0.3, 1]) {
        const noisy = ge(s, 4, `gaussian:${sigma}`);
        noisy.spectrum.forEach((e, i) => {
          expect(e.nonzero).toBe(clean.spectrum[i]!.nonzero);
          expect(e.lambdaSquared).toBeLessThanOrEqual(prev[i]! + 1e-9);
        });
        prev = noisy.spectrum.map((e) => e.lambdaSquared);
        expect(noisy.value).toBe(clean.value);
      }
    }
  });
  it("Gaussian-noise quadrature agrees with noisy binned Monte Carlo", () => {
    const link = parseLink("He(3,z)");
    const noise = parseNoise("gaussian:0.5");
    const q = generativeSpectrum(link, 3, noise);
    const mc = binnedGenerativeSpectrum(link.f, 3, { samples: 1_000_000, seed: 11, noise });
    for (let k = 1; k <= 3; k++) expect(Math.abs(mc.lambdaSquared[k]! - q.lambdaSquared[k]!)).toBeLessThan(4 * mc.standardErrors[k]! + 0.01 * q.lambdaSquared[k]!);
  });
  it("label flips multiply lambda_k^2 of a symmetric sign link by (1-2p)^2; p = 1/2 makes every lambda_k exactly 0", () => {
    const clean = kappa("sign(z)", 5);
    for (const p of [0.05, 0.2, 0.4]) {
      const f = kappa("sign(z)", 5, `flip:${p}`);
      for (let k = 1; k <= 5; k++) expect(f.lambdaSquared[k]).toBeCloseTo((1 - 2 * p) ** 2 * clean.lambdaSquared[k]!, 12);
    }
    const half = ge("sign(z - 0.5)", 4, "flip:0.5");
    expect(half.value).toBeNull();
    expect(half.spectrum.every((e) => !e.nonzero && e.basis === "exact")).toBe(true);
  });
});

describe("bad input", () => {
  it("noise options are validated with what and where", () => {
    expect(() => parseNoise("gaussian:-1")).toThrow(InputError);
    expect(() => parseNoise("flip:0.7")).toThrow(/\[0, 1\/2\]/);
    expect(() => parseNoise("flip:-0.1")).toThrow(InputError);
    expect(() => parseNoise("laplace:1")).toThrow(/unknown noise model/);
    expect(() => parseNoise("gaussian:abc")).toThrow(/needs a number/);
    expect(parseNoise("gaussian:0")).toEqual({ kind: "none" });
  });
  it("a constant link and flips on a non-sign link are refused", () => {
    expect(() => ge("3")).toThrow(/constant/);
    expect(() => ge("tanh(z)", 4, "flip:0.1")).toThrow(/\+1 or -1/);
  });
  it("a link with too many monotone pieces falls back to Monte Carlo with a warning, never a silent number", () => {
    const g = ge("z + sin(100*z)", 3);
    expect(g.method).toBe("monte-carlo");
    expect(g.warnings.join(" ")).toMatch(/branch analysis refused.*Monte-Carlo/);
    expect(g.value).toBe(1);
  });
});
