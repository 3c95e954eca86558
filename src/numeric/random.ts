/** A small seeded generator for the numerical layers (quadrature checks, Monte Carlo estimators) (xoshiro128**, seeded by splitmix32) with Box–Muller normals: reproducible estimators. */

/** A stream of uniforms on (0, 1) (never 0 or 1) and standard normals. */
export interface Rng { uniform(): number; normal(): number }

/**
 * A reproducible generator from a 32-bit seed: xoshiro128** state seeded by splitmix32, uniforms (u + 1/2)/2^32,
 * normals by Box–Muller (in pairs). Same seed, same stream.
 */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = () => { s = (s + 0x9e3779b9) >>> 0; let z = s; z = Math.imul(z ^ (z >>> 16), 0x85ebca6b); z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35); return (z ^ (z >>> 16)) >>> 0; };
  let a = splitmix(), b = splitmix(), c = splitmix(), d = splitmix();
  const next = () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    return result;
  };
  let spare: number | null = null;
  const uniform = () => (next() + 0.5) / 4294967296;
  return {
    uniform,
    normal() {
      if (spare !== null) { const v = spare; spare = null; return v; }
      const r = Math.sqrt(-2 * Math.log(uniform())), t = 2 * Math.PI * uniform();
      spare = r * Math.sin(t);
      return r * Math.cos(t);
    },
  };
}
const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
