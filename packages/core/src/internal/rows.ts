/**
 * @internal
 * How the world's keyed entries are kept as rows beside the log (the kernel's `KeyedRowCodec`): a
 * person's record as an array of its fields in a fixed order, booleans as 0 and 1, and an
 * organization's member set as an array. A national log keeps about five million person records; as
 * records of named fields they were about 510 bytes of JSON each, positionally about 170: a third of the
 * pages an import reads and writes back, and a third of the text it parses and writes.
 *
 * A record of any other shape (a field missing, one more, a value of another type) is kept as it is,
 * wrapped in a record, so that every value reads back equal: a row that is an array is a positional
 * record, one that is a record holds a value kept as it is.
 */
import type { KeyedRowCodec } from '@ketnap/kernel'
import { KEY_PREFIX, type Departure, type PersonRecord } from './world'

/** The fields of a person's record, in the order of its positional row (then `forgotten`, when set). */
export const PERSON_FIELDS = [
  'phase',
  'orgId',
  'profile',
  'ageException',
  'readmission',
  'classCompleted',
  'verification',
  'cellVote',
  'committeeVote',
  'decidedOn',
  'admittedOn',
  'official',
  'headcount',
  'leftOn',
  'lastDeparture',
  'readmitted',
  'before',
  'lastDate',
] as const

const hasKeys = (value: object, keys: ReadonlyArray<string>): boolean => {
  const own = Object.keys(value)
  return own.length === keys.length && keys.every((key) => Object.prototype.hasOwnProperty.call(value, key))
}

const isPlainObject = (value: unknown): value is { readonly [key: string]: unknown } => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const isString = (value: unknown): value is string => typeof value === 'string'
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string'
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean'
const isBooleanOrNull = (value: unknown): value is boolean | null =>
  value === null || typeof value === 'boolean'

const bit = (value: boolean): number => (value ? 1 : 0)
const bitOrNull = (value: boolean | null): number | null => (value === null ? null : bit(value))
const fromBit = (value: unknown): boolean => value === 1
const fromBitOrNull = (value: unknown): boolean | null => (value === null ? null : value === 1)

/** A departure's row, or undefined when it is not a departure of the expected shape. */
const departureRow = (value: unknown): ReadonlyArray<string> | null | undefined => {
  if (value === null) return null
  if (!isPlainObject(value) || !hasKeys(value, ['on', 'reason'])) return undefined
  const { on, reason } = value
  return isString(on) && isString(reason) ? [on, reason] : undefined
}

const departureOf = (row: unknown): Departure | null => {
  if (row === null) return null
  const [on, reason] = row as [string, Departure['reason']]
  return { on, reason }
}

/**
 * A profile's row: 0 for none; [birth date, sex, occupation] in clear; [sealed birth date, sex,
 * occupation, 1] sealed; [sex, occupation] erased; undefined for any other shape.
 */
const profileRow = (value: unknown): unknown => {
  if (value === undefined) return 0
  if (!isPlainObject(value)) return undefined
  const { sex, occupation } = value
  if (!isString(sex) || !isString(occupation)) return undefined
  if (hasKeys(value, ['birthDate', 'sex', 'occupation']) && isString(value['birthDate']))
    return [value['birthDate'], sex, occupation]
  if (hasKeys(value, ['sealedBirthDate', 'sex', 'occupation']) && isString(value['sealedBirthDate']))
    return [value['sealedBirthDate'], sex, occupation, 1]
  if (hasKeys(value, ['erased', 'sex', 'occupation']) && value['erased'] === true) return [sex, occupation]
  return undefined
}

const profileOf = (row: unknown): PersonRecord['profile'] => {
  if (row === 0) return undefined
  const fields = row as ReadonlyArray<string | number>
  if (fields.length === 2)
    return { erased: true, sex: fields[0], occupation: fields[1] } as PersonRecord['profile']
  if (fields.length === 3)
    return { birthDate: fields[0], sex: fields[1], occupation: fields[2] } as PersonRecord['profile']
  return { sealedBirthDate: fields[0], sex: fields[1], occupation: fields[2] } as PersonRecord['profile']
}

/** The headcount links as one flat array (from, orgId, from, orgId, ...), or undefined. */
const headcountRow = (value: unknown): ReadonlyArray<string> | undefined => {
  if (!Array.isArray(value)) return undefined
  const flat: string[] = []
  for (const link of value as ReadonlyArray<unknown>) {
    if (!isPlainObject(link) || !hasKeys(link, ['from', 'orgId'])) return undefined
    const { from, orgId } = link
    if (!isString(from) || !isString(orgId)) return undefined
    flat.push(from, orgId)
  }
  return flat
}

const headcountOf = (row: unknown): PersonRecord['headcount'] => {
  const flat = row as ReadonlyArray<string>
  const links: Array<{ readonly from: string; readonly orgId: string }> = []
  for (let i = 0; i + 1 < flat.length; i += 2)
    links.push({ from: flat[i] as string, orgId: flat[i + 1] as string })
  return links
}

