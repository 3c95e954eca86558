/**
 * Safe parsing of link expressions: mathjs's parser builds an AST, and only whitelisted node types,
 * symbols and functions are converted into the `Expr` IR. Nothing here evaluates user text.
 */
import type { MathNode } from "mathjs/number";
import { mathjs } from "./mathjs.js";
import Fraction from "fraction.js";
import { BINARY_FUNCTIONS, UNARY_FUNCTIONS, type Expr, type UnaryFunction, type BinaryFunction } from "./expr.js";
import { InputError } from "./errors.js";


/** Largest multi-index dimension r accepted (variables z1..z8). */
export const MAX_INDEX_VARIABLES = 8;
/** Longest link or formula text accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 2000;
const MAX_DEPTH = 200;
const MAX_HERMITE_ORDER = 200;

const FORBIDDEN_CALLS = new Set(["import", "evaluate", "parse", "compile", "createUnit", "simplify", "derivative", "eval", "Function", "constructor"]);

/** A checked expression tree with the index variables it uses. */
export interface ParsedExpr {
  readonly expr: Expr;
  /** "z" for single-index links, "zi" for multi-index links; null for a constant expression. */
  readonly style: "single" | "multi" | null;
  /** Number of index coordinates r (1 for single-index; the largest i used in zi otherwise). */
  readonly dimension: number;
}

/** What a parsed expression may refer to besides numbers and the whitelisted functions. */
export interface ParseOptions {
  /** Extra named symbols (e.g. `d`, `n`, `eta` in theory formulas) mapped to variable indices. */
  readonly symbols?: readonly string[];
  /** Whether the index variables z, z1..z8 are allowed (false for formulas in named symbols only). */
  readonly indexVariables?: boolean;
  /** Named parameters replaced by numbers (a link family such as `He(3,z) + a*He(2,z)` at a = 0.25). */
  readonly constants?: Readonly<Record<string, number>>;
}

