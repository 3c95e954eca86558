/**
 * `simulate feature-strength`: the seed-004 experiment (Atanasov, Meterez, Simon, Pehlevan, arXiv 2410.04642).
 * Part 1, exact: the depth-L scalar chain (toyChain.ts) over a γ × η grid — divergence, loss after a budget, escape
 * time; η_max(γ) by bisection; slopes of log η_max vs log γ at small and large γ (predicted 2 and 2/L); the collapse
 * of the plateau in τ = ηt/γ (τ* = 1/(L−2)); the "triangle of optimizability" for a fixed budget T.
 * Part 2, small and honest: the centred μP MLP (centredMlp.ts) on a Gaussian single-index target (index-lab links;
 * the paper's image datasets are out of scope), divergence boundary η_max(γ) and the best η for a fixed budget.
 */
import { parseLink } from "../link/link.js";
import { InputError } from "../link/errors.js";
import { positive, positiveInteger, type ClaimVerdict } from "./budget.js";
import { linearFit, type LinearFit } from "./fitting.js";
import { bisectEtaMax, predictedEscapeTau, predictedEtaMax, runToyChain, tauStar, type ToyStatus } from "./toyChain.js";
import { loadTf, trainMlpJs, trainMlpTf, type TrainResult } from "./centredMlp.js";

export interface FeatureStrengthConfig {
  readonly toy: {
    readonly Ls: number[];
    readonly gammas: number[];
    /** γ ≤ smallMax enter the lazy-slope fit, γ ≥ largeMin the ultra-rich fit. */
    readonly smallMax: number;
    readonly largeMin: number;
    /** The coarse η grid: etasPerDecade points per decade over [etaMin, etaMax] (relative to 2γ²/L·... no: absolute). */
    readonly etaMin: number;
    readonly etaMax: number;
    readonly etasPerDecade: number;
    readonly budget: number;
    readonly bisectionSteps: number;
    readonly collapse: { readonly L: number; readonly gammas: number[]; readonly etaFraction: number };
    readonly triangle: { readonly L: number; readonly T: number };
  };
  readonly mlp: null | {
    readonly d: number; readonly N: number; readonly L: number; readonly batch: number; readonly steps: number;
    readonly target: string; readonly gammas: number[]; readonly etas: number[]; readonly seed: number;
    readonly backend: "tfjs" | "js64" | "auto";
    /** With "auto", γ below this use the float64 reference (float32 cancellation in net_θ − net_θ0). */
    readonly float64Below: number;
  };
}

const logspace = (lo: number, hi: number, perDecade: number) => {
  const n = Math.max(1, Math.round(Math.log10(hi / lo) * perDecade));
  return Array.from({ length: n + 1 }, (_, i) => lo * Math.pow(hi / lo, i / n));
};

export const FEATURE_STRENGTH_PRESET: FeatureStrengthConfig = {
  toy: {
    Ls: [2, 3, 4], gammas: logspace(1e-4, 1e4, 2), smallMax: 1e-2, largeMin: 1e2,
    etaMin: 1e-10, etaMax: 1e4, etasPerDecade: 2, budget: 2000, bisectionSteps: 200000,
    collapse: { L: 3, gammas: [1e2, 1e3, 1e4, 1e5], etaFraction: 0.01 },
    triangle: { L: 4, T: 100 },
  },
  mlp: {
    d: 8, N: 64, L: 3, batch: 8, steps: 150, target: "He(2,z)/sqrt(2) + z",
    gammas: [1e-2, 1e-1, 1, 10, 100], etas: logspace(1e-6, 1e2, 2), seed: 4004, backend: "auto", float64Below: 0.05,
  },
};

export const FEATURE_STRENGTH_FULL: FeatureStrengthConfig = {
  toy: { ...FEATURE_STRENGTH_PRESET.toy, gammas: logspace(1e-5, 1e5, 4), etasPerDecade: 4, budget: 10000, collapse: { L: 3, gammas: [1e2, 1e3, 1e4, 1e5, 1e6], etaFraction: 0.01 } },
  mlp: { ...FEATURE_STRENGTH_PRESET.mlp!, N: 256, d: 32, steps: 2000, batch: 32, gammas: logspace(1e-3, 1e3, 1), etas: logspace(1e-8, 1e2, 2) },
};

