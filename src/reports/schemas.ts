/**
 * zod schemas of index-lab's JSON outputs: `analyze --json`, `predict --json`, `simulate online-sgd --json`,
 * `verify --json`, the experiments' `summary.json` and the reports' `report.json`. Objects are open (extra keys
 * allowed): the JSON contract only ever adds fields, and a schema states the keys a reader may rely on. Numbers that
 * can be non-finite are nullable (JSON has no NaN or Infinity: they are written as null). `npm run schemas` writes
 * them, with the sweep and batch-run file schemas, as JSON Schema (draft 2020-12) into `schemas/`.
 */
import { z } from "zod";
import { schemaId, type SchemaName } from "../io/schemaId.js";
import { RunLineSchema, ManifestSchema } from "../sweeps/schema.js";
import { BatchManifestSchema, SeedLineSchema } from "../simulations/batch/schema.js";

const num = z.number().nullable().describe("a number (null when not finite)");
const latex = z.string().nullable().describe("LaTeX of the text beside it (null when it cannot be typeset)");
const exactText = z.string().nullable().describe("exact closed form in link-language text, or null");

/** The Hermite spectrum of `analyze --json` (c_k = E[f(Z) He_k(Z)]/sqrt(k!), probabilists' He_k). */
export const HermiteSpectrumSchema = z.looseObject({
  convention: z.string(),
  maxDegree: z.int().min(0),
  method: z.enum(["exact-polynomial", "exact-piecewise", "exact-closed-form", "adaptive-quadrature", "exact-separable", "separable-quadrature", "tensor-quadrature", "monte-carlo"]),
  coefficients: z.array(num).describe("single-index: c_0..c_K; multi-index: the norm of each degree's part"),
  exact: z.array(exactText),
  exactLatex: z.array(latex).optional(),
  errorBounds: z.array(num),
  secondMoment: num,
  secondMomentExact: exactText,
  secondMomentExactLatex: latex.optional(),
  parsevalResidual: num,
  parsevalResidualError: num,
  tensor: z.array(z.looseObject({
    alpha: z.array(z.int().min(0)), value: num, exact: exactText, exactLatex: latex.optional(), errorBound: num,
  })).optional(),
});

const exponent = z.int().nullable();

/** One link's analysis (`analyze --json`; an array of them for several links). */
export const AnalysisSchema = z.looseObject({
  $schema: z.string().optional(),
  link: z.string(),
  parsed: z.string(),
  parsedLatex: latex.optional(),
  kind: z.enum(["single", "multi"]),
  variables: z.array(z.string()),
  parity: z.enum(["even", "odd", "none"]),
  parityProof: z.enum(["symbolic", "numerical"]),
  hermite: HermiteSpectrumSchema,
  informationExponent: exponent,
  informationExponentNote: z.string(),
  informationExponentEvidence: z.array(z.looseObject({ degree: z.int(), nonzero: z.boolean(), basis: z.string(), reason: z.string() })),
  generativeExponent: exponent,
  generativeExponentNote: z.string(),
  generativeSpectrum: z.array(z.looseObject({ k: z.int(), lambda: num, lambdaSquared: num, errorBound: num, nonzero: z.boolean(), basis: z.string(), reason: z.string() })),
  generativeMethod: z.string().nullable(),
  generativeExplanation: z.string(),
  optimalTransformation: z.looseObject({ description: z.string(), points: z.array(z.looseObject({ y: num, zeta: num })) }).nullable(),
  noise: z.string(),
  labelPowerExponents: z.array(exponent),
  warnings: z.array(z.string()),
  leapExponent: exponent.optional(),
  generativeLeap: exponent.optional(),
}).meta({ $id: schemaId("analysis"), title: "index-lab analyze --json (one link)" });

/** A scaling prediction: samples (or steps) ~ d^exponent (log d)^logPower. */
const ScalingSchema = z.looseObject({
  base: z.string(),
  exponent: num,
  logPower: num,
  formula: z.string(),
  formulaLatex: latex.optional(),
  exponentFormula: z.string().optional(),
  exponentFormulaLatex: latex.optional(),
  bound: z.string(),
  value: num,
});

