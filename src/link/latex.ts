/**
 * LaTeX of link-language text: links (`relu(z)`, `sign(z1*z2*z3)`), exact forms (`-sqrt(3)/(12*sqrt(pi))`,
 * `exp(-1/8)/(2*sqrt(2*pi))`) and formulas in named symbols (`d^(3/2)*log(d)^2`). The text is parsed by mathjs
 * (never evaluated) and printed from its syntax tree: fractions as \frac, products by juxtaposition (a \cdot only
 * before a digit), `z1` as z_{1}, `He(k, x)` as \mathrm{He}_{k}(x), `exp(x)` as e^{x}, and the Gaussian tail
 * `(1 - erf(t/sqrt(2)))/2` that exact forms use as \bar\Phi(t).
 *
 * mathjs's own toTex keeps every \cdot and parenthesis (`\frac{-\sqrt{6}}{12\cdot\sqrt{2\cdot\pi}}`); nerdamer's
 * reads an unknown function as a product (`relu(z)` became `relu \cdot z`) and splits sqrt(2 pi) into two roots.
 * MathML for the HTML reports is this LaTeX typeset by temml (no second, hand-written MathML printer).
 */
import type { MathNode } from "mathjs/number";
import { createRequire } from "node:module";
import { mathjs } from "./mathjs.js";
import { InputError } from "./errors.js";

// temml (its CommonJS build, the same 0.13.x code as the ES module) on the first MathML only: analyze and predict
// print LaTeX and text, never MathML, and do not pay its import (start-up: bench/issue18.ts)
const requireCjs = createRequire(import.meta.url);
let temmlModule: typeof import("temml").default | null = null;
const temml = (): typeof import("temml").default => (temmlModule ??= requireCjs("temml") as typeof import("temml").default);

const GREEK = new Set(["alpha", "beta", "gamma", "delta", "eta", "kappa", "lambda", "mu", "nu", "rho", "sigma", "tau", "theta", "xi", "zeta", "phi", "pi", "psi", "omega"]);
const NAMED = new Set(["sin", "cos", "tanh", "log", "max", "min"]);

// precedence of what a node prints: sum 1, product 2, unary minus 3, power 4, atom 5
type Printed = { out: string; prec: number };

const unwrap = (n: MathNode): MathNode => (n.type === "ParenthesisNode" ? unwrap((n as unknown as { content: MathNode }).content) : n);

interface OperatorLike { op: string; fn: string; args: MathNode[] }
interface FunctionLike { fn: { name: string }; args: MathNode[] }

/** How one output language writes each construct (operands arrive printed). */
interface Target {
  number(text: string, mantissa?: string, exponent?: number): string;
  symbol(name: string): string;
  paren(x: string): string;
  add(a: string, b: string): string;
  sub(a: string, b: string): string;
  neg(a: string): string;
  /** Juxtaposed factors; `cdot` when the factor is a number (2 \cdot 3). */
  product(factors: string[], numeric: boolean[]): string;
  frac(a: string, b: string): string;
  /** An inline ratio in an exponent (3/2). */
  ratio(a: string, b: string): string;
  tail(t: string): string;
  pow(base: string, exponent: string): string;
  sqrt(x: string): string;
  abs(x: string): string;
  exp(x: string): string;
  sigmoid(x: string): string;
  he(k: string, x: string): string;
  call(name: string, args: string[]): string;
}

/** Names of the theory formulas' exponents and symbols, as they are written in the papers. */
const NAMES: Record<string, string> = {
  IE: "\\mathrm{IE}", GE: "\\mathrm{GE}", leap: "\\mathrm{Leap}", gleap: "\\mathrm{Leap}_{\\mathrm{gen}}", eps: "\\varepsilon",
};

function symbol(name: string): string {
  if (NAMES[name]) return NAMES[name]!;
  const sub = /^([a-zA-Z]+)(\d+)$/.exec(name);
  if (sub) return `${symbol(sub[1]!)}_{${sub[2]}}`;
  if (GREEK.has(name)) return `\\${name}`;
  if (name.length === 1) return name;
  return `\\mathrm{${name}}`;
}