export function validateFeatureStrength(c: FeatureStrengthConfig): void {
  c.toy.Ls.forEach((L) => positiveInteger("--depth L", L, 1, 64));
  c.toy.gammas.forEach((g, i) => positive(`gamma (entry ${i + 1})`, g));
  positive("--eta-min", c.toy.etaMin); positive("--eta-max", c.toy.etaMax);
  if (!(c.toy.etaMax > c.toy.etaMin)) throw new InputError(`--eta-max must exceed --eta-min`);
  positiveInteger("--budget", c.toy.budget, 1, 1e8);
  if (c.mlp) {
    positiveInteger("MLP depth L", c.mlp.L, 2, 16); positiveInteger("MLP width N", c.mlp.N, 1, 4096);
    c.mlp.gammas.forEach((g, i) => positive(`MLP gamma (entry ${i + 1})`, g));
    c.mlp.etas.forEach((e, i) => positive(`MLP eta (entry ${i + 1})`, e));
    const l = parseLink(c.mlp.target);
    if (l.kind !== "single") throw new InputError(`--target must be a single-index link in z`);
  }
}

export function estimateFeatureStrengthSeconds(c: FeatureStrengthConfig): number {
  const grid = c.toy.Ls.length * c.toy.gammas.length * (Math.log10(c.toy.etaMax / c.toy.etaMin) * c.toy.etasPerDecade) * c.toy.budget * 5e-8;
  const bis = c.toy.Ls.length * c.toy.gammas.length * 12 * c.toy.bisectionSteps * 2e-8;
  const mlp = c.mlp ? c.mlp.gammas.length * c.mlp.etas.length * c.mlp.steps * c.mlp.batch * (c.mlp.N * (c.mlp.d + (c.mlp.L - 2) * c.mlp.N)) * 6e-9 : 0;
  return grid + bis + mlp + 2;
}

export interface ToyGridPoint { readonly L: number; readonly gamma: number; readonly eta: number; readonly status: ToyStatus; readonly finalLoss: number; readonly escapeStep: number | null; readonly convergedAt: number | null }

export interface FeatureStrengthResult {
  readonly experiment: "feature-strength";
  readonly paper: string;
  readonly config: FeatureStrengthConfig;
  readonly toy: {
    readonly grid: ToyGridPoint[];
    readonly etaMax: { L: number; gamma: number; measured: number; predictedLazy: number; predictedRich: number; predictedBalanced: number }[];
    readonly etaStar: { L: number; gamma: number; eta: number | null }[];
    readonly slopes: { L: number; regime: "lazy" | "ultra-rich"; predicted: number; fit: LinearFit | null }[];
    readonly collapse: { L: number; tauStar: number; rows: { gamma: number; eta: number; escapeTau: number | null; predictedEscapeTau: number }[]; spread: number[] };
    readonly triangle: { L: number; T: number; map: string[]; gammaC: number | null; predictedGammaC: number; etaMin: { gamma: number; eta: number | null }[] };
  };
  readonly mlp: null | {
    readonly backends: string[];
    /** The TensorFlow.js backend as chosen through src/tensors (name, library/version, skipped ones), null if unused. */
    readonly tfBackend: { backend: string; detail: string; skipped: { name: string; reason: string }[] } | null;
    readonly runs: { gamma: number; eta: number; backend: string; diverged: boolean; finalLoss: number | null; seconds: number }[];
    readonly etaMax: { gamma: number; eta: number | null }[];
    readonly etaStar: { gamma: number; eta: number | null; loss: number | null }[];
    readonly slopes: { regime: "lazy" | "ultra-rich"; predicted: number; fit: LinearFit | null }[];
    readonly note: string;
  };
  readonly claims: ClaimVerdict[];
  readonly seconds: number;
}

