/**
 * Pure date helpers on business dates written `YYYY-MM-DD` (Vietnamese calendar dates): calendar
 * months with end-of-month clamping, ages in whole months, working days, and the default holiday
 * calendar of Vietnam (ngày nghỉ lễ, Tết).
 */

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/**
 * The Vietnamese calendar date (YYYY-MM-DD, UTC+7) of an instant: "today" depends on the instant and
 * that zone, not on the machine's time zone.
 */
export const vietnamDateOf = (instant: Date): string =>
  new Date(instant.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10)

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))
const pad4 = (n: number): string => String(n).padStart(4, '0')

/** Formats a year, month (1-12) and day as `YYYY-MM-DD`. */
export const formatDate = (year: number, month: number, day: number): string =>
  `${pad4(year)}-${pad2(month)}-${pad2(day)}`

const partsOf = (date: string): readonly [number, number, number] => [
  Number(date.slice(0, 4)),
  Number(date.slice(5, 7)),
  Number(date.slice(8, 10)),
]

/** Number of days in a month (1-12) of a year, leap years included. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31

/** Adds calendar months; the day is clamped to the end of a shorter month (2016-02-29 + 12 = 2017-02-28). */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = partsOf(date)
  const total = y * 12 + (m - 1) + months
  const year = Math.floor(total / 12)
  const month = total - year * 12 + 1
  return formatDate(year, month, Math.min(d, daysInMonth(year, month)))
}

const DAY_MS = 86_400_000

/** Days since 1970-01-01 of a date. */
const dayNumber = (date: string): number => {
  const [y, m, d] = partsOf(date)
  return Date.UTC(y, m - 1, d) / DAY_MS
}

const fromDayNumber = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10)

/**
 * Epoch milliseconds at which a business date begins in Vietnam (00:00 UTC+7, 17:00 UTC the day
 * before), counted from the date's digits (writing the day before and parsing it back was about 2 % of
 * an import).
 */
export const dayStartInVietnamMs = (date: string): number => dayNumber(date) * DAY_MS - VIETNAM_OFFSET_MS

/** Adds (or, negative, subtracts) calendar days. */
export const addDays = (date: string, days: number): string => fromDayNumber(dayNumber(date) + days)

/** Day of the week of a day number, 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday, 4). */
const weekdayOf = (n: number): number => (((n + 4) % 7) + 7) % 7

/** Day of the week, 0 = Sunday ... 6 = Saturday. */
export const dayOfWeek = (date: string): number => weekdayOf(dayNumber(date))

/**
 * Age in whole months on `on`: the largest n such that `addMonths(birthDate, n) ≤ on`, so it agrees
 * with `addMonths` at the ends of months (born 2000-02-29: a full 18 years on 2018-02-28).
 */
export const ageInMonths = (birthDate: string, on: string): number => {
  const [by, bm] = partsOf(birthDate)
  const [oy, om] = partsOf(on)
  const months = (oy - by) * 12 + (om - bm)
  return addMonths(birthDate, months) > on ? months - 1 : months
}

/** Age in whole years on `on`. */
export const ageInYears = (birthDate: string, on: string): number =>
  Math.floor(ageInMonths(birthDate, on) / 12)

/** A set of public holidays, as `YYYY-MM-DD` dates. */
export type Holidays = ReadonlySet<string>

/** True when `date` is neither a Saturday, a Sunday nor a holiday. */
export const isWorkingDay = (date: string, holidays: Holidays): boolean =>
  !isWeekend(dayNumber(date)) && !holidays.has(date)

/** True when the day number `n` is a Saturday or a Sunday. */
const isWeekend = (n: number): boolean => {
  const dow = weekdayOf(n)
  return dow === 0 || dow === 6
}

/**
 * The date `n` working days after `date` (counting starts the next day; `n ≤ 0` gives `date`):
 * the last day of a deadline of n working days.
 */
export const addWorkingDays = (date: string, n: number, holidays: Holidays): string => {
  // Day numbers, not dates: a funnel counts a deadline for every person it may have passed for.
  const off = holidaySet(holidays)
  let day = dayNumber(date)
  let left = n
  while (left > 0) {
    day += 1
    if (!isWeekend(day) && !off.has(day)) left -= 1
  }
  return fromDayNumber(day)
}

/** Monday to Friday among the day numbers 0..n-1 (day 0, 1970-01-01, a Thursday). */
const weekdaysBefore = (n: number): number => {
  const weeks = Math.floor(n / 7)
  let count = weeks * 5
  // Days of the last partial week, from a Thursday: Thu, Fri, Sat, Sun, Mon, Tue.
  const rest = n - weeks * 7
  for (let i = 0; i < rest; i++) if (!isWeekend(i)) count++
  return count
}

