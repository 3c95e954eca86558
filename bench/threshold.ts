/**
 * Benchmark: the weak-recovery threshold alpha_c = 1/E[E[He_2(Z)|Y]^2] of single links by the exact routes
 * (exponents/threshold.ts) against the binned Monte-Carlo estimate of lambda_2^2 (10^6 samples, 10^4 bins) as the
 * in-run baseline (what a numpy notebook would do); then one optimal spectral run (simulate threshold) at d = 2048 and
 * d = 4096, n = 4d, on the auto backend, against the same run on the pure-JS backend at d = 1024 as the baseline.
 */
import { parseLink } from "../src/link/link.js";
import { parseNoise } from "../src/exponents/noise.js";
import { weakRecoveryThreshold } from "../src/exponents/threshold.js";
import { binnedGenerativeSpectrum } from "../src/exponents/binned.js";
import { spectralRun } from "../src/simulations/threshold/spectral.js";
import { chooseBackend } from "../src/tensors/select.js";
import { table } from "../src/cli/format.js";

const LINKS: [string, string | undefined][] = [["z^2", undefined], ["abs(z)", undefined], ["He(4,z)", undefined], ["cos(z)", undefined], ["sign(z^2-1)", "flip:0.1"], ["z^2", "gaussian:0.5"]];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchThreshold(): Promise<string> {
  const rows: string[][] = [];
  for (const [src, n] of LINKS) {
    const link = parseLink(src), noise = parseNoise(n);
    weakRecoveryThreshold(link, { noise }); // warm-up
    const times: number[] = [];
    let t = weakRecoveryThreshold(link, { noise });
    for (let i = 0; i < 5; i++) { const t0 = performance.now(); t = weakRecoveryThreshold(link, { noise }); times.push(performance.now() - t0); }
    const t0 = performance.now();
    const mc = binnedGenerativeSpectrum(link.f, 2, { samples: 1_000_000, bins: 10_000, seed: 1, noise });
    const tMc = performance.now() - t0;
    const mcAlpha = 1 / (2 * mc.lambdaSquared[2]!);
    rows.push([`${src}${n ? ` ${n}` : ""}`, t.exact ?? t.alphaC.toPrecision(10), t.errorBound.toExponential(1), mcAlpha.toPrecision(6), median(times).toFixed(1), tMc.toFixed(0), (tMc / median(times)).toFixed(0)]);
  }
  const out = [
    "alpha_c (n = alpha d) per link: exact routes (median of 5) vs binned Monte Carlo for lambda_2^2 (10^6 samples)",
    table(["link", "alpha_c", "error bound", "alpha_c (MC)", "exact ms", "MC ms", "MC/exact"], rows),
  ];
  const { backend } = await chooseBackend("auto");
  const js = (await chooseBackend("js-cpu")).backend;
  const spec = [];
  for (const [d, be] of [[1024, js], [1024, backend], [2048, backend], [4096, backend]] as const) {
    const cpu0 = process.cpuUsage();
    const r = await spectralRun({ link: "z^2", noise: "none", d, alpha: 4, estimator: "optimal", alphaC: 0.5 }, 0, 0, be);
    const cpu = process.cpuUsage(cpu0);
    spec.push([String(d), String(r.n), be.name, r.seconds.toFixed(2), ((cpu.user + cpu.system) / 1e6).toFixed(2), String(r.iterations), r.overlapSquared.toFixed(3)]);
  }
  out.push("", "optimal spectral estimator, y = z^2, alpha = 4 (n = 4d), one run (Lanczos with full reorthogonalisation):",
    table(["d", "n", "backend", "wall s", "CPU s", "Lanczos steps", "overlap^2"], spec));
  await backend.dispose(); await js.dispose();
  return out.join("\n");
}
