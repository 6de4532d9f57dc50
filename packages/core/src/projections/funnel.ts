/**
 * The candidate pipeline: how many persons passed each step in a period, how many went on from each
 * step to the next and how long that took, and who is past a deadline of the policy.
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { addMonths, addWorkingDays, workingDaysBetween } from '../calendar'
import { asPolicies, defaultPolicies, policyOn, votePasses, type Policies } from '../policy'
import type { DomainError } from '@ketnap/kernel'
import {
  FUNNEL_CHAIN,
  type FunnelChainStep,
  type FunnelConversion,
  type FunnelReport,
  type ReportQuery,
} from '../reports'
import { checkPeriod, inPeriod, reportContext, type CheckedPeriod, type ReportsPolicy } from './context'
import {
  activeMembership,
  admissionCounts,
  isOfficial,
  personOrgAt,
  reaches,
  sortIds,
  subtreeAt,
} from './facts'
import { FUNNEL_STEPS, type FunnelStep, type PersonFacts, type ReportsState } from './state'
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

/** A person's records of every step of the chain that count, known at `k` (any date). */
const recordsOf = (
  person: PersonFacts,
  k: number,
  policies: Policies<ReportsPolicy>,
): Record<FunnelChainStep, ReadonlyArray<Stamp>> => {
  const known = <S extends Stamp>(xs: ReadonlyArray<S> | undefined): S[] =>
    (xs ?? []).filter((x) => x.rec <= k)
  return {
    nominated: known(person.steps.nominated),
    trained: known(person.steps.trained),
    verified: known(person.steps.verified),
    cellApproved: known(person.cellVotes).filter((v) =>
      votePasses(policyOn(policies, v.on), v.inFavour, v.eligible),
    ),
    decided: known(person.steps.decided),
    admitted: person.memberships.filter((m) => admissionCounts(m, k)),
    confirmed: known(person.steps.confirmed).filter((st) => !confirmsVoidAdmission(person, st, k)),
  }
}

