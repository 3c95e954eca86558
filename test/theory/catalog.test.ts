/** The theory catalog: every claims file validates, every formula evaluates, every claim is cited and checkable. */
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadTheory, validateTheoryDocument, claimById, citationOf } from "../../src/theory/loader.js";
import { compileFormula } from "../../src/theory/formula.js";
import { InputError } from "../../src/link/errors.js";

const catalog = loadTheory();
const EXPERIMENTS = ["online-sgd", "giant-step", "batch-reuse", "lr-transition", "two-timescale", "feature-strength", "threshold"];

describe("theory catalog", () => {
  it("loads every claims file and skips only files of another format", () => {
    expect(catalog.files.length).toBeGreaterThanOrEqual(12);
    for (const s of catalog.skipped) {
      const doc = parseYaml(readFileSync(join(catalog.directory, s.file), "utf8")) as { kind?: unknown } | unknown[];
      expect(Array.isArray(doc) || (doc as { kind?: unknown }).kind !== "claims").toBe(true);
    }
  });

  it("covers the five seed papers and the background results the issue names", () => {
    const arxiv = new Set(catalog.files.map((f) => f.source.arxiv));
    for (const id of ["2510.21020", "2305.18270", "2402.03220", "2303.00055", "2410.04642", // seeds 000-004
      "2003.10409", "2305.10633", "2403.05529", "2302.11055", "2506.05500", "2406.01581"]) expect(arxiv, id).toContain(id);
    const seeds = catalog.files.map((f) => f.source.seed).filter(Boolean).sort();
    expect(seeds).toEqual(["000", "001", "002", "003", "004"]);
  });

  it("has the claim ids other modules rely on", () => {
    expect(claimById("bgj-online-sgd").source.arxiv).toBe("2003.10409");
    expect(claimById("000.batch-reuse-kinks").claim.id).toBe("tsiolis-batch-reuse-lr-curve");
    expect(claimById("000.alternating-kink").claim.id).toBe("tsiolis-alternating-lr-curve");
    expect(claimById("000.online-ie-regime").claim.id).toBe("tsiolis-online-ie-regime");
  });

  it("every claim has a citation with arXiv id and place in the paper, and says how it was sourced", () => {
    for (const l of catalog.claims) {
      const c = citationOf(l);
      expect(c, l.claim.id).toMatch(/\d{4}, arXiv \d{4}\.\d{4,5}, .+/);
      expect(l.claim.location.length, l.claim.id).toBeGreaterThan(8);
      expect(l.claim.sourceNote.length, l.claim.id).toBeGreaterThan(20);
      // our reconstructions are never labelled with the paper's word: exact computations or heuristics only
      if (l.claim.source === "derived-here") expect(["derived", "conjectured"], l.claim.id).toContain(l.claim.status);
    }
  });

  it("every check names an existing experiment, or is pending with a reason (listed here)", () => {
    const pending = catalog.claims.filter((l) => "pending" in l.claim.check).map((l) => l.claim.id).sort();
    for (const l of catalog.claims) {
      if ("experiment" in l.claim.check) expect(EXPERIMENTS, l.claim.id).toContain(l.claim.check.experiment);
    }
    // adding a pending check must be acknowledged here
    expect(pending).toEqual(["csq-leap-lower-bound", "csq-lower-bound", "generative-leap-ldp", "information-theoretic-rate", "lal-uniformly-optimal-preprocessing", "smoothed-online-sgd", "sq-lower-bound", "troiani-grand-staircase"]);
  });

  it("every formula parses and evaluates to a finite number at every exponent profile its conditions allow", () => {
    const setting = { d: 1000, gamma: 10, L: 3, eps: 0.01, p: 256, l: 2, x: -1.3 };
    for (const l of catalog.claims) {
      for (let IE = 1; IE <= 8; IE++) for (let GE = 1; GE <= IE; GE++) {
        const b = { ...setting, IE, GE, leap: IE, gleap: GE, p1: IE, p2: Math.max(GE, 2), p3: GE, p4: 2 };
        for (const c of l.cases) {
          expect(Number.isFinite(c.exponent.evaluate(b)), `${l.claim.id} ${c.exponent.source}`).toBe(true);
          expect(Number.isFinite(c.logPower.evaluate(b)), `${l.claim.id} ${c.logPower.source}`).toBe(true);
        }
        if (l.curve) expect(Number.isFinite(l.curve.logExponent.evaluate(b))).toBe(true);
        for (const r of l.regimes) expect(Number.isFinite(r.exponent.evaluate(b))).toBe(true);
        if (l.prefactor) expect(Number.isFinite(l.prefactor.evaluate(b))).toBe(true);
      }
    }
  });

  it("claim ids and aliases are unique", () => {
    const names = catalog.claims.flatMap((l) => [l.claim.id, ...l.claim.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("schema validation rejects bad entries with the file and the field", () => {
  const good = parseYaml(readFileSync(join(catalog.directory, "ben-arous-gheissari-jagannath-2021.yaml"), "utf8")) as Record<string, any>;
  const clone = () => JSON.parse(JSON.stringify(good)) as Record<string, any>;

  it("accepts the original", () => {
    expect(validateTheoryDocument(clone(), "x.yaml").claims.length).toBe(2);
  });
  it("rejects a missing location", () => {
    const d = clone(); delete d.claims[0].location;
    expect(() => validateTheoryDocument(d, "x.yaml")).toThrow(/x\.yaml: claims\[0\]\.location/);
  });
  it("rejects an unknown experiment", () => {
    const d = clone(); d.claims[0].check.experiment = "no-such";
    expect(() => validateTheoryDocument(d, "x.yaml")).toThrow(InputError);
  });
  it("rejects an unknown status and an unknown source kind", () => {
    const d = clone(); d.claims[0].status = "probably";
    expect(() => validateTheoryDocument(d, "x.yaml")).toThrow(/status/);
    const e = clone(); e.claims[0].source = "folklore";
    expect(() => validateTheoryDocument(e, "x.yaml")).toThrow(/source/);
  });
  it("rejects a formula with an unknown symbol or outside the safe language, naming the claim and field", () => {
    const d = clone(); d.claims[0].scaling.cases[2].exponent = "IE - q";
    expect(() => validateTheoryDocument(d, "x.yaml")).toThrow(/claim bgj-online-sgd, scaling\.cases\[2\]\.exponent.*'q'/);
    const e = clone(); e.claims[0].scaling.cases[2].exponent = "constructor(1)";
    expect(() => validateTheoryDocument(e, "x.yaml")).toThrow(InputError);
  });
  it("rejects a short pending reason and a claim with nothing to predict", () => {
    const d = clone(); d.claims[0].check = { pending: "later" };
    expect(() => validateTheoryDocument(d, "x.yaml")).toThrow(/check/);
    const e = clone(); delete e.claims[0].scaling;
    expect(() => validateTheoryDocument(e, "x.yaml")).toThrow(/at least one of scaling/);
  });
  it("formulas evaluate through the safe evaluator and name missing symbols", () => {
    expect(compileFormula("max(IE - 1, 1)", "t").evaluate({ IE: 5 })).toBe(4);
    expect(compileFormula("min(max(p2 - 1, 1) - 2*min(x + 1, 0), 9)", "t").evaluate({ p2: 2, x: -1.5 })).toBe(2);
    expect(() => compileFormula("IE/2", "t").evaluate({})).toThrow(/needs a value for 'IE'/);
  });
});
