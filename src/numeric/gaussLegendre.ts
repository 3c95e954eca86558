/** Gauss–Legendre rules on [-1, 1], computed by Newton's method on P_n (Golub–Welsch accuracy, ~1e-16). */

/** A quadrature rule: sum_i weights[i] g(nodes[i]) approximates the integral of g against the rule's weight. */
export interface Rule { readonly nodes: Float64Array; readonly weights: Float64Array }

const cache = new Map<number, Rule>();

/**
 * The n-point Gauss–Legendre rule on [-1, 1] (exact for polynomials of degree <= 2n - 1): nodes are the roots of
 * P_n (Tricomi's initial guess, Newton on the three-term recurrence), weights 2 / ((1 - x^2) P_n'(x)^2). Cached.
 */
export function gaussLegendre(n: number): Rule {
  const hit = cache.get(n);
  if (hit) return hit;
  const nodes = new Float64Array(n), weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    // Tricomi's initial guess for the i-th root, then Newton on P_n with the three-term recurrence.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1; p1 = p2;
      }
      const pn = n === 1 ? x : p1, pnm1 = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pnm1)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    const w = 2 / ((1 - x * x) * dp * dp);
    nodes[i] = -x; weights[i] = w;
    nodes[n - 1 - i] = x; weights[n - 1 - i] = w;
  }
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}
