/**
 * Building a scenario's log: events are added in any order that respects their dependencies, then
 * sorted by business date (stably, so that an organization registered on a day still comes before the
 * events of that day that name it) and stamped with ids and a record clock that never runs backwards.
 * @internal
 */
import type { ImportLine } from '../types'

interface Pending {
  readonly type: string
  readonly data: Record<string, unknown>
  readonly date: string
  readonly seq: number
}

/** Options of `createLog`. */
export interface LogOptions {
  /** Prefix of every event id, unique to the scenario (ids must be unique across the demo). */
  readonly prefix: string
  /** Who records the events. */
  readonly actor: string
  /**
   * When the scenario's records start being entered (ISO instant, UTC with milliseconds). Facts dated
   * earlier are backfilled at that instant onward; later facts are recorded on their own day.
   */
  readonly recordedFrom: string
}

/** Accumulates events, then writes them as import lines. */
export interface LogBuilder {
  /** Adds an event; its business date is `data.on` (or `data.from` for an awareness class). */
  readonly add: (type: string, data: Record<string, unknown>) => void
  /** The lines in log order, with ids and `recordedAt`. */
  readonly finish: () => ImportLine[]
}

const businessDate = (type: string, data: Record<string, unknown>): string => {
  const d = type === 'AwarenessClassHeld' ? data['from'] : data['on']
  if (typeof d !== 'string') throw new Error(`${type} without a business date`)
  return d
}

/** A new, empty log builder. */
export const createLog = (options: LogOptions): LogBuilder => {
  const pending: Pending[] = []
  return {
    add: (type, data) => {
      pending.push({ type, data, date: businessDate(type, data), seq: pending.length })
    },
    finish: () => {
      const sorted = [...pending].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq))
      const from = Date.parse(options.recordedFrom)
      let last = Number.NEGATIVE_INFINITY
      return sorted.map((p, i) => {
        // 08:00 in Vietnam (01:00 UTC) of the fact's own day, never before the scenario's first record,
        // and one second after the previous record: a record clock that only moves forward.
        const own = Date.parse(`${p.date}T01:00:00.000Z`)
        const at = Math.max(own, from, last + 1000)
        last = at
        return {
          type: p.type,
          data: p.data,
          recordedAt: new Date(at).toISOString(),
          actor: options.actor,
          id: `${options.prefix}-e${String(i + 1).padStart(6, '0')}`,
        }
      })
    },
  }
}
