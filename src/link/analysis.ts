/**
 * Structural analysis of link expressions: parity under sign flips, the arguments whose zeros are kinks or jumps,
 * symbolic derivatives (a.e.), and restriction of multi-index expressions to one coordinate.
 */
import type { Expr } from "./expr.js";
import { num, variablesOf, walk } from "./expr.js";

/** Parity under z -> -z: f(-z) = f(z) ("even"), f(-z) = -f(z) ("odd"), or neither proved ("none"). */
export type Parity = "even" | "odd" | "none";

const ODD_FUNCTIONS = new Set(["sign", "tanh", "erf", "sin"]);
const EVEN_FUNCTIONS = new Set(["abs", "cos"]);

const mulParity = (a: Parity, b: Parity): Parity => (a === "none" || b === "none" ? "none" : a === b ? "even" : "odd");

/**
 * Symbolic parity of e under z_i -> -z_i for every i in `flipped` (all variables when omitted).
 * "none" means "not proved", not "proved neither".
 */
export function symbolicParity(e: Expr, flipped?: ReadonlySet<number>): Parity {
  const p = (x: Expr) => symbolicParity(x, flipped);
  switch (e.op) {
    case "num": return "even";
    case "var": return !flipped || flipped.has(e.index) ? "odd" : "even";
    case "neg": return p(e.arg);
    case "add": case "sub": {
      const a = p(e.left), b = p(e.right);
      return a === b ? a : "none";
    }
    case "mul": case "div": return mulParity(p(e.left), p(e.right));
    case "pow": {
      const b = p(e.base);
      if (b === "even") return "even";
      if (b === "odd" && Number.isInteger(e.exponent)) return e.exponent % 2 === 0 ? "even" : "odd";
      return "none";
    }
    case "he": {
      const a = p(e.arg);
      if (a === "even") return "even";
      if (a === "odd") return e.order % 2 === 0 ? "even" : "odd";
      return "none";
    }
    case "call": {
      const a = p(e.arg);
      if (a === "even") return "even";
      if (a === "odd") return ODD_FUNCTIONS.has(e.fn) ? "odd" : EVEN_FUNCTIONS.has(e.fn) ? "even" : "none";
      return "none";
    }
    case "call2": {
      const a = p(e.left), b = p(e.right);
      return a === "even" && b === "even" ? "even" : "none";
    }
  }
}

/**
 * Expressions whose real zeros are (possible) non-smooth points of the link: arguments of relu, sign, abs, step,
 * sqrt, log; differences inside max/min; denominators and bases of non-integer or negative powers.
 */
export function kinkArguments(e: Expr): Expr[] {
  const out: Expr[] = [];
  for (const n of walk(e)) {
    if (n.op === "call" && ["relu", "sign", "abs", "step", "sqrt", "log"].includes(n.fn)) out.push(n.arg);
    else if (n.op === "call2") out.push({ op: "sub", left: n.left, right: n.right, col: n.col });
    else if (n.op === "div") out.push(n.right);
    else if (n.op === "pow" && !(Number.isInteger(n.exponent) && n.exponent >= 0)) out.push(n.base);
  }
  return out;
}

/** Whether the expression is smooth (C^infinity) wherever it is defined: no kinks, jumps or singular points. */
export function isSmooth(e: Expr): boolean {
  return kinkArguments(e).length === 0;
}

const ZERO = num(0), ONE = num(1);
const isZero = (e: Expr) => e.op === "num" && e.value === 0;
const isOne = (e: Expr) => e.op === "num" && e.value === 1;
const add = (a: Expr, b: Expr): Expr => (isZero(a) ? b : isZero(b) ? a : { op: "add", left: a, right: b, col: 0 });
const sub = (a: Expr, b: Expr): Expr => (isZero(b) ? a : isZero(a) ? neg(b) : { op: "sub", left: a, right: b, col: 0 });
const mul = (a: Expr, b: Expr): Expr => (isZero(a) || isZero(b) ? ZERO : isOne(a) ? b : isOne(b) ? a : { op: "mul", left: a, right: b, col: 0 });
const div = (a: Expr, b: Expr): Expr => (isZero(a) ? ZERO : { op: "div", left: a, right: b, col: 0 });
const neg = (a: Expr): Expr => (isZero(a) ? ZERO : { op: "neg", arg: a, col: 0 });
const call = (fn: Extract<Expr, { op: "call" }>["fn"], arg: Expr): Expr => ({ op: "call", fn, arg, col: 0 });
const pow = (base: Expr, exponent: number): Expr =>
  exponent === 0 ? ONE : exponent === 1 ? base : { op: "pow", base, exponent, exactExponent: null, col: 0 };

