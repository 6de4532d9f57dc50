import type { Report } from '@ketnap/core'
import ExcelJS from 'exceljs'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { SAMPLES, dakNhoongAttainment, dienBienAttainment, dienBienBlankVillages } from './internal/samples'
import { renderXlsx } from './xlsx'

const load = async (reports: ReadonlyArray<Report>, lang: 'vi' | 'en'): Promise<ExcelJS.Workbook> => {
  const result = await renderXlsx(reports, lang)()
  if (E.isLeft(result)) throw new Error(result.left.message)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(Buffer.from(result.right) as unknown as ExcelJS.Buffer)
  return wb
}

/** Every number cell of a sheet, row by row (rows without numbers left out). */
const numbers = (ws: ExcelJS.Worksheet): ReadonlyArray<ReadonlyArray<number>> => {
  const rows: Array<ReadonlyArray<number>> = []
  ws.eachRow((row) => {
    const ns: Array<number> = []
    row.eachCell((cell) => {
      if (typeof cell.value === 'number') ns.push(cell.value)
    })
    if (ns.length > 0) rows.push(ns)
  })
  return rows
}

/** What the sheet must hold, read from the projection's result rather than from the layout. */
const expected = (r: Report): ReadonlyArray<ReadonlyArray<number>> => {
  const defined = (xs: ReadonlyArray<number | null>): ReadonlyArray<number> =>
    xs.filter((x): x is number => x !== null)
  switch (r.report) {
    case 'attainment':
      return [
        defined([r.target, r.admitted, r.rate]),
        ...r.quotas.map((q) => [q.target, r.admitted, q.rate]),
        ...r.rows.map((row) => defined([row.target, row.admitted, row.rate])),
        [r.direct],
        [r.subQuotaTotal],
      ]
    case 'blank-villages': {
      const b = r.before
      const keys = ['villages', 'withOrganization', 'withoutOrganization', 'withoutMembers'] as const
      const onDate = (
        c: typeof r | NonNullable<typeof b>,
        k: (typeof keys)[number],
      ): ReadonlyArray<number> => (k === 'villages' ? [c[k]] : defined([c[k], c.shares[k]]))
      return b === undefined
        ? keys.map((k) => onDate(r, k))
        : [
            ...keys.map((k) => [...onDate(b, k), ...onDate(r, k)]),
            [r.cleared?.length ?? 0],
            [r.newlyBlank?.length ?? 0],
          ]
    }
    case 'roll': {
      const a = r.admittedInPeriod
      if (a === undefined)
        return [r.members, r.official, r.probationary, r.female, r.ethnicMinority, r.under30]
          .map((n) => [n])
          .concat(Object.values(r.byOccupation).map((n) => [n]))
          .concat(Object.values(r.byReligion).map((n) => [n]))
      // With a period, the members admitted in it beside each breakdown (not beside official, probationary).
      const religions = [...new Set([...Object.keys(r.byReligion), ...Object.keys(a.byReligion)])]
      return [
        [r.members, a.admitted],
        [r.official],
        [r.probationary],
        [r.female, a.female],
        [r.ethnicMinority, a.ethnicMinority],
        [r.under30, a.under30],
        ...Object.keys(r.byOccupation).map((k) => [r.byOccupation[k] ?? 0, a.byOccupation[k] ?? 0]),
        ...religions.map((k) => [r.byReligion[k] ?? 0, a.byReligion[k] ?? 0]),
      ]
    }
    case 'funnel':
      return [
        r.nominated,
        r.trained,
        r.verified,
        r.cellApproved,
        r.decided,
        r.admitted,
        r.confirmed,
        r.closed,
        r.overdue.length,
        r.overdueByKind.decision.length,
        r.overdueByKind.ceremony.length,
        r.overdueByKind.certificate.length,
      ]
        .map((n) => [n])
        .concat(
          r.conversion.flatMap((c) =>
            [c.rate, c.medianWorkingDays].flatMap((n) => (n === null ? [] : [[n]])),
          ),
        )
    case 'training':
      return [[r.classes], [r.trainees]]
    case 'village-heads':
      return defined([r.villagesWithHead, r.headsWhoAreMembers, r.share, r.target]).map((n) => [n])
    case 'organizations':
      return [
        [r.grassroots, r.cells, r.members],
        ...(['committee', 'cell'] as const).map((f) => [
          r.byForm[f],
          ...(['cells', 'members'] as const).map((k) =>
            r.rows.filter((x) => x.form === f).reduce((a, x) => a + x[k], 0),
          ),
        ]),
        ...Object.keys(r.byUnitKind).map((kind) => [
          r.byUnitKind[kind] ?? 0,
          ...(['cells', 'members'] as const).map((k) =>
            r.rows.filter((x) => (x.unitKind ?? 'none') === kind).reduce((a, x) => a + x[k], 0),
          ),
        ]),
        ...r.rows.map((x) => [x.cells, x.members]),
      ]
    case 'ratings':
      return [
        [r.rated],
        ...Object.keys(r.byRating).map((x) => defined([r.byRating[x] ?? 0, r.shares[x] ?? null])),
        ...r.rows.flatMap((x) => (x.rate === null ? [] : [[x.rate]])),
      ]
    case 'coverage':
      return [
        [r.units],
        defined([r.withOrganization, r.shares.withOrganization]),
        defined([r.withoutOrganization, r.shares.withoutOrganization]),
      ]
  }
}

