/**
 * zod schemas of index-lab's JSON outputs: `analyze --json`, `predict --json`, `simulate online-sgd --json`,
 * `verify --json`, `check`, `doctor`, `merge`, `export` and `report --json`, the batch simulators' and
 * `simulate threshold`'s stdout, the experiments' `summary.json` and the reports' `report.json`. Objects are open (extra keys
 * allowed): the JSON contract only ever adds fields, and a schema states the keys a reader may rely on. Numbers that
 * can be non-finite are nullable (JSON has no NaN or Infinity: they are written as null). `npm run schemas` writes
 * them, with the sweep and batch-run file schemas, as JSON Schema (draft 2020-12) into `schemas/`.
 */
import { z } from "zod";
import { schemaId, type SchemaName } from "../io/schemaId.js";
import { RunLineSchema, ManifestSchema, ProgressLineSchema } from "../sweeps/schema.js";
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

const basisSchema = z.array(z.array(z.number())).describe("orthonormal basis vectors in the user's coordinates z1..zr");

/** The single-index weak-recovery threshold (exponents/threshold.ts). */
const WeakRecoveryThresholdSchema = z.looseObject({
  alphaC: num, exact: z.string().nullable(), interval: z.array(num), errorBound: num,
  regime: z.enum(["trivial", "easy", "hard", "undetermined"]), basis: z.string(), note: z.string(), convention: z.string(), citation: z.string(),
});

/** Multi-index weak learnability (exponents/weakLearnability.ts, Troiani et al. 2024). */
const WeakLearnabilitySchema = z.looseObject({
  r: z.int().min(1),
  trivialSubspace: basisSchema, easySubspace: basisSchema,
  alphaC: num.describe("0 trivial, 1/rho(F) easy, null (infinity) hard"), interval: z.array(num), errorBound: num,
  eigenvalue: num, eigenvalueError: num,
  regime: z.enum(["trivial", "easy", "hard", "undetermined"]),
  hardDirections: basisSchema, irrelevantDirections: basisSchema, unresolvedDirections: basisSchema,
  staircase: z.array(z.looseObject({
    basis: basisSchema, kind: z.enum(["trivial", "easy"]), givenDimension: z.int().min(0),
    alpha: num, sharp: z.boolean().describe("false: alpha is a lower bound"), interval: z.array(num), eigenvalue: num, eigenvalueError: num, note: z.string(),
  })),
  basis: z.string(), resolved: z.boolean(), noise: z.string(), note: z.string(), convention: z.string(), citation: z.string(),
});

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
  weakRecoveryThreshold: WeakRecoveryThresholdSchema.optional(),
  weakLearnability: WeakLearnabilitySchema.nullable().optional(),
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

/** What the paper-size run (--full) needs: its sizes, estimated core-hours (the budget guard's cost model) and the Slurm recipe. */
export const PaperSizeSchema = z.looseObject({
  flag: z.literal("--full"),
  sizes: z.string(),
  coreHours: z.number().min(0).describe("estimated CPU core-hours of the --full run"),
  shards: z.int().min(1).describe("tasks of the Slurm array job of the recipe (1: one resumable job)"),
  slurm: z.string().describe("the command line that writes the Slurm recipe"),
});

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

/** A verify result (the body of `verify --json`, and `merge --json`'s `verify` for a verify sweep). */
const VerifyResultSchema = z.looseObject({
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
  paperSize: PaperSizeSchema.optional(),
});

/** `verify --json`: the prediction, the sweep's bookkeeping and, once complete, the per-d medians and the verdict. */
export const VerifySchema = VerifyResultSchema.meta({ $id: schemaId("verify"), title: "index-lab verify --json" });

/** The full result of a regime experiment (`summary.json` of its sweep directory, and its `--json` output). */
export const SummarySchema = z.looseObject({
  $schema: z.string().optional(),
  experiment: z.string().optional(),
  sweep: z.looseObject({ complete: z.boolean() }).optional(),
  paperSize: PaperSizeSchema.optional(),
}).meta({ $id: schemaId("summary"), title: "index-lab regime experiment summary (summary.json)" });

