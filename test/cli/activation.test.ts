import { it, expect } from "vitest";
import { activationText } from "../../src/cli/activation.js";
import { UNARY_FUNCTIONS } from "../../src/link/expr.js";
import { parseLink } from "../../src/link/link.js";

it("a bare function name is that function of z, and any other text is left for the parser", () => {
  for (const f of UNARY_FUNCTIONS) expect(activationText(` ${f} `)).toBe(`${f}(z)`);
  for (const f of ["relu", "tanh", "erf"]) {
    const bare = parseLink(activationText(f)), full = parseLink(`${f}(z)`);
    for (const z of [-1.3, 0.4, 2.2]) expect(bare.kind === "single" && bare.f(z)).toBe(full.kind === "single" && full.f(z));
  }
  expect(activationText("relu(z) + 1")).toBe("relu(z) + 1");
  expect(activationText("He")).toBe("He"); // He(k, x) needs its degree: refused later by the parser, with the column
  expect(() => parseLink(activationText("relux"))).toThrow(/relux/);
});
