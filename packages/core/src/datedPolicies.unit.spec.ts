import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { addWorkingDays } from './calendar'
import type { Command } from './commands'
import { partyDevelopment } from './domain'
import type { DomainEvent } from './events'
import { GEOGRAPHY, outcome, pipeline } from './internal/rules/fixtures'
import { aProfile, history } from './internal/testing/envelopes'
import {
  asPolicies,
  defaultPolicies,
  defaultPolicy,
  policy232,
  policy24,
  policy294,
  policyOn,
  type Policies,
  type Policy,
} from './policy'
import { funnel } from './projections/funnel'
import { foldReports } from './projections/reportsProjection'
import type { FunnelReport } from './reports'

// Two test policies whose boundary, 2020-04-15, falls inside the histories below: the old one asks two
// thirds and gives 60 working days to decide; the new one asks three quarters and gives 10.
const old: Policy = { ...defaultPolicy, validFrom: '2000-01-01' }
const strict: Policy = {
  ...defaultPolicy,
  validFrom: '2020-04-15',
  majority: { numerator: 3, denominator: 4 },
  decisionDeadlineWorkingDays: 10,
}
const dated: Policies = [old, strict]
const H = defaultPolicy.holidays

describe('policyOn', () => {
  it('is the last policy in force on the date, the first before them all', () => {
    expect(policyOn(dated, '1999-12-31')).toBe(old)
    expect(policyOn(dated, '2020-04-14')).toBe(old)
    expect(policyOn(dated, '2020-04-15')).toBe(strict)
    expect(policyOn(defaultPolicies, '2025-06-30')).toBe(policy232)
    expect(policyOn(defaultPolicies, '2025-07-01')).toBe(policy294)
    expect(policyOn(defaultPolicies, '2010-01-01')).toBe(policy24)
  })
  it('the domain takes one policy as a one-item list, a list in any order sorted, the real ones by default', () => {
    expect(partyDevelopment({ policy: strict }).policies).toEqual([strict])
    expect(partyDevelopment({ policies: [strict, old] }).policies).toEqual([old, strict])
    expect(partyDevelopment().policies).toEqual(defaultPolicies)
    expect(partyDevelopment().policy).toBe(policy294)
  })
})

describe('the rules in force on the event date decide it', () => {
  // p1's cell votes 10 of 15 (two thirds) on 2020-04-10, before the boundary; p2 the same on 2020-04-16.
  const withCommittee = (c: Command): Command =>
    c.kind === 'RecordCommitteeVote' ? ({ ...c, inFavour: 6 } as Command) : c
  const p1 = pipeline('p1').map(withCommittee)
  const p2 = pipeline('p2').map((c) =>
    c.kind === 'RecordCellVote' ? ({ ...c, on: '2020-04-16' } as Command) : withCommittee(c),
  )
  it('a vote before the boundary passes by the old majority, one after it fails by the new', () => {
    const given = [...GEOGRAPHY, ...p1.slice(0, 4), ...p2.slice(0, 4)]
    expect(outcome(given, p1[4]!, dated)).toBe('ok')
    expect(outcome(given, p2[4]!, dated)).toBe('cell-vote-majority')
    // Under either policy alone both go the same way.
    expect(outcome(given, p1[4]!, old)).toBe('ok')
    expect(outcome(given, p2[4]!, old)).toBe('ok')
    expect(outcome(given, p1[4]!, strict)).toBe('cell-vote-majority')
  })
})

describe('the reports read the policy in force on the date', () => {
  const nominated = (personId: string): DomainEvent => ({
    type: 'CandidateNominated',
    data: { personId, orgId: 'c', nominatedBy: 'members', profile: aProfile(), on: '2020-01-06' },
  })
  const voted = (personId: string, on: string, inFavour: number): DomainEvent => ({
    type: 'CellVoted',
    data: { personId, inFavour, eligible: 4, on },
  })
  // 'before' votes 3 of 4 on 2020-04-01, 'after' 3 of 4 on 2020-04-20: both pass (three quarters);
  // 'weak' votes 2 of 3 before the boundary and 'weaker' 2 of 3 after it.
  const s = foldReports(
    history()
      .org('prov', 'province', null)
      .org('c', 'cell', 'prov')
      .add(nominated('before'))
      .add(nominated('after'))
      .add(nominated('weak'))
      .add(nominated('weaker'))
      .add(voted('before', '2020-04-01', 3))
      .add({ type: 'CellVoted', data: { personId: 'weak', inFavour: 2, eligible: 3, on: '2020-04-02' } })
      .add(voted('after', '2020-04-20', 3))
      .add({ type: 'CellVoted', data: { personId: 'weaker', inFavour: 2, eligible: 3, on: '2020-04-20' } })
      .build(),
  )
  const run = (asOf: string): FunnelReport => {
    const r = funnel(s, { orgId: 'prov', period: '2020', asOf }, dated)
    if (E.isLeft(r)) throw new Error(r.left.message)
    return r.right
  }
  it('counts a cell vote as passing by the majority in force on its date', () => {
    expect(run('2020-12-31').cellApproved).toBe(3)
  })
  it('counts the decision deadline by the policy in force on the vote date', () => {
    // The vote after the boundary has 10 + 30 working days, those before it 60 + 30.
    const newEnd = addWorkingDays('2020-04-20', 10 + 30, H)
    const oldEnd = addWorkingDays('2020-04-02', 60 + 30, H)
    expect(newEnd < oldEnd).toBe(true)
    expect(run(newEnd).overdueByKind.decision).toEqual([])
    expect(run(addWorkingDays(newEnd, 1, H)).overdueByKind.decision).toEqual(['after'])
    expect(run(addWorkingDays(oldEnd, 1, H)).overdueByKind.decision).toEqual(['after', 'before', 'weak'])
  })
})

describe('asPolicies', () => {
  it('hands back a sorted list as it is (the rules use it per event), sorts an unsorted one stably', () => {
    const sorted: Policies = [old, strict]
    expect(asPolicies(sorted)).toBe(sorted)
    const twin: Policy = { ...strict, decisionDeadlineWorkingDays: 11 }
    expect(asPolicies([strict, old, twin])).toEqual([old, strict, twin])
    expect(asPolicies(strict)).toEqual([strict])
  })
})
