/**
 * The PostgreSQL event store: the log, the projection checkpoints and the snapshots in tables of one
 * schema, through a node-postgres pool. Every append is one transaction that first locks the events table
 * against other writers, so that positions are assigned in commit order without gaps; the append rules
 * themselves are the kernel's (`planAppend`), applied to a view read inside that transaction.
 */
import { randomUUID } from 'node:crypto'
import { loadPg } from './internal/driver'
import type pg from 'pg'
import * as E from 'fp-ts/Either'
import * as TE from 'fp-ts/TaskEither'
import {
  canonicalJson,
  concurrencyError,
  pagedReadAll,
  readPositionsList,
  groupedAppendBatch,
  planAppends,
  storageError,
  type AppendBatchesOptions,
  type AppendPlan,
  type AppendPlans,
  type HeadWatch,
  type HeadWatcher,
  type AppendRequest,
  type AppendView,
  type CheckpointStore,
  type Envelope,
  type EventStore,
  type Head,
  type KeyStore,
  type Json,
  type ReadAllBatch,
  type ReadAllOptions,
  type ReadModelStore,
  type ReadTree,
  type Snapshot,
  type SnapshotStore,
  type StorageError,
  type StoreError,
  type StreamAppend,
} from '@ketnap/kernel'
import {
  attempt,
  describeServer,
  driverError,
  isConnectionLoss,
  sqlState,
  UNIQUE_VIOLATION,
  writeError,
} from './internal/driverErrors'
import { envelopesToColumns, rowToEnvelope, type EventRow } from './internal/rows'
import { DEFAULT_SCHEMA, isSchemaName, prepareSchema, quoteIdent } from './internal/schema'
import { statementsFor } from './internal/statements'
import { notifyHead, watchPostgresHead } from './internal/follow'
import { openImportSession } from './internal/importSession'
import { readEventHashes, readSubtrees, treeStatementsFor, writeSubtrees } from './internal/storedTree'
import { inTransaction, pooledQuery } from './internal/transaction'
import { keyedStatementsFor, readKeyedRows, writeKeyedRows } from './internal/keyedState'
import { postgresKeyStore } from './internal/keyStore'
import { postgresReadModels } from './internal/readModels'

/** Options of `openPostgresEventStore`. */
export interface PostgresEventStoreOptions {
  /** libpq connection string, e.g. `postgres://ketnap@db.example/ketnap`. */
  readonly connectionString: string
  /** The schema holding the store's tables, created when missing; default `ketnap`. */
  readonly schema?: string
  /** The store clock, for events without `recordedAt`; default the system clock. */
  readonly now?: () => Date
  /** Generates ids for events without one; default random UUIDs. */
  readonly newId?: () => string
  /** Envelopes per `readAll` batch when the caller does not say; default 1000. */
  readonly batchSize?: number
  /** Connections in the pool; default 10. */
  readonly poolSize?: number
  /** Open an existing store and never write to it (no schema creation or migration either); default false. */
  readonly readonly?: boolean
  /** Called while opening migrates an existing log to the stored tree (events done, of total). */
  readonly onMigrationProgress?: (done: number, total: number) => void
}

/** An event store in a PostgreSQL schema: the EventStore, CheckpointStore, SnapshotStore and ReadModelStore ports. */
export type PostgresEventStore = EventStore &
  CheckpointStore &
  SnapshotStore &
  ReadModelStore &
  HeadWatcher & {
    /** The schema the store lives in. */
    readonly schema: string
    /** Reads the log's stored tree (the `subtrees` table). */
    readonly readTree: ReadTree
    /** Keeps subjects' wrapped keys and the encryption marker (the `subject_keys` table). */
    readonly keyStore: KeyStore
  }

/** The default `batchSize` of `readAll`. */
export const DEFAULT_POSTGRES_READ_BATCH_SIZE = 1000

/** The default `poolSize`. */
export const DEFAULT_POOL_SIZE = 10

/** Rows per INSERT statement of an append, so that one statement's parameters stay a few megabytes. */
const INSERT_CHUNK = 5000

