/**
 * Checking a report query against the state: the organization, the two clocks, the period.
 * @internal
 */
import * as E from 'fp-ts/Either'
import { domainError, type DomainError } from '@ketnap/kernel'
import type { ReportQueryCode } from '../errorCodes'
import type { Policy } from '../policy'
import { parsePeriod, type PeriodRange } from '../primitives'
import type { ReportBase, ReportQuery } from '../reports'
import { absorbedInto, knownOrg, rootsOn, type Absorbed, type Roots } from './facts'
import type { OrgFacts, ReportsState } from './state'
import { ALL_KNOWN } from './timeline'

/** A query the reports refuse: its code is listed in `CoreErrorCodes.reportQuery`. @internal */
export const queryError = (code: ReportQueryCode, message: string, path: string): DomainError =>
  domainError(code, message, path)

/**
 * The settings of the policy the reports read: vote majority, probation, every deadline, holidays,
 * and the date it is in force from.
 */
export type ReportsPolicy = Pick<
  Policy,
  | 'validFrom'
  | 'majority'
  | 'probationMonths'
  | 'confirmationDeadlineWorkingDays'
  | 'decisionDeadlineWorkingDays'
  | 'decisionExtensionWorkingDays'
  | 'ceremonyDeadlineWorkingDays'
  | 'certificateValidityMonths'
  | 'holidays'
>

/** A checked query: the organization, the date, the knowledge instant, the shared report fields. */
export interface ReportContext {
  readonly state: ReportsState
  readonly org: OrgFacts
  readonly asOf: string
  /** `knownAt` as epoch milliseconds; infinite without one. */
  readonly k: number
  readonly base: ReportBase
  /** The organizations merged into `org` that the query counts (`includeMerged`; empty without it). */
  readonly absorbed: ReadonlyArray<Absorbed>
  /** The organizations whose subtrees count on `d`: `org`, and those absorbed after `d`. */
  readonly rootsOn: (d: string) => Roots
}

/**
 * The organization of a query, as known at its `knownAt`. The query is decoded already
 * (`decodeReportRequest`, the one codec of the command line and the ledger): its dates, instant and
 * period are not checked again here; only what depends on the log is.
 */
export const reportContext = (state: ReportsState, q: ReportQuery): E.Either<DomainError, ReportContext> => {
  const k = state.knownBound ?? (q.knownAt === undefined ? ALL_KNOWN : Date.parse(q.knownAt))
  const org = knownOrg(state, q.orgId, k)
  if (org === undefined)
    return E.left(
      queryError(
        'unknown-org',
        q.knownAt === undefined
          ? `no organization ${q.orgId} is registered`
          : `no organization ${q.orgId} is registered as known at ${q.knownAt}`,
        'orgId',
      ),
    )
  const absorbed = q.includeMerged === true ? absorbedInto(state, org.id, k) : []
  const merged = absorbed.map((a) => ({
    orgId: a.id,
    orgName: state.orgs.get(a.id)?.name ?? a.id,
    until: a.until,
  }))
  return E.right({
    state,
    org,
    asOf: q.asOf,
    k,
    base: {
      orgId: org.id,
      orgName: org.name,
      asOf: q.asOf,
      knownAt: q.knownAt ?? null,
      ...(q.includeMerged === true ? { merged } : {}),
    },
    absorbed,
    rootsOn: (d) => rootsOn(org.id, absorbed, d),
  })
}

/** The period of a query that requires one, with its days cut at `asOf`: [from, end]. */
export interface CheckedPeriod extends PeriodRange {
  readonly period: string
  /** The last day counted: the period's end or the as-of date, whichever is earlier. */
  readonly end: string
}

/**
 * The period of a decoded query (`decodeReportRequest` refuses a report that needs one without it, and a
 * malformed one); a query that was not decoded is refused rather than counted on a guess.
 */
export const checkPeriod = (q: ReportQuery): E.Either<DomainError, CheckedPeriod> => {
  const r = q.period === undefined ? null : parsePeriod(q.period)
  if (r === null || q.period === undefined)
    return E.left(
      queryError(
        'invalid-period',
        `the query was not decoded (decodeReportRequest): period ${String(q.period)}`,
        'period',
      ),
    )
  return E.right({ period: q.period, from: r.from, to: r.to, end: r.to < q.asOf ? r.to : q.asOf })
}

/** True when `d` falls in the period, up to the as-of date. */
export const inPeriod = (p: CheckedPeriod, d: string): boolean => d >= p.from && d <= p.end
