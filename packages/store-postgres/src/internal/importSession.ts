/**
 * @internal
 * An import's write session on PostgreSQL: one transaction on one pooled connection, holding the events
 * table's write lock (as every append takes it) from the start, so that the head the import planned
 * against cannot move. Lookups and inserts run on that connection; the session ends when the importer
 * commits or rolls back. The transaction's life is `inTransaction`'s, so a connection lost under it is
 * a StorageError of the call that was running, and the server rolls the import back.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import * as E from 'fp-ts/Either'
import {
  continuesHead,
  storageError,
  type Envelope,
  type Head,
  type ImportSession,
  type StoreError,
} from '@ketnap/kernel'
import { writeError } from './driverErrors'
import { envelopesToCopyText, rowToEnvelope, type EventRow } from './rows'
import type { Statements } from './statements'
import { sessionSubtreeWriter, type TreeStatements } from './storedTree'
import { readKeyedRows, writeKeyedRows, type KeyedStatements } from './keyedState'
import { inTransaction } from './transaction'

interface HeadRow {
  readonly position: number
  readonly hash: string
  readonly recorded_at: string
}

/**
 * Writes envelopes with `COPY ... FROM STDIN` on the session's connection, inside its transaction and
 * under its table lock: the fastest way into PostgreSQL (about twice the rows per second of an `unnest`
 * INSERT here), and as all or nothing as any other statement of the transaction. pg-copy-streams gives
 * node-postgres the COPY protocol it lacks (the bench's limit uses it too); a failed COPY (a repeated id,
 * a lost connection) rejects, and aborts the transaction like a failed INSERT.
 */
const copyEnvelopes = (
  client: pg.PoolClient,
  sql: Statements,
  envelopes: ReadonlyArray<Envelope>,
  dataJson: ReadonlyArray<string> | undefined,
): Promise<void> =>
  envelopes.length === 0
    ? Promise.resolve()
    : pipeline(
        Readable.from([envelopesToCopyText(envelopes, dataJson)]),
        client.query(copyFrom(sql.copyEvents)),
      )

/** Opens an import session on a pool. @internal */
export const openImportSession = (
  pool: pg.Pool,
  where: string,
  sql: Statements,
  tree: TreeStatements,
  keyed: KeyedStatements,
  beforeCommit?: (client: pg.PoolClient, position: number) => Promise<void>,
  /** Told the session's connection while the import may write through it, then null. */
  onClient?: (client: pg.PoolClient | null) => void,
): Promise<E.Either<StoreError, ImportSession>> =>
  new Promise((resolve) => {
    const toEnvelope = rowToEnvelope(where)
    let opened = false
    // How the importer ends the session: true to commit.
    let finish: (commit: boolean) => void = () => undefined
    const decided = new Promise<boolean>((r) => (finish = r))
    const rolledBack = Symbol('rolled back')

    const done = inTransaction<StoreError | typeof rolledBack, Head>(
      pool,
      async (client) => {
        try {
          return await inSession(client)
        } finally {
          onClient?.(null)
        }
      },
      (cause, stage) =>
        stage === 'committing'
          ? storageError(
              `${where}: committing the import failed, and whether it was stored is unknown; check the head before importing again`,
              cause,
            )
          : writeError(where, 'importing', cause),
    )
    async function inSession(client: pg.PoolClient): Promise<E.Either<StoreError | typeof rolledBack, Head>> {
      await client.query(sql.lockEvents)
      onClient?.(client)
      const row = (await client.query<HeadRow>(sql.headRow)).rows[0]
      const start: Head =
        row === undefined ? { position: 0, hash: '' } : { position: row.position, hash: row.hash }
      let head = start
      const writeSubtrees = sessionSubtreeWriter(client, tree)
      let failed: StoreError | null = null
      const ended = (): E.Either<StoreError, never> =>
        E.left(storageError(`${where}: the import's session has ended`))
      let open = true
      // A failed statement aborts the transaction: every later call is refused with the first failure.
      const guarded = async <A>(doing: string, f: () => Promise<E.Either<StoreError, A>>) => {
        if (!open) return ended()
        if (failed !== null) return E.left(failed)
        try {
          return await f()
        } catch (cause) {
          failed = writeError(where, doing, cause)
          return E.left(failed)
        }
      }
      opened = true
      resolve(
        E.right({
          head: start,
          lastRecordedAt: row?.recorded_at ?? null,
          lookup: (streams, ids) =>
            guarded('reading the log', async () => {
              const versions = new Map<string, number>(streams.map((s) => [s, 0]))
              if (streams.length > 0)
                for (const r of (
                  await client.query<{ stream: string; version: number }>(sql.streamVersions, [streams])
                ).rows)
                  versions.set(r.stream, r.version)
              const rows = ids.length === 0 ? [] : (await client.query<EventRow>(sql.eventsByIds, [ids])).rows
              return E.map((envelopes: ReadonlyArray<Envelope>) => ({
                versions,
                events: new Map(envelopes.map((e) => [e.id, e])),
              }))(E.traverseArray(toEnvelope)(rows))
            }),
          write: (envelopes, dataJson) =>
            guarded('importing', async () => {
              const next = continuesHead(head, envelopes)
              if (E.isLeft(next)) return next
              await copyEnvelopes(client, sql, envelopes, dataJson)
              await writeSubtrees(head.position, envelopes)
              head = next.right
              return E.right(undefined)
            }),
          // The write side's rows, on the session's connection: committed or rolled back with it.
          keyedState: {
            readKeyed: (space, keys) =>
              guarded('reading the write state', async () =>
                E.right(await readKeyedRows(client, keyed, space, keys)),
              ),
            writeKeyed: (space, keyedWrite) =>
              guarded('writing the write state', async () =>
                E.right(await writeKeyedRows(client, keyed, space, keyedWrite)),
              ),
          },
          commit: async () => {
            if (!open) return ended()
            open = false
            finish(failed === null)
            const result = await done
            if (failed !== null) return E.left(failed)
            return E.isLeft(result)
              ? E.left(
                  result.left === rolledBack
                    ? storageError(`${where}: the import was rolled back`)
                    : result.left,
                )
              : result
          },
          rollback: async () => {
            if (!open) return E.right(undefined)
            open = false
            finish(false)
            await done
            return E.right(undefined)
          },
        }),
      )
      const commit = await decided
      onClient?.(null)
      // Followers are woken at COMMIT by what the transaction sends (internal/follow.ts).
      if (commit && beforeCommit !== undefined) await beforeCommit(client, head.position)
      return commit ? E.right(head) : E.left(rolledBack)
    }
    // A session that could not even begin (no connection, the lock): its error is the answer.
    void done.then((result) => {
      if (!opened)
        resolve(
          E.isLeft(result) && result.left !== rolledBack
            ? E.left(result.left)
            : E.left(storageError(`${where}: the import's session could not begin`)),
        )
    })
  })
