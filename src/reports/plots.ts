/**
 * Figures as vega-lite specifications, rendered to SVG in Node by vega's headless renderer (no canvas, no browser).
 * Colours: the Okabe–Ito palette (colour-blind safe), with one fixed colour per algorithm and per role (measured,
 * fitted, predicted) shared by every figure of every report. Sizes: a figure is laid out for a printed width in
 * inches (one column 3.4 in, two columns 7 in) with font sizes in points for that width; 1 SVG unit = 1 pt.
 */
import * as vega from "vega";
import { compile } from "vega-lite";
import { FIGURE_FONT, scriptRuns, textWidth } from "./fonts.js";

// vega measures text with the figure font (fonts.ts) instead of its 0.8 em-per-character estimate
((vega as unknown as { textMetrics: { width: (item: { fontSize?: number }, text: unknown) => number } }).textMetrics).width = (item, text) =>
  textWidth(text === null || text === undefined ? "" : String(text).trim(), item.fontSize != null ? Number(item.fontSize) || 0 : 11);

/** The Okabe–Ito palette: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black. */
export const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

/** Neutral grey for what is neither an algorithm nor a claim (zero coefficients, transitions, reference levels). */
export const NEUTRAL = "#999999";

/**
 * One colour per algorithm, the same in every figure (sample-complexity bars, escape-time distributions, the regimes
 * of a learning-rate curve named after an algorithm). Keys are the canonical names of {@link algorithmKey}.
 */
export const ALGORITHM_COLOURS: Readonly<Record<string, string>> = {
  "online SGD": OKABE_ITO[0]!,
  "smoothed online SGD": OKABE_ITO[5]!,
  "alternating": OKABE_ITO[1]!,
  "batch reuse": OKABE_ITO[2]!,
  "SQ": OKABE_ITO[4]!,
  "CSQ": OKABE_ITO[3]!,
  "information-theoretic": OKABE_ITO[7]!,
  "one giant step": OKABE_ITO[6]!,
};

/** Colours of the roles in a measured-against-predicted figure: data, the fit to the data, the claim's prediction. */
export const ROLE_COLOURS = { measured: OKABE_ITO[7]!, fit: OKABE_ITO[0]!, predicted: OKABE_ITO[3]! } as const;

/**
 * The canonical algorithm a label names ("online-sgd", "online", "IE regime (online SGD)", "csq (lower bound)"),
 * or undefined. The regimes of a claim's learning-rate curve take the colour of the algorithm they behave like.
 */
export function algorithmKey(label: string): string | undefined {
  const s = label.toLowerCase();
  if (/smoothed/.test(s)) return "smoothed online SGD";
  if (/online/.test(s)) return "online SGD";
  if (/alternating|layer-wise/.test(s)) return "alternating";
  if (/batch[- ]?reuse|label powers|reuse/.test(s)) return "batch reuse";
  if (/^csq\b|\bcsq\b/.test(s)) return "CSQ";
  if (/^sq\b|\bsq\b/.test(s)) return "SQ";
  if (/information-theoretic|information theoretic/.test(s)) return "information-theoretic";
  if (/giant/.test(s)) return "one giant step";
  return undefined;
}

/**
 * A nominal colour scale for `names` in the shared colours: an algorithm's colour ({@link ALGORITHM_COLOURS}), a
 * role's ({@link ROLE_COLOURS}), an explicit one from `fixed`, else the next Okabe–Ito colour not yet used.
 */
export function colourScale(names: readonly string[], fixed: Readonly<Record<string, string>> = {}): { domain: string[]; range: string[] } {
  const domain = [...new Set(names)];
  const chosen = domain.map((n) => fixed[n] ?? (ROLE_COLOURS as Record<string, string>)[n] ?? (algorithmKey(n) ? ALGORITHM_COLOURS[algorithmKey(n)!] : undefined));
  const free = OKABE_ITO.filter((c) => !chosen.includes(c));
  return { domain, range: chosen.map((c) => c ?? free.shift() ?? NEUTRAL) };
}

/** Printed width of a figure, inches: one column of a two-column paper, or the full text width. */
export const FIGURE_WIDTHS = { oneColumn: 3.4, twoColumn: 7 } as const;

