/**
 * OpenBLAS backend: cblas_sgemm / cblas_dgemm of the system's OpenBLAS (Debian: `apt-get install libopenblas0-pthread`,
 * `npm run setup:blas`) called through the `koffi` FFI (an optional dependency that ships its prebuilt binaries in the
 * package: no build toolchain). The float32 buffers are passed to C as pointers, with no copy in or out: C is written
 * straight into the caller's scratch (MatmulOptions.out) or a fresh Float32Array.
 *
 * Optional twice over: when koffi does not resolve or no OpenBLAS library loads, `createOpenblasBackend` throws with
 * the reason and `chooseBackend("auto")` goes on to onnxruntime (then tfjs-wasm, js-cpu), recording why it skipped this
 * one. Only a library that exports `openblas_get_config` is accepted (not a reference BLAS that happens to be called
 * libblas), and its configuration, kernel (`openblas_get_corename`) and thread count go into `detail`, which every batch
 * result records beside the backend's name.
 *
 * Environment: `INDEX_LAB_OPENBLAS` names the library file to load (or `off` to disable this backend); OpenBLAS's own
 * variables (OPENBLAS_NUM_THREADS, OPENBLAS_CORETYPE, ...) are honoured as set. Two settings are chosen here when
 * unset: the thread count (openblas_set_num_threads: the available parallelism, like onnxruntime's intra-op threads)
 * and OPENBLAS_THREAD_TIMEOUT (put into the environment before the library is loaded, which reads it when it
 * initialises; see {@link THREAD_TIMEOUT}). The kernel is OpenBLAS's own choice unless `index-lab doctor --tune-blas`
 * measured another one faster on this CPU and library (src/tensors/openblasKernel.ts): then OPENBLAS_CORETYPE names it
 * while the library loads (and is restored after), and `detail` says that the kernel was tuned and on what evidence.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import type { MatmulOptions, TensorBackend } from "./backend.js";
import { productShape } from "./backend.js";
import { matrix, type Matrix } from "./matrix.js";
import { buildOf, describeTuning, readKernelTuning } from "./openblasKernel.js";

/** The part of koffi's API used here (koffi ships its own types; it is optional, so they are not imported). */
interface Koffi {
  load(path: string): { func(prototype: string): (...args: unknown[]) => unknown };
}

/** Library names and paths tried in order when INDEX_LAB_OPENBLAS is unset (dlopen's search path first). */
export const OPENBLAS_CANDIDATES: readonly string[] = [
  "libopenblas.so.0", "libopenblas.so",
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib64/libopenblas.so.0", "/usr/local/lib/libopenblas.so",
  "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib",
];

/**
 * OPENBLAS_THREAD_TIMEOUT set when unset: after a product OpenBLAS's worker threads spin for 2^N cycles before they
 * sleep (default N = 28, about 0.1 s), burning a core while the batch simulators do their JavaScript work between two
 * products; N = 22 (about 1.5 ms) keeps them awake across back-to-back products only.
 */
export const THREAD_TIMEOUT = "22";

// CBLAS enums
const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

type Sgemm = (order: number, ta: number, tb: number, m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number) => void;
type Dgemm = (order: number, ta: number, tb: number, m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, beta: number, c: Float64Array, ldc: number) => void;

/** How to find koffi and the library (the defaults read the environment; tests pass their own to simulate absence). */
export interface OpenblasOptions {
  /** Loads koffi (default: require("koffi") from this package). */
  readonly loadKoffi?: () => Koffi;
  /** Library files to try in order (default: INDEX_LAB_OPENBLAS, else {@link OPENBLAS_CANDIDATES}). */
  readonly libraries?: readonly string[];
  /** Threads (default: OPENBLAS_NUM_THREADS when set, else the available parallelism). */
  readonly threads?: number;
}

/** A Float32Array of `length` entries whose memory is not zero-filled (its contents are garbage until written). */
const uninitialised = (length: number) => new Float32Array(Buffer.allocUnsafeSlow(4 * length).buffer, 0, length);

/** The process holds one OpenBLAS (its thread pool and settings are global): loaded once, shared by every backend. */
let loaded: { lib: string; tuned: string | null; sgemm: Sgemm; dgemm: Dgemm; config: string; core: string; getThreads: () => number; setThreads: (n: number) => void } | null = null;

function requireKoffi(): Koffi {
  try {
    return createRequire(import.meta.url)("koffi") as Koffi;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    throw new Error(/Cannot find module/.test(msg) ? "the optional package koffi is not installed" : `koffi does not load: ${msg}`);
  }
}

