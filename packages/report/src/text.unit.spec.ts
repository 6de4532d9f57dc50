import { describe, expect, it } from 'vitest'
import { formatAttainment, formatNumber } from './format'
import { SAMPLES, bacLieuAttainment, dakNhoongAttainment, dienBienAttainment } from './internal/samples'
import { displayWidth } from './internal/width'
import { LANGS } from './messages'
import { renderText, TEXT_WIDTH } from './text'

describe('renderText', () => {
  it('prints the province total and Mường Nhé in vi numbers', () => {
    const text = renderText(dienBienAttainment, 'vi')
    expect(text).toMatch(/^Tổng +dien-bien +Đảng bộ tỉnh Điện Biên +2\.000 +1\.873 +93,65 %$/m)
    expect(text).toMatch(/^Tổ chức trực thuộc +db-muong-nhe +Huyện ủy Mường Nhé +154 +112 +72,73 %$/m)
    expect(text).toContain('Số liệu đến ngày:     17/11/2016')
  })
  it('says vượt / exceeded above 100 %', () => {
    expect(renderText(dakNhoongAttainment, 'vi')).toContain('146,15 % (vượt)')
    expect(renderText(dakNhoongAttainment, 'en')).toContain('146.15% (exceeded)')
  })
  it('right-aligns the numbers: every rate ends in the same column', () => {
    const ends = renderText(dienBienAttainment, 'en')
      .split('\n')
      .filter((l) => l.includes('%') && !l.includes('exceeded'))
      .map((l) => displayWidth(l.slice(0, l.indexOf('%') + 1)))
    expect(ends.length).toBe(2 + dienBienAttainment.rows.length - 1)
    expect(new Set(ends).size).toBe(1)
  })

  describe.each(LANGS)('fits a %s terminal of TEXT_WIDTH columns', (lang) => {
    it.each(SAMPLES)('%s: no line is wider', (_, report) => {
      const wide = renderText(report, lang)
        .split('\n')
        .filter((line) => displayWidth(line) > TEXT_WIDTH)
      expect(wide).toEqual([])
    })

    it('wraps long names, ids and references within their column, losing no word, and keeps a row’s figures on one line', () => {
      const text = renderText(bacLieuAttainment, lang)
      const lines = text.split('\n')
      expect(lines.length).toBeGreaterThan(10 + 4 + bacLieuAttainment.rows.length)
      const words = text.split(/\s+/)
      for (const row of bacLieuAttainment.rows) {
        for (const word of row.orgName.split(' ')) expect(words).toContain(word)
        const figures = [
          ...(row.target === null ? [] : [formatNumber(row.target, lang)]),
          formatNumber(row.admitted, lang),
          formatAttainment(row.rate, lang),
        ]
        expect(
          lines.some((l) => figures.every((f) => l.includes(f))),
          row.orgId,
        ).toBe(true)
      }
      for (const quota of bacLieuAttainment.quotas) {
        for (const word of `${quota.assignedByName} ${quota.ref ?? ''}`.split(' ')) {
          if (word !== '') expect(words).toContain(word)
        }
      }
    })

    it('breaks an id only after a hyphen: the id column of each row, read down, gives the id whole', () => {
      const lines = renderText(bacLieuAttainment, lang).split('\n')
      const rule = lines.findIndex((l) => /^-+ {2}-+/.test(l))
      const [kind, id] = [...(lines[rule] ?? '').matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length])
      const cell = (line: string, [from, to]: ReadonlyArray<number>): string =>
        [...line].slice(from, to).join('').trim()
      const pieces: Array<Array<string>> = []
      for (const line of lines.slice(rule + 1)) {
        if (line === '') break
        if (kind !== undefined && cell(line, kind) !== '') pieces.push([])
        const piece = id === undefined ? '' : cell(line, id)
        if (piece !== '') pieces[pieces.length - 1]?.push(piece)
      }
      for (const p of pieces) for (const head of p.slice(0, -1)) expect(head).toMatch(/-$/)
      expect(pieces.some((p) => p.length > 1)).toBe(true)
      expect(pieces.map((p) => p.join(''))).toEqual([
        bacLieuAttainment.orgId,
        ...bacLieuAttainment.quotas.map((q) => q.assignedBy),
        ...bacLieuAttainment.rows.map((r) => r.orgId),
        bacLieuAttainment.orgId,
        bacLieuAttainment.orgId,
      ])
    })
  })
})
