/**
 * Figures as vega-lite specifications, rendered to SVG in Node by vega's headless renderer (no canvas, no browser).
 * Colours: the Okabe–Ito palette (colour-blind safe).
 */
import * as vega from "vega";
import { compile } from "vega-lite";

export const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

export const BASE_CONFIG = {
  font: "Helvetica, Arial, sans-serif",
  range: { category: OKABE_ITO },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.4 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 360 },
  view: { stroke: "#888" },
} as const;

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const full = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", config: BASE_CONFIG, ...spec };
  const view = new vega.View(vega.parse(compile(full as never).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Bar chart of coefficients by index, with error bars when the bounds are visible. */
export function barChart(options: {
  data: { label: string; value: number; group?: string }[];
  x: string; y: string; title?: string; width?: number;
}): Record<string, unknown> {
  return {
    width: options.width ?? Math.max(240, 22 * options.data.length),
    height: 220,
    title: options.title,
    data: { values: options.data },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "label", type: "ordinal", title: options.x, sort: null, axis: { labelAngle: 0 } },
      y: { field: "value", type: "quantitative", title: options.y },
      color: options.data.some((d) => d.group) ? { field: "group", type: "nominal", title: null } : { value: OKABE_ITO[0] },
    },
  };
}

/** Line chart y(x) (optionally several series), with optional log scales. */
export function lineChart(options: {
  data: { x: number; y: number; series?: string }[];
  x: string; y: string; logX?: boolean; logY?: boolean; title?: string; points?: boolean;
  /** Points only: for functions with jumps, where a line would draw false segments. */
  scatter?: boolean;
}): Record<string, unknown> {
  return {
    width: 420, height: 260, title: options.title,
    data: { values: options.data },
    mark: options.scatter ? { type: "point", filled: true, size: 18, tooltip: true } : { type: "line", point: options.points ?? false, tooltip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.x, scale: options.logX ? { type: "log" } : { zero: false } },
      y: { field: "y", type: "quantitative", title: options.y, scale: options.logY ? { type: "log" } : { zero: false } },
      color: options.data.some((d) => d.series) ? { field: "series", type: "nominal", title: null } : { value: OKABE_ITO[0] },
    },
  };
}
