/**
 * Numbers, percentages and dates as a Vietnamese or English reader writes them.
 *
 * Written by hand rather than with `Intl.NumberFormat`: Node's ICU writes `93,65%` for vi-VN (no space
 * before the sign) and its output varies with the ICU build, while these strings are compared byte for
 * byte in golden files.
 */
import { messages, type Lang } from './messages'

const SEPARATORS: Readonly<Record<Lang, { readonly group: string; readonly decimal: string }>> = {
  vi: { group: '.', decimal: ',' },
  en: { group: ',', decimal: '.' },
}

const group = (digits: string, sep: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep)

/** Writes fixed-point digits (`"1873.50"`) with the language's separators. */
const withSeparators = (fixed: string, lang: Lang): string => {
  const negative = fixed.startsWith('-')
  const [int = '', frac] = (negative ? fixed.slice(1) : fixed).split('.')
  const { group: g, decimal } = SEPARATORS[lang]
  return `${negative ? '-' : ''}${group(int, g)}${frac === undefined ? '' : decimal + frac}`
}

/** Rounds to `places` decimals, half away from zero, without binary noise (0.9365 × 100 is 93.65000000000001). */
const toFixed = (n: number, places: number): string => {
  const scaled = Number((Math.abs(n) * 10 ** places).toPrecision(12))
  const rounded = Math.round(scaled) / 10 ** places
  return (n < 0 && rounded !== 0 ? '-' : '') + rounded.toFixed(places)
}

/** A count with grouped thousands: vi `1.873`, en `1,873`; non-integers keep two decimals. */
export const formatNumber = (n: number, lang: Lang): string =>
  withSeparators(Number.isInteger(n) ? n.toFixed(0) : toFixed(n, 2), lang)

/** A rate (0.9365) as a percentage with two decimals: vi `93,65 %`, en `93.65%`; null as `—`. */
export const formatPercent = (rate: number | null, lang: Lang): string =>
  rate === null ? '—' : withSeparators(toFixed(rate * 100, 2), lang) + (lang === 'vi' ? ' %' : '%')

/** An attainment rate: a percentage, followed by `(vượt)` / `(exceeded)` above 100 %. */
export const formatAttainment = (rate: number | null, lang: Lang): string =>
  rate !== null && rate > 1
    ? `${formatPercent(rate, lang)} (${messages[lang].exceeded})`
    : formatPercent(rate, lang)

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/

/**
 * A calendar date (`2016-11-17`) or an instant: vi `17/11/2016`, en `2016-11-17`; an instant keeps
 * its time of day and offset (`17/11/2016 08:30:00 Z`). Anything else is returned unchanged.
 */
export const formatDate = (iso: string, lang: Lang): string => {
  const m = DATE.exec(iso)
  if (m === null) return iso
  const [, y, mo, d, hh, mm, ss, zone] = m
  const date = lang === 'vi' ? `${d}/${mo}/${y}` : `${y}-${mo}-${d}`
  return hh === undefined ? date : `${date} ${hh}:${mm}:${ss ?? '00'}${zone === undefined ? '' : ` ${zone}`}`
}

/** A period: a year or a term as written (`2016`, `2020-2025`), a date range with formatted dates. */
export const formatPeriod = (period: string, lang: Lang): string => {
  const parts = period.split('/')
  return parts.length === 2
    ? `${formatDate(parts[0] ?? '', lang)} – ${formatDate(parts[1] ?? '', lang)}`
    : period
}
