import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { isInstant, isLocalDate, LocalDate, parsePeriod, Period } from './primitives'

describe('LocalDate', () => {
  it('accepts real calendar dates and rejects impossible ones', () => {
    expect(isLocalDate('2016-11-17')).toBe(true)
    expect(isLocalDate('2024-02-29')).toBe(true)
    expect(isLocalDate('2023-02-29')).toBe(false)
    expect(isLocalDate('2021-02-30')).toBe(false)
    expect(isLocalDate('2021-13-01')).toBe(false)
    expect(isLocalDate('2021-1-01')).toBe(false)
    expect(LocalDate.is('2021-04-31')).toBe(false)
  })

  test.prop([fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })])(
    'every day of the calendar is a LocalDate',
    (d) => {
      expect(isLocalDate(d.toISOString().slice(0, 10))).toBe(true)
    },
  )

  /** The check as it was written first: a regular expression, then the month's length from `Date`. */
  const byPattern = (s: string): boolean => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
    if (m === null) return false
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate()
  }
  const nearDates = fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.constantFrom('', ' ', '\n', 'x', '-'),
    )
    .map(
      ([y, m, d, tail]) =>
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${tail}`,
    )
  test.prop([fc.oneof(nearDates, fc.string({ maxLength: 12 }))])(
    'says what the regular expression and Date said of any text',
    (s) => {
      expect(isLocalDate(s)).toBe(byPattern(s))
    },
  )
})

describe('Instant', () => {
  it('needs a zone', () => {
    expect(isInstant('2016-06-05T08:00:00Z')).toBe(true)
    expect(isInstant('2016-06-05T08:00:00.123+07:00')).toBe(true)
    expect(isInstant('2016-06-05T08:00:00')).toBe(false)
    expect(isInstant('2016-02-30T08:00:00Z')).toBe(false)
  })
})

describe('Period', () => {
  it('parses years, terms and explicit intervals', () => {
    expect(parsePeriod('2016')).toEqual({ from: '2016-01-01', to: '2016-12-31' })
    expect(parsePeriod('2020-2025')).toEqual({ from: '2020-01-01', to: '2025-12-31' })
    expect(parsePeriod('2021-01-01/2021-07-16')).toEqual({ from: '2021-01-01', to: '2021-07-16' })
    expect(parsePeriod('2025-2020')).toBeNull()
    expect(parsePeriod('2021-07-16/2021-01-01')).toBeNull()
    expect(parsePeriod('2021-02-30/2021-03-01')).toBeNull()
    expect(Period.is('21')).toBe(false)
  })
})