/** The last of `stamps` dated on or before `d` and on or after `from`, if any. */
const lastBetween = (stamps: ReadonlyArray<Stamp>, from: string, d: string): Stamp | undefined => {
  let last: Stamp | undefined
  for (const st of stamps)
    if (st.on >= from && st.on <= d && (last === undefined || st.on >= last.on)) last = st
  return last
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null
  xs.sort((a, b) => a - b)
  const mid = xs.length >> 1
  return xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2
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
 *
 * `conversion`: for each step and the next, of the persons counted at the step, those with a record of
 * the next step on or after their first record of the step in the period, up to the as-of date, and
 * the median of the working days between the two. `overdueByKind`: on the as-of date, for the persons
 * in scope then, every deadline of the policy (decision with its one extension, ceremony,
 * confirmation, certificate validity).
 *
 * Under dated policies, a vote passes by the majority in force on its date, and every period is
 * measured by the policy in force on the date it runs from: probation from the admission, the
 * confirmation deadline from the end of probation, the decision deadline from the cell vote, the
 * ceremony deadline from the decision, the certificate from the class, a conversion's working days
 * from its first step.
 */
export const funnel = (
  state: ReportsState,
  query: ReportQuery,
  policy: ReportsPolicy | Policies<ReportsPolicy> = defaultPolicies,
): E.Either<DomainError, FunnelReport> =>
  pipe(
    E.Do,
    E.apS('ctx', reportContext(state, query)),
    E.apS('p', checkPeriod(query)),
    E.map(({ ctx, p }) => {
      const { k, asOf } = ctx
      const roots = ctx.rootsOn
      const counts = Object.fromEntries(FUNNEL_STEPS.map((s) => [s, 0])) as Record<FunnelStep, number>
      let admitted = 0
      const conv = FUNNEL_CHAIN.slice(0, -1).map(() => ({ persons: 0, days: [] as number[] }))
      const overdue = { decision: [] as string[], ceremony: [] as string[], confirmation: [] as string[] }
      const certificate: string[] = []
      const inScopeNow = subtreeAt(state, roots(asOf), asOf, k)
      // Deadlines by the date they run from: many persons share one.
      const memo = new Map<string, string>()
      const deadline = (kind: string, from: string, add: (d: string) => string): string => {
        const key = `${kind}|${from}`
        let d = memo.get(key)
        if (d === undefined) {
          d = add(from)
          memo.set(key, d)
        }
        return d
      }
      const policies = asPolicies(policy)
      const at = (d: string): ReportsPolicy => policyOn(policies, d)
      /** `n(P)` working days after `d`, P the policy in force on `d`, by its holidays. */
      const workingDays = (n: (p: ReportsPolicy) => number) => (d: string) =>
        addWorkingDays(d, n(at(d)), at(d).holidays)

      /** The day after which a membership admitted on `on` is overdue for its confirmation. */
      const confirmationDeadline = (on: string): string =>
        deadline('confirmation', on, (d) =>
          workingDays((q) => q.confirmationDeadlineWorkingDays)(addMonths(d, at(d).probationMonths)),
        )
      /**
       * The deadlines of a nominee in scope on the as-of date, from their last decision (the ceremony),
       * else their last passing cell vote (the decision), since their last nomination, and their last
       * class (the certificate).
       */
      const nomineeDeadlines = (
        id: string,
        decided: string | null,
        vote: string | null,
        trained: string | null,
      ): void => {
        if (decided !== null) {
          const end = deadline(
            'ceremony',
            decided,
            workingDays((q) => q.ceremonyDeadlineWorkingDays),
          )
          if (asOf > end) overdue.ceremony.push(id)
        } else if (vote !== null) {
          const end = deadline(
            'decision',
            vote,
            workingDays((q) => q.decisionDeadlineWorkingDays + q.decisionExtensionWorkingDays),
          )
          if (asOf > end) overdue.decision.push(id)
        }
        if (trained !== null && asOf >= addMonths(trained, at(trained).certificateValidityMonths))
          certificate.push(id)
      }

      /** The first record of `stamps` in the period with the person in scope on its date, if any. */
      const firstInScope = (
        person: PersonFacts,
        stamps: ReadonlyArray<Stamp>,
        q: CheckedPeriod,
      ): string | undefined => {
        let first: string | undefined
        for (const st of stamps) {
          if (!inPeriod(q, st.on) || (first !== undefined && st.on >= first)) continue
          const org = personOrgAt(person, st.on, k)
          if (org !== undefined && reaches(state, org, roots(st.on), st.on, k)) first = st.on
        }
        return first
      }

      // What the tables counted of every person (the persons of the state are then a tail's, if any).
      const tables = state.funnelTables
      if (tables !== undefined) {
        // The working days of a pair of dates, shared by the steps.
        const between = new Map<string, number>()
        for (const step of FUNNEL_STEPS) counts[step] += tables.entered[step] ?? 0
        admitted += tables.entered['admitted'] ?? 0
        for (const c of tables.conversions) {
          const i = FUNNEL_CHAIN.indexOf(c.step)
          const slot = conv[i]
          if (slot === undefined) continue
          slot.persons += c.persons
          if (c.to === null) continue
          const key = `${c.from}|${c.to}`
          let days = between.get(key)
          if (days === undefined) {
            days = workingDaysBetween(c.from, c.to, at(c.from).holidays)
            between.set(key, days)
          }
          for (let n = 0; n < c.persons; n++) slot.days.push(days)
        }
        for (const u of tables.unconfirmed) {
          // Its membership has no confirmation known (the tables chose it so).
          const m = {
            on: u.admittedOn,
            existing: u.existing,
            registeredOn: u.registeredOn,
            confirmedRec: null,
          }
          if (isOfficial(m, asOf, k, at(m.on).probationMonths)) continue
          if (asOf > confirmationDeadline(m.on)) overdue.confirmation.push(u.personId)
        }
        for (const n of tables.nominees) nomineeDeadlines(n.personId, n.decided, n.vote, n.trained)
      }

      for (const person of state.persons.values()) {
        const records = recordsOf(person, k, policies)
        // Each step is a yes or no per person: several records of it in the period count once.
        const entered = new Map<FunnelChainStep, string>()
        for (const step of FUNNEL_CHAIN) {
          const first =
            step === 'admitted'
              ? person.memberships
                  .filter(
                    (m) =>
                      inPeriod(p, m.on) &&
                      admissionCounts(m, k) &&
                      reaches(state, m.orgId, roots(m.on), m.on, k),
                  )
                  .reduce<string | undefined>((a, m) => (a === undefined || m.on < a ? m.on : a), undefined)
              : firstInScope(person, records[step], p)
          if (first === undefined) continue
          entered.set(step, first)
          if (step === 'admitted') admitted++
          else counts[step]++
        }
        if (
          firstInScope(
            person,
            (person.steps.closed ?? []).filter((x) => x.rec <= k),
            p,
          ) !== undefined
        )
          counts.closed++
        FUNNEL_CHAIN.slice(0, -1).forEach((step, i) => {
          const from = entered.get(step)
          if (from === undefined) return
          conv[i]!.persons++
          let to: string | undefined
          for (const st of records[FUNNEL_CHAIN[i + 1]!])
            if (st.on >= from && st.on <= asOf && (to === undefined || st.on < to)) to = st.on
          if (to !== undefined) conv[i]!.days.push(workingDaysBetween(from, to, at(from).holidays))
        })

        // Deadlines on the as-of date, for the persons in scope then.
        const m = activeMembership(person, asOf, k)
        if (m !== undefined) {
          if (isOfficial(m, asOf, k, at(m.on).probationMonths)) continue
          if (m.confirmedRec !== null && m.confirmedRec <= k) continue
          if (!inScopeNow(personOrgAt(person, asOf, k) ?? m.orgId)) continue
          if (asOf > confirmationDeadline(m.on)) overdue.confirmation.push(person.id)
          continue
        }
        const nomination = lastBetween(records.nominated, '', asOf)
        if (nomination === undefined) continue
        const since = nomination.on
        const closed = (person.steps.closed ?? []).some((x) => x.rec <= k && x.on >= since && x.on <= asOf)
        if (closed || lastBetween(records.admitted, since, asOf) !== undefined) continue
        const org = personOrgAt(person, asOf, k)
        if (org === undefined || !inScopeNow(org)) continue
        nomineeDeadlines(
          person.id,
          lastBetween(records.decided, since, asOf)?.on ?? null,
          lastBetween(records.cellApproved, since, asOf)?.on ?? null,
          lastBetween(records.trained, '', asOf)?.on ?? null,
        )
      }
      const conversion: FunnelConversion[] = conv.map((c, i) => ({
        from: FUNNEL_CHAIN[i]!,
        to: FUNNEL_CHAIN[i + 1]!,
        persons: c.persons,
        converted: c.days.length,
        rate: c.persons === 0 ? null : c.days.length / c.persons,
        medianWorkingDays: median(c.days),
      }))
      const confirmation = sortIds(overdue.confirmation)
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
        overdue: confirmation,
        overdueByKind: {
          decision: sortIds(overdue.decision),
          ceremony: sortIds(overdue.ceremony),
          confirmation,
          certificate: sortIds(certificate),
        },
        conversion,
      }
    }),
  )
