/**
 * The fast paths of the reduced chain's draws (`ReducedChainDraws` in xoshiro.ts) in WebAssembly: xoshiro128** words,
 * one-word ziggurat normals and the Marsaglia-Tsang chi-square candidates accepted by their byte, for one block at a
 * time. Every operation is the one the JavaScript loop performs (32-bit integer arithmetic, the same IEEE double
 * products and comparisons in the same order; the wedge test's decisions are Math.exp's, see `slowFunc`), so the draws
 * are bitwise those of the JavaScript path (test/simulations/rng.test.ts); the wedge test of the candidates that fail
 * their rectangle test (2.8% of normals) runs in the module too, and it returns to JavaScript only for the tail beyond
 * the ziggurat's base layer and for the chi-square candidates their bytes leave undecided. Measured (shared 2-core machine, same run): a block of 256 steps' draws in 12.9 ns a step
 * against 19.6 for the JavaScript loop (1.5x), and the lockstep chain 1.24-1.39x faster in steps per CPU-second
 * (bench/issue18.ts prints the ratio). The lanes' buffers are slots of the module's memory (`acquire`), written in place.
 *
 * The module is assembled here from its instructions (no toolchain, no binary in the repository): `assemble` below
 * writes the binary format of the WebAssembly 1.0 core specification for the handful of instructions used.
 */

/** Capacity of the module's output buffers, in steps (>= REDUCED_BLOCK). */
export const WASM_DRAW_CAPACITY = 1024;

// memory layout (bytes)
const STATE = 0; // 4 x i32: xoshiro128** state
const WORD = 16; // i32: the word of a candidate that failed its rectangle test
const UNDECIDED = 20; // i32: number of chi-square slots left undecided (marked NaN)
const ZW_AT = 64; // 128 x f64
const ZX_AT = ZW_AT + 128 * 8; // 129 x f64
const ZF_AT = ZX_AT + 129 * 8; // 129 x f64
const POW2_AT = ZF_AT + 129 * 8; // 2^-j, j = 0..16
const LINES_AT = POW2_AT + 17 * 8; // 4 x 128 f64: the wedge squeeze lines of each layer (wedgeLines)
const LA_AT = LINES_AT, LB_AT = LINES_AT + 1024, UA_AT = LINES_AT + 2048, UB_AT = LINES_AT + 3072;
const OUT_AT = 8192; // the first output buffer; then the others, WASM_DRAW_CAPACITY x 8 bytes each
/** Steps a slot holds (REDUCED_BLOCK). */
export const WASM_SLOT = 256;
/** Slots of the pool: lanes of lockstep kernels and generic loops alive at once in one thread. */
const SLOTS = 64;
/** One slot: views of its three buffers, their byte offsets, and its release. */
export interface WasmSlot {
  readonly zs: Float64Array;
  readonly xis: Float64Array;
  readonly rs: Float64Array;
  readonly zAt: number;
  readonly xiAt: number;
  readonly rAt: number;
  release(): void;
}
/** Byte offsets of the output buffers: normals (z or xi), chi-square values, candidates, acceptance bytes. */
export const WASM_BUFFERS = {
  a: OUT_AT,
  b: OUT_AT + 8 * WASM_DRAW_CAPACITY,
  r: OUT_AT + 16 * WASM_DRAW_CAPACITY,
  x: OUT_AT + 24 * WASM_DRAW_CAPACITY,
  bytes: OUT_AT + 32 * WASM_DRAW_CAPACITY,
} as const;
/** i32 list of the undecided chi-square slots, in increasing order (UNDECIDED of them). */
export const UNDECIDED_LIST = OUT_AT + 33 * WASM_DRAW_CAPACITY;
const SLOTS_AT = UNDECIDED_LIST + 4 * WASM_DRAW_CAPACITY + 4096;
const MEMORY_BYTES = SLOTS_AT + SLOTS * 3 * 8 * WASM_SLOT;

// ---- a minimal assembler for the WebAssembly binary format ----
type Code = (number | Code)[];
const flat = (c: Code): number[] => c.flatMap((x) => (typeof x === "number" ? [x] : flat(x)));
function uleb(n: number): number[] {
  const out: number[] = [];
  do { let b = n & 127; n >>>= 7; if (n) b |= 128; out.push(b); } while (n);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 127; n >>= 7;
    if ((n === 0 && !(b & 64)) || (n === -1 && b & 64)) { out.push(b); return out; }
    out.push(b | 128);
  }
}
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const I32 = 0x7f, F64 = 0x7c;

