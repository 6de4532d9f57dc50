/**
 * Village heads (thôn trưởng, tổ trưởng tổ dân phố) who are party members.
 */
import * as E from 'fp-ts/Either'
import type { DomainError } from '@ketnap/kernel'
import type { ReportQuery, VillageHeadsReport } from '../reports'
import { reportContext, type ReportContext } from './context'
import { activeMembership, chainAt, scopeAt, shareOf } from './facts'
import { targetAt } from './targets'
import type { ReportsState } from './state'
import { entryAt } from './timeline'

/**
 * The village-heads report of CLI.md: villages in scope with a head appointed on or before the date
 * (the latest appointment holds), and how many of those heads are active members on that date, against
 * the target in force on that date.
 */
export const villageHeads = (
  state: ReportsState,
  query: ReportQuery,
): E.Either<DomainError, VillageHeadsReport> =>
  E.map((ctx: ReportContext) => {
    const { asOf: d, k } = ctx
    const scope = scopeAt(state, ctx.rootsOn(d), d, k)
    let villagesWithHead = 0
    let headsWhoAreMembers = 0
    for (const v of scope.villages) {
      const head = entryAt(v.heads, d, k)
      if (head === undefined) continue
      villagesWithHead++
      const p = state.persons.get(head.value)
      if (p !== undefined && activeMembership(p, d, k) !== undefined) headsWhoAreMembers++
    }
    const share = shareOf(headsWhoAreMembers, villagesWithHead)
    const target = targetAt(state, chainAt(state, ctx.org.id, d, k), 'village-heads-members-share', d, k)
    return {
      report: 'village-heads' as const,
      ...ctx.base,
      villagesWithHead,
      headsWhoAreMembers,
      share,
      target: target?.value ?? null,
      targetSetBy: target?.orgId ?? null,
      targetRef: target?.ref ?? null,
      met: target === undefined || share === null ? null : share >= target.value,
    }
  })(reportContext(state, query))
