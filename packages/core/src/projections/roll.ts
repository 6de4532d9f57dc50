/**
 * Members on the roll on a date (đảng viên), with the breakdowns every report quotes, and the same
 * breakdowns for the members admitted in a period (đảng viên mới kết nạp).
 */
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { addDays, addMonths, ageInYears } from '../calendar'
import { asPolicies, defaultPolicies, policyOn, type Policies } from '../policy'
import type { DomainError } from '@ketnap/kernel'
import { isErased, OCCUPATIONS, type StoredProfile } from '../events'
import type { ReportQuery, RollAdmitted, RollReport } from '../reports'
import {
  checkPeriod,
  inPeriod,
  reportContext,
  type CheckedPeriod,
  type ReportContext,
  type ReportsPolicy,
} from './context'
import {
  activeMembership,
  admissionCounts,
  isOfficial,
  personOrgAt,
  profileAt,
  reaches,
  subtreeAt,
} from './facts'
import type { ReportsState, RollGroup } from './state'

/** The roll's age limit: members under it are counted apart. */
const YOUNG_UNDER = 30

/** The last date from `start` on which `holds` is true, for a `holds` true up to some date and false after. */
const lastDateWhere = (start: string, holds: (date: string) => boolean): string => {
  let d = start
  while (!holds(d)) d = addDays(d, -1)
  for (let next = addDays(d, 1); holds(next); next = addDays(next, 1)) d = next
  return d
}

/**
 * The roll's rules on date `d` as bounds on dates, for counting in SQL (the read model's roll): an
 * admission on `on` has served its probation by `d` when `on` falls in one of `probationServed` (the
 * dates each policy governs, up to the last whose probation `addMonths` ends by `d`), and a member born
 * after `bornAfterYoung` is under the age limit on `d` (as `ageInYears` counts).
 */
export const rollBounds = (
  d: string,
  policy: ReportsPolicy | Policies<ReportsPolicy> = defaultPolicies,
): {
  readonly probationServed: ReadonlyArray<{
    readonly from: string | null
    readonly before: string | null
    readonly upTo: string
  }>
  readonly bornAfterYoung: string
} => {
  const policies = asPolicies(policy)
  return {
    probationServed: policies.map((p, i) => ({
      // policyOn: the first policy also governs the dates before every policy.
      from: i === 0 ? null : p.validFrom,
      before: policies[i + 1]?.validFrom ?? null,
      upTo: lastDateWhere(addMonths(d, -p.probationMonths), (on) => addMonths(on, p.probationMonths) <= d),
    })),
    bornAfterYoung: lastDateWhere(addMonths(d, -12 * YOUNG_UNDER), (b) => ageInYears(b, d) >= YOUNG_UNDER),
  }
}

interface Counts {
  members: number
  official: number
  female: number
  ethnicMinority: number
  under30: number
  readonly byOccupation: Record<string, number>
  readonly byReligion: Record<string, number>
}

const emptyCounts = (): Counts => {
  const byOccupation: Record<string, number> = {}
  for (const o of OCCUPATIONS) byOccupation[o] = 0
  byOccupation['unknown'] = 0
  return { members: 0, official: 0, female: 0, ethnicMinority: 0, under30: 0, byOccupation, byReligion: {} }
}

const addReligion = (c: Counts, religion: string, n: number): void => {
  c.byReligion[religion] = (c.byReligion[religion] ?? 0) + n
}

/** Every person's active membership on the date, read from the replayed (or loaded) histories. */
const countPersons = (state: ReportsState, ctx: ReportContext, policies: Policies<ReportsPolicy>): Counts => {
  const { asOf: d, k } = ctx
  const inSubtree = subtreeAt(state, ctx.rootsOn(d), d, k)
  const c = emptyCounts()
  for (const p of state.persons.values()) {
    if (p.memberships.length === 0) continue
    const m = activeMembership(p, d, k)
    if (m === undefined || !inSubtree(personOrgAt(p, d, k) ?? m.orgId)) continue
    c.members++
    // Probation is as long as the policy in force on the admission date says.
    if (isOfficial(m, d, k, policyOn(policies, m.on).probationMonths)) c.official++
    countProfile(c, profileAt(p, d, k), d)
  }
  return c
}

/** Counts one member in the breakdowns by `profile` (undefined: none recorded), the age taken on `d`. */
const countProfile = (c: Counts, profile: StoredProfile | undefined, d: string): void => {
  if (profile === undefined) {
    c.byOccupation['unknown']!++
    addReligion(c, 'unknown', 1)
    return
  }
  c.byOccupation[profile.occupation]!++
  if (profile.sex === 'female') c.female++
  // A forgotten person's religion, ethnic-minority flag and birth date are erased (D28, D34): they
  // count under `erased`, and in neither ethnicMinority nor under30 (docs/security.md).
  if (isErased(profile)) {
    addReligion(c, 'erased', 1)
    return
  }
  addReligion(c, profile.religion ?? 'none', 1)
  if (profile.ethnicMinority) c.ethnicMinority++
  if (ageInYears(profile.birthDate, d) < YOUNG_UNDER) c.under30++
}

