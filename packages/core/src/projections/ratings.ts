/**
 * Ratings of organizations for a year (đánh giá, xếp loại tổ chức đảng), with each organization's quota
 * attainment beside its rating: DOMAIN.md makes attainment one of the rating's criteria.
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import type { DomainError } from '@ketnap/kernel'
import { Rating } from '../events'
import type { RatingRow, RatingsReport, ReportQuery } from '../reports'
import { chooseQuota, knownQuotas } from './attainment'
import { checkPeriod, inPeriod, reportContext } from './context'
import { admissionCounts, chainAt, reaches, shareOf, sortIds } from './facts'
import type { RatingFacts, ReportsState } from './state'

/** The rating values, in the catalog's order (best first). */
const RATINGS: ReadonlyArray<string> = Object.keys(Rating.keys)

/**
 * The ratings report of CLI.md (`--period` a year). An organization counts when its last known rating
 * for the year, dated on or before the as-of date, was given while it was in ORG's subtree (ORG
 * included), on the rating's date. Its `rate` is its attainment for that year, as the attainment
 * report computes it (admissions of the year up to the as-of date, through the hierarchy of each
 * admission date, against the quota chosen as EVENTS.md says).
 */
export const ratings = (state: ReportsState, query: ReportQuery): E.Either<DomainError, RatingsReport> =>
  pipe(
    E.Do,
    E.apS('ctx', reportContext(state, query)),
    E.apS('p', checkPeriod(query)),
    E.map(({ ctx, p }) => {
      const { k, asOf } = ctx
      const year = Number(p.period)
      const rated = new Map<string, RatingFacts>()
      for (const [orgId, list] of state.ratings) {
        let last: RatingFacts | undefined
        for (const r of list) if (r.year === year && r.rec <= k && r.on <= asOf) last = r
        if (last !== undefined && reaches(state, orgId, ctx.rootsOn(last.on), last.on, k))
          rated.set(orgId, last)
      }
      // Admissions of the year attributed to each rated organization, in one pass.
      const admitted = new Map<string, number>()
      if (rated.size > 0)
        for (const person of state.persons.values())
          for (const m of person.memberships) {
            if (!inPeriod(p, m.on) || !admissionCounts(m, k)) continue
            for (const id of chainAt(state, m.orgId, m.on, k))
              if (rated.has(id)) admitted.set(id, (admitted.get(id) ?? 0) + 1)
          }
      const quotaDate = p.end < p.from ? asOf : p.end
      const rows: RatingRow[] = sortIds(rated.keys()).map((id) => {
        const target = chooseQuota(state, knownQuotas(state, id, p.period, null, k), id, quotaDate, k)?.target
        return {
          orgId: id,
          name: state.orgs.get(id)?.name ?? id,
          rating: rated.get(id)!.rating,
          rate: target === undefined ? null : (admitted.get(id) ?? 0) / target,
        }
      })
      const byRating: Record<string, number> = {}
      for (const r of RATINGS) byRating[r] = 0
      for (const row of rows) byRating[row.rating] = (byRating[row.rating] ?? 0) + 1
      const shares: Record<string, number | null> = {}
      for (const r of RATINGS) shares[r] = shareOf(byRating[r] ?? 0, rows.length)
      return {
        report: 'ratings' as const,
        ...ctx.base,
        period: p.period,
        rated: rows.length,
        byRating,
        shares,
        rows,
      }
    }),
  )
