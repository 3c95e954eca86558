/**
 * Straight-line kernels of the reduced single-neuron chain (theory-notes §4.1): for one problem the link, the student
 * and its derivative are emitted from their checked expressions into one generated loop, specialised to the variant
 * (online, reuse, alternating), the loss, the label noise and the overlap convention, so the hot loop makes no
 * closure call and takes no variant branch. He_k(x) is emitted as the unrolled recurrence of `hermiteHe`, and every
 * other operation is the one the closures perform, in the same order: a kernel returns bitwise the trajectory of the
 * generic loop (`reducedChainReference` in reduced.ts; test/simulations/kernel.test.ts checks it), so the law for a
 * seed is the same whatever engine build, worker count or order runs it.
 *
 * The generated source is built only from the IR emitter of src/link/compile.ts (numeric literals, fixed names,
 * whitelisted runtime functions) and fixed fragments below: no user text reaches it.
 */
import { DIVERGENCE_BOUND } from "./divergence.js";
import { emit, hermiteStraightLine, R } from "../link/compile.js";
import type { ReducedChainDraws, Xoshiro128 } from "../numeric/xoshiro.js";
import type { EscapeMonitor, Problem } from "./model.js";

/** Steps whose (z, xi, R) are drawn per block (the block sampler of reduced.ts; never truncated at maxSteps). */
export const REDUCED_BLOCK = 256;

/**
 * 1/sqrt(1 + e2) for the normalisation of a step: the binomial series through e2^4 when e2 < 1e-4 (the remainder
 * is below 63/256 e2^5 < 2.5e-21, far under an ulp: a square root and a division fewer in the latency chain of a
 * step; e2 = s^2 (xi^2 + R) is O(d^-2) at verify's rates), else the square root. The kernels and the generic loop
 * (reduced.ts) evaluate the same expression, so they agree bit for bit.
 */
export const INV_SQRT_SERIES_BOUND = 1e-4;
export const INV_SQRT_SERIES = "1 + e2 * (-0.5 + e2 * (0.375 + e2 * (-0.3125 + e2 * 0.2734375)))";
export function invSqrt1p(e2: number): number {
  return e2 < INV_SQRT_SERIES_BOUND ? 1 + e2 * (-0.5 + e2 * (0.375 + e2 * (-0.3125 + e2 * 0.2734375))) : 1 / Math.sqrt(1 + e2);
}

/** The numbers a kernel reads once per run. */
export interface KernelParameters {
  readonly gamma: number;
  readonly tau: number;
  readonly flip: number;
  readonly etaA: number;
  readonly etaInner: number;
  readonly innerSteps: number;
  readonly etaAlt: number;
  readonly xiWeight: number;
  readonly maxSteps: number;
  readonly threshold: number;
}

/**
 * One run of the chain, as the kernels see it: overlap m, second layer a, steps taken t, position k in the current
 * block of draws, its stream and samplers, and `stopped` once it escaped (unless running to the budget), diverged or
 * used its budget. A kernel loads it into locals and writes it back when it returns, so a run can move between
 * kernels of different widths without changing a single draw.
 */
export interface Lane {
  m: number;
  a: number;
  t: number;
  k: number;
  stopped: boolean;
  readonly g: Xoshiro128;
  readonly draws: ReducedChainDraws;
  readonly monitor: EscapeMonitor;
  /** z, xi and R ~ chi^2 of the block's steps. */
  readonly zs: Float64Array;
  readonly xis: Float64Array;
  readonly rs: Float64Array;
}

/**
 * A compiled chain of width L: advances L runs in lockstep (one step of each per iteration, so that their
 * latency-bound updates (two square roots and a division per step) overlap in the CPU) until one of them stops.
 */
export type ReducedKernel = (lanes: readonly Lane[], P: KernelParameters) => void;

/** Lane counts a kernel is compiled for (the widest that fits the runs still going is used). */
export const KERNEL_WIDTHS = [4, 2, 1] as const;

const kernels = new Map<string, ReducedKernel>();

/**
 * The kernel of a problem for `width` runs in lockstep, or null when its student has no expression (a hand-made
 * activation: the generic loop then runs). Kernels are cached by their generated source.
 */
