/**
 * How a keyed entry of the write side's state is written as a row: JSON text (UTF-8), with the values
 * JSON has no form for tagged as a one-key object under the key "\u0000": a Map (`{"\u0000":"m","v":[[k,
 * v],...]}`), a Set (`"s"`), `undefined` (`"u"`), a number JSON cannot write (`"n"`: NaN, ±Infinity, -0)
 * and a plain object that itself has the key "\u0000" (`"o"`, its entries), so that every value the
 * codec accepts reads back equal, and an object of the domain can never be mistaken for a tag.
 *
 * Why not Node's structured serialization (`node:v8`), which the state's global part still uses: each
 * call of `serialize` allocates native memory that is not returned before the garbage collector frees
 * its buffer, about 4 KiB of resident memory per call whatever the value's size (measured: 100,000
 * person records of 500 bytes each, 350–450 MiB of RSS against about 95 MiB for this codec), and it is
 * about twice as slow per small value. A large import writes hundreds of thousands of rows at once.
 *
 * Accepted values: strings, finite and non-finite numbers, booleans, null, undefined, arrays, Maps,
 * Sets and plain objects of them. Anything else (a class instance, a Date, a function, a bigint) is
 * refused with an Error naming it, rather than written in a form that would not read back equal.
 */

const TAG = '\u0000'

const encodeNumber = (n: number): string =>
  Number.isFinite(n) && !Object.is(n, -0)
    ? String(n)
    : `{"\\u0000":"n","v":"${Object.is(n, -0) ? '-0' : String(n)}"}`

const isPlain = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const encodeValue = (value: unknown, path: string): string => {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return encodeNumber(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
      return '{"\\u0000":"u"}'
    case 'object': {
      if (value === null) return 'null'
      if (Array.isArray(value)) {
        let text = '['
        for (let i = 0; i < value.length; i++) {
          if (i > 0) text += ','
          text += encodeValue(value[i], path)
        }
        return `${text}]`
      }
      if (value instanceof Set) return `{"\\u0000":"s","v":${encodeValue([...value], path)}}`
      if (value instanceof Map) return `{"\\u0000":"m","v":${encodeValue([...value], path)}}`
      if (!isPlain(value)) throw new Error(`${path}: a ${value.constructor?.name ?? 'value'} cannot be kept`)
      const record = value as { readonly [key: string]: unknown }
      if (Object.prototype.hasOwnProperty.call(record, TAG))
        return `{"\\u0000":"o","v":${encodeValue(Object.entries(record), path)}}`
      let text = '{'
      let first = true
      for (const key in record) {
        if (!Object.prototype.hasOwnProperty.call(record, key)) continue
        text += `${first ? '' : ','}${JSON.stringify(key)}:${encodeValue(record[key], path)}`
        first = false
      }
      return `${text}}`
    }
    default:
      throw new Error(`${path}: a ${typeof value} cannot be kept`)
  }
}

const decodeValue = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeValue(value[i])
    return value
  }
  const record = value as { [key: string]: unknown }
  const tag = record[TAG]
  if (tag !== undefined) {
    const inner = record['v']
    switch (tag) {
      case 'u':
        return undefined
      case 'n':
        return inner === '-0' ? -0 : Number(inner)
      case 's':
        return new Set(decodeValue(inner) as unknown[])
      case 'm':
        return new Map(decodeValue(inner) as Array<[unknown, unknown]>)
      case 'o':
        return Object.fromEntries(decodeValue(inner) as Array<[string, unknown]>)
      default:
        throw new Error(`an unknown tag ${JSON.stringify(tag)}`)
    }
  }
  for (const key in record) record[key] = decodeValue(record[key])
  return record
}

/** Nesting that `needsNoTag` walks; deeper values are written by `encodeValue`. */
const PLAIN_DEPTH = 64

/**
 * Whether `JSON.stringify` writes `value` as `encodeValue` does: nothing in it needs a tag (no Map, Set,
 * `undefined`, non-finite number or -0, no object with the key "\u0000") and nothing is refused (only
 * plain objects and arrays), within PLAIN_DEPTH levels. Both write an object's own keys in the same order
 * and strings and finite numbers alike; the native writer is about twice as fast on a person's record.
 */
