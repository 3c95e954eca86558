/** Piscina worker: simulate one replicate of one configuration (problems are cached per configuration). */
import { buildProblem, canonicalConfig, runReplicate, type RunConfig } from "../simulations/config.js";
import type { Problem } from "../simulations/model.js";

const cache = new Map<string, Problem>();

export interface WorkerTask { readonly config: RunConfig; readonly masterSeed: number; readonly replicate: number }

export default function simulateTask(task: WorkerTask) {
  const key = canonicalConfig(task.config);
  let problem = cache.get(key);
  if (!problem) { problem = buildProblem(task.config); if (cache.size > 64) cache.clear(); cache.set(key, problem); }
  return runReplicate(task.config, task.masterSeed, task.replicate, problem);
}
