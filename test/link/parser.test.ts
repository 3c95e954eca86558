/**
 * The safe link language: hostile inputs are refused without evaluating anything, every rejection is an InputError
 * that says what and where, and a fuzzer of random strings and mutated valid expressions (>= 10^4 cases) finds no
 * other exception. Accepted links compile to closures that agree with an independent evaluator (mathjs).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluate as mathEvaluate } from "mathjs/number";
import { parseLink } from "../../src/link/link.js";
import { parseExpression } from "../../src/link/parse.js";
import { compilePositional } from "../../src/link/compile.js";
import { InputError } from "../../src/link/errors.js";
import { HOSTILE_FRAGMENTS, linkExpression, mutatedExpression, randomText } from "../arbitraries.js";
import { attempt } from "./contract.js";

const CANARY = "__indexLabCanary";
const g = globalThis as Record<string, unknown>;

/** A would-be payload: if any input reached a JS or mathjs evaluator, calling this would flip the flag. */
beforeAll(() => {
  g[CANARY] = false;
  g["__indexLabPwn"] = () => { g[CANARY] = true; return 1; };
});
afterAll(() => { delete g[CANARY]; delete g["__indexLabPwn"]; });

const refused = (source: string): InputError => {
  const r = attempt(source); // throws a ContractViolation on any breach (see contract.ts)
  if (r.ok) throw new Error(`accepted: ${source}`);
  return r.error;
};

describe("nothing outside the whitelist is evaluated", () => {
  const cases: [string, RegExp, number | undefined][] = [
    ["import({})", /function 'import' is not allowed/, 1],
    ["evaluate(\"1\")", /function 'evaluate' is not allowed/, 1],
    ["a.constructor", /property access not allowed/, 2],
    ["f(x)=x", /function definitions not allowed/, 5],
    ["[1,2]", /arrays not allowed/, 1],
    ["\"abc\"", /strings not allowed/, 1],
    ["x ? 1 : 2", /conditional expressions not allowed/, 3],
    ["z == 1", /operator '==' is not allowed/, 3],
    ["createUnit(\"a\")", /function 'createUnit' is not allowed/, 1],
    ["z.toString()", /not allowed|only named functions/, undefined],
    ["z = 1", /assignment not allowed/, 3],
    ["{a: 1}", /objects not allowed/, 1],
    ["1:3", /ranges not allowed/, 2],
    ["z; z", /statement blocks not allowed/, 2],
    ["z[1]", /not allowed/, 2],
    ["parse(\"z\")", /function 'parse' is not allowed/, 1],
    ["compile(\"z\")", /function 'compile' is not allowed/, 1],
    ["simplify(z)", /function 'simplify' is not allowed/, 1],
    ["constructor(z)", /function 'constructor' is not allowed/, 1],
    ["__indexLabPwn(z)", /unknown function '__indexLabPwn'/, 1],
    ["z + __indexLabPwn()", /unknown function '__indexLabPwn'/, 5],
    ["constructor.constructor(\"globalThis.__indexLabCanary = true\")()", /not allowed|syntax error/, undefined],
    ["z # import({})", /character '#' is not allowed/, 3],
    ["0import({})", /function 'import' is not allowed/, 2],
    ["import({__indexLabPwn: 1}, {override: true}) + __indexLabPwn(z)", /not allowed/, 1],
    ["z.__proto__", /property access not allowed/, 2],
    ["toString(z)", /unknown function 'toString'/, 1],
    ["hasOwnProperty(z)", /unknown function 'hasOwnProperty'/, 1],
    ["__proto__ * z", /variable '__proto__' is not allowed/, 1],
    ["z to cm", /operator 'to' is not allowed/, 3],
    ["5 inch * z", /variable 'inch' is not allowed/, 3],
    ["z!", /operator '!' is not allowed/, 2],
    ["true * z", /not allowed/, undefined],
  ];
  for (const [source, reason, column] of cases) {
    it(`refuses ${source}`, () => {
      const e = refused(source);
      expect(e.message).toMatch(reason);
      if (column !== undefined) expect(e.column).toBe(column);
      expect(g[CANARY]).toBe(false);
    });
  }
});