/** Derivative with respect to variable `i`, valid almost everywhere (jumps of sign and step contribute 0). */
export function derivative(e: Expr, i = 0): Expr {
  const d = (x: Expr) => derivative(x, i);
  switch (e.op) {
    case "num": return ZERO;
    case "var": return e.index === i ? ONE : ZERO;
    case "neg": return neg(d(e.arg));
    case "add": return add(d(e.left), d(e.right));
    case "sub": return sub(d(e.left), d(e.right));
    case "mul": return add(mul(d(e.left), e.right), mul(e.left, d(e.right)));
    case "div": return div(sub(mul(d(e.left), e.right), mul(e.left, d(e.right))), pow(e.right, 2));
    case "pow": return mul(mul(num(e.exponent), pow(e.base, e.exponent - 1)), d(e.base));
    case "he": return e.order === 0 ? ZERO : mul(mul(num(e.order), { op: "he", order: e.order - 1, arg: e.arg, col: 0 }), d(e.arg));
    case "call2": {
      const step = (x: Expr) => call("step", x);
      const diff = sub(e.left, e.right);
      const [wl, wr] = e.fn === "max" ? [step(diff), step(neg(diff))] : [step(neg(diff)), step(diff)];
      return add(mul(wl, d(e.left)), mul(wr, d(e.right)));
    }
    case "call": {
      const a = e.arg, da = d(e.arg);
      if (isZero(da)) return ZERO;
      let outer: Expr;
      switch (e.fn) {
        case "relu": outer = call("step", a); break;
        case "sign": case "step": return ZERO;
        case "abs": outer = call("sign", a); break;
        case "tanh": outer = sub(ONE, pow(e, 2)); break;
        case "sigmoid": outer = mul(e, sub(ONE, e)); break;
        case "erf": outer = mul(num(2 / Math.sqrt(Math.PI)), call("exp", neg(pow(a, 2)))); break;
        case "exp": outer = e; break;
        case "log": outer = div(ONE, a); break;
        case "sin": outer = call("cos", a); break;
        case "cos": outer = neg(call("sin", a)); break;
        case "sqrt": outer = div(num(0.5), e); break;
      }
      return mul(outer, da);
    }
  }
}

/** A range of real values: lo..hi, each end open (not attained) or closed. */
interface Range { readonly lo: number; readonly hi: number; readonly loOpen: boolean; readonly hiOpen: boolean }
const ANY: Range = { lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true };
const point = (v: number): Range => ({ lo: v, hi: v, loOpen: false, hiOpen: false });

/** Whether e is defined at every real point (no log, sqrt, division or negative / non-integer power in it). */
function total(e: Expr): boolean {
  for (const n of walk(e)) {
    if (n.op === "div") return false;
    if (n.op === "call" && (n.fn === "log" || n.fn === "sqrt")) return false;
    if (n.op === "pow" && !(Number.isInteger(n.exponent) && n.exponent >= 0)) return false;
  }
  return true;
}

/**
 * The mathematical range of a total expression over all real arguments (exact real arithmetic, not floating point):
 * sigmoid in (0, 1), exp in (0, inf), erf and tanh in (-1, 1), sin and cos in [-1, 1], abs, relu and even powers
 * >= 0, closed under +, -, negation, scaling by a constant, max and min; anything else is (-inf, inf).
 */
