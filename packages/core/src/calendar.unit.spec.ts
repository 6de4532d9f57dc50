import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import {
  addDays,
  addMonths,
  addWorkingDays,
  ageInMonths,
  ageInYears,
  dayOfWeek,
  dayStartInVietnamMs,
  isWorkingDay,
  vietnameseHolidays,
  workingDaysBetween,
} from './calendar'

const date = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

describe('addMonths', () => {
  it('clamps to the end of a shorter month', () => {
    expect(addMonths('2016-02-29', 12)).toBe('2017-02-28')
    expect(addMonths('2021-01-31', 1)).toBe('2021-02-28')
    expect(addMonths('2020-01-31', 1)).toBe('2020-02-29')
    expect(addMonths('2021-12-15', 1)).toBe('2022-01-15')
    expect(addMonths('2021-03-15', -3)).toBe('2020-12-15')
  })
})

describe('ageInMonths', () => {
  it('counts whole months', () => {
    expect(ageInMonths('2000-06-15', '2018-06-14')).toBe(215)
    expect(ageInMonths('2000-06-15', '2018-06-15')).toBe(216)
    expect(ageInMonths('2000-02-29', '2018-02-28')).toBe(216)
    expect(ageInMonths('2000-01-31', '2000-02-29')).toBe(1)
    expect(ageInYears('1960-05-01', '2020-04-30')).toBe(59)
    expect(ageInYears('1960-05-01', '2020-05-01')).toBe(60)
  })
  test.prop([date, fc.integer({ min: 0, max: 1200 })])('agrees with addMonths', (birth, n) => {
    expect(ageInMonths(birth, addMonths(birth, n))).toBe(n)
    if (addMonths(birth, n) > birth)
      expect(ageInMonths(birth, addDays(addMonths(birth, n), -1))).toBeLessThan(n)
  })
})

describe('working days', () => {
  const holidays = vietnameseHolidays()
  it('knows weekends and holidays', () => {
    expect(dayOfWeek('2024-01-01')).toBe(1)
    expect(isWorkingDay('2024-01-06', holidays)).toBe(false) // Saturday
    expect(isWorkingDay('2024-01-01', holidays)).toBe(false) // New year
    expect(isWorkingDay('2024-01-02', holidays)).toBe(true)
    expect(isWorkingDay('2024-02-12', holidays)).toBe(false) // Tết, Monday
    expect(isWorkingDay('2024-04-18', holidays)).toBe(false) // Hùng Kings
    expect(isWorkingDay('2021-09-03', holidays)).toBe(false)
  })
  it('adds working days, skipping Tết', () => {
    expect(addWorkingDays('2024-01-05', 1, new Set())).toBe('2024-01-08')
    expect(addWorkingDays('2024-01-05', 0, holidays)).toBe('2024-01-05')
    // Tết 2024 (lunar new year on Sat 10 February): Fri 9 to Tue 13 February are holidays.
    expect(addWorkingDays('2024-02-08', 1, holidays)).toBe('2024-02-14')
    expect(addWorkingDays('2024-02-08', 1, new Set())).toBe('2024-02-09')
  })
  test.prop([date, fc.integer({ min: 1, max: 100 })])('lands on a working day after the date', (d, n) => {
    const r = addWorkingDays(d, n, holidays)
    expect(r > d).toBe(true)
    expect(isWorkingDay(r, holidays)).toBe(true)
  })
  it('counts the working days a step took, Tết skipped', () => {
    expect(workingDaysBetween('2024-02-08', '2024-02-14', holidays)).toBe(1)
    expect(workingDaysBetween('2024-01-05', '2024-01-08', new Set())).toBe(1)
    expect(workingDaysBetween('2024-01-08', '2024-01-08', holidays)).toBe(0)
    expect(workingDaysBetween('2024-01-09', '2024-01-08', holidays)).toBe(0)
  })
  test.prop([date, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 900 })])(
    'is the inverse of addWorkingDays, and the naive count day by day',
    (d, n, span) => {
      expect(workingDaysBetween(d, addWorkingDays(d, n, holidays), holidays)).toBe(n)
      const to = addDays(d, span)
      let naive = 0
      for (let i = 1; i <= span; i++) if (isWorkingDay(addDays(d, i), holidays)) naive++
      expect(workingDaysBetween(d, to, holidays)).toBe(naive)
    },
  )
})

describe('dayStartInVietnamMs', () => {
  it('is midnight in Vietnam, 17:00 UTC the day before', () => {
    expect(dayStartInVietnamMs('2024-01-01')).toBe(Date.parse('2023-12-31T17:00:00Z'))
  })
  test.prop([date])('is the instant the ISO text of midnight at UTC+7 names', (d) => {
    expect(dayStartInVietnamMs(d)).toBe(Date.parse(`${d}T00:00:00+07:00`))
  })
})
