/**
 * The audit hash chain of EVENTS.md (Audit): every envelope carries the SHA-256 of its canonical JSON
 * (RFC 8785, without `hash`), which includes `prevHash`, the hash of the envelope before it in global
 * order. Verification walks the log once and names the first position where the chain breaks.
 */
import { daysInMonth, digitsAt, isCalendarDateAt } from './calendarDate'
import * as crypto from 'node:crypto'
import * as E from 'fp-ts/Either'
import type { Envelope, Head, Json, UnsealedEnvelope } from './envelope'
import type { ChainBreak } from './errorCodes'
import { invalidEventError, type InvalidEventError } from './errors'
import type { ReadAllBatch } from './eventStore'

/**
 * The serializer of the `canonicalize` package (RFC 8785), written with loops rather than `reduce` over
 * template strings: it runs for every event appended, twice in some stores, and was most of an append's
 * time. Output, `toJSON` handling and errors are the package's, which the tests check on generated values.
 */
const serialize = (value: unknown): string => {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new Error('NaN is not allowed')
    if (!Number.isFinite(value)) throw new Error('Infinity is not allowed')
    return JSON.stringify(value)
  }
  // `undefined` (outside arrays and objects, where it is dropped or null) is not JSON: written as null.
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (toJSON instanceof Function) return serialize((toJSON as () => unknown).call(value))
  if (Array.isArray(value)) {
    let text = '['
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ','
      const item: unknown = value[i]
      text += item === undefined || typeof item === 'symbol' ? 'null' : serialize(item)
    }
    return `${text}]`
  }
  const record = value as { readonly [key: string]: unknown }
  let text = '{'
  for (const key of Object.keys(record).sort()) {
    const item = record[key]
    if (item === undefined || typeof item === 'symbol') continue
    if (text.length > 1) text += ','
    text += `${JSON.stringify(key)}:${serialize(item)}`
  }
  return `${text}}`
}

/** Canonical JSON (RFC 8785): object keys sorted, no whitespace, ECMAScript number formatting. */
export const canonicalJson = (value: Json): string => serialize(value)

/**
 * The canonical JSON of an envelope without `hash`: its fields picked by name (so that no stray property
 * leaks in) and written in sorted order directly, `data` being the only part that needs sorting (and
 * given already written when the caller has it).
 */
/**
 * `canonicalUnsealed` for an envelope the planner built, whose fields it has checked (strings, safe
 * integers, an actor or null): each written directly, without `serialize`'s type dispatch. The same text.
 */
const plannedUnsealed = (e: UnsealedEnvelope, dataJson: string): string =>
  `{"actor":${e.actor === null ? 'null' : JSON.stringify(e.actor)},"data":${dataJson},"id":${JSON.stringify(e.id)}` +
  `,"position":${e.position},"prevHash":${JSON.stringify(e.prevHash)}` +
  `,"recordedAt":${JSON.stringify(e.recordedAt)},"schemaVersion":${e.schemaVersion}` +
  `,"stream":${JSON.stringify(e.stream)},"type":${JSON.stringify(e.type)},"version":${e.version}}`

const canonicalUnsealed = (e: UnsealedEnvelope, dataJson: string): string =>
  `{"actor":${serialize(e.actor)},"data":${dataJson},"id":${serialize(e.id)}` +
  `,"position":${serialize(e.position)},"prevHash":${serialize(e.prevHash)}` +
  `,"recordedAt":${serialize(e.recordedAt)},"schemaVersion":${serialize(e.schemaVersion)}` +
  `,"stream":${serialize(e.stream)},"type":${serialize(e.type)},"version":${serialize(e.version)}}`

/**
 * SHA-256 (hex) of a text as UTF-8. One-shot `crypto.hash` (Node 20.12 and later) where there is one: it
 * skips building a Hash object per call, about 40 % of hashing a short envelope; `createHash` otherwise.
 */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex')

/** SHA-256 (hex) of the canonical JSON of an envelope without its `hash`. */
export const hashEnvelope = (e: UnsealedEnvelope): string => sha256(canonicalUnsealed(e, serialize(e.data)))

