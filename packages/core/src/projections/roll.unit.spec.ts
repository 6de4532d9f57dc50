import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { addMonths, ageInYears } from '../calendar'
import { aProfile, history } from '../internal/testing/envelopes'
import { envelopesOf, historyArb } from '../internal/testing/histories'
import { OCCUPATIONS } from '../events'
import type { AttainmentReport, ReportQuery, RollAdmitted, RollReport } from '../reports'
import { attainment } from './attainment'
import { foldReports } from './reportsProjection'
import { type Policies, type Policy, policy232, policy24, policy294, policyOn } from '../policy'
import { roll, rollBounds } from './roll'
import type { ReportsState } from './state'

const run = (s: ReportsState, q: ReportQuery): RollReport => {
  const r = roll(s, q)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const base = () =>
  history()
    .org('prov', 'province', null)
    .org('dA', 'district', 'prov')
    .org('dB', 'district', 'prov')
    .org('cA', 'cell', 'dA')
    .org('cB', 'cell', 'dB')

describe('roll', () => {
  it('counts official from admission + 12 months once the confirmation is known', () => {
    const b = base()
      .admit('p1', 'cA', '2020-01-15')
      .add(
        { type: 'MembershipConfirmed', data: { personId: 'p1', on: '2021-03-01' } },
        '2021-03-02T00:00:00.000Z',
      )
    const s = foldReports(b.build())
    const at = (asOf: string, knownAt?: string) =>
      run(s, { orgId: 'prov', asOf, ...(knownAt === undefined ? {} : { knownAt }) })
    expect([at('2020-01-14').members, at('2020-01-15').members]).toEqual([0, 1])
    expect(at('2021-01-14').official).toBe(0)
    expect([at('2021-01-15').official, at('2021-01-15').probationary]).toEqual([1, 0])
    expect(at('2021-02-01', '2021-02-15T00:00:00Z').official).toBe(0)
  })

  it('counts a member registered as official as official from admission + 12 months, or from the registration if earlier', () => {
    const b = base()
      .existing('m1', 'cA', '2020-03-01', '2024-01-01')
      .existing('m2', 'cA', '2023-06-01', '2024-01-01')
      .existing('m3', 'cA', '2023-06-01', '2024-01-01', { status: 'probationary' })
    const s = foldReports(b.build())
    const at = (asOf: string) => {
      const r = run(s, { orgId: 'prov', asOf })
      return [r.members, r.official, r.probationary]
    }
    expect(at('2020-06-01')).toEqual([1, 0, 1])
    expect(at('2021-02-28')).toEqual([1, 0, 1])
    expect(at('2021-03-01')).toEqual([1, 1, 0])
    expect(at('2023-12-31')).toEqual([3, 1, 2])
    expect(at('2024-01-01')).toEqual([3, 2, 1])
  })

  it('follows official transfers, not temporary ones; a departure on D no longer counts on D', () => {
    const b = base()
      .admit('p1', 'cA', '2020-01-15')
      .admit('p2', 'cA', '2020-01-15')
      .add({ type: 'MemberTransferred', data: { personId: 'p1', toOrgId: 'cB', on: '2020-06-01' } })
      .add({
        type: 'MemberTransferred',
        data: { personId: 'p2', toOrgId: 'cB', temporary: true, on: '2020-06-01' },
      })
      .add({ type: 'MemberLeft', data: { personId: 'p2', reason: 'deceased', on: '2020-09-01' } })
    const s = foldReports(b.build())
    expect(run(s, { orgId: 'dA', asOf: '2020-05-31' }).members).toBe(2)
    expect(run(s, { orgId: 'dA', asOf: '2020-06-01' }).members).toBe(1)
    expect(run(s, { orgId: 'dB', asOf: '2020-06-01' }).members).toBe(1)
    expect(run(s, { orgId: 'dA', asOf: '2020-08-31' }).members).toBe(1)
    expect(run(s, { orgId: 'dA', asOf: '2020-09-01' }).members).toBe(0)
    expect(run(s, { orgId: 'prov', asOf: '2020-09-01' }).members).toBe(1)
  })

  it('breaks down by sex, ethnic minority, age under 30 in whole years, occupation; no profile is unknown', () => {
    const b = base()
      .admit('p1', 'cA', '2020-01-15', {
        profile: aProfile({
          sex: 'female',
          ethnicMinority: true,
          birthDate: '1991-06-30',
          occupation: 'student',
        }),
      })
      .admit('p2', 'cA', '2020-01-15')
      .existing('m1', 'cB', '2000-01-01', '2020-01-01')
    const s = foldReports(b.build())
    const r = run(s, { orgId: 'prov', asOf: '2021-06-29' })
    expect(r).toMatchObject({
      members: 3,
      official: 1,
      probationary: 2,
      female: 1,
      ethnicMinority: 1,
      under30: 1,
    })
    expect(r.byOccupation).toMatchObject({ student: 1, farmer: 1, unknown: 1 })
    expect(Object.values(r.byOccupation).reduce((a, b) => a + b, 0)).toBe(r.members)
    expect(run(s, { orgId: 'prov', asOf: '2021-06-30' }).under30).toBe(0)
  })

  it('breaks down by the profile in force on the date: an existing member’s from the admission date', () => {
    const b = base()
      .admit('p1', 'cA', '2015-06-15', { profile: aProfile({ occupation: 'student' }) })
      .add({ type: 'MemberLeft', data: { personId: 'p1', reason: 'struck-off', on: '2016-01-04' } })
      .add({
        type: 'CandidateNominated',
        data: {
          personId: 'p1',
          orgId: 'cA',
          nominatedBy: 'members',
          profile: aProfile({ occupation: 'farmer' }),
          readmissionApproval: 'CV 12-CV/TU',
          on: '2019-06-01',
        },
      })
      .existing('m1', 'cB', '2012-01-01', '2018-01-01', { profile: aProfile({ occupation: 'other' }) })
      .existing('m2', 'cB', '2012-01-01', '2018-01-01')
      .add({ type: 'MemberLeft', data: { personId: 'm2', reason: 'struck-off', on: '2018-02-01' } })
      .add({
        type: 'CandidateNominated',
        data: {
          personId: 'm2',
          orgId: 'cB',
          nominatedBy: 'members',
          profile: aProfile({ occupation: 'farmer' }),
          readmissionApproval: 'CV 13-CV/TU',
          on: '2021-03-01',
        },
      })
    const s = foldReports(b.build())
    expect(run(s, { orgId: 'prov', asOf: '2015-12-01' }).byOccupation).toMatchObject({
      student: 1,
      other: 1,
      unknown: 1,
      farmer: 0,
    })
  })

  it('stops counting an annulled admission once the annulment is known', () => {
    const b = base()
      .admit('p1', 'cA', '2020-01-15')
      .add(
        { type: 'AdmissionAnnulled', data: { personId: 'p1', reason: 'unlawful', on: '2020-03-01' } },
        '2020-05-01T00:00:00.000Z',
      )
    const s = foldReports(b.build())
    expect(run(s, { orgId: 'prov', asOf: '2020-02-01', knownAt: '2020-04-01T00:00:00Z' }).members).toBe(1)
    expect(run(s, { orgId: 'prov', asOf: '2020-02-01' }).members).toBe(0)
  })

  it('breaks down by religion as the profile in force records it: none named is none, no profile is unknown', () => {
    const b = base()
      .admit('p1', 'cA', '2020-01-15', { profile: aProfile({ religion: 'Phật giáo' }) })
      .admit('p2', 'cA', '2020-02-15', { profile: aProfile({ religion: 'Công giáo' }) })
      .admit('p3', 'cB', '2020-03-15', { profile: aProfile({ religion: 'Phật giáo' }) })
      .admit('p4', 'cB', '2020-03-15')
      .existing('m1', 'cB', '2010-01-01', '2015-01-01')
    const r = run(foldReports(b.build()), { orgId: 'prov', asOf: '2020-12-31' })
    expect(r.byReligion).toEqual({ 'Phật giáo': 2, 'Công giáo': 1, none: 1, unknown: 1 })
    expect(run(foldReports(b.build()), { orgId: 'dA', asOf: '2020-01-31' }).byReligion).toEqual({
      'Phật giáo': 1,
      none: 0,
      unknown: 0,
    })
  })

  it('with a period, breaks down the members admitted in it by the profile of their admission date', () => {
    const b = base()
      // Admitted in 2020 in dA: a woman of an ethnic minority aged 29 on the day, a Buddhist farmer.
      .admit('p1', 'cA', '2020-01-15', {
        profile: aProfile({
          sex: 'female',
          ethnicMinority: true,
          birthDate: '1990-06-30',
          occupation: 'student',
        }),
      })
      .admit('p2', 'cA', '2020-02-15', { profile: aProfile({ religion: 'Phật giáo', occupation: 'farmer' }) })
      // In dB: one admitted in 2020 who then leaves (still an admission of 2020), one in 2021.
      .admit('p3', 'cB', '2020-03-15', { profile: aProfile({ occupation: 'student' }) })
      .add({ type: 'MemberLeft', data: { personId: 'p3', reason: 'resigned', on: '2020-09-01' } })
      .admit('p4', 'cB', '2021-03-15')
      // Annulled: no admission of 2020; an existing member admitted long before: none either.
      .admit('p5', 'cA', '2020-04-15')
      .add({ type: 'AdmissionAnnulled', data: { personId: 'p5', reason: 'unlawful', on: '2020-06-01' } })
      .existing('m1', 'cB', '2010-01-01', '2020-01-01')
    const s = foldReports(b.build())
    const r = run(s, { orgId: 'prov', asOf: '2020-12-31', period: '2020' })
    expect(r.members).toBe(3)
    expect(r.admittedInPeriod).toEqual({
      period: '2020',
      admitted: 3,
      female: 1,
      ethnicMinority: 1,
      under30: 1,
      byOccupation: {
        'public-servant': 0,
        'private-sector-worker': 0,
        farmer: 1,
        'armed-forces': 0,
        student: 2,
        other: 0,
        unknown: 0,
      },
      byReligion: { 'Phật giáo': 1, none: 2, unknown: 0 },
    })
    expect(run(s, { orgId: 'dB', asOf: '2021-12-31', period: '2020-2021' }).admittedInPeriod?.admitted).toBe(
      2,
    )
    // Up to the as-of date only; without a period, no such part; a bad period is refused.
    expect(run(s, { orgId: 'prov', asOf: '2020-02-20', period: '2020' }).admittedInPeriod?.admitted).toBe(2)
    expect(run(s, { orgId: 'prov', asOf: '2020-12-31' }).admittedInPeriod).toBeUndefined()
    expect(roll(s, { orgId: 'prov', asOf: '2020-12-31', period: 'x' })).toMatchObject(
      E.left({ code: 'invalid-period' }),
    )
  })
})

const sum = (o: Readonly<Record<string, number>>): number => Object.values(o).reduce((a, b) => a + b, 0)

describe('the roll of the members admitted in a period, on generated histories', () => {
  test.prop([
    historyArb(),
    fc.constantFrom('2016', '2018', '2016-2020', '2017-03-01/2018-06-30'),
    fc.constantFrom('2016-06-30', '2018-12-31', '2021-06-30'),
  ])(
    'the breakdowns partition the admitted: occupations and religions sum to them, each other count is at most them; the admitted are attainment’s, and each occupation attainment’s with it',
    ({ events, model }, period, asOf) => {
      const s = foldReports(envelopesOf(events))
      for (const orgId of [model.province, ...model.districts]) {
        const a: RollAdmitted | undefined = run(s, { orgId, asOf, period }).admittedInPeriod
        if (a === undefined) throw new Error('no admittedInPeriod')
        expect(sum(a.byOccupation)).toBe(a.admitted)
        expect(sum(a.byReligion)).toBe(a.admitted)
        for (const n of [a.female, a.ethnicMinority, a.under30]) expect(n).toBeLessThanOrEqual(a.admitted)
        const att = (occupation?: string): number => {
          const r = attainment(s, {
            orgId,
            asOf,
            period,
            ...(occupation === undefined ? {} : { occupation }),
          })
          if (E.isLeft(r)) throw new Error(r.left.message)
          return (r.right as AttainmentReport).admitted
        }
        expect(a.admitted).toBe(att())
        for (const o of OCCUPATIONS) expect(a.byOccupation[o]).toBe(att(o))
      }
    },
  )
})

describe('rollBounds', () => {
  const date = fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2100-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10))
  // Probations of different lengths, so that a wrong policy's bound would show.
  const policies: Policies<Policy> = [
    { ...policy24, probationMonths: 12 },
    { ...policy232, probationMonths: 18 },
    { ...policy294, probationMonths: 1 },
  ]

  test.prop([date, date])(
    'serves probation exactly when addMonths under the policy of the date says',
    (d, on) => {
      const served = rollBounds(d, policies).probationServed.some(
        (b) => (b.from === null || on >= b.from) && (b.before === null || on < b.before) && on <= b.upTo,
      )
      expect(served).toBe(addMonths(on, policyOn(policies, on).probationMonths) <= d)
    },
  )

  test.prop([date, date])('counts under 30 exactly the birth dates ageInYears does', (d, birth) => {
    expect(birth > rollBounds(d).bornAfterYoung).toBe(ageInYears(birth, d) < 30)
  })

  it('holds at the ends of months and on 29 February', () => {
    expect(rollBounds('2025-02-28', [{ ...policy24, probationMonths: 12 }]).probationServed[0]!.upTo).toBe(
      '2024-02-29',
    )
    expect(rollBounds('2030-02-28').bornAfterYoung).toBe('2000-02-29')
  })
})
