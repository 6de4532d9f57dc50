/**
 * `simulate`: a synthetic history of party member development as JSON Lines, valid line by line
 * (every line passes `ketnap import`, in order), deterministic (the same options give the same
 * bytes), streamed (memory holds compact per-person state, never the history).
 */
import { SCALES, type ScaleName } from './scales'
import { simulation } from './internal/simulation'

/** What to simulate. */
export interface SimulateOptions {
  /** The size of the country simulated (see `SCALES`). */
  readonly scale: ScaleName
  /** Calendar years simulated, from 1 January of `from`; default 10. */
  readonly years?: number
  /** The first year; default 2016. The 2025 reorganization happens when 2025-07-01 falls inside. */
  readonly from?: number
  /** The seed of the pseudo-random draws; default 1. */
  readonly seed?: number
}

/** The defaults of `SimulateOptions`. */
export const SIMULATE_DEFAULTS = { years: 10, from: 2016, seed: 1 } as const

/** The first and last years a simulation may cover (dates are kept as 16-bit days since 1900). */
const FIRST_YEAR = 1990
const LAST_YEAR = 2070

/** Why `options` cannot be simulated, or null when they can. */
export const simulateOptionsError = (options: SimulateOptions): string | null => {
  const {
    years = SIMULATE_DEFAULTS.years,
    from = SIMULATE_DEFAULTS.from,
    seed = SIMULATE_DEFAULTS.seed,
  } = options
  if (!Object.hasOwn(SCALES, options.scale)) return `unknown scale ${String(options.scale)}`
  if (!Number.isSafeInteger(years) || years < 1) return `years must be a positive integer, not ${years}`
  if (!Number.isSafeInteger(from) || from < FIRST_YEAR || from + years - 1 > LAST_YEAR) {
    return `the simulated years must lie between ${FIRST_YEAR} and ${LAST_YEAR}`
  }
  if (!Number.isSafeInteger(seed)) return `seed must be an integer, not ${seed}`
  return null
}

/**
 * The lines of a simulated history (JSON Lines, without the newline), in log order: `type`, `data`,
 * a `recordedAt` that never goes backwards and an `id` (`idPrefix`). Lazy: nothing is computed before the first line is
 * asked for, and stopping early leaves nothing behind. Throws a RangeError for options that
 * `simulateOptionsError` refuses.
 */
export const simulate = (options: SimulateOptions): Iterable<string> => {
  const error = simulateOptionsError(options)
  if (error !== null) throw new RangeError(error)
  const scale = SCALES[options.scale]
  const from = options.from ?? SIMULATE_DEFAULTS.from
  const years = options.years ?? SIMULATE_DEFAULTS.years
  const seed = options.seed ?? SIMULATE_DEFAULTS.seed
  const prefix = idPrefix(options.scale, seed, from, years)
  return {
    [Symbol.iterator]: function* () {
      let n = 0
      for (const line of simulation({ scale, from, years, seed })) {
        yield `${line.slice(0, -1)},"id":"${prefix}${(n++).toString(36)}"}`
      }
    },
  }
}

/**
 * The ids of a simulated history: its options, then the line's index in base 36
 * (`province-1-2016-10-0`, `province-1-2016-10-1`, …). Every line carries one, so that importing the
 * same history twice, or in parts, gives the same chain (a line without an id gets a random one,
 * EVENTS.md; D39), and two histories of different options share no id.
 */
export const idPrefix = (scale: ScaleName, seed: number, from: number, years: number): string =>
  `${scale}-${seed}-${from}-${years}-`
