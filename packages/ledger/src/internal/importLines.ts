/**
 * @internal
 * The all-or-nothing import of JSON Lines, used until the kernel's generic importer lands: every line
 * is checked in order (JSON syntax, envelope fields, the domain's decoder, then every rule against the
 * state of the log plus the lines accepted before it); invalid lines are collected and skipped, and
 * only when there are none is everything appended in one `appendBatch`.
 */
import * as E from 'fp-ts/Either'
import {
  normalizeInstant,
  sealEnvelope,
  type Domain,
  type EventStore,
  type Head,
  type Json,
  type NewEvent,
  type StoreError,
  type StreamAppend,
} from '@ketnap/kernel'
import { importFailure, type ImportFailure, type LineError } from '../errors'
import { decodeStored } from './decodeStored'

/** Options of `importLines`. @internal */
export interface ImportLinesOptions {
  readonly now: () => Date
  readonly onProgress?: (done: number, total: number) => void
}

/** What an import wrote. @internal */
export interface ImportLinesResult {
  readonly appended: number
  readonly skipped: number
  readonly head: Head
}

const ENVELOPE_KEYS = new Set([
  'type',
  'data',
  'recordedAt',
  'actor',
  'id',
  'stream',
  'version',
  'position',
  'schemaVersion',
  'prevHash',
  'hash',
])

const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

const lineError = (line: number, code: string, message: string, path?: string): LineError =>
  path === undefined ? { line, code, message } : { line, code, message, path }