/** `report.json` of a generated report: the link's analysis and the rendered document's sections. */
export const ReportSchema = z.looseObject({
  $schema: z.string().optional(),
  analysis: AnalysisSchema,
  document: z.looseObject({ title: z.string(), subtitle: z.string().optional(), provenance: z.unknown(), sections: z.array(z.looseObject({ title: z.string().optional() })) }),
}).meta({ $id: schemaId("report"), title: "index-lab report data (report.json)" });

/** `check --json`: the link (or family), its parameters and one result per mathematical property. */
export const CheckSchema = z.looseObject({
  $schema: z.string().optional(),
  link: z.string(),
  params: z.array(z.looseObject({ name: z.string(), lo: z.number(), hi: z.number() })),
  results: z.array(z.looseObject({
    id: z.string(),
    statement: z.string(),
    status: z.enum(["pass", "fail", "inconclusive", "not-applicable"]),
    detail: z.string(),
    counterexample: z.record(z.string(), z.number()).optional().describe("parameter values of the smallest failing case"),
    seed: z.int().describe("replay with --seed"),
    path: z.string().optional(),
    runs: z.int().min(0),
  })),
}).meta({ $id: schemaId("check"), title: "index-lab check --json" });

/** `doctor --json`: version, Node, cores, memory, the tensor backends and the browser found. */
export const DoctorSchema = z.looseObject({
  $schema: z.string().optional(),
  version: z.string(),
  node: z.string(),
  platform: z.string(),
  cores: z.int().min(1),
  memoryGiB: z.number().min(0),
  backends: z.array(z.looseObject({ name: z.string(), available: z.boolean(), detail: z.string(), fix: z.string().optional() })),
  browser: z.string().nullable(),
  blasTuning: z.looseObject({
    kernel: z.string().nullable().describe("OPENBLAS_CORETYPE the openblas backend now loads with (null: OpenBLAS's own choice)"),
    ownKernel: z.string(), config: z.string(), cpu: z.string(), rounds: z.int().min(1), measured: z.string(),
    ratios: z.record(z.string(), z.looseObject({ median: z.number(), wins: z.int().min(0) })).describe("each candidate's median per-round rate ratio to OpenBLAS's own kernel, and in how many rounds it was faster"),
    file: z.string().nullable(),
  }).optional().describe("--tune-blas: the kernel measurement, stored for the openblas backend"),
}).meta({ $id: schemaId("doctor"), title: "index-lab doctor --json" });

/** `merge --json`: the merged file, the runs and duplicates, what is missing, and the verify report of a verify sweep. */
export const MergeSchema = z.looseObject({
  $schema: z.string().optional(),
  out: z.string(),
  files: z.array(z.string()),
  runs: z.int().min(0),
  duplicates: z.int().min(0),
  expected: z.int().min(0).nullable(),
  missing: z.int().min(0).nullable(),
  verify: VerifyResultSchema.nullable(),
  next: z.string().nullable(),
}).meta({ $id: schemaId("merge"), title: "index-lab merge --json" });

/** `export --json`: the tables written (file, rows, columns). */
export const ExportSchema = z.looseObject({
  $schema: z.string().optional(),
  dir: z.string(),
  out: z.string(),
  format: z.literal("csv"),
  tables: z.array(z.looseObject({ file: z.string(), rows: z.int().min(0), columns: z.array(z.string()) })),
}).meta({ $id: schemaId("export"), title: "index-lab export --json" });

const StatedVerdict = z.enum(["consistent", "inconsistent", "inconclusive", "pass", "fail", "not-applicable"]);

