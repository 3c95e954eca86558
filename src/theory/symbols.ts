/**
 * The constant vocabularies of a theory file (formula symbols, statuses, measures, sources, algorithms), apart from
 * the zod schema (schema.ts) so that a `predict` whose theory catalog comes validated from the cache never loads zod.
 */
/** Symbols a claim formula may use (evaluated by the link language's safe evaluator, src/link/parse.ts). */
export const FORMULA_SYMBOLS = [
  "d",      // input dimension
  "IE",     // information exponent (Ben Arous, Gheissari, Jagannath 2021)
  "GE",     // generative exponent (Damian, Pillaud-Vivien, Lee, Bruna 2024)
  "leap",   // leap exponent (Abbe, Boix-Adsera, Misiakiewicz 2023), in the given basis
  "gleap",  // generative leap (Damian, Lee, Bruna 2025), in the given basis
  "p1", "p2", "p3", "p4", // IE of the label powers f^j (theory notes §2.2(c), §3.1)
  "p",      // network width
  "l",      // giant-step batch exponent: n = d^l (Dandi et al. 2023)
  "x",      // log-learning-rate coordinate: eta = d^x (seed-000 curves)
  "gamma",  // feature-learning strength (Atanasov et al. 2024)
  "L",      // depth
  "eta",    // learning rate
  "eps",    // time-scale separation (Berthier, Montanari, Zhou 2023)
  "k",      // Hermite degree of a phase
] as const;
/** A symbol a claim formula may use (see {@link FORMULA_SYMBOLS}). */
export type FormulaSymbol = (typeof FORMULA_SYMBOLS)[number];

/** The exponent symbols that come from a link's ExponentProfile (others are parameters of the setting). */
export const PROFILE_SYMBOLS = ["IE", "GE", "leap", "gleap", "p1", "p2", "p3", "p4"] as const;
/** An exponent symbol whose value comes from the link's exponent profile. */
export type ProfileSymbol = (typeof PROFILE_SYMBOLS)[number];

/**
 * Status of the statement. `proved` and `proved-up-to-logs` only for a theorem read in the paper itself
 * (`source: primary`); `reported` for a theorem known only from a restatement (`source: secondary`); `derived` for
 * our own exact computation (`source: derived-here`, e.g. the seed-004 toy chain); `conjectured` for a conjecture or
 * a heuristic of ours; `empirical` for a measured claim. test/theory/status.test.ts enforces the pairing.
 */
export const STATUSES = ["proved", "proved-up-to-logs", "reported", "derived", "conjectured", "empirical"] as const;
/**
 * What a scaling measures, so that the consistency audit compares only like with like: samples to weak recovery
 * (some overlap with the index space), samples to recover every relevant direction, the CSQ query complexity
 * q/tau^2, a learning rate, a time scale.
 */
export const MEASURES = ["samples-weak-recovery", "samples-subspace", "queries-over-tolerance", "learning-rate", "time-scale"] as const;
/** How much of the claim was read in the paper itself: `primary` (theorem or abstract read), `secondary`
 * (a third-party or same-group restatement), `derived-here` (our reconstruction; never presented as the theorem). */
export const SOURCES = ["primary", "secondary", "derived-here"] as const;

/** Algorithms (and lower-bound classes), in the order predictions are listed. */
export const ALGORITHMS = [
  "online-sgd", "smoothed-online-sgd", "csq", "sq", "information-theoretic", "spectral", "amp", "batch-reuse", "data-repetition",
  "alternating", "multi-pass-gd", "giant-step", "gradient-flow-two-timescale", "mup-sgd",
] as const;