export async function runFeatureStrength(c: FeatureStrengthConfig, progress?: (m: string) => void): Promise<FeatureStrengthResult> {
  validateFeatureStrength(c);
  const t0 = performance.now();
  const etas = logspace(c.toy.etaMin, c.toy.etaMax, c.toy.etasPerDecade);
  const grid: ToyGridPoint[] = [];
  const etaMax: FeatureStrengthResult["toy"]["etaMax"] = [];
  const etaStar: FeatureStrengthResult["toy"]["etaStar"] = [];
  for (const L of c.toy.Ls) {
    for (const gamma of c.toy.gammas) {
      let lastOk: number | null = null, firstBad: number | null = null, best: { eta: number; at: number } | null = null;
      for (const eta of etas) {
        const r = runToyChain({ gamma, eta, L, T: c.toy.budget, tol: 1e-12, hold: 50 });
        grid.push({ L, gamma, eta, status: r.status, finalLoss: r.finalLoss, escapeStep: r.escapeStep, convergedAt: r.convergedAt });
        if (r.status === "converged") { lastOk = eta; if (!best || r.convergedAt! < best.at) best = { eta, at: r.convergedAt! }; }
        else if (lastOk !== null && firstBad === null) firstBad = eta;
      }
      // η* for the budget: the η that reaches the tolerance first (losses at the budget tie at rounding level)
      etaStar.push({ L, gamma, eta: best?.eta ?? null });
      const p = predictedEtaMax(gamma, L);
      // bisection with a long budget, bracketed by the grid (or by the prediction when the grid found no converging η)
      const lo = lastOk ?? p.balanced / 100, hi = firstBad ?? (lastOk ? lastOk * Math.pow(10, 1 / c.toy.etasPerDecade) : p.balanced * 100);
      const b = bisectEtaMax(gamma, L, lo, hi, c.toy.bisectionSteps);
      etaMax.push({ L, gamma, measured: b.etaMax, predictedLazy: p.lazy, predictedRich: p.rich, predictedBalanced: p.balanced });
    }
    progress?.(`feature-strength: toy L = ${L} done`);
  }
  const slopes: FeatureStrengthResult["toy"]["slopes"] = [];
  for (const L of c.toy.Ls) {
    const rows = etaMax.filter((r) => r.L === L && Number.isFinite(r.measured));
    const small = rows.filter((r) => r.gamma <= c.toy.smallMax), large = rows.filter((r) => r.gamma >= c.toy.largeMin);
    slopes.push({ L, regime: "lazy", predicted: 2, fit: small.length >= 3 ? linearFit(small.map((r) => Math.log(r.gamma)), small.map((r) => Math.log(r.measured))) : null });
    slopes.push({ L, regime: "ultra-rich", predicted: 2 / L, fit: large.length >= 3 ? linearFit(large.map((r) => Math.log(r.gamma)), large.map((r) => Math.log(r.measured))) : null });
  }
  // collapse in τ = ηt/γ
  const cl = c.toy.collapse, taus = Array.from({ length: 41 }, (_, i) => (i / 40) * 2 * Math.min(tauStar(cl.L), 5));
  const curves: number[][] = [];
  const collapseRows = cl.gammas.map((gamma) => {
    const eta = cl.etaFraction * predictedEtaMax(gamma, cl.L).balanced;
    const recordAt = taus.map((tau) => Math.round((tau * gamma) / eta));
    const rec: number[] = [];
    const r = runToyChain({ gamma, eta, L: cl.L, T: recordAt[recordAt.length - 1], recordAt, tol: 0, hold: 1 }, rec);
    while (rec.length < taus.length) rec.push(rec[rec.length - 1] ?? NaN);
    curves.push(rec);
    return { gamma, eta, escapeTau: r.escapeStep === null ? null : (r.escapeStep * eta) / gamma, predictedEscapeTau: predictedEscapeTau(gamma, cl.L) };
  });
  const spread = curves.slice(1).map((cur, i) => Math.max(...cur.map((v, j) => Math.abs(v - curves[i][j]))));
  progress?.("feature-strength: collapse done");
  // triangle of optimizability for budget T
  const tr = c.toy.triangle, triGammas = logspace(1e-3, 1e7, 2), triEtas = logspace(1e-8, 1e4, 4);
  const map: string[] = [];
  const etaMinRows: { gamma: number; eta: number | null }[] = [];
  let gammaC: number | null = null;
  for (const gamma of triGammas) {
    let row = "", first: number | null = null;
    for (const eta of triEtas) {
      const r = runToyChain({ gamma, eta, L: tr.L, T: tr.T, tol: 1e-8, hold: 5 });
      row += r.status === "converged" ? "#" : r.status === "diverged" ? "x" : ".";
      if (r.status === "converged") { if (first === null) first = eta; gammaC = gamma; }
    }
    map.push(`gamma=${gamma.toExponential(0).padStart(6)} ${row}`);
    etaMinRows.push({ gamma, eta: first });
  }
  const ts = tauStar(tr.L);
  const predictedGammaC = Number.isFinite(ts) ? Math.pow((2 * tr.T) / (tr.L * ts), tr.L / (tr.L - 2)) : Infinity;
  progress?.("feature-strength: triangle done");

  const mlp = c.mlp ? await runMlpGrid(c, progress) : null;
  const claims = featureClaims(c, slopes, collapseRows, tr, gammaC, predictedGammaC, mlp);
  return {
    experiment: "feature-strength",
    paper: "Atanasov, Meterez, Simon, Pehlevan, The optimization landscape of SGD across the feature learning strength, arXiv 2410.04642 (ICLR 2025), abstract and §4 toy; toy reconstruction of theory notes §3.5",
    config: c,
    toy: {
      grid, etaMax, etaStar, slopes,
      collapse: { L: cl.L, tauStar: tauStar(cl.L), rows: collapseRows, spread },
      triangle: { L: tr.L, T: tr.T, map: [`eta from ${triEtas[0].toExponential(0)} to ${triEtas[triEtas.length - 1].toExponential(0)}, 4 per decade (# optimizable, . not converged within T, x diverged)`, ...map], gammaC, predictedGammaC, etaMin: etaMinRows },
    },
    mlp, claims, seconds: (performance.now() - t0) / 1000,
  };
}

