import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isCalendarDateAt } from './calendarDate'

/** The reference: the pattern, and a date that `Date` writes back the same. */
const reference = (s: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return false
  const [y, m, d] = [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))]
  const date = new Date(Date.UTC(2000, m - 1, d))
  date.setUTCFullYear(y)
  return (
    m >= 1 &&
    m <= 12 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === m - 1 &&
    date.getUTCDate() === d
  )
}

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`))

describe('isCalendarDateAt', () => {
  it('says what the pattern and the calendar say, for dates near and far from real ones', () => {
    const nearDate = fc
      .tuple(digits(4), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
    fc.assert(
      fc.property(
        fc.oneof(nearDate, fc.string({ maxLength: 12 })),
        fc.string({ maxLength: 3 }),
        (date, tail) => {
          expect(isCalendarDateAt(date + tail)).toBe(reference(date + tail))
          expect(isCalendarDateAt(`xy${date}`, 2)).toBe(reference(date))
        },
      ),
      { numRuns: 5000 },
    )
  })

  it('knows leap years', () => {
    expect(['2024-02-29', '2000-02-29', '1900-02-28'].map((s) => isCalendarDateAt(s))).toEqual([
      true,
      true,
      true,
    ])
    expect(
      ['2023-02-29', '1900-02-29', '2021-04-31', '2021-13-01', '2021-00-10'].map((s) => isCalendarDateAt(s)),
    ).toEqual([false, false, false, false, false])
  })
})