const sortRows = (rows: ReadonlyArray<ReadonlyArray<number>>): ReadonlyArray<string> =>
  rows.map((r) => r.join('|')).sort()

describe('renderXlsx', () => {
  it('writes a sheet per report, in order, each with a frozen header row', async () => {
    const reports = SAMPLES.map(([, r]) => r)
    const wb = await load(reports, 'vi')
    expect(wb.worksheets.map((ws) => ws.name)).toEqual([
      'Chỉ tiêu kết nạp',
      'Chỉ tiêu kết nạp (2)',
      'Chỉ tiêu kết nạp (3)',
      'Chỉ tiêu kết nạp (4)',
      'Chỉ tiêu kết nạp (5)',
      'Thôn trắng',
      'Thôn trắng (2)',
      'Đảng viên',
      'Đảng viên (2)',
      'Tiến độ',
      'Bồi dưỡng',
      'Trưởng thôn',
      'Tổ chức cơ sở',
      'TCCSĐ',
      'TCCSĐ (2)',
      'Xếp loại',
    ])
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
      expect(ws.columns.every((c) => (c.width ?? 0) >= 10)).toBe(true)
    }
  })

  it.each(['vi', 'en'] as const)('every number cell equals the projection (%s)', async (lang) => {
    const reports = SAMPLES.map(([, r]) => r)
    const wb = await load(reports, lang)
    reports.forEach((report, i) => {
      const ws = wb.worksheets[i]
      expect(ws).toBeDefined()
      if (ws === undefined) return
      // roll's occupations are sorted by the catalog, so compare that sheet as a multiset of rows
      if (report.report === 'roll' || report.report === 'organizations')
        expect(sortRows(numbers(ws))).toEqual(sortRows(expected(report)))
      else expect(numbers(ws)).toEqual(expected(report))
    })
  })

  it('stores the Điện Biên figures as numbers with count and percent formats', async () => {
    const wb = await load([dienBienAttainment], 'vi')
    const ws = wb.worksheets[0]!
    expect(ws.getRow(1).getCell(4).value).toBe('Chỉ tiêu')
    const total = ws.getRow(2)
    expect(total.getCell(4).value).toBe(2000)
    expect(total.getCell(4).numFmt).toBe('#,##0')
    expect(total.getCell(5).value).toBe(1873)
    expect(total.getCell(6).value).toBe(0.9365)
    expect(total.getCell(6).numFmt).toContain('0.00%')
    let muongNhe: ExcelJS.Row | undefined
    ws.eachRow((row) => {
      if (row.getCell(2).value === 'db-muong-nhe') muongNhe = row
    })
    expect(muongNhe?.getCell(4).value).toBe(154)
    expect(muongNhe?.getCell(5).value).toBe(112)
    expect(muongNhe?.getCell(6).value).toBeCloseTo(112 / 154, 12)
  })

  it('says vượt in the number format of a rate above 100 %', async () => {
    const wb = await load([dakNhoongAttainment], 'vi')
    const cell = wb.worksheets[0]!.getRow(2).getCell(6)
    expect(cell.value).toBe(19 / 13)
    expect(cell.numFmt).toBe('[>1]0.00%" (vượt)";0.00%')
  })

  it('puts the lists of ids after the table', async () => {
    const wb = await load([dienBienBlankVillages], 'en')
    const values: Array<unknown> = []
    wb.worksheets[0]!.eachRow((row) => values.push(row.getCell(1).value))
    expect(values).toContain('No longer blank')
    expect(values).toContain('Villages without party members (“blank” villages)')
  })
})
