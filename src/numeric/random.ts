/** A small seeded generator for the numerical layers (quadrature checks, Monte Carlo estimators) (xoshiro128**, seeded by splitmix32) with Box–Muller normals: reproducible estimators. */
export interface Rng { uniform(): number; normal(): number }

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
