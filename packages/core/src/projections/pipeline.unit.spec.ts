import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { DomainEvent } from '../events'
import { history } from '../internal/testing/envelopes'
import { defaultPolicy } from '../policy'
import { funnel } from './funnel'
import { foldReports, runReport } from './reportsProjection'
import { training } from './training'

const right = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('training', () => {
  it('Bạc Liêu: 4 classes, 345 trainees in 2021, of the subtree as it stood on each class’s first day', () => {
    const b = history()
      .org('prov', 'province', null)
      .org('bloc', 'bloc', 'prov')
      .org('other', 'district', 'prov')
      .org('g', 'grassroots', 'other')
    const cls = (classId: string, orgId: string, from: string, trainees: number) =>
      b.add({ type: 'AwarenessClassHeld', data: { classId, orgId, from, to: from, trainees } })
    cls('c0', 'bloc', '2020-12-20', 50)
    cls('c1', 'bloc', '2021-02-01', 90)
    cls('c2', 'bloc', '2021-04-01', 85)
    cls('c3', 'g', '2021-05-01', 999)
    b.add({ type: 'OrganizationMoved', data: { orgId: 'g', parentId: 'bloc', on: '2021-05-15' } })
    cls('c4', 'g', '2021-06-01', 80)
    cls('c5', 'bloc', '2021-07-01', 90)
    cls('c6', 'bloc', '2021-08-01', 70)
    const s = foldReports(b.build())
    expect(right(training(s, { orgId: 'bloc', period: '2021', asOf: '2021-07-16' }))).toMatchObject({
      classes: 4,
      trainees: 345,
    })
    expect(right(training(s, { orgId: 'prov', period: '2021', asOf: '2021-12-31' })).classes).toBe(6)
  })

  it('a class recorded again counts once, as known at knownAt (the validator refuses it: class-duplicate)', () => {
    const b = history().org('prov', 'province', null).org('bloc', 'bloc', 'prov')
    const cls = (classId: string, from: string, trainees: number, recordedAt?: string) =>
      b.add(
        { type: 'AwarenessClassHeld', data: { classId, orgId: 'bloc', from, to: from, trainees } },
        recordedAt,
      )
    cls('k1', '2021-03-01', 40, '2021-03-02T01:00:00.000Z')
    cls('k1', '2021-03-01', 45, '2021-04-01T01:00:00.000Z')
    cls('k2', '2021-05-01', 30, '2021-05-02T01:00:00.000Z')
    // Its second record moves the class out of 2021.
    cls('k2', '2022-01-10', 30, '2022-01-11T01:00:00.000Z')
    const s = foldReports(b.build())
    const q = { orgId: 'bloc', period: '2021', asOf: '2021-12-31' }
    expect(right(training(s, q))).toMatchObject({ classes: 1, trainees: 45 })
    expect(right(training(s, { ...q, knownAt: '2021-06-01T00:00:00Z' }))).toMatchObject({
      classes: 2,
      trainees: 75,
    })
    expect(right(training(s, { ...q, knownAt: '2021-03-15T00:00:00Z' }))).toMatchObject({
      classes: 1,
      trainees: 40,
    })
    expect(right(training(s, { ...q, knownAt: '2021-03-01T00:00:00Z' }))).toMatchObject({
      classes: 0,
      trainees: 0,
    })
  })
})

