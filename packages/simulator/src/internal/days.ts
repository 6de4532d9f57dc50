/**
 * Business dates as day numbers (days since 1900-01-01), so that a person's dates fit in 16 bits
 * (up to 2079) and date arithmetic is integer arithmetic. Dates are formatted once per day number.
 * @internal
 */

const MS_PER_DAY = 86_400_000
const EPOCH_MS = Date.UTC(1900, 0, 1)

/** The day number of `YYYY-MM-DD`. @internal */
export const dayOf = (date: string): number =>
  Math.round(
    (Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) - EPOCH_MS) /
      MS_PER_DAY,
  )

/** The day number of 1 January of `year`. @internal */
export const yearStart = (year: number): number => dayOf(`${String(year).padStart(4, '0')}-01-01`)

const formatted: string[] = []

/** `YYYY-MM-DD` of a day number. @internal */
export const dateOf = (day: number): string => {
  const cached = formatted[day]
  if (cached !== undefined) return cached
  const text = new Date(EPOCH_MS + day * MS_PER_DAY).toISOString().slice(0, 10)
  formatted[day] = text
  return text
}

/** The year of a day number. @internal */
export const yearOf = (day: number): number => Number(dateOf(day).slice(0, 4))

/** The first working day (Monday to Friday) on or after `day`; 1900-01-01 was a Monday. @internal */
export const workday = (day: number): number => {
  const weekday = day % 7
  return weekday === 5 ? day + 2 : weekday === 6 ? day + 1 : day
}

/** True on Saturdays and Sundays. @internal */
export const isWeekend = (day: number): boolean => day % 7 >= 5

/** Epoch milliseconds at which `day` begins in UTC (its Vietnamese start is 7 hours earlier). @internal */
export const dayStartUtcMs = (day: number): number => EPOCH_MS + day * MS_PER_DAY
