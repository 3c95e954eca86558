"""One giant step of the GiantStep notebook protocol (seed 001) in numpy float32, for bench/issue18.ts: d = 512,
p = 1024, target 0.5 (h(z1) + h(z2)), h = He4/24 + He2/2 + He1, ReLU, preprocessing (mean and linear part of the
labels removed), eta = 10 sqrt(n p), ridge refit (lambda = 1) of the second layer on the same batch, n_test fresh
test samples. Prints one JSON line: CPU seconds (process_time, all threads), FLOPs of the matmuls, the BLAS kernel."""
import json, sys, time
import numpy as np

def h(z):
    return (z**4 - 6*z**2 + 3) / 24 + (z**2 - 1) / 2 + z

def main(d, p, n, n_test):
    rng = np.random.default_rng(1)
    t0 = time.process_time()
    W = (rng.standard_normal((p, d), dtype=np.float32) / np.sqrt(d)).astype(np.float32)
    a = rng.standard_normal(p).astype(np.float32)
    Z = rng.standard_normal((n, d), dtype=np.float32)
    y = 0.5 * (h(Z[:, 0]) + h(Z[:, 1]))
    y = y - y.mean() - Z @ (Z.T @ y / n)
    H = Z @ W.T
    F = np.maximum(H, 0)
    R = y - F @ a / np.sqrt(p)
    G = (R[:, None] * (a / np.sqrt(p))[None, :]) * (H > 0)
    eta = 10 * np.sqrt(n * p)
    W = W + (eta / n) * (G.T @ Z)
    F = np.maximum(Z @ W.T, 0) / np.sqrt(p)
    A = F.T @ F + np.eye(p, dtype=np.float32)
    a2 = np.linalg.solve(A, F.T @ y)
    Zt = rng.standard_normal((n_test, d), dtype=np.float32)
    yt = 0.5 * (h(Zt[:, 0]) + h(Zt[:, 1]))
    yt = yt - yt.mean() - Zt @ (Zt.T @ yt / n_test)
    err = float(np.mean((yt - (np.maximum(Zt @ W.T, 0) / np.sqrt(p)) @ a2) ** 2))
    cpu = time.process_time() - t0
    flops = 2.0 * n * d * p * 3 + 2.0 * n * p * p + 2.0 * n_test * d * p + p**3 / 3
    kernel = "threadpoolctl not installed"
    try:
        from threadpoolctl import threadpool_info
        kernel = "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} {i.get('num_threads')} threads" for i in threadpool_info())
    except Exception:
        pass
    print(json.dumps({"cpuSeconds": cpu, "gflops": flops / cpu / 1e9, "testError": err, "kernel": kernel}))

if __name__ == "__main__":
    d, p, n, n_test = (int(x) for x in sys.argv[1:5])
    main(d, p, n, n_test)
