/**
 * Reports from the read model the domain declares: its tables kept caught up in the store by the
 * kernel's runner, read back with the report's queries at a log position, the "known at" instant turned
 * into a position bound. The replay of the log stays the reference (and the path of the reports not yet
 * read from tables).
 */
import {
  createReadModelRunner,
  domainError,
  keepsReadModels,
  lastPositionKnownAt,
  readModelCheckpointName,
  MAX_READ_POSITIONS,
  type DomainError,
  type Envelope,
  type EventStore,
  type Head,
  type ReadModelHost,
  type ReadModel,
  type ReadModelProgress,
  type ReadModelRunner,
  type ReadModelStatus,
  type Reporting,
  type ReportingQuery,
  type ReportTail,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { LedgerError } from './errors'

/**
 * Most events a read-only store's tables may stand behind its head and still answer, the events between
 * folded in memory; further behind, the report replays the log.
 */
const MAX_TAIL_EVENTS = 20_000

/** How a report is read from the tables. */
export interface TableReportOptions {
  /** Only the first `atPosition` events (a published checkpoint's size, already checked against the head). */
  readonly atPosition?: number
  /** Progress of the catch-up, in events. */
  readonly onProgress?: ReadModelProgress
  /** Replay the log instead (the reference). */
  readonly replay?: boolean
}

/** The read models of a ledger's store. @internal */
export interface ReportTables<Name extends string, Q, R extends object> {
  /** The report from the tables, or null when it is replayed (asked to, not ported, or a read-only store behind the log). */
  readonly report: (
    name: Name,
    query: Q,
    options: TableReportOptions,
  ) => Promise<E.Either<LedgerError, R & { readonly log: Head }> | null>
  /** Brings the tables to the head; null when the store keeps no read models or is read-only. */
  readonly catchUp: (onProgress?: ReadModelProgress) => TE.TaskEither<LedgerError, ReadModelStatus | null>
  /** Drops the tables and folds the whole log again; null when the store keeps no read models or is read-only. */
  readonly rebuild: (onProgress?: ReadModelProgress) => TE.TaskEither<LedgerError, ReadModelStatus | null>
  /** Each read model's declared version and its kept checkpoint, and the head; reads only. */
  readonly status: () => TE.TaskEither<LedgerError, ReadModelsStatus | null>
}

/** Where the read models kept in a store stand (`Ledger.readModelsStatus`). */
export interface ReadModelsStatus {
  /** The log's last position. */
  readonly head: number
  /** Each read model the domain declares, the reports' one last. */
  readonly models: ReadonlyArray<{
    readonly name: string
    /** The version the domain declares. */
    readonly version: number
    /** The checkpoint kept in the store (its version and position), or null when none is. */
    readonly kept: { readonly version: number; readonly position: number } | null
  }>
}

const hostOf = (store: EventStore): ReadModelHost | null =>
  'loadCheckpoint' in store && keepsReadModels(store) ? (store as ReadModelHost) : null

/**
 * The read models of `store` for a domain's reporting (whatever the domain), folding events decoded by
 * `decode`. @internal
 */
export const reportTables = <Ev, S, Name extends string, Q extends ReportingQuery, R extends object>(
  store: EventStore,
  reporting: Reporting<Ev, S, Name, Q, R>,
  decode: (envelope: Envelope) => E.Either<DomainError, Ev>,
  readModels: ReadonlyArray<ReadModel<Ev>> = [],
): ReportTables<Name, Q, R> => {
  const host = hostOf(store)
  const model = reporting.readModel
  const runner = host === null ? null : createReadModelRunner(host, model, { decode })
  // The domain's other read models (those its reports do not read) are kept caught up beside it.
  const others =
    host === null
      ? []
      : readModels.filter((m) => m.name !== model.name).map((m) => createReadModelRunner(host, m, { decode }))
  const writable = host !== null && !host.readModelsReadOnly

  /** Runs `step` on every other read model, then on the reports' one, stopping at the first error. */
  const everyModel =
    (
      step: (r: ReadModelRunner) => TE.TaskEither<LedgerError, ReadModelStatus>,
    ): TE.TaskEither<LedgerError, ReadModelStatus | null> =>
    async () => {
      if (runner === null || !writable) return E.right(null)
      for (const other of others) {
        const done = await step(other)()
        if (E.isLeft(done)) return done
      }
      return step(runner)()
    }

  /**
   * Where the tables stand and the head the report may read to: the same once brought to the head
   * (writable); a read-only store is never written, so its tables may stand behind the head, and the
   * events between are folded in memory. Null when the tables are of another version (or none).
   */
  const readPosition = async (
    onProgress: ReadModelProgress | undefined,
  ): Promise<E.Either<LedgerError, { readonly tables: number; readonly head: number } | null>> => {
    if (runner === null || host === null) return E.right(null)
    if (writable)
      return E.map((s: ReadModelStatus) => ({ tables: s.position, head: s.position }))(
        await runner.catchUp(onProgress)(),
      )
    const [stored, head] = [await runner.stored()(), await host.headPosition()()]
    if (E.isLeft(stored)) return stored
    if (E.isLeft(head)) return head
    return E.right(
      stored.right === null ? null : { tables: Math.min(stored.right, head.right), head: head.right },
    )
  }

  type Decoded = Array<ReportTail<Ev>['events'][number]>

  /** Decodes `envelopes` onto the end of `events`. */
  const decodeOnto = (envelopes: ReadonlyArray<Envelope>, events: Decoded): E.Either<LedgerError, void> => {
    for (const envelope of envelopes) {
      const event = decode(envelope)
      if (E.isLeft(event)) return event
      events.push({ event: event.right, position: envelope.position })
    }
    return E.right(undefined)
  }

  /** The events after the tables' position up to `position`, decoded; null when there are too many to fold. */
  const readTail = async (
    from: number,
    position: number,
  ): Promise<E.Either<LedgerError, ReportTail<Ev> | null>> => {
    if (position - from > MAX_TAIL_EVENTS) return E.right(null)
    const events: Decoded = []
    for await (const batch of store.readAll({ fromPosition: from + 1, toPosition: position })) {
      if (E.isLeft(batch)) return batch
      const decoded = decodeOnto(batch.right, events)
      if (E.isLeft(decoded)) return decoded
    }
    return E.right({ from, events })
  }

  const report: ReportTables<Name, Q, R>['report'] = async (name, query, options) => {
    if (runner === null || host === null || options.replay === true || !model.reports.includes(name))
      return null
    const at = await readPosition(options.onProgress)
    if (E.isLeft(at)) return at
    if (at.right === null) return null
    const position =
      options.atPosition === undefined ? at.right.head : Math.min(at.right.head, options.atPosition)
    const tail = position <= at.right.tables ? E.right(undefined) : await readTail(at.right.tables, position)
    if (E.isLeft(tail)) return tail
    if (tail.right === null) return null
    const known =
      query.knownAt === undefined
        ? E.right(position)
        : await lastPositionKnownAt(store, query.knownAt, position)()
    if (E.isLeft(known)) return known
    const load = model.load(name, query, { position, known: known.right }, tail.right)
    if (load === null) return null
    const rows = await host.queryReadModel(load.queries)()
    if (E.isLeft(rows)) return rows
    let state
    try {
      state = load.assemble(rows.right)
    } catch (cause) {
      return E.left(
        domainError(
          'projection-failed',
          `read model ${model.name}: a row does not read back: ${cause instanceof Error ? cause.message : String(cause)}`,
        ),
      )
    }
    if (load.events !== undefined) {
      const events = await readEvents(load.events.positions(state), position)
      if (E.isLeft(events)) return events
      try {
        state = load.events.apply(state, events.right)
      } catch (cause) {
        return E.left(
          domainError(
            'projection-failed',
            `read model ${model.name}: an event does not apply: ${cause instanceof Error ? cause.message : String(cause)}`,
          ),
        )
      }
    }
    const hash = await hashAt(position)
    if (E.isLeft(hash)) return hash
    return E.map((r: R): R & { readonly log: Head } => ({ ...r, log: { position, hash: hash.right } }))(
      reporting.run(state, name, query),
    )
  }

  /**
   * The events at `positions` (up to `upTo`), decoded, in log order: read by the store's `readPositions`,
   * `MAX_READ_POSITIONS` at a time (each read is one query, and on an encrypted store one look-up of the
   * keys its events need; a range of `readAll` per cluster of positions was three round trips each on
   * PostgreSQL).
   */
  const readEvents = async (
    positions: ReadonlyArray<number>,
    upTo: number,
  ): Promise<E.Either<LedgerError, ReportTail<Ev>['events']>> => {
    const wanted = [...new Set(positions)].filter((p) => p >= 1 && p <= upTo).sort((a, b) => a - b)
    const events: Decoded = []
    for (let i = 0; i < wanted.length; i += MAX_READ_POSITIONS) {
      const read = await store.readPositions(wanted.slice(i, i + MAX_READ_POSITIONS))
      if (E.isLeft(read)) return read
      const decoded = decodeOnto(read.right, events)
      if (E.isLeft(decoded)) return decoded
    }
    return E.right(events)
  }

  /** The chained hash of the event at `position` (`""` at 0, the empty log). */
  const hashAt = async (position: number): Promise<E.Either<LedgerError, string>> => {
    if (position === 0) return E.right('')
    for await (const batch of store.readAll({ fromPosition: position, toPosition: position, batchSize: 1 })) {
      if (E.isLeft(batch)) return batch
      const event = batch.right[0]
      if (event !== undefined) return E.right(event.hash)
    }
    return E.right('')
  }

  return {
    report,
    catchUp: (onProgress) => everyModel((r) => r.catchUp(onProgress)),
    rebuild: (onProgress) => everyModel((r) => r.rebuild(onProgress)),
    status: () => async () => {
      if (host === null) return E.right(null)
      const head = await host.headPosition()()
      if (E.isLeft(head)) return head
      const models = []
      for (const m of [...readModels.filter((r) => r.name !== model.name), model]) {
        const kept = await host.loadCheckpoint(readModelCheckpointName(m.name))()
        if (E.isLeft(kept)) return kept
        models.push({
          name: m.name,
          version: m.version,
          kept: kept.right === null ? null : { version: kept.right.version, position: kept.right.position },
        })
      }
      return E.right({ head: head.right, models })
    },
  }
}
