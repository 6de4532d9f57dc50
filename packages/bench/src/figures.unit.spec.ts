import { describe, expect, it } from 'vitest'
import {
  figuresTable,
  formatNumber,
  formatRatio,
  judge,
  ONE_GIB,
  ratioOf,
  renderTable,
  TARGETS,
  verdictOf,
  type Figure,
} from './figures'

describe('ratioOf', () => {
  it('divides a figure by its limit', () => {
    expect(ratioOf(50, 200)).toBe(0.25)
  })
  it('is null when either is missing or the limit is zero', () => {
    expect(ratioOf(null, 1)).toBeNull()
    expect(ratioOf(1, null)).toBeNull()
    expect(ratioOf(1, 0)).toBeNull()
  })
})

describe('verdictOf', () => {
  it('meets an at-least target at the threshold and misses below it', () => {
    expect(verdictOf(0.5, TARGETS.importRate)).toBe('met')
    expect(verdictOf(0.49, TARGETS.importRate)).toBe('missed')
  })
  it('meets an at-most target at the threshold and misses above it', () => {
    expect(verdictOf(3, TARGETS.freshReport)).toBe('met')
    expect(verdictOf(3.01, TARGETS.freshReport)).toBe('missed')
  })
  it('is unknown without a ratio', () => {
    expect(verdictOf(null, TARGETS.peakRss)).toBe('unknown')
  })
})

describe('judge', () => {
  const rss: Figure = {
    subject: 'sqlite',
    key: 'import-rss',
    label: 'bulk import: peak RSS',
    value: 1536,
    unit: 'MiB',
    limit: ONE_GIB,
    target: TARGETS.peakRss,
  }
  it('compares a figure with its limit and target', () => {
    expect(judge(rss)).toMatchObject({ ratio: 1.5, verdict: 'missed' })
  })
  it('gives no verdict to a figure without a target', () => {
    const { target: _target, ...untargeted } = rss
    expect(judge(untargeted)).toMatchObject({ ratio: 1.5, verdict: null })
  })
  it('gives an unknown verdict to a cut phase', () => {
    expect(judge({ ...rss, value: null, note: 'cut' })).toMatchObject({ ratio: null, verdict: 'unknown' })
  })
})

describe('formatting', () => {
  it('groups thousands and keeps few decimals', () => {
    expect(formatNumber(123456.7, 'events/s')).toBe('123,457 events/s')
    expect(formatNumber(12.345)).toBe('12.3')
    expect(formatNumber(1.2345)).toBe('1.23')
    expect(formatNumber(null)).toBe('-')
  })
  it('writes ratios with a times sign', () => {
    expect(formatRatio(0.4567)).toBe('0.46×')
    expect(formatRatio(12.34)).toBe('12.3×')
    expect(formatRatio(null)).toBe('-')
  })
  it('aligns columns, numbers to the right', () => {
    expect(
      renderTable(
        ['a', 'n'],
        [
          ['x', '1'],
          ['yy', '100'],
        ],
        new Set([1]),
      ),
    ).toBe(['a     n', '--  ---', 'x     1', 'yy  100'].join('\n'))
  })
  it('prints a cut phase with its reason in the note column', () => {
    const table = figuresTable([
      judge({
        subject: 'memory',
        key: 'import',
        label: 'import',
        value: null,
        unit: 'events/s',
        note: 'cut: too big',
      }),
    ])
    expect(table.split('\n')[2]).toMatch(/^memory\s+import\s+-\s+cut: too big$/)
  })
})