interface HeadRow {
  readonly position: number
  readonly hash: string
  readonly recorded_at: string
}

const isPositiveInteger = (n: number): boolean => Number.isSafeInteger(n) && n > 0

/** bigint columns (positions) as numbers: a log never reaches 2^53 events. */
const poolTypes = (driver: typeof pg): pg.CustomTypesConfig => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === driver.types.builtins.INT8 && format !== 'binary'
      ? (text: string) => Number(text)
      : driver.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
})

/** The streams and ids a batch names, as PostgreSQL text can hold them (the planner validates the rest). */
const keysOf = (
  batch: ReadonlyArray<StreamAppend>,
): { readonly streams: string[]; readonly ids: string[] } => {
  const storable = (s: unknown): s is string => typeof s === 'string' && !s.includes('\u0000')
  const streams = new Set<string>()
  const ids = new Set<string>()
  if (!Array.isArray(batch)) return { streams: [], ids: [] }
  for (const part of batch as ReadonlyArray<Partial<StreamAppend> | null>) {
    if (typeof part !== 'object' || part === null) continue
    if (storable(part.stream)) streams.add(part.stream)
    if (!Array.isArray(part.events)) continue
    for (const event of part.events as ReadonlyArray<{ id?: unknown } | null>) {
      const id = typeof event === 'object' && event !== null ? event.id : undefined
      if (storable(id)) ids.add(id)
    }
  }
  return { streams: [...streams], ids: [...ids] }
}

