/**
 * Centred μP MLP of seed 004 (Atanasov, Meterez, Simon, Pehlevan, arXiv 2410.04642; setting read from the notes §3.5,
 * "author code read"): depth L (weight layers), width N, input x ~ N(0, I_d),
 *   h_1 = φ(W_1 x/√d),  h_l = φ(W_l h_{l−1}/√N) (l = 2..L−1),  net_θ(x) = (1/N) w_L · h_{L−1},
 *   f(x) = (net_θ(x) − net_θ0(x))/γ   (θ0 a frozen copy of the init),
 * all weights N(0, 1), trained by online SGD on fresh batches with learning rate lr = N·η (μP), loss ½(f − y)².
 * Two implementations of the same model: TensorFlow.js automatic differentiation (float32, backend as available) and
 * a plain float64 JavaScript reference with hand-written backpropagation (used where small γ needs float64, as the
 * correctness check of the autodiff gradients, and as the speed baseline of the benchmark).
 */
import { DIVERGENCE_BOUND } from "../simulations/divergence.js";
import { seededRng, type Rng } from "../numeric/xoshiro.js";
import type { BackendName } from "../tensors/backend.js";
import { AUTO_ORDER, createBackend } from "../tensors/select.js";

export interface MlpShape { readonly d: number; readonly N: number; readonly L: number }

export interface MlpParams { readonly W: Float64Array[] }

/** Weight shapes: W_1 N×d, W_l N×N (1 < l < L), w_L of length N. */
export function initMlp(shape: MlpShape, rng: Rng): MlpParams {
  if (shape.L < 2) throw new Error("the MLP needs L >= 2 weight layers");
  const W: Float64Array[] = [];
  for (let l = 0; l < shape.L; l++) {
    const size = l === 0 ? shape.N * shape.d : l === shape.L - 1 ? shape.N : shape.N * shape.N;
    const w = new Float64Array(size);
    for (let i = 0; i < size; i++) w[i] = rng.normal();
    W.push(w);
  }
  return { W };
}

const relu = (x: number) => (x > 0 ? x : 0);

/** net_θ(x) and, when `grad` is given, accumulates scale·∂net/∂θ into it (float64 backprop). */
export function netForward(shape: MlpShape, p: MlpParams, x: Float64Array, grad?: Float64Array[], scale = 1): number {
  const { d, N, L } = shape;
  const pre: Float64Array[] = [], act: Float64Array[] = [];
  let input = x, fanIn = d;
  for (let l = 0; l < L - 1; l++) {
    const W = p.W[l], z = new Float64Array(N), h = new Float64Array(N), c = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < N; i++) { let s = 0; for (let j = 0; j < fanIn; j++) s += W[i * fanIn + j] * input[j]; z[i] = s * c; h[i] = relu(z[i]); }
    pre.push(z); act.push(h); input = h; fanIn = N;
  }
  const wL = p.W[L - 1];
  let out = 0;
  for (let i = 0; i < N; i++) out += wL[i] * input[i];
  out /= N;
  if (!grad) return out;
  // backward
  let delta = new Float64Array(N);
  for (let i = 0; i < N; i++) { grad[L - 1][i] += (scale * input[i]) / N; delta[i] = (scale * wL[i]) / N; }
  for (let l = L - 2; l >= 0; l--) {
    const fin = l === 0 ? d : N, c = 1 / Math.sqrt(fin), below = l === 0 ? x : act[l - 1], W = p.W[l], g = grad[l];
    const dz = new Float64Array(N);
    for (let i = 0; i < N; i++) dz[i] = pre[l][i] > 0 ? delta[i] * c : 0;
    const next = new Float64Array(fin);
    for (let i = 0; i < N; i++) { const di = dz[i]; if (di === 0) continue; for (let j = 0; j < fin; j++) { g[i * fin + j] += di * below[j]; next[j] += di * W[i * fin + j]; } }
    delta = next;
  }
  return out;
}

