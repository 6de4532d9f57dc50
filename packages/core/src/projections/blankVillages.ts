/**
 * Blank villages (thôn, bản "trắng" đảng viên) and villages without a party organization, in a scope
 * on a date, and their change since an earlier date.
 */
import * as E from 'fp-ts/Either'
import type { DomainError } from '@ketnap/kernel'
import type { BlankVillagesReport, ReportQuery, VillageCounts } from '../reports'
import { reportContext, type ReportContext } from './context'
import { inhabitedVillages, scopeAt, shareOf, sortIds, villageActive } from './facts'
import type { ReportsState } from './state'

interface VillagesOn extends VillageCounts {
  readonly blank: ReadonlyArray<string>
  /** Villages where an active member lives on that date. */
  readonly inhabited: ReadonlySet<string>
}

const villagesOn = (ctx: ReportContext, d: string): VillagesOn => {
  const { state, k } = ctx
  const scope = scopeAt(state, ctx.rootsOn(d), d, k)
  const inhabited = inhabitedVillages(state, d, k)
  let withOrganization = 0
  const blank: string[] = []
  for (const v of scope.villages) {
    if (scope.villagesWithCell.has(v.id)) withOrganization++
    if (!inhabited.has(v.id)) blank.push(v.id)
  }
  const villages = scope.villages.length
  const withoutOrganization = villages - withOrganization
  return {
    villages,
    withOrganization,
    withoutOrganization,
    withoutMembers: blank.length,
    shares: {
      withOrganization: shareOf(withOrganization, villages),
      withoutOrganization: shareOf(withoutOrganization, villages),
      withoutMembers: shareOf(blank.length, villages),
    },
    blank: sortIds(blank),
    inhabited,
  }
}

const counts = (v: VillagesOn): VillageCounts => ({
  villages: v.villages,
  withOrganization: v.withOrganization,
  withoutOrganization: v.withoutOrganization,
  withoutMembers: v.withoutMembers,
  shares: v.shares,
})

/**
 * The blank-villages report of CLI.md. With `since`: `cleared` are villages blank on that date, still
 * registered and inhabited by a member now; `newlyBlank` are villages blank now that were not
 * registered, or not blank, on that date (blankness is a village's own state, whatever the scope).
 */
export const blankVillages = (
  state: ReportsState,
  query: ReportQuery,
): E.Either<DomainError, BlankVillagesReport> =>
  E.map((ctx: ReportContext) => {
    const now = villagesOn(ctx, ctx.asOf)
    const report: BlankVillagesReport = {
      report: 'blank-villages',
      ...ctx.base,
      ...counts(now),
      blankVillageIds: now.blank,
    }
    const since = query.since
    if (since === undefined) return report
    const before = villagesOn(ctx, since)
    const cleared = before.blank.filter((id) => {
      const v = state.villages.get(id)
      return v !== undefined && villageActive(v, ctx.asOf, ctx.k) && now.inhabited.has(id)
    })
    const newlyBlank = now.blank.filter((id) => {
      const v = state.villages.get(id)
      const blankBefore = v !== undefined && villageActive(v, since, ctx.k) && !before.inhabited.has(id)
      return !blankBefore
    })
    return { ...report, since, before: counts(before), cleared, newlyBlank }
  })(reportContext(state, query))
