/**
 * Village heads (thôn trưởng, tổ trưởng tổ dân phố) who are party members.
 */
import * as E from 'fp-ts/Either'
import type { DomainError } from '@ketnap/kernel'
import type { ReportQuery, VillageHeadsReport } from '../reports'
import { reportContext, type ReportContext } from './context'
import { activeMembership, scopeAt } from './facts'
import type { ReportsState } from './state'
import { entryAt } from './timeline'

/**
 * The village-heads report of CLI.md: villages in scope with a head appointed on or before the date
 * (the latest appointment holds), and how many of those heads are active members on that date.
 */
export const villageHeads = (
  state: ReportsState,
  query: ReportQuery,
): E.Either<DomainError, VillageHeadsReport> =>
  E.map((ctx: ReportContext) => {
    const { asOf: d, k } = ctx
    const scope = scopeAt(state, ctx.org.id, d, k)
    let villagesWithHead = 0
    let headsWhoAreMembers = 0
    for (const v of scope.villages) {
      const head = entryAt(v.heads, d, k)
      if (head === undefined) continue
      villagesWithHead++
      const p = state.persons.get(head.value)
      if (p !== undefined && activeMembership(p, d, k) !== undefined) headsWhoAreMembers++
    }
    return {
      report: 'village-heads' as const,
      ...ctx.base,
      villagesWithHead,
      headsWhoAreMembers,
      share: villagesWithHead === 0 ? null : headsWhoAreMembers / villagesWithHead,
    }
  })(reportContext(state, query))
