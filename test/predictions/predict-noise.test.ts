/**
 * `predict --noise`: the weak-recovery threshold (single-index alpha_c, multi-index subspaces) goes through the label
 * noise channel, as `analyze --noise` does. References: sign(z1 z2) with flips P(s = -1) = p has G = (1 - 2p)(2/pi) s X,
 * alpha_c = pi^2/4/(1 - 2p)^2 = 3.8553142191755296 at p = 0.1 (test/exponents/weak-learnability-reference.py);
 * y = z^2 + N(0, 0.5^2): alpha_c from the single-index threshold (exponents/threshold.ts, its own reference tests).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { predictLink } from "../../src/predictions/predictLink.js";
import { parseNoise } from "../../src/exponents/noise.js";
import { parseLink } from "../../src/link/link.js";
import { weakRecoveryThreshold } from "../../src/exponents/threshold.js";

const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "predict", ...args], { encoding: "utf8", timeout: 60_000 });

describe("predict --noise", () => {
  it("multi-index: sign(z1*z2) with 10% flips moves alpha_c from pi^2/4 to pi^2/4/0.8^2 (library and CLI)", () => {
    const clean = predictLink("sign(z1*z2)", { claims: ["troiani-multi-index-subspaces"], multiIndexLearnability: true }).facts.weakLearnability!;
    const noisy = predictLink("sign(z1*z2)", { claims: ["troiani-multi-index-subspaces"], multiIndexLearnability: true, noise: parseNoise("flip:0.1") }).facts.weakLearnability!;
    expect(Math.abs(clean.alphaC - Math.PI ** 2 / 4)).toBeLessThanOrEqual(clean.errorBound + 1e-9);
    expect(Math.abs(noisy.alphaC - 3.8553142191755296)).toBeLessThanOrEqual(noisy.errorBound + 1e-9);
    expect(noisy.noise).toBe("flip:0.1");
    const r = cli("sign(z1*z2)", "--claim", "troiani-multi-index-subspaces", "--noise", "flip:0.1", "--json");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { facts: { weakLearnability: { alphaC: number; noise: string } } };
    expect(out.facts.weakLearnability.noise).toBe("flip:0.1");
    expect(Math.abs(out.facts.weakLearnability.alphaC - 3.8553142191755296)).toBeLessThan(0.01);
  });

  it("single-index: z^2 with gaussian noise 0.5 prints the noisy alpha_c and says the noise applies to it", () => {
    const ref = weakRecoveryThreshold(parseLink("z^2"), { noise: parseNoise("gaussian:0.5") });
    expect(ref.alphaC).toBeGreaterThan(0.51);
    const p = predictLink("z^2", { noise: parseNoise("gaussian:0.5") });
    expect(p.facts.weakRecovery!.alphaC).toBe(ref.alphaC);
    expect(predictLink("z^2").facts.weakRecovery!.alphaC).toBe(0.5);
    const r = cli("z^2", "--claim", "mm-spectral-weak-recovery", "--noise", "gaussian:0.5");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`alpha_c = ${Number(ref.alphaC.toPrecision(8))}`);
    expect(r.stdout).toMatch(/label noise gaussian:0\.5/);
  });

  it("a bad --noise is one line with exit code 2", () => {
    const r = cli("z^2", "--noise", "flip:2");
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
