/** The drift channels behind the channel rate of lr-transition (src/experiments/lrRates.ts). */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { channelRate, resolvableDimension, updateScalar } from "../../src/experiments/lrRates.js";
import { gaussHermite } from "../../src/numeric/gaussHermite.js";
import { parseLink } from "../../src/link/link.js";

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));

describe("drift channels", () => {
  it("online SGD on He_k with student He_k: one channel, A_k = a k k!, V = k^2 k! (k-1)!, rate A/(V d^max(k/2,1))", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0.2, max: 3, noNaN: true }), fc.integer({ min: 6, max: 16 }), (k, a, log2d) => {
      const d = 2 ** log2d;
      const r = channelRate({ target: `He(${k},z)`, activation: `He(${k},z)`, algorithm: "online", a0: a, eta: 0, d });
      expect(r.channels.map((c) => c.degree)).toEqual([k]);
      const A = a * k * factorial(k), V = a * a * k * k * factorial(k) * factorial(k - 1);
      expect(r.best.A).toBeCloseTo(A, 8);
      expect(r.V / V).toBeCloseTo(1, 10);
      expect(r.best.rate / (A / (V * Math.pow(d, Math.max(k / 2, 1))))).toBeCloseTo(1, 10);
      expect(r.best.time / ((V * Math.pow(d, Math.max(k - 1, 1))) / (A * A))).toBeCloseTo(1, 10);
    }), { numRuns: 20 });
  });

  it("the channels reproduce the drift E[psi (U - mZ)] = (1 - m^2) sum_i A_i m^(i-1) at correlation m (alternating and batch reuse)", () => {
    const rule = gaussHermite(64);
    const target = parseLink("He(3,z)").f, act = parseLink("He(3,z)");
    const dsigma = (z: number) => 3 * (z * z - 1);
    for (const [algorithm, eta, d] of [["alternating", 0.01, 100], ["batch-reuse", 2e-4, 100]] as const) {
      const r = channelRate({ target: "He(3,z)", activation: "He(3,z)", algorithm, a0: 1, eta, d, maxDegree: 14 });
      const psi = updateScalar(algorithm, 1, eta, d, act.f, dsigma);
      for (const m of [0.1, 0.3, 0.6]) {
        // U = m Z + sqrt(1 - m^2) X with Z, X independent standard normals
        let D = 0;
        for (let i = 0; i < 64; i++) for (let j = 0; j < 64; j++) {
          const z = rule.nodes[i]!, x = rule.nodes[j]!, u = m * z + Math.sqrt(1 - m * m) * x;
          D += rule.weights[i]! * rule.weights[j]! * psi(target(u), z) * (u - m * z);
        }
        const series = (1 - m * m) * r.channels.reduce((s, c) => s + c.A * Math.pow(m, c.degree - 1), 0);
        expect(Math.abs(series - D)).toBeLessThan(1e-8 * Math.max(1, Math.abs(D)));
      }
    }
  });

  it("alternating: A_2 and the noise grow with the inner rate as eta and eta^2 (psi is affine in eta)", () => {
    const at = (eta: number) => channelRate({ target: "He(3,z)", activation: "He(3,z)", algorithm: "alternating", a0: 1, eta, d: 1024 });
    const [a, b, c] = [at(1e-3), at(2e-3), at(3e-3)];
    const A2 = (x: typeof a) => x.channels.find((ch) => ch.degree === 2)!.A;
    expect(A2(b) / A2(a)).toBeCloseTo(2, 10);
    expect(A2(c) / A2(a)).toBeCloseTo(3, 10);
    // V(eta) = E[psi^2] is quadratic in eta: equal second differences V(0) - 2V(h) + V(2h) = V(h) - 2V(2h) + V(3h)
    const V0 = at(0).V;
    expect(V0 - 2 * a.V + b.V).toBeCloseTo(a.V - 2 * b.V + c.V, 6);
    // the fastest channel switches from degree 3 to degree 2 as eta grows, and more so at larger d (eta* ~ d^(-1/2))
    const switchEta = (d: number) => [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3].find((eta) => channelRate({ target: "He(3,z)", activation: "He(3,z)", algorithm: "alternating", a0: 1, eta, d }).best.degree === 2)!;
    expect(switchEta(65536)).toBeLessThan(switchEta(1024));
  });

  it("the resolvable size grows when the drop is harder to see (a stricter span in eta)", () => {
    const o = { target: "He(3,z)", activation: "He(3,z)", algorithm: "alternating" as const, a0: 1 };
    const easy = resolvableDimension({ ...o, minDecades: 0.5, minFactor: 3 })!, hard = resolvableDimension({ ...o, minDecades: 1.5, minFactor: 30 })!;
    expect(hard.d).toBeGreaterThan(easy.d);
    expect(hard.drop).toBeGreaterThanOrEqual(30);
  });
});