// instructions
const get = (i: number): Code => [0x20, ...uleb(i)];
const set = (i: number): Code => [0x21, ...uleb(i)];
const tee = (i: number): Code => [0x22, ...uleb(i)];
const i32 = (v: number): Code => [0x41, ...sleb(v | 0)];
const f64c = (v: number): Code => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)];
const memarg = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];
const f64load = (offset = 0): Code => [0x2b, ...memarg(3, offset)];
const f64store = (offset = 0): Code => [0x39, ...memarg(3, offset)];
const i32load = (offset = 0): Code => [0x28, ...memarg(2, offset)];
const i32store = (offset = 0): Code => [0x36, ...memarg(2, offset)];
const i32load8u = (offset = 0): Code => [0x2d, ...memarg(0, offset)];
const op = {
  i32eqz: 0x45, i32ne: 0x47, i32ltu: 0x49, i32geu: 0x4f, i32ges: 0x4e,
  i32add: 0x6a, i32sub: 0x6b, i32mul: 0x6c, i32and: 0x71, i32or: 0x72, i32xor: 0x73, i32shl: 0x74, i32shru: 0x76, i32rotl: 0x77,
  f64lt: 0x63, f64add: 0xa0, f64mul: 0xa2, f64fromU32: 0xb8, f64fromS32: 0xb7,
} as const;
const block = (...body: Code): Code => [0x02, 0x40, ...body, 0x0b];
const loop = (...body: Code): Code => [0x03, 0x40, ...body, 0x0b];
const iff = (cond: Code, then: Code, otherwise?: Code): Code => [...cond, 0x04, 0x40, ...then, ...(otherwise ? [0x05, ...otherwise] : []), 0x0b];
const call = (f: number): Code => [0x10, ...uleb(f)];
const f64ne = 0x62, f64gt = 0x64, f64sub = 0xa1, f64nearest = 0x9e, i32truncF64 = 0xaa;
const br = (depth: number): Code => [0x0c, ...uleb(depth)];
const brIf = (depth: number): Code => [0x0d, ...uleb(depth)];
const ret: Code = [0x0f];

interface Func { params: number[]; results: number[]; locals: number[]; body: Code }
/** Imported functions (module "m"), then the defined ones; a function's index is its position in that order. */
interface Import { name: string; params: number[]; results: number[] }
function assemble(imports: Import[], funcs: Record<string, Func>): Uint8Array {
  const names = Object.keys(funcs);
  const sig = (f: { params: number[]; results: number[] }) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))];
  const types = [...imports.map(sig), ...names.map((n) => sig(funcs[n]!))];
  const bodies = names.map((n) => {
    const f = funcs[n]!;
    const body = [...vec(f.locals.map((t) => [1, t])), ...flat(f.body), 0x0b];
    return [...uleb(body.length), ...body];
  });
  const pages = Math.ceil(MEMORY_BYTES / 65536);
  const str = (s: string) => vec([...s].map((c) => [c.charCodeAt(0)]));
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports.map((im, i) => [...str("m"), ...str(im.name), 0x00, ...uleb(i)]))),
    ...section(3, vec(names.map((_, i) => uleb(imports.length + i)))),
    ...section(5, vec([[0x01, ...uleb(pages), ...uleb(pages)]])),
    ...section(7, vec([[...str("mem"), 0x02, 0x00], ...names.map((n, i) => [...str(n), 0x00, ...uleb(imports.length + i)])])),
    ...section(10, vec(bodies)),
  ];
  return new Uint8Array(bytes);
}

