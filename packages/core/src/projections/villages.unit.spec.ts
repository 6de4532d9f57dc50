import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { history } from '../internal/testing/envelopes'
import type { ReportQuery } from '../reports'
import { blankVillages } from './blankVillages'
import { coverage } from './coverage'
import { foldReports } from './reportsProjection'
import { villageHeads } from './villageHeads'

const right = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

// prov > d1 (unit x1: villages v1 v2 v3) and d2 (unit x2: v4); g1 grassroots sits in x1; cell c1 covers v1.
const geography = () =>
  history()
    .org('prov', 'province', null, '2010-01-01')
    .org('d1', 'district', 'prov', '2010-01-01')
    .org('d2', 'district', 'prov', '2010-01-01')
    .unit('x1', 'd1')
    .unit('x2', 'd2')
    .unit('x3', 'd2', '2010-01-01', 'enterprise')
    .village('v1', 'x1')
    .village('v2', 'x1')
    .village('v3', 'x1')
    .village('v4', 'x2')
    .org('g1', 'grassroots', 'd1', '2010-01-01', { unitId: 'x1' })
    .org('c1', 'cell', 'g1', '2010-01-01', { villageId: 'v1' })

describe('blank villages', () => {
  it('counts villages in scope, with and without a cell, and without members; compares with an earlier date', () => {
    const b = geography()
      .existing('m1', 'c1', '2015-01-01', '2016-01-01', { villageId: 'v1' })
      .existing('m2', 'g1', '2015-01-01', '2016-01-01', { villageId: 'v4' })
      .add({ type: 'MemberMoved', data: { personId: 'm2', villageId: 'v2', on: '2016-06-01' } })
      .add({ type: 'MemberLeft', data: { personId: 'm1', reason: 'resigned', on: '2016-07-01' } })
      .village('v5', 'x1', '2016-08-01')
    const s = foldReports(b.build())
    const q: ReportQuery = { orgId: 'd1', asOf: '2016-12-31', since: '2016-03-01' }
    const r = right(blankVillages(s, q))
    expect(r).toMatchObject({
      villages: 4,
      withOrganization: 1,
      withoutOrganization: 3,
      withoutMembers: 3,
      blankVillageIds: ['v1', 'v3', 'v5'],
      before: { villages: 3, withOrganization: 1, withoutOrganization: 2, withoutMembers: 2 },
      cleared: ['v2'],
      newlyBlank: ['v1', 'v5'],
    })
    // m2 lived in v4, which is in d2's scope, not d1's: still blank for the province on 2016-03-01 only v2, v3.
    expect(right(blankVillages(s, { orgId: 'prov', asOf: '2016-03-01' })).blankVillageIds).toEqual([
      'v2',
      'v3',
    ])
  })

  it('follows a unit moved to another organization and a retired village', () => {
    const b = geography()
      .add({ type: 'UnitMoved', data: { unitId: 'x2', orgId: 'd1', on: '2017-01-01' } })
      .add({ type: 'VillageRetired', data: { villageId: 'v3', on: '2017-01-01' } })
    const s = foldReports(b.build())
    expect(right(blankVillages(s, { orgId: 'd1', asOf: '2016-12-31' })).villages).toBe(3)
    expect(right(blankVillages(s, { orgId: 'd1', asOf: '2017-01-01' })).blankVillageIds).toEqual([
      'v1',
      'v2',
      'v4',
    ])
  })
})

describe('coverage', () => {
  it('counts units in scope and those an active grassroots organization sits in', () => {
    const b = geography().add({ type: 'OrganizationDissolved', data: { orgId: 'c1', on: '2018-01-01' } })
    const s = foldReports(b.build())
    expect(right(coverage(s, { orgId: 'prov', asOf: '2016-01-01' }))).toMatchObject({
      units: 3,
      withOrganization: 1,
      withoutOrganization: 2,
    })
    expect(right(coverage(s, { orgId: 'd2', asOf: '2016-01-01' }))).toMatchObject({
      units: 2,
      withOrganization: 0,
    })
    expect(right(blankVillages(s, { orgId: 'd1', asOf: '2018-01-01' })).withOrganization).toBe(0)
  })
})

