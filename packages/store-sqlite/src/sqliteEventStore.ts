/**
 * The embedded default event store: one SQLite file (better-sqlite3, WAL mode) holding the log, the
 * projection checkpoints and the snapshots. Every append is one `BEGIN IMMEDIATE` transaction, so that
 * several processes writing the same file serialize; the append rules themselves are the kernel's
 * (`planAppend`), applied to a view read inside that transaction.
 */
import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import {
  canonicalJson,
  concurrencyError,
  groupedAppendBatch,
  pagedReadAll,
  readPositionsList,
  planAppends,
  storageError,
  type AppendBatchesOptions,
  type AppendPlans,
  type AppendRequest,
  type AppendView,
  type Checkpoint,
  type CheckpointStore,
  type Envelope,
  type EventStore,
  type Head,
  type HeadWatch,
  type HeadWatcher,
  type ImportSession,
  type Json,
  type KeyedStateStore,
  type KeyStore,
  type ReadAllBatch,
  type ReadAllOptions,
  type ReadModelStore,
  type ReadTree,
  type Snapshot,
  type SnapshotStore,
  type StorageError,
  type StoreError,
} from '@ketnap/kernel'
import { attempt, driverError, sqliteCode, withBusyRetries } from './internal/driverErrors'
import { watchSqliteHead } from './internal/follow'
import { importSessions } from './internal/importSession'
import { EVENT_COLUMNS, insertEnvelope, rowToEnvelope, type EventRow } from './internal/rows'
import { openDatabase } from './internal/schema'
import { prepareKeyedStatements, readKeyedRows, writeKeyedRows } from './internal/keyedState'
import { prepareTreeStatements, treeReader, writeSubtrees } from './internal/storedTree'
import { sqliteReadModels } from './internal/readModels'
import { sqliteKeyStore } from './internal/keyStore'

/** Options of `openSqliteEventStore`. */
export interface SqliteEventStoreOptions {
  /** The store clock, for events without `recordedAt`; default the system clock. */
  readonly now?: () => Date
  /** Generates ids for events without one; default random UUIDs. */
  readonly newId?: () => string
  /** How long a write waits for another connection's lock before SQLITE_BUSY; default 5000 ms. */
  readonly busyTimeoutMs?: number
  /** Envelopes per `readAll` batch when the caller does not say; default 1000. */
  readonly batchSize?: number
  /** Open an existing store without ever writing to it; default false. */
  readonly readonly?: boolean
  /** Called while opening migrates an existing log to the stored tree (events done, of total). */
  readonly onMigrationProgress?: (done: number, total: number) => void
}

/**
 * An event store on one SQLite file: the EventStore, CheckpointStore, SnapshotStore and ReadModelStore
 * ports, and a backup.
 */
export type SqliteEventStore = EventStore &
  CheckpointStore &
  SnapshotStore &
  ReadModelStore &
  HeadWatcher & {
    /** The file the store lives in. */
    readonly path: string
    /** Reads the log's stored tree (the `subtrees` table). */
    readonly readTree: ReadTree
    /** Keeps the write side's keyed state (the `keyed_state` table). */
    readonly keyedState: KeyedStateStore
    /** Keeps subjects' wrapped keys and the encryption marker (the `subject_keys` table). */
    readonly keyStore: KeyStore
    /** Copies the live store, consistently, to a new file (SQLite online backup API). */
    readonly backup: (to: string) => TE.TaskEither<StorageError, void>
  }

/** The default `busyTimeoutMs`. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000

/** The default `batchSize` of `readAll`. */
export const DEFAULT_READ_BATCH_SIZE = 1000

interface HeadRow {
  readonly position: number
  readonly hash: string
  readonly recorded_at: string
}

/** Thrown inside the append transaction (to roll it back) when another writer took a stream version. */
class StreamVersionTaken {
  constructor(
    readonly envelope: Envelope,
    readonly cause: unknown,
  ) {}
}

const isPositiveInteger = (n: number): boolean => Number.isSafeInteger(n) && n > 0

