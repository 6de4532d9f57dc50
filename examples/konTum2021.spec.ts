import { beforeAll, describe, expect, it } from 'vitest'
import type { AttainmentReport, RollReport, VillageHeadsReport } from '@ketnap/core'
import { konTum2021 } from './scenarios'
import { figureContext } from './scenarios/testing'

describe('Kon Tum (seed 003), on 30/06/2021', () => {
  let ctx: ReturnType<typeof figureContext>
  beforeAll(() => {
    ctx = figureContext(konTum2021)
  })
  const report = <R>(i: number): R => ctx.reports[i] as R

  it('term quota 2020-2025 of the province: 5,000', () => {
    const r = report<AttainmentReport>(0)
    expect(r.target).toBe(5000)
    expect(r.quotas).toEqual([expect.objectContaining({ assignedBy: 'kt21-tu', target: 5000 })])
  })

  it('500 admitted in 2021 to 30/06 against the 2021 plan of 890: 56.18 %', () => {
    const r = report<AttainmentReport>(1)
    expect([r.target, r.admitted]).toEqual([890, 500])
    expect(Math.round((r.rate ?? 0) * 10000)).toBe(5618)
  })

  it('29,590 members on the roll (the article: about 29,590)', () => {
    const r = report<RollReport>(2)
    expect(r.members).toBe(29590)
    expect(r.probationary).toBe(500)
  })

  it('Đăk Nhoong: 19 admitted against a quota of 13 from the Đăk Glei district committee, 146.15 %', () => {
    const r = report<AttainmentReport>(3)
    expect([r.target, r.admitted]).toEqual([13, 19])
    expect(r.quotas).toEqual([expect.objectContaining({ assignedBy: 'kt21-dak-glei', target: 13 })])
    expect(Math.round((r.rate ?? 0) * 10000)).toBe(14615)
  })

  it("Đăk Blà: two term quotas, 20 of its own resolution and 25 of the city's plan; the city's is the target", () => {
    const r = report<AttainmentReport>(4)
    expect(r.target).toBe(25)
    const byAssigner = Object.fromEntries(r.quotas.map((q) => [q.assignedBy, q.target]))
    expect(byAssigner).toEqual({ 'kt21-tp-kon-tum-dak-bla-du': 20, 'kt21-tp-kon-tum': 25 })
  })

  it('village heads who are members: 663 of 850, 78 %; the target is 90 %', () => {
    const r = report<VillageHeadsReport>(5)
    expect([r.villagesWithHead, r.headsWhoAreMembers, r.share]).toEqual([850, 663, 663 / 850])
    expect([r.target, r.met, r.targetSetBy]).toEqual([0.9, false, 'kt21-tu'])
    expect(r.targetRef).toBe('NQ Đại hội Đảng bộ tỉnh lần thứ XVI')
  })

  it('every figure of the table reads back exactly from the reports', () => {
    for (const figure of konTum2021.figures) expect(figure.observe(ctx), figure.label).toBe(figure.expected)
  })
})
