/**
 * Piscina worker: run one job (or one group of replicates) of a registered kind (src/sweeps/jobs.ts). The kind's module is imported on first use
 * (it registers the kind); a message without a kind is an online-SGD replicate (the original message format).
 */
import { loadJobKind, ONLINE_SGD_KIND } from "./jobs.js";

export interface WorkerTask {
  readonly kind?: string;
  readonly module?: string;
  readonly config: unknown;
  readonly masterSeed: number;
  readonly replicate: number;
  /** A group of replicates of the configuration (kinds with `runGroup`): the result is then one per replicate. */
  readonly replicates?: readonly number[];
}

export default async function runJob(task: WorkerTask): Promise<unknown> {
  const kind = await loadJobKind(task.kind ?? ONLINE_SGD_KIND, task.module);
  if (task.replicates && kind.runGroup) return kind.runGroup(task.config, { masterSeed: task.masterSeed, replicates: task.replicates });
  return kind.run(task.config, { masterSeed: task.masterSeed, replicate: task.replicate });
}
