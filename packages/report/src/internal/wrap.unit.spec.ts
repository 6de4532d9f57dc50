import { describe, expect, it } from 'vitest'
import { displayWidth } from './width'
import { brokenWords, narrowestWrap, wrap } from './wrap'

describe('wrap', () => {
  it('keeps text that fits on one line, and breaks longer text at spaces', () => {
    expect(wrap('Đảng bộ xã Đăk Blà', 20)).toEqual(['Đảng bộ xã Đăk Blà'])
    expect(wrap('Chi bộ Văn phòng Đoàn đại biểu Quốc hội', 16)).toEqual([
      'Chi bộ Văn phòng',
      'Đoàn đại biểu',
      'Quốc hội',
    ])
  })
  it('breaks a word wider than the line after its hyphens, so that its lines joined give it whole', () => {
    const lines = wrap('hp18-co-quan-chinh-quyen-quan-duong-kinh-du', 18)
    expect(lines).toEqual(['hp18-co-quan-', 'chinh-quyen-quan-', 'duong-kinh-du'])
    expect(brokenWords('hp18-co-quan-chinh-quyen-quan-duong-kinh-du', lines)).toBe(2)
    expect(brokenWords('Chi bộ Văn phòng Đoàn', wrap('Chi bộ Văn phòng Đoàn', 10))).toBe(0)
  })
  it('cuts a piece wider than the line, and no line is wider than asked', () => {
    const lines = wrap('abcdefghij klmnopqrstuvwxyz', 6)
    expect(lines.join('')).toBe('abcdefghijklmnopqrstuvwxyz')
    expect(Math.max(...lines.map((l) => displayWidth(l)))).toBeLessThanOrEqual(6)
  })
  it('measures Vietnamese by display width, decomposed or not', () => {
    const decomposed = 'Huyện Mường Nhé'.normalize('NFD')
    expect(wrap(decomposed, 15)).toEqual([decomposed])
    expect(wrap(decomposed, 10)).toEqual(['Huyện', 'Mường Nhé'])
    expect(narrowestWrap('NQ 04-NQ/TU')).toBe(5)
  })
})
