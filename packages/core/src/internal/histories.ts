/**
 * fast-check generators of valid histories: the fixture geography, then persons each going through
 * some part of the candidate life (failed verifications and votes, closures, admissions, annulments,
 * transfers, moves, departures), their steps interleaved across persons in a random order.
 * @internal
 */
import { fc } from '@fast-check/vitest'
import { addDays, addMonths } from '../calendar'
import type { Command } from '../commands'
import type { Profile } from '../events'
import { GEOGRAPHY } from './rules/fixtures'

/** How far a person's life goes. @internal */
export const ENDINGS = [
  'nominated',
  'class',
  'verified',
  'voted',
  'decided',
  'closed',
  'admitted',
  'confirmed',
  'annulled',
  'struck-off',
  'deceased',
  'not-confirmed',
  'expelled',
] as const

/** The plan of one person's life. @internal */
export interface PersonPlan {
  readonly personId: string
  readonly birthYear: number
  readonly start: number
  readonly gaps: ReadonlyArray<number>
  readonly verifyFailsFirst: boolean
  readonly voteFailsFirst: boolean
  readonly committee: boolean
  readonly eligible: number
  readonly ending: (typeof ENDINGS)[number]
  readonly transfer: boolean
  readonly move: boolean
}

const planArb = (personId: string): fc.Arbitrary<PersonPlan> =>
  fc.record({
    personId: fc.constant(personId),
    birthYear: fc.integer({ min: 1962, max: 2000 }),
    start: fc.integer({ min: 0, max: 900 }),
    gaps: fc.array(fc.integer({ min: 0, max: 45 }), { minLength: 16, maxLength: 16 }),
    verifyFailsFirst: fc.boolean(),
    voteFailsFirst: fc.boolean(),
    committee: fc.boolean(),
    eligible: fc.integer({ min: 1, max: 40 }),
    ending: fc.constantFrom(...ENDINGS),
    transfer: fc.boolean(),
    move: fc.boolean(),
  })

/** The smallest number in favour that passes two thirds of `eligible`. */
const passing = (eligible: number): number => Math.ceil((eligible * 2) / 3)

/** The commands of one person's life, in date order. @internal */
export const lifeOf = (plan: PersonPlan): Command[] => {
  const personId = plan.personId
  const out: Command[] = []
  let day = addDays('2019-01-01', plan.start)
  let g = 0
  const next = (): string => {
    day = addDays(day, plan.gaps[g++ % plan.gaps.length] ?? 1)
    return day
  }
  const profile: Profile = {
    birthDate: `${plan.birthYear}-03-15`,
    sex: 'male',
    ethnicMinority: false,
    occupation: 'student',
  }
  const org = 'cb1'
  out.push({
    kind: 'NominateCandidate',
    personId,
    orgId: org,
    nominatedBy: 'members',
    profile,
    villageId: 't1',
    on: day,
  })
  if (plan.ending === 'nominated') return out
  if (plan.move) out.push({ kind: 'MoveMember', personId, villageId: 't2', on: next() })
  out.push({ kind: 'CompleteAwarenessClass', personId, certificateNo: `GCN-${personId}`, on: next() })
  if (plan.ending === 'class') return out
  if (plan.verifyFailsFirst)
    out.push({ kind: 'VerifyBackground', personId, outcome: 'not-cleared', on: next() })
  out.push({ kind: 'VerifyBackground', personId, outcome: 'cleared', on: next() })
  if (plan.ending === 'verified') return out
  const e = plan.eligible
  if (plan.voteFailsFirst && passing(e) > 0) {
    out.push({ kind: 'RecordCellVote', personId, inFavour: passing(e) - 1, eligible: e, on: next() })
  }
  out.push({ kind: 'RecordCellVote', personId, inFavour: passing(e), eligible: e, on: next() })
  if (plan.ending === 'voted') return out
  if (plan.ending === 'closed') {
    out.push({ kind: 'CloseCandidacy', personId, reason: 'withdrawn', on: next() })
    return out
  }
  if (plan.committee)
    out.push({ kind: 'RecordCommitteeVote', personId, inFavour: e, eligible: e, on: next() })
  out.push({ kind: 'DecideAdmission', personId, decisionNo: `QĐ-${personId}`, decidedBy: 'd1', on: next() })
  if (plan.ending === 'decided') return out
  const admittedOn = next()
  out.push({ kind: 'AdmitMember', personId, orgId: org, on: admittedOn })
  if (plan.transfer)
    out.push({ kind: 'TransferMember', personId, toOrgId: 'cb2', temporary: plan.move, on: next() })
  const probationEnd = addMonths(admittedOn, 12)
  switch (plan.ending) {
    case 'admitted':
      return out
    case 'annulled':
      out.push({ kind: 'AnnulAdmission', personId, reason: 'hồ sơ sai', on: next() })
      return out
    case 'struck-off':
    case 'deceased':
      out.push({ kind: 'RecordDeparture', personId, reason: plan.ending, on: next() })
      return out
    case 'not-confirmed':
      out.push({
        kind: 'RecordDeparture',
        personId,
        reason: 'not-confirmed',
        on: addDays(probationEnd, plan.gaps[0] ?? 0),
      })
      return out
    default: {
      out.push({ kind: 'ConfirmMembership', personId, on: addDays(probationEnd, plan.gaps[1] ?? 0) })
      if (plan.ending === 'expelled') {
        out.push({ kind: 'RecordDeparture', personId, reason: 'expelled', on: addDays(probationEnd, 200) })
      }
      return out
    }
  }
}

/** A valid history: the geography, then 1 to 6 lives interleaved in a random order. @internal */
export const historyArb: fc.Arbitrary<ReadonlyArray<Command>> = fc
  .integer({ min: 1, max: 6 })
  .chain((n) =>
    fc.tuple(
      fc.tuple(...Array.from({ length: n }, (_, i) => planArb(`p${i}`))),
      fc.array(fc.nat({ max: n - 1 }), { minLength: 200, maxLength: 200 }),
    ),
  )
  .map(([plans, picks]) => {
    const lives = plans.map(lifeOf)
    const out: Command[] = [...GEOGRAPHY]
    const cursor = lives.map(() => 0)
    for (const pick of picks) {
      const life = lives[pick]
      const i = cursor[pick] ?? 0
      const c = life?.[i]
      if (c !== undefined) {
        out.push(c)
        cursor[pick] = i + 1
      }
    }
    lives.forEach((life, k) => out.push(...life.slice(cursor[k] ?? 0)))
    return out
  })