const prepareStatements = (db: Database.Database) => ({
  headRow: db.prepare<[], HeadRow>(
    'SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1',
  ),
  streamVersion: db
    .prepare<[string], number | null>('SELECT max(version) FROM events WHERE stream = ?')
    .pluck(),
  streamVersionUpTo: db
    .prepare<[string, number], number | null>(
      'SELECT max(version) FROM events WHERE stream = ? AND position <= ?',
    )
    .pluck(),
  hasId: db.prepare<[string], number>('SELECT 1 FROM events WHERE id = ?').pluck(),
  insert: db.prepare<EventRow, unknown>(
    `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  readStream: db
    .prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND version >= ? ORDER BY version`,
    )
    .raw(),
  page: db
    .prepare<[number, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?`,
    )
    .raw(),
  // The positions as one JSON array: a primary-key search each.
  positions: db
    .prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position IN (SELECT value FROM json_each(?)) AND position <= ? ORDER BY position`,
    )
    .raw(),
  // The index on recorded_at ends with the rowid, so this is one index seek: the last position known at T.
  lastPositionKnownAt: db
    .prepare<[string], number>(
      'SELECT position FROM events WHERE recorded_at <= ? ORDER BY recorded_at DESC, position DESC LIMIT 1',
    )
    .pluck(),
  loadCheckpoint: db.prepare<[string], Checkpoint>(
    'SELECT name, version, position FROM checkpoints WHERE name = ?',
  ),
  saveCheckpoint: db.prepare<[Checkpoint], unknown>(
    'INSERT INTO checkpoints (name, version, position) VALUES (@name, @version, @position) ' +
      'ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position',
  ),
  loadSnapshot: db.prepare<[string], Checkpoint & { readonly state: string }>(
    'SELECT name, version, position, state FROM snapshots WHERE name = ?',
  ),
  saveSnapshot: db.prepare<[Checkpoint & { readonly state: string }], unknown>(
    'INSERT INTO snapshots (name, version, position, state) VALUES (@name, @version, @position, @state) ' +
      'ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, state = excluded.state',
  ),
})

