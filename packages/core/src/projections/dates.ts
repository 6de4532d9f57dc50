/**
 * Calendar arithmetic the reports need.
 * @internal
 */

const parts = (d: string): [number, number, number] => [
  Number(d.slice(0, 4)),
  Number(d.slice(5, 7)),
  Number(d.slice(8, 10)),
]

const fmt = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`

/** `date` plus `n` calendar months, clamped to the month's last day (2016-02-29 + 12 = 2017-02-28). */
export const plusMonths = (date: string, n: number): string => {
  const [y, m, d] = parts(date)
  const idx = y * 12 + (m - 1) + n
  const ny = Math.floor(idx / 12)
  const nm = (idx % 12) + 1
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate()
  return fmt(ny, nm, Math.min(d, last))
}

/** Age in whole years on `on` of someone born on `birth`. */
export const wholeYears = (birth: string, on: string): number => {
  const [by, bm, bd] = parts(birth)
  const [y, m, d] = parts(on)
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

/** `date` plus `n` working days: weekends and the given holidays are skipped. */
export const plusWorkingDays = (date: string, n: number, holidays: ReadonlySet<string>): string => {
  const [y, m, d] = parts(date)
  const t = new Date(Date.UTC(y, m - 1, d))
  let left = n
  while (left > 0) {
    t.setUTCDate(t.getUTCDate() + 1)
    const dow = t.getUTCDay()
    const iso = t.toISOString().slice(0, 10)
    if (dow !== 0 && dow !== 6 && !holidays.has(iso)) left--
  }
  return t.toISOString().slice(0, 10)
}
