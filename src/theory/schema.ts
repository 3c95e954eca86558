/**
 * The schema of a theory file (`theory/<source>.yaml`, top-level `kind: claims`): one published source and the
 * claims index-lab takes from it. Every field a researcher needs to trust a prediction is required: where in the
 * paper the statement sits, how much of it was read in primary form (`source`), its status, the setting, the
 * conditions on the link, the predicted scaling as formulas in the link language, and the experiment that checks it.
 */
import { z } from "zod";
import { ALGORITHMS, FORMULA_SYMBOLS, MEASURES, PROFILE_SYMBOLS, SOURCES, STATUSES } from "./symbols.js";

export { ALGORITHMS, FORMULA_SYMBOLS, MEASURES, PROFILE_SYMBOLS, SOURCES, STATUSES };
export type { FormulaSymbol, ProfileSymbol } from "./symbols.js";

const formula = z.string().min(1).max(400);
const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "ids are kebab-case (a-z, 0-9, '-')");

/** Interval constraint on one exponent symbol (all bounds inclusive). */
const interval = z.object({ eq: z.number().optional(), min: z.number().optional(), max: z.number().optional() }).strict();

/** Conditions on the link under which a claim applies; each failing one becomes a `reason` in the output. */
export const conditionsSchema = z.object({
  kind: z.enum(["single", "multi", "any"]).default("any"),
  /** Exponents that must be known (finite and computed up to the degree used). */
  defined: z.array(z.enum(PROFILE_SYMBOLS)).default([]),
  /** Interval constraints, e.g. {IE: {min: 3}}. */
  ranges: z.partialRecord(z.enum(PROFILE_SYMBOLS), interval).default({}),
  /** The link must be a polynomial (Lee et al. 2024, NeurIPS version; Arnaboldi et al. 2024). */
  polynomial: z.boolean().optional(),
  /** Parities the theorem excludes or requires. */
  parityNot: z.array(z.enum(["even", "odd", "none"])).default([]),
  /** The weak-recovery threshold alpha_c must be exactly this (exponents/threshold.ts exact form, e.g. "1/2": Y determines Z^2). */
  alphaCExact: z.string().optional(),
  /** Requirements on the student activation or the setting that index-lab cannot check from the link: printed. */
  assumptions: z.array(z.string()).default([]),
}).strict();

/** One case of a piecewise scaling: applies when every interval in `when` holds. */
const scalingCase = z.object({
  when: z.partialRecord(z.enum(PROFILE_SYMBOLS), interval).default({}),
  exponent: formula,
  logPower: formula.default("0"),
  note: z.string().optional(),
}).strict();

/**
 * Predicted quantity ~ prefactor * base^exponent * log(base)^logPower (Theta, or Theta-tilde when `polylog`:
 * further unspecified polylog factors). Exponents are formulas in the profile symbols and setting parameters.
 */
export const scalingSchema = z.object({
  base: z.enum(["d", "gamma", "eps"]).default("d"),
  cases: z.array(scalingCase).min(1),
  /** Unspecified polylog factors beyond logPower (Theta-tilde). */
  polylog: z.boolean().default(false),
  /** A constant the source gives (formula in setting parameters), e.g. 2/L for the seed-004 toy. */
  prefactor: formula.optional(),
  /** Bound type: an upper bound achieved by an algorithm, a lower bound for a class, or tight. */
  bound: z.enum(["upper", "lower", "tight"]),
}).strict();

/**
 * A learning-rate curve (seed 000): log_d(samples) as a piecewise-linear function of x = log_d(eta), given by a
 * formula in x and the profile symbols. The engine samples it on [from, to] and locates the kinks.
 */
export const curveSchema = z.object({
  variable: z.literal("x"),
  meaning: z.string(),
  logExponent: formula,
  from: z.number(),
  to: z.number(),
  /** Ends that the curve must meet (tested): formulas in the profile symbols. */
  smallEnd: formula,
  largeEnd: formula,
  smallEndName: z.string(),
  largeEndName: z.string(),
}).strict().refine((c) => c.from < c.to, { message: "curve range must have from < to" });

/** Regimes in a setting parameter (e.g. gamma << 1 and gamma >> 1 for seed 004). */
const regimeSchema = z.object({ name: z.string(), exponent: formula, prefactor: formula.optional(), note: z.string().optional() }).strict();

/**
 * The experiment that checks a claim (what is varied, what is measured, what counts as agreement), or why the check
 * is pending.
 */
export const checkSchema = z.union([
  z.object({
    experiment: z.enum(["online-sgd", "giant-step", "batch-reuse", "lr-transition", "two-timescale", "feature-strength", "threshold"]),
    vary: z.string(),
    measure: z.string(),
    agrees: z.string(),
  }).strict(),
  z.object({ pending: z.string().min(10) }).strict(),
]);

/**
 * One claim taken from a paper: where it sits, its status and provenance, setting, conditions on the link, and the
 * predicted scaling / curve / regimes / derivation, with the experiment that checks it.
 */
