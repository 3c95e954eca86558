"""One seed of seed 002's batch-reuse experiment (Dandi et al. 2024, arXiv 2402.03220) in numpy float32, for
bench/issue18dense.ts: the setting of the he3 preset (the authors' code: ReLU student, eta = 0.2, lambda = 0, p = 2,
a = +-1/sqrt(p) alternating, W0 rows N(0, I_d) orthogonal to W* = sqrt(d) e_1, alpha = 5, n_test = 2048), target
He3(z1)/sqrt(6), T steps of full-batch GD on the summed square loss with the batch reused (multi-pass) or fresh at
every step (one-pass); after every step the overlaps M = W W*^T / d, Q = W W^T / d and the test MSE, as the simulator
records them. Usage: batch_reuse.py d p T multi-pass|one-pass. Prints one JSON line: CPU seconds (process_time, all
threads), FLOPs of the matmuls, the final overlap and test MSE."""
import json, sys, time
import numpy as np

def main(d, p, steps, algorithm, alpha=5, eta=0.2, n_test=2048):
    rng = np.random.default_rng(1)
    t0 = time.process_time()
    n = round(alpha * d)
    g = lambda z: (z**3 - 3 * z) / np.sqrt(6)
    a = np.array([(1 if i % 2 == 0 else -1) / np.sqrt(p) for i in range(p)], dtype=np.float32)
    W = rng.standard_normal((p, d), dtype=np.float32) * np.float32(np.sqrt(d / (d - 1)))
    W[:, 0] = 0
    Zt = rng.standard_normal((n_test, d), dtype=np.float32); yt = g(Zt[:, 0])
    Z = rng.standard_normal((n, d), dtype=np.float32); y = g(Z[:, 0])
    sqd = np.float32(np.sqrt(d))
    flops = 0.0
    def record():
        nonlocal flops
        M = W[:, :1] / sqd; Q = W @ W.T / d
        f = np.maximum(Zt @ W.T / sqd, 0) @ a
        flops += 2.0 * n_test * d * p + 2.0 * p * p * d
        return M, Q, float(np.mean((yt - f) ** 2))
    M, Q, mse = record()
    for t in range(steps):
        if algorithm == "one-pass" and t > 0:
            Z = rng.standard_normal((n, d), dtype=np.float32); y = g(Z[:, 0])
        H = Z @ W.T / sqd
        r = y - np.maximum(H, 0) @ a
        G = (r[:, None] * (H > 0)) * a[None, :]
        W = W + (eta / sqd) * (G.T @ Z)
        flops += 4.0 * n * d * p
        M, Q, mse = record()
    cpu = time.process_time() - t0
    print(json.dumps({"cpuSeconds": cpu, "gflop": flops / 1e9, "gflopPerCpuSecond": flops / cpu / 1e9, "overlap": float(M[0, 0]), "testMSE": mse}))

if __name__ == "__main__":
    d, p, steps = (int(x) for x in sys.argv[1:4])
    main(d, p, steps, sys.argv[4])