describe("what and where", () => {
  it("unknown function 'foo' at column 7 for z + 2*foo(z)", () => {
    expect(refused("z + 2*foo(z)").message).toBe("unknown function 'foo' at column 7");
  });

  it("unknown functions are located correctly after any valid prefix and before any valid suffix", () => {
    fc.assert(fc.property(linkExpression(), linkExpression(), fc.stringMatching(/^[a-df-y][a-z]{1,5}$/), (left, right, name) => {
      fc.pre(!["relu", "sign", "abs", "step", "tanh", "sigmoid", "erf", "exp", "log", "sin", "cos", "sqrt", "max", "min", "pi"].includes(name));
      fc.pre(!left.includes(name) && !right.includes(name));
      const source = `${left} + 2*${name}(z) - (${right})`;
      const e = refused(source);
      expect(e.message).toBe(`unknown function '${name}' at column ${left.length + 6}`);
    }), { seed: 31, numRuns: 300 });
  });

  it("variable 'x' is not allowed: use z (single-index) or z1..z8", () => {
    const e = refused("z^2 + sin(x)");
    expect(e.message).toBe("variable 'x' is not allowed: use z (single-index) or z1..z8 at column 11");
    expect(refused("z9 + z1").message).toMatch(/^variable 'z9' is not allowed/);
    expect(refused("z1 + z").message).toMatch(/not both/);
  });

  it("He needs an integer order >= 0", () => {
    for (const s of ["He(1.5, z)", "He(-1, z)", "z + He(-2, z)", "He(1/2, z)"]) expect(refused(s).message).toMatch(/^He needs an integer order >= 0/);
    expect(refused("He(z, z)").message).toMatch(/He needs an integer order >= 0; the order must be a number/);
    expect(refused("z + He(2.5, z)").column).toBe(5);
  });

  it("log(z), 1/z, exp(z^2), sqrt(z), z^0.5 are refused with the reason", () => {
    expect(refused("log(z)").message).toMatch(/log needs a positive argument.*positive probability/);
    expect(refused("1/z").message).toMatch(/singular at z = 0.*not square-integrable/);
    expect(refused("z^2/(z - 1)").message).toMatch(/singular at z = 1.*not square-integrable/);
    expect(refused("exp(z^2)").message).toMatch(/not square-integrable under the Gaussian/);
    expect(refused("exp(z^2/2)").message).toMatch(/not square-integrable/);
    expect(refused("sqrt(z)").message).toMatch(/sqrt needs a non-negative argument/);
    expect(refused("z^0.5").message).toMatch(/non-integer power/);
    // and what is fine is accepted: log where its argument is positive, integrable singularities, removable ones
    for (const s of ["log(1 + z^2)", "sqrt(abs(z))", "exp(z^2/8)", "sin(z)/z", "abs(z)^(-0.2)"]) expect(attempt(s).ok, s).toBe(true);
  });

  it("multi-index links singular on a set of positive measure's boundary are refused (z1/z2, 1/(z1 - z2))", () => {
    expect(refused("z1/z2").message).toMatch(/singular.*not square-integrable/);
    expect(refused("z1*z2^2/z3").message).toMatch(/singular.*'z3' = 0/);
    expect(refused("1/(z1 - z2)").message).toMatch(/singular/);
    for (const s of ["z1*z2/(1 + z3^2)", "log(1 + z1^2)*z2", "sign(z1*z2*z3)"]) expect(attempt(s).ok, s).toBe(true);
  });

  it("empty, too long and non-ASCII input", () => {
    expect(refused("").message).toMatch(/empty expression/);
    expect(refused("   ").message).toMatch(/empty expression/);
    expect(refused("z + ".repeat(600) + "z").message).toMatch(/too long/);
    expect(refused("z + ζ").column).toBe(5);
    expect(refused("z\n+ 1").column).toBe(2);
  });

  it("numbers out of range say where", () => {
    expect(refused("z + 2*1e999").column).toBe(7);
    expect(refused("1e400*z").column).toBe(1);
  });

  it("deep nesting is an InputError, not a stack overflow", () => {
    expect(refused("(".repeat(400) + "z" + ")".repeat(400)).message).toMatch(/nested too deeply|too long|syntax/);
    expect(refused("-".repeat(500) + "z").message).toMatch(/nested too deeply|could not read/);
  });
});

describe("parser fuzzer (>= 10^4 cases)", () => {
  it("random strings: a link or an InputError with a consistent column; no other exception; nothing evaluated", () => {
    fc.assert(fc.property(randomText, (s) => {
      attempt(s);
      expect(g[CANARY]).toBe(false);
    }), { seed: 41, numRuns: 6000 });
  });

  it("mutated valid expressions (with hostile fragments spliced in): same contract", () => {
    fc.assert(fc.property(mutatedExpression, (s) => {
      attempt(s);
      expect(g[CANARY]).toBe(false);
    }), { seed: 42, numRuns: 5000 });
  });

  it("hostile fragments alone and inside valid expressions", () => {
    fc.assert(fc.property(fc.constantFrom(...HOSTILE_FRAGMENTS), linkExpression(), fc.nat(), (frag, e, at) => {
      const i = at % (e.length + 1);
      for (const s of [frag, `${e} + ${frag}`, e.slice(0, i) + frag + e.slice(i)]) {
        attempt(s);
      }
      expect(g[CANARY]).toBe(false);
    }), { seed: 43, numRuns: 400 });
  });
});

