/**
 * index-lab library API (`import { ... } from "index-lab"`). Main entry points, in the order of the pipeline:
 *  - links: `parseLink` (the safe link language; `InputError` for anything unusable), `parityOf`;
 *  - Hermite: `hermiteSpectrum` (probabilists' He_k, c_k = E[f(Z) He_k(Z)]/sqrt(k!), exact forms and error bounds);
 *  - exponents: `informationExponent`, `generativeExponent`, `labelPowerExponents`, `leapExponent`,
 *    `generativeLeap`, `exponentProfile`, or all of them at once with `analyzeLink`;
 *  - theory and predictions: `theoryCatalog`, `claimById`, `predict`, `predictLink` (each prediction cites its claim);
 *  - simulators: `simulateReduced`, `simulateGram`, `simulateFull`, `runReplicate`, `simulateGiantStep`,
 *    `simulateBatchReuse`, with tensor backends from `chooseBackend`;
 *  - verification: `planOnlineSgd`, `onlineSgdReport`, `judgeScaling`, `kaplanMeier`, `summariseEscapes`,
 *    `escapeConstantReport` (with `limitingEscapeLaw`, `finiteDimensionEscapeLaw` from the predictions).
 * Property-testing helpers for new links are in `index-lab/testing`. Every export carries a TSDoc comment (checked by
 * test/api/tsdoc.test.ts).
 * @packageDocumentation
 */

