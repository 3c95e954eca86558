/** Writing a rendered report to a folder: index.html, report.md, report.json and the SVG figures, atomically. */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../link/errors.js";
import type { RenderedReport } from "./render.js";
import { schemaId } from "../io/schemaId.js";

export function writeReport(outDir: string, rendered: RenderedReport, data: unknown, options: { force?: boolean } = {}): string[] {
  const target = resolve(outDir);
  if (existsSync(target) && !options.force) {
    throw new InputError(`output folder '${outDir}' exists: choose another --out or pass --force to overwrite it`);
  }
  mkdirSync(dirname(target), { recursive: true });
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const files: [string, string][] = [
    ["index.html", rendered.html],
    ["report.md", rendered.markdown],
    ["report.json", `${JSON.stringify(data !== null && typeof data === "object" && !Array.isArray(data) ? { $schema: schemaId("report"), ...data } : data, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`],
    ...rendered.images,
  ];
  for (const [name, content] of files) writeFileSync(join(staging, name), content);
  // swap in the finished folder: a reader never sees a half-written report
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return files.map(([name]) => join(target, name));
}