// ---- the draws ----
// locals shared by the functions: 0.. params, then s0..s3, w, t, i, x (f64)
/** Load the state into locals s0..s3. */
const loadState = (s: number): Code => [0, 1, 2, 3].map((j) => [...i32(0), ...i32load(STATE + 4 * j), ...set(s + j)]);
const storeState = (s: number): Code => [0, 1, 2, 3].map((j) => [...i32(0), ...get(s + j), ...i32store(STATE + 4 * j)]);
/** w <- xoshiro128** output of the state in s0..s3, and advance the state (the operations of xoshiro.ts, in order). */
function nextWord(s: number, w: number, t: number): Code {
  const [s0, s1, s2, s3] = [s, s + 1, s + 2, s + 3];
  return [
    ...get(s1), ...i32(5), op.i32mul, ...i32(7), op.i32rotl, ...i32(9), op.i32mul, ...set(w),
    ...get(s1), ...i32(9), op.i32shl, ...set(t),
    ...get(s2), ...get(s0), op.i32xor, ...set(s2),
    ...get(s3), ...get(s1), op.i32xor, ...set(s3),
    ...get(s1), ...get(s2), op.i32xor, ...set(s1),
    ...get(s0), ...get(s3), op.i32xor, ...set(s0),
    ...get(s2), ...get(t), op.i32xor, ...set(s2),
    ...get(s3), ...i32(11), op.i32rotl, ...set(s3),
  ];
}
/** i <- w & 127; x <- (w >>> 8) ZW[i]; leaves on the stack whether x < ZX[i + 1] (the rectangle test). */
function candidate(w: number, i: number, x: number): Code {
  return [
    ...get(w), ...i32(127), op.i32and, ...i32(3), op.i32shl, ...set(i), // i <- 8 (w & 127), a byte offset
    ...get(w), ...i32(8), op.i32shru, op.f64fromU32, ...get(i), ...f64load(ZW_AT), op.f64mul, ...tee(x),
    ...get(i), ...f64load(ZX_AT + 8), op.f64lt,
  ];
}
/** the sign 1 - ((w >>> 6) & 2) as a double. */
const sign = (w: number): Code => [...i32(1), ...get(w), ...i32(6), op.i32shru, ...i32(2), op.i32and, op.i32sub, op.f64fromS32];

const EXP = 0, SLOW = 1;
/** i <- 8 (w & 127), x <- (w >>> 8) ZW[i], sg <- the sign of w as a double. */
const unpack = (w: number, i: number, x: number, sg: number): Code => [
  ...get(w), ...i32(127), op.i32and, ...i32(3), op.i32shl, ...set(i),
  ...get(w), ...i32(8), op.i32shru, op.f64fromU32, ...get(i), ...f64load(ZW_AT), op.f64mul, ...set(x),
  ...sign(w), ...set(sg),
];

/**
 * e <- exp(a) for -6 < a <= 0 to within a few ulps: a = k ln 2 + r, |r| <= ln(2)/2, exp(r) by its Taylor series to r^13
 * (remainder < 1e-17), times 2^k from a table. Only a squeeze: the decisions are those of Math.exp (EXP_MARGIN below).
 */
function approxExp(a: number, e: number, kf: number): Code {
  const taylor: Code = [];
  // Horner: 1 + r (1 + r (1/2 + r (1/6 + ... r / 13!)))
  const coef: number[] = [];
  let f = 1;
  for (let j = 0; j <= 13; j++) { if (j > 0) f *= j; coef.push(1 / f); }
  taylor.push(...f64c(coef[13]!));
  for (let j = 12; j >= 0; j--) taylor.push(...get(e), op.f64mul, ...f64c(coef[j]!), op.f64add);
  return [
    ...get(a), ...f64c(1.4426950408889634), op.f64mul, f64nearest, ...set(kf),
    ...get(a), ...get(kf), ...f64c(0.6931471805599453), op.f64mul, f64sub, ...set(e), // e <- r
    ...taylor, // exp(r) (r read from e before it is overwritten)
    ...get(kf), ...f64c(-8), op.f64mul, i32truncF64, ...f64load(POW2_AT), op.f64mul, ...set(e),
  ];
}
/**
 * Half-width of the band around the approximate exp in which Math.exp decides: the approximation's error (a few ulps
 * of a number <= 1, < 1e-15) plus Math.exp's (< 1 ulp) is far below it, so outside the band the comparison with the
 * approximation has the outcome of the comparison with Math.exp.
 */
const EXP_MARGIN = 1e-12;

/**
 * Lines a + b x below and above f(x) = exp(-x^2/2) on the wedge [ZX[i+1], ZX[i]] of each layer i >= 1, widened by
 * EXP_MARGIN: where f is concave (x <= 1) the chord is below f and the tangent at the midpoint above it, where f is
 * convex (x >= 1) the other way round; the layer that straddles x = 1 gets the constant bounds ZF[i], ZF[i+1]. The
 * margin (1e-12) dwarfs the rounding of a + b x, of -x^2/2 and of Math.exp (< 1e-15), so y below the lower line is
 * below Math.exp(-0.5 x x) and y above the upper line above it: the squeeze decides as the exact test does.
 */
