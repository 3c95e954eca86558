"""Dense float32 GEMM 4096x1024x1024 in numpy, best of 7 by wall and by CPU time (bench/issue18.ts runs it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset)."""
import os, time, json, ctypes, glob
import numpy as np
def blas_kernel():
    """The BLAS kernel numpy uses: threadpoolctl when importable (also Debian's copy), else ctypes on the bundled OpenBLAS."""
    import sys
    for extra in ([], ["/usr/lib/python3/dist-packages"]):
        try:
            sys.path.extend(extra)
            from threadpoolctl import threadpool_info
            info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
            if info and info[0].get("architecture"):
                return "; ".join(f"{i.get('internal_api')} {i.get('version')} kernel {i.get('architecture')}, {i.get('num_threads')} threads (threadpoolctl)" for i in info)
        except Exception:
            pass
    libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(libdir, "*openblas*")):
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", "")):
            try:
                f = getattr(lib, prefix + "get_corename" + suffix); f.restype = ctypes.c_char_p
                g = getattr(lib, prefix + "get_config" + suffix); g.restype = ctypes.c_char_p
                n = getattr(lib, prefix + "get_num_threads" + suffix)
                return f"{g().decode().strip()}, kernel {f().decode()}, {n()} threads (ctypes on {os.path.basename(path)}; threadpoolctl did not report it)"
            except AttributeError:
                continue
    return "unknown"

kernel = blas_kernel()
a = np.random.rand(4096, 1024).astype(np.float32); b = np.random.rand(1024, 1024).astype(np.float32)
a @ b
best = cpu = 1e9
for _ in range(7):
    t = time.perf_counter(); c = time.process_time(); a @ b
    cpu = min(cpu, time.process_time() - c); best = min(best, time.perf_counter() - t)
flop = 2 * 4096 * 1024 * 1024
# gflops: over the best wall time; gflopsPerCpuSecond: over the best CPU time of all threads (a shared machine's fair figure)
print(json.dumps({"gflops": flop / best / 1e9, "gflopsPerCpuSecond": flop / cpu / 1e9, "kernel": kernel, "env": {k: os.environ.get(k) for k in ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS"]}}))