/**
 * The admissions of the period (up to the as-of date) that reach ORG, as attainment counts them, each by
 * the profile in force on its admission date and the age on that date (D35). The persons are those of
 * the state and, read back from the tables, those admitted in the period kept apart (`admittedPersons`).
 */
const admittedIn = (ctx: ReportContext, p: CheckedPeriod): RollAdmitted => {
  const { state, k } = ctx
  const c = emptyCounts()
  for (const persons of [state.persons, state.admittedPersons ?? new Map<string, never>()])
    for (const person of persons.values())
      for (const m of person.memberships) {
        if (!inPeriod(p, m.on) || !admissionCounts(m, k)) continue
        if (!reaches(state, m.orgId, ctx.rootsOn(m.on), m.on, k)) continue
        c.members++
        countProfile(c, profileAt(person, m.on, k), m.on)
      }
  return {
    period: p.period,
    admitted: c.members,
    female: c.female,
    ethnicMinority: c.ethnicMinority,
    under30: c.under30,
    byOccupation: c.byOccupation,
    byReligion: religionsInOrder(c.byReligion),
  }
}

/**
 * The groups the tables counted (`rollBounds`' rules), those held in the subtree summed (a group of every
 * organization, read only when the subtree holds them all, counts whole), added to `c` (the persons the
 * state holds besides: those a tail folded in memory touched).
 */
const countGroups = (
  state: ReportsState,
  ctx: ReportContext,
  groups: ReadonlyArray<RollGroup>,
  c: Counts,
): Counts => {
  const inSubtree = subtreeAt(state, ctx.rootsOn(ctx.asOf), ctx.asOf, ctx.k)
  for (const g of groups) {
    if (g.orgId !== null && !inSubtree(g.orgId)) continue
    c.members += g.members
    c.official += g.official
    c.female += g.female
    c.ethnicMinority += g.ethnicMinority
    c.under30 += g.under30
    for (const [o, n] of Object.entries(g.byOccupation)) c.byOccupation[o] = (c.byOccupation[o] ?? 0) + n
    c.byOccupation['unknown']! += g.withoutProfile
    if (g.withoutProfile > 0) addReligion(c, 'unknown', g.withoutProfile)
    if (g.erased > 0) addReligion(c, 'erased', g.erased)
    const named = g.members - g.withoutProfile - g.erased
    if (named > 0) addReligion(c, g.religion ?? 'none', named)
  }
  return c
}

/** `none` and `unknown` first (always present), then the religions in code-point order. */
const religionsInOrder = (byReligion: Readonly<Record<string, number>>): Record<string, number> => {
  const out: Record<string, number> = { none: byReligion['none'] ?? 0, unknown: byReligion['unknown'] ?? 0 }
  const named = Object.keys(byReligion).filter((r) => r !== 'none' && r !== 'unknown')
  for (const r of named.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[r] = byReligion[r]!
  return out
}

/**
 * The roll report of CLI.md: active members whose headcount organization is in ORG's subtree on the
 * date; with a period, also the members admitted in it (`admittedInPeriod`).
 */
export const roll = (
  state: ReportsState,
  query: ReportQuery,
  policy: ReportsPolicy | Policies<ReportsPolicy> = defaultPolicies,
): E.Either<DomainError, RollReport> =>
  pipe(
    reportContext(state, query),
    E.chain((ctx): E.Either<DomainError, { ctx: ReportContext; admitted: RollAdmitted | undefined }> =>
      query.period === undefined
        ? E.right({ ctx, admitted: undefined })
        : E.map((p: CheckedPeriod) => ({ ctx, admitted: admittedIn(ctx, p) }))(checkPeriod(query)),
    ),
    E.map(({ ctx, admitted }) => {
      const groups = state.rollOn?.get(ctx.asOf)
      const persons = countPersons(state, ctx, asPolicies(policy))
      const c = groups === undefined ? persons : countGroups(state, ctx, groups, persons)
      return {
        report: 'roll' as const,
        ...ctx.base,
        members: c.members,
        official: c.official,
        probationary: c.members - c.official,
        female: c.female,
        ethnicMinority: c.ethnicMinority,
        under30: c.under30,
        byOccupation: c.byOccupation,
        byReligion: religionsInOrder(c.byReligion),
        ...(admitted === undefined ? {} : { admittedInPeriod: admitted }),
      }
    }),
  )
