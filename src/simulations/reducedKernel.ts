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
import type { ChiSquareSampler, Xoshiro128 } from "../numeric/xoshiro.js";
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

/** Mutable state of one run: overlap m, second layer a, steps taken t (written back by the kernel). */
export interface ChainState { m: number; a: number; t: number }

/** A compiled chain: advances `state` until escape (unless running to the budget), divergence or maxSteps. */
export type ReducedKernel = (
  state: ChainState, g: Xoshiro128, chi2: ChiSquareSampler, monitor: EscapeMonitor, P: KernelParameters, zxi: Float64Array, chi: Float64Array,
) => void;

const kernels = new Map<string, ReducedKernel>();

/**
 * The kernel of a problem, or null when its student has no expression (a hand-made activation: the generic loop then
 * runs). Kernels are cached by their generated source.
 */
export function reducedKernel(p: Problem, xiWeight: number): ReducedKernel | null {
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
return ${kernelBody(flags)};`;
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

function kernelBody(f: Flags): string {
  return `function chain(state, g, chi2, monitor, P, zxi, chi) {
  const gamma = P.gamma, tau = P.tau, flip = P.flip, etaA = P.etaA, etaInner = P.etaInner, innerSteps = P.innerSteps;
  const etaAlt = P.etaAlt, xiWeight = P.xiWeight, maxSteps = P.maxSteps;
  let m = state.m, a = state.a, t = 0, k = ${REDUCED_BLOCK};
  let thr = monitor.escapeStep === null ? P.threshold : Infinity;
  let nextTrace = monitor.nextTraceStep;
  while (t < maxSteps) {
    if (k === ${REDUCED_BLOCK}) { g.fillNormal(zxi); chi2.fill(g, chi); k = 0; }
    const z = zxi[2 * k], xi = zxi[2 * k + 1], r = chi[k];
    k++;
    const c = Math.sqrt(Math.max(0, 1 - m * m));
    let y = F(m * z + c * xi);
    ${f.noise ? "y += tau * g.normal();" : ""}
    ${f.flip ? "if (g.uniform() < flip) y = -y;" : ""}
    let s;
    {
      ${stepSource(f)}
    }
    const next = (m + s * xi * c) / Math.sqrt(1 + s * s * (${f.xi ? "xi * xi" : "xiWeight * xi * xi"} + r));
    t++;
    if (${f.trainA || f.variant === "alternating" ? `!Number.isFinite(next) || !Number.isFinite(a) || Math.abs(a) > ${DIVERGENCE_BOUND}` : "!(next - next === 0)"}) {
      monitor.diverge(!Number.isFinite(s) ? "non-finite gradient scalar at step " + t : "second layer blew up at step " + t);
      break;
    }
    m = next > 1 ? 1 : next < -1 ? -1 : next;
    const ov = ${f.abs ? "m < 0 ? -m : m" : "m"};
    if (ov >= thr || t >= nextTrace) {
      if (monitor.observe(t, ov)) break;
      nextTrace = monitor.nextTraceStep;
      if (monitor.escapeStep !== null) thr = Infinity;
    }
  }
  state.m = m; state.a = a; state.t = t;
}`;
}