const makeStore = (
  pool: pg.Pool,
  schema: string,
  where: string,
  options: PostgresEventStoreOptions,
): PostgresEventStore => {
  const sql = statementsFor(schema)
  const tree = treeStatementsFor(quoteIdent(schema))
  const keyed = keyedStatementsFor(quoteIdent(schema))
  const clock = { now: options.now ?? (() => new Date()), newId: options.newId ?? randomUUID }
  const defaultBatchSize = options.batchSize ?? DEFAULT_POSTGRES_READ_BATCH_SIZE
  const toEnvelope = rowToEnvelope(where)
  let closed = false
  // The connection of the import open in this process, if any (its keys are written through it).
  let importClient: pg.PoolClient | null = null
  const closedError = (): StorageError => storageError(`${where}: the store is closed`)
  const readonly = options.readonly ?? false
  const readonlyError = (): StorageError => storageError(`${where}: the store is open read-only`)
  /** The head watches running: a close stops them (each holds a connection of the pool). */
  const watches = new Set<HeadWatch>()

  /** A query as a TaskEither: refused once closed, exceptions as StorageErrors. */
  const run =
    <A>(doing: string, f: () => Promise<E.Either<StoreError, A>>): TE.TaskEither<StoreError, A> =>
    async () =>
      closed ? E.left(closedError()) : E.flatten(await attempt(where, doing, f))

  /** A write as a TaskEither: refused by a read-only store. */
  const write =
    <A>(doing: string, f: () => Promise<E.Either<StoreError, A>>): TE.TaskEither<StoreError, A> =>
    async () =>
      readonly && !closed ? E.left(readonlyError()) : run(doing, f)()

  const query = <R extends pg.QueryResultRow>(
    text: string,
    values?: ReadonlyArray<unknown>,
  ): Promise<pg.QueryResult<R>> => pooledQuery<R>(pool, text, values)

  const readHead = async (): Promise<Head> => {
    const row = (await query<HeadRow>(sql.headRow)).rows[0]
    return row === undefined ? { position: 0, hash: '' } : { position: row.position, hash: row.hash }
  }

  const readStreamVersion = async (stream: string): Promise<number> =>
    (await query<{ version: number }>(sql.streamVersion, [stream])).rows[0]?.version ?? 0

  /**
   * A unique violation cannot happen while every writer takes the table lock; should one that bypassed
   * the store race an append anyway, it reads as a conflict on the first stream that moved, never as a
   * driver error.
   */
  const conflictOf = async (plan: AppendPlan, cause: unknown): Promise<StoreError> => {
    const firstOfStream = new Map<string, Envelope>()
    for (const e of plan.envelopes) if (!firstOfStream.has(e.stream)) firstOfStream.set(e.stream, e)
    try {
      let reported: StoreError | undefined
      for (const e of firstOfStream.values()) {
        const actual = await readStreamVersion(e.stream)
        if (actual !== e.version - 1) return concurrencyError(e.stream, e.version - 1, actual)
        reported ??= concurrencyError(e.stream, e.version - 1, actual)
      }
      return reported ?? driverError(where, 'appending', cause)
    } catch {
      return driverError(where, 'appending', cause)
    }
  }

  // Every request of a group in one transaction under the table lock: one commit for all of them.
  const appendInTransaction =
    (
      requests: ReadonlyArray<AppendRequest>,
      batchesOptions: AppendBatchesOptions,
    ): TE.TaskEither<StoreError, AppendPlans> =>
    async () => {
      if (closed) return E.left(closedError())
      if (readonly) return E.left(readonlyError())
      let plan: AppendPlan | undefined
      return inTransaction<StoreError, AppendPlans>(
        pool,
        async (client) => {
          await client.query(sql.lockEvents)
          const headRow = (await client.query<HeadRow>(sql.headRow)).rows[0]
          const { streams, ids } = keysOf(requests.flat())
          const versions = new Map<string, number>()
          if (streams.length > 0) {
            const rows = await client.query<{ stream: string; version: number }>(sql.streamVersions, [
              streams,
            ])
            for (const row of rows.rows) versions.set(row.stream, row.version)
          }
          const known = new Set<string>()
          if (ids.length > 0) {
            for (const row of (await client.query<{ id: string }>(sql.knownIds, [ids])).rows)
              known.add(row.id)
          }
          const view: AppendView = {
            head:
              headRow === undefined
                ? { position: 0, hash: '' }
                : { position: headRow.position, hash: headRow.hash },
            lastRecordedAt: headRow?.recorded_at ?? null,
            streamVersion: (stream) => versions.get(stream) ?? 0,
            hasId: (id) => known.has(id),
          }
          const planned = planAppends(view, requests, clock, batchesOptions)
          plan = { envelopes: planned.envelopes, skipped: [] }
          const { envelopes } = planned
          for (let i = 0; i < envelopes.length; i += INSERT_CHUNK) {
            await client.query(sql.insert, envelopesToColumns(envelopes.slice(i, i + INSERT_CHUNK)))
          }
          await writeSubtrees(client, tree, view.head.position, envelopes)
          if (envelopes.length > 0)
            await notifyHead(client, schema, envelopes[envelopes.length - 1]?.position ?? 0)
          return E.right(planned)
        },
        (cause, stage) =>
          sqlState(cause) === UNIQUE_VIOLATION && plan !== undefined
            ? conflictOf(plan, cause)
            : stage === 'committing' && isConnectionLoss(cause)
              ? storageError(
                  `${where}: appending failed: the connection to the server was lost during COMMIT, so ` +
                    `whether the events were stored is unknown; read the stream (or the head) before ` +
                    `appending them again`,
                  cause,
                )
              : writeError(where, 'appending', cause),
      )
    }

  const appendBatches: PostgresEventStore['appendBatches'] =
    (requests, batchesOptions = {}) =>
    async () => {
      const written = await appendInTransaction(requests, batchesOptions)()
      // A transaction that failed as a whole (the connection, the lock, the commit) is every request's answer.
      return E.isLeft(written) ? requests.map(() => written) : written.right.results
    }

  // Calls that arrive while a transaction is being written share the next one.
  const appendBatch = groupedAppendBatch(appendBatches)

  // Keyset pagination on the primary key: each page is one index range scan, no transaction is held
  // between pages, and memory holds one page.
  const readAll = (readOptions: ReadAllOptions = {}): AsyncGenerator<ReadAllBatch> =>
    pagedReadAll(readOptions, defaultBatchSize, {
      closed: () => (closed ? closedError() : null),
      upperBound: ({ toPosition, knownAt }) =>
        attempt(where, 'reading the log', async () => {
          let upper = (await readHead()).position
          if (toPosition !== undefined) upper = Math.min(upper, toPosition)
          if (knownAt !== undefined && upper > 0) {
            const row = (await query<{ position: number }>(sql.lastPositionKnownAt, [knownAt])).rows[0]
            upper = Math.min(upper, row?.position ?? 0)
          }
          return upper
        }),
      page: async (from, to, limit) =>
        E.flatMap(
          await attempt(
            where,
            'reading the log',
            async () => (await query<EventRow>(sql.page, [from, to, limit])).rows,
          ),
          E.traverseArray(toEnvelope),
        ),
    })

  return {
    schema,
    ...postgresReadModels(pool, schema, where, readonly, () => closed),
    append: (stream, events, appendOptions) =>
      appendBatch([{ stream, events, expectedVersion: appendOptions.expectedVersion }]),
    appendBatch,
    appendBatches,
    beginImport: () =>
      closed
        ? Promise.resolve(E.left(closedError()))
        : readonly
          ? Promise.resolve(E.left(readonlyError()))
          : openImportSession(
              pool,
              where,
              sql,
              tree,
              keyed,
              (client, position) => notifyHead(client, schema, position),
              (client) => {
                importClient = client
              },
            ),
    // While an import is open, the keys made for its lines go into its transaction (as on SQLite): a
    // failed import leaves none behind, and a rotation waits for it rather than deadlocking with it.
    keyStore: postgresKeyStore(quoteIdent(schema), {
      session: () => importClient,
      query,
      read: run,
      write,
      transaction: <A>(body: (client: pg.PoolClient) => Promise<E.Either<StoreError, A>>) =>
        inTransaction<StoreError, A>(pool, body, (cause) => writeError(where, 'writing subject keys', cause)),
    }),
    keyedState: {
      readKeyed: (space, keys) =>
        run('reading the write state', async () =>
          E.right(await readKeyedRows({ query }, keyed, space, keys)),
        )(),
      writeKeyed: (space, keyedWrite) =>
        write('writing the write state', () =>
          inTransaction<StoreError, boolean>(
            pool,
            async (client) => E.right(await writeKeyedRows(client, keyed, space, keyedWrite)),
            (cause) => writeError(where, 'writing the write state', cause),
          ),
        )(),
    },
    readStream: (stream, readOptions) =>
      run('reading a stream', async () =>
        E.traverseArray(toEnvelope)(
          (await query<EventRow>(sql.readStream, [stream, Math.max(1, readOptions?.fromVersion ?? 1)])).rows,
        ),
      ),
    readAll,
    readPositions: (positions) =>
      run('reading the log', async () => {
        const wanted = readPositionsList(positions)
        if (E.isLeft(wanted)) return wanted
        return E.traverseArray(toEnvelope)((await query<EventRow>(sql.positions, [wanted.right])).rows)
      })(),
    readTree: (request) =>
      run('reading the stored tree', async () => {
        const pooled = { query }
        const subtrees = await readSubtrees(pooled, tree, request.subtrees)
        const leaves: string[][] = []
        for (const r of request.leaves) leaves.push(await readEventHashes(pooled, tree, r.start, r.end))
        return E.right({ subtrees, leaves })
      })(),
    head: () => run('reading the head', async () => E.right(await readHead())),
    headPosition: () => run('reading the head', async () => E.right((await readHead()).position)),
    watchHead: (onChange, watchOptions) => async () => {
      if (closed) return E.left(closedError())
      const started = await watchPostgresHead(
        pool,
        schema,
        () => run('reading the head', async () => E.right((await readHead()).position))(),
        onChange,
        watchOptions,
      )
      if (E.isLeft(started)) return started
      const watch = started.right
      // Closed meanwhile: the close did not see this watch, so it ends here.
      if (closed) {
        await watch.stop()
        return E.left(closedError())
      }
      watches.add(watch)
      return E.right({
        mode: watch.mode,
        stop: async () => {
          watches.delete(watch)
          await watch.stop()
        },
      })
    },
    streamVersion: (stream) =>
      run('reading a stream version', async () => E.right(await readStreamVersion(stream))),
    close: () => async () => {
      if (closed) return E.right(undefined)
      closed = true
      // A watch holds a connection of the pool, which would keep pool.end() waiting for ever.
      for (const watch of watches) await watch.stop()
      watches.clear()
      return attempt(where, 'closing', () => pool.end())
    },
    loadCheckpoint: (name) =>
      run('loading a checkpoint', async () => {
        const row = (
          await query<{ name: string; version: number; position: number }>(sql.loadCheckpoint, [name])
        ).rows[0]
        return E.right(
          row === undefined ? null : { name: row.name, version: row.version, position: row.position },
        )
      }),
    saveCheckpoint: (checkpoint) =>
      write('saving a checkpoint', async () => {
        await query(sql.saveCheckpoint, [checkpoint.name, checkpoint.version, checkpoint.position])
        return E.right(undefined)
      }),
    loadSnapshot: (name) =>
      run('loading a snapshot', async () => {
        const row = (
          await query<{ name: string; version: number; position: number; state: string }>(sql.loadSnapshot, [
            name,
          ])
        ).rows[0]
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
          return E.left(storageError(`${where}: the snapshot ${name} is not JSON`, cause))
        }
      }),
    saveSnapshot: (snapshot) =>
      write('saving a snapshot', async () => {
        await query(sql.saveSnapshot, [
          snapshot.name,
          snapshot.version,
          snapshot.position,
          canonicalJson(snapshot.state),
        ])
        return E.right(undefined)
      }),
  }
}