describe('funnel', () => {
  it('counts persons at each step in the period and lists the overdue probationary members', () => {
    const b = history()
      .org('prov', 'province', null)
      .org('c', 'cell', 'prov')
      .org('elsewhere', 'province', null)
      .admit('p1', 'c', '2020-06-15')
      .admit('p2', 'c', '2020-07-15')
      .add({ type: 'MembershipConfirmed', data: { personId: 'p2', on: '2021-08-01' } })
      .admit('p3', 'elsewhere', '2020-07-15')
      .add({
        type: 'CandidateNominated',
        data: {
          personId: 'p4',
          orgId: 'c',
          nominatedBy: 'members',
          profile: { birthDate: '2000-01-01', sex: 'female', ethnicMinority: false, occupation: 'student' },
          on: '2020-03-01',
        },
      })
      .add({ type: 'CandidacyClosed', data: { personId: 'p4', reason: 'withdrawn', on: '2020-04-01' } })
    const s = foldReports(b.build())
    const r = right(funnel(s, { orgId: 'prov', period: '2020', asOf: '2021-12-31' }))
    expect(r).toMatchObject({
      nominated: 3,
      trained: 2,
      verified: 2,
      cellApproved: 2,
      decided: 2,
      admitted: 2,
      confirmed: 0,
      closed: 1,
    })
    // p1's 12 months ended 2021-06-15 (a Tuesday); 30 working days later is 2021-07-27.
    expect(right(funnel(s, { orgId: 'prov', period: '2021', asOf: '2021-07-27' })).overdue).toEqual([])
    expect(right(funnel(s, { orgId: 'prov', period: '2021', asOf: '2021-07-28' })).overdue).toEqual(['p1'])
    const q = { orgId: 'prov', period: '2021', asOf: '2021-09-30' }
    expect(right(funnel(s, { ...q, knownAt: '2021-08-01T00:00:00Z' })).overdue).toEqual(['p1', 'p2'])
    expect(right(funnel(s, { orgId: 'prov', period: '2021', asOf: '2021-09-30' })).overdue).toEqual(['p1'])
    expect(right(funnel(s, { orgId: 'prov', period: '2021', asOf: '2021-12-31' })).confirmed).toBe(1)
  })
})

describe('funnel and annulments', () => {
  it('no longer counts the confirmation of an admission once its annulment is known', () => {
    const b = history()
      .org('prov', 'province', null)
      .org('c', 'cell', 'prov')
      .admit('p1', 'c', '2020-06-15')
      .add({ type: 'MembershipConfirmed', data: { personId: 'p1', on: '2021-07-01' } })
      .add(
        { type: 'AdmissionAnnulled', data: { personId: 'p1', reason: 'unlawful', on: '2021-08-01' } },
        '2021-08-02T00:00:00.000Z',
      )
      .admit('p2', 'c', '2020-06-15', { recordedAt: '2021-08-03T00:00:00.000Z' })
      .add({ type: 'MembershipConfirmed', data: { personId: 'p2', on: '2021-07-01' } })
    const s = foldReports(b.build())
    const q = { orgId: 'prov', period: '2021', asOf: '2021-12-31' }
    expect(right(funnel(s, { ...q, knownAt: '2021-08-01T12:00:00Z' })).confirmed).toBe(1)
    expect(right(funnel(s, q)).confirmed).toBe(1)
    expect(right(funnel(s, { ...q, period: '2020' })).admitted).toBe(1)
  })
})

describe('funnel and the policy majority', () => {
  it('cellApproved counts the cell votes that reach the majority of the policy the report is run under', () => {
    const b = history().org('prov', 'province', null).org('c', 'cell', 'prov')
    const candidate = (personId: string, inFavour: number, eligible: number) => {
      const events: DomainEvent[] = [
        {
          type: 'CandidateNominated',
          data: {
            personId,
            orgId: 'c',
            nominatedBy: 'members',
            profile: { birthDate: '1995-01-01', sex: 'male', ethnicMinority: false, occupation: 'farmer' },
            on: '2020-01-06',
          },
        },
        {
          type: 'AwarenessClassCompleted',
          data: { personId, certificateNo: `GCN-${personId}`, on: '2020-02-03' },
        },
        { type: 'BackgroundVerified', data: { personId, outcome: 'cleared', on: '2020-03-02' } },
        { type: 'CellVoted', data: { personId, inFavour, eligible, on: '2020-03-16' } },
      ]
      for (const e of events) b.add(e)
    }
    candidate('seven-of-ten', 7, 10)
    candidate('eight-of-ten', 8, 10)
    candidate('six-of-ten', 6, 10)
    const s = foldReports(b.build())
    const q = { orgId: 'prov', period: '2020', asOf: '2020-12-31' }
    const approved = (numerator: number, denominator: number): number =>
      right(funnel(s, q, { ...defaultPolicy, majority: { numerator, denominator } })).cellApproved
    // Two thirds: 21 ≥ 20 and 24 ≥ 20 pass, 18 < 20 fails.
    expect(right(funnel(s, q)).cellApproved).toBe(2)
    expect(approved(2, 3)).toBe(2)
    // Three quarters: only 8 of 10 (32 ≥ 30).
    expect(approved(3, 4)).toBe(1)
    // Half: all three.
    expect(approved(1, 2)).toBe(3)
    // runReport hands its policy to the funnel.
    const viaRunReport = runReport(s, 'funnel', q, {
      ...defaultPolicy,
      majority: { numerator: 3, denominator: 4 },
    })
    expect(right(viaRunReport)).toMatchObject({ cellApproved: 1 })
  })
})

