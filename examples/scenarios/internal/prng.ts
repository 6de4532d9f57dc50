/**
 * A seeded pseudo-random generator (mulberry32) and the few draws the scenarios need: the same seed
 * always gives the same people, dates and votes.
 * @internal
 */

/** A deterministic source of draws. */
export interface Rng {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [lo, hi], both included. */
  readonly int: (lo: number, hi: number) => number
  /** True with probability `p`. */
  readonly chance: (p: number) => boolean
  /** One element of a non-empty list. */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
}

/** A generator seeded with a 32-bit integer (mulberry32, public domain). */
export const createRng = (seed: number): Rng => {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <A>(items: ReadonlyArray<A>): A => {
    const item = items[Math.floor(next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }
  return { next, int, chance: (p) => next() < p, pick }
}

/**
 * Splits `total` into `parts` non-negative integers as even as possible (the first ones get the
 * remainder), e.g. 10 into 3 gives [4, 3, 3].
 */
export const spread = (total: number, parts: number): number[] =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0))

/** Splits `total` into integers proportional to `weights` (largest remainder), summing exactly to `total`. */
export const apportion = (total: number, weights: ReadonlyArray<number>): number[] => {
  const sum = weights.reduce((a, b) => a + b, 0)
  const raw = weights.map((w) => (total * w) / sum)
  const out = raw.map(Math.floor)
  let left = total - out.reduce((a, b) => a + b, 0)
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1])
  for (const [, i] of order) {
    if (left <= 0) break
    out[i] = (out[i] ?? 0) + 1
    left -= 1
  }
  return out
}
