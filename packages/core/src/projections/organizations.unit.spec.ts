import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { history } from '../internal/testing/envelopes'
import type { OrganizationsReport, ReportQuery } from '../reports'
import { organizations } from './organizations'
import { foldReports } from './reportsProjection'
import type { ReportsState } from './state'

const run = (s: ReportsState, q: ReportQuery): OrganizationsReport => {
  const r = organizations(s, q)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

// dist > g1 (committee in agency a1, cells c1 c2), g2 (grassroots cell in enterprise e1), g3 (no unit).
const district = () =>
  history()
    .org('prov', 'province', null)
    .org('dist', 'district', 'prov')
    .unit('a1', 'dist', '2010-01-01', 'agency')
    .unit('e1', 'dist', '2010-01-01', 'enterprise')
    .org('g1', 'grassroots', 'dist', '2010-01-01', { unitId: 'a1', name: 'Đảng bộ a1' })
    .org('c1', 'cell', 'g1')
    .org('c2', 'cell', 'g1')
    .org('g2', 'grassroots', 'dist', '2010-01-01', { unitId: 'e1' })
    .org('g3', 'grassroots', 'dist', '2012-01-01')
    .existing('m1', 'c1', '2005-01-01', '2011-01-01')
    .existing('m2', 'c2', '2005-01-01', '2011-01-01')
    .existing('m3', 'g2', '2005-01-01', '2011-01-01')
    .existing('m4', 'dist', '2005-01-01', '2011-01-01')

describe('organizations', () => {
  it('counts grassroots organizations by form and kind of unit, the cells under them and their members (Hải Phòng: committees and grassroots cells)', () => {
    const s = foldReports(district().build())
    const r = run(s, { orgId: 'dist', asOf: '2013-01-01' })
    expect(r).toMatchObject({
      grassroots: 3,
      byForm: { committee: 1, cell: 2 },
      byUnitKind: { agency: 1, enterprise: 1, none: 1 },
      cells: 2,
      members: 3,
    })
    expect(r.rows).toEqual([
      { orgId: 'g1', name: 'Đảng bộ a1', form: 'committee', unitKind: 'agency', cells: 2, members: 2 },
      { orgId: 'g2', name: 'Org g2', form: 'cell', unitKind: 'enterprise', cells: 0, members: 1 },
      { orgId: 'g3', name: 'Org g3', form: 'cell', unitKind: null, cells: 0, members: 0 },
    ])
    // The college's own report: itself, with its cells.
    expect(run(s, { orgId: 'g1', asOf: '2013-01-01' })).toMatchObject({ grassroots: 1, cells: 2, members: 2 })
    expect(run(s, { orgId: 'c1', asOf: '2013-01-01' })).toMatchObject({ grassroots: 0, cells: 0, rows: [] })
  })

  it('reads the tree on the date and as known: a later organization, dissolved cells, a move, a transfer', () => {
    const b = district()
      .add({ type: 'OrganizationDissolved', data: { orgId: 'c2', on: '2014-01-01' } }, '2014-01-02T00:00:00Z')
      .add({ type: 'OrganizationMoved', data: { orgId: 'c1', parentId: 'g2', on: '2014-01-01' } })
      .add({ type: 'MemberTransferred', data: { personId: 'm2', toOrgId: 'g2', on: '2013-12-01' } })
    const s = foldReports(b.build())
    expect(run(s, { orgId: 'dist', asOf: '2011-06-01' })).toMatchObject({
      grassroots: 2,
      byForm: { committee: 1, cell: 1 },
    })
    expect(run(s, { orgId: 'dist', asOf: '2014-06-01' })).toMatchObject({
      byForm: { committee: 1, cell: 2 },
      rows: [
        { orgId: 'g1', form: 'cell', cells: 0, members: 0 },
        { orgId: 'g2', form: 'committee', cells: 1, members: 3 },
        { orgId: 'g3', form: 'cell', cells: 0, members: 0 },
      ],
    })
    // Known before the dissolution and the move were recorded, both cells still count under g1.
    expect(
      run(s, { orgId: 'dist', asOf: '2014-01-01', knownAt: '2014-01-01T12:00:00Z' }).rows.map((x) => x.cells),
    ).toEqual([2, 0, 0])
    expect(run(s, { orgId: 'dist', asOf: '2014-01-01' }).rows.map((x) => x.cells)).toEqual([0, 1, 0])
  })

  it('rejects an unknown organization', () => {
    const s = foldReports(district().build())
    expect(E.isLeft(organizations(s, { orgId: 'nope', asOf: '2013-01-01' }))).toBe(true)
  })
})