/**
 * Opens the ketnap store in a schema of a PostgreSQL database, creating the schema and its tables (or
 * migrating them) when needed. A schema written by a newer library, or holding tables that are not a
 * ketnap store, is refused with an error naming it, and nothing is changed.
 */
export const openPostgresEventStore = (
  options: PostgresEventStoreOptions,
): TE.TaskEither<StorageError, PostgresEventStore> => {
  const schema = options.schema ?? DEFAULT_SCHEMA
  const where = describeServer(String(options.connectionString), schema)
  const batchSize = options.batchSize ?? DEFAULT_POSTGRES_READ_BATCH_SIZE
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE
  if (typeof options.connectionString !== 'string' || options.connectionString === '') {
    return TE.left(storageError('connectionString must be a non-empty string'))
  }
  if (typeof schema !== 'string' || !isSchemaName(schema)) {
    return TE.left(
      storageError(
        `schema ${JSON.stringify(schema)} is not accepted: use lower-case letters, digits and _ (at most 63)`,
      ),
    )
  }
  if (!isPositiveInteger(batchSize)) {
    return TE.left(storageError(`${where}: batchSize must be a positive integer, not ${batchSize}`))
  }
  if (!isPositiveInteger(poolSize)) {
    return TE.left(storageError(`${where}: poolSize must be a positive integer, not ${poolSize}`))
  }
  return async () => {
    let pool: pg.Pool
    try {
      const driver = await loadPg()
      pool = new driver.Pool({
        connectionString: options.connectionString,
        max: poolSize,
        types: poolTypes(driver),
        application_name: 'ketnap',
      })
    } catch (cause) {
      return E.left(driverError(where, 'connecting', cause))
    }
    // An idle connection that breaks (a terminated backend, a server restart) is reported by the pool as an
    // event, and the pool drops it; without a listener Node would end the process. Connections in use are
    // listened to by the call using them (internal/transaction.ts), whose answer carries the error.
    pool.on('error', () => undefined)
    const prepared = await prepareSchema(
      pool,
      schema,
      where,
      options.readonly ?? false,
      options.onMigrationProgress,
    )
    if (E.isLeft(prepared)) {
      await pool.end().catch(() => undefined)
      return prepared
    }
    return E.right(makeStore(pool, schema, where, options))
  }
}
