"""
Independent reference values for test/exponents/stageThreshold.test.ts (numpy/scipy; run: OMP_NUM_THREADS=1 python3
this-file, about 6 CPU-minutes). Route: closed-form conditional laws of y = sign(z1) + sign(z2) in the frame
u = (z1 + z2)/sqrt2 (learned, trivial), v = (z1 - z2)/sqrt2 (perp): y = +-2 iff |v| < |u| (sign of u), 0 iff |v| > |u|;
the state evolution on u with side information s ~ N(Lambda u, Lambda) integrated on a fine u grid (trapezoid, 1021
points on [-8.5, 8.5]) and Gauss-Hermite in the side-information noise (50 nodes); the crossing alpha rho_pp = 1 on the
branch is solved by brentq in Lambda. No code or grid is shared with src/exponents/stageThreshold.ts (midpoint z_U grid
of 64 nodes, tensor grid in z_perp, label cells, Gauss-Hermite with 20 nodes, bisection).
SE in Lambda = q/(1-q): Lambda' = alpha Psi, Psi = (1+Lambda)^2 E[uhat^2] - Lambda (1+Lambda), a(Lambda) = Lambda/Psi;
perp block rho_pp = E[G^2], G = E[v^2 - 1 | y, s]; cross block (1+Lambda) E[Var(u | y, s) G] (printed as Up).
Result (2026-12-06): crossing at q_U = 0.710978, alpha = 2.0524785920244097 (rho_pp = 0.487216); the known-u bound
1/rho(F_U) = 1.4308336605216725 (weak-learnability-reference.py); the cross block stays below 0.06 on the branch.
The other case of the test, z1^2 + sign(z1 z2 z3), is staircase_partial() of weak-learnability-reference.py: q_U jumps
to ~1 at a spinodal ~1.2-1.24 < pi^2/4 with alpha rho_perp <= 0.43 below it, so the stage is at pi^2/4 exactly.
"""
import numpy as np
from scipy import stats, optimize
phi=stats.norm.pdf; Phi=stats.norm.cdf
# sign(z1)+sign(z2): u=(z1+z2)/sqrt2 (trivial, U), v=(z1-z2)/sqrt2 (perp). y=+-2 iff |v|<|u| with sign(u), 0 iff |v|>|u|
U=np.linspace(-8.5,8.5,1021); h=U[1]-U[0]; wu=phi(U)*h; wu/=wu.sum()
c=np.abs(U); pin=2*Phi(c)-1; pout=2*stats.norm.sf(c)
m2in=np.where(pin>1e-300,(pin-2*c*phi(c))/np.maximum(pin,1e-300),0.0)
m2out=np.where(pout>1e-300,(pout+2*c*phi(c))/np.maximum(pout,1e-300),c*c)
lik={2:np.where(U>0,pin,0.0),-2:np.where(U<0,pin,0.0),0:pout}
Gy={2:m2in-1,-2:m2in-1,0:m2out-1}
xi,wx=np.polynomial.hermite_e.hermegauss(50); wx=wx/wx.sum()
def moments(L):
    Mh=0;R=0;CG=0
    for y in (2,-2,0):
        P=lik[y]*wu            # prior x likelihood over the u grid (posterior before side info)
        for m in range(len(xi)):
            s=L*U+np.sqrt(L)*xi[m]           # side info for each true u
            lw=np.outer(s,U)-0.5*L*U[None,:]**2   # [true, candidate]
            lw-=lw.max(axis=1,keepdims=True)
            E=np.exp(lw)*P[None,:]
            Z=E.sum(1); ok=Z>0
            uh=(E@U)/np.where(ok,Z,1); u2=(E@(U*U))/np.where(ok,Z,1)
            G=(E@(Gy[y]*1.0))/np.where(ok,Z,1)
            wt=P*wx[m]
            Mh+=np.sum(wt*uh*uh); R+=np.sum(wt*G*G); CG+=np.sum(wt*(u2-uh*uh)*G)
    psi=(1+L)**2*Mh-L*(1+L)
    return L/psi, R, CG
qs=np.concatenate([np.geomspace(1e-4,0.5,25),1-np.geomspace(0.5,1e-6,25)[1:]])
rows=[]
for q in qs:
    L=q/(1-q); a,R,CG=moments(L); rows.append((q,L,a,R,CG))
A=-1;prev=None;found=None
for (q,L,a,R,CG) in rows:
    if a>A:
        if a*R>=1 and found is None: found=(prev,(q,L,a,R)); 
        A=a; prev=(q,L,a,R)
    print(f"q {q:.6g} a {a:.6g} rho_pp {R:.6g} a*rho {a*R:.4g} Up {a*(1+L)*abs(CG):.4g}")
print("bracket",found)
(q0,L0,_,_),(q1,L1,_,_)=found
f=lambda L: (lambda a,R,CG: a*R-1)(*moments(L))
Lc=optimize.brentq(f,L0,L1,xtol=1e-10,rtol=1e-10)
a,R,CG=moments(Lc)
print("sign(z1)+sign(z2) stage-2 sharp alpha", repr(a), "q", Lc/(1+Lc), "rho_pp", R, "bound 1/rho(F_U) = 1.4308336605216725")