export interface TrainOptions {
  readonly shape: MlpShape;
  readonly gamma: number;
  readonly eta: number;
  readonly steps: number;
  readonly batch: number;
  /** y = target(x_1) (the index direction is e_1, without loss of generality for isotropic inputs). */
  readonly target: (z: number) => number;
  readonly seed: number;
  /** Fixed test set size for the reported losses. */
  readonly testSize?: number;
  /** Steps at which the test loss is recorded. */
  readonly recordAt: readonly number[];
}

export interface TrainResult {
  readonly backend: string;
  /** Library, version and threads of the backend (TensorFlow.js runs: from loadTf; float64 reference: plain JS). */
  readonly backendDetail?: string;
  readonly diverged: boolean;
  readonly divergedAt: number | null;
  readonly testLoss: number[];
  readonly seconds: number;
}

function sampleBatch(rng: Rng, d: number, B: number, target: (z: number) => number): { X: Float64Array[]; y: Float64Array } {
  const X: Float64Array[] = [], y = new Float64Array(B);
  for (let b = 0; b < B; b++) { const x = new Float64Array(d); for (let j = 0; j < d; j++) x[j] = rng.normal(); X.push(x); y[b] = target(x[0]); }
  return { X, y };
}

const DIVERGED = DIVERGENCE_BOUND; // the one divergence rule (src/simulations/divergence.ts)

/** Plain float64 reference trainer. */
export function trainMlpJs(o: TrainOptions): TrainResult {
  const t0 = performance.now();
  const { shape, gamma, eta, steps, batch } = o;
  const rng = seededRng(o.seed);
  const p = initMlp(shape, rng), p0 = { W: p.W.map((w) => Float64Array.from(w)) };
  const test = sampleBatch(seededRng(o.seed + 1), shape.d, o.testSize ?? 256, o.target);
  const test0 = test.X.map((x) => netForward(shape, p0, x));
  const lr = shape.N * eta;
  const testLoss: number[] = [];
  let rec = 0;
  const evalLoss = () => { let s = 0; test.X.forEach((x, i) => { s += 0.5 * ((netForward(shape, p, x) - test0[i]) / gamma - test.y[i]) ** 2; }); return s / test.X.length; };
  const grad = p.W.map((w) => new Float64Array(w.length));
  for (let t = 0; t <= steps; t++) {
    while (rec < o.recordAt.length && o.recordAt[rec] <= t) {
      const l = evalLoss(); testLoss.push(l); rec++;
      if (!Number.isFinite(l) || l > DIVERGED) return { backend: "js-float64", diverged: true, divergedAt: t, testLoss, seconds: (performance.now() - t0) / 1000 };
    }
    if (t === steps) break;
    const { X, y } = sampleBatch(rng, shape.d, batch, o.target);
    for (const g of grad) g.fill(0);
    for (let b = 0; b < batch; b++) {
      // ∂/∂θ of ½(f − y)² = (f − y) ∂net/∂θ / γ; forward once for the residual, once more accumulating
      const f = (netForward(shape, p, X[b]) - netForward(shape, p0, X[b])) / gamma;
      const r = f - y[b];
      if (!Number.isFinite(r) || Math.abs(r) > DIVERGED) return { backend: "js-float64", diverged: true, divergedAt: t, testLoss, seconds: (performance.now() - t0) / 1000 };
      netForward(shape, p, X[b], grad, r / (gamma * batch));
    }
    for (let l = 0; l < p.W.length; l++) { const w = p.W[l], g = grad[l]; for (let i = 0; i < w.length; i++) w[i] -= lr * g[i]; }
  }
  return { backend: "js-float64", diverged: false, divergedAt: null, testLoss, seconds: (performance.now() - t0) / 1000 };
}

/** Mean-loss gradient of the float64 reference at θ = p (θ0 = p0) on a given batch (for the autodiff check). */
export function referenceGradient(shape: MlpShape, p: MlpParams, p0: MlpParams, gamma: number, X: Float64Array[], y: Float64Array): Float64Array[] {
  const grad = p.W.map((w) => new Float64Array(w.length));
  X.forEach((x, b) => {
    const r = (netForward(shape, p, x) - netForward(shape, p0, x)) / gamma - y[b];
    netForward(shape, p, x, grad, r / (gamma * X.length));
  });
  return grad;
}