/** Finds 1-based columns of tokens, counting occurrences so repeated names map to successive places. */
class Locator {
  private readonly seen = new Map<string, number>();
  constructor(private readonly source: string) {}
  /** Column of the next occurrence of an identifier or operator token. */
  next(token: string, identifier: boolean): number {
    const k = this.seen.get(token) ?? 0;
    // an identifier starts where no identifier run precedes it (a digit may: "2z", "0import(...)" are implicit products)
    const strict = new RegExp(`(?<![A-Za-z_$][A-Za-z0-9_$]*)${escape(token)}(?![A-Za-z0-9_$])`, "g");
    // after an exponent ("2.5e5e2" is 2.5e5 * e2) the strict rule sees "e5" as a name: then only a letter may not precede
    const re = identifier ? (strict.test(this.source) ? strict : new RegExp(`(?<![A-Za-z_$])${escape(token)}(?![A-Za-z0-9_$])`, "g")) : new RegExp(escape(token), "g");
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    let i = 0;
    let first = 0;
    while ((m = re.exec(this.source)) !== null) {
      if (i === 0) first = m.index + 1;
      if (i === k) { this.seen.set(token, k + 1); return m.index + 1; }
      i++;
    }
    return first;
  }
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const DESCRIBE: Record<string, string> = {
  AccessorNode: "property access",
  ArrayNode: "arrays",
  AssignmentNode: "assignment",
  BlockNode: "statement blocks",
  ConditionalNode: "conditional expressions",
  FunctionAssignmentNode: "function definitions",
  IndexNode: "indexing",
  ObjectNode: "objects",
  RangeNode: "ranges",
  RelationalNode: "comparisons",
};
const TOKEN_OF: Record<string, string> = {
  AccessorNode: ".", ArrayNode: "[", AssignmentNode: "=", BlockNode: ";", ConditionalNode: "?",
  FunctionAssignmentNode: "=", IndexNode: "[", ObjectNode: "{", RangeNode: ":", RelationalNode: "<",
};

/**
 * Parse a link expression (or a formula in named symbols) into the IR, accepting only whitelisted nodes.
 * Example: `parseExpression("d^(k-1)", { symbols: ["d", "k"], indexVariables: false })`.
 * @throws InputError with a column for anything outside the language (unknown names, assignment, property access,
 *   strings, too long or too deep input, mixed `z` and `zi`, ...).
 */
export function parseExpression(source: string, options: ParseOptions = {}): ParsedExpr {
  if (typeof source !== "string" || source.trim() === "") throw new InputError("empty expression: give a link such as 'z^3 - 3*z'");
  if (source.length > MAX_EXPRESSION_LENGTH) throw new InputError(`expression too long (${source.length} characters; at most ${MAX_EXPRESSION_LENGTH})`);
  const bad = /[^\x20-\x7e]/.exec(source);
  if (bad) throw new InputError(`character '${JSON.stringify(bad[0]).slice(1, -1)}' is not allowed at column ${bad.index + 1}`, { column: bad.index + 1, source });
  // mathjs reads '#' as the start of a comment: the link language has none
  const hash = source.indexOf("#");
  if (hash >= 0) throw new InputError(`character '#' is not allowed at column ${hash + 1} (the link language has no comments)`, { column: hash + 1, source });
  let node: MathNode;
  try {
    node = mathjs().parse(source);
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`expression nested too deeply to read`, { source });
    const err = e as { message?: string; char?: number };
    // mathjs gives the place in `char`, except for malformed numbers ('String "0b" is not a valid number', and
    // 'String "0x1" is out of range' for a hex literal followed by an 'i' without a word size): find the text
    const quoted = /"([^"]+)" is (?:not a valid number|out of range)/i.exec(String(err.message ?? ""));
    const at = quoted ? source.indexOf(quoted[1]!) + 1 : 0;
    const col = typeof err.char === "number" ? Math.max(1, Math.min(err.char, source.length + 1)) : at > 0 ? at : undefined;
    const msg = String(err.message ?? "syntax error").replace(/\s*\(char \d+\)\s*$/, "");
    throw new InputError(`syntax error: ${lowerFirst(msg)}${col ? ` at column ${col}` : ""}`, { column: col, source });
  }
  const symbols = options.symbols ?? [];
  const indexVariables = options.indexVariables ?? true;
  const loc = new Locator(source);
  let style: "single" | "multi" | null = null;
  let dimension = 0;

  const fail = (message: string, col: number): never => {
    throw new InputError(col > 0 ? `${message} at column ${col}` : message, { column: col > 0 ? col : undefined, source });
  };

  const constants = options.constants ?? {};
  const variable = (name: string, col: number): Expr => {
    if (Object.prototype.hasOwnProperty.call(constants, name)) {
      const value = constants[name]!;
      if (!Number.isFinite(value)) fail(`parameter '${name}' must be a finite number`, col);
      return { op: "num", value, exact: decimalToFraction(String(value)), text: String(value), col };
    }
    const named = symbols.indexOf(name);
    if (named >= 0) return { op: "var", index: named, col };
    if (name === "pi") return { op: "num", value: Math.PI, exact: null, text: "pi", col };
    if (name === "e") return { op: "num", value: Math.E, exact: null, text: "e", col };
    if (indexVariables) {
      if (name === "z") {
        if (style === "multi") fail("use either z (single-index) or z1..z8 (multi-index), not both", col);
        style = "single"; dimension = 1;
        return { op: "var", index: 0, col };
      }
      const m = /^z([1-9][0-9]*)$/.exec(name);
      if (m) {
        const i = Number(m[1]);
        if (i > MAX_INDEX_VARIABLES) fail(`variable '${name}' is not allowed: multi-index links use z1..z${MAX_INDEX_VARIABLES} (r <= ${MAX_INDEX_VARIABLES})`, col);
        if (style === "single") fail("use either z (single-index) or z1..z8 (multi-index), not both", col);
        style = "multi"; dimension = Math.max(dimension, i);
        return { op: "var", index: i - 1, col };
      }
    }
    const allowed = [...(indexVariables ? ["z (single-index) or z1..z8"] : []), ...symbols].join(", ");
    return fail(`variable '${name}' is not allowed: use ${allowed || "numbers only"}`, col);
  };

  const constantValue = (e: Expr, what: string, col: number): { value: number; exact: Fraction | null } => {
    const v = constantFold(e);
    if (v === null) fail(`${what} must be a number, not an expression in the variables`, col);
    return v!;
  };

  const convert = (n: MathNode, depth: number): Expr => {
    if (depth > MAX_DEPTH) fail(`expression nested too deeply (more than ${MAX_DEPTH} levels)`, 0);
    const any = n as unknown as Record<string, unknown> & { type: string };
    switch (any.type) {
      case "ParenthesisNode":
        return convert(any.content as MathNode, depth + 1);
      case "ConstantNode": {
        const v = any.value as unknown;
        if (v === undefined) {
          // an empty statement: ";" or "z;" parse to blocks whose parts are empty
          const semi = source.indexOf(";");
          return semi >= 0 ? fail("statement blocks not allowed in a link", semi + 1) : fail("empty expression: give a link such as 'z^3 - 3*z'", 0);
        }
        if (v === null || typeof v === "string" || typeof v === "boolean") {
          return fail(`${typeof v === "string" ? "strings" : "this constant"} not allowed in a link`, typeof v === "string" ? loc.next('"', false) || loc.next("'", false) : loc.next(String(v), false));
        }
        const value = v as number;
        const text = String(value);
        const col = loc.next(text.replace(/e\+?/, "e").split("e")[0]!, false);
        if (typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > 1e300) return fail(`number ${text} is out of range (|x| <= 1e300)`, col || hugeLiteralColumn(source));
        // the shortest round-trip decimal of the parsed double is the literal as typed (for <= 17 significant digits)
        const exact = decimalToFraction(text);
        return { op: "num", value, exact, text, col };
      }
      case "SymbolNode":
        return variable(String(any.name), loc.next(String(any.name), true));
      case "OperatorNode": {
        const op = String(any.op);
        const args = any.args as MathNode[];
        const implicit = Boolean(any.implicit);
        const col = implicit ? 0 : loc.next(op, false);
        if (args.length === 1) {
          if (op === "-") return { op: "neg", arg: convert(args[0]!, depth + 1), col };
          if (op === "+") return convert(args[0]!, depth + 1);
          return fail(`operator '${op}' is not allowed (use + - * / ^)`, col);
        }
        if (args.length !== 2) return fail(`operator '${op}' is not allowed`, col);
        const kinds: Record<string, "add" | "sub" | "mul" | "div"> = { "+": "add", "-": "sub", "*": "mul", "/": "div" };
        if (op in kinds) {
          const left = convert(args[0]!, depth + 1);
          const right = convert(args[1]!, depth + 1);
          return { op: kinds[op]!, left, right, col } as Expr;
        }
        if (op === "^") {
          const base = convert(args[0]!, depth + 1);
          const expo = convert(args[1]!, depth + 1);
          const v = constantValue(expo, "the exponent in '^'", col);
          if (!Number.isFinite(v.value)) return fail("the exponent in '^' is out of range", col);
          return { op: "pow", base, exponent: v.value, exactExponent: v.exact, col };
        }
        return fail(`operator '${op}' is not allowed (use + - * / ^)`, col);
      }
      case "FunctionNode": {
        const fnNode = any.fn as unknown as { type: string; name?: string };
        const args = any.args as MathNode[];
        if (fnNode.type !== "SymbolNode") return fail("only named functions can be called", loc.next("(", false));
        const name = String(fnNode.name);
        const col = loc.next(name, true);
        if (FORBIDDEN_CALLS.has(name)) return fail(`function '${name}' is not allowed`, col);
        if (name === "He") {
          if (args.length !== 2) return fail(`He takes 2 arguments He(k, x), got ${args.length}`, col);
          const k = constantValue(convert(args[0]!, depth + 1), "He needs an integer order >= 0; the order", col);
          if (!Number.isInteger(k.value) || k.value < 0) return fail(`He needs an integer order >= 0, got ${k.value}`, col);
          if (k.value > MAX_HERMITE_ORDER) return fail(`He order ${k.value} is too large (at most ${MAX_HERMITE_ORDER})`, col);
          return { op: "he", order: k.value, arg: convert(args[1]!, depth + 1), col };
        }
        if ((UNARY_FUNCTIONS as readonly string[]).includes(name)) {
          if (args.length !== 1) return fail(`${name} takes 1 argument, got ${args.length}`, col);
          return { op: "call", fn: name as UnaryFunction, arg: convert(args[0]!, depth + 1), col };
        }
        if ((BINARY_FUNCTIONS as readonly string[]).includes(name)) {
          if (args.length !== 2) return fail(`${name} takes 2 arguments, got ${args.length}`, col);
          return { op: "call2", fn: name as BinaryFunction, left: convert(args[0]!, depth + 1), right: convert(args[1]!, depth + 1), col };
        }
        return fail(`unknown function '${name}'`, col);
      }
      default: {
        const what = DESCRIBE[any.type] ?? `'${any.type}'`;
        const token = TOKEN_OF[any.type];
        // a[1] is an AccessorNode without a '.': point at its '['
        const relational = any.type === "RelationalNode" ? /==|!=|<=|>=|<|>/.exec(source) : null; // chained a == b == c
        const col = relational ? relational.index + 1 : token ? loc.next(token, false) || (any.type === "AccessorNode" ? loc.next("[", false) : 0) : 0;
        return fail(`${what} not allowed in a link`, col);
      }
    }
  };

  let expr: Expr;
  try {
    expr = convert(node, 0);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`could not read the expression (${e instanceof RangeError ? "nested too deeply" : "unsupported construct"})`, { source });
  }
  return { expr, style, dimension: style === null ? 0 : dimension };
}