/** The t of `(1 - erf(t/sqrt(2)))/2` = P(Z > t), or null when the node is not that pattern. */
function gaussianTail(n: MathNode): MathNode | null {
  if (n.type !== "OperatorNode") return null;
  const o = n as unknown as OperatorLike;
  if (o.fn !== "divide" || !isNumber(o.args[1]!, 2)) return null;
  const num = unwrap(o.args[0]!);
  if (num.type !== "OperatorNode" || (num as unknown as OperatorLike).fn !== "subtract") return null;
  const [one, e] = (num as unknown as OperatorLike).args.map(unwrap);
  if (!isNumber(one!, 1) || e!.type !== "FunctionNode" || (e as unknown as FunctionLike).fn.name !== "erf") return null;
  const arg = unwrap((e as unknown as FunctionLike).args[0]!);
  if (arg.type !== "OperatorNode" || (arg as unknown as OperatorLike).fn !== "divide") return null;
  const [t, s] = (arg as unknown as OperatorLike).args.map(unwrap);
  if (s!.type !== "FunctionNode" || (s as unknown as FunctionLike).fn.name !== "sqrt" || !isNumber(unwrap((s as unknown as FunctionLike).args[0]!), 2)) return null;
  return t!;
}

function isNumber(n: MathNode, v: number): boolean {
  const u = unwrap(n);
  return u.type === "ConstantNode" && (u as unknown as { value: unknown }).value === v;
}

class Printer {
  constructor(private readonly t: Target) {}
  private atom = (out: string): Printed => ({ out, prec: 5 });
  private wrap = (p: Printed, min: number) => (p.prec < min ? this.t.paren(p.out) : p.out);

  print(node: MathNode): Printed {
    const n = unwrap(node), t = this.t;
    switch (n.type) {
      case "ConstantNode": {
        const v = (n as unknown as { value: unknown }).value;
        if (typeof v !== "number") return this.atom(t.symbol(String(v)));
        const s = String(v);
        const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(s);
        return m ? { out: t.number(s, m[1]!, Number(m[2])), prec: 2 } : this.atom(t.number(s));
      }
      case "SymbolNode": return this.atom(t.symbol((n as unknown as { name: string }).name));
      case "OperatorNode": return this.operator(n as unknown as OperatorLike, n);
      case "FunctionNode": return this.call(n as unknown as FunctionLike);
      default: throw new InputError(`cannot typeset a ${n.type}`);
    }
  }

  private operator(o: OperatorLike, node: MathNode): Printed {
    const [a, b] = o.args, t = this.t;
    switch (o.fn) {
      case "add": return { out: t.add(this.print(a!).out, this.wrap(this.print(b!), 2)), prec: 1 };
      case "subtract": return { out: t.sub(this.print(a!).out, this.wrap(this.print(b!), 2)), prec: 1 };
      case "unaryMinus": return { out: t.neg(this.wrap(this.print(a!), 2)), prec: 3 };
      case "unaryPlus": return this.print(a!);
      case "multiply": {
        const nodes = flattenProduct(node);
        return { out: t.product(nodes.map((f) => this.wrap(this.print(f), 2.5)), nodes.map((f, i) => i > 0 && f.type === "ConstantNode")), prec: 2 };
      }
      case "divide": {
        const tail = gaussianTail(node);
        if (tail) return this.atom(t.tail(this.print(tail).out));
        const num = unwrap(a!);
        if (num.type === "OperatorNode" && (num as unknown as OperatorLike).fn === "unaryMinus") {
          return { out: t.neg(t.frac(this.print((num as unknown as OperatorLike).args[0]!).out, this.print(b!).out)), prec: 3 };
        }
        return this.atom(t.frac(this.print(a!).out, this.print(b!).out));
      }
      case "pow": return { out: t.pow(this.wrap(this.print(a!), 5), this.exponent(b!)), prec: 4 };
      default: throw new InputError(`cannot typeset the operator '${o.op}'`);
    }
  }

  /** An exponent: a ratio of two integers inline (d^{3/2}, e^{-1/8}), anything else as printed. */
  exponent(n: MathNode): string {
    const u = unwrap(n), t = this.t;
    const o = u.type === "OperatorNode" ? (u as unknown as OperatorLike) : null;
    if (o?.fn === "unaryMinus" && unwrap(o.args[0]!).type !== "OperatorNode") return this.print(u).out;
    if (o?.fn === "unaryMinus") return t.neg(this.exponent(o.args[0]!));
    const constant = (x: MathNode): boolean => {
      const v = unwrap(x);
      return v.type === "ConstantNode" || (v.type === "OperatorNode" && (v as unknown as OperatorLike).fn === "unaryMinus" && constant((v as unknown as OperatorLike).args[0]!));
    };
    if (o?.fn === "divide" && o.args.every(constant)) return t.ratio(this.print(o.args[0]!).out, this.print(o.args[1]!).out);
    return this.print(n).out;
  }

  private call(f: FunctionLike): Printed {
    const name = f.fn.name, args = f.args, t = this.t;
    const inner = (i = 0) => this.print(args[i]!).out;
    switch (name) {
      case "sqrt": return this.atom(t.sqrt(inner()));
      case "abs": return this.atom(t.abs(inner()));
      case "exp": return this.atom(t.exp(this.exponent(args[0]!)));
      case "sigmoid": return this.atom(t.sigmoid(inner()));
      case "He": return this.atom(t.he(inner(0), inner(1)));
    }
    return this.atom(t.call(name, args.map((x) => this.print(x).out)));
  }
}

