/** index-lab library API. */
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
