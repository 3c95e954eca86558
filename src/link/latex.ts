/**
 * LaTeX of link-language text: links (`relu(z)`, `sign(z1*z2*z3)`), exact forms (`-sqrt(3)/(12*sqrt(pi))`,
 * `exp(-1/8)/(2*sqrt(2*pi))`) and formulas in named symbols (`d^(3/2)*log(d)^2`). The text is parsed by mathjs
 * (never evaluated) and printed from its syntax tree: fractions as \frac, products by juxtaposition (a \cdot only
 * before a digit), `z1` as z_{1}, `He(k, x)` as \mathrm{He}_{k}(x), `exp(x)` as e^{x}, and the Gaussian tail
 * `(1 - erf(t/sqrt(2)))/2` that exact forms use as \bar\Phi(t).
 *
 * mathjs's own toTex keeps every \cdot and parenthesis (`\frac{-\sqrt{6}}{12\cdot\sqrt{2\cdot\pi}}`); nerdamer's
 * reads an unknown function as a product (`relu(z)` became `relu \cdot z`) and splits sqrt(2 pi) into two roots.
 */
import { parse as mathParse, type MathNode } from "mathjs/number";
import { InputError } from "./errors.js";

const GREEK = new Set(["alpha", "beta", "gamma", "delta", "eta", "kappa", "lambda", "mu", "nu", "rho", "sigma", "tau", "theta", "xi", "zeta", "phi", "pi", "psi", "omega"]);
const OPERATOR_NAMES = new Set(["relu", "sign", "step", "erf", "erfc"]);
const NAMED = new Set(["sin", "cos", "tanh", "log", "max", "min"]);

// precedence of what a node prints: sum 1, product 2, unary minus 3, power 4, atom 5
type Printed = { tex: string; prec: number };

const atom = (tex: string): Printed => ({ tex, prec: 5 });
const wrap = (p: Printed, min: number) => (p.prec < min ? `\\left(${p.tex}\\right)` : p.tex);
const unwrap = (n: MathNode): MathNode => (n.type === "ParenthesisNode" ? unwrap((n as unknown as { content: MathNode }).content) : n);

interface OperatorLike { op: string; fn: string; args: MathNode[] }
interface FunctionLike { fn: { name: string }; args: MathNode[] }

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

function print(node: MathNode): Printed {
  const n = unwrap(node);
  switch (n.type) {
    case "ConstantNode": {
      const v = (n as unknown as { value: unknown }).value;
      if (typeof v !== "number") return atom(`\\mathrm{${String(v)}}`);
      const s = String(v);
      const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(s);
      return m ? { tex: `${m[1]}\\times 10^{${Number(m[2])}}`, prec: 2 } : atom(s);
    }
    case "SymbolNode": return atom(symbol((n as unknown as { name: string }).name));
    case "OperatorNode": return operator(n as unknown as OperatorLike, n);
    case "FunctionNode": return call(n as unknown as FunctionLike);
    default: throw new InputError(`cannot typeset a ${n.type} in LaTeX`);
  }
}

function operator(o: OperatorLike, node: MathNode): Printed {
  const [a, b] = o.args;
  switch (o.fn) {
    case "add": return { tex: `${print(a!).tex} + ${wrap(print(b!), 2)}`, prec: 1 };
    case "subtract": return { tex: `${print(a!).tex} - ${wrap(print(b!), 2)}`, prec: 1 };
    case "unaryMinus": return { tex: `-${wrap(print(a!), 2)}`, prec: 3 };
    case "unaryPlus": return print(a!);
    case "multiply": {
      const factors = flattenProduct(node).map((f) => wrap(print(f), 2.5));
      const tex = factors.reduce((acc, f) => (/^[\d.]/.test(f) ? `${acc} \\cdot ${f}` : `${acc} ${f}`));
      return { tex, prec: 2 };
    }
    case "divide": {
      const t = gaussianTail(node);
      if (t) return atom(`\\bar{\\Phi}\\left(${print(t).tex}\\right)`);
      const num = unwrap(a!);
      if (num.type === "OperatorNode" && (num as unknown as OperatorLike).fn === "unaryMinus") {
        return { tex: `-\\frac{${print((num as unknown as OperatorLike).args[0]!).tex}}{${print(b!).tex}}`, prec: 3 };
      }
      return atom(`\\frac{${print(a!).tex}}{${print(b!).tex}}`);
    }
    case "pow": return { tex: `${wrap(print(a!), 5)}^{${exponent(b!)}}`, prec: 4 };
    default: throw new InputError(`cannot typeset the operator '${o.op}' in LaTeX`);
  }
}

/** An exponent: a ratio of two integers inline (d^{3/2}, e^{-1/8}), anything else as printed. */
function exponent(n: MathNode): string {
  const u = unwrap(n);
  const o = u.type === "OperatorNode" ? (u as unknown as OperatorLike) : null;
  if (o?.fn === "unaryMinus" && unwrap(o.args[0]!).type !== "OperatorNode") return print(u).tex;
  if (o?.fn === "unaryMinus") return `-${exponent(o.args[0]!)}`;
  const constant = (x: MathNode): boolean => {
    const v = unwrap(x);
    return v.type === "ConstantNode" || (v.type === "OperatorNode" && (v as unknown as OperatorLike).fn === "unaryMinus" && constant((v as unknown as OperatorLike).args[0]!));
  };
  if (o?.fn === "divide" && o.args.every(constant)) return `${print(o.args[0]!).tex}/${print(o.args[1]!).tex}`;
  return print(n).tex;
}

function flattenProduct(n: MathNode): MathNode[] {
  const u = unwrap(n);
  if (u.type === "OperatorNode" && (u as unknown as OperatorLike).fn === "multiply") return (u as unknown as OperatorLike).args.flatMap(flattenProduct);
  return [u];
}

function call(f: FunctionLike): Printed {
  const name = f.fn.name, args = f.args;
  const inner = (i = 0) => print(args[i]!).tex;
  switch (name) {
    case "sqrt": return atom(`\\sqrt{${inner()}}`);
    case "abs": return atom(`\\left|${inner()}\\right|`);
    case "exp": return atom(`e^{${exponent(args[0]!)}}`);
    case "sigmoid": return atom(`\\sigma\\left(${inner()}\\right)`);
    case "He": return atom(`\\mathrm{He}_{${inner(0)}}\\left(${inner(1)}\\right)`);
  }
  const head = OPERATOR_NAMES.has(name) ? `\\operatorname{${name}}` : NAMED.has(name) ? `\\${name}` : `\\operatorname{${name}}`;
  return atom(`${head}\\left(${args.map((x) => print(x).tex).join(", ")}\\right)`);
}

/**
 * LaTeX of link-language text (a link, an exact form or a formula). Throws an InputError for text the link
 * language cannot express.
 * @example latexOf("1/sqrt(2*pi)") // "\\frac{1}{\\sqrt{2 \\pi}}"
 */
export function latexOf(text: string): string {
  let tree: MathNode;
  try { tree = mathParse(text); } catch (e) { throw new InputError(`cannot typeset '${text}': ${(e as Error).message}`); }
  return print(tree).tex;
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
