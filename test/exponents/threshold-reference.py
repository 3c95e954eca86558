import numpy as np
from scipy import integrate, stats
phi=stats.norm.pdf
# sign(z^2-1)
p1=2*stats.norm.sf(1); p0=1-p1; A=2*phi(1)
print("sign(z^2-1) alpha_c", 1/(A*A*(1/p1+1/p0)))
for p in [0.1]:
    Pp=(1-p)*p1+p*p0; Pm=(1-p)*p0+p*p1; N=(1-2*p)*A
    print("flip",p, 1/(N*N/Pp+N*N/Pm))
# z^2 + sigma xi
def noisy(f, sigma, zmax=12, ny=4001):
    def inner(y):
        g=lambda z: phi(z)*np.exp(-0.5*((y-f(z))/sigma)**2)/(sigma*np.sqrt(2*np.pi))
        pts=[-np.sqrt(max(y,0)),0,np.sqrt(max(y,0))] if y>0 else [0]
        N0=integrate.quad(g,-zmax,zmax,points=pts,limit=400,epsabs=1e-14)[0]
        N2=integrate.quad(lambda z: g(z)*(z*z-1),-zmax,zmax,points=pts,limit=400,epsabs=1e-14)[0]
        return N2*N2/N0 if N0>1e-300 else 0.0
    val=integrate.quad(inner,-14*sigma, 40+14*sigma, limit=400, points=[0,1,4,9,16], epsabs=1e-12)[0]
    return 1/val
for s in [0.5,1.0]:
    print("z^2 gaussian",s, noisy(lambda z: z*z, s))
# He4 deterministic: y = z^4-6z^2+3, via branches: t=z^2, y = t^2-6t+3, preimages in t: t=3±sqrt(6+y) ...
def he4():
    # E over z of E[He2|Y]^2; Y=h(t), t=z^2 density  t^{-1/2}e^{-t/2}/sqrt(2pi); roots t1=3-sqrt(6+y) (if >0), t2=3+sqrt(6+y)
    dens=lambda t: t**-0.5*np.exp(-t/2)/np.sqrt(2*np.pi)
    def integrand(y):
        s=np.sqrt(6+y); ts=[3+s]+([3-s] if 3-s>0 else [])
        w=[dens(t)/abs(2*t-6) for t in ts]
        num=sum(wi*(t-1) for wi,t in zip(w,ts)); den=sum(w)
        return num*num/den
    v=integrate.quad(integrand,-6,3,limit=400,epsabs=1e-13)[0]+integrate.quad(integrand,3,np.inf,limit=400,epsabs=1e-13)[0]
    return 1/v
print("He4", he4())
