/**
 * The link language's intermediate representation.
 *
 * A parsed link is a tree of `Expr` nodes built only from whitelisted operations; every other module
 * (numeric compiler, symbolic Hermite paths, parity and kink analysis) reads this tree, never user text.
 */
import Fraction from "fraction.js";

/** Functions of the link language, with their arities. `He` carries its order on the node. */
export const UNARY_FUNCTIONS = [
  "relu", "sign", "abs", "step", "tanh", "sigmoid", "erf", "exp", "log", "sin", "cos", "sqrt",
] as const;
/** Two-argument functions of the link language. */
export const BINARY_FUNCTIONS = ["max", "min"] as const;
/** Name of a one-argument function of the link language. */
export type UnaryFunction = (typeof UNARY_FUNCTIONS)[number];
/** Name of a two-argument function of the link language (`max`, `min`). */
export type BinaryFunction = (typeof BINARY_FUNCTIONS)[number];

/** Source position (1-based column) of the token a node came from, for error messages. */
export interface Located { readonly col: number }

/**
 * A node of the link IR: a number (with its exact rational value when it has one), a variable z_{index+1}, an
 * arithmetic operation, a power with a constant exponent, a whitelisted function call, or He(order, arg).
 */
export type Expr =
  | (Located & { readonly op: "num"; readonly value: number; readonly exact: Fraction | null; readonly text: string })
  | (Located & { readonly op: "var"; readonly index: number })
  | (Located & { readonly op: "neg"; readonly arg: Expr })
  | (Located & { readonly op: "add" | "sub" | "mul" | "div"; readonly left: Expr; readonly right: Expr })
  | (Located & { readonly op: "pow"; readonly base: Expr; readonly exponent: number; readonly exactExponent: Fraction | null })
  | (Located & { readonly op: "call"; readonly fn: UnaryFunction; readonly arg: Expr })
  | (Located & { readonly op: "call2"; readonly fn: BinaryFunction; readonly left: Expr; readonly right: Expr })
  | (Located & { readonly op: "he"; readonly order: number; readonly arg: Expr });

/** The `Expr` variant with operator `K`. */
export type ExprOf<K extends Expr["op"]> = Extract<Expr, { op: K }>;

/** Immediate sub-expressions, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.op) {
    case "num": case "var": return [];
    case "neg": case "call": case "he": return [e.arg];
    case "pow": return [e.base];
    case "add": case "sub": case "mul": case "div": case "call2": return [e.left, e.right];
  }
}

/** Pre-order walk. */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  for (const c of children(e)) yield* walk(c);
}

/** Indices of the variables an expression depends on (0 for z or z1, 1 for z2, ...). */
export function variablesOf(e: Expr): Set<number> {
  const s = new Set<number>();
  for (const n of walk(e)) if (n.op === "var") s.add(n.index);
  return s;
}

/** A numeric literal node (exact when `value` is an integer). */
export const num = (value: number, col = 0): Expr => ({
  op: "num", value, exact: Number.isInteger(value) ? new Fraction(value) : null, text: String(value), col,
});

/** Render an expression back to link-language text (fully parenthesised where needed). */
export function show(e: Expr, names: (i: number) => string): string {
  const s = (x: Expr) => show(x, names);
  // precedence: add/sub 1, mul/div 2, neg 3, pow 4, atoms 5
  const prec = (x: Expr): number =>
    x.op === "add" || x.op === "sub" ? 1 : x.op === "mul" || x.op === "div" ? 2 : x.op === "neg" ? 3 : x.op === "pow" ? 4 : x.op === "num" && x.value < 0 ? 3 : 5;
  const wrap = (x: Expr, min: number) => (prec(x) < min ? `(${s(x)})` : s(x));
  switch (e.op) {
    case "num": return e.text;
    case "var": return names(e.index);
    case "neg": return `-${wrap(e.arg, 4)}`;
    case "add": return `${s(e.left)} + ${wrap(e.right, 2)}`;
    case "sub": return `${s(e.left)} - ${wrap(e.right, 2)}`;
    case "mul": return `${wrap(e.left, 2)}*${wrap(e.right, 3)}`;
    case "div": return `${wrap(e.left, 2)}/${wrap(e.right, 3)}`;
    case "pow": return `${wrap(e.base, 5)}^${e.exactExponent ? fracText(e.exactExponent.toFraction()) : e.exponent}`;
    case "call": return `${e.fn}(${s(e.arg)})`;
    case "call2": return `${e.fn}(${s(e.left)}, ${s(e.right)})`;
    case "he": return `He(${e.order}, ${s(e.arg)})`;
  }
}
const fracText = (t: string) => (/^-?\d+$/.test(t) ? t : `(${t})`);
