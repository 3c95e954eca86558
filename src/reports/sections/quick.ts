/**
 * The simulations of `report --simulate quick`: for a single-index link the online-SGD scaling check and the
 * predicted-ordering check; for a multi-index link the one-giant-step regime diagram. Each section is guarded: a
 * failure is shown in the report with its reason.
 */
import { parseLink } from "../../link/link.js";
import type { Section } from "../document.js";
import { onlineSgdSection } from "./simulations.js";
import { orderingSection } from "./ordering.js";
import { giantStepSection } from "./multiIndex.js";

export async function quickSimulationSections(source: string, options: { onProgress?: (message: string) => void } = {}): Promise<Section[]> {
  const link = parseLink(source);
  if (link.kind === "multi") return [await giantStepSection(source, { onProgress: options.onProgress })];
  return [await onlineSgdSection(source, { onProgress: options.onProgress }), await orderingSection(source, { onProgress: options.onProgress })];
}
