/** Real roots of a univariate function on an interval: sign changes on a fine grid, refined by bisection. */

/** Roots found by a grid scan, and whether the scan gave up because there were too many. */

export interface RootScan {
  readonly roots: number[];
  /** True when the scan found more sign changes than `maxRoots` (e.g. sign(sin(1/z))). */
  readonly tooMany: boolean;
}

/**
 * Roots of g in [a, b]: sign changes (and finite/non-finite transitions, i.e. domain edges) on an equal grid,
 * each refined by bisection to machine precision, and exact zeros on the grid (of a run of them, its two ends). Roots closer than the grid spacing can be missed in pairs.
 * @param options.grid number of grid intervals (default 4000); options.maxRoots stop after this many (default 100).
 */
export function findRoots(g: (x: number) => number, a: number, b: number, options: { grid?: number; maxRoots?: number } = {}): RootScan {
  const n = options.grid ?? 4000;
  const maxRoots = options.maxRoots ?? 100;
  const roots: number[] = [];
  const h = (b - a) / n;
  let x0 = a, g0 = g(a);
  const push = (r: number) => {
    if (roots.length === 0 || Math.abs(r - roots[roots.length - 1]!) > 1e-12 * Math.max(1, Math.abs(r))) roots.push(r);
  };
  // inside a run of exact zeros (relu(z) for z < 0) only the run's ends can be kinks: the interior is not pushed
  let prevZero = false;
  for (let i = 1; i <= n; i++) {
    const x1 = a + i * h, g1 = g(x1);
    if (g0 === 0 && !(prevZero && g1 === 0)) push(x0);
    else if (Number.isFinite(g0) && Number.isFinite(g1) && g0 * g1 < 0) push(bisect(g, x0, x1, g0));
    else if (Number.isFinite(g0) !== Number.isFinite(g1)) push(bisect((x) => (Number.isFinite(g(x)) ? 1 : -1), x0, x1, Number.isFinite(g0) ? 1 : -1));
    if (roots.length > maxRoots) return { roots, tooMany: true };
    prevZero = g0 === 0;
    x0 = x1; g0 = g1;
  }
  if (g0 === 0) push(x0);
  return { roots, tooMany: false };
}

/** Bisection to machine precision on [a, b] where g changes sign (ga = g(a)). */
export function bisect(g: (x: number) => number, a: number, b: number, ga: number): number {
  let lo = a, hi = b, glo = ga;
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    const gm = g(mid);
    if (gm === 0) return mid;
    if (gm * glo < 0 || (Number.isFinite(glo) && !Number.isFinite(gm) && glo < 0)) hi = mid;
    else { lo = mid; glo = gm; }
  }
  return (lo + hi) / 2;
}