/** `predict --json`: the link's exponent profile and every claim of the catalog, applicable or not (with why). */
export const PredictionsSchema = z.looseObject({
  $schema: z.string().optional(),
  link: z.string(),
  parsed: z.string(),
  parsedLatex: latex.optional(),
  kind: z.enum(["single", "multi"]),
  convention: z.string(),
  profile: z.looseObject({ informationExponent: exponent, generativeExponent: exponent, labelPowerExponents: z.array(exponent), parity: z.string() }),
  setting: z.looseObject({ d: num }),
  predictions: z.array(z.looseObject({
    claimId: z.string(),
    title: z.string(),
    algorithm: z.string(),
    quantity: z.string(),
    citation: z.string(),
    status: z.string(),
    source: z.string(),
    applies: z.boolean(),
    reason: z.string(),
    scaling: ScalingSchema.nullable().optional(),
    regimes: z.array(z.looseObject({ name: z.string(), formula: z.string(), formulaLatex: latex.optional() })).nullable().optional(),
    structure: z.looseObject({
      kind: z.string(),
      items: z.array(z.looseObject({ what: z.string(), value: z.string(), why: z.string(), exact: z.string().optional(), exactLatex: latex.optional() })),
      summary: z.string(),
    }).nullable().optional(),
  })),
}).meta({ $id: schemaId("predictions"), title: "index-lab predict --json" });

const ci = z.tuple([num, num]).describe("95% interval; an end is null when it is open (censoring) or not identified");

/** `simulate online-sgd --json`: engine, backend, the configuration, every run and the Kaplan–Meier summary. */
export const OnlineSgdSimulationSchema = z.looseObject({
  $schema: z.string().optional(),
  engine: z.enum(["reduced", "full"]),
  backend: z.string(),
  config: z.looseObject({ link: z.string(), d: z.int(), eta: z.string(), masterSeed: z.int(), seeds: z.int() }),
  runs: z.array(z.looseObject({ seed: z.int().min(0), escapeStep: z.int().nullable(), censored: z.boolean(), diverged: z.boolean(), finalOverlap: num })),
  summary: z.looseObject({ median: num, ci95: ci, censored: z.int(), diverged: z.int() }),
}).meta({ $id: schemaId("online-sgd"), title: "index-lab simulate online-sgd --json" });

const SlopeFitSchema = z.looseObject({ kappa: z.number(), slope: num, intercept: num, ci95: ci, se: num, dims: z.array(z.int()), undefinedResamples: z.int(), replicates: z.int() });

/** `verify --json`: the prediction, the sweep's bookkeeping and, once complete, the per-d medians and the verdict. */
export const VerifySchema = z.looseObject({
  $schema: z.string().optional(),
  algorithm: z.literal("online-sgd"),
  link: z.string(),
  engine: z.string(),
  backend: z.string(),
  complete: z.boolean(),
  runs: z.looseObject({ done: z.int(), expected: z.int(), computedNow: z.int(), out: z.string() }),
  masterSeed: z.int(),
  seeds: z.int(),
  eta: z.string(),
  prediction: z.looseObject({ claimId: z.string(), exponent: z.number(), logPower: z.number(), formula: z.string() }),
  report: z.looseObject({
    perDimension: z.array(z.looseObject({ d: z.int() })),
    verdict: z.looseObject({
      verdict: z.enum(["consistent", "inconsistent", "inconclusive"]),
      reason: z.string(),
      plainFit: SlopeFitSchema,
      theoryFormFit: SlopeFitSchema,
    }),
  }).nullable(),
  note: z.string(),
}).meta({ $id: schemaId("verify"), title: "index-lab verify --json" });

/** The full result of a regime experiment (`summary.json` of its sweep directory, and its `--json` output). */
export const SummarySchema = z.looseObject({
  $schema: z.string().optional(),
  experiment: z.string().optional(),
  sweep: z.looseObject({ complete: z.boolean() }).optional(),
}).meta({ $id: schemaId("summary"), title: "index-lab regime experiment summary (summary.json)" });

/** `report.json` of a generated report: the link's analysis and the rendered document's sections. */
export const ReportSchema = z.looseObject({
  $schema: z.string().optional(),
  analysis: AnalysisSchema,
  document: z.looseObject({ title: z.string(), subtitle: z.string().optional(), provenance: z.unknown(), sections: z.array(z.looseObject({ title: z.string().optional() })) }),
}).meta({ $id: schemaId("report"), title: "index-lab report data (report.json)" });

/** Every shipped schema by name. */
export const SCHEMAS: Record<SchemaName, z.ZodType> = {
  analysis: AnalysisSchema, predictions: PredictionsSchema, "online-sgd": OnlineSgdSimulationSchema, verify: VerifySchema,
  "sweep-manifest": ManifestSchema, runs: RunLineSchema, "batch-manifest": BatchManifestSchema, seeds: SeedLineSchema,
  summary: SummarySchema, report: ReportSchema,
};

/** The JSON Schema (draft 2020-12) document of a shipped schema, as written to `schemas/<name>.schema.json`. */
export function jsonSchema(name: SchemaName): Record<string, unknown> {
  return z.toJSONSchema(SCHEMAS[name], { target: "draft-2020-12", unrepresentable: "any", io: "output" }) as Record<string, unknown>;
}
