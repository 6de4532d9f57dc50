import { beforeAll, describe, expect, it } from 'vitest'
import type {
  AttainmentReport,
  CoverageReport,
  FunnelReport,
  OrganizationsReport,
  RollReport,
  TrainingReport,
} from '@ketnap/core'
import { haiPhongDuongKinh2018 } from './scenarios'
import { figureContext } from './scenarios/testing'

describe('Hải Phòng, Dương Kinh district (seed 002), on 14/08/2018', () => {
  let ctx: ReturnType<typeof figureContext>
  beforeAll(() => {
    ctx = figureContext(haiPhongDuongKinh2018)
  })
  const report = <R>(i: number): R => ctx.reports[i] as R

  it('41 grassroots organizations, each in its own unit: 11 grassroots committees and 30 grassroots cells', () => {
    const r = report<CoverageReport>(0)
    expect([r.units, r.withOrganization, r.withoutOrganization]).toEqual([41, 41, 0])
    const o = report<OrganizationsReport>(5)
    expect([o.grassroots, o.byForm.committee, o.byForm.cell]).toEqual([41, 11, 30])
    expect(o.cells).toBe(87)
    expect(o.members).toBe(2555)
  })

  it('2,555 members on the roll', () => {
    const r = report<RollReport>(1)
    expect(r.members).toBe(2555)
    expect(r.official + r.probationary).toBe(2555)
  })

  it('5 awareness classes for 198 trainees since the start of the 2015-2020 term', () => {
    const r = report<TrainingReport>(2)
    expect([r.period, r.classes, r.trainees]).toEqual(['2015-2020', 5, 198])
  })

  it('179 admitted since the start of the term, with no quota in the article', () => {
    const r = report<AttainmentReport>(3)
    expect([r.admitted, r.target, r.rate]).toEqual([179, null, null])
  })

  it('every new member went through the whole pipeline, and no confirmation is overdue', () => {
    const r = report<FunnelReport>(4)
    expect([r.nominated, r.trained, r.verified, r.cellApproved, r.decided, r.admitted]).toEqual([
      179, 179, 179, 179, 179, 179,
    ])
    expect(r.overdue).toEqual([])
  })

  it('every figure of the table reads back exactly from the reports', () => {
    for (const figure of haiPhongDuongKinh2018.figures)
      expect(figure.observe(ctx), figure.label).toBe(figure.expected)
  })
})