function open(options: OpenblasOptions): NonNullable<typeof loaded> {
  const env = process.env.INDEX_LAB_OPENBLAS?.trim();
  const koffi = (options.loadKoffi ?? requireKoffi)();
  const candidates = options.libraries ?? (env ? [env] : OPENBLAS_CANDIDATES);
  // read by OpenBLAS when it initialises (at load): set only when the user has not
  if (process.env.OPENBLAS_THREAD_TIMEOUT === undefined) process.env.OPENBLAS_THREAD_TIMEOUT = THREAD_TIMEOUT;
  // the measured kernel (doctor --tune-blas), read by OpenBLAS at load like the variables above; the user's own wins
  const { tuning, note } = process.env.OPENBLAS_CORETYPE === undefined && !options.libraries ? readKernelTuning() : { tuning: null, note: null };
  const errors: string[] = [];
  for (const lib of candidates) {
    let handle: ReturnType<Koffi["load"]>;
    if (tuning?.kernel) process.env.OPENBLAS_CORETYPE = tuning.kernel;
    try { handle = koffi.load(lib); } catch { errors.push(lib); continue; } finally { if (tuning?.kernel) delete process.env.OPENBLAS_CORETYPE; }
    try {
      const config = (handle.func("const char *openblas_get_config(void)") as () => string)().trim();
      const core = (handle.func("const char *openblas_get_corename(void)") as () => string)().trim();
      const stale = !tuning ? "" : tuning.kernel && core.toLowerCase() !== tuning.kernel.toLowerCase() ? `; but OpenBLAS loaded ${core}, run doctor --tune-blas again`
        : tuning.config !== buildOf(config, core) ? `; measured with ${tuning.config}, run doctor --tune-blas again` : "";
      const tuned = tuning ? `tuned: ${describeTuning(tuning)}${stale}` : note;
      return {
        lib, tuned,
        sgemm: handle.func("void cblas_sgemm(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int)") as Sgemm,
        dgemm: handle.func("void cblas_dgemm(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int)") as Dgemm,
        config, core,
        getThreads: handle.func("int openblas_get_num_threads(void)") as () => number,
        setThreads: handle.func("void openblas_set_num_threads(int)") as (n: number) => void,
      };
    } catch (e) {
      errors.push(`${lib} (not OpenBLAS: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`);
    }
  }
  throw new Error(`no OpenBLAS library loads (tried ${errors.join(", ")}); on Debian: apt-get install libopenblas0-pthread (npm run setup:blas)`);
}

/**
 * The OpenBLAS backend (cblas_sgemm through koffi), with a float64 product (cblas_dgemm) for the blocked Cholesky.
 * @throws Error naming what is missing when koffi or an OpenBLAS library is not available here.
 */
export async function createOpenblasBackend(options: OpenblasOptions = {}): Promise<TensorBackend> {
  if (!options.libraries && /^(off|0|none|false)$/i.test(process.env.INDEX_LAB_OPENBLAS?.trim() ?? "")) throw new Error("disabled by INDEX_LAB_OPENBLAS=off");
  const ob = options.loadKoffi || options.libraries ? open(options) : (loaded ??= open(options));
  const envThreads = Number(process.env.OPENBLAS_NUM_THREADS ?? process.env.OMP_NUM_THREADS);
  const threads = options.threads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : availableParallelism());
  ob.setThreads(threads);
  return {
    name: "openblas",
    detail: `${ob.config} (kernel ${ob.core}, ${ob.getThreads()} threads; ${ob.lib} through koffi${ob.tuned ? `; ${ob.tuned}` : ""})`,
    async matmul(a: Matrix, b: Matrix, opts: MatmulOptions = {}): Promise<Matrix> {
      const [m, k, n] = productShape(a, b, opts);
      // a fresh result is not zero-filled (cblas with beta = 0 writes every entry and reads none): zeroing 16 MB before
      // a 4096x1024x1024 product cost 5-10 % of its rate here
      const data = opts.out && opts.out.length >= m * n ? opts.out.subarray(0, m * n) : uninitialised(m * n);
      if (m === 0 || n === 0) return matrix(m, n, data);
      if (k === 0) { data.fill(0); return matrix(m, n, data); }
      // row-major: op(A) is m x k stored as a (a.cols leading), op(B) k x n stored as b (b.cols leading)
      ob.sgemm(ROW_MAJOR, opts.transA ? TRANS : NO_TRANS, opts.transB ? TRANS : NO_TRANS, m, n, k, 1, a.data, a.cols, b.data, b.cols, 0, data, n);
      return matrix(m, n, data);
    },
    async productF64(a: Float64Array, ra: number, k: number, b: Float64Array, rb: number): Promise<Float64Array> {
      const c = new Float64Array(ra * rb);
      if (ra === 0 || rb === 0 || k === 0) return c;
      ob.dgemm(ROW_MAJOR, NO_TRANS, TRANS, ra, rb, k, 1, a, k, b, k, 0, c, rb);
      return c;
    },
    async dispose() {},
  };
}

/** The loaded library's build and kernel (null before the backend is first created). */
export const openblasIdentity = (): { lib: string; config: string; core: string } | null => (loaded ? { lib: loaded.lib, config: loaded.config, core: loaded.core } : null);

/** The one-line fix when the backend is missing (`index-lab doctor`). */
export const OPENBLAS_FIX = "optional: `npm ci` installs koffi; `npm run setup:blas` (as root on Debian: apt-get install libopenblas0-pthread) the library; meanwhile onnxruntime-node / tfjs-wasm / js-cpu are used";

/**
 * Whether the openblas backend is usable here, for `index-lab doctor` (`load`: the library is loaded and its build and
 * kernel named) and `--version` (resolution only: koffi resolves and a library file is found, nothing loaded).
 */
export function probeOpenblas(load: boolean): { available: boolean; detail: string } {
  const env = process.env.INDEX_LAB_OPENBLAS?.trim();
  if (env && /^(off|0|none|false)$/i.test(env)) return { available: false, detail: "disabled by INDEX_LAB_OPENBLAS=off" };
  if (load) {
    try {
      const ob = (loaded ??= open({}));
      return { available: true, detail: `${ob.config}, kernel ${ob.core} (${ob.lib} through koffi)${ob.tuned ? `; ${ob.tuned}` : "; kernel not tuned (index-lab doctor --tune-blas)"}` };
    } catch (e) {
      return { available: false, detail: (e instanceof Error ? e.message : String(e)).split("\n")[0]! };
    }
  }
  try { createRequire(import.meta.url).resolve("koffi"); } catch { return { available: false, detail: "the optional package koffi is not installed" }; }
  const file = (env ? [env] : OPENBLAS_CANDIDATES.filter((c) => c.startsWith("/"))).find((c) => existsSync(c));
  return file ? { available: true, detail: `koffi and ${file} found` } : { available: false, detail: `koffi found, no OpenBLAS library file (${env ?? "usual places"})` };
}