// ---------------------------------------------------------------- TensorFlow.js

type Tf = typeof import("@tensorflow/tfjs");

/** TensorFlow.js loaded for automatic differentiation, with the backend as named by src/tensors/ (issue 7). */
export interface TfChoice {
  readonly tf: Tf;
  /** A BackendName of src/tensors/backend.ts (tfjs-node, tfjs-wasm), or "tfjs-cpu" when neither loads. */
  readonly backend: string;
  /** Library, version and threads, as the backend chooser reports them. */
  readonly detail: string;
  /** Backends tried first and why they were skipped (as in BackendChoice.skipped). */
  readonly skipped: { readonly name: string; readonly reason: string }[];
}

let tfPromise: Promise<TfChoice> | null = null;

/** Engine name that tf.getBackend() reports once each src/tensors tfjs backend is initialised. */
const TF_ENGINE: Partial<Record<BackendName, string>> = { "tfjs-node": "tensorflow", "tfjs-wasm": "wasm" };

/**
 * Load TensorFlow.js for autodiff on the fastest tfjs backend, chosen the way the batch simulators choose theirs:
 * src/tensors/select.ts `createBackend` in its AUTO_ORDER, restricted to the tfjs backends, because the chooser's
 * TensorBackend exposes only a matrix product and autodiff needs the tf module itself (onnx and js-cpu have no
 * autodiff). Initialising a tfjs backend there sets the global tfjs engine that the import below returns; the engine
 * actually in use is checked with tf.getBackend(). If no tfjs backend of the chooser loads, tfjs's own cpu kernels.
 * `prefer: "cpu"` skips the chooser (used by the float32 gradient check). The first call fixes the backend.
 */
export function loadTf(prefer: "wasm" | "cpu" = "wasm"): Promise<TfChoice> {
  if (!tfPromise) {
    tfPromise = (async () => {
      const skipped: { name: string; reason: string }[] = [];
      if (prefer === "wasm") {
        for (const name of AUTO_ORDER.filter((n) => TF_ENGINE[n] !== undefined)) {
          try {
            const chosen = await createBackend(name);
            const tf = await import("@tensorflow/tfjs");
            if (tf.getBackend() === TF_ENGINE[name]) return { tf, backend: chosen.name, detail: chosen.detail, skipped };
            skipped.push({ name, reason: `loaded, but the tfjs engine reports backend '${tf.getBackend()}'` });
          } catch (e) {
            skipped.push({ name, reason: (e instanceof Error ? e.message : String(e)).split("\n")[0]! });
          }
        }
      }
      const tf = await import("@tensorflow/tfjs");
      await tf.setBackend("cpu"); await tf.ready();
      return { tf, backend: "tfjs-cpu", detail: `@tensorflow/tfjs ${tf.version.tfjs} cpu kernels (plain JavaScript)`, skipped };
    })();
  }
  return tfPromise;
}

