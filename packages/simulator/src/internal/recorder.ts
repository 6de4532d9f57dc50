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

/** Buckets of facts by record day, and the instant of the last fact written. @internal */
export interface Recorder {
  /** Queues a fact (its JSON without the closing brace) to be recorded on `day`. */
  readonly record: (day: number, head: string) => void
  /** The line of a fact recorded now, on `day`, right after the last one written. */
  readonly now: (day: number, head: string) => string
  /** The lines recorded on `day`, in arrival order, with their `recordedAt`; empties the bucket. */
  readonly flush: (day: number) => ReadonlyArray<string>
  /** The days that still have facts waiting, in increasing order. */
  readonly waitingDays: () => ReadonlyArray<number>
}

const line = (head: string, ms: number): string => `${head},"recordedAt":"${new Date(ms).toISOString()}"}`

/** An empty recorder. @internal */
export const recorder = (): Recorder => {
  const buckets = new Map<number, string[]>()
  let clock = Number.NEGATIVE_INFINITY
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
    flush: (day) => {
      const bucket = buckets.get(day)
      if (bucket === undefined) return []
      buckets.delete(day)
      const start = Math.max(clock + 1, dayStartUtcMs(day) + OPENING_MS)
      const step = Math.max(1, Math.min(MAX_STEP_MS, Math.floor(OFFICE_MS / bucket.length)))
      const lines = bucket.map((head, i) => line(head, start + i * step))
      clock = start + (bucket.length - 1) * step
      return lines
    },
    waitingDays: () => [...buckets.keys()].sort((a, b) => a - b),
  }
}
