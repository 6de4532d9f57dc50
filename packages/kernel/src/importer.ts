/**
 * The generic JSON Lines import of any domain: every line is checked in order, as if appended one by
 * one after what the store holds (an invalid line counts as absent for the lines after it), every error
 * is collected, and only a clean file is written, in one `appendBatch` (all or nothing).
 */
import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { Domain } from './domain'
import type { ImportFailureCode, ImportLineCode } from './errorCodes'
import type { Head, NewEvent } from './envelope'
import { storageError, type DomainError, type StoreError } from './errors'
import type { EventStore, StreamAppend } from './eventStore'
import { normalizeInstant, sealEnvelope } from './hashChain'
import { numberedLines, type JsonLinesSource, type NumberedLine } from './jsonl'
import { foldLog, type Progress } from './replay'

/** One invalid line: its 1-based physical line number, a stable kebab-case code, why, and where. */
export interface LineError {
  readonly line: number
  readonly code: string
  readonly message: string
  /** Path of the offending field, when there is one. */
  readonly path?: string
}

/** An import refused as a whole because some lines are invalid; nothing was written. */
export interface ImportFailure {
  readonly _tag: 'ImportFailure'
  readonly code: ImportFailureCode
  /** Every invalid line, in line order. */
  readonly errors: ReadonlyArray<LineError>
}

/** What an import wrote. */
export interface ImportSummary {
  /** Events written. */
  readonly appended: number
  /** Lines skipped because their id was already stored (or given earlier in the file). */
  readonly skipped: number
  /** The log head after the import. */
  readonly head: Head
}

/** Options of `importJsonLines`. */
export interface ImportOptions {
  /** Progress of the validation, in lines (after the replay of the stored log). */
  readonly onProgress?: Progress
  /** Progress of the replay of the stored log, in events. */
  readonly onReplayProgress?: Progress
  /** The record clock for lines without `recordedAt`; default the system clock. */
  readonly now?: () => Date
  /** Ids of lines without one; default `crypto.randomUUID`. */
  readonly newId?: () => string
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

const lineErrorOf = (line: number, code: string, message: string, path?: string): LineError =>
  path === undefined ? { line, code, message } : { line, code, message, path }

/** An error of the importer's own checks: its code is listed in `KernelErrorCodes.importLine`. */
const lineError: (line: number, code: ImportLineCode, message: string, path?: string) => LineError =
  lineErrorOf

/** Builds an ImportFailure. */
export const importFailure = (errors: ReadonlyArray<LineError>): ImportFailure => ({
  _tag: 'ImportFailure',
  code: 'invalid-lines',
  errors,
})

/** A line that passed the JSON and shape checks. */
interface RawLine {
  readonly line: number
  readonly record: { readonly [key: string]: unknown }
}

/** JSON syntax, then the shape of the envelope fields: `invalid-json`, `invalid-line`, `missing-field`, `unknown-field`, `invalid-field`. */
const parseLine = ({ line, text }: NumberedLine): E.Either<ReadonlyArray<LineError>, RawLine> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return E.left([lineError(line, 'invalid-json', (e as Error).message)])
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return E.left([lineError(line, 'invalid-line', 'a line must be a JSON object')])
  }
  const record = value as { readonly [key: string]: unknown }
  const errors: LineError[] = []
  for (const key of Object.keys(record)) {
    if (!ENVELOPE_KEYS.has(key))
      errors.push(lineError(line, 'unknown-field', `unknown field ${JSON.stringify(key)}`, key))
  }
  if (!('type' in record)) errors.push(lineError(line, 'missing-field', 'type is required', 'type'))
  else if (typeof record['type'] !== 'string' || record['type'] === '') {
    errors.push(lineError(line, 'invalid-field', 'type must be a non-empty string', 'type'))
  }
  if (!('data' in record)) errors.push(lineError(line, 'missing-field', 'data is required', 'data'))
  const strings: ReadonlyArray<[string, boolean]> = [
    ['id', false],
    ['stream', false],
    ['prevHash', true],
    ['hash', false],
    ['recordedAt', false],
  ]
  for (const [key, emptyAllowed] of strings) {
    const v = record[key]
    if (v !== undefined && (typeof v !== 'string' || (!emptyAllowed && v === ''))) {
      errors.push(
        lineError(line, 'invalid-field', `${key} must be a ${emptyAllowed ? '' : 'non-empty '}string`, key),
      )
    }
  }
  const actor = record['actor']
  if (actor !== undefined && actor !== null && (typeof actor !== 'string' || actor === '')) {
    errors.push(lineError(line, 'invalid-field', 'actor must be a non-empty string or null', 'actor'))
  }
  for (const key of ['version', 'position', 'schemaVersion']) {
    const v = record[key]
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 1)) {
      errors.push(lineError(line, 'invalid-field', `${key} must be a positive integer`, key))
    }
  }
  return errors.length > 0 ? E.left(errors) : E.right({ line, record })
}

const fromDomainErrors = (line: number, errors: ReadonlyArray<DomainError>): LineError[] =>
  errors.map((e) => lineErrorOf(line, e.code, e.message, e.path))

/**
 * Imports JSON Lines into a store through a domain, all or nothing: JSON syntax (`invalid-json`), shape,
 * the domain's decoder, the envelope fields an export carries (`envelope-mismatch` when `stream`,
 * `version`, `position`, `schemaVersion`, `prevHash` or `hash` differ from what the store will compute),
 * the record clock (`invalid-instant`, `record-clock`) and the domain's rules, each line against the log
 * plus the valid lines before it. Lines whose id is already stored or given earlier are skipped.
 */