/** The same model and update, differentiated by TensorFlow.js (float32). */
export async function trainMlpTf(o: TrainOptions, prefer: "wasm" | "cpu" = "wasm"): Promise<TrainResult> {
  const { tf, backend, detail } = await loadTf(prefer);
  const t0 = performance.now();
  const { shape, gamma, eta, steps, batch } = o;
  const rng = seededRng(o.seed);
  const init = initMlp(shape, rng);
  const shapes = init.W.map((_, l) => (l === 0 ? [shape.N, shape.d] : l === shape.L - 1 ? [shape.N, 1] : [shape.N, shape.N]));
  const vars = init.W.map((w, l) => tf.variable(tf.tensor(Float32Array.from(w), shapes[l] as [number, number])));
  const frozen = init.W.map((w, l) => tf.tensor(Float32Array.from(w), shapes[l] as [number, number]));
  const net = (W: import("@tensorflow/tfjs").Tensor2D[], X: import("@tensorflow/tfjs").Tensor2D) => {
    let h: import("@tensorflow/tfjs").Tensor2D = X, fanIn = shape.d;
    for (let l = 0; l < shape.L - 1; l++) { h = tf.relu<import("@tensorflow/tfjs").Tensor2D>(tf.matMul(h, W[l], false, true).div(Math.sqrt(fanIn)) as import("@tensorflow/tfjs").Tensor2D); fanIn = shape.N; }
    return tf.matMul(h, W[shape.L - 1]).div(shape.N).squeeze([1]);
  };
  const test = sampleBatch(seededRng(o.seed + 1), shape.d, o.testSize ?? 256, o.target);
  const Xt = tf.tensor2d(test.X.flatMap((x) => [...x]), [test.X.length, shape.d]), yt = tf.tensor1d(Array.from(test.y));
  const net0t = tf.tidy(() => net(frozen as never, Xt));
  const opt = tf.train.sgd(shape.N * eta);
  const testLoss: number[] = [];
  let rec = 0, diverged = false, divergedAt: number | null = null;
  try {
    for (let t = 0; t <= steps; t++) {
      while (rec < o.recordAt.length && o.recordAt[rec] <= t) {
        const l = tf.tidy(() => net(vars as never, Xt).sub(net0t).div(gamma).sub(yt).square().mean().mul(0.5).dataSync()[0]);
        testLoss.push(l); rec++;
        if (!Number.isFinite(l) || l > DIVERGED) { diverged = true; divergedAt = t; break; }
      }
      if (diverged || t === steps) break;
      const { X, y } = sampleBatch(rng, shape.d, batch, o.target);
      tf.tidy(() => {
        const Xb = tf.tensor2d(X.flatMap((x) => [...x]), [batch, shape.d]), yb = tf.tensor1d(Array.from(y));
        const n0 = net(frozen as never, Xb);
        opt.minimize(() => net(vars as never, Xb).sub(n0).div(gamma).sub(yb).square().mean().mul(0.5) as import("@tensorflow/tfjs").Scalar, false, vars);
      });
    }
  } finally {
    vars.forEach((v) => v.dispose()); frozen.forEach((v) => v.dispose()); Xt.dispose(); yt.dispose(); net0t.dispose(); opt.dispose();
  }
  return { backend: `${backend} (float32)`, backendDetail: detail, diverged, divergedAt, testLoss, seconds: (performance.now() - t0) / 1000 };
}

/** Gradient of the mean loss by TensorFlow.js autodiff, for the check against the float64 reference. */
export async function autodiffGradient(shape: MlpShape, p: MlpParams, p0: MlpParams, gamma: number, X: Float64Array[], y: Float64Array): Promise<Float64Array[]> {
  const { tf } = await loadTf("cpu");
  const shapes = p.W.map((_, l) => (l === 0 ? [shape.N, shape.d] : l === shape.L - 1 ? [shape.N, 1] : [shape.N, shape.N]));
  const out: Float64Array[] = [];
  tf.tidy(() => {
    const W = p.W.map((w, l) => tf.tensor(Float32Array.from(w), shapes[l] as [number, number]));
    const W0 = p0.W.map((w, l) => tf.tensor(Float32Array.from(w), shapes[l] as [number, number]));
    const Xb = tf.tensor2d(X.flatMap((x) => [...x]), [X.length, shape.d]), yb = tf.tensor1d(Array.from(y));
    const net = (Ws: import("@tensorflow/tfjs").Tensor[]) => {
      let h = Xb as import("@tensorflow/tfjs").Tensor2D, fanIn = shape.d;
      for (let l = 0; l < shape.L - 1; l++) { h = tf.relu<import("@tensorflow/tfjs").Tensor2D>(tf.matMul(h, Ws[l] as import("@tensorflow/tfjs").Tensor2D, false, true).div(Math.sqrt(fanIn)) as import("@tensorflow/tfjs").Tensor2D); fanIn = shape.N; }
      return tf.matMul(h, Ws[shape.L - 1] as import("@tensorflow/tfjs").Tensor2D).div(shape.N).squeeze([1]);
    };
    const n0 = net(W0);
    const g = tf.grads((...Ws: import("@tensorflow/tfjs").Tensor[]) => net(Ws).sub(n0).div(gamma).sub(yb).square().mean().mul(0.5))(W);
    for (const t of g) out.push(Float64Array.from(t.dataSync()));
  });
  return out;
}
