# Reference values for test/numeric/statistics.test.ts, computed once with scipy/numpy (versions recorded in the
# output) and stored in scipy-reference.json beside this script. Regenerate: python3 test/numeric/statistics_reference.py > test/numeric/scipy-reference.json
import json, numpy as np, scipy, scipy.stats as st, scipy.special as sp
a = [0.31, 1.7, 2.2, 0.05, 3.9, 1.1, 2.2, 0.8, 5.4, 1.3]
b = [1.2, 2.9, 4.4, 0.9, 6.1, 3.3, 2.2, 5.0, 7.7, 2.6, 3.1, 4.0]
x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.3, 13.8]
out = {"scipy": scipy.__version__, "numpy": np.__version__}
out["tCdf"] = [[t, df, st.t.cdf(t, df)] for t, df in [(-2.5, 3), (0.7, 1), (1.96, 10), (4.0, 30), (-0.3, 2.5)]]
out["tQuantile"] = [[p, df, st.t.ppf(p, df)] for p, df in [(0.975, 1), (0.975, 2), (0.975, 5), (0.975, 10), (0.975, 30), (0.995, 100), (0.05, 4)]]
out["normalCdf"] = [[z, st.norm.cdf(z)] for z in [-8.0, -3.0, -1.0, 0.0, 0.5, 2.0, 5.0]]
out["kolmogorovQ"] = [[l, sp.kolmogorov(l)] for l in [0.3, 0.5, 0.8, 1.0, 1.3581, 1.6276, 2.5]]
out["gammaln"] = [[z, sp.gammaln(z)] for z in [0.1, 0.5, 1.5, 7.0, 42.25]]
out["betainc"] = [[xx, aa, bb, sp.betainc(aa, bb, xx)] for xx, aa, bb in [(0.2, 2.0, 3.0), (0.7, 0.5, 0.5), (0.9, 5.0, 0.5), (0.01, 15.0, 0.5)]]
ks = st.ks_2samp(a, b)
out["ks"] = {"a": a, "b": b, "statistic": ks.statistic}
mw = st.mannwhitneyu(a, b, alternative="less", method="asymptotic", use_continuity=True)
mw2 = st.mannwhitneyu(b, a, alternative="less", method="asymptotic", use_continuity=True)
out["mannWhitneyLess"] = [{"a": a, "b": b, "u": mw.statistic, "p": mw.pvalue}, {"a": b, "b": a, "u": mw2.statistic, "p": mw2.pvalue}]
vals = a + [float("inf")]
out["quantile"] = {"values": vals, "rows": [[p, float(np.quantile(vals, p, method="linear"))] for p in [0.0, 0.1, 0.25, 0.5, 0.77, 0.85]]}
srt = sorted(vals)
out["nearest"] = {"sorted": srt, "rows": [[p, float(np.quantile(srt, p, method="nearest"))] for p in [0.0, 0.025, 0.33, 0.5, 0.9, 0.975, 1.0]]}
lr = st.linregress(x, y)
tq = st.t.ppf(0.975, len(x) - 2)
out["linregress"] = {"x": x, "y": y, "slope": lr.slope, "intercept": lr.intercept, "stderr": lr.stderr, "ci": [lr.slope - tq * lr.stderr, lr.slope + tq * lr.stderr]}
out["sd"] = {"values": a, "sd": float(np.std(a, ddof=1)), "se": float(st.sem(a))}
print(json.dumps(out).replace("Infinity", "1e999"))  # JSON has no infinity; 1e999 parses to it
