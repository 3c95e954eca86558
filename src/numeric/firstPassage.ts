/**
 * First-passage law of a one-dimensional (Itô) diffusion dX = mu(X) dt + sqrt(2 D(X)) dW on [left, right], by the
 * Fokker–Planck equation d_t p = -d_x(mu p - d_x(D p)) = -d_x((mu - D') p - D d_x p) on a finite-volume grid.
 *
 * Fluxes between cell centres x_i < x_{i+1} (distance delta) use the Scharfetter–Gummel exponential fitting,
 *   J = (D/delta) [B(-z) p_i - B(z) p_{i+1}],  z = (mu - D') delta / D,  B(z) = z / (e^z - 1),
 * which is exact for constant mu, D across the face and tends to upwinding when D -> 0. An absorbing end is a
 * Dirichlet face p = 0 at half a cell from the last centre; a reflecting end has no flux. Time: Crank–Nicolson on
 * geometrically growing steps, started by implicit-Euler steps (Rannacher) so that the initial data cannot ring.
 * The mass that leaves through each end is accumulated with the same trapezoidal weights as the scheme, so mass is
 * conserved to rounding: P(absorbed at right by t) + P(absorbed at left by t) + P(inside) = 1.
 */

/** Behaviour at one end of the interval. */
export type BoundaryKind = "absorbing" | "reflecting";

/** The diffusion, its domain, the initial density and the discretisation. */
export interface FirstPassageProblem {
  /** Drift mu(x). */
  readonly drift: (x: number) => number;
  /** Diffusion coefficient D(x) = sigma(x)^2 / 2 >= 0. */
  readonly diffusion: (x: number) => number;
  /** Initial density (need not be normalised: it is normalised on the grid). */
  readonly initialDensity: (x: number) => number;
  readonly left: number;
  readonly right: number;
  readonly leftBoundary: BoundaryKind;
  readonly rightBoundary: BoundaryKind;
  /** Cell width near 0 (default 0.02). */
  readonly h0?: number;
  /** Relative cell width away from 0: h(x) = max(h0, relativeWidth |x|) (default 0.003). */
  readonly relativeWidth?: number;
  /** A time scale of the law (e.g. the drift time at x = 1): the first step is 1e-3 of it. */
  readonly timeScale: number;
  /** Stop when the mass still inside falls below this (default 1e-4). */
  readonly residualMass?: number;
  /** Step growth factor (default 1.002) and the cap on the number of steps (default 20000). */
  readonly growth?: number;
  readonly maxSteps?: number;
}

/** Cumulative absorbed masses at the step times (t[0] = 0). */
export interface FirstPassageLaw {
  readonly times: Float64Array;
  /** P(absorbed at the right end by t). */
  readonly right: Float64Array;
  /** P(absorbed at the left end by t). */
  readonly left: Float64Array;
  /** Mass still inside at the last time. */
  readonly residual: number;
  readonly cells: number;
}

const bernoulli = (z: number): number => (Math.abs(z) < 1e-8 ? 1 - z / 2 : z / Math.expm1(z));

/** Cell faces of the grid h(x) = max(h0, r |x|) on [a, b] (a < 0 < b or not), ends exactly at a and b. */
export function gridFaces(a: number, b: number, h0: number, r: number): Float64Array {
  const out: number[] = [a];
  let x = a;
  while (x < b) {
    const h = Math.max(h0, r * Math.abs(x));
    x = Math.min(b, x + h);
    if (b - x < 0.3 * h) x = b;
    out.push(x);
  }
  return Float64Array.from(out);
}

/**
 * Solve the first-passage problem (see the module comment). Returns the cumulative masses absorbed at each end on
 * the time grid; the law of the exit time through the right end is `right[i]` at `times[i]`.
 */