export function reducedKernel(p: Problem, xiWeight: number, width = 1): ReducedKernel | null {
  const s = p.student;
  if (!s.expr || !s.primeExpr || p.target.kind !== "single") return null;
  const orders = new Set<number>();
  const he = (order: number, arg: string) => { orders.add(order); return `He${order}(${arg})`; };
  const F = emit(p.target.expr, he), S = emit(s.expr, he), DS = emit(s.primeExpr, he);
  const square = p.loss === "square", trainA = p.etaSecondLayer > 0;
  const flags = { variant: p.variant.kind, square, trainA, noise: p.noiseSigma > 0, flip: p.flipProbability > 0, abs: p.overlap === "abs", xi: xiWeight === 1 };
  const helpers = [...orders].sort((x, y) => x - y).map((k) => `function He${k}(x){ ${hermiteStraightLine(k)} }`).join("\n");
  const source = `"use strict";
${helpers}
function F(v0){ return ${F}; }
function S(v0){ return ${S}; }
function DS(v0){ return ${DS}; }
return ${kernelBody(flags, width)};`;
  let k = kernels.get(source);
  if (!k) {
    k = new Function("R", source)(R) as ReducedKernel;
    kernels.set(source, k);
  }
  return k;
}

interface Flags {
  readonly variant: "online" | "reuse" | "alternating";
  readonly square: boolean;
  readonly trainA: boolean;
  readonly noise: boolean;
  readonly flip: boolean;
  readonly abs: boolean;
  /** xi^2 enters the normalisation with weight 1 (the exact chain); false only for the perturbed test chain. */
  readonly xi: boolean;
}

/** The step of each variant, as in reducedChainReference (same operations, same order). */
function stepSource(f: Flags): string {
  const res = (a: string, sz: string) => (f.square ? `(y - ${a} * ${sz})` : "y");
  if (f.variant === "online") {
    const sz = f.square || f.trainA ? "const sz = S(z);" : "";
    return `${sz}
      const res = ${f.square ? "y - a * sz" : "y"};
      s = gamma * res * a * DS(z);
      ${f.trainA ? "a += etaA * res * sz;" : ""}`;
  }
  if (f.variant === "reuse") {
    return `const x2 = z * z + xi * xi + r;
      let h = z;
      for (let j = 0; j < innerSteps; j++) {
        const res = ${f.square ? "y - a * S(h)" : "y"};
        h += etaInner * res * a * DS(h) * x2;
      }
      const res = ${f.square ? "y - a * S(h)" : "y"};
      s = gamma * res * a * DS(h);
      ${f.trainA ? `{ const sz = S(z); a += etaA * ${res("a", "sz")} * sz; }` : ""}`;
  }
  return `const sz = S(z);
      const at = a + etaAlt * ${res("a", "sz")} * sz;
      s = gamma * ${res("at", "sz")} * at * DS(z);
      ${f.trainA ? "a = at;" : ""}`;
}

/**
 * The arithmetic of one step of lane j at position k_j + i of its block (kernelBody's fast loop): the proposed overlap
 * goes to nx_j, and it is kept (m_j = nx_j) only when nothing is to be done at this step (finite, inside (lo_j, hi_j),
 * so neither clamped nor at the threshold, and a second layer within bounds); otherwise `bad` is set and the step's end
 * is left to laneEnd.
 */
function laneStep(f: Flags, j: number): string {
  const aCheck = f.trainA || f.variant === "alternating" ? ` && Math.abs(a) <= ${DIVERGENCE_BOUND}` : "";
  return `{
      const kk = k${j} + i;
      const z = zs${j}[kk], xi = xis${j}[kk], r = rs${j}[kk];
      const m = m${j}, g = g${j};
      let a = a${j};
      const c = Math.sqrt(1 - m * m); // |m| <= 1 (clamped), so 1 - m * m >= 0: the generic loop's max(0, .) is a no-op
      let y = F(m * z + c * xi);
      ${f.noise ? "y += tau * g.normal();" : ""}
      ${f.flip ? "if (g.uniform() < flip) y = -y;" : ""}
      let s;
      {
        ${stepSource(f)}
      }
      const e2 = s * s * (${f.xi ? "xi * xi" : "xiWeight * xi * xi"} + r);
      const next = (m + s * xi * c) * (e2 < ${INV_SQRT_SERIES_BOUND} ? ${INV_SQRT_SERIES} : 1 / Math.sqrt(1 + e2));
      nx${j} = next; s${j} = s; a${j} = a;
      if (next < hi${j} && next > lo${j}${aCheck}) m${j} = next; else bad = true;
    }`;
}

/**
 * The end of lane j's step t_j (already advanced), as in reducedChainReference: divergence, clamping, the escape
 * monitor at the threshold or a trace step, the step budget.
 */