function mathematicalRange(e: Expr): Range {
  const r = mathematicalRange;
  switch (e.op) {
    case "num": return point(e.value);
    case "neg": { const a = r(e.arg); return { lo: -a.hi, hi: -a.lo, loOpen: a.hiOpen, hiOpen: a.loOpen }; }
    case "add": case "sub": {
      const a = r(e.left), b0 = r(e.right);
      const b = e.op === "add" ? b0 : { lo: -b0.hi, hi: -b0.lo, loOpen: b0.hiOpen, hiOpen: b0.loOpen };
      return { lo: a.lo + b.lo, hi: a.hi + b.hi, loOpen: a.loOpen || b.loOpen, hiOpen: a.hiOpen || b.hiOpen };
    }
    case "mul": {
      // a positive constant factor keeps the range (and its openness), scaled
      const [c, x] = e.left.op === "num" ? [e.left.value, e.right] : e.right.op === "num" ? [e.right.value, e.left] : [NaN, e];
      if (!(c > 0) || !Number.isFinite(c)) return ANY;
      const a = r(x);
      return { lo: a.lo * c, hi: a.hi * c, loOpen: a.loOpen, hiOpen: a.hiOpen };
    }
    case "pow": return Number.isInteger(e.exponent) && e.exponent > 0 && e.exponent % 2 === 0 ? { lo: 0, hi: Infinity, loOpen: false, hiOpen: true } : ANY;
    case "call2": {
      const a = r(e.left), b = r(e.right);
      if (e.fn === "max") {
        const lo = a.lo > b.lo || (a.lo === b.lo && a.loOpen) ? a : b, hi = a.hi > b.hi || (a.hi === b.hi && !a.hiOpen) ? a : b;
        return { lo: lo.lo, hi: hi.hi, loOpen: lo.loOpen, hiOpen: hi.hiOpen };
      }
      const lo = a.lo < b.lo || (a.lo === b.lo && !a.loOpen) ? a : b, hi = a.hi < b.hi || (a.hi === b.hi && a.hiOpen) ? a : b;
      return { lo: lo.lo, hi: hi.hi, loOpen: lo.loOpen, hiOpen: hi.hiOpen };
    }
    case "call":
      switch (e.fn) {
        case "sigmoid": return { lo: 0, hi: 1, loOpen: true, hiOpen: true };
        case "exp": return { lo: 0, hi: Infinity, loOpen: true, hiOpen: true };
        case "erf": case "tanh": return { lo: -1, hi: 1, loOpen: true, hiOpen: true };
        case "sin": case "cos": return { lo: -1, hi: 1, loOpen: false, hiOpen: false };
        case "abs": case "relu": return { lo: 0, hi: Infinity, loOpen: false, hiOpen: true };
        case "step": return { lo: 0, hi: 1, loOpen: false, hiOpen: false };
        case "sign": return { lo: -1, hi: 1, loOpen: false, hiOpen: false };
        default: return ANY;
      }
    default: return ANY;
  }
}

/** +1 when a total expression is > 0 at every real point, -1 when it is < 0 at every point, else 0. */
export function strictSign(e: Expr): number {
  if (!total(e)) return 0;
  const a = mathematicalRange(e);
  if (a.lo > 0 || (a.lo === 0 && a.loOpen)) return 1;
  if (a.hi < 0 || (a.hi === 0 && a.hiOpen)) return -1;
  return 0;
}

/**
 * step(u) and sign(u) of an argument u that is strictly positive (or negative) at every real point replaced by their
 * constant values: step(sigmoid(h)) = 1 and sign(1 + erf(h)) = 1 exactly, although sigmoid(h) underflows to 0 in
 * floating point where h < -745 (step(0) = 1/2 there: a jump of the evaluated f at no kink any scan sees). The
 * value is the mathematical one, and every route (compiled f, quadratures, oracles) evaluates the same function.
 * Other nodes are rebuilt only where a descendant changed.
 */
