import { beforeAll, describe, expect, it } from 'vitest'
import type { AttainmentReport, BlankVillagesReport, CoverageReport } from '@ketnap/core'
import { dienBien2016 } from './scenarios'
import { figureContext } from './scenarios/testing'

describe('Điện Biên, Resolution 04-NQ/TU (seed 001), on 17/11/2016', () => {
  let ctx: ReturnType<typeof figureContext>
  beforeAll(() => {
    ctx = figureContext(dienBien2016)
  })
  const report = <R>(i: number): R => ctx.reports[i] as R

  it('admitted 1,873 in 2016 against the province quota of 2,000 (NQ 04-NQ/TU): 93.65 %', () => {
    const r = report<AttainmentReport>(0)
    expect(r.report).toBe('attainment')
    expect(r.target).toBe(2000)
    expect(r.admitted).toBe(1873)
    expect(r.rate).toBe(0.9365)
    expect(r.quotas).toEqual([
      {
        assignedBy: 'db16-tu',
        assignedByName: 'Đảng bộ tỉnh Điện Biên',
        target: 2000,
        rate: 0.9365,
        ref: 'NQ 04-NQ/TU',
      },
    ])
    expect(r.direct + r.rows.reduce((s, row) => s + row.admitted, 0)).toBe(1873)
  })

  it('Mường Nhé: 112 admitted against 154, 72.73 %, in its own report and as a row of the province', () => {
    const r = report<AttainmentReport>(3)
    expect([r.orgId, r.target, r.admitted]).toEqual(['db16-muong-nhe', 154, 112])
    expect(Math.round((r.rate ?? 0) * 10000)).toBe(7273)
    const row = report<AttainmentReport>(0).rows.find((x) => x.orgId === 'db16-muong-nhe')
    expect(row).toMatchObject({ target: 154, admitted: 112 })
  })

  it('821 grassroots units, 638 with a grassroots party organization and 183 without', () => {
    const r = report<CoverageReport>(1)
    expect([r.units, r.withOrganization, r.withoutOrganization]).toEqual([821, 638, 183])
    expect(r.shares).toEqual({ withOrganization: 638 / 821, withoutOrganization: 183 / 821 })
    expect(Math.round((r.shares.withOrganization ?? 0) * 10000)).toBe(7771)
    expect(Math.round((r.shares.withoutOrganization ?? 0) * 10000)).toBe(2229)
  })

  it('1,813 villages, 1,417 with a party organization, 396 without; blank 95 on 23/05 and 71 on 17/11', () => {
    const r = report<BlankVillagesReport>(2)
    expect([r.villages, r.withOrganization, r.withoutOrganization, r.withoutMembers]).toEqual([
      1813, 1417, 396, 71,
    ])
    expect(r.before).toMatchObject({
      villages: 1813,
      withOrganization: 1417,
      withoutOrganization: 396,
      withoutMembers: 95,
    })
    expect(r.shares.withoutOrganization).toBe(396 / 1813)
    expect(Math.round((r.shares.withoutOrganization ?? 0) * 10000)).toBe(2184)
    expect(r.shares.withOrganization! + r.shares.withoutOrganization!).toBeCloseTo(1, 12)
    expect(r.cleared).toHaveLength(24)
    expect(r.newlyBlank).toEqual([])
    expect(r.blankVillageIds).toHaveLength(71)
  })

  it('Mường Nhé: 38 blank villages on 23/05, 18 on 17/11, 20 cleared', () => {
    const r = report<BlankVillagesReport>(4)
    expect(r.before?.withoutMembers).toBe(38)
    expect(r.withoutMembers).toBe(18)
    expect(r.cleared).toHaveLength(20)
    expect(r.cleared?.every((id) => id.startsWith('db16-muong-nhe-'))).toBe(true)
  })

  it('every figure of the table reads back exactly from the reports', () => {
    for (const figure of dienBien2016.figures) expect(figure.observe(ctx), figure.label).toBe(figure.expected)
  })
})
