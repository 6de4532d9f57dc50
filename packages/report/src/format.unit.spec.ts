import { describe, expect, it } from 'vitest'
import { formatAttainment, formatDate, formatNumber, formatPercent, formatPeriod } from './format'

describe('formatNumber', () => {
  it('groups thousands with a dot in vi and a comma in en', () => {
    expect(formatNumber(1873, 'vi')).toBe('1.873')
    expect(formatNumber(1873, 'en')).toBe('1,873')
    expect(formatNumber(29590, 'vi')).toBe('29.590')
    expect(formatNumber(1234567, 'en')).toBe('1,234,567')
  })
  it('leaves small numbers and zero alone', () => {
    expect(formatNumber(0, 'vi')).toBe('0')
    expect(formatNumber(999, 'en')).toBe('999')
    expect(formatNumber(-1200, 'vi')).toBe('-1.200')
  })
  it('keeps two decimals of a non-integer with the language decimal mark', () => {
    expect(formatNumber(1234.5, 'vi')).toBe('1.234,50')
    expect(formatNumber(1234.5, 'en')).toBe('1,234.50')
  })
})

describe('formatPercent', () => {
  it('writes the scenario rates exactly', () => {
    expect(formatPercent(1873 / 2000, 'vi')).toBe('93,65 %')
    expect(formatPercent(1873 / 2000, 'en')).toBe('93.65%')
    expect(formatPercent(112 / 154, 'vi')).toBe('72,73 %')
    expect(formatPercent(183 / 821, 'en')).toBe('22.29%')
    expect(formatPercent(92 / 270, 'vi')).toBe('34,07 %')
    expect(formatPercent(8 / 7, 'en')).toBe('114.29%')
    expect(formatPercent(1, 'vi')).toBe('100,00 %')
    expect(formatPercent(0, 'en')).toBe('0.00%')
  })
  it('groups thousands of large percentages', () => {
    expect(formatPercent(12.5, 'vi')).toBe('1.250,00 %')
    expect(formatPercent(12.5, 'en')).toBe('1,250.00%')
  })
  it('writes a missing rate as a dash', () => {
    expect(formatPercent(null, 'vi')).toBe('—')
    expect(formatPercent(null, 'en')).toBe('—')
  })
})

describe('formatAttainment', () => {
  it('says vượt / exceeded above 100 % only', () => {
    expect(formatAttainment(19 / 13, 'vi')).toBe('146,15 % (vượt)')
    expect(formatAttainment(19 / 13, 'en')).toBe('146.15% (exceeded)')
    expect(formatAttainment(1, 'vi')).toBe('100,00 %')
    expect(formatAttainment(0.9365, 'vi')).toBe('93,65 %')
    expect(formatAttainment(null, 'en')).toBe('—')
  })
})

describe('formatDate', () => {
  it('writes dd/mm/yyyy in vi and ISO in en', () => {
    expect(formatDate('2016-11-17', 'vi')).toBe('17/11/2016')
    expect(formatDate('2016-11-17', 'en')).toBe('2016-11-17')
  })
  it('keeps the time of day of an instant', () => {
    expect(formatDate('2016-11-17T08:30:00Z', 'vi')).toBe('17/11/2016 08:30:00 Z')
    expect(formatDate('2016-11-17T08:30:00.123+07:00', 'en')).toBe('2016-11-17 08:30:00 +07:00')
  })
  it('returns anything else unchanged', () => {
    expect(formatDate('not a date', 'vi')).toBe('not a date')
  })
})

describe('formatPeriod', () => {
  it('writes years and terms as they are, and date ranges with formatted dates', () => {
    expect(formatPeriod('2016', 'vi')).toBe('2016')
    expect(formatPeriod('2020-2025', 'vi')).toBe('2020-2025')
    expect(formatPeriod('2021-01-01/2021-07-16', 'vi')).toBe('01/01/2021 – 16/07/2021')
    expect(formatPeriod('2021-01-01/2021-07-16', 'en')).toBe('2021-01-01 – 2021-07-16')
  })
})
