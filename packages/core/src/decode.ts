/**
 * Decoding events from outside: an event type name and raw data become a typed `DomainEvent`, or a
 * list of errors, each with a path (`data.profile.birthDate`), the rule broken and a stable code.
 */
import * as E from 'fp-ts/Either'
import type * as t from 'io-ts'
import { domainError, type DomainError } from '@ketnap/kernel'
import type { DecodeCode } from './errorCodes'
import { EVENT_CODECS, type DomainEvent, type EventType } from './events'

/** An error of the decoder: its code is listed in `CoreErrorCodes.decode`. */
const decodeError = (code: DecodeCode, message: string, path: string): DomainError =>
  domainError(code, message, path)

/** The shape of an exact object codec: its known keys and the shapes of nested exact objects. */
interface Shape {
  readonly keys: ReadonlySet<string>
  readonly nested: ReadonlyMap<string, Shape>
}

/* eslint-disable @typescript-eslint/no-explicit-any -- walking io-ts codec internals */
const propsOf = (codec: any): Record<string, any> => {
  switch (codec._tag) {
    case 'ExactType':
    case 'RefinementType':
      return propsOf(codec.type)
    case 'IntersectionType':
      return Object.assign({}, ...codec.types.map(propsOf))
    case 'InterfaceType':
    case 'PartialType':
      return codec.props
    case 'UnionType':
      // An input states the first form; the others (an erased value) are what stored events read back as.
      return propsOf(codec.types[0])
    default:
      return {}
  }
}

const exactOf = (codec: any): any => {
  if (codec._tag === 'ExactType') return codec
  if (codec._tag === 'UnionType') return codec.types.map(exactOf).find((c: any) => c !== undefined)
  return undefined
}

const shapeOf = (codec: any): Shape => {
  const props = propsOf(codec)
  const nested = new Map<string, Shape>()
  for (const [key, prop] of Object.entries(props)) {
    const exact = exactOf(prop)
    if (exact !== undefined) nested.set(key, shapeOf(exact))
  }
  return { keys: new Set(Object.keys(props)), nested }
}

interface Entry {
  readonly data: t.Mixed
  readonly shape: Shape
}

const ENTRIES: ReadonlyMap<string, Entry> = new Map(
  (Object.entries(EVENT_CODECS) as Array<[string, any]>).map(([type, codec]) => {
    const data = codec.props.data as t.Mixed
    return [type, { data, shape: shapeOf(data) }]
  }),
)
/* eslint-enable @typescript-eslint/no-explicit-any */

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/** The mark of erased personal fields (personalData.ts): never a field an input may state. */
const ERASED = 'erased'

const unknownFields = (
  value: Record<string, unknown>,
  shape: Shape,
  path: string,
  out: DomainError[],
  erased: boolean,
): void => {
  for (const key of Object.keys(value)) {
    if (erased && key === ERASED) continue
    if (!shape.keys.has(key)) {
      out.push(decodeError('unknown-field', `${path}.${key} is not a field of this event`, `${path}.${key}`))
      continue
    }
    const nested = shape.nested.get(key)
    const v = value[key]
    if (nested !== undefined && isRecord(v)) unknownFields(v, nested, `${path}.${key}`, out, erased)
  }
}

/** Code and expected JavaScript type of each named codec of the catalog. */
const CODES: Readonly<Record<string, readonly [DecodeCode, string, string]>> = {
  LocalDate: ['invalid-date', 'string', 'a calendar date YYYY-MM-DD'],
  NonEmptyString: ['empty-string', 'string', 'a non-empty string'],
  Count: ['invalid-count', 'number', 'an integer ≥ 0'],
  PositiveCount: ['invalid-target', 'number', 'an integer > 0'],
  Fraction: ['invalid-fraction', 'number', 'a number from 0 to 1'],
  Year: ['invalid-year', 'number', 'a year 1000-9999'],
  Period: ['invalid-period', 'string', 'a period YYYY, YYYY-YYYY or YYYY-MM-DD/YYYY-MM-DD'],
  Instant: ['invalid-instant', 'string', 'an ISO 8601 instant with a zone'],
}

const show = (u: unknown): string => {
  const s = JSON.stringify(u)
  return s === undefined ? String(u) : s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/** Turns one io-ts error into a DomainError with a path under `data` and a stable code. */
const toDomainError = (error: t.ValidationError): DomainError => {
  const ctx = error.context
  let path = 'data'
  for (let i = 1; i < ctx.length; i++) {
    const parent = ctx[i - 1]?.type as { _tag?: string } | undefined
    if (parent?._tag === 'InterfaceType' || parent?._tag === 'PartialType') path += `.${ctx[i]?.key ?? ''}`
  }
  const value = error.value
  if (value === undefined) return decodeError('missing-field', `${path} is required`, path)
  const type = ctx[ctx.length - 1]?.type as (t.Mixed & { _tag?: string; keys?: object }) | undefined
  if (type?._tag === 'KeyofType') {
    const allowed = Object.keys(type.keys ?? {}).join(', ')
    return typeof value === 'string'
      ? decodeError('invalid-enum', `${path}: ${show(value)} is not one of ${allowed}`, path)
      : decodeError('invalid-type', `${path}: ${show(value)} is not a string (one of ${allowed})`, path)
  }
  const known = type === undefined ? undefined : CODES[type.name]
  if (known !== undefined) {
    const [code, js, what] = known
    return typeof value === js
      ? decodeError(code, `${path}: ${show(value)} is not ${what}`, path)
      : decodeError('invalid-type', `${path}: ${show(value)} is not a ${js} (${what})`, path)
  }
  return decodeError('invalid-type', `${path}: ${show(value)} is not ${type?.name ?? 'valid'}`, path)
}

/** Options of `decodeEvent`. */
export interface DecodeEventOptions {
  /**
   * Accept the mark of erased personal fields (`erased: true` in place of them): set only for a stored
   * event read back after its person was forgotten, never for an input.
   */
  readonly erased?: boolean
}

/**
 * Decodes an event of the catalog from its type name and raw data. Unknown types, missing or
 * unknown fields and bad values are errors (nothing is silently dropped), one per offending path.
 */
export const decodeEvent = (
  type: string,
  data: unknown,
  options: DecodeEventOptions = {},
): E.Either<ReadonlyArray<DomainError>, DomainEvent> => {
  const erased = options.erased === true
  const entry = ENTRIES.get(type)
  if (entry === undefined)
    return E.left([decodeError('unknown-event-type', `unknown event type ${show(type)}`, 'type')])
  if (!isRecord(data)) return E.left([decodeError('invalid-type', 'data must be a JSON object', 'data')])
  const errors: DomainError[] = []
  unknownFields(data, entry.shape, 'data', errors, erased)
  if (entry.data.is(data)) {
    return errors.length === 0
      ? E.right({ type: type as EventType, data } as unknown as DomainEvent)
      : E.left(errors)
  }
  const result = entry.data.decode(data)
  if (result._tag === 'Left') {
    const seen = new Set<string>()
    for (const e of result.left) {
      const last = e.context[e.context.length - 1]?.type
      // A nullable field reports one error per member of its union: keep the non-null one.
      if (last?.name === 'null') continue
      // The erased form of a value is never asked of an input: its own errors say nothing useful.
      if (e.context.some((c) => c.key === ERASED)) continue
      const error = toDomainError(e)
      const key = error.path ?? ''
      if (seen.has(key)) continue
      seen.add(key)
      errors.push(error)
    }
  }
  return errors.length === 0
    ? E.right({ type: type as EventType, data } as unknown as DomainEvent)
    : E.left(errors)
}