function flattenProduct(n: MathNode): MathNode[] {
  const u = unwrap(n);
  if (u.type === "OperatorNode" && (u as unknown as OperatorLike).fn === "multiply") return (u as unknown as OperatorLike).args.flatMap(flattenProduct);
  return [u];
}

const LATEX: Target = {
  number: (s, m, e) => (m === undefined ? s : `${m}\\times 10^{${e}}`),
  symbol,
  paren: (x) => `\\left(${x}\\right)`,
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  neg: (a) => `-${a}`,
  product: (fs, numeric) => fs.reduce((acc, f, i) => (numeric[i] ? `${acc} \\cdot ${f}` : `${acc} ${f}`)),
  frac: (a, b) => `\\frac{${a}}{${b}}`,
  ratio: (a, b) => `${a}/${b}`,
  tail: (t) => `\\bar{\\Phi}\\left(${t}\\right)`,
  pow: (b, e) => `${b}^{${e}}`,
  sqrt: (x) => `\\sqrt{${x}}`,
  abs: (x) => `\\left|${x}\\right|`,
  exp: (x) => `e^{${x}}`,
  sigmoid: (x) => `\\sigma\\left(${x}\\right)`,
  he: (k, x) => `\\mathrm{He}_{${k}}\\left(${x}\\right)`,
  call: (name, args) => `${NAMED.has(name) ? `\\${name}` : `\\operatorname{${name}}`}\\left(${args.join(", ")}\\right)`,
};

function parseForTypesetting(text: string): MathNode {
  try { return mathjs().parse(text); } catch (e) { throw new InputError(`cannot typeset '${text}': ${(e as Error).message}`); }
}

/**
 * MathML (presentation markup, a <math> element with the LaTeX as annotation) of a LaTeX fragment, typeset by temml
 * at build time, for HTML reports: rendered by the browser, nothing fetched. Throws an InputError for LaTeX temml
 * cannot parse.
 * @example mathmlOfLatex("\\frac{1}{2}") // '<math><semantics><mfrac><mn>1</mn><mn>2</mn></mfrac><annotation ...'
 */
export function mathmlOfLatex(tex: string, display = false): string {
  try {
    return temml().renderToString(tex, { displayMode: display, annotate: true, throwOnError: true, xml: false });
  } catch (e) {
    throw new InputError(`cannot typeset the LaTeX '${tex}': ${(e as Error).message}`);
  }
}

/**
 * MathML of link-language text (a link, an exact form or a formula): its LaTeX ({@link latexOf}) typeset by temml.
 * Throws an InputError for text the link language cannot express.
 * @example mathmlOf("1/sqrt(2*pi)") // '<math><semantics><mfrac><mn>1</mn><msqrt>...'
 */
export function mathmlOf(text: string, display = false): string {
  return mathmlOfLatex(latexOf(text), display);
}

/**
 * LaTeX of link-language text (a link, an exact form or a formula). Throws an InputError for text the link
 * language cannot express.
 * @example latexOf("1/sqrt(2*pi)") // "\\frac{1}{\\sqrt{2 \\pi}}"
 */
export function latexOf(text: string): string {
  return new Printer(LATEX).print(parseForTypesetting(text)).out;
}

/** Keys whose string values are link-language text (exact forms, formulas, the parsed link) typeset by {@link withLatex}. */
export const TYPESET_KEYS: readonly string[] = ["exact", "secondMomentExact", "formula", "exponentFormula", "parsed"];

/** LaTeX of a text, or null when it is not link-language text. */
function latexOrNull(text: string): string | null {
  try { return latexOf(text); } catch { return null; }
}

/**
 * A copy of a JSON-like value in which every exact string or formula (a string under one of {@link TYPESET_KEYS},
 * or an array of such strings under `exact`) has its LaTeX beside it under the key + "Latex":
 * `{ exact: ["1/sqrt(2*pi)"] }` -> `{ exact: [...], exactLatex: ["\\frac{1}{\\sqrt{2 \\pi}}"] }`. Untypesettable text and
 * nulls give null.
 */
export function withLatex<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withLatex(v)) as T;
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = withLatex(v);
    if (!TYPESET_KEYS.includes(k) || `${k}Latex` in (value as object)) continue;
    if (typeof v === "string") out[`${k}Latex`] = latexOrNull(v);
    else if (Array.isArray(v) && v.every((x) => x === null || typeof x === "string")) out[`${k}Latex`] = v.map((x) => (x === null ? null : latexOrNull(x)));
  }
  return out as T;
}
