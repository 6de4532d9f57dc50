import { beforeAll, describe, expect, it } from 'vitest'
import type {
  AttainmentReport,
  CoverageReport,
  OrganizationsReport,
  RollReport,
  TrainingReport,
} from '@ketnap/core'
import { laoCai2022 } from './scenarios'
import { figureContext } from './scenarios/testing'

describe('Lào Cai, provincial agencies-and-enterprises bloc (seed 004), on 31/12/2022', () => {
  let ctx: ReturnType<typeof figureContext>
  beforeAll(() => {
    ctx = figureContext(laoCai2022)
  })
  const report = <R>(i: number): R => ctx.reports[i] as R

  it('90 grassroots organizations: 60 in public agencies and service units, 29 in enterprises, 1 other', () => {
    const r = report<CoverageReport>(0)
    expect([r.units, r.withOrganization, r.withoutOrganization]).toEqual([90, 90, 0])
    const o = report<OrganizationsReport>(9)
    expect(o.grassroots).toBe(90)
    const k = o.byUnitKind
    expect([(k['agency'] ?? 0) + (k['school'] ?? 0), k['enterprise'], k['other']]).toEqual([60, 29, 1])
    expect(o.members).toBe(5558)
  })

  it('5,558 members in the bloc', () => {
    expect(report<RollReport>(1).members).toBe(5558)
  })

  it('220 admitted in 2022 against a plan of 200: 110 %', () => {
    const r = report<AttainmentReport>(2)
    expect([r.target, r.admitted, r.rate]).toEqual([200, 220, 1.1])
  })

  it("4 classes for 430 trainees in 2022, the college's class among them", () => {
    const r = report<TrainingReport>(3)
    expect([r.classes, r.trainees]).toEqual([4, 430])
  })

  it('Lào Cai College: 8 cells and 192 members', () => {
    const o = report<OrganizationsReport>(10)
    expect([o.grassroots, o.byForm.committee, o.cells, o.members]).toEqual([1, 1, 8, 192])
    expect(o.rows).toEqual([
      expect.objectContaining({ orgId: 'lc22-cao-dang-lao-cai-du', unitKind: 'school' }),
    ])
    expect(report<RollReport>(4).members).toBe(192)
  })

  it('Lào Cai College: 8 admitted against a plan of 7 (114.29 %), 3 of them students', () => {
    const r = report<AttainmentReport>(5)
    expect([r.target, r.admitted]).toEqual([7, 8])
    expect(Math.round((r.rate ?? 0) * 10000)).toBe(11429)
    expect(report<AttainmentReport>(6).admitted).toBe(3)
    expect(report<RollReport>(4).byOccupation['student']).toBe(3)
  })

  it('Lào Cai College: 1 class of 54 students in 2022', () => {
    const r = report<TrainingReport>(7)
    expect([r.classes, r.trainees]).toEqual([1, 54])
  })

  it('Lào Cai College: a student quota of 15 for 2022-2025 (Resolution 25, 26/05/2022)', () => {
    const r = report<AttainmentReport>(8)
    expect([r.occupation, r.target, r.admitted]).toEqual(['student', 15, 3])
    expect(r.quotas).toEqual([
      {
        assignedBy: 'lc22-cao-dang-lao-cai-du',
        assignedByName: 'Đảng bộ Trường Cao đẳng Lào Cai',
        target: 15,
        rate: 0.2,
        ref: 'NQ 25-NQ/ĐU',
      },
    ])
  })

  it('every figure of the table reads back exactly from the reports', () => {
    for (const figure of laoCai2022.figures) expect(figure.observe(ctx), figure.label).toBe(figure.expected)
  })
})
