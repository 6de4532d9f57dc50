import { describe, expect, it } from 'vitest'
import { renderCsv } from './csv'
import { dienBienAttainment, dienBienBlankVillages } from './internal/samples'

/** A small RFC 4180 reader, enough to check what Excel will see. */
const parse = (csv: string): ReadonlyArray<ReadonlyArray<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ''
  let quoted = false
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' && csv[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += c
  }
  return rows
}

describe('renderCsv', () => {
  it('starts with a BOM and has one header row, every row as wide as it', () => {
    const csv = renderCsv(dienBienAttainment, 'vi')
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    const rows = parse(csv.slice(1))
    expect(rows[0]).toEqual([
      'Loại',
      'Mã tổ chức',
      'Tổ chức',
      'Chỉ tiêu',
      'Đã kết nạp',
      'Tỷ lệ đạt',
      'Văn bản',
    ])
    expect(rows.every((r) => r.length === 7)).toBe(true)
    // total, one quota, one row per child, the direct admissions, the sub-quotas handed down
    expect(rows.length).toBe(1 + 1 + 1 + dienBienAttainment.rows.length + 1 + 1)
  })
  it('writes Mường Nhé as 154 / 112 / 72,73 % in vi and quotes the decimal comma', () => {
    const rows = parse(renderCsv(dienBienAttainment, 'vi').slice(1))
    expect(rows.find((r) => r[1] === 'db-muong-nhe')).toEqual([
      'Tổ chức trực thuộc',
      'db-muong-nhe',
      'Huyện ủy Mường Nhé',
      '154',
      '112',
      '72,73 %',
      '',
    ])
    expect(renderCsv(dienBienAttainment, 'vi')).toContain('2.000,1.873,"93,65 %"')
    expect(renderCsv(dienBienAttainment, 'en')).toContain('"2,000","1,873",93.65%')
  })
  it('adds the lists of ids after the table, in the last column', () => {
    const rows = parse(renderCsv(dienBienBlankVillages, 'en').slice(1))
    const cleared = rows.find((r) => r[0] === 'No longer blank')
    expect(cleared?.[cleared.length - 1]?.split(', ')).toEqual(dienBienBlankVillages.cleared)
  })
})
