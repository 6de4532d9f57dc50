/**
 * The generic JSON Lines import of any domain: every line is checked in order, as if appended one by
 * one after what the store holds (an invalid line counts as absent for the lines after it), every error
 * is collected, and only a clean file is written, in one `appendBatch` (all or nothing).
 */
import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { actorMismatch, mayRecord, owner, type Actor } from './access'
import type { Domain } from './domain'
import type { ImportFailureCode, ImportLineCode } from './errorCodes'
import type { Envelope, Head, Json, NewEvent } from './envelope'
import { storageError, type DomainError, type StoreError } from './errors'
import type { EventStore, ImportSession } from './eventStore'
import { planAppend, type AppendClock, type AppendView } from './appendPlan'
import { bufferedImportSession } from './importSession'
import { canonicalDataJson, canonicalJson, normalizeInstant } from './hashChain'
import { firstDuplicateName, numberedLineBatches, type JsonLinesSource, type NumberedLine } from './jsonl'
import type { Progress } from './replay'
import { NOT_LOADED, openWriteSide, worthSaving, writeStateSpace, type WriteSide } from './writeState'

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
  /** Progress of the validation: the lines read so far (after the replay of the stored log). */
  readonly onProgress?: (linesRead: number) => void
  /** Progress of the replay of the stored log, in events. */
  readonly onReplayProgress?: Progress
  /** The record clock for lines without `recordedAt`; default the system clock. */
  readonly now?: () => Date
  /** Ids of lines without one; default `crypto.randomUUID`. */
  readonly newId?: () => string
  /** The longest line accepted, in bytes of UTF-8 (`line-too-long`); default 1 MiB. */
  readonly maxLineBytes?: number
  /**
   * Who imports: the owner (default, with no name) keeps each line's `actor` as given; a bound actor's
   * lines are checked by the domain's access policy (`forbidden`), may state no other `actor` than its
   * own, and are recorded under its name.
   */
  readonly actor?: Actor
  /** Keyed entries of the rules' state held in memory at most (see `openWriteSide`); default 100,000. */
  readonly cacheEntries?: number
  /**
   * Told that every line up to `line` (its number in the source) was decoded and checked: the domain
   * needs nothing more for them (an encrypted store's keys of their persons may go).
   */
  readonly onChecked?: (line: number) => void
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

/** A line's JSON object. */
type RawRecord = { readonly [key: string]: unknown }

/** The envelope fields that are strings, and whether each may be empty. */
const STRING_FIELDS: ReadonlyArray<readonly [string, boolean]> = [
  ['id', false],
  ['stream', false],
  ['prevHash', true],
  ['hash', false],
  ['recordedAt', false],
]

/** The envelope fields that are positive integers. */
const INTEGER_FIELDS: ReadonlyArray<string> = ['version', 'position', 'schemaVersion']

/** Whether a JSON value holds U+0000 in a string or a name. */
const holdsNul = (value: unknown): boolean => {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(holdsNul)
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v))
  return false
}

/**
 * JSON syntax (a name twice in one object too, D64), U+0000 anywhere (`invalid-text`, D63), then the
 * shape of the envelope fields: `invalid-json`, `invalid-line`, `missing-field`, `unknown-field`,
 * `invalid-field`. The line's record, or its errors (an array: a record is never one).
 */
