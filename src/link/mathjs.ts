/**
 * mathjs, loaded on first use from its single-file bundle (`mathjs/lib/browser/math.js`, the same parser and erf as
 * `mathjs/number`): the bundle loads in ~35 ms, the ES-module entry in ~0.4 s (hundreds of files), which was most of
 * the CLI's start-up. Commands that never parse an expression never load it.
 */
import { createRequire } from "node:module";
import type { MathNode } from "mathjs/number";

/** The part of mathjs the link language uses. */
export interface MathjsSubset {
  readonly parse: (source: string) => MathNode;
  readonly erf: { readonly signatures: Record<string, (x: number) => number> };
}

const require = createRequire(import.meta.url);
let lib: MathjsSubset | null = null;

/** mathjs (loaded on the first call). */
export function mathjs(): MathjsSubset {
  return (lib ??= require("mathjs/lib/browser/math.js") as MathjsSubset);
}
