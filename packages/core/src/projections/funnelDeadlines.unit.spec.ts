import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { addWorkingDays, workingDaysBetween } from '../calendar'
import type { DomainEvent } from '../events'
import { aProfile, history } from '../internal/testing/envelopes'
import { defaultPolicy } from '../policy'
import type { FunnelReport, ReportQuery } from '../reports'
import { funnel } from './funnel'
import { foldReports } from './reportsProjection'
import type { ReportsState } from './state'

const run = (s: ReportsState, q: ReportQuery): FunnelReport => {
  const r = funnel(s, q)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const H = defaultPolicy.holidays
const nominated = (personId: string, on: string): DomainEvent => ({
  type: 'CandidateNominated',
  data: { personId, orgId: 'c', nominatedBy: 'members', profile: aProfile(), on },
})
const trained = (personId: string, on: string): DomainEvent => ({
  type: 'AwarenessClassCompleted',
  data: { personId, certificateNo: `GCN-${personId}`, on },
})
const verified = (personId: string, on: string): DomainEvent => ({
  type: 'BackgroundVerified',
  data: { personId, outcome: 'cleared', on },
})
const voted = (personId: string, on: string): DomainEvent => ({
  type: 'CellVoted',
  data: { personId, inFavour: 3, eligible: 3, on },
})
const decided = (personId: string, on: string): DomainEvent => ({
  type: 'AdmissionDecided',
  data: { personId, decisionNo: `QD-${personId}`, decidedBy: 'prov', on },
})

// Candidates stopped at each step: d waits for its decision, e for its ceremony, f's certificate ages.
const pipeline = () =>
  history()
    .org('prov', 'province', null)
    .org('c', 'cell', 'prov')
    .add(nominated('f', '2015-01-05'))
    .add(trained('f', '2015-02-02'))
    .add(nominated('d', '2020-01-06'))
    .add(trained('d', '2020-02-03'))
    .add(verified('d', '2020-03-02'))
    .add(voted('d', '2020-04-01'))
    .add(nominated('e', '2020-01-06'))
    .add(trained('e', '2020-02-03'))
    .add(verified('e', '2020-03-02'))
    .add(voted('e', '2020-04-01'))
    .add(decided('e', '2020-05-04'))
    .admit('a', 'c', '2020-06-15')

describe('funnel: every deadline of the policy', () => {
  it('lists who is past the decision (with its extension), ceremony and certificate deadlines; overdue keeps the confirmation', () => {
    const s = foldReports(pipeline().build())
    const q = { orgId: 'prov', period: '2020' }
    const decisionEnd = addWorkingDays('2020-04-01', 60 + 30, H)
    const ceremonyEnd = addWorkingDays('2020-05-04', 30, H)
    expect(run(s, { ...q, asOf: decisionEnd }).overdueByKind.decision).toEqual([])
    expect(run(s, { ...q, asOf: addWorkingDays(decisionEnd, 1, H) }).overdueByKind.decision).toEqual(['d'])
    expect(run(s, { ...q, asOf: ceremonyEnd }).overdueByKind.ceremony).toEqual([])
    expect(run(s, { ...q, asOf: addWorkingDays(ceremonyEnd, 1, H) }).overdueByKind.ceremony).toEqual(['e'])
    // f's certificate of 2015-02-02 is valid 60 months: expired from 2020-02-02.
    expect(run(s, { ...q, asOf: '2020-02-01' }).overdueByKind.certificate).toEqual([])
    expect(run(s, { ...q, asOf: '2020-02-02' }).overdueByKind.certificate).toEqual(['f'])
    const late = run(s, { ...q, asOf: '2021-12-31' })
    expect(late.overdueByKind).toEqual({
      decision: ['d'],
      ceremony: ['e'],
      confirmation: ['a'],
      certificate: ['f'],
    })
    expect(late.overdue).toEqual(late.overdueByKind.confirmation)
  })

  it('a decision, a ceremony, a closed candidacy or an admission ends the wait', () => {
    const b = pipeline()
      .add(decided('d', '2020-12-01'))
      .add({ type: 'CandidacyClosed', data: { personId: 'e', reason: 'withdrawn', on: '2020-12-01' } })
      .add({ type: 'CandidacyClosed', data: { personId: 'f', reason: 'withdrawn', on: '2020-12-01' } })
    const r = run(foldReports(b.build()), { orgId: 'prov', period: '2020', asOf: '2020-12-15' })
    expect(r.overdueByKind).toEqual({ decision: [], ceremony: [], confirmation: [], certificate: [] })
    // d's decision has its own ceremony deadline.
    const later = run(foldReports(b.build()), { orgId: 'prov', period: '2020', asOf: '2021-03-31' })
    expect(later.overdueByKind.ceremony).toEqual(['d'])
  })

  it('gives the conversion between consecutive steps and the median working days each took', () => {
    const s = foldReports(pipeline().build())
    const r = run(s, { orgId: 'prov', period: '2020', asOf: '2020-12-31' })
    const byFrom = Object.fromEntries(r.conversion.map((c) => [c.from, c]))
    // Nominated in 2020: d, e, a (f was nominated in 2015); all three trained.
    expect(byFrom['nominated']).toMatchObject({ to: 'trained', persons: 3, converted: 3, rate: 1 })
    // a: nominated 120 days before 2020-06-15, trained 90 days before; d, e: 2020-01-06 → 2020-02-03.
    const days = [
      workingDaysBetween('2020-01-06', '2020-02-03', H),
      workingDaysBetween('2020-01-06', '2020-02-03', H),
      workingDaysBetween('2020-02-16', '2020-03-17', H),
    ].sort((x, y) => x - y)
    expect(byFrom['nominated']?.medianWorkingDays).toBe(days[1])
    expect(byFrom['cellApproved']).toMatchObject({ to: 'decided', persons: 3, converted: 2 })
    expect(byFrom['decided']).toMatchObject({ to: 'admitted', persons: 2, converted: 1, rate: 0.5 })
    expect(byFrom['admitted']).toMatchObject({ to: 'confirmed', persons: 1, converted: 0, rate: 0 })
    expect(byFrom['admitted']?.medianWorkingDays).toBeNull()
    expect(r.conversion.map((c) => c.from)).toEqual([
      'nominated',
      'trained',
      'verified',
      'cellApproved',
      'decided',
      'admitted',
    ])
    expect(
      run(s, { orgId: 'prov', period: '2010', asOf: '2020-12-31' }).conversion.every((c) => c.rate === null),
    ).toBe(true)
  })
})