/** A person's record as its positional row, or undefined when it is not of the expected shape. */
export const personRow = (value: unknown): unknown[] | undefined => {
  if (!isPlainObject(value)) return undefined
  const forgotten = Object.prototype.hasOwnProperty.call(value, 'forgotten')
  if (!hasKeys(value, forgotten ? [...PERSON_FIELDS, 'forgotten'] : PERSON_FIELDS)) return undefined
  const r = value
  const profile = profileRow(r['profile'])
  const headcount = headcountRow(r['headcount'])
  const lastDeparture = departureRow(r['lastDeparture'])
  const before = r['before']
  if (profile === undefined || headcount === undefined || lastDeparture === undefined) return undefined
  if (!isPlainObject(before) || !hasKeys(before, ['lastDeparture', 'readmitted'])) return undefined
  const beforeDeparture = departureRow(before['lastDeparture'])
  if (beforeDeparture === undefined || !isBoolean(before['readmitted'])) return undefined
  const { phase, orgId, verification, decidedOn, admittedOn, leftOn, lastDate } = r
  if (!isString(phase) || !isString(orgId) || !isString(lastDate)) return undefined
  if (!isStringOrNull(verification) || !isStringOrNull(decidedOn) || !isStringOrNull(admittedOn))
    return undefined
  if (!isStringOrNull(leftOn)) return undefined
  const { ageException, readmission, classCompleted, official, readmitted, cellVote, committeeVote } = r
  if (!isBoolean(ageException) || !isBoolean(readmission) || !isBoolean(classCompleted)) return undefined
  if (!isBoolean(official) || !isBoolean(readmitted)) return undefined
  if (!isBooleanOrNull(cellVote) || !isBooleanOrNull(committeeVote)) return undefined
  const forgottenFlag = r['forgotten']
  if (forgotten && !isBoolean(forgottenFlag)) return undefined
  const row: unknown[] = [
    phase,
    orgId,
    profile,
    bit(ageException),
    bit(readmission),
    bit(classCompleted),
    verification,
    bitOrNull(cellVote),
    bitOrNull(committeeVote),
    decidedOn,
    admittedOn,
    bit(official),
    headcount,
    leftOn,
    lastDeparture,
    bit(readmitted),
    beforeDeparture,
    bit(before['readmitted'] as boolean),
    lastDate,
  ]
  if (forgotten) row.push(bit(forgottenFlag as boolean))
  return row
}

/** The person's record a positional row holds. */
export const personOf = (row: ReadonlyArray<unknown>): PersonRecord => {
  const record: PersonRecord = {
    phase: row[0] as PersonRecord['phase'],
    orgId: row[1] as string,
    profile: profileOf(row[2]),
    ageException: fromBit(row[3]),
    readmission: fromBit(row[4]),
    classCompleted: fromBit(row[5]),
    verification: row[6] as PersonRecord['verification'],
    cellVote: fromBitOrNull(row[7]),
    committeeVote: fromBitOrNull(row[8]),
    decidedOn: row[9] as string | null,
    admittedOn: row[10] as string | null,
    official: fromBit(row[11]),
    headcount: headcountOf(row[12]),
    leftOn: row[13] as string | null,
    lastDeparture: departureOf(row[14]),
    readmitted: fromBit(row[15]),
    before: { lastDeparture: departureOf(row[16]), readmitted: fromBit(row[17]) },
    lastDate: row[18] as string,
  }
  if (row.length > 19) record.forgotten = fromBit(row[19])
  return record
}

const { persons, orgMembers } = KEY_PREFIX

const isStringSet = (value: unknown): value is Set<string> => {
  if (!(value instanceof Set)) return false
  for (const element of value) if (typeof element !== 'string') return false
  return true
}

/** A value of another shape, kept as it is inside a record (a positional row is always an array). */
interface AsItIs {
  readonly v: unknown
}

/**
 * The world's keyed rows: a person's record positionally, an organization's member set (a set of person
 * ids) as an array, a value of another shape under those keys wrapped as it is (`{ v }`); every other
 * entry as it is.
 */
export const worldRows: KeyedRowCodec = {
  toRow: (key, value) => {
    if (key.startsWith(persons)) return personRow(value) ?? ({ v: value } satisfies AsItIs)
    if (key.startsWith(orgMembers)) return isStringSet(value) ? [...value] : ({ v: value } satisfies AsItIs)
    return value
  },
  fromRow: (key, row) => {
    if (key.startsWith(persons)) return Array.isArray(row) ? personOf(row) : (row as AsItIs).v
    if (key.startsWith(orgMembers)) return Array.isArray(row) ? new Set(row as string[]) : (row as AsItIs).v
    return row
  },
}
