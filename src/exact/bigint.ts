/** Small exact-integer helpers (BigInt). */

/** n! as a BigInt (memoised). */
export const factorial = (() => {
  const cache: bigint[] = [1n];
  return (n: number): bigint => {
    for (let i = cache.length; i <= n; i++) cache.push(cache[i - 1]! * BigInt(i));
    return cache[n]!;
  };
})();

/** (n-1)!! for even n (the Gaussian moment E[Z^n]); 0 for odd n. */
export function gaussianMoment(n: number): bigint {
  if (n % 2 === 1) return 0n;
  let r = 1n;
  for (let j = n - 1; j > 1; j -= 2) r *= BigInt(j);
  return r;
}

/** Nearest double to p/q for arbitrarily large BigInts. */
export function ratioToNumber(p: bigint, q: bigint): number {
  if (q < 0n) { p = -p; q = -q; }
  if (p === 0n) return 0;
  const neg = p < 0n;
  if (neg) p = -p;
  const bp = p.toString(2).length, bq = q.toString(2).length;
  // scale so that the quotient carries ~64 significant bits
  const shift = bq - bp + 64;
  const num = shift >= 0 ? p << BigInt(shift) : p >> BigInt(-shift);
  const quo = num / q;
  const v = Number(quo) * Math.pow(2, -shift);
  return neg ? -v : v;
}

/** Writes n = s^2 * r with r squarefree; returns [s, r]. Trial division (arguments here are factorials' factors). */
export function squarefreeSplit(n: bigint): [bigint, bigint] {
  if (n <= 0n) throw new Error("squarefreeSplit needs n > 0");
  let s = 1n, r = 1n, m = n;
  for (let p = 2n; p * p <= m; p += p === 2n ? 1n : 2n) {
    let e = 0;
    while (m % p === 0n) { m /= p; e++; }
    if (e > 0) {
      s *= p ** BigInt(e >> 1);
      if (e & 1) r *= p;
    }
    if (p > 100000n) break;
  }
  if (m > 1n) {
    // m is prime here, or a product of primes > 1e5 (never for factorial arguments); treat it as squarefree
    r *= m;
  }
  return [s, r];
}
