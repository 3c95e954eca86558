/**
 * Gauss–Hermite rule for the standard normal weight: sum_i w_i g(x_i) ~ E[g(Z)], exact for polynomials of degree
 * <= 2n - 1. Golub–Welsch: the nodes are the eigenvalues of the Jacobi matrix of the probabilists' recurrence
 * (zero diagonal, off-diagonal sqrt(k)), the weights the squared first components of its unit eigenvectors,
 * computed by the implicit QL algorithm carrying only the first row of the eigenvector matrix.
 */
import type { Rule } from "./gaussLegendre.js";

const cache = new Map<number, Rule>();

/**
 * The n-point Gauss–Hermite rule for the standard normal weight: sum_i w_i g(x_i) ~ E[g(Z)], Z ~ N(0, 1), exact
 * for polynomials of degree <= 2n - 1 (Golub–Welsch, see the module comment). Cached.
 */
export function gaussHermite(n: number): Rule {
  const hit = cache.get(n);
  if (hit) return hit;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let k = 1; k < n; k++) e[k - 1] = Math.sqrt(k);
  const z = new Float64Array(n);
  z[0] = 1;
  // implicit QL with Wilkinson shifts (tqli), rotations applied to the first row z of the eigenvector matrix
  for (let l = 0; l < n; l++) {
    for (let iter = 0; iter < 60; iter++) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        let f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) { d[i + 1]! -= p; e[m] = 0; break; }
        s = f / r; c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        f = z[i + 1]!;
        z[i + 1] = s * z[i]! + c * f;
        z[i] = c * z[i]! - s * f;
      }
      if (r === 0 && i >= l) continue;
      d[l]! -= p; e[l] = g; e[m] = 0;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  const nodes = Float64Array.from(order, (i) => d[i]!);
  const weights = Float64Array.from(order, (i) => z[i]! * z[i]!);
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}
