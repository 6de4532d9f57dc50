/**
 * Members on the roll on a date (đảng viên), with the breakdowns every report quotes.
 */
import * as E from 'fp-ts/Either'
import { ageInYears } from '../calendar'
import { asPolicies, defaultPolicies, policyOn, type Policies } from '../policy'
import type { DomainError } from '@ketnap/kernel'
import { OCCUPATIONS } from '../events'
import type { ReportQuery, RollReport } from '../reports'
import { reportContext, type ReportContext, type ReportsPolicy } from './context'
import { activeMembership, isOfficial, personOrgAt, profileAt, subtreeAt } from './facts'
import type { ReportsState } from './state'

/** The roll report of CLI.md: active members whose headcount organization is in ORG's subtree on the date. */
export const roll = (
  state: ReportsState,
  query: ReportQuery,
  policy: ReportsPolicy | Policies<ReportsPolicy> = defaultPolicies,
): E.Either<DomainError, RollReport> =>
  E.map((ctx: ReportContext) => {
    const { asOf: d, k } = ctx
    const inSubtree = subtreeAt(state, ctx.rootsOn(d), d, k)
    // Probation is as long as the policy in force on the admission date says.
    const policies = asPolicies(policy)
    let members = 0
    let official = 0
    let female = 0
    let ethnicMinority = 0
    let under30 = 0
    const byOccupation: Record<string, number> = {}
    for (const o of OCCUPATIONS) byOccupation[o] = 0
    byOccupation['unknown'] = 0
    const byReligion: Record<string, number> = { none: 0, unknown: 0 }
    for (const p of state.persons.values()) {
      if (p.memberships.length === 0) continue
      const m = activeMembership(p, d, k)
      if (m === undefined || !inSubtree(personOrgAt(p, d, k) ?? m.orgId)) continue
      members++
      if (isOfficial(m, d, k, policyOn(policies, m.on).probationMonths)) official++
      const profile = profileAt(p, d, k)
      if (profile === undefined) {
        byOccupation['unknown']!++
        byReligion['unknown']!++
        continue
      }
      byOccupation[profile.occupation]!++
      const religion = profile.religion ?? 'none'
      byReligion[religion] = (byReligion[religion] ?? 0) + 1
      if (profile.sex === 'female') female++
      if (profile.ethnicMinority) ethnicMinority++
      if (ageInYears(profile.birthDate, d) < 30) under30++
    }
    return {
      report: 'roll' as const,
      ...ctx.base,
      members,
      official,
      probationary: members - official,
      female,
      ethnicMinority,
      under30,
      byOccupation,
      byReligion,
    }
  })(reportContext(state, query))