/** The holidays that fall on a weekday, as sorted day numbers, computed once per set. */
const weekdayHolidays = new WeakMap<Holidays, ReadonlyArray<number>>()
const holidayDays = (holidays: Holidays): ReadonlyArray<number> => {
  let days = weekdayHolidays.get(holidays)
  if (days === undefined) {
    days = [...holidays]
      .map(dayNumber)
      .filter((n) => !isWeekend(n))
      .sort((a, b) => a - b)
    weekdayHolidays.set(holidays, days)
  }
  return days
}

/** The holidays that fall on a weekday, as a set of day numbers, computed once per set. */
const weekdayHolidaySets = new WeakMap<Holidays, ReadonlySet<number>>()
const holidaySet = (holidays: Holidays): ReadonlySet<number> => {
  let days = weekdayHolidaySets.get(holidays)
  if (days === undefined) {
    days = new Set(holidayDays(holidays))
    weekdayHolidaySets.set(holidays, days)
  }
  return days
}

/** How many of the sorted `days` are below `n`. */
const countBelow = (days: ReadonlyArray<number>, n: number): number => {
  let lo = 0
  let hi = days.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (days[mid]! < n) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The working days after `from` up to and including `to` (0 when `to` is not after `from`): how many
 * working days a step took, counted as `addWorkingDays` counts a deadline. Arithmetic on weeks and a
 * binary search in the holidays, so that a report can count it for every person.
 */
export const workingDaysBetween = (from: string, to: string, holidays: Holidays): number => {
  const a = dayNumber(from) + 1
  const b = dayNumber(to) + 1
  if (b <= a) return 0
  const days = holidayDays(holidays)
  return weekdaysBefore(b) - weekdaysBefore(a) - (countBelow(days, b) - countBelow(days, a))
}

/**
 * Lunar dates of the years 2010-2035 in the Vietnamese calendar (UTC+7): the first day of the lunar
 * year (Tết Nguyên đán) and the 10th day of the 3rd lunar month (Giỗ Tổ Hùng Vương). Computed with Hồ
 * Ngọc Đức's astronomical algorithm for the Vietnamese lunar calendar ("Âm lịch Việt Nam",
 * https://www.informatik.uni-leipzig.de/~duc/amlich/) at time zone +7, and checked against the
 * published Tết dates (2030 falls on 2 February in Vietnam, 3 February in China).
 * @internal
 */
export const LUNAR_TABLE: ReadonlyArray<{
  readonly year: number
  readonly tet: string
  readonly hungKings: string
}> = [
  ['2010-02-14', '2010-04-23'],
  ['2011-02-03', '2011-04-12'],
  ['2012-01-23', '2012-03-31'],
  ['2013-02-10', '2013-04-19'],
  ['2014-01-31', '2014-04-09'],
  ['2015-02-19', '2015-04-28'],
  ['2016-02-08', '2016-04-16'],
  ['2017-01-28', '2017-04-06'],
  ['2018-02-16', '2018-04-25'],
  ['2019-02-05', '2019-04-14'],
  ['2020-01-25', '2020-04-02'],
  ['2021-02-12', '2021-04-21'],
  ['2022-02-01', '2022-04-10'],
  ['2023-01-22', '2023-04-29'],
  ['2024-02-10', '2024-04-18'],
  ['2025-01-29', '2025-04-07'],
  ['2026-02-17', '2026-04-26'],
  ['2027-02-06', '2027-04-16'],
  ['2028-01-26', '2028-04-04'],
  ['2029-02-13', '2029-04-23'],
  ['2030-02-02', '2030-04-12'],
  ['2031-01-23', '2031-04-01'],
  ['2032-02-11', '2032-04-19'],
  ['2033-01-31', '2033-04-09'],
  ['2034-02-19', '2034-04-28'],
  ['2035-02-08', '2035-04-17'],
].map(([tet, hungKings], i) => ({ year: 2010 + i, tet: tet ?? '', hungKings: hungKings ?? '' }))

/**
 * The public holidays of Vietnam (Labour Code 2019, art. 112) for the years of `LUNAR_TABLE`: 1 January,
 * Tết (the last day of the lunar year and the first four of the new one), the Hùng Kings' day, 30 April,
 * 1 May and 2 September (with 1 or 3 September from 2021, here the 3rd). Substitute days for holidays
 * falling on a weekend and one-off bridge days are decided yearly by the government: add them to the
 * Policy's calendar.
 */
export const vietnameseHolidays = (): Holidays => {
  const days = new Set<string>()
  for (const { year, tet, hungKings } of LUNAR_TABLE) {
    days.add(`${year}-01-01`)
    for (let i = -1; i <= 3; i++) days.add(addDays(tet, i))
    days.add(hungKings)
    days.add(`${year}-04-30`)
    days.add(`${year}-05-01`)
    days.add(`${year}-09-02`)
    if (year >= 2021) days.add(`${year}-09-03`)
  }
  return days
}
