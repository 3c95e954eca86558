# Independent reference for c_0, c_2, c_4 of He(3, sin(z/He(7, z))) (scipy quad), excluding |z - r| < eps at the
# 7 roots r of He_7; the excluded part is bounded by |He_3(s)| <= 2 for |s| <= 1 times max |h_k| phi times 2 eps each.
import numpy as np, math
from scipy.integrate import quad
from numpy.polynomial.hermite_e import hermeroots, hermeval
roots = np.sort(hermeroots([0]*7+[1]))
He7 = lambda z: hermeval(z, [0]*7+[1])
f = lambda z: (lambda s: s**3-3*s)(math.sin(z/He7(z)))
phi = lambda z: math.exp(-z*z/2)/math.sqrt(2*math.pi)
def h(k, z): return hermeval(z, [0]*k+[1])/math.sqrt(math.factorial(k))
eps = 1e-3
for k in (0, 2, 4):
    edges = [-12.0]
    for r in roots: edges += [r-eps, r+eps]
    edges += [12.0]
    total, qerr = 0.0, 0.0
    for i in range(0, len(edges), 2):
        a, b = edges[i], edges[i+1]
        # grade toward the roots
        pts = sorted(set([a, b] + [a + (b-a)*t for t in np.linspace(0,1,400)[1:-1]]))
        for x0, x1 in zip(pts[:-1], pts[1:]):
            v, e = quad(lambda z: f(z)*h(k,z)*phi(z), x0, x1, limit=400)
            total += v; qerr += e
    zs = np.concatenate([np.linspace(r-eps, r+eps, 50) for r in roots])
    excl = 2*max(abs(h(k,z))*phi(z) for z in zs)*2*eps*7
    print(k, total, qerr, excl)
