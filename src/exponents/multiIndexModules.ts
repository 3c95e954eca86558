/**
 * The multi-index exponent modules (leap, generative leap, the subspace staircase, the Hermite subspaces, weak
 * learnability with its stage thresholds), loaded on first use: a single-index `analyze` never needs them, nor does a
 * single-index `predict` need weak learnability (about 140 KB of JavaScript, ~9 CPU-ms of an `analyze` start-up;
 * bench/issue18dense.ts startupRows). Under node's require(esm) (node >= 20.19, 22.12) they are required synchronously
 * on demand; elsewhere (a TypeScript runner on the sources, an older node) they are imported with this module, as
 * theory/loader.ts does for the theory schema.
 */
import { createRequire } from "node:module";

/** The modules, by file. */
export interface MultiIndexModules {
  readonly leap: typeof import("./leap.js");
  readonly generativeLeap: typeof import("./generativeLeap.js");
  readonly subspaceStaircase: typeof import("./subspaceStaircase.js");
  readonly subspace: typeof import("./subspace.js");
  readonly weakLearnability: typeof import("./weakLearnability.js");
}

const require = createRequire(import.meta.url);
const requireEsm = (process.features as { require_module?: boolean }).require_module === true && !import.meta.url.endsWith(".ts");
let loaded: MultiIndexModules | null = requireEsm ? null : {
  leap: await import("./leap.js"),
  generativeLeap: await import("./generativeLeap.js"),
  subspaceStaircase: await import("./subspaceStaircase.js"),
  subspace: await import("./subspace.js"),
  weakLearnability: await import("./weakLearnability.js"),
};

/** The multi-index exponent modules (required on the first call under require(esm)). */
export function multiIndexModules(): MultiIndexModules {
  loaded ??= {
    leap: require("./leap.js") as MultiIndexModules["leap"],
    generativeLeap: require("./generativeLeap.js") as MultiIndexModules["generativeLeap"],
    subspaceStaircase: require("./subspaceStaircase.js") as MultiIndexModules["subspaceStaircase"],
    subspace: require("./subspace.js") as MultiIndexModules["subspace"],
    weakLearnability: require("./weakLearnability.js") as MultiIndexModules["weakLearnability"],
  };
  return loaded;
}