function laneEnd(f: Flags, j: number): string {
  const stop = `stopped${j} = true; stop = true;`;
  return `{
      const next = nx${j}, s = s${j}, a = a${j};
      if (${f.trainA || f.variant === "alternating" ? `!Number.isFinite(next) || !Number.isFinite(a) || Math.abs(a) > ${DIVERGENCE_BOUND}` : "!(next - next === 0)"}) {
        mon${j}.diverge(!Number.isFinite(s) ? "non-finite gradient scalar at step " + t${j} : "second layer blew up at step " + t${j});
        ${stop}
      } else {
        const mm = next > 1 ? 1 : next < -1 ? -1 : next;
        m${j} = mm;
        const ov = ${f.abs ? "mm < 0 ? -mm : mm" : "mm"};
        if (ov >= thr${j} || t${j} >= nextTrace${j}) {
          if (mon${j}.observe(t${j}, ov)) { ${stop} }
          nextTrace${j} = mon${j}.nextTraceStep;
          if (mon${j}.escapeStep !== null) { thr${j} = Infinity; ${bounds(f, j)} }
        }
        if (t${j} >= maxSteps) { ${stop} }
      }
    }`;
}

/** (lo_j, hi_j): the open interval of proposed overlaps that need no action (neither clamped nor at the threshold). */
function bounds(f: Flags, j: number): string {
  return `hi${j} = thr${j} < 1 ? thr${j} : 1; lo${j} = ${f.abs ? `-hi${j}` : "-1"};`;
}

/**
 * The lockstep loop: per round, the lanes whose block of draws is used up draw the next; then a segment of n steps
 * (n: what is left of every lane's block, step budget and distance to its next trace step) runs with no per-step
 * bookkeeping but the range test of laneStep; the segment's last step, or the first at which a lane needs action,
 * ends in laneEnd for every lane (each lane took the same number of steps, as in one lane-by-lane step per round).
 */
function kernelBody(f: Flags, width: number): string {
  const lanes = Array.from({ length: width }, (_, j) => j);
  const B = REDUCED_BLOCK;
  const load = lanes.map((j) => `const L${j} = lanes[${j}], g${j} = L${j}.g, dr${j} = L${j}.draws, mon${j} = L${j}.monitor, zs${j} = L${j}.zs, xis${j} = L${j}.xis, rs${j} = L${j}.rs;
  let m${j} = L${j}.m, a${j} = L${j}.a, t${j} = L${j}.t, k${j} = L${j}.k, stopped${j} = false, nx${j} = 0, s${j} = 0, hi${j} = 1, lo${j} = -1;
  let thr${j} = mon${j}.escapeStep === null ? P.threshold : Infinity, nextTrace${j} = mon${j}.nextTraceStep;
  ${bounds(f, j)}`).join("\n  ");
  const store = lanes.map((j) => `L${j}.m = m${j}; L${j}.a = a${j}; L${j}.t = t${j}; L${j}.k = k${j}; L${j}.stopped = stopped${j};`).join("\n  ");
  const refill = lanes.map((j) => `if (k${j} === ${B}) { dr${j}.fill(g${j}, zs${j}, xis${j}, rs${j}, ${B}); k${j} = 0; }`).join("\n    ");
  const span = lanes.map((j) => `if (${B} - k${j} < n) n = ${B} - k${j};
    if (maxSteps - t${j} < n) n = maxSteps - t${j};
    if (nextTrace${j} - t${j} < n) n = nextTrace${j} - t${j};`).join("\n    ");
  const advance = lanes.map((j) => `t${j} += i + 1; k${j} += i + 1;`).join(" ");
  return `function chain(lanes, P) {
  const gamma = P.gamma, tau = P.tau, flip = P.flip, etaA = P.etaA, etaInner = P.etaInner, innerSteps = P.innerSteps;
  const etaAlt = P.etaAlt, xiWeight = P.xiWeight, maxSteps = P.maxSteps;
  ${load}
  let stop = false;
  while (!stop) {
    ${refill}
    let n = ${B};
    ${span}
    if (!(n >= 1)) n = 1;
    const last = n - 1;
    let i = 0, bad = false;
    for (;;) {
      ${lanes.map((j) => laneStep(f, j)).join("\n      ")}
      if (bad || i === last) break;
      i++;
    }
    ${advance}
    ${lanes.map((j) => laneEnd(f, j)).join("\n    ")}
  }
  ${store}
}`;
}