/** Completes an envelope with its hash. */
export const sealEnvelope = (e: UnsealedEnvelope): Envelope => ({ ...e, hash: hashEnvelope(e) })

/** The canonical JSON of the data of envelopes sealed by `sealEnvelopeWithData`, which are frozen. */
const dataJsonOf = new WeakMap<Envelope, string>()

/**
 * Completes an envelope with its hash, given `canonicalJson(e.data)` already written (the planner has it
 * from copying the data), so that the data is not serialized again; `canonicalDataJson` then gives that
 * text back when `remember` (the default). The caller must deep-freeze the envelope before handing it
 * out, so that the text stays its data's. An importer keeps the text itself: remembering it is an entry
 * of a WeakMap per event, which cost about as much as the envelope's hash.
 * @internal
 */
export const sealEnvelopeWithData = (e: UnsealedEnvelope, dataJson: string, remember = true): Envelope => {
  // Written field by field (as the planner builds them, no stray property): one shape for every envelope.
  const envelope: Envelope = {
    position: e.position,
    stream: e.stream,
    version: e.version,
    id: e.id,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    recordedAt: e.recordedAt,
    actor: e.actor,
    prevHash: e.prevHash,
    hash: sha256(plannedUnsealed(e, dataJson)),
  }
  if (remember) dataJsonOf.set(envelope, dataJson)
  return envelope
}

/**
 * `canonicalJson(e.data)`: the text a store keeps for an envelope's data, written once when the planner
 * sealed the envelope and computed otherwise.
 */
export const canonicalDataJson = (e: Envelope): string => dataJsonOf.get(e) ?? serialize(e.data)

/** The head of an empty log. */
export const emptyHead: Head = { position: 0, hash: '' }

/**
 * The outcome of `verifyChain`. `head` is always the last envelope read (position and stored hash), so that
 * an auditor can keep it and pass it back later; `firstBrokenPosition` is the 1-based place in log order
 * where the chain first fails (for `truncated`: the first position missing below the kept head).
 */
export type ChainVerification =
  | { readonly ok: true; readonly head: Head }
  | {
      readonly ok: false
      readonly firstBrokenPosition: number
      readonly code: ChainBreak
      readonly reason: string
      readonly head: Head
    }

/** Options of `verifyChain`. */
export interface VerifyChainOptions {
  /** A head kept from an earlier verification: the log must still have that position with that hash. */
  readonly head?: Head
}

type ChainItem = Envelope | ReadAllBatch

const isBatch = (item: ChainItem): item is ReadAllBatch => '_tag' in item

async function* envelopesOf(
  source: AsyncIterable<Envelope> | Iterable<Envelope> | AsyncIterable<ReadAllBatch>,
): AsyncGenerator<E.Either<string, Envelope>> {
  for await (const item of source as AsyncIterable<ChainItem>) {
    if (!isBatch(item)) {
      yield E.right(item)
    } else if (E.isLeft(item)) {
      const error = item.left
      yield E.left('message' in error ? error.message : `${error._tag} on stream ${error.stream}`)
      return
    } else {
      for (const envelope of item.right) yield E.right(envelope)
    }
  }
}

/**
 * Verifies the hash chain of a log read in global order (envelopes, or the batches of `readAll`):
 * positions gapless from 1, versions gapless from 1 in each stream, every `prevHash` the hash before it,
 * every `hash` that of its envelope and, given a kept head, that the log still has that position with that
 * hash. Reads the log once, holding one envelope and a version per stream.
 */
