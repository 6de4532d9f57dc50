/**
 * Whether a phase can fit, forecast from a smaller run on this machine (`results/latest-province.json`):
 * its time and peak memory per event, multiplied by the events of this run. A phase forecast to exceed
 * Node's default heap limit (the state it holds grows with the log) or the phase's time limit is cut
 * before it starts, with the arithmetic, rather than left to crash an hour later.
 */
import { existsSync, readFileSync } from 'node:fs'
import { getHeapStatistics } from 'node:v8'
import type { Subject } from './figures'

/** The figures of an earlier run that forecasts are made from. */
export interface ForecastBasis {
  /** Which file, for the notes. */
  readonly file: string
  readonly events: number
  readonly figures: ReadonlyArray<{
    readonly subject: string
    readonly key: string
    readonly value: number | null
  }>
}

/** Reads the basis of forecasts, when a run of that file exists and is smaller than `events`. */
export const loadBasis = (file: string, events: number): ForecastBasis | null => {
  if (!existsSync(file)) return null
  const run = JSON.parse(readFileSync(file, 'utf8')) as {
    log?: { events?: number }
    figures?: ForecastBasis['figures']
  }
  const basisEvents = run.log?.events
  if (basisEvents === undefined || basisEvents >= events || run.figures === undefined) return null
  return { file, events: basisEvents, figures: run.figures }
}

/** Node's default heap limit on this machine (MiB): a process holding more state than this dies. */
export const heapLimitMiB = (): number => getHeapStatistics().heap_size_limit / 1024 ** 2

/** A forecast: why the phase is cut (null when it fits), and the arithmetic either way. */
export interface Forecast {
  readonly cut: string | null
  readonly arithmetic: string
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

/**
 * The phases whose memory does not grow with the log: the import holds the organization tree and a
 * bounded cache of persons, the rest is in the store (D26). Their peak is not scaled per event; only
 * their time is forecast.
 */
const boundedMemory: ReadonlySet<string> = new Set(['import'])

/**
 * The forecast of a phase whose rate figure is `key` (events/s) and memory figure `${key}-rss` (MiB) in
 * the basis, for `events` events; null when the basis lacks them.
 */
export const forecastPhase = (
  basis: ForecastBasis,
  subject: Subject,
  key: string,
  events: number,
  phaseLimitMs: number,
): Forecast | null => {
  const value = (k: string): number | null =>
    basis.figures.find((f) => f.subject === subject && f.key === k)?.value ?? null
  const rate = value(key)
  const rss = value(`${key}-rss`)
  if (rate === null || rss === null) return null
  const ms = (events / rate) * 1000
  const bounded = boundedMemory.has(key)
  const mib = bounded ? rss : (rss / basis.events) * events
  const heap = heapLimitMiB()
  const memory = bounded
    ? `${fmt(rss)} MiB at ${fmt(basis.events)} events, bounded (not scaled with the log)`
    : `${fmt(rss)} MiB at ${fmt(basis.events)} events → ${fmt(rss)} ÷ ${fmt(basis.events)} × ${fmt(events)} ≈ ${fmt(mib)} MiB`
  const arithmetic = `${memory}; ${fmt(events)} events ÷ ${fmt(rate)} events/s ≈ ${(ms / 60_000).toFixed(0)} min`
  const over: string[] = []
  if (mib > heap) over.push(`over Node's default heap limit of ${fmt(heap)} MiB`)
  if (ms > phaseLimitMs) over.push(`over the ${(phaseLimitMs / 60_000).toFixed(0)}-min phase limit`)
  return {
    cut: over.length === 0 ? null : `cut before starting: forecast ${arithmetic}: ${over.join(', and ')}`,
    arithmetic,
  }
}