export function wedgeLines(zx: Float64Array, zf: Float64Array): Float64Array {
  const t = new Float64Array(512);
  for (let i = 1; i < 128; i++) {
    const xl = zx[i + 1]!, xr = zx[i]!, fl = zf[i + 1]!, fr = zf[i]!;
    const sc = (fr - fl) / (xr - xl), chord = [fl - xl * sc, sc];
    const xm = (xl + xr) / 2, fm = Math.exp(-0.5 * xm * xm), tangent = [fm * (1 + xm * xm), -fm * xm];
    const [lo, hi] = xr <= 1 ? [chord, tangent] : xl >= 1 ? [tangent, chord] : [[fr, 0], [fl, 0]];
    t[i] = lo[0]! - EXP_MARGIN; t[128 + i] = lo[1]!;
    t[256 + i] = hi[0]! + EXP_MARGIN; t[384 + i] = hi[1]!;
  }
  return t;
}

/**
 * slow(w): the ziggurat's slow path (`oneWordNormalRejected` of xoshiro.ts) for the candidate of word w, which failed
 * its rectangle test, with the state in memory: the wedge test y < exp(-x^2/2) (decided by the layer's squeeze lines
 * (wedgeLines) for about 92% of the points, else by a close approximation of exp when y is not within EXP_MARGIN of
 * it, else by Math.exp, imported: the same decisions as the JavaScript loop)
 * and fresh one-word candidates, until one is accepted (returned) or one of the base layer fails its rectangle test:
 * then its word is left at WORD and NaN is returned (the tail is drawn in JavaScript).
 */
function slowFunc(): Func {
  const w = 0, s = 1, t = 5, i = 6, x = 7, sg = 8, u = 9, y = 10, a = 11, e = 12, kf = 13, acc = 14;
  return {
    params: [I32], results: [F64], locals: [I32, I32, I32, I32, I32, I32, F64, F64, I32, F64, F64, F64, F64, I32],
    body: [
      ...loadState(s),
      ...unpack(w, i, x, sg),
      ...loop(
        ...iff([...get(i), op.i32eqz], [...storeState(s), ...i32(0), ...get(w), ...i32store(WORD), ...f64c(NaN), ...ret]),
        ...nextWord(s, u, t),
        // y = fLo + U (fHi - fLo), U = (u + 0.5) 2^-32; a = -0.5 x x
        ...get(i), ...f64load(ZF_AT),
        ...get(u), op.f64fromU32, ...f64c(0.5), op.f64add, ...f64c(2.3283064365386963e-10), op.f64mul,
        ...get(i), ...f64load(ZF_AT + 8), ...get(i), ...f64load(ZF_AT), f64sub, op.f64mul, op.f64add, ...set(y),
        // y below the layer's lower line: accepted; above its upper line: rejected; else by exp
        ...get(y), ...get(i), ...f64load(LA_AT), ...get(i), ...f64load(LB_AT), ...get(x), op.f64mul, op.f64add, op.f64lt, ...set(acc),
        ...iff([...get(acc), op.i32eqz, ...get(y), ...get(i), ...f64load(UA_AT), ...get(i), ...f64load(UB_AT), ...get(x), op.f64mul, op.f64add, f64gt, op.i32eqz, op.i32and], [
          ...f64c(-0.5), ...get(x), op.f64mul, ...get(x), op.f64mul, ...set(a),
          ...approxExp(a, e, kf),
          ...get(y), ...get(e), ...f64c(EXP_MARGIN), f64sub, op.f64lt, ...set(acc),
          ...iff([...get(acc), op.i32eqz, ...get(y), ...get(e), ...f64c(EXP_MARGIN), op.f64add, f64gt, op.i32eqz, op.i32and],
            [...get(y), ...get(a), ...call(EXP), op.f64lt, ...set(acc)]),
        ]),
        ...iff(get(acc), [...storeState(s), ...get(sg), ...get(x), op.f64mul, ...ret]),
        ...nextWord(s, w, t),
        ...unpack(w, i, x, sg),
        ...iff([...get(x), ...get(i), ...f64load(ZX_AT + 8), op.f64lt], [...storeState(s), ...get(sg), ...get(x), op.f64mul, ...ret]),
        ...br(0),
      ),
      ...f64c(NaN),
    ],
  };
}

/**
 * normals(out, k, n): one-word normals into the f64 buffer at byte offset out, slots k..n-1; returns the first slot
 * whose candidate failed its rectangle test (its word at WORD, the state already past it), or n.
 */
