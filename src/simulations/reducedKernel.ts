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

/** One step of lane j (its state in the locals m_j, a_j, t_j, k_j, thr_j, next_j of kernelBody). */
function laneStep(f: Flags, j: number): string {
  const stop = `stopped${j} = true; stop = true;`;
  return `{
      if (k${j} === ${REDUCED_BLOCK}) { dr${j}.fill(g${j}, zs${j}, xis${j}, rs${j}, ${REDUCED_BLOCK}); k${j} = 0; }
      const z = zs${j}[k${j}], xi = xis${j}[k${j}], r = rs${j}[k${j}];
      k${j}++;
      const m = m${j}, g = g${j};
      let a = a${j};
      const c = Math.sqrt(Math.max(0, 1 - m * m));
      let y = F(m * z + c * xi);
      ${f.noise ? "y += tau * g.normal();" : ""}
      ${f.flip ? "if (g.uniform() < flip) y = -y;" : ""}
      let s;
      {
        ${stepSource(f)}
      }
      const next = (m + s * xi * c) / Math.sqrt(1 + s * s * (${f.xi ? "xi * xi" : "xiWeight * xi * xi"} + r));
      t${j}++;
      if (${f.trainA || f.variant === "alternating" ? `!Number.isFinite(next) || !Number.isFinite(a) || Math.abs(a) > ${DIVERGENCE_BOUND}` : "!(next - next === 0)"}) {
        mon${j}.diverge(!Number.isFinite(s) ? "non-finite gradient scalar at step " + t${j} : "second layer blew up at step " + t${j});
        a${j} = a; ${stop}
      } else {
        a${j} = a;
        const mm = next > 1 ? 1 : next < -1 ? -1 : next;
        m${j} = mm;
        const ov = ${f.abs ? "mm < 0 ? -mm : mm" : "mm"};
        if (ov >= thr${j} || t${j} >= nextTrace${j}) {
          if (mon${j}.observe(t${j}, ov)) { ${stop} }
          nextTrace${j} = mon${j}.nextTraceStep;
          if (mon${j}.escapeStep !== null) thr${j} = Infinity;
        }
        if (t${j} >= maxSteps) { ${stop} }
      }
    }`;
}

function kernelBody(f: Flags, width: number): string {
  const lanes = Array.from({ length: width }, (_, j) => j);
  const load = lanes.map((j) => `const L${j} = lanes[${j}], g${j} = L${j}.g, dr${j} = L${j}.draws, mon${j} = L${j}.monitor, zs${j} = L${j}.zs, xis${j} = L${j}.xis, rs${j} = L${j}.rs;
  let m${j} = L${j}.m, a${j} = L${j}.a, t${j} = L${j}.t, k${j} = L${j}.k, stopped${j} = false;
  let thr${j} = mon${j}.escapeStep === null ? P.threshold : Infinity, nextTrace${j} = mon${j}.nextTraceStep;`).join("\n  ");
  const store = lanes.map((j) => `L${j}.m = m${j}; L${j}.a = a${j}; L${j}.t = t${j}; L${j}.k = k${j}; L${j}.stopped = stopped${j};`).join("\n  ");
  return `function chain(lanes, P) {
  const gamma = P.gamma, tau = P.tau, flip = P.flip, etaA = P.etaA, etaInner = P.etaInner, innerSteps = P.innerSteps;
  const etaAlt = P.etaAlt, xiWeight = P.xiWeight, maxSteps = P.maxSteps;
  ${load}
  let stop = false;
  while (!stop) {
    ${lanes.map((j) => laneStep(f, j)).join("\n    ")}
  }
  ${store}
}`;
}
