/** What this machine offers index-lab: Node, cores, memory, the optional tensor backends, a browser. */
import { existsSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { createRequire } from "node:module";
import { OPENBLAS_FIX, probeOpenblas } from "./tensors/openblas.js";

/** Whether one tensor backend package resolves and loads here, why not, and (when missing) the one-line fix. */
export interface BackendProbe { readonly name: string; readonly available: boolean; readonly detail: string; readonly fix?: string }

/** Why an optional backend may be missing after `npm ci`, and what to do (the fallbacks are chosen automatically meanwhile). */
const FIXES: Record<string, { missing: string; broken: string }> = {
  "@tensorflow/tfjs-node": {
    missing: "optional: npm drops it when its install script cannot download libtensorflow (storage.googleapis.com); on a machine with that access run `npm install @tensorflow/tfjs-node`; meanwhile onnxruntime-node / tfjs-wasm / js-cpu are used",
    broken: "its native libtensorflow was not downloaded at install; with access to storage.googleapis.com run `npm rebuild @tensorflow/tfjs-node`; meanwhile onnxruntime-node / tfjs-wasm / js-cpu are used",
  },
  "onnxruntime-node": {
    missing: "run `npm ci` (it ships its CPU binaries; package.json's allowScripts skips only its optional CUDA download)",
    broken: "reinstall it with `npm ci`; meanwhile tfjs-wasm / js-cpu are used",
  },
  "@tensorflow/tfjs-backend-wasm": { missing: "run `npm ci`", broken: "reinstall it with `npm ci`" },
};

/**
 * The machine as index-lab sees it: Node version, platform, cores, memory, tensor backends, and a Chromium for the
 * report browser test (or null).
 */
export interface Environment {
  readonly node: string;
  readonly platform: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly backends: BackendProbe[];
  readonly browser: string | null;
}

const require = createRequire(import.meta.url);

/** Whether a package resolves and loads here (native ones may resolve yet fail to load their library). */
function probe(name: string, load: boolean): BackendProbe {
  try {
    const path = require.resolve(name);
    if (load) require(name);
    return { name, available: true, detail: load ? "loads" : `found at ${path}` };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    const missing = /Cannot find module/.test(msg);
    const fix = FIXES[name]?.[missing ? "missing" : "broken"];
    return { name, available: false, detail: missing ? "not installed" : `fails to load: ${msg}`, ...(fix ? { fix } : {}) };
  }
}

/**
 * Probe this machine (used by `index-lab doctor` and `--version`): loading the native backends is attempted (unless
 * `load: false`, which only resolves them), so a package that installs but cannot load its library is reported with
 * the reason.
 */
export function probeEnvironment(options: { load?: boolean } = {}): Environment {
  const load = options.load ?? true;
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    backends: [
      (() => { const o = probeOpenblas(load); return { name: "openblas", ...o, ...(o.available ? {} : { fix: OPENBLAS_FIX }) }; })(),
      probe("@tensorflow/tfjs-node", load),
      probe("onnxruntime-node", load),
      probe("@tensorflow/tfjs-backend-wasm", false),
      { name: "js-cpu", available: true, detail: "pure JavaScript (always available)" },
    ],
    browser: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p)) ?? null,
  };
}
