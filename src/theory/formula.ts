/**
 * Claim formulas are link-language expressions in named symbols (schema.ts FORMULA_SYMBOLS), parsed and compiled by
 * the same safe evaluator as links (`parseExpression(..., {indexVariables: false})` + `compilePositional`): no user or
 * file text is ever evaluated as JavaScript. The language allows only constant exponents in '^', so scalings are
 * stored on the log scale: quantity ~ base^exponent * log(base)^logPower with `exponent` a formula.
 */
import { createRequire } from "node:module";
import { parseExpression } from "../link/parse.js";
import { compilePositional, R } from "../link/compile.js";
import { InputError } from "../link/errors.js";
import { variablesOf } from "../link/expr.js";
import { FORMULA_SYMBOLS, type FormulaSymbol } from "./symbols.js";

/** Values of the formula symbols at which a claim formula is evaluated (unused symbols may be left out). */
export type Bindings = Partial<Record<FormulaSymbol, number>>;

/** A claim formula compiled by the safe link-language evaluator. */
export interface CompiledFormula {
  /** The formula text. */
  readonly source: string;
  /** Symbols the formula uses. */
  readonly symbols: FormulaSymbol[];
  /** Value at the bindings; throws InputError naming the first unbound symbol. Infinity propagates (an exponent
   * above the computed degree is +Infinity, and max/min treat it as such). */
  evaluate(bindings: Bindings): number;
}

/**
 * Parse and compile a formula in the symbols {@link FORMULA_SYMBOLS} (e.g. `max(IE - 1, 1)`), with the link
 * language's safe evaluator: nothing is evaluated as JavaScript.
 * @param where the place (file, claim, field) named in error messages.
 * @throws InputError (prefixed with `where`) when the text is not a formula in those symbols.
 */
export function compileFormula(source: string, where: string): CompiledFormula {
  const pre = precompiledFormulas()?.get(source);
  return pre ? formulaOf(source, where, pre.used, pre.f) : compileFormulaText(source, where);
}

/** A formula compiled at build time: the indices of its symbols in {@link FORMULA_SYMBOLS} and the compiled closure. */
export interface PrecompiledFormula { readonly used: readonly number[]; readonly f: (...args: number[]) => number }

let precompiled: ReadonlyMap<string, PrecompiledFormula> | null | undefined;
/**
 * The formulas of the shipped theory files, compiled at build time (dist/vendor/theory-formulas.cjs, written by
 * scripts/precompile-formulas.ts from the same IR and the same `emit` as {@link compileFormulaText}, so each closure is
 * the one compilePositional makes): a `predict` then parses none of the ~70 catalog formulas (~6-10 CPU-ms of its
 * start-up). Keyed by the formula text, so an edited theory file's new formula is simply compiled; null from the
 * TypeScript sources or without the file.
 */
export function precompiledFormulas(): ReadonlyMap<string, PrecompiledFormula> | null {
  if (precompiled === undefined) {
    precompiled = null;
    if (import.meta.url.endsWith(".js")) {
      try {
        precompiled = (createRequire(import.meta.url)("../../vendor/theory-formulas.cjs") as (r: typeof R) => ReadonlyMap<string, PrecompiledFormula>)(R);
      } catch { precompiled = null; }
    }
  }
  return precompiled;
}

/**
 * {@link compileFormula} from the text itself (parse, check, compile), without the build's precompiled table.
 * @throws InputError (prefixed with `where`) when the text is not a formula in those symbols.
 */
export function compileFormulaText(source: string, where: string): CompiledFormula {
  let parsed;
  try {
    parsed = parseExpression(source, { symbols: FORMULA_SYMBOLS, indexVariables: false });
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${where}: formula '${source}': ${e.message}`);
    throw e;
  }
  return formulaOf(source, where, formulaSymbolIndices(parsed.expr), compilePositional(parsed.expr, FORMULA_SYMBOLS.length));
}

/** The indices in {@link FORMULA_SYMBOLS} of the symbols a parsed formula uses, ascending. */
export function formulaSymbolIndices(expr: Parameters<typeof variablesOf>[0]): number[] {
  return [...variablesOf(expr)].sort((a, b) => a - b);
}

function formulaOf(source: string, where: string, usedIndex: readonly number[], f: (...args: number[]) => number): CompiledFormula {
  const used = usedIndex.map((i) => FORMULA_SYMBOLS[i]!);
  const n = FORMULA_SYMBOLS.length, isUsed = FORMULA_SYMBOLS.map((_, i) => usedIndex.includes(i));
  return {
    source,
    symbols: used,
    evaluate(bindings: Bindings): number {
      // every symbol in order (an unused one unbound is NaN, which the compiled formula never reads); a plain loop:
      // learning-rate curves evaluate a formula at hundreds of points
      const args = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        const v = bindings[FORMULA_SYMBOLS[i]!];
        if (v === undefined && isUsed[i]) throw new InputError(`${where}: formula '${source}' needs a value for '${FORMULA_SYMBOLS[i]!}'`);
        args[i] = v ?? Number.NaN;
      }
      return f(...args);
    },
  };
}

/**
 * Evaluate a formula text once at the bindings (convenience for tests and the CLI), e.g.
 * `evaluateFormula("max(IE - 1, 1)", { IE: 3 })` is 2.
 * @throws InputError for a malformed formula or a symbol it uses that has no value.
 */
export function evaluateFormula(source: string, bindings: Bindings, where = "formula"): number {
  return compileFormula(source, where).evaluate(bindings);
}
