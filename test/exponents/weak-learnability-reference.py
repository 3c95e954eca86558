"""
Independent reference values for test/exponents/weakLearnability.test.ts (numpy/scipy; run: python3 this-file).
Route: closed-form conditional laws per link, 1-D quadrature (scipy.integrate.quad) or an FFT convolution of log|z|
densities; none of it shares code or grids with src/exponents/weakLearnability.ts (tensor grid + hat projection).
Convention: 1/alpha_c = largest eigenvalue of F(M) = E_y[G(y) M G(y)], G(y) = E[z z^T - I | y].
"""
import numpy as np
from scipy import integrate, special, stats

phi = stats.norm.pdf

# sign(z1 z2): G(s) = s (2/pi) [[0,1],[1,0]] (E|z1 z2| = 2/pi, E[z1^2 - 1 | s] = 0): rho = 4/pi^2
print("sign(z1*z2) alpha_c", np.pi**2 / 4)
for p in [0.1]:
    print("sign(z1*z2) flip", p, np.pi**2 / 4 / (1 - 2 * p) ** 2)

# z1 z2: E[z1^2 | y] = |y| K1(|y|)/K0(|y|), p(y) = K0(|y|)/pi, E[z1 z2 | y] = y; rho = 1 + E[a^2] (eigenvectors I and X)
def z1z2():
    f = lambda y: 2 * (special.k0(y) / np.pi) * (y * special.k1(y) / special.k0(y) - 1) ** 2
    v = integrate.quad(f, 0, 1, limit=400)[0] + integrate.quad(f, 1, 60, limit=400)[0]
    return 1 / (1 + v)
print("z1*z2 alpha_c", z1z2())

# z1^2 + z2^2 + sigma xi: T = z1^2 + z2^2 ~ Exp(mean 2), G = E[T/2 - 1 | y] I, rho = E[E[T/2-1|y]^2]
def chi2_noisy(sigma):
    if sigma == 0:
        return 1.0
    def inner(y):
        w = lambda t: 0.5 * np.exp(-t / 2) * phi((y - t) / sigma) / sigma
        lo, hi = max(0.0, y - 12 * sigma), max(0.0, y + 12 * sigma)
        if hi <= lo:
            return 0.0
        N0 = integrate.quad(w, lo, hi, limit=400, epsabs=1e-15)[0]
        N1 = integrate.quad(lambda t: w(t) * (t / 2 - 1), lo, hi, limit=400, epsabs=1e-15)[0]
        return N1 * N1 / N0 if N0 > 1e-300 else 0.0
    v = integrate.quad(inner, -12 * sigma, 60 + 12 * sigma, limit=400, points=[0, 2, 10])[0]
    return 1 / v
print("z1^2+z2^2 alpha_c", chi2_noisy(0), "gaussian 0.5", chi2_noisy(0.5))

# z1 z2 z3: G = a(y) I by sign symmetries; a(y) = E[z1^2 | y] - 1 from log|z_i| densities (FFT convolution)
def z1z2z3():
    h = 1e-3
    l = np.arange(-25, 4, h)
    f = 2 * phi(np.exp(l)) * np.exp(l)            # density of log|z|
    f2 = np.convolve(f, f) * h                     # log|z2 z3|, grid starts at 2 l[0]
    L = np.arange(len(f) + len(f2) - 1) * h + 3 * l[0]
    p = np.convolve(f, f2) * h
    num = np.convolve(f * np.exp(2 * l), f2) * h
    ok = p > 1e-300
    a = np.where(ok, num / np.where(ok, p, 1) - 1, 0)
    return 1 / np.sum(p * a * a * h), np.sum(p * h)
print("z1*z2*z3 alpha_c (mass check)", z1z2z3())

# z1^2 + sign(z1 z2 z3): t = z1^2 ~ chi2_1 independent of s = sign(...) uniform; first stage span{e1}
def chi_sign():
    q = lambda t: np.where(t > 0, np.exp(-t / 2) / np.sqrt(2 * np.pi * np.maximum(t, 1e-300)), 0.0)
    def inner(y):
        p = 0.5 * (q(y - 1) + q(y + 1))
        n = 0.5 * ((y - 2) * q(y - 1) + y * q(y + 1))
        return n * n / p if p > 0 else 0.0
    v = integrate.quad(inner, -1, 1, limit=400)[0] + integrate.quad(inner, 1, 80, limit=400)[0]
    return 1 / v