export function firstPassageLaw(p: FirstPassageProblem): FirstPassageLaw {
  const faces = gridFaces(p.left, p.right, p.h0 ?? 0.02, p.relativeWidth ?? 0.003);
  const n = faces.length - 1;
  const xc = new Float64Array(n), h = new Float64Array(n);
  for (let i = 0; i < n; i++) { xc[i] = (faces[i]! + faces[i + 1]!) / 2; h[i] = faces[i + 1]! - faces[i]!; }
  // face coefficients: flux through face j (between cells j-1 and j, j = 0..n) = a[j] p_{j-1} - b[j] p_j
  const fa = new Float64Array(n + 1), fb = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) {
    const x = faces[j]!;
    const interior = j > 0 && j < n;
    if (!interior) {
      const kind = j === 0 ? p.leftBoundary : p.rightBoundary;
      if (kind === "reflecting") continue;
    }
    const delta = interior ? xc[j]! - xc[j - 1]! : h[j === 0 ? 0 : n - 1]! / 2;
    const eps = 1e-5 * Math.max(1, Math.abs(x));
    const dD = (Math.max(0, p.diffusion(x + eps)) - Math.max(0, p.diffusion(x - eps))) / (2 * eps);
    const mu = p.drift(x) - dD, D = Math.max(0, p.diffusion(x));
    if (D > 0) {
      const z = (mu * delta) / D;
      fa[j] = (D / delta) * bernoulli(-z);
      fb[j] = (D / delta) * bernoulli(z);
    } else {
      fa[j] = Math.max(mu, 0);
      fb[j] = Math.max(-mu, 0);
    }
    if (j === 0) fa[j] = 0; // outside density is 0
    if (j === n) fb[j] = 0;
  }
  // masses P_i = p_i h_i; dP_i/dt = F_i - F_{i+1}, F_j = fa[j] P_{j-1}/h_{j-1} - fb[j] P_j/h_j
  // => dP/dt = L P with L tridiagonal: lower[i] (coef of P_{i-1}), diag[i], upper[i] (coef of P_{i+1})
  const lower = new Float64Array(n), diag = new Float64Array(n), upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = -(fb[i]! + fa[i + 1]!) / h[i]!;
    if (i > 0) lower[i] = fa[i]! / h[i - 1]!;
    if (i < n - 1) upper[i] = fb[i + 1]! / h[i + 1]!;
  }
  const P = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) { P[i] = Math.max(0, p.initialDensity(xc[i]!)) * h[i]!; total += P[i]!; }
  if (!(total > 0)) throw new Error("firstPassageLaw: the initial density has no mass on the grid");
  for (let i = 0; i < n; i++) P[i]! /= total;
  const outRight = (Q: Float64Array) => fa[n]! * Q[n - 1]! / h[n - 1]!;
  const outLeft = (Q: Float64Array) => fb[0]! * Q[0]! / h[0]!;
  const times = [0], right = [0], left = [0];
  const growth = p.growth ?? 1.002, maxSteps = p.maxSteps ?? 20000, residualMass = p.residualMass ?? 1e-4;
  let dt = 1e-3 * p.timeScale, t = 0, cumR = 0, cumL = 0;
  const rhs = new Float64Array(n), cp = new Float64Array(n), next = new Float64Array(n);
  for (let step = 0; step < maxSteps; step++) {
    const theta = step < 4 ? 1 : 0.5; // implicit Euler start, then Crank–Nicolson
    for (let i = 0; i < n; i++) {
      let lp = diag[i]! * P[i]!;
      if (i > 0) lp += lower[i]! * P[i - 1]!;
      if (i < n - 1) lp += upper[i]! * P[i + 1]!;
      rhs[i] = P[i]! + (1 - theta) * dt * lp;
    }
    // Thomas algorithm for (I - theta dt L) next = rhs
    let bet = 1 - theta * dt * diag[0]!;
    next[0] = rhs[0]! / bet;
    for (let i = 1; i < n; i++) {
      cp[i] = (-theta * dt * upper[i - 1]!) / bet;
      bet = 1 - theta * dt * diag[i]! - (-theta * dt * lower[i]!) * cp[i]!;
      next[i] = (rhs[i]! - (-theta * dt * lower[i]!) * next[i - 1]!) / bet;
    }
    for (let i = n - 2; i >= 0; i--) next[i]! -= cp[i + 1]! * next[i + 1]!;
    cumR += dt * ((1 - theta) * outRight(P) + theta * outRight(next));
    cumL += dt * ((1 - theta) * outLeft(P) + theta * outLeft(next));
    P.set(next);
    t += dt;
    times.push(t); right.push(cumR); left.push(cumL);
    if (1 - cumR - cumL < residualMass) break;
    dt *= growth;
  }
  return { times: Float64Array.from(times), right: Float64Array.from(right), left: Float64Array.from(left), residual: Math.max(0, 1 - cumR - cumL), cells: n };
}