/** Imports lines into the store, all or nothing. @internal */
export const importLines = async <Ev, W>(
  store: EventStore,
  domain: Domain<Ev, W>,
  input: AsyncIterable<string> | Iterable<string>,
  options: ImportLinesOptions,
): Promise<E.Either<ImportFailure | StoreError, ImportLinesResult>> => {
  const texts: string[] = []
  try {
    for await (const text of input) texts.push(text)
  } catch (cause) {
    return E.left({
      _tag: 'StorageError',
      message: `reading the input failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    })
  }

  // The state of the stored log, as the rules see it.
  let state = domain.validator.initialState()
  const versions = new Map<string, number>()
  const ids = new Set<string>()
  let head: Head = { position: 0, hash: '' }
  let lastRecordedAt: string | null = null
  for await (const batch of store.readAll()) {
    if (E.isLeft(batch)) return batch
    for (const envelope of batch.right) {
      const event = decodeStored(domain, envelope)
      if (E.isLeft(event)) return E.left({ _tag: 'StorageError', message: event.left.message })
      state = domain.validator.evolve(state, event.right, {
        stream: envelope.stream,
        recordedAt: envelope.recordedAt,
      })
      versions.set(envelope.stream, envelope.version)
      ids.add(envelope.id)
      head = { position: envelope.position, hash: envelope.hash }
      lastRecordedAt = envelope.recordedAt
    }
  }
  const storedHead = head
  const now = options.now().toISOString()

  const errors: LineError[] = []
  const parts: { stream: string; events: NewEvent[]; expectedVersion: number }[] = []
  let skipped = 0
  let appended = 0
  for (const [index, text] of texts.entries()) {
    const lineNo = index + 1
    if (index % 1000 === 0) options.onProgress?.(index, texts.length)
    if (text.trim().length === 0) continue
    const fail = (code: string, message: string, path?: string): void => {
      errors.push(lineError(lineNo, code, message, path))
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (cause) {
      fail('invalid-json', cause instanceof Error ? cause.message : 'not JSON')
      continue
    }
    if (!isObject(raw)) {
      fail('invalid-line', 'a line must be a JSON object')
      continue
    }
    const unknownKey = Object.keys(raw).find((k) => !ENVELOPE_KEYS.has(k))
    if (unknownKey !== undefined) {
      fail('unknown-field', `unknown field ${JSON.stringify(unknownKey)}`, unknownKey)
      continue
    }
    const { type, data, id, actor } = raw
    if (typeof type !== 'string' || type.length === 0) {
      fail(type === undefined ? 'missing-field' : 'invalid-type', 'type must be a non-empty string', 'type')
      continue
    }
    if (data === undefined) {
      fail('missing-field', 'data is required', 'data')
      continue
    }
    if (id !== undefined && (typeof id !== 'string' || id.length === 0)) {
      fail('empty-string', 'id must be a non-empty string', 'id')
      continue
    }
    if (actor !== undefined && actor !== null && (typeof actor !== 'string' || actor.length === 0)) {
      fail('invalid-actor', 'actor must be a non-empty string or null', 'actor')
      continue
    }
    if (typeof id === 'string' && ids.has(id)) {
      skipped += 1
      continue
    }
    let recordedAt: string
    if (raw['recordedAt'] === undefined) {
      recordedAt = lastRecordedAt !== null && lastRecordedAt > now ? lastRecordedAt : now
    } else {
      const normalized =
        typeof raw['recordedAt'] === 'string'
          ? normalizeInstant(raw['recordedAt'])
          : E.left({ message: 'recordedAt must be a string' })
      if (E.isLeft(normalized)) {
        fail('invalid-instant', normalized.left.message, 'recordedAt')
        continue
      }
      recordedAt = normalized.right
      if (lastRecordedAt !== null && recordedAt < lastRecordedAt) {
        fail(
          'record-clock',
          `recordedAt ${recordedAt} is earlier than the log's last ${lastRecordedAt}`,
          'recordedAt',
        )
        continue
      }
    }
    const decoded = domain.decode(type, data)
    if (E.isLeft(decoded)) {
      const first = decoded.left[0]
      fail(first?.code ?? 'invalid-event', first?.message ?? 'the event does not decode', first?.path)
      continue
    }
    const event = decoded.right
    const stream = domain.streamOf(event)
    const encoded = domain.encode(event)
    const schemaVersion = domain.schemaVersionOf(type)
    const version = (versions.get(stream) ?? 0) + 1
    const position = head.position + 1

    // An export being restored: every envelope field it carries must be what the store computes.
    const expected: Record<string, Json> = { stream, version, position, schemaVersion, prevHash: head.hash }
    const mismatch = Object.keys(expected).find((k) => raw[k] !== undefined && raw[k] !== expected[k])
    if (mismatch !== undefined) {
      fail(
        'envelope-mismatch',
        `${mismatch} is ${JSON.stringify(raw[mismatch])} but the store computes ${JSON.stringify(expected[mismatch])}`,
        mismatch,
      )
      continue
    }
    const eventId = typeof id === 'string' ? id : null
    if (raw['hash'] !== undefined) {
      const sealed =
        eventId === null
          ? null
          : sealEnvelope({
              position,
              stream,
              version,
              id: eventId,
              type,
              schemaVersion,
              data: encoded.data,
              recordedAt,
              actor: typeof actor === 'string' ? actor : null,
              prevHash: head.hash,
            })
      if (sealed === null || sealed.hash !== raw['hash']) {
        fail('envelope-mismatch', 'hash is not the hash of this envelope at this place in the log', 'hash')
        continue
      }
    }
    const broken = domain.validator.validate(state, event, { stream, recordedAt })
    const rule = broken[0]
    if (rule !== undefined) {
      fail(rule.code, rule.message, rule.path)
      continue
    }
    state = domain.validator.evolve(state, event, { stream, recordedAt })
    versions.set(stream, version)
    if (eventId !== null) ids.add(eventId)
    lastRecordedAt = recordedAt
    // The hash of a line without an id is known only once the store assigns one; later lines' prevHash
    // checks then compare against a placeholder, which no honest export produces.
    head = { position, hash: raw['hash'] === undefined ? `unsealed-${position}` : (raw['hash'] as string) }
    appended += 1
    const newEvent: NewEvent = {
      type: encoded.type,
      data: encoded.data,
      schemaVersion,
      recordedAt,
      actor: typeof actor === 'string' ? actor : null,
      ...(eventId === null ? {} : { id: eventId }),
    }
    const last = parts[parts.length - 1]
    if (last !== undefined && last.stream === stream) last.events.push(newEvent)
    else parts.push({ stream, events: [newEvent], expectedVersion: version - 1 })
  }
  options.onProgress?.(texts.length, texts.length)
  if (errors.length > 0) return E.left(importFailure(errors))
  if (appended === 0) return E.right({ appended: 0, skipped, head: storedHead })
  const batch: StreamAppend[] = parts
  const result = await store.appendBatch(batch)()
  return E.map((r: { readonly appended: ReadonlyArray<unknown>; readonly head: Head }) => ({
    appended: r.appended.length,
    skipped,
    head: r.head,
  }))(result)
}
