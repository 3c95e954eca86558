import type { RunConfig } from "../../src/simulations/config.js";

export function config(over: Partial<RunConfig> = {}): RunConfig {
  return {
    engine: "reduced", link: "tanh(z)", student: "tanh(z)", loss: "correlation", d: 32, eta: "0.3", width: 1, a0: 1,
    etaSecondLayer: "0", variant: "online", etaInner: "0", innerSteps: 1, noise: "none", threshold: 0.999, overlap: "signed",
    escape: "any", maxSteps: 20, m0: null, runToMax: true, tracePoints: 0, ...over,
  };
}
