/** Batch simulators of seeds 001 and 002: presets and their verdict type. */
export { GIANT_STEP_PRESETS, BATCH_REUSE_PRESETS } from "./presets.js";
export type { ClaimVerdict } from "./claims.js";