/** `report --json`: the files written, the sections that failed and the verdicts the sections state. */
export const ReportSummarySchema = z.looseObject({
  $schema: z.string().optional(),
  link: z.string(),
  out: z.string(),
  files: z.array(z.string()),
  failedSections: z.array(z.looseObject({ section: z.string(), reason: z.string().optional() })),
  verdicts: z.array(z.looseObject({ section: z.string(), claim: z.string(), verdict: StatedVerdict })),
}).meta({ $id: schemaId("report-summary"), title: "index-lab report --json" });

const meanSe = z.looseObject({ mean: num, se: num }).describe("mean and standard error over seeds");
const BatchBackendSchema = z.looseObject({ name: z.string(), detail: z.string(), skipped: z.array(z.looseObject({ name: z.string(), reason: z.string() })).optional() });

/** One run of a batch simulator (`simulate giant-step` or `simulate batch-reuse` without --preset). */
const BatchRunResultSchema = z.looseObject({
  experiment: z.enum(["giant-step", "batch-reuse"]),
  config: z.looseObject({ target: z.string(), activation: z.string(), d: z.int().min(1), p: z.int().min(1), steps: z.int().min(0), seeds: z.int().min(1), masterSeed: z.int() }),
  backend: BatchBackendSchema,
  steps: z.array(z.looseObject({ t: z.int().min(0) })),
  summary: z.looseObject({ testMSE: meanSe }).nullable().optional().describe("giant-step: test errors and principal angles after the refit"),
  diverged: z.array(z.looseObject({ seed: z.int(), step: z.int(), reason: z.string() })),
  wallSeconds: z.number(),
});

/** `simulate giant-step --json` and `simulate batch-reuse --json` (one run, no preset). */
export const BatchRunSchema = BatchRunResultSchema.extend({
  $schema: z.string().optional(),
  /** The cluster line: the run's estimated core-hours and the --slurm recipe. */
  cluster: z.string().optional(),
})
  .meta({ $id: schemaId("batch-run"), title: "index-lab simulate giant-step | batch-reuse --json (one run)" });

/** `simulate giant-step --preset P --json` and `simulate batch-reuse --preset P --json`: the runs, comparisons, verdicts. */
export const BatchPresetSchema = z.looseObject({
  $schema: z.string().optional(),
  preset: z.string(),
  description: z.string(),
  paperSize: z.string(),
  backend: BatchBackendSchema,
  runs: z.array(z.looseObject({ tag: z.string(), result: BatchRunResultSchema })),
  comparisons: z.array(z.looseObject({})),
  verdicts: z.array(z.looseObject({ claim: z.string(), verdict: z.enum(["consistent", "inconsistent", "inconclusive"]), evidence: z.string(), source: z.string() })),
  wallSeconds: z.number(),
  /** What --full needs: its estimated core-hours and the Slurm recipe. */
  fullRun: PaperSizeSchema.optional(),
}).meta({ $id: schemaId("batch-preset"), title: "index-lab simulate giant-step | batch-reuse --preset --json" });

const verdict = z.enum(["consistent", "inconsistent", "inconclusive"]);
const regime = z.enum(["trivial", "easy", "hard", "undetermined"]);

/** The weak-recovery threshold alpha_c (analyze's weakRecoveryThreshold; alpha = n/d). */
const ThresholdPredictionSchema = z.looseObject({
  alphaC: num.describe("alpha_c (null when infinite: a hard direction)"),
  exact: exactText,
  exactLatex: latex.optional(),
  interval: ci.describe("certified range of alpha_c"),
  errorBound: num,
  regime,
  basis: z.string(),
  convention: z.string(),
  citation: z.string(),
  note: z.string(),
});

/**
 * `simulate threshold --json`: the prediction, the runs, and the located transition with its verdict; the spectral
 * method fills `runs`, `predictedCurve` and `transition`, the GAMP method `gamp` (runs, state-evolution fits, curves).
 */
