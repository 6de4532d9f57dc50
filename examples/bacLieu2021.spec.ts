import { beforeAll, describe, expect, it } from 'vitest'
import type { AttainmentReport, TrainingReport } from '@ketnap/core'
import { bacLieu2021 } from './scenarios'
import { figureContext } from './scenarios/testing'

describe("Bạc Liêu, provincial agencies' bloc (seed 000), on 16/07/2021", () => {
  let ctx: ReturnType<typeof figureContext>
  beforeAll(() => {
    ctx = figureContext(bacLieu2021)
  })
  const report = <R>(i: number): R => ctx.reports[i] as R

  it('term quota 2020-2025 of 1,300 assigned to the bloc by the provincial standing committee', () => {
    const r = report<AttainmentReport>(1)
    expect(r.target).toBe(1300)
    expect(r.quotas).toEqual([expect.objectContaining({ assignedBy: 'bl21-tu', target: 1300 })])
  })

  it("92 admitted in 2021 to 16/07 against the 270 of the bloc's Resolution 02: 34.07 %", () => {
    const r = report<AttainmentReport>(0)
    expect([r.target, r.admitted]).toEqual([270, 92])
    expect(r.quotas).toEqual([
      {
        assignedBy: 'bl21-khoi-cq',
        assignedByName: 'Đảng bộ Khối các cơ quan tỉnh',
        target: 270,
        rate: 92 / 270,
        ref: 'NQ 02-NQ/ĐUK',
      },
    ])
    expect(Math.round((r.rate ?? 0) * 10000)).toBe(3407)
  })

  it('2021 sub-quotas of 391 in total handed to the grassroots organizations, independent of the 270', () => {
    const r = report<AttainmentReport>(0)
    expect(r.rows).toHaveLength(38)
    expect(r.rows.every((row) => row.target !== null && row.target > 0)).toBe(true)
    expect(r.subQuotaTotal).toBe(391)
    expect(r.rows.reduce((s, row) => s + (row.target ?? 0), 0)).toBe(r.subQuotaTotal)
    expect(r.direct + r.rows.reduce((s, row) => s + row.admitted, 0)).toBe(92)
  })

  it('4 political classes with 345 trainees in 2021', () => {
    const r = report<TrainingReport>(2)
    expect([r.classes, r.trainees]).toEqual([4, 345])
  })

  it('every figure of the table reads back exactly from the reports', () => {
    for (const figure of bacLieu2021.figures) expect(figure.observe(ctx), figure.label).toBe(figure.expected)
  })
})
