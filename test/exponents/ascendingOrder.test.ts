import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ascendingOrder } from "../../src/exponents/weakLearnability.js";

/** The radix order must be the order a stable comparator sort gives (ties, signs, -0, huge and tiny magnitudes). */
describe("ascendingOrder (radix) against the stable comparator sort", () => {
  const reference = (ys: Float64Array) => Array.from({ length: ys.length }, (_, s) => s).sort((a, b) => ys[a]! - ys[b]!);
  it("agrees on random finite doubles with many ties, both above and below the radix cut-off", () => {
    const pool = [0, -0, 1, -1, 0.5, -0.5, 1e-300, -1e-300, 5e-324, -5e-324, 1e300, -1e300, 3, 2.9999999999999996];
    fc.assert(
      fc.property(fc.integer({ min: 2048, max: 6000 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (t, seed) => {
        const ys = new Float64Array(t);
        let s = seed;
        for (let i = 0; i < t; i++) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          ys[i] = s % 3 === 0 ? pool[s % pool.length]! : (s / 2 ** 32 - 0.5) * 10 ** ((s % 13) - 6);
        }
        expect(Array.from(ascendingOrder(ys, t))).toEqual(reference(ys));
      }),
      { numRuns: 30 },
    );
  });
  it("agrees above 2^16 points (the 16-bit digits), ties, signs and -0 included", () => {
    const t = 70000, ys = new Float64Array(t + 5);
    let s = 12345;
    for (let i = 0; i < t + 5; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      ys[i] = s % 5 === 0 ? [0, -0, 1, -1, 2.5][s % 5 + (s >>> 8) % 5]! : (s / 2 ** 32 - 0.5) * 10 ** ((s % 17) - 8);
    }
    expect(Array.from(ascendingOrder(ys, t))).toEqual(reference(ys.subarray(0, t)));
  });
  it("only the first t entries are ordered", () => {
    const ys = Float64Array.from({ length: 3000 }, (_, i) => (i * 7919) % 1001 - 500);
    expect(Array.from(ascendingOrder(ys, 2500))).toEqual(reference(ys.subarray(0, 2500)));
  });
});
