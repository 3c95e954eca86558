/**
 * A regime report as data: sections of prose, tables and figures (vega-lite specs), rendered to HTML and Markdown
 * by render.ts. A section that failed keeps its place and says why.
 */

export interface Table {
  readonly caption?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface Figure {
  /** File-name-safe id, unique within the report. */
  readonly id: string;
  readonly caption: string;
  /** A vega-lite specification (data inline). */
  readonly spec: Record<string, unknown>;
}

export type Block =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "table"; readonly table: Table }
  | { readonly kind: "figure"; readonly figure: Figure }
  | { readonly kind: "code"; readonly text: string };

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly status: "ok" | "failed" | "skipped";
  /** Why the section failed or was skipped. */
  readonly reason?: string;
  readonly blocks: readonly Block[];
  /** The verdicts the section states (a simulation's), which set the exit code of `index-lab report`. */
  readonly verdicts?: readonly SectionVerdict[];
}

/** One verdict of a report section: the claim (or property) judged and the outcome. */
export interface SectionVerdict {
  readonly claim: string;
  readonly verdict: "consistent" | "inconsistent" | "inconclusive" | "pass" | "fail" | "not-applicable";
}

export interface ReportDocument {
  readonly title: string;
  readonly subtitle: string;
  /** What produced the report: versions, settings, wall time. */
  readonly provenance: Record<string, string>;
  readonly sections: readonly Section[];
}

export const text = (t: string): Block => ({ kind: "text", text: t });
export const tableBlock = (table: Table): Block => ({ kind: "table", table });
export const figureBlock = (figure: Figure): Block => ({ kind: "figure", figure });

/** Run a section builder; an error becomes a failed section that says why (never silently dropped). */
export function guardedSection(id: string, title: string, build: () => Block[]): Section {
  try {
    return { id, title, status: "ok", blocks: build() };
  } catch (e) {
    return { id, title, status: "failed", reason: e instanceof Error ? e.message : String(e), blocks: [] };
  }
}
