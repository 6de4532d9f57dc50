/**
 * Primitive codecs of the event catalog: calendar dates, instants, ids, counts, periods.
 * Each codec shares its name with its type.
 */
import * as t from 'io-ts'
import { isCalendarDateAt } from '@ketnap/kernel'

/**
 * A codec that accepts the values of `base` that satisfy `predicate`, named `name`. The decoded type
 * stays plain (`string`, `number`): event data is built by embedders and read from JSON, and
 * validation at the boundary is what guarantees it (see docs/decisions.md).
 * @internal
 */
export const refine = <A>(
  base: t.Type<A, A, unknown>,
  predicate: (a: A) => boolean,
  name: string,
): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => base.is(u) && predicate(u),
    (u, c) => {
      const r = base.validate(u, c)
      if (r._tag === 'Left') return r
      return predicate(r.right) ? t.success(r.right) : t.failure(u, c)
    },
    t.identity,
  )

/**
 * True when `s` is a real calendar date written YYYY-MM-DD (`2021-02-30` is not), read character by
 * character (the kernel's `isCalendarDateAt`, as the record clock reads the date of an instant).
 */
export const isLocalDate = (s: string): boolean => s.length === 10 && isCalendarDateAt(s)

/** A business date (ngày), YYYY-MM-DD, a real calendar date in the Vietnamese calendar (UTC+7). */
export const LocalDate = refine(t.string, (s) => isLocalDate(s), 'LocalDate')
/** A business date (ngày), YYYY-MM-DD. */
export type LocalDate = t.TypeOf<typeof LocalDate>

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

/** True when `s` is an ISO 8601 instant with a zone (`2016-06-05T08:00:00Z`, `...+07:00`). */
export const isInstant = (s: string): boolean =>
  INSTANT_RE.test(s) && isLocalDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s))

/** An ISO 8601 instant with an explicit zone. */
export const Instant = refine(t.string, (s) => isInstant(s), 'Instant')
/** An ISO 8601 instant with an explicit zone. */
export type Instant = t.TypeOf<typeof Instant>

/** A non-empty string (identifiers, names, references). */
export const NonEmptyString = refine(t.string, (s) => s.length > 0, 'NonEmptyString')
/** A non-empty string. */
export type NonEmptyString = t.TypeOf<typeof NonEmptyString>

/** An organization id (tổ chức đảng). */
export const OrgId = NonEmptyString
/** An organization id. */
export type OrgId = NonEmptyString
/** A person id. */
export const PersonId = NonEmptyString
/** A person id. */
export type PersonId = NonEmptyString
/** A unit id (commune, agency, enterprise...). */
export const UnitId = NonEmptyString
/** A unit id. */
export type UnitId = NonEmptyString
/** A village id (thôn, bản, làng, ấp, tổ dân phố). */
export const VillageId = NonEmptyString
/** A village id. */
export type VillageId = NonEmptyString

/** A count: an integer ≥ 0. */
export const Count = refine(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'Count')
/** A count: an integer ≥ 0. */
export type Count = t.TypeOf<typeof Count>

/** A positive integer (quota targets). */
export const PositiveCount = refine(t.number, (n) => Number.isSafeInteger(n) && n > 0, 'PositiveCount')
/** A positive integer. */
export type PositiveCount = t.TypeOf<typeof PositiveCount>

/** A fraction from 0 to 1 inclusive. */
export const Fraction = refine(t.number, (n) => Number.isFinite(n) && n >= 0 && n <= 1, 'Fraction')
/** A fraction from 0 to 1. */
export type Fraction = t.TypeOf<typeof Fraction>

/** A calendar year, 1000 to 9999. */
export const Year = refine(t.number, (n) => Number.isSafeInteger(n) && n >= 1000 && n <= 9999, 'Year')
/** A calendar year. */
export type Year = t.TypeOf<typeof Year>

/** A period as a closed interval of dates. */
export interface PeriodRange {
  readonly from: string
  readonly to: string
}

/**
 * Parses a period: "YYYY" (a year), "YYYY-YYYY" (a term, 1 January of the first year to 31 December of
 * the last), "YYYY-MM-DD/YYYY-MM-DD" (a closed interval). `null` when malformed or empty.
 */
export const parsePeriod = (s: string): PeriodRange | null => {
  let m = /^(\d{4})$/.exec(s)
  if (m !== null) return { from: `${m[1]}-01-01`, to: `${m[1]}-12-31` }
  m = /^(\d{4})-(\d{4})$/.exec(s)
  if (m !== null) {
    if (Number(m[2]) < Number(m[1])) return null
    return { from: `${m[1]}-01-01`, to: `${m[2]}-12-31` }
  }
  m = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(s)
  if (m !== null && m[1] !== undefined && m[2] !== undefined) {
    if (!isLocalDate(m[1]) || !isLocalDate(m[2]) || m[2] < m[1]) return null
    return { from: m[1], to: m[2] }
  }
  return null
}

/** A quota period (kỳ): "YYYY", "YYYY-YYYY" (a term, nhiệm kỳ) or "YYYY-MM-DD/YYYY-MM-DD". */
export const Period = refine(t.string, (s) => parsePeriod(s) !== null, 'Period')
/** A quota period. */
export type Period = t.TypeOf<typeof Period>

/** An enumeration codec from a list of literals, named after the type. @internal */
export const enumeration = <const L extends readonly [string, string, ...string[]]>(
  values: L,
  name: string,
) => t.keyof(Object.fromEntries(values.map((v) => [v, null])) as { [K in L[number]]: null }, name)