export function withConstantSigns(e: Expr): Expr {
  const w = withConstantSigns;
  switch (e.op) {
    case "num": case "var": return e;
    case "neg": { const a = w(e.arg); return a === e.arg ? e : { ...e, arg: a }; }
    case "pow": { const a = w(e.base); return a === e.base ? e : { ...e, base: a }; }
    case "he": { const a = w(e.arg); return a === e.arg ? e : { ...e, arg: a }; }
    case "add": case "sub": case "mul": case "div": case "call2": {
      const l = w(e.left), r = w(e.right);
      return l === e.left && r === e.right ? e : { ...e, left: l, right: r };
    }
    case "call": {
      const a = w(e.arg);
      if (e.fn === "step" || e.fn === "sign") {
        const s = strictSign(a);
        if (s !== 0) return num(e.fn === "sign" ? s : s > 0 ? 1 : 0, e.col);
      }
      return a === e.arg ? e : { ...e, arg: a };
    }
  }
}

/** Range of a total expression is inside [0, inf) (proved from its structure, see mathematicalRange). */
const nonNegative = (e: Expr) => total(e) && mathematicalRange(e).lo >= 0;
const isConstant = (e: Expr) => variablesOf(e).size === 0;

/**
 * +1 (-1) when a single-variable expression is a strictly increasing (decreasing) function of z^2 on the real line,
 * proved from its structure; 0 when that is not established (which does not mean false: z^2 + sin(z^2) is increasing).
 * Then Y = f(Z) determines Z^2. Base cases z^(2k) (k >= 1) and |z| = sqrt(z^2); closed under the strictly
 * increasing exp, tanh, erf, sigmoid, and sqrt, log, relu, |.| on arguments whose proved range is in [0, inf)
 * (log: a.s., since Z^2 > 0 a.s.); negation, adding a constant, scaling by a constant of proved sign; a constant power
 * p != 0 of an argument in [0, inf) (p < 0: in (0, inf)); the reciprocal of an argument of constant sign (c/x: x' and
 * -c/x^2 combine); a sum of two terms of the same direction; and a product of two nonnegative terms of the same
 * direction (f(s)g(s) <= f(s)g(t) < f(t)g(t) for s < t when both increase; likewise when both decrease).
 */
export function monotoneInSquare(e: Expr): -1 | 0 | 1 {
  const m = monotoneInSquare;
  const flip = (d: -1 | 0 | 1) => (-d || 0) as -1 | 0 | 1;
  const scaled = (sign: number, d: -1 | 0 | 1) => (sign > 0 ? d : sign < 0 ? flip(d) : 0);
  switch (e.op) {
    case "num": case "var": case "he": case "call2": return 0;
    case "neg": return flip(m(e.arg));
    case "pow": {
      if (e.base.op === "var") return Number.isInteger(e.exponent) && e.exponent >= 2 && e.exponent % 2 === 0 ? 1 : 0;
      const d = m(e.base);
      if (d === 0 || !nonNegative(e.base) || !Number.isFinite(e.exponent) || e.exponent === 0) return 0;
      return e.exponent > 0 ? d : strictSign(e.base) > 0 ? flip(d) : 0;
    }
    case "call":
      switch (e.fn) {
        case "abs": return e.arg.op === "var" ? 1 : nonNegative(e.arg) ? m(e.arg) : 0;
        case "exp": case "tanh": case "erf": case "sigmoid": return m(e.arg);
        case "sqrt": case "log": case "relu": return nonNegative(e.arg) ? m(e.arg) : 0;
        default: return 0;
      }
    case "add": case "sub": {
      const l = isConstant(e.left) ? null : m(e.left), r0 = isConstant(e.right) ? null : m(e.right);
      const r = r0 === null ? null : e.op === "sub" ? flip(r0) : r0;
      if (l === null) return r ?? 0;
      if (r === null) return l;
      return l === r ? l : 0;
    }
    case "mul": {
      if (isConstant(e.left)) return scaled(strictSign(e.left), m(e.right));
      if (isConstant(e.right)) return scaled(strictSign(e.right), m(e.left));
      const l = m(e.left), r = m(e.right);
      return l !== 0 && l === r && nonNegative(e.left) && nonNegative(e.right) ? l : 0;
    }
    case "div": {
      if (isConstant(e.right)) return scaled(strictSign(e.right), m(e.left));
      if (isConstant(e.left) && strictSign(e.right) !== 0) return scaled(-strictSign(e.left), m(e.right));
      return 0;
    }
  }
}