const needsNoTag = (value: unknown, depth: number): boolean => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
    case 'object': {
      if (value === null) return true
      if (depth >= PLAIN_DEPTH) return false
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!needsNoTag(value[i], depth + 1)) return false
        return true
      }
      if (!isPlain(value) || Object.prototype.hasOwnProperty.call(value, TAG)) return false
      const record = value as { readonly [key: string]: unknown }
      for (const key in record) {
        if (!Object.prototype.hasOwnProperty.call(record, key)) continue
        if (!needsNoTag(record[key], depth + 1)) return false
      }
      return true
    }
    default:
      return false
  }
}

/** A value's text as a row keeps it: JSON's own writer where no tag is needed, else `encodeValue`. */
const encodeText = (value: unknown, path: string): string =>
  needsNoTag(value, 0) ? JSON.stringify(value) : encodeValue(value, path)

/** A keyed entry's value as the bytes of its row; throws an Error for a value it cannot keep. */
export const encodeKeyed = (value: unknown, key: string): Uint8Array =>
  Buffer.from(encodeText(value, `the keyed entry ${JSON.stringify(key)}`), 'utf8')

/**
 * The value of a row written by `encodeKeyed`; throws when the bytes are not such a row. A row without
 * the escape of "\u0000" holds no tag (a tag's key is written so, and so is any NUL in a string): the
 * parsed value is the value.
 */
export const decodeKeyed = (bytes: Uint8Array): unknown => {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  const parsed: unknown = JSON.parse(text)
  return text.includes('\\u0000') ? decodeValue(parsed) : parsed
}

/** Containers opened piece by piece by `encodeKeyedPieces`; deeper values are written whole. */
const PIECE_DEPTH = 3

/** The JSON text of a value, as `encodeKeyed` writes it, a container's elements one at a time. */
function* textPieces(value: unknown, path: string, depth: number): Generator<string> {
  if (depth >= PIECE_DEPTH || typeof value !== 'object' || value === null) {
    yield encodeText(value, path)
    return
  }
  // Asked once: `encodeText` would walk the whole value again to ask it.
  if (needsNoTag(value, 0)) {
    yield JSON.stringify(value)
    return
  }
  if (value instanceof Map || value instanceof Set) {
    yield `{"\\u0000":"${value instanceof Map ? 'm' : 's'}","v":[`
    let first = true
    for (const element of value) {
      if (!first) yield ','
      first = false
      yield* textPieces(element, path, depth + 1)
    }
    yield ']}'
    return
  }
  if (Array.isArray(value)) {
    yield '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ','
      yield* textPieces(value[i], path, depth + 1)
    }
    yield ']'
    return
  }
  if (!isPlain(value) || Object.prototype.hasOwnProperty.call(value, TAG)) {
    yield encodeValue(value, path)
    return
  }
  const record = value as { readonly [key: string]: unknown }
  yield '{'
  let first = true
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue
    yield `${first ? '' : ','}${JSON.stringify(key)}:`
    first = false
    yield* textPieces(record[key], path, depth + 1)
  }
  yield '}'
}

/**
 * A large value as the bytes `encodeKeyed` would give, in consecutive pieces of about `pieceBytes`
 * each (the last may be shorter), produced as they are taken: their concatenation reads back with
 * `decodeKeyed`, and the value's text is never whole in memory. A Map, Set, array or plain object is
 * written an element at a time down to three levels (the write side's global part: a record of Maps of
 * records); an element is written whole, however large. Throws as `encodeKeyed` does.
 */
export function* encodeKeyedPieces(value: unknown, key: string, pieceBytes: number): Generator<Uint8Array> {
  let text = ''
  for (const piece of textPieces(value, `the keyed entry ${JSON.stringify(key)}`, 0)) {
    text += piece
    // Characters, not bytes: a piece is at most three times the bound in UTF-8, close to it in ASCII.
    if (text.length >= pieceBytes) {
      yield Buffer.from(text, 'utf8')
      text = ''
    }
  }
  if (text.length > 0) yield Buffer.from(text, 'utf8')
}