const parseLine = ({ line, text }: NumberedLine): RawRecord | LineError[] => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return [lineError(line, 'invalid-json', (e as Error).message)]
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [lineError(line, 'invalid-line', 'a line must be a JSON object')]
  }
  // A name twice in one object: JSON.parse kept the last value only (D64).
  const twice = firstDuplicateName(text)
  if (twice !== null)
    return [lineError(line, 'invalid-json', `the name ${JSON.stringify(twice)} appears twice in one object`)]
  // U+0000 anywhere (an id in the data names a stream or a row of the rules' state): no store keeps it
  // (D63). Its escape in the text is looked for first, so that other lines pay one search.
  if (text.includes('\\u0000') && holdsNul(value))
    return [lineErrorOf(line, 'invalid-text', 'the line holds the character U+0000, which no store keeps')]
  const record = value as RawRecord
  // Allocated at the first error only: most lines have none.
  let errors: LineError[] | undefined
  const fail = (error: LineError): void => {
    ;(errors ??= []).push(error)
  }
  for (const key in record) {
    if (!ENVELOPE_KEYS.has(key))
      fail(lineError(line, 'unknown-field', `unknown field ${JSON.stringify(key)}`, key))
  }
  if (!('type' in record)) fail(lineError(line, 'missing-field', 'type is required', 'type'))
  else if (typeof record['type'] !== 'string' || record['type'] === '') {
    fail(lineError(line, 'invalid-field', 'type must be a non-empty string', 'type'))
  }
  if (!('data' in record)) fail(lineError(line, 'missing-field', 'data is required', 'data'))
  for (const [key, emptyAllowed] of STRING_FIELDS) {
    const v = record[key]
    if (v !== undefined && (typeof v !== 'string' || (!emptyAllowed && v === ''))) {
      fail(
        lineError(line, 'invalid-field', `${key} must be a ${emptyAllowed ? '' : 'non-empty '}string`, key),
      )
    }
  }
  const actor = record['actor']
  if (actor !== undefined && actor !== null && (typeof actor !== 'string' || actor === '')) {
    fail(lineError(line, 'invalid-field', 'actor must be a non-empty string or null', 'actor'))
  }
  for (const key of INTEGER_FIELDS) {
    const v = record[key]
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 1)) {
      fail(lineError(line, 'invalid-field', `${key} must be a positive integer`, key))
    }
  }
  return errors ?? record
}

const fromDomainErrors = (line: number, errors: ReadonlyArray<DomainError>): LineError[] =>
  errors.map((e) => lineErrorOf(line, e.code, e.message, e.path))

/** The parts of an event an import compares when a line repeats a stored id. */
interface EventContent {
  readonly type: string
  readonly dataJson: string
  readonly recordedAt: string
  readonly actor: string | null
}

/**
 * Whether a line repeats an event already stored (or given earlier in the file): the same `type` and
 * data, and the same `recordedAt` and `actor` where the line states them (a line without `recordedAt`
 * would take the import time, which cannot be what it meant). Anything else under a known id is an
 * `id-conflict`, never a silent skip.
 */
const differenceFrom = (
  record: { readonly [key: string]: unknown },
  type: string,
  dataJson: string,
  stored: EventContent,
): string | null => {
  if (type !== stored.type) return `its type is ${type}, the stored event's ${stored.type}`
  if (dataJson !== stored.dataJson) return "its data differs from the stored event's"
  const givenInstant = record['recordedAt']
  if (typeof givenInstant === 'string') {
    const normalized = normalizeInstant(givenInstant)
    if (E.isLeft(normalized) || normalized.right !== stored.recordedAt)
      return `its recordedAt is ${givenInstant}, the stored event's ${stored.recordedAt}`
  }
  if ('actor' in record && (record['actor'] ?? null) !== stored.actor)
    return `its actor is ${JSON.stringify(record['actor'])}, the stored event's ${JSON.stringify(stored.actor)}`
  return null
}

/** The envelope fields a line may state, checked against the plan in this order (`hash` last). */
const STATED_FIELDS = ['stream', 'version', 'position', 'schemaVersion', 'prevHash'] as const

/** What `envelopeMismatches` returns for a line that states no envelope field the plan contradicts. */
const NO_ERRORS: ReadonlyArray<LineError> = Object.freeze([])

const mismatchError = (line: number, field: string, given: unknown, expected: unknown): LineError =>
  lineError(
    line,
    'envelope-mismatch',
    `${field} is ${JSON.stringify(given)} but the store computes ${JSON.stringify(expected)}`,
    field,
  )

/**
 * The envelope fields a line states (an export's) that differ from what the store computes
 * (`envelope-mismatch`); its `hash` is compared only when the other fields agree.
 */
const envelopeMismatches = (
  line: number,
  record: { readonly [key: string]: unknown },
  envelope: Envelope,
): ReadonlyArray<LineError> => {
  let errors: LineError[] | undefined
  for (const field of STATED_FIELDS) {
    const given = record[field]
    if (given !== undefined && given !== envelope[field])
      (errors ??= []).push(mismatchError(line, field, given, envelope[field]))
  }
  const givenHash = record['hash']
  if (errors === undefined && givenHash !== undefined && givenHash !== envelope.hash)
    errors = [mismatchError(line, 'hash', givenHash, envelope.hash)]
  return errors ?? NO_ERRORS
}

/** The path a planner error names, for its line error. */
const PATH_OF_CODE: Readonly<Record<string, string>> = {
  'invalid-instant': 'recordedAt',
  'record-clock': 'recordedAt',
  'invalid-actor': 'actor',
  'invalid-id': 'id',
  'invalid-data': 'data',
}
const pathOf = (code: string): string | undefined => PATH_OF_CODE[code]