export const ThresholdSchema = z.looseObject({
  $schema: z.string().optional(),
  method: z.enum(["gamp", "spectral"]),
  verdict,
  link: z.string(),
  noise: z.string(),
  prediction: ThresholdPredictionSchema,
  estimator: z.string(),
  estimatorNote: z.string(),
  dims: z.array(z.int().min(1)),
  alphas: z.array(z.number().positive()),
  seeds: z.int().min(1),
  backend: z.string(),
  runs: z.array(z.looseObject({ d: z.int(), alpha: z.number(), n: z.int(), seed: z.int(), overlapSquared: num, converged: z.boolean() })),
  notConverged: z.int().min(0),
  predictedCurve: z.array(z.looseObject({ alpha: z.number(), overlapSquared: num })).nullable(),
  transition: z.looseObject({
    alphaC: num, regime, estimate: num, ci95: ci, noCrossingFraction: z.number(), relativeError: num, within5Percent: z.boolean().nullable(), verdict, reason: z.string(),
    crossings: z.array(z.looseObject({ d1: z.int(), d2: z.int(), alpha: num })),
    curves: z.array(z.looseObject({ d: z.int(), alpha: z.number(), mean: num, se: num })),
  }).nullable(),
  gamp: z.looseObject({
    q0: z.number(),
    iterations: z.int().min(1),
    start: z.enum(["planted", "zero"]),
    stateEvolutionAlphaC: num,
    stateEvolutionAlphaCError: num,
    stateEvolutionMethod: z.string(),
    runs: z.array(z.looseObject({ d: z.int(), alpha: z.number(), n: z.int(), seed: z.int(), overlap: z.array(num), diverged: z.boolean() })),
    diverged: z.int().min(0),
    report: z.looseObject({
      alphaC: num, regime, method: z.string(), estimate: num, ci95: ci, relativeError: num, within5Percent: z.boolean().nullable(), verdict, reason: z.string(),
      fits: z.array(z.looseObject({ d: z.int(), estimate: z.number(), ci95: z.tuple([z.number(), z.number()]) })),
      curves: z.array(z.looseObject({ d: z.int(), alpha: z.number(), mean: z.array(num), se: z.array(num), predicted: z.array(num) })).describe("mean overlap m_t (t = 0..T) with se, and the state evolution at alpha_c (d = infinity)"),
    }),
  }).nullable(),
  sweep: z.looseObject({ computed: z.int().min(0), skipped: z.int().min(0), total: z.int().min(0), complete: z.boolean(), dir: z.string().nullable() }),
  seconds: z.number(),
}).meta({ $id: schemaId("threshold"), title: "index-lab simulate threshold --json" });

/** Every shipped schema by name. */
export const SCHEMAS: Record<SchemaName, z.ZodType> = {
  analysis: AnalysisSchema, predictions: PredictionsSchema, "online-sgd": OnlineSgdSimulationSchema, verify: VerifySchema,
  "sweep-manifest": ManifestSchema, runs: RunLineSchema, "batch-manifest": BatchManifestSchema, seeds: SeedLineSchema,
  summary: SummarySchema, report: ReportSchema, progress: ProgressLineSchema, check: CheckSchema, doctor: DoctorSchema, merge: MergeSchema, export: ExportSchema,
  "report-summary": ReportSummarySchema, "batch-run": BatchRunSchema, "batch-preset": BatchPresetSchema, threshold: ThresholdSchema,
};

/** The JSON Schema (draft 2020-12) document of a shipped schema, as written to `schemas/<name>.schema.json`. */
export function jsonSchema(name: SchemaName): Record<string, unknown> {
  return z.toJSONSchema(SCHEMAS[name], { target: "draft-2020-12", unrepresentable: "any", io: "output" }) as Record<string, unknown>;
}

/** A schema's input type without the open objects' index signatures and with read-only arrays (see {@link OutputOf}). */
type Known<T> = T extends readonly (infer U)[] ? readonly Known<U>[]
  : T extends object ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> } : T;

/**
 * The type a command's JSON output must have to validate against schema `S`: the commands state
 * `output satisfies OutputOf<typeof XSchema>`, so an output that drifts from its shipped schema fails to compile.
 */
export type OutputOf<S extends z.ZodType> = Known<z.input<S>>;