export const importJsonLines =
  <Ev, W>(
    store: EventStore,
    domain: Domain<Ev, W>,
    source: JsonLinesSource,
    options: ImportOptions = {},
  ): TE.TaskEither<ImportFailure | StoreError, ImportSummary> =>
  async () => {
    const newId = options.newId ?? randomUUID
    // Every id stored and the version of every stream, gathered during the replay.
    const storedIds = new Set<string>()
    const versions = new Map<string, number>()
    const replayed = await foldLog(
      store,
      domain,
      options.onReplayProgress === undefined ? {} : { onProgress: options.onReplayProgress },
      (envelope) => {
        storedIds.add(envelope.id)
        versions.set(envelope.stream, envelope.version)
      },
    )
    if (E.isLeft(replayed)) return replayed
    let { state, head } = replayed.right
    let lastRecordedAt = replayed.right.lastRecordedAt
    const now = (options.now ?? (() => new Date()))().toISOString()

    const lines: NumberedLine[] = []
    for await (const line of numberedLines(source)) lines.push(line)

    const errors: LineError[] = []
    const accepted: { stream: string; event: NewEvent; version: number }[] = []
    const fileIds = new Set<string>()
    let skipped = 0
    for (const [index, numbered] of lines.entries()) {
      options.onProgress?.(index, lines.length)
      const parsed = parseLine(numbered)
      if (E.isLeft(parsed)) {
        errors.push(...parsed.left)
        continue
      }
      const { line, record } = parsed.right
      const type = record['type'] as string
      const decoded = domain.decode(type, record['data'])
      if (E.isLeft(decoded)) {
        errors.push(...fromDomainErrors(line, decoded.left))
        continue
      }
      const event = decoded.right
      const givenId = record['id'] as string | undefined
      if (givenId !== undefined && (storedIds.has(givenId) || fileIds.has(givenId))) {
        skipped += 1
        continue
      }

      const lineErrors: LineError[] = []
      const mismatch = (field: string, expected: unknown): void => {
        const given = record[field]
        if (given !== undefined && given !== expected) {
          lineErrors.push(
            lineError(
              line,
              'envelope-mismatch',
              `${field} is ${JSON.stringify(given)} but the store computes ${JSON.stringify(expected)}`,
              field,
            ),
          )
        }
      }
      const stream = domain.streamOf(event)
      const version = (versions.get(stream) ?? 0) + 1
      const schemaVersion = domain.schemaVersionOf(type)
      mismatch('stream', stream)
      mismatch('version', version)
      mismatch('position', head.position + 1)
      mismatch('schemaVersion', schemaVersion)
      mismatch('prevHash', head.hash)

      let recordedAt = lastRecordedAt !== null && lastRecordedAt > now ? lastRecordedAt : now
      const givenInstant = record['recordedAt'] as string | undefined
      if (givenInstant !== undefined) {
        const normalized = normalizeInstant(givenInstant)
        if (E.isLeft(normalized)) {
          lineErrors.push(lineError(line, 'invalid-instant', normalized.left.message, 'recordedAt'))
        } else if (lastRecordedAt !== null && normalized.right < lastRecordedAt) {
          lineErrors.push(
            lineError(
              line,
              'record-clock',
              `recordedAt ${normalized.right} is earlier than the last recorded ${lastRecordedAt}`,
              'recordedAt',
            ),
          )
        } else {
          recordedAt = normalized.right
        }
      }
      const { data } = domain.encode(event)
      const id = givenId ?? newId()
      if (givenId === undefined && (storedIds.has(id) || fileIds.has(id))) {
        // The store would skip it as a retry and the valid line would be lost without a word.
        return E.left(
          storageError(`the import's id source gave ${JSON.stringify(id)}, which is not a fresh id`),
        )
      }
      const actor = (record['actor'] as string | null | undefined) ?? null
      const envelope = sealEnvelope({
        position: head.position + 1,
        stream,
        version,
        id,
        type,
        schemaVersion,
        data,
        recordedAt,
        actor,
        prevHash: head.hash,
      })
      if (lineErrors.length === 0) mismatch('hash', envelope.hash)
      if (lineErrors.length === 0) {
        lineErrors.push(
          ...fromDomainErrors(line, domain.validator.validate(state, event, { stream, recordedAt })),
        )
      }
      if (lineErrors.length > 0) {
        errors.push(...lineErrors)
        continue
      }
      state = domain.validator.evolve(state, event, { stream, recordedAt })
      fileIds.add(id)
      versions.set(stream, version)
      head = { position: envelope.position, hash: envelope.hash }
      lastRecordedAt = recordedAt
      accepted.push({ stream, version, event: { type, data, id, schemaVersion, recordedAt, actor } })
    }
    options.onProgress?.(lines.length, lines.length)
    if (errors.length > 0) return E.left(importFailure(errors))
    if (accepted.length === 0) return E.right({ appended: 0, skipped, head })

    const batch: { stream: string; events: NewEvent[]; expectedVersion: number }[] = []
    for (const { stream, event, version } of accepted) {
      const last = batch.at(-1)
      if (last !== undefined && last.stream === stream) last.events.push(event)
      else batch.push({ stream, events: [event], expectedVersion: version - 1 })
    }
    const written = await store.appendBatch(batch satisfies ReadonlyArray<StreamAppend>)()
    if (E.isLeft(written)) return written
    return E.right({ appended: written.right.appended.length, skipped, head: written.right.head })
  }