describe('village heads', () => {
  it('takes the latest appointment on or before the date and checks membership on that date', () => {
    const b = geography()
      .existing('m1', 'c1', '2015-01-01', '2016-01-01', { villageId: 'v1' })
      .add({ type: 'VillageHeadAppointed', data: { villageId: 'v1', personId: 'm1', on: '2016-02-01' } })
      .add({ type: 'VillageHeadAppointed', data: { villageId: 'v2', personId: 'm1', on: '2016-02-01' } })
      .add({
        type: 'VillageHeadAppointed',
        data: { villageId: 'v2', personId: 'stranger', on: '2016-05-01' },
      })
      .add({ type: 'VillageHeadAppointed', data: { villageId: 'v4', personId: 'm1', on: '2016-02-01' } })
    const s = foldReports(b.build())
    expect(right(villageHeads(s, { orgId: 'd1', asOf: '2016-01-31' }))).toMatchObject({
      villagesWithHead: 0,
      share: null,
    })
    expect(right(villageHeads(s, { orgId: 'd1', asOf: '2016-03-01' }))).toMatchObject({
      villagesWithHead: 2,
      headsWhoAreMembers: 2,
      share: 1,
    })
    expect(right(villageHeads(s, { orgId: 'prov', asOf: '2016-06-01' }))).toMatchObject({
      villagesWithHead: 3,
      headsWhoAreMembers: 2,
    })
  })

  it('gives the target in force on the date: set by the organization or its nearest ancestor, latest set wins, as known', () => {
    const target = (orgId: string, value: number, period: string, on: string) => ({
      type: 'TargetSet' as const,
      data: {
        orgId,
        indicator: 'village-heads-members-share' as const,
        period,
        value,
        ref: `NQ ${orgId}`,
        on,
      },
    })
    const b = geography()
      .existing('m1', 'c1', '2015-01-01', '2016-01-01', { villageId: 'v1' })
      .add({ type: 'VillageHeadAppointed', data: { villageId: 'v1', personId: 'm1', on: '2016-02-01' } })
      .add({ type: 'VillageHeadAppointed', data: { villageId: 'v2', personId: 'x', on: '2016-02-01' } })
      .add(target('prov', 0.9, '2016-2020', '2016-03-01'))
      .add({
        type: 'TargetSet',
        data: {
          orgId: 'prov',
          indicator: 'blank-villages-yearly-reduction',
          period: '2016',
          value: 0.2,
          on: '2016-03-01',
        },
      })
      .add(target('d1', 0.5, '2017', '2016-12-01'))
      .add(target('prov', 0.95, '2016-2020', '2018-01-01'), '2018-01-02T00:00:00Z')
    const s = foldReports(b.build())
    const heads = (orgId: string, asOf: string, knownAt?: string) =>
      right(villageHeads(s, { orgId, asOf, ...(knownAt === undefined ? {} : { knownAt }) }))
    expect(heads('d1', '2016-02-15')).toMatchObject({
      share: 0.5,
      target: null,
      met: null,
      targetSetBy: null,
    })
    expect(heads('d1', '2016-06-01')).toMatchObject({
      share: 0.5,
      target: 0.9,
      targetSetBy: 'prov',
      targetRef: 'NQ prov',
      met: false,
    })
    expect(heads('d1', '2017-06-01')).toMatchObject({ target: 0.5, targetSetBy: 'd1', met: true })
    expect(heads('d1', '2018-06-01')).toMatchObject({ target: 0.95, targetSetBy: 'prov' })
    expect(heads('d1', '2018-06-01', '2018-01-01T00:00:00Z')).toMatchObject({ target: 0.9 })
    expect(heads('d1', '2021-06-01')).toMatchObject({ target: null, met: null })
  })
})