/**
 * Imports JSON Lines into a store through a domain, all or nothing: readable text (`invalid-utf8`,
 * `line-too-long`), JSON syntax (`invalid-json`), shape, the domain's decoder, the envelope each line
 * would get, planned by the kernel's `planAppend` as every store plans an append (the record clock:
 * `invalid-instant`, `record-clock`), the envelope fields an export carries (`envelope-mismatch` when
 * `stream`, `version`, `position`, `schemaVersion`, `prevHash` or `hash` differ from the plan) and the
 * domain's rules, each line against the log plus the valid lines before it. A bound actor's line is first
 * checked by the domain's access policy and refused (`forbidden`) outside the actor's rights, before
 * any rule, so that the rules say nothing of what the actor may not see. A line whose id is already
 * stored or given earlier is skipped when it is the same event, and is an `id-conflict` otherwise.
 * Lines are read as they come (the source is never held whole).
 */
export const importJsonLines =
  <Ev, W>(
    store: EventStore,
    domain: Domain<Ev, W>,
    source: JsonLinesSource,
    options: ImportOptions = {},
  ): TE.TaskEither<ImportFailure | StoreError, ImportSummary> =>
  async () => {
    // A store with a session of its own answers which ids are stored; any other store is asked
    // through the ids gathered in one read of the log (each with its position, to read back and compare).
    const ownSession = store.beginImport !== undefined
    const storedAt = new Map<string, number>()
    if (!ownSession)
      for await (const batch of store.readAll()) {
        if (E.isLeft(batch)) return batch
        for (const envelope of batch.right) storedAt.set(envelope.id, envelope.position)
      }
    // The rules' state, from the one kept beside the log (only the events after it are folded).
    const opened = await openWriteSide(store, domain, {
      ...(options.onReplayProgress === undefined ? {} : { onProgress: options.onReplayProgress }),
      ...(options.cacheEntries === undefined ? {} : { cacheEntries: options.cacheEntries }),
    })
    if (E.isLeft(opened)) return opened
    const side = opened.right
    const head = side.head()
    const lastRecordedAt = side.lastRecordedAt()
    // A long fold of the log's tail is kept before the import, whatever becomes of it (best effort).
    if (worthSaving(side.foldedSinceSaved(), head.position)) await side.save()
    const begun =
      store.beginImport === undefined
        ? await bufferedImportSession(store, { head, lastRecordedAt }, storedAt)
        : await store.beginImport()
    if (E.isLeft(begun)) return begun
    const session = begun.right
    if (session.head.position !== head.position || session.head.hash !== head.hash) {
      await session.rollback()
      return E.left(
        storageError(
          `the log grew from ${head.position} to ${session.head.position} events while the import read it; import again`,
        ),
      )
    }
    side.enterSession(session.keyedState)
    // Whatever throws before the import has committed (a source's I/O error, a store's bug) ends it too:
    // its transaction is rolled back, never left open.
    let committing = false
    try {
      return await checkAndCommit(domain, source, options, session, side, head, () => {
        committing = true
      })
    } catch (cause) {
      if (!committing) await session.rollback()
      throw cause
    }
  }

/** An import's lines checked in its session, and the session committed or rolled back. */
const checkAndCommit = async <Ev, W>(
  domain: Domain<Ev, W>,
  source: JsonLinesSource,
  options: ImportOptions,
  session: ImportSession,
  side: WriteSide<Ev, W>,
  head: Head,
  onCommit: () => void,
): Promise<E.Either<ImportFailure | StoreError, ImportSummary>> => {
  const outcome = await importInSession(
    domain,
    numberedLineBatches(
      source,
      options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes },
    ),
    session,
    side,
    options,
  )
  if (E.isLeft(outcome)) {
    // Nothing of a refused file is kept; the refusal, not a failed rollback, is what the caller needs.
    await session.rollback()
    return outcome
  }
  if (outcome.right.appended === 0) {
    const rolledBack = await session.rollback()
    if (E.isLeft(rolledBack)) return rolledBack
    return E.right({ appended: 0, skipped: outcome.right.skipped, head })
  }
  // The rules' state goes into the import's transaction with its events when rows were written into
  // it or enough was folded since it was last kept (a small import leaves the next process a short
  // tail to fold instead of writing the organization tree again); when another process moved the kept
  // state on meanwhile, the kept state is cleared instead (the next process folds the log).
  const keyed = session.keyedState
  if (keyed !== undefined && side.mustSave()) {
    const saved = await side.save()
    const cleared =
      E.isRight(saved) && !saved.right
        ? await keyed.writeKeyed(writeStateSpace(domain), {
            reset: true,
            position: side.head().position,
            entries: [],
          })
        : saved
    if (E.isLeft(cleared)) {
      await session.rollback()
      return cleared
    }
  }
  onCommit()
  const committed = await session.commit()
  if (E.isLeft(committed)) return committed
  side.leaveSession()
  // A store whose sessions keep no rows gets the state after the commit (best effort: a state not
  // kept only means a longer fold next time).
  if (keyed === undefined && side.mustSave()) await side.save()
  return E.right({
    appended: outcome.right.appended,
    skipped: outcome.right.skipped,
    head: committed.right,
  })
}