export const claimSchema = z.object({
  id: kebab,
  /** Other names other modules use for this claim (e.g. `000.alternating-kink`). */
  aliases: z.array(z.string()).default([]),
  title: z.string(),
  algorithm: z.enum(ALGORITHMS),
  location: z.string(),
  status: z.enum(STATUSES),
  source: z.enum(SOURCES),
  sourceNote: z.string(),
  statement: z.string(),
  setting: z.object({
    data: z.string(), network: z.string(), loss: z.string(),
    width: z.string().optional(), learningRate: z.string().optional(), batch: z.string().optional(),
  }).strict(),
  conditions: conditionsSchema.default({ kind: "any", defined: [], ranges: {}, parityNot: [], assumptions: [] }),
  quantity: z.string(),
  /** What the scaling measures (see {@link MEASURES}); the consistency audit compares claims with the same measure. */
  measures: z.enum(MEASURES).optional(),
  scaling: scalingSchema.optional(),
  curve: curveSchema.optional(),
  regimes: z.array(regimeSchema).optional(),
  /** Structured output computed by the engine (src/predictions/derivations.ts) from the link's Hermite data. */
  derivation: z.enum(["giant-step-subspaces", "giant-step-staircase", "reuse-directions", "first-step-overlap", "two-timescale-phases", "weak-recovery-threshold"]).optional(),
  validity: z.string(),
  check: checkSchema,
}).strict().refine((c) => c.scaling || c.curve || c.regimes || c.derivation, {
  message: "a claim needs at least one of scaling, curve, regimes or derivation",
});

/** The published source of a theory file: authors, year, arXiv id, venue, and what of it was read in primary form. */
export const sourceSchema = z.object({
  id: kebab,
  authors: z.array(z.string()).min(1),
  /** Short author list as cited in outputs, e.g. "Ben Arous, Gheissari, Jagannath". */
  cite: z.string(),
  year: z.number().int().min(1900).max(2100),
  title: z.string(),
  arxiv: z.string().regex(/^\d{4}\.\d{4,5}$/),
  venue: z.string().optional(),
  /** What of the paper was read in primary form when the entries were written. */
  read: z.string(),
  seed: z.string().optional(),
}).strict();

/** A theory file (`theory/<source>.yaml`, `kind: claims`): one source and the claims taken from it. */
export const theoryFileSchema = z.object({
  kind: z.literal("claims"),
  source: sourceSchema,
  claims: z.array(claimSchema).min(1),
}).strict();

/** A validated theory file. */
export type TheoryFile = z.infer<typeof theoryFileSchema>;
/** A validated claim (defaults filled in). */
export type Claim = z.infer<typeof claimSchema>;
/** A validated source entry. */
export type Source = z.infer<typeof sourceSchema>;
/** A predicted scaling quantity ~ prefactor * base^exponent * log(base)^logPower, piecewise in the exponents. */
export type Scaling = z.infer<typeof scalingSchema>;
/** One case of a piecewise scaling. */
export type ScalingCase = Scaling["cases"][number];
/** A seed-000 learning-rate curve log_d(samples) as a function of x = log_d(eta). */
export type Curve = z.infer<typeof curveSchema>;
/** Conditions on the link under which a claim applies. */
export type Conditions = z.infer<typeof conditionsSchema>;
/** The experiment that checks a claim, or why it is pending. */
export type Check = z.infer<typeof checkSchema>;
/** Interval constraint on one exponent symbol (bounds inclusive). */
export type Interval = z.infer<typeof interval>;

/** A point of a published overlap curve: step t, the mean overlap vector in target coordinates, and for a Monte
 * Carlo curve the covariance of that mean (upper triangle, row by row: k = 2 gives [v11, v12, v22]). */
const referencePointSchema = z.object({
  t: z.number().int().min(0),
  mean: z.array(z.number()).min(1),
  covariance: z.array(z.number()).optional(),
}).strict().refine((p) => !p.covariance || p.covariance.length === (p.mean.length * (p.mean.length + 1)) / 2, {
  message: "covariance must hold the upper triangle of a k x k matrix (k (k + 1) / 2 entries)",
});

/** One published curve: its kind (a d = infinity theory curve or a finite-d simulation), where it was read, points. */
const referenceCurveSchema = z.object({
  id: kebab,
  kind: z.enum(["dmft", "simulation"]),
  label: z.string(),
  /** File in the authors' repository the numbers were read from (with the array name). */
  file: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{40}$/, "a full 40-hex commit"),
  d: z.number().int().positive().optional(),
  seeds: z.number().int().positive().optional(),
  points: z.array(referencePointSchema).min(1),
}).strict().refine((c) => c.kind === "dmft" || (c.d !== undefined && c.seeds !== undefined && c.points.every((p) => p.covariance)), {
  message: "a simulation curve needs d, seeds and a covariance at every point",
});

/**
 * A file of published reference curves (`theory/<name>.yaml`, top-level `kind: reference-curves`): numbers
 * transcribed from an authors' repository with citation and provenance (repository, commit, figure, files), the
 * setting they belong to, and the curves (mean sign-coherent overlap per step in target coordinates).
 */
export const referenceCurvesFileSchema = z.object({
  kind: z.literal("reference-curves"),
  id: kebab,
  /** Id of the theory file's source (the paper) these curves belong to. */
  source: kebab,
  cite: z.string(),
  title: z.string(),
  provenance: z.object({
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "owner/name"),
    commit: z.string().regex(/^[0-9a-f]{40}$/, "a full 40-hex commit"),
    date: z.string().optional(),
    figure: z.string().min(10),
    transcription: z.string().min(10),
  }).strict(),
  setting: z.object({
    target: z.string(), activation: z.string(), p: z.number().int().positive(), eta: z.number().positive(),
    weightDecay: z.number().min(0), alpha: z.number().positive(), algorithm: z.string(), secondLayer: z.string(), init: z.string(),
    notes: z.string().optional(),
  }).strict(),
  /** The directions the authors' figure projects on, in target coordinates. */
  plottedDirections: z.record(z.string(), z.array(z.number())).default({}),
  curves: z.array(referenceCurveSchema).min(1),
}).strict();

/** A validated reference-curves file. */
export type ReferenceCurvesFile = z.infer<typeof referenceCurvesFileSchema>;
/** One published curve of a reference-curves file. */
export type ReferenceCurve = ReferenceCurvesFile["curves"][number];
