/**
 * Dated facts and timelines, each fact stamped with the instant it became known.
 * @internal
 */

/** Knowledge of everything folded: no `knownAt` cut. */
export const ALL_KNOWN = Number.POSITIVE_INFINITY

/** A fact of a business date `on`, recorded at `rec` (epoch milliseconds of `recordedAt`). */
export interface Dated<T> {
  readonly on: string
  readonly rec: number
  readonly value: T
}

/** A date-ordered history of one value; entries come from one stream, so `on` and `rec` never decrease. */
export type Timeline<T> = Array<Dated<T>>

/** A fact with only a date and a record instant (a departure, a dissolution, a step). */
export interface Stamp {
  readonly on: string
  readonly rec: number
}

/** True when a stamp is known at `k` and happened on or before `d`. */
export const happened = (s: Stamp | null, d: string, k: number): boolean =>
  s !== null && s.rec <= k && s.on <= d

/**
 * The entry of a timeline in force on `d` as known at `k`: the last known entry dated on or before `d`.
 * Entries recorded after `k` form a suffix (the record clock never runs backwards), so scanning back
 * skips them first.
 */
export const entryAt = <T>(tl: Timeline<T>, d: string, k: number): Dated<T> | undefined => {
  for (let i = tl.length - 1; i >= 0; i--) {
    const e = tl[i]!
    if (e.rec <= k && e.on <= d) return e
  }
  return undefined
}

/** The first entry of a timeline known at `k`. */
export const firstKnown = <T>(tl: Timeline<T>, k: number): Dated<T> | undefined => {
  const e = tl[0]
  return e !== undefined && e.rec <= k ? e : undefined
}
