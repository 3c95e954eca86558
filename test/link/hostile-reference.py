"""Reference values for test/link/hostile.test.ts: c_0 = E[f(Z)] and c_2 = E[f(Z) He_2(Z)]/sqrt(2) and E[f(Z)^2],
Z ~ N(0,1), probabilists' He_2(z) = z^2 - 1, by mpmath quadrature at 40 digits split at the singular points.
Run: python3 test/link/hostile-reference.py (mpmath 1.x)."""
import mpmath as mp
mp.mp.dps = 40
phi = lambda z: mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)
links = {
    "1/(z^2+1e-6)": (lambda z: 1 / (z * z + mp.mpf("1e-6")), [0]),
    "1/(z^2+0.01)": (lambda z: 1 / (z * z + mp.mpf("0.01")), [0]),
    "abs(z-0.3)^(-0.45)": (lambda z: abs(z - mp.mpf("0.3")) ** mp.mpf("-0.45"), [mp.mpf("0.3")]),
    "log(abs(z-0.3))": (lambda z: mp.log(abs(z - mp.mpf("0.3"))), [mp.mpf("0.3")]),
    "exp(z^2/8)": (lambda z: mp.exp(z * z / 8), []),
    "1/(1+1e6*(z-0.3)^2)": (lambda z: 1 / (1 + mp.mpf(10) ** 6 * (z - mp.mpf("0.3")) ** 2), [mp.mpf("0.3")]),
    "exp(-1/z^2)": (lambda z: mp.exp(-1 / (z * z)) if z != 0 else mp.mpf(0), [0]),
    "z^64": (lambda z: z ** 64, []),
}
def integrate(g, cuts):
    pts = [-mp.inf] + sorted(set(cuts)) + [mp.inf]
    # extra points around narrow features so the tanh-sinh rule sees them
    fine = []
    for c in cuts:
        fine += [c - d for d in (1, mp.mpf("1e-2"), mp.mpf("1e-4"))] + [c + d for d in (mp.mpf("1e-4"), mp.mpf("1e-2"), 1)]
    pts = sorted(set(pts + fine), key=lambda x: x)
    return mp.quad(g, pts, maxdegree=10)
for name, (f, cuts) in links.items():
    c0 = integrate(lambda z: f(z) * phi(z), cuts)
    c2 = integrate(lambda z: f(z) * (z * z - 1) * phi(z), cuts) / mp.sqrt(2)
    m2 = integrate(lambda z: f(z) ** 2 * phi(z), cuts)
    print(f'  "{name}": {{ c0: {mp.nstr(c0, 20)}, c2: {mp.nstr(c2, 20)}, secondMoment: {mp.nstr(m2, 20)} }},')
# abs(z-0.3)^(-a): mp.quad misses part of the endpoint singularity of f^2 (a = 0.9); x = u^p removes it
x0 = mp.mpf("0.3")
for a, p in ((mp.mpf("0.45"), 20), (mp.mpf("0.9"), 10)):
    v = mp.quad(lambda u: p * u ** (p - 1 - a * p) * (phi(x0 + u ** p) + phi(x0 - u ** p)), [0, 0.5, 1, 1.2, 1.5, 2])
    print(f"  E|Z - 0.3|^(-{a}) = {mp.nstr(v, 25)}")
# E log|Z1 - Z2| = log(2)/2 + E log|N| = log(2)/2 - (euler + log 2)/2 = -euler/2
print("E log|Z1 - Z2| =", mp.nstr(-mp.euler / 2, 20))
# z^64 in closed form: E[z^64] = 63!!, E[z^128] = 127!!
print("63!! =", mp.nstr(mp.fac2(63), 25), " 127!! =", mp.nstr(mp.fac2(127), 25), " 60! =", mp.nstr(mp.factorial(60), 25))
