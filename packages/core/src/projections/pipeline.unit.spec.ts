import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { history } from '../internal/testing/envelopes'
import { funnel } from './funnel'
import { foldReports } from './reportsProjection'
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