function normalsFunc(): Func {
  const out = 0, k = 1, n = 2, s = 3, w = 7, t = 8, i = 9, x = 10;
  return {
    params: [I32, I32, I32], results: [I32], locals: [I32, I32, I32, I32, I32, I32, I32, F64],
    body: [
      ...loadState(s),
      ...block(loop(
        ...get(k), ...get(n), op.i32geu, ...brIf(1),
        ...nextWord(s, w, t),
        ...iff(candidate(w, i, x),
          [...get(x), ...sign(w), op.f64mul, ...set(x)],
          [...storeState(s), ...get(w), ...call(SLOW), ...tee(x), ...get(x), f64ne, ...iff([], [...get(k), ...ret]), ...loadState(s)]),
        ...get(out), ...get(k), ...i32(3), op.i32shl, op.i32add, ...get(x), ...f64store(),
        ...get(k), ...i32(1), op.i32add, ...set(k),
        ...br(0),
      )),
      ...storeState(s), ...get(n),
    ],
  };
}

/** words(out, n): n raw words into the i32 buffer at byte offset out. */
function wordsFunc(): Func {
  const out = 0, n = 1, s = 2, w = 6, t = 7, k = 8;
  return {
    params: [I32, I32], results: [], locals: [I32, I32, I32, I32, I32, I32, I32],
    body: [
      ...loadState(s),
      ...block(loop(
        ...get(k), ...get(n), op.i32geu, ...brIf(1),
        ...nextWord(s, w, t),
        ...get(out), ...get(k), ...i32(2), op.i32shl, op.i32add, ...get(w), ...i32store(),
        ...get(k), ...i32(1), op.i32add, ...set(k),
        ...br(0),
      )),
      ...storeState(s),
    ],
  };
}

/**
 * chi(k, n, lim, a0, a1, a2, a3, out): the chi-square slots k..n-1 (f64 buffer at byte offset out; candidates in x,
 * acceptance bytes in bytes): the one-word candidate normal x, accepted at once as a0 + x (a1 + x (a2 + x a3)) when its
 * byte is not 255 and x^2 < lim, else kept in x with R = NaN and listed in UNDECIDED_LIST (UNDECIDED counts them); returns the first slot whose
 * normal reached the base layer's tail (word at WORD), or n.
 */
function chiFunc(): Func {
  const k = 0, n = 1, lim = 2, a0 = 3, a1 = 4, a2 = 5, a3 = 6, out = 7, s = 8, w = 12, t = 13, i = 14, x = 15, o = 16;
  return {
    params: [I32, I32, F64, F64, F64, F64, F64, I32], results: [I32], locals: [I32, I32, I32, I32, I32, I32, I32, F64, I32],
    body: [
      ...loadState(s),
      ...block(loop(
        ...get(k), ...get(n), op.i32geu, ...brIf(1),
        ...nextWord(s, w, t),
        ...iff(candidate(w, i, x),
          [...get(x), ...sign(w), op.f64mul, ...set(x)],
          [...storeState(s), ...get(w), ...call(SLOW), ...tee(x), ...get(x), f64ne, ...iff([], [...get(k), ...ret]), ...loadState(s)]),
        ...get(k), ...i32(3), op.i32shl, ...set(o),
        ...iff(
          [...get(k), ...i32load8u(WASM_BUFFERS.bytes), ...i32(255), op.i32ne, ...get(x), ...get(x), op.f64mul, ...get(lim), op.f64lt, op.i32and],
          [...get(out), ...get(o), op.i32add, ...get(a0), ...get(x), ...get(a1), ...get(x), ...get(a2), ...get(x), ...get(a3), op.f64mul, op.f64add, op.f64mul, op.f64add, op.f64mul, op.f64add, ...f64store()],
          [
            ...get(o), ...get(x), ...f64store(WASM_BUFFERS.x),
            ...get(out), ...get(o), op.i32add, ...f64c(NaN), ...f64store(),
            ...i32(0), ...i32load(UNDECIDED), ...i32(2), op.i32shl, ...get(k), ...i32store(UNDECIDED_LIST),
            ...i32(0), ...i32(0), ...i32load(UNDECIDED), ...i32(1), op.i32add, ...i32store(UNDECIDED),
          ],
        ),
        ...get(k), ...i32(1), op.i32add, ...set(k),
        ...br(0),
      )),
      ...storeState(s), ...get(n),
    ],
  };
}