async function runMlpGrid(c: FeatureStrengthConfig, progress?: (m: string) => void): Promise<FeatureStrengthResult["mlp"]> {
  const o = c.mlp!, target = parseLink(o.target).f;
  const shape = { d: o.d, N: o.N, L: o.L };
  const runs: NonNullable<FeatureStrengthResult["mlp"]>["runs"] = [];
  const backends = new Set<string>();
  for (const gamma of o.gammas) {
    for (const eta of o.etas) {
      const opts = { shape, gamma, eta, steps: o.steps, batch: o.batch, target, seed: o.seed, recordAt: [o.steps] };
      const use64 = o.backend === "js64" || (o.backend === "auto" && gamma < o.float64Below);
      const r: TrainResult = use64 ? trainMlpJs(opts) : await trainMlpTf(opts);
      backends.add(r.backend);
      runs.push({ gamma, eta, backend: r.backend, diverged: r.diverged, finalLoss: r.diverged ? null : r.testLoss[r.testLoss.length - 1] ?? null, seconds: r.seconds });
    }
    progress?.(`feature-strength: MLP gamma = ${gamma}`);
  }
  const etaMax = o.gammas.map((gamma) => {
    const ok = runs.filter((r) => r.gamma === gamma && !r.diverged).map((r) => r.eta);
    return { gamma, eta: ok.length ? Math.max(...ok) : null };
  });
  const etaStar = o.gammas.map((gamma) => {
    const ok = runs.filter((r) => r.gamma === gamma && r.finalLoss != null);
    if (!ok.length) return { gamma, eta: null, loss: null };
    const b = ok.reduce((x, y) => (y.finalLoss! < x.finalLoss! ? y : x));
    return { gamma, eta: b.eta, loss: b.finalLoss };
  });
  const fitOn = (sel: (g: number) => boolean) => {
    const pts = etaMax.filter((r) => r.eta != null && sel(r.gamma));
    return pts.length >= 3 ? linearFit(pts.map((r) => Math.log(r.gamma)), pts.map((r) => Math.log(r.eta!))) : null;
  };
  const usedTf = runs.some((r) => r.backend !== "js-float64");
  const tfBackend = usedTf ? await loadTf().then(({ backend, detail, skipped }) => ({ backend, detail, skipped })) : null;
  return {
    backends: [...backends], tfBackend, runs, etaMax, etaStar,
    slopes: [
      { regime: "lazy", predicted: 2, fit: fitOn((g) => g <= 1) },
      { regime: "ultra-rich", predicted: 2 / o.L, fit: fitOn((g) => g >= 1) },
    ],
    note: `η grid resolution ${(Math.log10(o.etas[1] / o.etas[0]) || 1).toFixed(2)} decades: η_max is the largest non-diverging grid value, so the fitted slopes carry that quantisation; one seed per point; float32 TensorFlow.js${tfBackend ? ` (${tfBackend.backend}: ${tfBackend.detail}${tfBackend.skipped.length ? `; skipped ${tfBackend.skipped.map((k) => `${k.name}: ${k.reason}`).join("; ")}` : ""})` : ""} except float64 reference where γ < ${o.float64Below}`,
  };
}

function fmt(f: LinearFit | null): string {
  return f ? `slope ${f.slope.toFixed(3)} (95% CI [${f.slopeCI[0].toFixed(3)}, ${f.slopeCI[1].toFixed(3)}], n = ${f.n})` : "not enough points";
}