describe("accepted links compute what the text says", () => {
  /** Independent evaluator: mathjs on the same text, with the language's own functions supplied. */
  const scope = (z: number) => ({
    z, relu: (x: number) => Math.max(x, 0), step: (x: number) => (x > 0 ? 1 : x < 0 ? 0 : 0.5),
    sigmoid: (x: number) => 1 / (1 + Math.exp(-x)),
    He: (k: number, x: number) => { let a = 1, b = x; if (k === 0) return 1; for (let j = 1; j < k; j++) [a, b] = [b, x * b - j * a]; return b; },
  });

  it("link.f(z) equals mathjs's evaluation of the same text (precedence, unary minus, implicit products)", () => {
    let compared = 0;
    fc.assert(fc.property(linkExpression(), fc.array(fc.integer({ min: -4000, max: 4000 }).map((n) => n / 1000 + 1.23e-4), { minLength: 3, maxLength: 3 }), (text, zs) => {
      let link;
      try { link = parseLink(text); } catch (e) { if (e instanceof InputError) return; throw e; }
      for (const z of zs) {
        const mine = link.f(z);
        const ref = mathEvaluate(text, scope(z)) as unknown;
        if (typeof ref !== "number" || !Number.isFinite(ref) || !Number.isFinite(mine)) continue;
        // skip points next to a jump (mathjs compares with a tolerance, and 1-ulp differences flip sign/step there)
        const near = mathEvaluate(text, scope(z + 1e-7)) as unknown;
        if (typeof near !== "number" || Math.abs(near - ref) > 1e-4 * (1 + Math.abs(ref))) continue;
        compared++;
        expect(Math.abs(mine - ref), `${text} at z = ${z}: ${mine} vs ${ref}`).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(ref)));
      }
    }), { seed: 44, numRuns: 400 });
    expect(compared).toBeGreaterThan(300);
  });

  it("tricky precedence: -z^2, 2^-1*z, z^2^-1 style, implicit multiplication 2z, and e, pi", () => {
    const cases: [string, (z: number) => number][] = [
      ["-z^2", (z) => -(z * z)], ["2^-1*z", (z) => z / 2], ["2z", (z) => 2 * z], ["(1/2)z^2", (z) => (z * z) / 2],
      ["e*z - pi", (z) => Math.E * z - Math.PI], ["z - (z - 1) - 1", () => 0], ["z/2/4", (z) => z / 8], ["-z - -z", () => 0],
      ["He(3, z)", (z) => z ** 3 - 3 * z], ["He(0, z) + z*0", () => 1], ["max(z, -z)", (z) => Math.abs(z)], ["step(0*z)", () => 0.5],
      ["max(z, z)", (z) => z], ["relu(z - z) + z", (z) => z],
    ];
    for (const [text, f] of cases) for (const z of [-1.7, 0.3, 2.2]) expect(parseLink(text).f(z), `${text} at ${z}`).toBeCloseTo(f(z), 13);
  });

  it("formulas in named symbols: d and eta compile positionally; z is refused there", () => {
    const p = parseExpression("d^2*eta/(1 + eta)", { symbols: ["d", "eta"], indexVariables: false });
    expect(compilePositional(p.expr, 2)(3, 1)).toBeCloseTo(4.5, 14);
    expect(() => parseExpression("d*z", { symbols: ["d", "eta"], indexVariables: false })).toThrow(/variable 'z' is not allowed: use d, eta/);
    expect(() => parseExpression("__proto__*d", { symbols: ["d"], indexVariables: false })).toThrow(InputError);
  });

  it("link parameters (constants) are substituted as numbers; non-finite ones are refused", () => {
    expect(parseLink("He(3, z) + a*He(2, z)", { constants: { a: 0.25 } }).f(2)).toBeCloseTo(2 + 0.25 * 3, 14);
    expect(() => parseLink("a*z", { constants: { a: Number.POSITIVE_INFINITY } })).toThrow(/must be a finite number/);
    expect(() => parseLink("toString*z", { constants: { a: 1 } })).toThrow(InputError);
  });
});
