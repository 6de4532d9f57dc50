import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/Either'
import { decodeEvent } from './decode'
import { EVENT_TYPES } from './events'
import { EXAMPLE_EVENTS } from './internal/rules/examples'

const codesOf = (type: string, data: unknown): string[] => {
  const r = decodeEvent(type, data)
  return E.isLeft(r) ? r.left.map((e) => `${e.code}@${e.path ?? ''}`) : []
}

const nominee = {
  personId: 'p1',
  orgId: 'cb1',
  nominatedBy: 'youth-union',
  profile: { birthDate: '2000-01-01', sex: 'female', ethnicMinority: true, occupation: 'student' },
  on: '2021-03-01',
}

describe('decodeEvent', () => {
  it('decodes one example of every event type', () => {
    expect(new Set(EXAMPLE_EVENTS.map((e) => e.type))).toEqual(new Set(EVENT_TYPES))
    for (const e of EXAMPLE_EVENTS) expect(decodeEvent(e.type, e.data)).toEqual(E.right(e))
  })
  it('rejects unknown types', () => {
    expect(codesOf('MemberPromoted', {})).toEqual(['unknown-event-type@type'])
  })
  it('rejects data that is not an object', () => {
    expect(codesOf('MemberAdmitted', [])).toEqual(['invalid-type@data'])
    expect(codesOf('MemberAdmitted', null)).toEqual(['invalid-type@data'])
  })
  it('names missing and unknown fields', () => {
    expect(codesOf('MemberAdmitted', { personId: 'p', on: '2021-01-01' })).toEqual([
      'missing-field@data.orgId',
    ])
    expect(codesOf('MemberAdmitted', { personId: 'p', orgId: 'o', on: '2021-01-01', x: 1 })).toEqual([
      'unknown-field@data.x',
    ])
    expect(
      codesOf('CandidateNominated', { ...nominee, profile: { ...nominee.profile, height: 170 } }),
    ).toEqual(['unknown-field@data.profile.height'])
    expect(
      codesOf('OrganizationRegistered', { orgId: 'o', name: 'n', level: 'cell', on: '2021-01-01' }),
    ).toEqual(['missing-field@data.parentId'])
  })
  it('gives a code per kind of bad value', () => {
    expect(
      codesOf('CandidateNominated', { ...nominee, profile: { ...nominee.profile, birthDate: '2021-02-30' } }),
    ).toEqual(['invalid-date@data.profile.birthDate'])
    expect(codesOf('CandidateNominated', { ...nominee, nominatedBy: 'party' })).toEqual([
      'invalid-enum@data.nominatedBy',
    ])
    expect(codesOf('CandidateNominated', { ...nominee, personId: '' })).toEqual([
      'empty-string@data.personId',
    ])
    expect(codesOf('CandidateNominated', { ...nominee, personId: 7 })).toEqual(['invalid-type@data.personId'])
    expect(
      codesOf('CandidateNominated', { ...nominee, profile: { ...nominee.profile, ethnicMinority: 'no' } }),
    ).toEqual(['invalid-type@data.profile.ethnicMinority'])
    expect(codesOf('CellVoted', { personId: 'p', inFavour: 1.5, eligible: -1, on: '2021-01-01' })).toEqual([
      'invalid-count@data.inFavour',
      'invalid-count@data.eligible',
    ])
    const quota = { orgId: 'o', period: '2021', target: 3, assignedBy: 'o', on: '2021-01-01' }
    expect(codesOf('QuotaAssigned', { ...quota, target: 0 })).toEqual(['invalid-target@data.target'])
    expect(codesOf('QuotaAssigned', { ...quota, period: '2025-2020' })).toEqual([
      'invalid-period@data.period',
    ])
    expect(codesOf('QuotaAssigned', { ...quota, period: '2021-01-01/2021-02-30' })).toEqual([
      'invalid-period@data.period',
    ])
    expect(
      codesOf('TargetSet', {
        orgId: 'o',
        indicator: 'village-heads-members-share',
        period: '2021',
        value: 1.2,
        on: '2021-01-01',
      }),
    ).toEqual(['invalid-fraction@data.value'])
    expect(codesOf('OrganizationRated', { orgId: 'o', year: 21, rating: 'good', on: '2021-01-01' })).toEqual([
      'invalid-year@data.year',
    ])
    expect(
      codesOf('OrganizationRegistered', {
        orgId: 'o',
        name: 'n',
        level: 'cell',
        parentId: '',
        on: '2021-01-01',
      }),
    ).toEqual(['empty-string@data.parentId'])
    expect(codesOf('MemberMoved', { personId: 'p', villageId: 3, on: '2021-01-01' })).toEqual([
      'invalid-type@data.villageId',
    ])
  })
  it('accepts null where the catalog allows it', () => {
    expect(E.isRight(decodeEvent('MemberMoved', { personId: 'p', villageId: null, on: '2021-01-01' }))).toBe(
      true,
    )
  })
  it('refuses the mark of erased fields in an input, and reads it back from a stored event when asked', () => {
    const erasedProfile = { erased: true, sex: 'female', occupation: 'student' }
    expect(codesOf('CandidateNominated', { ...nominee, profile: erasedProfile })).toEqual([
      'unknown-field@data.profile.erased',
    ])
    expect(codesOf('AdmissionAnnulled', { personId: 'p1', on: '2021-01-01', erased: true })).toEqual([
      'unknown-field@data.erased',
    ])
    expect(codesOf('AdmissionAnnulled', { personId: 'p1', on: '2021-01-01' })).toEqual([
      'missing-field@data.reason',
    ])
    expect(
      decodeEvent('CandidateNominated', { ...nominee, profile: erasedProfile }, { erased: true }),
    ).toEqual(E.right({ type: 'CandidateNominated', data: { ...nominee, profile: erasedProfile } }))
    expect(
      E.isRight(
        decodeEvent(
          'AdmissionAnnulled',
          { personId: 'p1', on: '2021-01-01', erased: true },
          { erased: true },
        ),
      ),
    ).toBe(true)
  })
})
