import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseLink } from "../../src/link/link.js";
import { InputError } from "../../src/link/errors.js";

// |z - t|^(-a) is square-integrable under the Gaussian iff a < 1/2 (int |z|^(-2a) near 0 converges iff 2a < 1)
describe("singular links: accepted exactly when square-integrable", () => {
  it("|z - t|^(-a) is accepted for a < 1/2 and refused for a >= 1/2, at any rational shift", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: -8, max: 8 }), (hundredths, eighths) => {
      const a = hundredths / 100;
      const shift = eighths === 0 ? "z" : `z - ${eighths}/8`;
      const source = `abs(${shift})^(-${a})`;
      if (a < 0.49) expect(() => parseLink(source), source).not.toThrow();
      else if (a >= 0.5) expect(() => parseLink(source), source).toThrow(InputError);
    }), { numRuns: 60, seed: 5 });
  });

  it("log|z| (square-integrable) is accepted; 1/z and 1/(z1 - z2) are refused", () => {
    expect(() => parseLink("log(abs(z))")).not.toThrow();
    expect(() => parseLink("1/z")).toThrow(/not square-integrable/);
    expect(() => parseLink("1/(z1 - z2)")).toThrow(/not square-integrable/);
  });
});
