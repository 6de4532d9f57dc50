/**
 * The append planner: the pure rules of an append, which every adapter runs inside its own transaction
 * so that validation, deduplication, optimistic concurrency, the record clock, numbering and the hash
 * chain are decided in one place.
 */
import * as E from 'fp-ts/Either'
import type { Envelope, Head, Json, NewEvent } from './envelope'
import type { InvalidEventCode } from './errorCodes'
import {
  concurrencyError,
  invalidEventError,
  recordClockError,
  storageError,
  type InvalidEventError,
  type StoreError,
} from './errors'
import type { ExpectedVersion, StreamAppend } from './eventStore'
import { canonicalJson, normalizeInstant, sealEnvelopeWithData } from './hashChain'

/** What the planner needs to know of the stored log, read inside the adapter's transaction. */
export interface AppendView {
  /** The last position and its hash. */
  readonly head: Head
  /** The `recordedAt` of the last envelope, `null` for an empty log. */
  readonly lastRecordedAt: string | null
  /** The version a stream is at (0 when it does not exist). */
  readonly streamVersion: (stream: string) => number
  /** Whether an event with this id is already stored. */
  readonly hasId: (id: string) => boolean
}

/** The store's clock and id source, the only impure inputs of a plan. */
export interface AppendClock {
  readonly now: () => Date
  readonly newId: () => string
}

/** What to write: the sealed envelopes in log order, and the ids skipped as already stored. */
export interface AppendPlan {
  readonly envelopes: ReadonlyArray<Envelope>
  readonly skipped: ReadonlyArray<string>
  /**
   * With `ownedData`: the canonical JSON of each envelope's data, in the same order, which those
   * envelopes do not remember (`canonicalDataJson` writes it again). @internal
   */
  readonly dataJson?: ReadonlyArray<string>
}

/** Options of `planAppend`. */
export interface PlanOptions {
  /**
   * Messages without the `event N of STREAM:` label, for a caller that names the event itself (the
   * importer names the line).
   */
  readonly unlabelled?: boolean
  /**
   * The events' data were made for this plan (decoded from a line by the importer) and nobody else
   * holds them: they are checked and written as canonical JSON, but kept as they are in the envelopes
   * instead of copied (nor frozen), which only the importer's session reads, through the canonical text.
   * A JSON round trip per line was a twentieth of an import. The plan then gives the data's canonical
   * JSON beside the envelopes (`AppendPlan.dataJson`) instead of attaching it to each of them.
   * @internal
   */
  readonly ownedData?: boolean
}

/** `String.prototype.isWellFormed` (ES2024, Node 20), not yet in the TypeScript lib we target. */
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed

/** Whether a string is well-formed UTF-16 (no lone surrogate), so that every store can write it as UTF-8 unchanged. */
const isWellFormed: (s: string) => boolean =
  nativeIsWellFormed === undefined ? (s) => !/\p{Surrogate}/u.test(s) : (s) => nativeIsWellFormed.call(s)

const isPlainObject = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Whether `value` is all JSON: the check of every event, without the paths `firstNonJson` builds to
 * name what is not (`seen` holds the objects being walked, to refuse a cycle).
 */
const isJson = (value: unknown, seen: Set<object>): boolean => {
  if (value === null || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (typeof value === 'string') return isWellFormed(value)
  if (typeof value !== 'object' || seen.has(value)) return false
  seen.add(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !isJson(value[i], seen)) return false
    }
  } else {
    if (!isPlainObject(value)) return false
    const record = value as { readonly [key: string]: unknown }
    for (const key of Object.keys(record)) {
      if (!isWellFormed(key) || !isJson(record[key], seen)) return false
    }
  }
  seen.delete(value)
  return true
}

/**
 * An object's keys in canonical order, sorted in place: as `Array.prototype.sort` orders strings (by
 * UTF-16 code units), by insertion for the few keys of an event's objects, where `sort` allocated a
 * work array per object (about a twelfth of what an import allocated per line).
 */