/** Font sizes (pt) for a printed width: 7/8 pt in one column, 8/9 pt across two (captions are typically 9–10 pt). */
export function figureConfig(widthInches: number): Record<string, unknown> {
  const narrow = widthInches < 5;
  const label = narrow ? 7 : 8, title = narrow ? 8 : 9;
  return {
    font: `${FIGURE_FONT}, Helvetica, Arial, sans-serif`,
    range: { category: OKABE_ITO },
    axis: { labelFontSize: label, titleFontSize: title, titleFontWeight: "normal", grid: true, gridOpacity: 0.4, tickSize: 3, labelPadding: 2, titlePadding: 4 },
    legend: { labelFontSize: label, titleFontSize: title, titleFontWeight: "normal", labelLimit: narrow ? 220 : 420, orient: "bottom", direction: "vertical", symbolSize: 40, symbolOpacity: 1, rowPadding: 2, padding: 2, offset: 6 },
    title: { fontSize: title, fontWeight: "normal", offset: 4 },
    header: { labelFontSize: label, titleFontSize: title },
    view: { stroke: "#888" },
    // DejaVu Sans is wider than vega's text-width estimate: room for the last tick label
    padding: { left: 4, right: 10, top: 6, bottom: 4 },
  };
}

const toSvg = async (full: Record<string, unknown>) => {
  const view = new vega.View(vega.parse(compile(full as never).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};

const svgSize = (svg: string) => {
  const m = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : { width: 0, height: 0 };
};

type Spec = Record<string, unknown>;
/** The spec with side-by-side panels stacked when the figure is narrow. */
function panels(spec: Spec, narrow: boolean): { spec: Spec } {
  if (narrow) oneLegendColumn(spec);
  if (Array.isArray(spec.hconcat) && narrow) { const { hconcat, ...rest } = spec; return { spec: { ...rest, vconcat: hconcat } }; }
  return { spec };
}

/** In a narrow figure, legends laid out in several columns take one (they would be wider than the figure). */
function oneLegendColumn(spec: unknown): void {
  if (Array.isArray(spec)) { for (const s of spec) oneLegendColumn(s); return; }
  if (!spec || typeof spec !== "object") return;
  const legend = (spec as { legend?: { columns?: number } }).legend;
  if (legend && typeof legend === "object" && typeof legend.columns === "number") legend.columns = 1;
  for (const v of Object.values(spec)) oneLegendColumn(v);
}

/**
 * Lay a spec out at a printed width: the panels' plotting areas are sized so that the whole figure (axes, titles,
 * legends included) is `widthInches` wide, heights follow at aspect 0.62, and side-by-side panels are stacked below
 * 5 in. Returns the spec to render (the input is not changed).
 */
export async function layoutAtWidth(spec: Spec, widthInches: number): Promise<Spec> {
  const target = widthInches * 72;
  const narrow = widthInches < 5;
  const { spec: base } = panels(structuredClone(spec), narrow);
  const full: Spec = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", ...base, config: figureConfig(widthInches) };
  const row = Array.isArray(full.hconcat) ? (full.hconcat as Spec[]) : [];
  const sized: Spec[] = row.length ? row : Array.isArray(full.vconcat) ? (full.vconcat as Spec[]) : [full];
  const shares = row.length ? row.map((p) => (typeof p.width === "number" ? p.width : 300)) : sized.map(() => 1);
  const total = shares.reduce((a, b) => a + b, 0);
  let inner = target * 0.75;
  for (let pass = 0; pass < 3; pass++) {
    sized.forEach((p, i) => {
      const w = Math.max(60, Math.round(row.length ? (inner * shares[i]!) / total : inner));
      p.width = w;
      if (typeof p.height === "number" || p.height === undefined) p.height = Math.round(Math.min(260, Math.max(110, w * 0.62)));
      else if (p.height && typeof p.height === "object" && "step" in (p.height as object)) p.height = { step: narrow ? 12 : 14 };
    });
    const got = svgSize(await toSvg(full)).width;
    const overhead = got - inner;
    const next = target - overhead;
    if (Math.abs(next - inner) < 1) break;
    inner = Math.max(60, next);
  }
  return full;
}

/**
 * Render a vega-lite spec to SVG at a printed width (default two columns, 7 in): 1 unit = 1 pt, the root `width` and
 * `height` in inches so that a browser, Inkscape or LaTeX shows it at its printed size; `_x`, `_{..}`, `^x`, `^{..}`
 * in any text become sub- and superscripts ({@link typesetSvgText}).
 */
export async function renderSvg(spec: Spec, options: { widthInches?: number } = {}): Promise<string> {
  const widthInches = options.widthInches ?? FIGURE_WIDTHS.twoColumn;
  const svg = await toSvg(await layoutAtWidth(spec, widthInches));
  const { width, height } = svgSize(svg);
  const printed = svg.replace(/(<svg[^>]*?)\bwidth="[\d.]+"([^>]*?)\bheight="[\d.]+"/, `$1width="${fmtIn(width / 72)}in"$2height="${fmtIn(height / 72)}in"`);
  return typesetSvgText(printed);
}

const fmtIn = (x: number) => String(Number(x.toFixed(3)));

/**
 * Sub- and superscripts in SVG text: in the content of each `<text>` element, `_x` / `_{xy}` become subscripts and
 * `^x` / `^{xy}` superscripts (tspans at 70% size shifted by `dy`, which every SVG renderer and svg-to-pdfkit
 * support; `baseline-shift` is not supported everywhere). Greek letters are written as Unicode in the titles.
 */
export function typesetSvgText(svg: string): string {
  return svg.replace(/(<text\b[^>]*>)([^<]*)(<\/text>)/g, (whole, open: string, content: string, close: string) => {
    if (!/[_^]/.test(content)) return whole;
    const size = Number(/font-size="([\d.]+)/.exec(open)?.[1] ?? 10);
    return `${open}${scriptTspans(content, size)}${close}`;
  });
}

/** The tspans of one text content with `_`/`^` scripts; the baseline is restored after each script. */
export function scriptTspans(content: string, size: number): string {
  const small = Number((size * 0.7).toFixed(2));
  const shift = { sub: Number((size * 0.3).toFixed(2)), sup: -Number((size * 0.4).toFixed(2)) };
  let offset = 0;
  const parts = scriptRuns(content).map((run) => {
    const target = run.script ? shift[run.script] : 0;
    const dy = Number((target - offset).toFixed(2));
    offset = target;
    return `<tspan${dy ? ` dy="${dy}"` : ""}${run.script ? ` font-size="${small}px"` : ""}>${run.text}</tspan>`;
  });
  if (offset) parts.push(`<tspan dy="${-offset}">\u200b</tspan>`);
  return parts.join("");
}

/** Bar chart of coefficients by index; bars coloured by group (with a legend) when groups are given. */
export function barChart(options: {
  data: { label: string; value: number; group?: string }[];
  x: string; y: string; title?: string; width?: number;
  /** Colours of the groups (default: the shared scale of {@link colourScale}). */
  colours?: Readonly<Record<string, string>>;
}): Record<string, unknown> {
  const groups = options.data.flatMap((d) => (d.group ? [d.group] : []));
  return {
    width: options.width ?? Math.max(240, 22 * options.data.length),
    height: 220,
    title: options.title,
    name: "bars",
    data: { values: options.data },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "label", type: "ordinal", title: options.x, sort: null, axis: { labelAngle: 0 } },
      y: { field: "value", type: "quantitative", title: options.y },
      color: groups.length ? { field: "group", type: "nominal", title: null, scale: colourScale(groups, options.colours) } : { value: OKABE_ITO[0] },
    },
  };
}

/** Line chart y(x) (optionally several series, with a legend), with optional log scales. */
export function lineChart(options: {
  data: { x: number; y: number; series?: string }[];
  x: string; y: string; logX?: boolean; logY?: boolean; title?: string; points?: boolean;
  /** Points only: for functions with jumps, where a line would draw false segments. */
  scatter?: boolean;
  /** Colours of the series (default: the shared scale of {@link colourScale}). */
  colours?: Readonly<Record<string, string>>;
}): Record<string, unknown> {
  const series = options.data.flatMap((d) => (d.series ? [d.series] : []));
  return {
    width: 420, height: 260, title: options.title, name: "curve",
    data: { values: options.data },
    mark: options.scatter ? { type: "point", filled: true, size: 18, tooltip: true } : { type: "line", point: options.points ?? false, tooltip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.x, scale: options.logX ? { type: "log" } : { zero: false } },
      y: { field: "y", type: "quantitative", title: options.y, scale: options.logY ? { type: "log" } : { zero: false } },
      color: series.length ? { field: "series", type: "nominal", title: null, scale: colourScale(series, options.colours) } : { value: OKABE_ITO[0] },
    },
  };
}