/** The instantiated module with typed views of its memory, or null where WebAssembly is not available. */
export interface WasmDraws {
  readonly normals: (out: number, k: number, n: number) => number;
  readonly words: (out: number, n: number) => void;
  readonly chi: (k: number, n: number, lim: number, a0: number, a1: number, a2: number, a3: number, out: number) => number;
  /**
   * A free slot of three WASM_SLOT-long f64 buffers (z, xi, R) for one `ReducedChainDraws` that writes its draws there
   * directly (returned to the pool by `release`, or when its owner is collected), or null when all are taken.
   */
  acquire(owner: object): WasmSlot | null;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly u8: Uint8Array;
  /** Views of length n of the buffers a (normals) and r (chi-square values), cached by n. */
  views(n: number): { readonly a: Float64Array; readonly r: Float64Array };
  readonly STATE: number;
  readonly WORD: number;
  readonly UNDECIDED: number;
}

let instance: WasmDraws | null | undefined;
let enabled = true;

/**
 * Whether `ReducedChainDraws.fill` uses the module (default true; the draws are the same either way): the benchmark
 * turns it off to time the JavaScript loop in the same run. Returns the previous setting.
 */
export function useWasmDraws(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
/** Whether the module is on and available. */
export function wasmDrawsActive(): boolean {
  return enabled && instance !== null;
}

/**
 * The draws module (instantiated once, synchronously), its ziggurat tables filled from `zw` (2^-24 ZX), `zx`, `zf`; null
 * when WebAssembly is missing or fails to instantiate (the JavaScript loop then runs: same draws).
 */
export function wasmDraws(zw: Float64Array, zx: Float64Array, zf: Float64Array): WasmDraws | null {
  if (instance !== undefined) return enabled ? instance : null;
  instance = null;
  if (typeof process !== "undefined" && process.env?.INDEX_LAB_NO_WASM === "1") return null;
  try {
    if (typeof WebAssembly !== "object") return null;
    const bytes = assemble([{ name: "exp", params: [F64], results: [F64] }], { slow: slowFunc(), normals: normalsFunc(), words: wordsFunc(), chi: chiFunc() });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { m: { exp: Math.exp } });
    const e = inst.exports as Record<string, unknown>;
    const mem = e.mem as WebAssembly.Memory;
    const f64 = new Float64Array(mem.buffer);
    const views = new Map<number, { a: Float64Array; r: Float64Array }>();
    f64.set(zw, ZW_AT / 8);
    f64.set(zx, ZX_AT / 8);
    f64.set(zf, ZF_AT / 8);
    for (let j = 0; j <= 16; j++) f64[POW2_AT / 8 + j] = 2 ** -j;
    f64.set(wedgeLines(zx, zf), LINES_AT / 8);
    const free: number[] = [];
    for (let j = SLOTS - 1; j >= 0; j--) free.push(j);
    const registry = new FinalizationRegistry<number>((j) => free.push(j));
    const slotViews = Array.from({ length: SLOTS }, (_, j) => {
      const at = SLOTS_AT + j * 3 * 8 * WASM_SLOT;
      return { zAt: at, xiAt: at + 8 * WASM_SLOT, rAt: at + 16 * WASM_SLOT,
        zs: new Float64Array(mem.buffer, at, WASM_SLOT), xis: new Float64Array(mem.buffer, at + 8 * WASM_SLOT, WASM_SLOT), rs: new Float64Array(mem.buffer, at + 16 * WASM_SLOT, WASM_SLOT) };
    });
    instance = {
      normals: e.normals as WasmDraws["normals"], words: e.words as WasmDraws["words"], chi: e.chi as WasmDraws["chi"],
      i32: new Int32Array(mem.buffer), f64, u8: new Uint8Array(mem.buffer), STATE, WORD, UNDECIDED,
      acquire(owner) {
        const j = free.pop();
        if (j === undefined) return null;
        const token = {};
        registry.register(owner, j, token);
        let held = true;
        return { ...slotViews[j]!, release: () => { if (held) { held = false; registry.unregister(token); free.push(j); } } };
      },
      views(n) {
        let v = views.get(n);
        if (!v) { v = { a: new Float64Array(mem.buffer, WASM_BUFFERS.a, n), r: new Float64Array(mem.buffer, WASM_BUFFERS.r, n) }; views.set(n, v); }
        return v;
      },
    };
  } catch {
    instance = null;
  }
  return enabled ? instance : null;
}