describe('funnel counts persons', () => {
  it('a person with several records of a step in the period counts once at that step', () => {
    const b = history()
      .org('prov', 'province', null)
      .org('c', 'cell', 'prov')
      // Admitted in 2015, confirmed, struck off, admitted again (kết nạp lại) and confirmed again.
      .admit('r', 'c', '2015-03-02')
      .add({ type: 'MembershipConfirmed', data: { personId: 'r', on: '2016-03-10' } })
      .add({ type: 'MemberLeft', data: { personId: 'r', reason: 'struck-off', on: '2016-06-01' } })
    const profile = {
      birthDate: '1990-01-01',
      sex: 'female',
      ethnicMinority: true,
      occupation: 'farmer',
    } as const
    const again: DomainEvent[] = [
      {
        type: 'CandidateNominated',
        data: {
          personId: 'r',
          orgId: 'c',
          nominatedBy: 'members',
          profile,
          readmissionApproval: 'CV-1',
          on: '2019-07-01',
        },
      },
      // A second class, a second verification and a second passing vote.
      {
        type: 'AwarenessClassCompleted',
        data: { personId: 'r', certificateNo: 'GCN-r-1', on: '2019-08-01' },
      },
      {
        type: 'AwarenessClassCompleted',
        data: { personId: 'r', certificateNo: 'GCN-r-2', on: '2019-09-02' },
      },
      { type: 'BackgroundVerified', data: { personId: 'r', outcome: 'cleared', on: '2019-09-16' } },
      { type: 'CellVoted', data: { personId: 'r', inFavour: 2, eligible: 3, on: '2019-09-23' } },
      { type: 'BackgroundVerified', data: { personId: 'r', outcome: 'cleared', on: '2019-10-07' } },
      { type: 'CellVoted', data: { personId: 'r', inFavour: 3, eligible: 3, on: '2019-10-14' } },
      {
        type: 'AdmissionDecided',
        data: { personId: 'r', decisionNo: 'QD-r-2', decidedBy: 'c', on: '2019-11-04' },
      },
      { type: 'MemberAdmitted', data: { personId: 'r', orgId: 'c', on: '2019-12-02' } },
      { type: 'MembershipConfirmed', data: { personId: 'r', on: '2020-12-10' } },
    ]
    // Nominated, closed, nominated again and closed again.
    const twiceClosed: DomainEvent[] = [
      {
        type: 'CandidateNominated',
        data: { personId: 'q', orgId: 'c', nominatedBy: 'other', profile, on: '2017-01-02' },
      },
      { type: 'CandidacyClosed', data: { personId: 'q', reason: 'withdrawn', on: '2017-02-01' } },
      {
        type: 'CandidateNominated',
        data: { personId: 'q', orgId: 'c', nominatedBy: 'other', profile, on: '2017-03-01' },
      },
      { type: 'CandidacyClosed', data: { personId: 'q', reason: 'rejected', on: '2017-04-03' } },
    ]
    for (const e of twiceClosed) b.add(e)
    for (const e of again) b.add(e)
    const s = foldReports(b.build())
    expect(right(funnel(s, { orgId: 'prov', period: '2015-2020', asOf: '2020-12-31' }))).toMatchObject({
      nominated: 2,
      trained: 1,
      verified: 1,
      cellApproved: 1,
      decided: 1,
      admitted: 1,
      confirmed: 1,
      closed: 1,
    })
  })
})
