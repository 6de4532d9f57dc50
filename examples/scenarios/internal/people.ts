/**
 * Synthesized people: profiles, the whole admission pipeline of a new member, and members registered
 * from older records. Every date and number comes from the scenario's seeded generator.
 * @internal
 */
import type { NominatedBy, Occupation } from '@ketnap/core'
import { addDays, addMonths, daysBetween } from './dates'
import type { LogBuilder } from './log'
import type { Rng } from './prng'

/** How a scenario's people look: who they are, as its article describes the place. */
export interface PeopleStyle {
  /** Share of ethnic minority people (đồng bào dân tộc thiểu số). */
  readonly minorityShare: number
  /** Ethnic minority groups of the place. */
  readonly minorities: ReadonlyArray<string>
  /** Share of women. */
  readonly femaleShare: number
  /** Occupations and their weights. */
  readonly occupations: ReadonlyArray<readonly [Occupation, number]>
}

const weighted = <A>(rng: Rng, items: ReadonlyArray<readonly [A, number]>): A => {
  const total = items.reduce((s, [, w]) => s + w, 0)
  let x = rng.next() * total
  for (const [a, w] of items) {
    x -= w
    if (x < 0) return a
  }
  const last = items[items.length - 1]
  if (last === undefined) throw new Error('no weighted items')
  return last[0]
}

/** A profile (lý lịch) for someone born on `birthDate`. */
export const profile = (
  rng: Rng,
  style: PeopleStyle,
  birthDate: string,
  occupation?: Occupation,
): Record<string, unknown> => {
  const minority = rng.chance(style.minorityShare)
  return {
    birthDate,
    sex: rng.chance(style.femaleShare) ? 'female' : 'male',
    ethnicMinority: minority,
    ethnicity: minority ? rng.pick(style.minorities) : 'Kinh',
    occupation: occupation ?? weighted(rng, style.occupations),
  }
}

/** A birth date that makes someone `years` full years old (and some months) on `on`. */
export const bornYearsBefore = (rng: Rng, on: string, years: number): string =>
  addDays(addMonths(on, -12 * years), -rng.int(1, 330))

/** One new member: every step from nomination to the admission ceremony. */
export interface Admission {
  readonly personId: string
  /** The cell (or grassroots cell) that considers the admission and admits. */
  readonly orgId: string
  /** Residence (thôn, bản), when the person lives in a recorded village. */
  readonly villageId?: string
  /** The ceremony (kết nạp): the date that counts toward a quota. */
  readonly admittedOn: string
  /** The committee that decides the admission (9-KNĐ). */
  readonly decidedBy: string
  /** Decision number, e.g. `112-QĐ/HU`. */
  readonly decisionNo: string
  /** Certificate number of the awareness class. */
  readonly certificateNo: string
  /** The awareness class the person completed, and the day it ended. */
  readonly trainedOn?: string
  readonly classId?: string
  /** The earliest nomination date (the organizations' registration). */
  readonly notBefore: string
  readonly style: PeopleStyle
  readonly occupation?: Occupation
  /** Age in full years at the cell's vote, drawn in [lo, hi]; default 19 to 40. */
  readonly ages?: readonly [number, number]
  readonly nominatedBy?: NominatedBy
}

/** Three distinct offsets in 1..span, sorted. */
const threeSteps = (rng: Rng, span: number): [number, number, number] => {
  const picked = new Set<number>()
  while (picked.size < 3) picked.add(rng.int(1, span))
  const [a = 1, b = 2, c = 3] = [...picked].sort((x, y) => x - y)
  return [a, b, c]
}

/**
 * Adds the whole pipeline of one admission: nominated, class completed, background cleared, the cell's
 * vote passing with two thirds of its official members, the decision, the ceremony.
 */
export const admit = (log: LogBuilder, rng: Rng, a: Admission): void => {
  const trainedOn = a.trainedOn ?? addDays(a.admittedOn, -rng.int(45, 110))
  const span = daysBetween(trainedOn, a.admittedOn)
  if (span < 3) throw new Error(`${a.personId}: ${span} days from class to ceremony is too short`)
  const [v, c, d] = threeSteps(rng, span)
  const verifiedOn = addDays(trainedOn, v)
  const votedOn = addDays(trainedOn, c)
  const decidedOn = addDays(trainedOn, d)
  const lead = rng.int(20, 90)
  const nominatedOn = daysBetween(a.notBefore, trainedOn) < lead ? a.notBefore : addDays(trainedOn, -lead)
  if (nominatedOn > trainedOn) throw new Error(`${a.personId}: trained before the organizations exist`)
  const [lo, hi] = a.ages ?? [19, 40]
  const birthDate = bornYearsBefore(rng, votedOn, rng.int(lo, hi))
  const eligible = rng.int(3, 25)
  const inFavour = rng.int(Math.ceil((2 * eligible) / 3), eligible)
  log.add('CandidateNominated', {
    personId: a.personId,
    orgId: a.orgId,
    ...(a.villageId === undefined ? {} : { villageId: a.villageId }),
    nominatedBy: a.nominatedBy ?? (rng.chance(0.6) ? 'youth-union' : 'members'),
    profile: profile(rng, a.style, birthDate, a.occupation),
    on: nominatedOn,
  })
  log.add('AwarenessClassCompleted', {
    personId: a.personId,
    certificateNo: a.certificateNo,
    ...(a.classId === undefined ? {} : { classId: a.classId }),
    on: trainedOn,
  })
  log.add('BackgroundVerified', { personId: a.personId, outcome: 'cleared', on: verifiedOn })
  log.add('CellVoted', { personId: a.personId, inFavour, eligible, on: votedOn })
  log.add('AdmissionDecided', {
    personId: a.personId,
    decisionNo: a.decisionNo,
    decidedBy: a.decidedBy,
    on: decidedOn,
  })
  log.add('MemberAdmitted', { personId: a.personId, orgId: a.orgId, on: a.admittedOn })
}

/** A member from older records (status official), joining the roll on `on`. */
export interface ExistingMember {
  readonly personId: string
  readonly orgId: string
  readonly villageId?: string
  /** Registration date in the ledger. */
  readonly on: string
  /** Admissions are drawn in [admittedFrom, admittedTo]; admittedTo at least 12 months before `on`. */
  readonly admittedFrom: string
  readonly admittedTo: string
  readonly style: PeopleStyle
  readonly occupation?: Occupation
}

/** Registers one existing member (ExistingMemberRegistered) with a profile. */
export const registerExisting = (log: LogBuilder, rng: Rng, m: ExistingMember): void => {
  const admittedOn = addDays(m.admittedFrom, rng.int(0, daysBetween(m.admittedFrom, m.admittedTo)))
  const birthDate = bornYearsBefore(rng, admittedOn, rng.int(19, 35))
  log.add('ExistingMemberRegistered', {
    personId: m.personId,
    orgId: m.orgId,
    status: 'official',
    admittedOn,
    ...(m.villageId === undefined ? {} : { villageId: m.villageId }),
    profile: profile(rng, m.style, birthDate, m.occupation),
    on: m.on,
  })
}

/** Zero-padded sequence number, for ids and document numbers. */
export const pad = (n: number, width = 5): string => String(n).padStart(width, '0')
