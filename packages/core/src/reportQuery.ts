/**
 * The report query from outside, decoded once: one io-ts codec that the command line (its options) and
 * the ledger (its callers' queries) both decode with, the one place that checks a report's name, its
 * organization, dates, known-at instant, period, occupation and `includeMerged`. The reports themselves
 * read a decoded query and check only what depends on the log (an organization that is not registered).
 */
import { domainError, type DomainError } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as t from 'io-ts'
import type { ReportQueryCode } from './errorCodes'
import { Occupation } from './events'
import { Instant, LocalDate, NonEmptyString, Period, enumeration } from './primitives'
import { REPORT_NAMES, REPORTS_NEEDING_PERIOD, type ReportName, type ReportQuery } from './reports'

/** What the date options take, as the messages that refuse a value say it. */
const DATE = 'a calendar date YYYY-MM-DD (one that exists)'
const INSTANT = 'an ISO 8601 instant with its offset, e.g. 2016-11-18T09:00:00+07:00'
const PERIOD = 'YYYY, YYYY-YYYY or YYYY-MM-DD/YYYY-MM-DD (calendar dates, the first not after the last)'

/** Each field of a query: its codec, the code of its refusal and what it takes. */
const FIELDS = {
  orgId: {
    codec: NonEmptyString,
    code: 'invalid-query',
    expected: 'an organization id (a non-empty string)',
  },
  asOf: { codec: LocalDate, code: 'invalid-date', expected: DATE },
  knownAt: { codec: Instant, code: 'invalid-date', expected: INSTANT },
  period: { codec: Period, code: 'invalid-period', expected: PERIOD },
  occupation: {
    codec: Occupation,
    code: 'invalid-occupation',
    expected: `one of ${Object.keys(Occupation.keys).join(', ')}`,
  },
  since: { codec: LocalDate, code: 'invalid-date', expected: DATE },
  includeMerged: { codec: t.boolean, code: 'invalid-query', expected: 'true or false' },
} as const satisfies Record<string, { codec: t.Mixed; code: ReportQueryCode; expected: string }>

/** A field of a report request: the report's name or one of its query's. */
export type ReportQueryField = 'name' | keyof typeof FIELDS

/**
 * A report request refused: a `DomainError` whose `path` is the field, with the value given and what the
 * field takes, so that the command line can name its own option instead.
 */
export interface ReportQueryError extends DomainError {
  readonly code: ReportQueryCode
  readonly path: ReportQueryField
  /** The value given (`undefined`: none). */
  readonly value: unknown
  /** What the field takes, e.g. "a calendar date YYYY-MM-DD (one that exists)". */
  readonly expected: string
}

/** The name of a report (`ketnap report NAME`). */
export const ReportNameCodec = enumeration(REPORT_NAMES, 'ReportName')

/**
 * A report's query as asked: `asOf` may be left out (the ledger takes today in Vietnam). Fields it does
 * not know are dropped.
 */
export const ReportQueryCodec = t.exact(
  t.intersection([
    t.type({ orgId: FIELDS.orgId.codec }),
    t.partial({
      period: FIELDS.period.codec,
      occupation: FIELDS.occupation.codec,
      asOf: FIELDS.asOf.codec,
      knownAt: FIELDS.knownAt.codec,
      since: FIELDS.since.codec,
      includeMerged: FIELDS.includeMerged.codec,
    }),
  ]),
  'ReportQuery',
)

/** A report's query as asked (`asOf` may be missing). */
export type AskedReportQuery = Omit<ReportQuery, 'asOf'> & { readonly asOf?: string }

/** A decoded report request: the report and its query. */
export interface ReportRequest<Q extends AskedReportQuery = ReportQuery> {
  readonly name: ReportName
  readonly query: Q
}

const refusal = (
  path: ReportQueryField,
  code: ReportQueryCode,
  value: unknown,
  expected: string,
  message?: string,
): ReportQueryError => ({
  ...domainError(
    code,
    message ??
      (value === undefined
        ? `${path} is required: ${expected}`
        : `${path} must be ${expected}, got ${typeof value === 'string' ? value : JSON.stringify(value)}`),
    path,
  ),
  code,
  path,
  value,
  expected,
})

/** The refusal of the first field a decoding failed on. */
const firstRefusal = (errors: t.Errors, query: unknown): ReportQueryError => {
  for (const error of errors) {
    const entry = error.context.find((c) => c.key in FIELDS)
    if (entry === undefined) continue
    const field = entry.key as keyof typeof FIELDS
    return refusal(field, FIELDS[field].code, error.value, FIELDS[field].expected)
  }
  return refusal('orgId', 'invalid-query', query, 'an object with orgId', 'a report query must be an object')
}

/** Drops the fields given as `undefined`, as if left out. */
const defined = (u: unknown): unknown =>
  typeof u === 'object' && u !== null && !Array.isArray(u)
    ? Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined))
    : u

/**
 * The query of one report, as the report needs it: a period for those that count one
 * (`REPORTS_NEEDING_PERIOD`), and a year for ratings.
 */
const forReport = <Q extends AskedReportQuery>(name: ReportName, query: Q): E.Either<ReportQueryError, Q> => {
  if (query.period === undefined && REPORTS_NEEDING_PERIOD.includes(name))
    return E.left(
      refusal(
        'period',
        'invalid-period',
        undefined,
        PERIOD,
        `the ${name} report needs a period (YYYY, YYYY-YYYY or D/D)`,
      ),
    )
  if (name === 'ratings' && query.period !== undefined && !/^\d{4}$/.test(query.period))
    return E.left(
      refusal(
        'period',
        'invalid-period',
        query.period,
        'a year YYYY (ratings are yearly)',
        `ratings are yearly: the period must be a year YYYY, got ${query.period}`,
      ),
    )
  return E.right(query)
}

/**
 * Decodes a report request from outside (the command line's options, an embedder's call): the report's
 * name, then its query, field by field, then what the report needs of it. The first refusal names its
 * field. `asOf` may be left out.
 */
export const decodeAskedReport = (
  name: unknown,
  query: unknown,
): E.Either<ReportQueryError, ReportRequest<AskedReportQuery>> =>
  pipe(
    ReportNameCodec.decode(name),
    E.mapLeft(() =>
      refusal(
        'name',
        'unknown-report',
        name,
        `one of ${REPORT_NAMES.join(', ')}`,
        `unknown report ${JSON.stringify(name)}: one of ${REPORT_NAMES.join(', ')}`,
      ),
    ),
    E.chain((n) =>
      pipe(
        ReportQueryCodec.decode(defined(query)),
        E.mapLeft((errors) => firstRefusal(errors, query)),
        E.chain((q) => forReport<AskedReportQuery>(n, q)),
        E.map((q) => ({ name: n, query: q })),
      ),
    ),
  )

/** Decodes a report request whose `asOf` is required (or filled with `today` when left out). */
export const decodeReportRequest = (
  name: unknown,
  query: unknown,
  today?: string,
): E.Either<ReportQueryError, ReportRequest> =>
  pipe(
    decodeAskedReport(name, query),
    E.chain(({ name: n, query: q }) => {
      const asOf = q.asOf ?? today
      return asOf === undefined
        ? E.left(refusal('asOf', 'invalid-date', undefined, DATE))
        : E.right({ name: n, query: { ...q, asOf } })
    }),
  )
