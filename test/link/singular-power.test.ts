// Issue 19: the boundary of square-integrability at a zero of a power's base, decided exactly from the expression.
// |x|^(-1/2) squared is |x|^(-1), not integrable at 0 (the campaign accepted abs(z - -20/8)^(-0.5)).
import { describe, expect, it } from "vitest";
import { parseLink } from "../../src/link/link.js";
import { InputError } from "../../src/link/errors.js";

const refusal = (source: string): string => {
  try { parseLink(source); } catch (e) { expect(e).toBeInstanceOf(InputError); return (e as Error).message; }
  throw new Error(`${source} was accepted`);
};

describe("singular powers at the -1/2 boundary", () => {
  it("abs(z + 2.5)^(-0.5) (the campaign's accepted non-L2 link) is refused at z = -2.5 with the power", () => {
    const m = refusal("abs(z - -20/8)^(-0.5)");
    expect(m).toMatch(/singular at z = -2\.5\b/);
    expect(m).toMatch(/\|z - -2\.5\|\^\(-1\/2\)/);
    expect(m).toMatch(/column \d+/);
  });

  it("the boundary is refused at other zeros and orders: abs(z)^(-1/2), abs(z - 0.3)^(-0.5), (z^2)^(-1/4), abs(z^3 - 8)^(-0.5)", () => {
    for (const [src, at] of [["abs(z)^(-1/2)", "0"], ["abs(z - 0.3)^(-0.5)", "0\\.3"], ["((z-1.7)^2)^(-1/4)", "1\\.7"], ["abs(z^3 - 8)^(-0.5)", "2"]] as const) {
      expect(refusal(src)).toMatch(new RegExp(`singular at z = ${at}\\b.*not square-integrable`));
    }
  });

  it("just inside the boundary is accepted: abs(z + 2.5)^(-0.49), (z^2)^(-0.24), and a cancelling factor z*abs(z)^(-1/2)", () => {
    for (const src of ["abs(z + 2.5)^(-0.49)", "((z-1.7)^2)^(-0.24)", "z*abs(z)^(-1/2)"]) expect(() => parseLink(src)).not.toThrow();
  });
});