export const verifyChain = async (
  envelopes: AsyncIterable<Envelope> | Iterable<Envelope> | AsyncIterable<ReadAllBatch>,
  options?: VerifyChainOptions,
): Promise<ChainVerification> => {
  const kept = options?.head
  const versions = new Map<string, number>()
  let head: Head = emptyHead
  let broken = null as { position: number; code: ChainBreak; reason: string } | null
  const breakAt = (position: number, code: ChainBreak, reason: string): void => {
    broken ??= { position, code, reason }
  }
  if (kept !== undefined && kept.position === 0 && kept.hash !== '') {
    breakAt(0, 'head-mismatch', 'a kept head at position 0 must have the empty hash')
  }
  for await (const item of envelopesOf(envelopes)) {
    const expected = head.position + 1
    if (E.isLeft(item)) {
      breakAt(
        expected,
        'read-error',
        `the log could not be read past position ${head.position}: ${item.left}`,
      )
      break
    }
    const e = item.right
    if (broken === null) {
      const version = (versions.get(e.stream) ?? 0) + 1
      if (e.position !== expected) {
        breakAt(expected, 'position-gap', `expected position ${expected}, found ${e.position}`)
      } else if (e.prevHash !== head.hash) {
        breakAt(
          expected,
          'prev-hash-mismatch',
          `prevHash does not link to the hash of position ${head.position}`,
        )
      } else if (hashEnvelope(e) !== e.hash) {
        breakAt(
          expected,
          'hash-mismatch',
          `the stored hash is not the hash of the envelope at position ${expected}`,
        )
      } else if (e.version !== version) {
        breakAt(
          expected,
          'version-gap',
          `expected version ${version} of stream ${e.stream}, found ${e.version}`,
        )
      } else if (kept !== undefined && kept.position === expected && kept.hash !== e.hash) {
        breakAt(
          expected,
          'head-mismatch',
          `position ${expected} no longer has the kept hash: the log was rewritten at or before it`,
        )
      }
      versions.set(e.stream, version)
    }
    // The head is counted in places read, so that a reordered or gapped log still reports where it ends.
    head = { position: expected, hash: e.hash }
  }
  if (broken === null && kept !== undefined && kept.position > head.position) {
    breakAt(
      head.position + 1,
      'truncated',
      `the log ends at position ${head.position}, before the kept head ${kept.position}: events were cut off`,
    )
  }
  return broken === null
    ? { ok: true, head }
    : { ok: false, firstBrokenPosition: broken.position, code: broken.code, reason: broken.reason, head }
}

const instantPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/

/**
 * Whether `s` is a real instant written as `toISOString` writes it (`2016-06-05T08:00:00.000Z`): read
 * character by character, as every line of an import comes this way (building a Date and writing it back
 * cost a few percent of an import).
 */
const isNormalInstant = (s: string): boolean => {
  if (s.length !== 24) return false
  // - - T : : . Z
  if (s.charCodeAt(10) !== 84) return false
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46) return false
  if (s.charCodeAt(23) !== 90 || !isCalendarDateAt(s)) return false
  const hour = digitsAt(s, 11, 2)
  const minute = digitsAt(s, 14, 2)
  const second = digitsAt(s, 17, 2)
  return (
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59 &&
    digitsAt(s, 20, 3) >= 0
  )
}

/**
 * Normalizes an ISO 8601 instant with a zone (`Z` or `±hh:mm`) to UTC with milliseconds, as
 * `Date.prototype.toISOString` writes it; rejects a missing zone or an impossible date or time.
 */
export const normalizeInstant = (s: string): E.Either<InvalidEventError, string> => {
  // Already normalized (as every stored or exported instant is): a real instant that `toISOString`
  // writes back unchanged passes every check below, and its normal form is itself.
  if (isNormalInstant(s)) return E.right(s)
  const m = instantPattern.exec(s)
  const invalid = (why: string) => E.left(invalidEventError('invalid-instant', `${JSON.stringify(s)} ${why}`))
  if (m === null) return invalid('is not an ISO 8601 instant with a zone (e.g. 2016-06-05T08:00:00Z)')
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  ) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return invalid('is not a calendar date')
  if (hour > 23 || minute > 59 || second > 59) return invalid('is not a time of day')
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59))
    return invalid('has an impossible zone offset')
  const date = new Date(s)
  if (Number.isNaN(date.getTime())) return invalid('is not a valid instant')
  const iso = date.toISOString()
  // Years outside 0000-9999 after shifting to UTC would be written with six digits and sort wrongly.
  if (!/^\d{4}-/.test(iso)) return invalid('is outside the years 0000-9999 in UTC')
  return E.right(iso)
}