/** Lines checked together: one lookup in the session and one write. */
const CHUNK_LINES = 1000

/** Streams whose version an import remembers from its own writes, instead of asking its session. */
const WRITTEN_STREAMS = 100_000

/** A line that passed its own checks and decoded, waiting for its chunk's lookup. */
interface PendingLine<Ev> {
  readonly line: number
  readonly record: { readonly [key: string]: unknown }
  readonly type: string
  readonly event: Ev
  readonly data: Json
  readonly stream: string
  readonly givenId: string | undefined
}

/**
 * Checks every line against the log plus the valid lines before it, chunk by chunk, writing each chunk's
 * valid lines into the session (which the caller rolls back when any line is invalid). Returns what was
 * appended and skipped, or every invalid line.
 */
const importInSession = async <Ev, W>(
  domain: Domain<Ev, W>,
  lines: AsyncIterable<ReadonlyArray<NumberedLine>>,
  session: ImportSession,
  side: WriteSide<Ev, W>,
  options: ImportOptions,
): Promise<E.Either<ImportFailure | StoreError, { readonly appended: number; readonly skipped: number }>> => {
  let head = side.head()
  let lastRecordedAt = side.lastRecordedAt()
  const actor = options.actor ?? owner()
  // One instant for the whole import: the recordedAt of every line that does not state its own. It is
  // checked as a stated one is (EVENTS.md: never clamped): a log whose last instant is later refuses
  // such a line (`record-clock`) rather than record it at an instant it did not happen at.
  const importedAt = (options.now ?? (() => new Date()))()
  if (Number.isNaN(importedAt.getTime())) return E.left(storageError('the import clock gave an invalid date'))
  const importedInstant = importedAt.toISOString()
  const clock: AppendClock = { now: () => importedAt, newId: options.newId ?? randomUUID }
  const errors: LineError[] = []
  let appended = 0
  let skipped = 0
  let read = 0
  // The versions of the streams this session wrote last, which no other writer can change while it holds
  // the store's write lock: a chunk asks the session only for the streams it does not find here (most
  // of a large import's lines continue a stream written a few chunks before). Bounded, in two
  // generations: once the recent one holds half the bound it becomes the older one, and the older one is
  // dropped (a stream written since is in the recent one, which is asked first). Keeping one map in
  // write order instead (a delete and a set per event, then dropping from its front) cost a fiftieth of
  // a large import: the front of such a map is a trail of deleted entries that every drop walked again.
  let recentVersions = new Map<string, number>()
  let olderVersions = new Map<string, number>()
  const writtenVersion = (stream: string): number | undefined =>
    recentVersions.get(stream) ?? olderVersions.get(stream)
  const rememberWritten = (envelopes: ReadonlyArray<Envelope>): void => {
    for (const e of envelopes) {
      recentVersions.set(e.stream, e.version)
      if (recentVersions.size >= WRITTEN_STREAMS / 2) {
        olderVersions = recentVersions
        recentVersions = new Map()
      }
    }
  }

  const contentOf = (e: Envelope): EventContent => ({
    type: e.type,
    dataJson: canonicalDataJson(e),
    recordedAt: e.recordedAt,
    actor: e.actor,
  })

  const checkChunk = async (chunk: ReadonlyArray<PendingLine<Ev>>): Promise<E.Either<StoreError, void>> => {
    if (chunk.length === 0) return E.right(undefined)
    // The versions of the chunk's streams this session wrote, and the others, to ask the session for.
    const versions = new Map<string, number>()
    const unknown = new Set<string>()
    for (const { stream } of chunk) {
      if (versions.has(stream) || unknown.has(stream)) continue
      const written = writtenVersion(stream)
      if (written === undefined) unknown.add(stream)
      else versions.set(stream, written)
    }
    const streams = [...unknown]
    const givenIds = new Set(chunk.flatMap((p) => (p.givenId === undefined ? [] : [p.givenId])))
    const ids = [...givenIds]
    const looked =
      streams.length === 0 && ids.length === 0
        ? E.right({ versions: new Map<string, number>(), events: new Map<string, Envelope>() })
        : await session.lookup(streams, ids)
    if (E.isLeft(looked)) return looked
    // The keys of the rules' state the chunk needs, in one read.
    const fetched = await side.prefetch(chunk.map((p) => p.event))
    if (E.isLeft(fetched)) return fetched
    for (const [stream, version] of looked.right.versions) versions.set(stream, version)
    // The envelopes accepted in this chunk by id; their content is only worked out for a repeated id.
    const accepted = new Map<string, Envelope>()
    const envelopes: Envelope[] = []
    // The canonical JSON of each accepted envelope's data, as the planner wrote it, for the session.
    const dataJson: string[] = []
    const view: AppendView = {
      get head() {
        return head
      },
      get lastRecordedAt() {
        return lastRecordedAt
      },
      streamVersion: (stream) => versions.get(stream) ?? 0,
      hasId: (id) => accepted.has(id) || looked.right.events.has(id),
    }
    for (const { line, record, type, event, data, stream, givenId } of chunk) {
      const otherActor = actorMismatch(actor, 'actor' in record ? record['actor'] : actor.name, type)
      // The owner is not asked (and an import by the owner pays nothing for the policy).
      const asked =
        actor._tag === 'Owner'
          ? E.right(null)
          : await side.read((state) => mayRecord(domain.access, actor, event, state, type))
      if (E.isLeft(asked)) return asked
      const refused = otherActor ?? asked.right
      if (refused !== null) {
        errors.push(
          lineErrorOf(line, refused.code, refused.message, otherActor === null ? undefined : 'actor'),
        )
        continue
      }
      if (givenId !== undefined) {
        const stored = looked.right.events.get(givenId)
        const earlier = accepted.get(givenId)
        const knownEnvelope = earlier ?? stored
        if (knownEnvelope !== undefined) {
          const difference = differenceFrom(record, type, canonicalJson(data), contentOf(knownEnvelope))
          // The same event: skipped, unless the envelope it states (an export's) is not the stored one's
          // (EVENTS.md: an altered export cannot be restored silently, also onto the store it came from).
          const mismatches = difference === null ? envelopeMismatches(line, record, knownEnvelope) : NO_ERRORS
          if (difference === null && mismatches.length === 0) skipped += 1
          else if (difference === null) errors.push(...mismatches)
          else
            errors.push(
              lineError(
                line,
                'id-conflict',
                `id ${JSON.stringify(givenId)} is already stored, but ${difference}`,
                'id',
              ),
            )
          continue
        }
      }
      const givenInstant = record['recordedAt'] as string | undefined
      const newEvent: { -readonly [K in keyof NewEvent]: NewEvent[K] } = {
        type,
        data,
        schemaVersion: domain.schemaVersionOf(type),
        actor: 'actor' in record ? ((record['actor'] as string | null | undefined) ?? null) : actor.name,
      }
      if (givenId !== undefined) newEvent.id = givenId
      newEvent.recordedAt = givenInstant ?? importedInstant
      const planned = planAppend(view, [{ stream, events: [newEvent], expectedVersion: 'any' }], clock, {
        unlabelled: true,
        // The data was decoded from this line for this plan: no copy needed.
        ownedData: true,
      })
      if (E.isLeft(planned)) {
        const error = planned.left
        // The id source giving a taken id is the store's failure, not the line's.
        if (error._tag === 'StorageError' || error._tag === 'ConcurrencyError') return E.left(error)
        const message =
          error._tag === 'RecordClockError' && givenInstant === undefined
            ? `the line states no recordedAt, and the import's time ${importedInstant} is earlier than the log's last ${error.lastRecordedAt}`
            : error.message
        errors.push(lineErrorOf(line, error.code, message, pathOf(error.code)))
        continue
      }
      const envelope = planned.right.envelopes[0]
      if (envelope === undefined) return E.left(storageError(`line ${line}: the planner wrote nothing`))

      const mismatches = envelopeMismatches(line, record, envelope)
      if (mismatches.length > 0) {
        errors.push(...mismatches)
        continue
      }
      const context = { stream, recordedAt: envelope.recordedAt }
      const validate = (state: W): ReadonlyArray<DomainError> =>
        domain.validator.validate(state, event, context)
      let broken = side.readLoaded(validate)
      if (broken === NOT_LOADED) {
        const read = await side.read(validate)
        if (E.isLeft(read)) return read
        broken = read.right
      }
      if (broken.length > 0) {
        errors.push(...fromDomainErrors(line, broken))
        continue
      }
      const folded = side.evolveLoaded(event, context)
      const evolved = folded === NOT_LOADED ? await side.evolve(event, context) : folded
      if (E.isLeft(evolved)) return evolved
      accepted.set(envelope.id, envelope)
      versions.set(stream, envelope.version)
      head = { position: envelope.position, hash: envelope.hash }
      lastRecordedAt = envelope.recordedAt
      side.advance(head, lastRecordedAt)
      envelopes.push(envelope)
      dataJson.push(planned.right.dataJson?.[0] ?? canonicalDataJson(envelope))
      appended += 1
    }
    // An id the import generated (for a line without one) that is already stored would be written
    // twice, or skipped by a later import as a retry: the id source is broken, and nothing is kept. Only
    // a caller's own id source is checked: `randomUUID` draws 122 random bits (and both durable stores'
    // unique index on ids refuses a repeat anyway), and asking the store for every generated id was
    // about a twentieth of a large import.
    const generated =
      options.newId === undefined ? [] : envelopes.filter((e) => !givenIds.has(e.id)).map((e) => e.id)
    if (generated.length > 0) {
      const taken = await session.lookup([], generated)
      if (E.isLeft(taken)) return taken
      const first = generated.find((id) => taken.right.events.has(id))
      if (first !== undefined)
        return E.left(
          storageError(`the import's id source gave ${JSON.stringify(first)}, which is not a fresh id`),
        )
    }
    // The valid lines are written after an invalid one too: the session, not this process's memory,
    // answers for them to the lines after (their ids, their streams' versions), and a file with any
    // invalid line is rolled back whole at the end. (Keeping them in memory instead grew by some 600
    // bytes a line after the first invalid one: a national log with one bad line ran out of heap.)
    const written = await session.write(envelopes, dataJson)
    if (E.isLeft(written)) return written
    rememberWritten(envelopes)
    // Memory stays within the cache's bound: what the chunk changed may go to the session's rows.
    return side.settle()
  }

  let chunk: PendingLine<Ev>[] = []
  for await (const batch of lines) {
    for (const numbered of batch) {
      read += 1
      if (read % CHUNK_LINES === 0) options.onProgress?.(read)
      if (numbered.defect !== undefined) {
        errors.push(lineError(numbered.line, numbered.defect.code, numbered.defect.message))
        continue
      }
      const parsed = parseLine(numbered)
      if (Array.isArray(parsed)) {
        errors.push(...parsed)
        continue
      }
      const record = parsed as RawRecord
      const line = numbered.line
      const type = record['type'] as string
      const decoded = domain.decode(type, record['data'])
      if (E.isLeft(decoded)) {
        errors.push(...fromDomainErrors(line, decoded.left))
        continue
      }
      const event = decoded.right
      chunk.push({
        line,
        record,
        type,
        event,
        data: domain.encode(event).data,
        stream: domain.streamOf(event),
        givenId: record['id'] as string | undefined,
      })
      if (chunk.length >= CHUNK_LINES) {
        const checked = await checkChunk(chunk)
        if (E.isLeft(checked)) return checked
        chunk = []
      }
    }
    // Every line before the first one still waiting for its chunk's check is done with (the refused
    // ones too, however few lines are valid).
    const pending = chunk[0]?.line ?? (batch.at(-1)?.line ?? 0) + 1
    if (pending > 1) options.onChecked?.(pending - 1)
  }
  const checked = await checkChunk(chunk)
  if (E.isLeft(checked)) return checked
  options.onChecked?.(Number.MAX_SAFE_INTEGER)
  options.onProgress?.(read)
  if (errors.length > 0) return E.left(importFailure([...errors].sort((a, b) => a.line - b.line)))
  return E.right({ appended, skipped })
}