const makeStore = (
  path: string,
  db: Database.Database,
  options: SqliteEventStoreOptions,
): SqliteEventStore => {
  const stmts = prepareStatements(db)
  const tree = prepareTreeStatements(db)
  const keyed = prepareKeyedStatements(db)
  const clock = { now: options.now ?? (() => new Date()), newId: options.newId ?? randomUUID }
  const defaultBatchSize = options.batchSize ?? DEFAULT_READ_BATCH_SIZE
  let closed = false
  const closedError = (): StorageError => storageError(`${path}: the store is closed`)
  const toEnvelope = rowToEnvelope(path)
  /** The head watches running: a close stops them. */
  const watches = new Set<HeadWatch>()

  /** A synchronous read as a TaskEither: refused once closed, exceptions as StorageErrors. */
  const read =
    <A>(doing: string, f: () => E.Either<StoreError, A>): TE.TaskEither<StoreError, A> =>
    () =>
      Promise.resolve(closed ? E.left(closedError()) : E.flatten(attempt(path, doing, f)))

  // An import session holds the connection's transaction open across awaits: until it ends, every
  // other write through this store object waits (it would otherwise join the import's transaction).
  let session: Promise<void> | null = null
  // Reads through the same connection would see the session's uncommitted events: a read model caught
  // up meanwhile would fold events a rollback then removes, and stand past the log. Until the session
  // ends, the store's reads stop at the head it began at, which is the committed head (its BEGIN
  // IMMEDIATE keeps every other writer out).
  let committed: Head | null = null
  const openSession = importSessions(path, db)
  const afterSession = async (): Promise<void> => {
    while (session !== null) await session
  }

  /** A synchronous write with busy retries, as a TaskEither. */
  const write =
    <A>(
      doing: string,
      f: () => E.Either<StoreError, A>,
      onError: (cause: unknown) => StoreError = (cause) => driverError(path, doing, cause),
    ): TE.TaskEither<StoreError, A> =>
    async () => {
      await afterSession()
      return closed
        ? E.left(closedError())
        : withBusyRetries<StoreError, A>(f, (cause, busy) =>
            busy
              ? storageError(`${path}: ${doing} failed: the file stayed locked by another writer`, cause)
              : onError(cause),
          )
    }

  const beginImport = async (): Promise<E.Either<StoreError, ImportSession>> => {
    await afterSession()
    if (closed) return E.left(closedError())
    let end = (): void => undefined
    session = new Promise<void>((resolve) => {
      end = () => {
        committed = null
        session = null
        resolve()
      }
    })
    // The write side's rows go into the session's transaction (a savepoint each write).
    const keyedInSession: KeyedStateStore = {
      readKeyed: (space, keys) =>
        Promise.resolve(attempt(path, 'reading the write state', () => readKeyedRows(keyed, space, keys))),
      writeKeyed: (space, keyedWrite) =>
        Promise.resolve(
          attempt(path, 'writing the write state', () =>
            db.transaction(() => writeKeyedRows(keyed, space, keyedWrite))(),
          ),
        ),
    }
    return E.map((s: ImportSession): ImportSession => {
      committed = s.head
      return { ...s, keyedState: keyedInSession }
    })(await openSession(end))
  }

  // Outside a session: reads as any read, writes in their own BEGIN IMMEDIATE transaction.
  const keyedState: KeyedStateStore = {
    readKeyed: (space, keys) =>
      read('reading the write state', () => E.right(readKeyedRows(keyed, space, keys)))(),
    writeKeyed: (space, keyedWrite) =>
      write('writing the write state', () =>
        E.right(db.transaction(() => writeKeyedRows(keyed, space, keyedWrite)).immediate()),
      )(),
  }

  const readHead = (): Head => {
    if (committed !== null) return committed
    const row = stmts.headRow.get()
    return row === undefined ? { position: 0, hash: '' } : { position: row.position, hash: row.hash }
  }

  // Every request of a group in one BEGIN IMMEDIATE transaction: one commit, one sync to disk.
  const appendInTransaction = db.transaction(
    (requests: ReadonlyArray<AppendRequest>, batchesOptions: AppendBatchesOptions): AppendPlans => {
      const headRow = stmts.headRow.get()
      const view: AppendView = {
        head:
          headRow === undefined
            ? { position: 0, hash: '' }
            : { position: headRow.position, hash: headRow.hash },
        lastRecordedAt: headRow?.recorded_at ?? null,
        streamVersion: (stream) => stmts.streamVersion.get(stream) ?? 0,
        hasId: (id) => stmts.hasId.get(id) !== undefined,
      }
      const planned = planAppends(view, requests, clock, batchesOptions)
      const size = view.head.position
      for (const envelope of planned.envelopes) {
        try {
          insertEnvelope(stmts.insert, envelope)
        } catch (cause) {
          if (sqliteCode(cause) === 'SQLITE_CONSTRAINT_UNIQUE' && /events\.stream/.test(String(cause))) {
            throw new StreamVersionTaken(envelope, cause)
          }
          throw cause
        }
      }
      writeSubtrees(tree, size, planned.envelopes)
      return planned
    },
  )

  const appendBatches: SqliteEventStore['appendBatches'] =
    (requests, batchesOptions = {}) =>
    async () => {
      const written = await write(
        'appending',
        () => E.right(appendInTransaction.immediate(requests, batchesOptions)),
        (cause) => {
          if (!(cause instanceof StreamVersionTaken)) return driverError(path, 'appending', cause)
          // Cannot happen while every writer uses BEGIN IMMEDIATE; kept so a foreign writer's race still
          // reads as a conflict rather than a driver error.
          const { stream, version } = cause.envelope
          const actual = E.getOrElse(() => version)(
            attempt(path, 'reading', () => stmts.streamVersion.get(stream) ?? 0),
          )
          return concurrencyError(stream, version - 1, actual)
        },
      )()
      // A transaction that failed as a whole (locked, closed, I/O) is every request's answer.
      return E.isLeft(written) ? requests.map(() => written) : written.right.results
    }

  // Calls made in the same tick share one transaction.
  const appendBatch = groupedAppendBatch(appendBatches)

  const readAll = (readOptions: ReadAllOptions = {}): AsyncGenerator<ReadAllBatch> =>
    pagedReadAll(readOptions, defaultBatchSize, {
      closed: () => (closed ? closedError() : null),
      upperBound: ({ toPosition, knownAt }) =>
        Promise.resolve(
          attempt(path, 'reading the log', () => {
            let upper = readHead().position
            if (toPosition !== undefined) upper = Math.min(upper, toPosition)
            if (knownAt !== undefined) upper = Math.min(upper, stmts.lastPositionKnownAt.get(knownAt) ?? 0)
            return upper
          }),
        ),
      page: (from, to, limit) =>
        Promise.resolve(
          E.flatMap(
            attempt(path, 'reading the log', () => stmts.page.all(from, to, limit)),
            E.traverseArray(toEnvelope),
          ),
        ),
    })

  return {
    path,
    ...sqliteReadModels(db, options.readonly ?? false, { read, write }),
    append: (stream, events, appendOptions) =>
      appendBatch([{ stream, events, expectedVersion: appendOptions.expectedVersion }]),
    appendBatch,
    appendBatches,
    beginImport,
    keyedState,
    // Keys are made while an import's session is open (the ledger makes the keys of the persons whose
    // lines the importer is reading): they join its transaction, and are rolled back with it.
    keyStore: sqliteKeyStore(db, options.readonly ?? false, {
      read,
      write: (doing, f) =>
        session === null
          ? write(doing, f)
          : () => Promise.resolve(closed ? E.left(closedError()) : E.flatten(attempt(path, doing, f))),
    }),
    readStream: (stream, readOptions) =>
      read('reading a stream', () => {
        const rows = stmts.readStream.all(stream, Math.max(1, readOptions?.fromVersion ?? 1))
        const upTo = committed?.position
        return E.traverseArray(toEnvelope)(upTo === undefined ? rows : rows.filter((row) => row[0] <= upTo))
      }),
    readAll,
    readPositions: (positions) =>
      read('reading the log', () =>
        E.flatMap(readPositionsList(positions), (wanted) =>
          E.traverseArray(toEnvelope)(stmts.positions.all(JSON.stringify(wanted), readHead().position)),
        ),
      )(),
    readTree: treeReader(path, tree, () => (closed ? closedError() : null)),
    head: () => read('reading the head', () => E.right(readHead())),
    headPosition: () => read('reading the head', () => E.right(readHead().position)),
    watchHead: (onChange, watchOptions) => () => {
      if (closed) return Promise.resolve(E.left(closedError()))
      const watch = watchSqliteHead(db, () => closed, onChange, watchOptions)
      watches.add(watch)
      return Promise.resolve(
        E.right({
          mode: watch.mode,
          stop: () => {
            watches.delete(watch)
            return watch.stop()
          },
        }),
      )
    },
    streamVersion: (stream) =>
      read('reading a stream version', () =>
        E.right(
          (committed === null
            ? stmts.streamVersion.get(stream)
            : stmts.streamVersionUpTo.get(stream, committed.position)) ?? 0,
        ),
      ),
    close: () => async () => {
      if (closed) return E.right(undefined)
      closed = true
      // A watch's timer would otherwise keep running (and the process alive) until its follower stops it.
      for (const watch of watches) await watch.stop()
      watches.clear()
      return attempt(path, 'closing', () => void db.close())
    },
    loadCheckpoint: (name) =>
      read('loading a checkpoint', () => {
        const row = stmts.loadCheckpoint.get(name)
        return E.right(
          row === undefined ? null : { name: row.name, version: row.version, position: row.position },
        )
      }),
    saveCheckpoint: (checkpoint) =>
      write('saving a checkpoint', () => {
        stmts.saveCheckpoint.run({
          name: checkpoint.name,
          version: checkpoint.version,
          position: checkpoint.position,
        })
        return E.right(undefined)
      }),
    loadSnapshot: (name) =>
      read('loading a snapshot', () => {
        const row = stmts.loadSnapshot.get(name)
        if (row === undefined) return E.right(null)
        try {
          const state = JSON.parse(row.state) as Json
          return E.right<StoreError, Snapshot | null>({
            name: row.name,
            version: row.version,
            position: row.position,
            state,
          })
        } catch (cause) {
          return E.left(storageError(`${path}: the snapshot ${name} is not JSON`, cause))
        }
      }),
    saveSnapshot: (snapshot) =>
      write('saving a snapshot', () => {
        stmts.saveSnapshot.run({
          name: snapshot.name,
          version: snapshot.version,
          position: snapshot.position,
          state: canonicalJson(snapshot.state),
        })
        return E.right(undefined)
      }),
    backup: (to) => async () => {
      if (closed) return E.left(closedError())
      try {
        await db.backup(to)
        return E.right(undefined)
      } catch (cause) {
        return E.left(driverError(path, `backing up to ${to}`, cause))
      }
    },
  }
}

