/** Choosing a backend at run time: `auto` takes the first that loads in the measured preference order. */
import { InputError } from "../link/errors.js";
import { BACKEND_NAMES, type BackendName, type TensorBackend } from "./backend.js";
import { createJsCpuBackend } from "./jsCpu.js";
import { createOnnxBackend } from "./onnx.js";
import { createOpenblasBackend } from "./openblas.js";
import { createTfjsNodeBackend, createTfjsWasmBackend } from "./tfjs.js";

/** A backend name, or "auto" for the first that loads in {@link AUTO_ORDER}. */
export type BackendRequest = BackendName | "auto";

/** Preference order for `auto` (see bench/batch.ts and bench/issue18dense.ts for the measurements that set it). */
export const AUTO_ORDER: readonly BackendName[] = ["openblas", "tfjs-node", "onnx", "tfjs-wasm", "js-cpu"];

/** The backend loaded, with the ones tried before it and why they were skipped. */
export interface BackendChoice {
  readonly backend: TensorBackend;
  /** Backends tried before this one and why they were skipped. */
  readonly skipped: { readonly name: BackendName; readonly reason: string }[];
}

/**
 * Load one backend by name.
 * @throws Error (with the loader's reason) when its package or native library is not available here.
 */
export async function createBackend(name: BackendName): Promise<TensorBackend> {
  switch (name) {
    case "openblas": return createOpenblasBackend();
    case "tfjs-node": return createTfjsNodeBackend();
    case "onnx": return createOnnxBackend();
    case "tfjs-wasm": return createTfjsWasmBackend();
    case "js-cpu": return createJsCpuBackend();
  }
}

/**
 * Read a `--backend` value (default "auto").
 * @throws InputError naming the allowed values.
 */
export function parseBackend(raw: string | undefined): BackendRequest {
  const v = (raw ?? "auto").trim();
  if (v === "auto" || (BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendRequest;
  throw new InputError(`--backend must be one of auto, ${BACKEND_NAMES.join(", ")}; got '${raw}'`);
}

/**
 * Load the requested backend: for "auto" the first of {@link AUTO_ORDER} that loads (js-cpu always does), recording
 * why the others were skipped.
 * @throws InputError when an explicitly requested backend fails to load, naming the reason.
 */
export async function chooseBackend(request: BackendRequest = "auto"): Promise<BackendChoice> {
  const skipped: { name: BackendName; reason: string }[] = [];
  const order = request === "auto" ? AUTO_ORDER : [request];
  for (const name of order) {
    try {
      return { backend: await createBackend(name), skipped };
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
      if (request !== "auto") throw new InputError(`--backend ${name} is not available here: ${reason}`);
      skipped.push({ name, reason });
    }
  }
  throw new Error("no tensor backend loaded (js-cpu should always load)");
}