function featureClaims(
  c: FeatureStrengthConfig, slopes: FeatureStrengthResult["toy"]["slopes"], collapse: FeatureStrengthResult["toy"]["collapse"]["rows"],
  tr: { L: number; T: number }, gammaC: number | null, predictedGammaC: number, mlp: FeatureStrengthResult["mlp"],
): ClaimVerdict[] {
  const out: ClaimVerdict[] = [];
  for (const s of slopes) {
    const ok = s.fit != null && Math.abs(s.fit.slope - s.predicted) <= 0.1;
    out.push({
      id: `004.toy.etamax-${s.regime}-L${s.L}`, statement: `toy chain, depth ${s.L}: η_max ∝ γ^${s.predicted === 2 ? "2" : `(2/${s.L})`} for ${s.regime === "lazy" ? "γ ≪ 1" : "γ ≫ 1"}`,
      source: "arXiv 2410.04642 abstract (η* ∝ γ², γ^{2/L}); toy and η_max = 2γ²/L, 2γ^{2/L}/L from theory notes §3.5 [derived here]",
      predicted: `slope ${s.predicted.toFixed(3)} ± 0.1`, measured: fmt(s.fit),
      verdict: s.fit == null ? "inconclusive" : ok ? "pass" : "fail", reason: s.fit == null ? "fewer than 3 γ in the regime" : "bisected edge of convergence, OLS over the regime's γ",
    });
  }
  const last = collapse[collapse.length - 1];
  const relErr = collapse.map((r) => (r.escapeTau == null ? Infinity : Math.abs(r.escapeTau - r.predictedEscapeTau) / r.predictedEscapeTau));
  out.push({
    id: "004.toy.tau-collapse", statement: "plateau escape collapses in τ = ηt/γ and tends to τ* = 1/(L−2) as γ grows",
    source: "arXiv 2410.04642 [reported-2nd: collapse in τ = ηt/γ]; τ* from theory notes §3.5 [derived here]",
    predicted: `escape τ = gradient-flow value (→ τ* = ${tauStar(c.toy.collapse.L).toFixed(3)}), relative error < 5%`,
    measured: collapse.map((r) => `γ=${r.gamma.toExponential(0)}: τ_esc ${r.escapeTau?.toFixed(4) ?? "none"} (flow ${r.predictedEscapeTau.toFixed(4)})`).join("; "),
    verdict: relErr.every((e) => e < 0.05) ? "pass" : "fail", reason: `largest relative error ${Math.max(...relErr).toExponential(1)}; last γ escape ${last.escapeTau?.toFixed(4)} vs τ* ${tauStar(c.toy.collapse.L).toFixed(4)}`,
  });
  const ratio = gammaC == null ? NaN : gammaC / predictedGammaC;
  out.push({
    id: "004.toy.triangle", statement: `for a budget of T = ${tr.T} steps the optimizable region closes at γ_c ≍ (2T/(Lτ*))^{L/(L−2)}`,
    source: "theory notes §3.5 [derived here] from η_min ≈ τ*γ/T and η_max ≈ 2γ^{2/L}/L", predicted: `γ_c ≈ ${predictedGammaC.toExponential(2)} (within a factor 10; log factors ignored)`,
    measured: gammaC == null ? "no optimizable point" : `largest optimizable γ on a 2-per-decade grid: ${gammaC.toExponential(0)} (ratio ${ratio.toExponential(1)})`,
    verdict: gammaC == null ? "inconclusive" : Math.abs(Math.log10(ratio)) <= 1 ? "pass" : "fail", reason: "grid resolution half a decade in γ, a quarter decade in η; the ≍ estimate omits the log(1/tol) e-folds of the final descent that raise η_min",
  });
  if (mlp) {
    for (const s of mlp.slopes) {
      const tol = s.regime === "lazy" ? 0.3 : 0.2;
      const f = s.fit;
      const width = f ? f.slopeCI[1] - f.slopeCI[0] : Infinity;
      const verdict = f == null || !Number.isFinite(width) || width > 4 * tol ? "inconclusive" : Math.abs(f.slope - s.predicted) <= tol ? "pass" : "fail";
      out.push({
        id: `004.mlp.etamax-${s.regime}`, statement: `centred μP MLP (L = ${c.mlp!.L}, N = ${c.mlp!.N}) on ${c.mlp!.target}: divergence boundary slope in γ`,
        source: "arXiv 2410.04642 abstract (η* ∝ γ² / γ^{2/L}); extrapolation to Gaussian index-model data is ours (theory notes §3.5)",
        predicted: `slope ${s.predicted.toFixed(3)} ± ${tol}`, measured: `${fmt(f)}; backends ${mlp.backends.join(", ")}`,
        verdict, reason: f == null ? "fewer than 3 γ with a non-diverging η" : `η quantised to the grid; CI width ${width.toFixed(2)}`,
      });
    }
  }
  return out;
}