/**
 * Opens the ketnap store in the SQLite file at `path`, creating it (or migrating its schema) when needed.
 * A file that is not a ketnap store, or was written by a newer library, is refused with an error naming
 * it, and nothing is written to it.
 */
export const openSqliteEventStore = (
  path: string,
  options: SqliteEventStoreOptions = {},
): TE.TaskEither<StorageError, SqliteEventStore> => {
  const batchSize = options.batchSize ?? DEFAULT_READ_BATCH_SIZE
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
  if (!isPositiveInteger(batchSize)) {
    return TE.left(storageError(`${path}: batchSize must be a positive integer, not ${batchSize}`))
  }
  if (!Number.isFinite(busyTimeoutMs) || busyTimeoutMs < 0) {
    return TE.left(storageError(`${path}: busyTimeoutMs must be a non-negative number, not ${busyTimeoutMs}`))
  }
  return async () =>
    E.chain((db: Database.Database) => {
      const store = attempt(path, 'preparing statements', () => makeStore(path, db, options))
      if (E.isLeft(store)) attempt(path, 'closing', () => db.close())
      return store
    })(
      await openDatabase(path, {
        busyTimeoutMs,
        readonly: options.readonly ?? false,
        ...(options.onMigrationProgress === undefined
          ? {}
          : { onMigrationProgress: options.onMigrationProgress }),
      }),
    )
}
