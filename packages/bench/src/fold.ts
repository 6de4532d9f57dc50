/**
 * A bare fold: the parsed events of the log counted per type and per stream in memory, the least any
 * projection does per event. Lines are parsed in chunks outside the clock, so that the figure is the
 * fold alone.
 */
import { streamOf, type DomainEvent } from '@ketnap/core'
import { pastDeadline, type Deadline } from './deadline'
import { linesOf } from './logFile'
import { now, since } from './progress'
import type { Timed } from './sqliteLimits'

const CHUNK = 50_000

/** Folds the log's events (parsed beforehand, chunk by chunk) into counts per type and per stream. */
export const bareFold = async (
  logPath: string,
  deadline?: Deadline,
): Promise<Timed & { readonly streams: number }> => {
  const byType = new Map<string, number>()
  const byStream = new Map<string, number>()
  let ms = 0
  let events = 0
  const fold = (chunk: ReadonlyArray<DomainEvent>): void => {
    const start = now()
    for (const event of chunk) {
      byType.set(event.type, (byType.get(event.type) ?? 0) + 1)
      const stream = streamOf(event)
      byStream.set(stream, (byStream.get(stream) ?? 0) + 1)
    }
    ms += since(start)
    events += chunk.length
  }
  let chunk: DomainEvent[] = []
  for await (const line of linesOf(logPath)) {
    chunk.push(JSON.parse(line) as DomainEvent)
    if (chunk.length === CHUNK) {
      fold(chunk)
      chunk = []
      if (pastDeadline(deadline)) break
    }
  }
  fold(chunk)
  return deadline?.reached === true
    ? { events, ms, streams: byStream.size, cut: true }
    : { events, ms, streams: byStream.size }
}
