/**
 * Calendar dates written YYYY-MM-DD, read character by character: every line of an import carries a
 * few (business dates, the date part of each instant), and a regular expression's match and its parts
 * were most of what checking them allocated.
 */

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/** The days of `month` (1–12) of `year`. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31

/** The number written by the `n` ASCII digits of `s` at `start`, or -1 when one is not a digit. */
export const digitsAt = (s: string, start: number, n: number): number => {
  let value = 0
  for (let i = start; i < start + n; i++) {
    const digit = s.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/**
 * Whether the ten characters of `s` at `start` are a real calendar date written YYYY-MM-DD
 * (`2021-02-30` is not), as `/^(\d{4})-(\d{2})-(\d{2})/` and the calendar would say.
 */
export const isCalendarDateAt = (s: string, start = 0): boolean => {
  // 45: '-'
  if (s.length < start + 10 || s.charCodeAt(start + 4) !== 45 || s.charCodeAt(start + 7) !== 45) return false
  const year = digitsAt(s, start, 4)
  const month = digitsAt(s, start + 5, 2)
  const day = digitsAt(s, start + 8, 2)
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}
