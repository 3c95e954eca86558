/** analyze --noise on multi-index links: the weak-recovery threshold goes through the same noise channel as single-index. */
import { describe, expect, it } from "vitest";
import { analyzeLink } from "../../src/analyze.js";
import { parseNoise } from "../../src/exponents/noise.js";
import { isInputError } from "../../src/link/errors.js";

describe("analyze --noise, multi-index", () => {
  it("sign(z1 z2) with flips p: alpha_c = (pi^2/4) / (1 - 2p)^2 (G(y) scales by 1 - 2p), and the generative leap is not claimed", () => {
    const a = analyzeLink("sign(z1*z2)", { noise: parseNoise("flip:0.1"), multiIndexLearnability: true });
    const w = a.weakLearnability!;
    const exact = Math.PI ** 2 / 4 / 0.8 ** 2;
    expect(w.regime).toBe("easy");
    expect(w.interval[0]).toBeLessThanOrEqual(exact);
    expect(w.interval[1]).toBeGreaterThanOrEqual(exact);
    expect(Math.abs(w.alphaC - exact) / exact).toBeLessThan(1e-3);
    expect(a.noise).toBe("flip:0.1");
    expect(a.generativeLeap).toBeNull();
    expect(a.leapExponent).toBe(2);
  });

  it("gaussian label noise can only raise alpha_c (a garbled label: data processing), flip:0.5 learns nothing", () => {
    const clean = analyzeLink("z1*z2", { multiIndexLearnability: true }).weakLearnability!;
    const noisy = analyzeLink("z1*z2", { noise: parseNoise("gaussian:0.5"), multiIndexLearnability: true }).weakLearnability!;
    expect(noisy.regime).toBe("easy");
    expect(noisy.interval[0]).toBeGreaterThan(clean.interval[1]);
    const coin = analyzeLink("sign(z1*z2)", { noise: parseNoise("flip:0.5"), multiIndexLearnability: true });
    expect(coin.leapExponent).toBeNull();
    expect(coin.weakLearnability!.alphaC).toBe(Infinity);
  });

  it("flip noise on a link that is not +-1-valued is bad input", () => {
    let err: unknown;
    try { analyzeLink("z1*z2", { noise: parseNoise("flip:0.1"), multiIndexLearnability: true }); } catch (e) { err = e; }
    expect(isInputError(err)).toBe(true);
  });
});
