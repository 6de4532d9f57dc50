import { describe, expect, it } from 'vitest'
import { dakNhoongAttainment, dienBienAttainment } from './internal/samples'
import { renderText } from './text'
import { displayWidth } from './internal/width'

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
})
