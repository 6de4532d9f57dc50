/**
 * The record clock. Facts are generated in business-date order but recorded days or weeks later, and
 * the log must be in record order with `recordedAt` never going backwards (EVENTS.md). So each fact
 * waits in the bucket of the day it is recorded, and a day's bucket is written out, in the order its
 * facts arrived, once the simulation has passed that day. Only the facts still waiting to be recorded
 * are held: a few weeks of events, never the history.
 * @internal
 */
import { dayStartUtcMs } from './days'

/** Office hours in Vietnam start at 08:00, 01:00 UTC. */
const OPENING_MS = 3_600_000
/** The facts of a day are spread over nine office hours. */
const OFFICE_MS = 9 * 3_600_000
/** At most a minute between two facts recorded the same day. */
const MAX_STEP_MS = 60_000

/**
 * Facts recorded on one day, spelled out only when the day is written: a day with a great many facts
 * of one kind (the 2025 reorganization) need not hold their text for the whole day. `heads` gives
 * the same `count` heads every time it is called. @internal
 */
export interface Deferred {
  readonly count: number
  readonly heads: () => Iterable<string>
}

/** Buckets of facts by record day, and the instant of the last fact written. @internal */
export interface Recorder {
  /** Queues a fact (its JSON without the closing brace), or a block of them, to be recorded on `day`. */
  readonly record: (day: number, head: string | Deferred) => void
  /** The line of a fact recorded now, on `day`, right after the last one written. */
  readonly now: (day: number, head: string) => string
  /**
   * The lines recorded on `day`, in arrival order, with their `recordedAt`; empties the bucket. The
   * lines are made one at a time, as they are read.
   */
  readonly flush: (day: number) => Iterable<string>
  /** The days that still have facts waiting, in increasing order. */
  readonly waitingDays: () => ReadonlyArray<number>
}

const line = (head: string, ms: number): string => `${head},"recordedAt":"${new Date(ms).toISOString()}"}`

/** An empty recorder. @internal */
export const recorder = (): Recorder => {
  const buckets = new Map<number, Array<string | Deferred>>()
  let clock = Number.NEGATIVE_INFINITY
  function* flush(day: number): Generator<string, void, undefined> {
    const bucket = buckets.get(day)
    if (bucket === undefined) return
    buckets.delete(day)
    const count = bucket.reduce((n, fact) => n + (typeof fact === 'string' ? 1 : fact.count), 0)
    const start = Math.max(clock + 1, dayStartUtcMs(day) + OPENING_MS)
    const step = Math.max(1, Math.min(MAX_STEP_MS, Math.floor(OFFICE_MS / count)))
    clock = start + (count - 1) * step
    let i = 0
    for (const fact of bucket) {
      if (typeof fact === 'string') yield line(fact, start + i++ * step)
      else for (const head of fact.heads()) yield line(head, start + i++ * step)
    }
    // A block that spelled out other facts than it counted would have spread the day wrongly.
    if (i !== count) throw new Error(`recorder: ${i} facts written on day ${day}, ${count} counted`)
  }
  return {
    record: (day, head) => {
      const bucket = buckets.get(day)
      if (bucket === undefined) buckets.set(day, [head])
      else bucket.push(head)
    },
    now: (day, head) => {
      clock = Math.max(clock + 1, dayStartUtcMs(day) + OPENING_MS)
      return line(head, clock)
    },
    flush,
    waitingDays: () => [...buckets.keys()].sort((a, b) => a - b),
  }
}
