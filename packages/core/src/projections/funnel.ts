/**
 * The candidate pipeline: how many persons passed each step in a period, and who is overdue.
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { addMonths, addWorkingDays } from '../calendar'
import { defaultPolicy, votePasses } from '../policy'
import type { DomainError } from '@ketnap/kernel'
import type { FunnelReport, ReportQuery } from '../reports'
import { checkPeriod, inPeriod, reportContext, type ReportsPolicy } from './context'
import {
  activeMembership,
  admissionCounts,
  isOfficial,
  personOrgAt,
  reaches,
  sortIds,
  subtreeAt,
} from './facts'
import { FUNNEL_STEPS, type CellVote, type FunnelStep, type PersonFacts, type ReportsState } from './state'
import type { Stamp } from './timeline'

/**
 * True when a confirmation confirms an admission annulled as known at `k`: the admission it confirms is
 * the person's last one recorded before it, and a void admission never happened, nor its confirmation.
 */
const confirmsVoidAdmission = (person: PersonFacts, st: Stamp, k: number): boolean => {
  for (let i = person.memberships.length - 1; i >= 0; i--) {
    const m = person.memberships[i]!
    if (m.rec <= st.rec) return !admissionCounts(m, k)
  }
  return false
}

/**
 * The funnel report of CLI.md. A person counts once at a step when one or more of their records of it
 * fall in the period (up to the as-of date) while the organization holding them (nominating cell,
 * admitting organization, official transfers) was in ORG's subtree on that date. `cellApproved` takes
 * the cell votes that reach the policy's majority (`votePasses`, the validator's rule). `admitted`
 * counts admissions as attainment does (existing members' admission dates included, annulled ones
 * excluded), and `confirmed` leaves out the confirmation of an annulled admission. `overdue`: active
 * probationary members in scope on the as-of date whose probation ended more than the policy's
 * working days before it with no confirmation known.
 */
export const funnel = (
  state: ReportsState,
  query: ReportQuery,
  policy: ReportsPolicy = defaultPolicy,
): E.Either<DomainError, FunnelReport> =>
  pipe(
    E.Do,
    E.apS('ctx', reportContext(state, query)),
    E.apS('p', checkPeriod(query)),
    E.map(({ ctx, p }) => {
      const { k, asOf } = ctx
      const root = ctx.org.id
      const counts: Record<FunnelStep, number> = {
        nominated: 0,
        trained: 0,
        verified: 0,
        cellApproved: 0,
        decided: 0,
        confirmed: 0,
        closed: 0,
      }
      let admitted = 0
      const overdue: string[] = []
      const inScopeNow = subtreeAt(state, root, asOf, k)
      // Confirmation deadlines by admission date: many members share one.
      const deadlines = new Map<string, string>()
      /** True when one of `stamps` (that `accept` takes) falls in the period with the person in scope. */
      const stepInScope = <S extends Stamp>(
        person: PersonFacts,
        stamps: ReadonlyArray<S> | undefined,
        accept: (st: S) => boolean,
      ): boolean => {
        if (stamps === undefined) return false
        for (const st of stamps) {
          if (st.rec > k || !inPeriod(p, st.on) || !accept(st)) continue
          const org = personOrgAt(person, st.on, k)
          if (org !== undefined && reaches(state, org, root, st.on, k)) return true
        }
        return false
      }
      const any = (): boolean => true
      const passes = (v: CellVote): boolean => votePasses(policy, v.inFavour, v.eligible)
      for (const person of state.persons.values()) {
        // Each step is a yes or no per person: several records of it in the period count once.
        for (const step of FUNNEL_STEPS) {
          const hit =
            step === 'cellApproved'
              ? stepInScope(person, person.cellVotes, passes)
              : step === 'confirmed'
                ? stepInScope(person, person.steps.confirmed, (st) => !confirmsVoidAdmission(person, st, k))
                : stepInScope(person, person.steps[step], any)
          if (hit) counts[step]++
        }
        if (
          person.memberships.some(
            (m) => inPeriod(p, m.on) && admissionCounts(m, k) && reaches(state, m.orgId, root, m.on, k),
          )
        )
          admitted++
        const m = activeMembership(person, asOf, k)
        if (m === undefined || isOfficial(m, asOf, k, policy.probationMonths)) continue
        if (m.confirmedRec !== null && m.confirmedRec <= k) continue
        if (!inScopeNow(personOrgAt(person, asOf, k) ?? m.orgId)) continue
        let deadline = deadlines.get(m.on)
        if (deadline === undefined) {
          deadline = addWorkingDays(
            addMonths(m.on, policy.probationMonths),
            policy.confirmationDeadlineWorkingDays,
            policy.holidays,
          )
          deadlines.set(m.on, deadline)
        }
        if (asOf > deadline) overdue.push(person.id)
      }
      return {
        report: 'funnel' as const,
        ...ctx.base,
        period: p.period,
        nominated: counts.nominated,
        trained: counts.trained,
        verified: counts.verified,
        cellApproved: counts.cellApproved,
        decided: counts.decided,
        admitted,
        confirmed: counts.confirmed,
        closed: counts.closed,
        overdue: sortIds(overdue),
      }
    }),
  )
