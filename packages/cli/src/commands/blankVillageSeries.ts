/**
 * The series of the blank-villages chart (`ketnap report blank-villages --format html`): the blank
 * villages of the scope on each of several dates, each counted by the same report.
 */
import { addDays, isLocalDate, type BlankVillagesReport } from '@ketnap/core'
import type { Actor, Ledger, LedgerError, ReportOptions } from '@ketnap/ledger'
import type { HtmlOptions } from '@ketnap/report'
import * as E from 'fp-ts/Either'

/** A point of the chart: a date and the blank villages on it. */
type Point = NonNullable<HtmlOptions['blankVillageSeries']>[number]

/** The last day of the month of `date`. */
const monthEnd = (date: string): string => {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))]
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
  return addDays(next, -1)
}

/** The default dates of the chart with `--since`: that date, every month end after it and before the as-of date, the as-of date. */
export const monthlyDates = (since: string, asOf: string): ReadonlyArray<string> => {
  if (asOf <= since) return [asOf]
  const out = [since]
  for (let d = monthEnd(since); d < asOf; d = monthEnd(addDays(d, 1))) if (d > since) out.push(d)
  out.push(asOf)
  return out
}

/** `--series D1,D2,...`: dates YYYY-MM-DD, sorted and without repeats; a message naming a bad one. */
export const parseSeries = (raw: unknown): E.Either<string, ReadonlyArray<string>> => {
  if (typeof raw !== 'string') return E.left('--series takes dates YYYY-MM-DD separated by commas')
  const dates = raw.split(',').map((d) => d.trim())
  const bad = dates.find((d) => !isLocalDate(d))
  if (bad !== undefined)
    return E.left(`--series: ${JSON.stringify(bad)} is not a calendar date YYYY-MM-DD (one that exists)`)
  return E.right([...new Set(dates)].sort())
}

/** The blank villages of the query's scope on each date, by the blank-villages report. */
export const blankVillageSeries = async (
  ledger: Ledger,
  actor: Actor,
  query: ReportOptions,
  dates: ReadonlyArray<string>,
): Promise<E.Either<LedgerError, ReadonlyArray<Point>>> => {
  const { since: _since, onProgress: _progress, ...rest } = query
  const points: Point[] = []
  for (const date of dates) {
    const r = await ledger.report('blank-villages', actor, { ...rest, asOf: date })()
    if (E.isLeft(r)) return r
    points.push({ date, blank: (r.right as BlankVillagesReport).withoutMembers })
  }
  return E.right(points)
}