print("z1^2+sign(z1*z2*z3) stage-1 alpha_c", chi_sign(), "stage-2 perfect-knowledge bound", np.pi**2 / 4)

# sign(z1) + sign(z2): u = (z1+z2)/sqrt2 trivial; given u, v = (z1-z2)/sqrt2 is N(0,1) restricted to |v| < |u| (y = +-2)
# or |v| > |u| (y = 0): rho_perp = E_u sum_y P(y|u) E[v^2 - 1 | y, u]^2
def committee():
    def inner(u):
        c = abs(u)
        pin = 2 * stats.norm.cdf(c) - 1
        m2in = (pin - 2 * c * phi(c)) / pin if pin > 1e-300 else 0.0   # E[v^2 | |v| < c]
        pout = 2 * stats.norm.sf(c)
        m2out = (pout + 2 * c * phi(c)) / pout if pout > 1e-300 else c * c   # E[v^2 | |v| > c]
        return phi(u) * (pin * (m2in - 1) ** 2 + pout * (m2out - 1) ** 2)
    return 1 / integrate.quad(inner, -12, 12, limit=400, points=[0])[0]
print("sign(z1)+sign(z2) stage-2 perfect-knowledge bound", committee())

# Grand staircase of z1^2 + sign(z1 z2 z3) with partial knowledge of z1 (the state-evolution fixed point on U = e1):
# the U channel is y = t + s, t = z1^2, s uniform +-1 independent of z1; AMP's side information omega ~ N(q z1, q(1-q)).
# Psi(q) = (E[E[z1|y,omega]^2] - q)/(1-q)^2, rho_perp(q) = (4/pi^2) E[E[s sign(z1) | y, omega]^2] (G_perp = s sign(z1) (2/pi) X);
# q is a fixed point at alpha(q) = q/((1-q) Psi(q)); span{e2, e3} is unstable where alpha rho_perp(q) > 1.
# Result: alpha(q) rises to a spinodal ~1.23 then falls (a first-order jump of q_U to ~1), while alpha(q) rho_perp(q)
# stays < 0.43 on the whole branch: the e2, e3 stage is decided at q_U = 1, i.e. at alpha = pi^2/4, which is the
# lower bound max(alpha(U), 1/rho(F_U)) weakLearnability prints (sharp for this link).
def staircase_partial():
    xg, wg = np.polynomial.hermite_e.hermegauss(150); wg = wg / wg.sum()
    eg, ew = np.polynomial.hermite_e.hermegauss(60); ew = ew / ew.sum()
    def moments(q):
        Z1, E = np.meshgrid(xg, eg, indexing="ij"); W = np.outer(wg, ew)
        m2 = 0.0; c2 = 0.0
        for s in (1.0, -1.0):
            y = Z1 ** 2 + s
            om = q * Z1 + np.sqrt(q * (1 - q)) * E
            num_m = 0.0; num_c = 0.0; den = 0.0
            for sc in (1.0, -1.0):
                t = y - sc
                ok = t > 0
                r = np.sqrt(np.where(ok, t, 1.0))
                for zc in (r, -r):
                    wc = np.where(ok, phi(zc) / (4 * r) * np.exp(-(om - q * zc) ** 2 / (2 * q * (1 - q))), 0.0)
                    num_m = num_m + wc * zc; num_c = num_c + wc * sc * np.sign(zc); den = den + wc
            m2 += 0.5 * np.sum(W * (num_m / den) ** 2); c2 += 0.5 * np.sum(W * (num_c / den) ** 2)
        return (m2 - q) / (1 - q) ** 2, 4 / np.pi ** 2 * c2
    qs = np.linspace(0.005, 0.99, 60)
    rows = [(q,) + moments(q) for q in qs]
    alphas = [q / ((1 - q) * psi) for q, psi, _ in rows]
    return max(alphas), max(a * rho for a, (_, _, rho) in zip(alphas, rows))
print("z1^2+sign(z1*z2*z3) partial knowledge: spinodal alpha of q_U, largest alpha*rho_perp on the branch", staircase_partial())
