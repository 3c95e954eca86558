"""numpy peer of online SGD at full dimension (He3 target and student, d = 1024): steps per CPU-second."""
import json, sys, time
import numpy as np

d = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
rng = np.random.default_rng(0)
w = rng.standard_normal(d); w /= np.linalg.norm(w)
gamma = d ** -1.5
t0 = time.process_time()
for _ in range(steps):
    x = rng.standard_normal(d)
    z, zs = w @ x, x[0]
    s = gamma * (zs ** 3 - 3 * zs) * (3 * z * z - 3)
    w = w + s * (x - z * w)
    w /= np.linalg.norm(w)
cpu = time.process_time() - t0
print(json.dumps({"d": d, "steps": steps, "cpuSeconds": cpu, "stepsPerCpuSecond": steps / cpu}))
