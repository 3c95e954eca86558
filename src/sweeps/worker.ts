/**
 * Piscina worker: run one job of a registered kind (src/sweeps/jobs.ts). The kind's module is imported on first use
 * (it registers the kind); a message without a kind is an online-SGD replicate (the original message format).
 */
import { loadJobKind, ONLINE_SGD_KIND } from "./jobs.js";

export interface WorkerTask {
  readonly kind?: string;
  readonly module?: string;
  readonly config: unknown;
  readonly masterSeed: number;
  readonly replicate: number;
}

export default async function runJob(task: WorkerTask): Promise<unknown> {
  const kind = await loadJobKind(task.kind ?? ONLINE_SGD_KIND, task.module);
  return kind.run(task.config, { masterSeed: task.masterSeed, replicate: task.replicate });
}
