/**
 * The ledger: the one entry point an application embeds. It holds an event store and the party
 * development domain (both injected), and offers commands, imports, reports, a person's history,
 * verification and export, each returning a TaskEither with typed errors.
 */
import {
  decide,
  defaultPolicy,
  reportsProjection,
  runReport,
  type Command,
  type DomainEvent,
  type Policy,
  type Report,
  type ReportName,
  type ReportQuery,
  type WorldState,
} from '@ketnap/core'
import {
  domainError,
  importJsonLines,
  normalizeInstant,
  verifyChain,
  type ImportSummary,
  type JsonLinesSource,
  type ChainVerification,
  type Domain,
  type Envelope,
  type EventStore,
  type Head,
  type NewEvent,
  type StoreError,
  type StreamAppend,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as TE from 'fp-ts/TaskEither'
import { vietnamDateOf } from './businessDate'
import { unknownPerson, unreadableInput, type LedgerError } from './errors'
import { exportLine } from './exportLine'
import { storedDecoder } from './internal/decodeStored'
import { serialQueue } from './internal/serial'

/** Called as long work advances: items done out of a total (events read, lines checked). */
export type OnProgress = (done: number, total: number) => void

/** What `createLedger` needs: the store and the domain, injected. */
export interface LedgerOptions {
  /** Where the events live (any adapter of the kernel's EventStore port). */
  readonly store: EventStore
  /** The domain, e.g. `partyDevelopment({ policy })`. */
  readonly domain: Domain<DomainEvent, WorldState>
  /** The policy commands and reports use (give the domain the same one); default `defaultPolicy`. */
  readonly policy?: Policy
  /** The clock: today's business date for reports without `asOf`; default the system clock. */
  readonly now?: () => Date
}

/** Options of `execute`. */
export interface ExecuteOptions {
  /** When the fact entered the record (ISO 8601); default the store clock. */
  readonly recordedAt?: string
  /** Retries after a concurrent writer took a stream version; default 3. */
  readonly retries?: number
}

/** Options of `importEvents`. */
export interface ImportOptions {
  /** Progress of validation, in lines. */
  readonly onProgress?: OnProgress
  /** Progress of the replay of the stored log that precedes validation, in events. */
  readonly onReplayProgress?: OnProgress
}

/** What a report is asked (`asOf` defaults to today in Vietnam, UTC+7). */
export interface ReportOptions {
  readonly orgId: string
  readonly asOf?: string
  readonly knownAt?: string
  readonly period?: string
  readonly occupation?: string
  readonly since?: string
  /** Progress of the replay, in events. */
  readonly onProgress?: OnProgress
}

/** Options of `verify`. */
export interface VerifyOptions {
  /** A head kept from an earlier verification, which the log must still extend. */
  readonly head?: Head
  /** Progress of the walk, in events. */
  readonly onProgress?: OnProgress
}

/** A line of `exportLines`, or the error that ended the export (always the last item). */
export type ExportItem = E.Either<StoreError, string>

/** The embedding API. */
export interface Ledger {
  /** Decides a command against the current state and appends the events it produces. */
  readonly execute: (
    command: Command,
    actor: string | null,
    options?: ExecuteOptions,
  ) => TE.TaskEither<LedgerError, ReadonlyArray<Envelope>>
  /** Imports JSON Lines, all or nothing: every invalid line is reported and then nothing is written. */
  readonly importEvents: (
    lines: JsonLinesSource,
    options?: ImportOptions,
  ) => TE.TaskEither<LedgerError, ImportSummary>
  /** Computes one report by replaying the log (as of a date, as known at an instant). */
  readonly report: (name: ReportName, options: ReportOptions) => TE.TaskEither<LedgerError, Report>
  /** Every event of one person's stream, in order; `unknown-person` when there is none. */
  readonly history: (personId: string) => TE.TaskEither<LedgerError, ReadonlyArray<Envelope>>
  /** Recomputes the hash chain and stream versions, and checks a kept head when given. */
  readonly verify: (options?: VerifyOptions) => TE.TaskEither<StoreError, ChainVerification>
  /** The whole log as JSON Lines (full envelopes, one per item, without newlines). */
  readonly exportLines: () => AsyncIterable<ExportItem>
}

type ReportsState = ReturnType<typeof reportsProjection.init>

/** Creates a ledger over an injected store and domain. */
export const createLedger = (options: LedgerOptions): Ledger => {
  const { store, domain } = options
  const policy = options.policy ?? defaultPolicy
  const now = options.now ?? (() => new Date())
  const serially = serialQueue()
  const decodeStored = storedDecoder(domain)

  // The validator's state of the whole log, kept caught up so that a command does not replay the log.
  let world: WorldState | null = null
  let worldPosition = 0
  let lastRecordedAt = ''
  const versions = new Map<string, number>()
  // The reports' state of everything recorded, likewise.
  let reports: ReportsState | null = null
  let reportsPosition = 0

  const headPosition = (): Promise<E.Either<StoreError, number>> => store.headPosition()()

  /** Folds the events after `from` into the world state. */
  const catchUpWorld = async (): Promise<E.Either<LedgerError, WorldState>> => {
    if (world === null) {
      worldPosition = 0
      lastRecordedAt = ''
      versions.clear()
    }
    let state = world ?? domain.validator.initialState()
    world = null // a failure half-way leaves nothing usable behind
    for await (const batch of store.readAll({ fromPosition: worldPosition + 1 })) {
      if (E.isLeft(batch)) return batch
      for (const envelope of batch.right) {
        const decoded = decodeStored(envelope)
        if (E.isLeft(decoded)) return decoded
        state = domain.validator.evolve(state, decoded.right.event, {
          stream: envelope.stream,
          recordedAt: envelope.recordedAt,
        })
        versions.set(envelope.stream, envelope.version)
        worldPosition = envelope.position
        lastRecordedAt = envelope.recordedAt
      }
    }
    world = state
    return E.right(state)
  }

  /**
   * Folds the events after the cached position into the reports' state. The state keeps when each fact
   * was recorded, so one state answers every "as of" and "known at" query. Each event is upcast and
   * decoded first, as commands read them: the projection trusts the shape of what it is given, and a
   * stored event that does not decode (a foreign or tampered store) is an error, not a silent miscount.
   */
  const foldReports = async (
    onProgress: OnProgress | undefined,
  ): Promise<E.Either<LedgerError, ReportsState>> => {
    const total = await headPosition()
    if (E.isLeft(total)) return total
    let state = reports ?? reportsProjection.init()
    reports = null // a failure half-way leaves nothing usable behind
    for await (const batch of store.readAll({ fromPosition: reportsPosition + 1 })) {
      if (E.isLeft(batch)) {
        reportsPosition = 0
        return batch
      }
      for (const envelope of batch.right) {
        const decoded = decodeStored(envelope)
        if (E.isLeft(decoded)) {
          reportsPosition = 0
          return decoded
        }
        state = reportsProjection.apply(state, decoded.right.envelope)
      }
      reportsPosition = batch.right[batch.right.length - 1]?.position ?? reportsPosition
      onProgress?.(reportsPosition, total.right)
    }
    reports = state
    return E.right(state)
  }

  const appendBatchOf = (
    events: ReadonlyArray<DomainEvent>,
    actor: string | null,
    recordedAt: string,
  ): StreamAppend[] => {
    const parts: { stream: string; events: NewEvent[] }[] = []
    for (const event of events) {
      const stream = domain.streamOf(event)
      const { type, data } = domain.encode(event)
      const newEvent: NewEvent = {
        type,
        data,
        schemaVersion: domain.schemaVersionOf(type),
        actor,
        recordedAt,
      }
      const last = parts[parts.length - 1]
      if (last !== undefined && last.stream === stream) last.events.push(newEvent)
      else parts.push({ stream, events: [newEvent] })
    }
    const planned = new Map<string, number>()
    return parts.map((part) => {
      const expectedVersion = planned.get(part.stream) ?? versions.get(part.stream) ?? 0
      planned.set(part.stream, expectedVersion + part.events.length)
      return { stream: part.stream, events: part.events, expectedVersion }
    })
  }

  const execute: Ledger['execute'] =
    (command, actor, executeOptions = {}) =>
    () =>
      serially(async (): Promise<E.Either<LedgerError, ReadonlyArray<Envelope>>> => {
        let retries = executeOptions.retries ?? 3
        let given: string | undefined
        if (executeOptions.recordedAt !== undefined) {
          const normalized = normalizeInstant(executeOptions.recordedAt)
          if (E.isLeft(normalized))
            return E.left(domainError(normalized.left.code, normalized.left.message, 'recordedAt'))
          given = normalized.right
        }
        for (;;) {
          const state = await catchUpWorld()
          if (E.isLeft(state)) return state
          // The instant is fixed before deciding, so that the record-clock rule sees what will be stored.
          const clock = now().toISOString()
          const recordedAt = given ?? (lastRecordedAt > clock ? lastRecordedAt : clock)
          const decided = decide(command, state.right, policy, recordedAt)
          if (E.isLeft(decided)) return decided
          const batch = appendBatchOf(decided.right, actor, recordedAt)
          const result = await store.appendBatch(batch)()
          if (E.isRight(result)) {
            const caughtUp = await catchUpWorld()
            return E.isLeft(caughtUp) ? caughtUp : E.right(result.right.appended)
          }
          // Another writer moved a stream since the state was read: read what it wrote and decide again.
          if (result.left._tag !== 'ConcurrencyError' || retries <= 0) return result
          retries -= 1
        }
      })

  const importEvents: Ledger['importEvents'] =
    (lines, importOptions = {}) =>
    () =>
      // The kernel's importer replays the log into its own state; ours catch up on the next call.
      serially(async (): Promise<E.Either<LedgerError, ImportSummary>> => {
        // A source that throws (a directory, an I/O error) is the caller's input, not a bug: it becomes
        // a value. The importer reads every line before it writes any, so nothing has been written.
        const source: { failed: boolean; cause?: unknown } = { failed: false }
        const watched = async function* (): AsyncGenerator<string> {
          try {
            if (typeof lines === 'string') yield lines
            else yield* lines
          } catch (cause) {
            source.failed = true
            source.cause = cause
            throw cause
          }
        }
        try {
          return await importJsonLines(store, domain, watched(), {
            now,
            ...(importOptions.onProgress === undefined ? {} : { onProgress: importOptions.onProgress }),
            ...(importOptions.onReplayProgress === undefined
              ? {}
              : { onReplayProgress: importOptions.onReplayProgress }),
          })()
        } catch (error) {
          if (!source.failed) throw error
          return E.left(unreadableInput(source.cause))
        }
      })

  const report: Ledger['report'] = (name, reportOptions) => () =>
    serially(async (): Promise<E.Either<LedgerError, Report>> => {
      const { onProgress, ...asked } = reportOptions
      const state = await foldReports(onProgress)
      if (E.isLeft(state)) return state
      const query: ReportQuery = { ...asked, asOf: asked.asOf ?? vietnamDateOf(now()) }
      return runReport(state.right, name, query, policy)
    })

  const history: Ledger['history'] = (personId) =>
    pipe(
      store.readStream(`person-${personId}`),
      TE.chainW((events) => (events.length === 0 ? TE.left(unknownPerson(personId)) : TE.right(events))),
    )

  const verify: Ledger['verify'] =
    (verifyOptions = {}) =>
    async () => {
      const { head, onProgress } = verifyOptions
      const total = await headPosition()
      if (E.isLeft(total)) return total
      const counted = async function* () {
        for await (const batch of store.readAll()) {
          yield batch
          if (E.isRight(batch)) {
            const last = batch.right[batch.right.length - 1]
            if (last !== undefined) onProgress?.(last.position, total.right)
          }
        }
      }
      return E.right(await verifyChain(counted(), head === undefined ? {} : { head }))
    }

  const exportLines: Ledger['exportLines'] = async function* () {
    for await (const batch of store.readAll()) {
      if (E.isLeft(batch)) {
        yield batch
        return
      }
      for (const envelope of batch.right) yield E.right(exportLine(envelope))
    }
  }

  return { execute, importEvents, report, history, verify, exportLines }
}