const sortedKeys = (keys: string[]): string[] => {
  if (keys.length > 16) return keys.sort()
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string
    let j = i - 1
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string
      j -= 1
    }
    keys[j + 1] = key
  }
  return keys
}

/** Nesting walked by `quickCanonical`; deeper data (or a cycle) is left to `isJson` and `canonicalJson`. */
const QUICK_DEPTH = 64

/**
 * The canonical JSON of `value` (as `canonicalJson` writes it) when it is all JSON (as `isJson` says),
 * in one walk where checking and then writing took two; null when it is not, nests deeper than
 * QUICK_DEPTH (a cycle among them), or holds -0, which its canonical text reads back as 0: the caller
 * then asks `isJson`, which says which, and copies the data through its text.
 */
const quickCanonical = (value: unknown, depth: number): string | null => {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? JSON.stringify(value) : null
    case 'string':
      return isWellFormed(value) ? JSON.stringify(value) : null
    case 'object':
      break
    default:
      return null
  }
  if (depth >= QUICK_DEPTH) return null
  if (Array.isArray(value)) {
    let text = '['
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return null
      const item = quickCanonical(value[i], depth + 1)
      if (item === null) return null
      text += i === 0 ? item : `,${item}`
    }
    return `${text}]`
  }
  if (!isPlainObject(value)) return null
  const record = value as { readonly [key: string]: unknown }
  const keys = sortedKeys(Object.keys(record))
  let text = '{'
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    if (!isWellFormed(key)) return null
    const item = quickCanonical(record[key], depth + 1)
    if (item === null) return null
    text += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${item}`
  }
  return `${text}}`
}

/** The path of the first part of `value` that is not JSON, or `null` when it all is. */
const firstNonJson = (value: unknown, path: string, seen: Set<object>): string | null => {
  if (value === null || typeof value === 'boolean') return null
  if (typeof value === 'number') return Number.isFinite(value) ? null : path
  if (typeof value === 'string') return isWellFormed(value) ? null : path
  if (typeof value !== 'object') return path
  if (seen.has(value)) return path
  seen.add(value)
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) return `${path}[${i}]`
        const bad = firstNonJson(value[i], `${path}[${i}]`, seen)
        if (bad !== null) return bad
      }
      return null
    }
    if (!isPlainObject(value)) return path
    for (const [key, child] of Object.entries(value)) {
      if (!isWellFormed(key)) return `${path}.${key}`
      const bad = firstNonJson(child, `${path}.${key}`, seen)
      if (bad !== null) return bad
    }
    return null
  } finally {
    seen.delete(value)
  }
}

/**
 * Deep-freezes a JSON value (arrays and plain objects, as JSON.parse builds them) so that a stored
 * envelope cannot be changed through a returned reference.
 */
const deepFreezeJson = (value: Json): void => {
  if (typeof value !== 'object' || value === null) return
  if (Array.isArray(value)) {
    for (const item of value as ReadonlyArray<Json>) deepFreezeJson(item)
  } else {
    const record = value as { readonly [key: string]: Json }
    for (const key of Object.keys(record)) deepFreezeJson(record[key]!)
  }
  Object.freeze(value)
}

const isNonEmptyString = (s: unknown): s is string => typeof s === 'string' && s.length > 0 && isWellFormed(s)

/**
 * A stream, type, id or actor holding U+0000, which PostgreSQL text cannot hold: refused by every store
 * alike (`invalid-text`), so that a log any store took can move to any other (D63).
 */
const nulIn = (field: string, s: string): InvalidEventError | null =>
  s.includes('\u0000')
    ? invalidEventError('invalid-text', `${field} ${JSON.stringify(s)} holds U+0000, which no store keeps`)
    : null

/** Validates a stream name. */
const checkStream = (stream: unknown): E.Either<InvalidEventError, string> => {
  if (!isNonEmptyString(stream))
    return E.left(
      invalidEventError(
        'invalid-stream',
        `stream name must be a non-empty string, got ${JSON.stringify(stream)}`,
      ),
    )
  const nul = nulIn('stream', stream)
  return nul === null ? E.right(stream) : E.left(nul)
}

const checkExpectedVersion = (
  stream: string,
  v: ExpectedVersion,
): E.Either<InvalidEventError, ExpectedVersion> =>
  v === 'any' || (Number.isSafeInteger(v) && v >= 0)
    ? E.right(v)
    : E.left(
        invalidEventError(
          'invalid-expected-version',
          `expectedVersion of ${stream} must be a non-negative integer or 'any', got ${String(v)}`,
        ),
      )

/** A NewEvent that passed validation, with its instant normalized. */
interface CheckedEvent {
  readonly type: string
  readonly data: Json
  /** `canonicalJson(data)`. */
  readonly dataJson: string
  readonly id: string | undefined
  readonly schemaVersion: number
  readonly recordedAt: string | undefined
  readonly actor: string | null
}

/** Validates one event handed to a store. @internal */
export const checkNewEvent = (
  event: NewEvent,
  where: string | null,
  ownedData = false,
): E.Either<InvalidEventError, CheckedEvent> => {
  const fail = (code: InvalidEventCode, message: string) =>
    E.left(invalidEventError(code, where === null ? message : `${where}: ${message}`))
  if (typeof event !== 'object' || event === null) return fail('invalid-event', 'an event must be an object')
  if (!isNonEmptyString(event.type)) return fail('invalid-type', 'type must be a non-empty string')
  const nulType = nulIn('type', event.type)
  if (nulType !== null) return fail(nulType.code, nulType.message)
  // A round trip through canonical JSON copies the caller's data with its keys in canonical order (and
  // -0 as 0), exactly as every store reads it back: an export is then the same bytes from any store.
  let dataJson = quickCanonical(event.data, 0)
  // Owned data is kept as it is only where its canonical text reads back the same.
  const keepOwned = ownedData && dataJson !== null
  if (dataJson === null) {
    const bad = isJson(event.data, new Set()) ? null : firstNonJson(event.data, 'data', new Set())
    if (bad !== null || event.data === undefined) return fail('invalid-data', `${bad ?? 'data'} is not JSON`)
    dataJson = canonicalJson(event.data)
  }
  if (event.id !== undefined && !isNonEmptyString(event.id))
    return fail('invalid-id', 'id must be a non-empty string')
  const nulId = event.id === undefined ? null : nulIn('id', event.id)
  if (nulId !== null) return fail(nulId.code, nulId.message)
  const schemaVersion = event.schemaVersion ?? 1
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
    return fail(
      'invalid-schema-version',
      `schemaVersion must be a positive integer, got ${String(schemaVersion)}`,
    )
  }
  const actor = event.actor ?? null
  if (actor !== null && !isNonEmptyString(actor))
    return fail('invalid-actor', 'actor must be a non-empty string or null')
  const nulActor = actor === null ? null : nulIn('actor', actor)
  if (nulActor !== null) return fail(nulActor.code, nulActor.message)
  let recordedAt: string | undefined
  if (event.recordedAt !== undefined) {
    if (typeof event.recordedAt !== 'string') return fail('invalid-instant', 'recordedAt must be a string')
    const normalized = normalizeInstant(event.recordedAt)
    if (E.isLeft(normalized)) return fail(normalized.left.code, normalized.left.message)
    recordedAt = normalized.right
  }
  const data = keepOwned ? event.data : (JSON.parse(dataJson) as Json)
  return E.right({ type: event.type, data, dataJson, id: event.id, schemaVersion, recordedAt, actor })
}

/**
 * Plans an append of several streams' events (all or nothing, in the order given): validates every
 * stream and event, skips ids already stored or repeated earlier in the batch, checks each stream that
 * still has events against its expected version, assigns ids, `recordedAt` defaults (never earlier than
 * the last), positions, versions and the hash chain continuing from the view.
 */
export const planAppend = (
  view: AppendView,
  batch: ReadonlyArray<StreamAppend>,
  clock: AppendClock,
  options: PlanOptions = {},
): E.Either<StoreError, AppendPlan> => {
  const owned = options.ownedData === true
  const envelopes: Envelope[] = []
  const skipped: string[] = []
  const dataJson: string[] | undefined = owned ? [] : undefined
  // What later events of the batch are checked against: not needed for one event (an importer plans
  // every line of a file on its own).
  const first = batch[0]
  const many =
    batch.length > 1 || (first !== undefined && Array.isArray(first.events) && first.events.length > 1)
  const seen: Set<string> | undefined = many ? new Set() : undefined
  const versions: Map<string, number> | undefined = many ? new Map() : undefined
  let position = view.head.position
  let prevHash = view.head.hash
  let lastRecordedAt = view.lastRecordedAt
  let now: string | undefined

  // Index loops, not `entries()`: the importer plans every line of a file on its own.
  for (let p = 0; p < batch.length; p++) {
    const part = batch[p] as StreamAppend
    const stream = checkStream(part.stream)
    if (E.isLeft(stream)) return stream
    const expected = checkExpectedVersion(stream.right, part.expectedVersion)
    if (E.isLeft(expected)) return expected
    if (!Array.isArray(part.events))
      return E.left(invalidEventError('invalid-events', `events of ${stream.right} must be an array`))

    const remaining: CheckedEvent[] = []
    for (let i = 0; i < part.events.length; i++) {
      const raw = part.events[i] as NewEvent
      const checked = checkNewEvent(
        raw,
        options.unlabelled === true
          ? null
          : `event ${i + 1} of ${stream.right}${batch.length > 1 ? ` (part ${p + 1})` : ''}`,
        owned,
      )
      if (E.isLeft(checked)) return checked
      const { id } = checked.right
      if (id !== undefined && (seen?.has(id) === true || view.hasId(id))) {
        skipped.push(id)
        continue
      }
      if (id !== undefined) seen?.add(id)
      remaining.push(checked.right)
    }
    if (remaining.length === 0) continue

    const actual = versions?.get(stream.right) ?? view.streamVersion(stream.right)
    if (expected.right !== 'any' && expected.right !== actual) {
      return E.left(concurrencyError(stream.right, expected.right, actual))
    }
    let version = actual
    for (const event of remaining) {
      let recordedAt: string
      if (event.recordedAt === undefined) {
        if (now === undefined) {
          const date = clock.now()
          if (Number.isNaN(date.getTime()))
            return E.left(storageError('the store clock gave an invalid date'))
          now = date.toISOString()
        }
        recordedAt = lastRecordedAt !== null && lastRecordedAt > now ? lastRecordedAt : now
      } else if (lastRecordedAt !== null && event.recordedAt < lastRecordedAt) {
        return E.left(recordClockError(event.recordedAt, lastRecordedAt))
      } else {
        recordedAt = event.recordedAt
      }
      let id: string
      if (event.id !== undefined) {
        id = event.id
      } else {
        // A generated id that is taken would be stored twice (or, in a later import, skipped as a retry).
        id = clock.newId()
        if (!isNonEmptyString(id) || seen?.has(id) === true || view.hasId(id)) {
          return E.left(
            storageError(`the store's id source gave ${JSON.stringify(id)}, which is not a fresh id`),
          )
        }
      }
      seen?.add(id)
      position += 1
      version += 1
      const envelope = sealEnvelopeWithData(
        {
          position,
          stream: stream.right,
          version,
          id,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          recordedAt,
          actor: event.actor,
          prevHash,
        },
        event.dataJson,
        !owned,
      )
      // Every field but data is a primitive: freezing data deeply and the envelope itself freezes it all.
      if (owned) dataJson?.push(event.dataJson)
      else deepFreezeJson(envelope.data)
      envelopes.push(Object.freeze(envelope))
      prevHash = envelope.hash
      lastRecordedAt = recordedAt
    }
    versions?.set(stream.right, version)
  }
  return E.right(dataJson === undefined ? { envelopes, skipped } : { envelopes, skipped, dataJson })
}
