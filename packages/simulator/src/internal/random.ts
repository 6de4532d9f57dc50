/**
 * The simulator's only source of chance: splitmix32, a 32-bit PRNG small enough to read and fast
 * enough for tens of millions of draws. The same seed gives the same sequence on every platform, so
 * the same arguments give the same history, byte for byte.
 * @internal
 */

/** A seeded stream of draws. @internal */
export interface Random {
  /** A uniform float in [0, 1). */
  readonly next: () => number
  /** A uniform integer in [0, n). */
  readonly int: (n: number) => number
  /** A uniform integer in [lo, hi], both included. */
  readonly between: (lo: number, hi: number) => number
  /** True with probability p. */
  readonly chance: (p: number) => boolean
  /** How many of a rate happen in one draw: ⌊rate⌋, plus one with the fractional part as chance. */
  readonly count: (rate: number) => number
  /** One element of a non-empty array. */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
}

/** A splitmix32 stream seeded with `seed` (any integer; only its low 32 bits count). @internal */
export const random = (seed: number): Random => {
  let state = seed | 0
  const next = (): number => {
    state = (state + 0x9e3779b9) | 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
    z ^= z >>> 15
    return (z >>> 0) / 4294967296
  }
  const int = (n: number): number => Math.floor(next() * n)
  return {
    next,
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    count: (rate) => {
      const whole = Math.floor(rate)
      return whole + (next() < rate - whole ? 1 : 0)
    },
    pick: <A>(items: ReadonlyArray<A>): A => items[int(items.length)] as A,
  }
}
