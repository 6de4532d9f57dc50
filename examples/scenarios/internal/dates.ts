/**
 * Calendar arithmetic on business dates (YYYY-MM-DD), by day numbers: no clock is ever read.
 * @internal
 */

const DAY_MS = 86_400_000

/** Days since 1970-01-01 of a date. */
export const dayOf = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS

/** The date of a day number. */
export const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

/** `date` plus `days` (negative to go back). */
export const addDays = (date: string, days: number): string => dateOf(dayOf(date) + days)

/** `date` plus whole `months`, the day clamped to the target month's length (31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (date: string, months: number): string => {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7)) - 1 + months
  const year = y + Math.floor(m / 12)
  const month = ((m % 12) + 12) % 12
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const day = Math.min(Number(date.slice(8, 10)), last)
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Whole days from `a` to `b`. */
export const daysBetween = (a: string, b: string): number => dayOf(b) - dayOf(a)