export { parseLink, type Link } from "./link/link.js";
export { parseExpression, constantFold } from "./link/parse.js";
export { InputError, isInputError } from "./link/errors.js";
export { symbolicParity, derivative, kinkArguments, type Parity } from "./link/analysis.js";
export { parityOf, type ParityCertificate } from "./link/parity.js";
export { compileUnivariate, compileMultivariate, compilePositional } from "./link/compile.js";
export { hermiteHe } from "./link/runtime.js";
export { HERMITE_CONVENTION, normalizedHermiteValues, hermiteMonomialCoefficients, monomialInHermite } from "./hermite/basis.js";
export { hermiteSpectrum, type HermiteSpectrum, type SpectrumMethod } from "./hermite/spectrum.js";
export { numericHermiteCoefficients } from "./hermite/numericUnivariate.js";
export { toPiecewisePolynomial, gaussianHermiteIntegrals } from "./hermite/piecewisePolynomial.js";
export { multiIndices, type TensorEntry } from "./hermite/multivariate.js";
export { ExactReal } from "./exact/exactReal.js";
export { informationExponent, type InformationExponent } from "./exponents/information.js";
export { judgeCoefficient } from "./exponents/certificates.js";
export { analyzeLink, type Analysis, type AnalyzeOptions } from "./analyze.js";
export { generativeExponent, generativeSpectrum, optimalTable, GENERATIVE_CONVENTION, type GenerativeExponent, type GenerativeSpectrumEntry, type OptimalTransformation } from "./exponents/generative.js";
export { branchStructure, BranchAnalysisError, type BranchStructure } from "./exponents/conditional.js";
export { parseNoise, describeNoise, applyNoise, type NoiseModel } from "./exponents/noise.js";
export { binnedGenerativeSpectrum, type BinnedSpectrum } from "./exponents/binned.js";
export { labelPowerExponents, type LabelPowerExponent } from "./exponents/labelPowers.js";
export { leapExponent, leapOfSupport, type LeapResult, type Stage } from "./exponents/leap.js";
export { generativeLeap, type GenerativeLeap } from "./exponents/generativeLeap.js";
export { weakRecoveryThreshold, type WeakRecoveryThreshold } from "./exponents/threshold.js";
export { weakLearnability, type MultiIndexLearnability, type LearnabilityStage } from "./exponents/weakLearnability.js";
export { hermiteSubspaces, firstHermiteVector, type HermiteSubspaces } from "./exponents/subspace.js";
export { exponentProfile, type ExponentProfile } from "./exponents/profile.js";
export { rosenbrock23, finiteDifferenceJacobian } from "./experiments/stiff.js";
export { fitPiecewiseLinearBIC, fitKinks } from "./experiments/fitting.js";
export { linearFit, stratifiedBootstrapSlope, studentTQuantile, quantile, median, ols, ksTwoSample, mannWhitneyLess, meanSe } from "./numeric/statistics.js";
export { runTwoTimescale, TWO_TIMESCALE_PRESET, TWO_TIMESCALE_FULL, type TwoTimescaleResult } from "./experiments/twoTimescaleExperiment.js";
export { runFeatureStrength, FEATURE_STRENGTH_PRESET, FEATURE_STRENGTH_FULL, type FeatureStrengthResult } from "./experiments/featureStrengthExperiment.js";
export { runLrTransition, LR_TRANSITION_PRESET, LR_TRANSITION_FULL, type LrTransitionResult } from "./experiments/lrTransitionExperiment.js";
export { runToyChain, predictedEtaMax, predictedEscapeTau, tauStar } from "./experiments/toyChain.js";
export { channelRate, channelCurve, resolvableDimension } from "./experiments/lrRates.js";
export { loadTheory, theoryCatalog, claimById, citationOf, defaultTheoryDirectory, validateTheoryDocument, type TheoryCatalog, type LoadedClaim } from "./theory/loader.js";
export { compileFormula, evaluateFormula, type CompiledFormula, type Bindings } from "./theory/formula.js";
export { theoryFileSchema, claimSchema, FORMULA_SYMBOLS, type Claim, type TheoryFile } from "./theory/schema.js";
export { predict, powerFormula, type Prediction, type PredictOptions, type ScalingPrediction, type RegimePrediction, type CurvePrediction } from "./predictions/engine.js";
export { predictLink, type LinkPredictions } from "./predictions/predictLink.js";
export { deadlineAfter, type Deadline, type DeadlineClock } from "./numeric/deadline.js";
export { linkFacts, isPolynomial, type LinkFacts } from "./predictions/facts.js";
export { sampleCurve, type LearningRateCurve, type CurveKink } from "./predictions/curve.js";
export { chooseBackend, createBackend, parseBackend, AUTO_ORDER, type BackendRequest } from "./tensors/select.js";
export { BACKEND_NAMES, type TensorBackend, type BackendName, type MatmulOptions } from "./tensors/backend.js";
export { simulateGiantStep, GIANT_STEP_DEFAULTS, type GiantStepConfig, type GiantStepResult } from "./simulations/batch/giantStep.js";
export { simulateBatchReuse, BATCH_REUSE_DEFAULTS, type BatchReuseConfig, type BatchReuseResult, type ReuseAlgorithm } from "./simulations/batch/batchReuse.js";
export { firstStepOverlap, firstStepEstimate } from "./simulations/batch/firstStep.js";
export { GIANT_STEP_PRESETS, BATCH_REUSE_PRESETS, type ClaimVerdict } from "./simulations/batch/index.js";
export { twoStepPrediction, type TwoStepInput, type TwoStepPrediction } from "./simulations/batch/twoSteps.js";
export { multiPassDmft, type MultiPassInput, type MultiPassTrajectory } from "./simulations/batch/dmft.js";
export { onePassPrediction, type OnePassInput, type OnePassTrajectory } from "./simulations/batch/onePass.js";
export { BatchStore, type BatchManifest, type SeedHooks } from "./simulations/batch/store.js";
export { Xoshiro128, ChiSquareSampler, configurationId, type StreamKey } from "./numeric/xoshiro.js";
export { type Problem, type RunOutcome, type Loss, type Variant, activation, learningRate, noiseParameters } from "./simulations/model.js";
export { simulateReduced, uniformInitialOverlap } from "./simulations/reduced.js";
export { simulateGram, initialGram, semidefiniteCholesky } from "./simulations/gram.js";
export { simulateFull, FULL_BACKEND } from "./simulations/full.js";
export { buildProblem, runReplicate, configKey, defaultOverlap, type RunConfig, type Engine } from "./simulations/config.js";
export { kaplanMeier, kaplanMeierMedian, summariseEscapes, type Observation, type MedianSummary } from "./verification/survival.js";
export { fitSlope, localSlopes, type SlopeFit, type DimensionGroup } from "./verification/fit.js";
export { judgeScaling, type Verdict, type VerdictReport } from "./verification/verdict.js";
export { onlineSgdPrediction, ONLINE_SGD_CLAIM_ID, type ScalingPrediction as OnlineSgdScalingPrediction } from "./verification/prediction.js";
export { planOnlineSgd, onlineSgdReport, type OnlineSgdPlan, type OnlineSgdReport } from "./verification/onlineSgd.js";
export { escapeConstantReport, type ConstantReport, type ConstantAtDimension } from "./verification/escapeConstant.js";
export {
  overlapMoments, limitingEscapeLaw, finiteDimensionEscapeLaw, stepLaw,
  type EscapeSetting, type EscapeLaw, type EscapeConstant, type OverlapMoments,
} from "./predictions/escapeLaw.js";
export { runSweep, runJobSweep, type SweepOptions, type SweepResult, type JobSweepOptions, type JobSweepResult } from "./sweeps/sweep.js";
export { defineJobKind, type JobKind, type JobContext } from "./sweeps/jobs.js";
export { mergeRuns } from "./sweeps/merge.js";
export { parseShard, planTasks, planJobs, shardTasks } from "./sweeps/plan.js";
export { latexOf, mathmlOf, mathmlOfLatex, withLatex } from "./link/latex.js";
export { exportTables, toCsv, type Table, type Cell, type ExportOptions } from "./sweeps/export.js";
export { jsonSchema, SCHEMAS } from "./reports/schemas.js";
export { schemaId, SCHEMA_NAMES, type SchemaName } from "./io/schemaId.js";
