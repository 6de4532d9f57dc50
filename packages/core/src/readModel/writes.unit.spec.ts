import { fc, test } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { addDays, addMonths, ageInYears } from '../calendar'
import { defaultPolicies, policyOn } from '../policy'
import type { DomainEvent } from '../events'
import { agedOn, reportsWrites, servedOn } from './writes'

const registered: DomainEvent = {
  type: 'ExistingMemberRegistered',
  data: {
    personId: 'p1',
    orgId: 'cb1',
    status: 'official',
    admittedOn: '2010-05-01',
    on: '2021-03-01',
    villageId: 'v1',
    profile: { birthDate: '1980-01-01', sex: 'female', ethnicMinority: false, occupation: 'farmer' },
  },
}
const moved: DomainEvent = {
  type: 'MemberMoved',
  data: { personId: 'p1', villageId: 'v2', on: '2022-01-01' },
}

const tables = (e: DomainEvent, at: Parameters<typeof reportsWrites>[1]): string[] =>
  reportsWrites(e, at).map((w) => (/^(\w+) (?:INTO )?(\w+)/.exec(w.sql) ?? []).slice(1).join(' '))

describe('the writes of a person event', () => {
  it('close no timeline at the first event of the person stream, and leave out the person row after it', () => {
    const first = { position: 1, recordedAt: '', stream: 'person-p1', version: 1 }
    const later = { position: 2, recordedAt: '', stream: 'person-p1', version: 2 }
    expect(tables(registered, first)).toEqual([
      'INSERT rm_reports_person',
      'INSERT rm_reports_profile',
      'INSERT rm_reports_membership',
      'INSERT rm_reports_person_org',
      'INSERT rm_reports_residence',
      'INSERT rm_reports_dirty_person',
    ])
    expect(tables(moved, later)).toEqual([
      'UPDATE rm_reports_residence',
      'INSERT rm_reports_residence',
      'INSERT rm_reports_dirty_person',
    ])
  })

  it('write every statement when the stream and version are not given (or are another stream)', () => {
    expect(tables(moved, { position: 2, recordedAt: '' })).toEqual([
      'INSERT rm_reports_person',
      'UPDATE rm_reports_residence',
      'INSERT rm_reports_residence',
      'INSERT rm_reports_dirty_person',
    ])
    expect(tables(registered, { position: 1, recordedAt: '', stream: 'person-p2', version: 1 })).toHaveLength(
      9,
    )
  })
})

const date = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

describe("the spans' dates", () => {
  test.prop([date])('agedOn is the first day ageInYears counts 30 years', (birth) => {
    const d = agedOn(birth)
    expect(ageInYears(birth, d)).toBeGreaterThanOrEqual(30)
    expect(ageInYears(birth, addDays(d, -1))).toBeLessThan(30)
  })

  test.prop([date])('servedOn is the end of probation under the policy of the admission date', (on) => {
    expect(servedOn(on)).toBe(addMonths(on, policyOn(defaultPolicies, on).probationMonths))
  })

  test.prop([fc.constantFrom('2000-02-29', '1996-02-29', '1995-03-01', '1995-02-28')])(
    'a birthday on 29 February turns 30 on the day ageInYears says',
    (birth) => {
      const d = agedOn(birth)
      expect(ageInYears(birth, d)).toBe(30)
      expect(ageInYears(birth, addDays(d, -1))).toBe(29)
    },
  )
})