/** Value of a variable-free expression, exact where every step is rational. */
export function constantFold(e: Expr): { value: number; exact: Fraction | null } | null {
  switch (e.op) {
    case "num": return { value: e.value, exact: e.exact };
    case "var": return null;
    case "neg": {
      const a = constantFold(e.arg);
      return a && { value: -a.value, exact: a.exact ? a.exact.neg() : null };
    }
    case "add": case "sub": case "mul": case "div": {
      const a = constantFold(e.left), b = constantFold(e.right);
      if (!a || !b) return null;
      const value = e.op === "add" ? a.value + b.value : e.op === "sub" ? a.value - b.value : e.op === "mul" ? a.value * b.value : a.value / b.value;
      let exact: Fraction | null = null;
      if (a.exact && b.exact) {
        if (e.op === "add") exact = a.exact.add(b.exact);
        else if (e.op === "sub") exact = a.exact.sub(b.exact);
        else if (e.op === "mul") exact = a.exact.mul(b.exact);
        else if (!b.exact.equals(0)) exact = a.exact.div(b.exact);
      }
      return { value, exact };
    }
    case "pow": {
      const a = constantFold(e.base);
      if (!a) return null;
      const value = Math.pow(a.value, e.exponent);
      const exact = a.exact && Number.isInteger(e.exponent) && Math.abs(e.exponent) <= 64 && !(a.exact.equals(0) && e.exponent < 0)
        ? a.exact.pow(e.exponent) : null;
      return { value, exact };
    }
    default: return null;
  }
}

/** Column of the first numeric literal whose value overflows (1e400 parses to Infinity, which is not in the text). */
function hugeLiteralColumn(source: string): number {
  const re = /(?<![A-Za-z0-9_.])(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) if (!(Math.abs(Number(m[0])) <= 1e300)) return m.index + 1;
  return 0;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Exact rational value of a decimal literal such as "0.1", "3", "1e-7", "2.5e+3". */
export function decimalToFraction(text: string): Fraction | null {
  const m = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return null;
  const digits = `${m[2]}${m[3] ?? ""}`;
  const exponent = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  if (Math.abs(exponent) > 400) return null;
  let num = BigInt(digits), den = 1n;
  if (exponent >= 0) num *= 10n ** BigInt(exponent); else den = 10n ** BigInt(-exponent);
  return new Fraction(m[1] === "-" ? -num : num, den);
}
