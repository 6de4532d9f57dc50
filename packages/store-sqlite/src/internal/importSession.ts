/**
 * @internal
 * An import's write session on SQLite: one `BEGIN IMMEDIATE` transaction held while the importer checks
 * a file chunk by chunk. Every chunk's lookups read inside it (the session's own writes included) and
 * every clean chunk is inserted into it, so an import of any size is written in bounded memory and
 * still all or nothing: WAL mode keeps the uncommitted pages in the write-ahead log on disk, not in
 * memory. Only the transaction's owner writes: the store makes its other writes wait until the session
 * ends.
 */
import type Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import {
  continuesHead,
  storageError,
  type Envelope,
  type Head,
  type ImportSession,
  type StoreError,
} from '@ketnap/kernel'
import { attempt, driverError, withBusyRetries } from './driverErrors'
import { EVENT_COLUMNS, insertEnvelope, rowToEnvelope, type EventRow } from './rows'
import { prepareTreeStatements, sessionSubtreeWriter, type TreeStatements } from './storedTree'

interface HeadRow {
  readonly position: number
  readonly hash: string
  readonly recorded_at: string
}

/** The statements a session runs (prepared once per store). */
const prepareSessionStatements = (db: Database.Database) => ({
  begin: db.prepare('BEGIN IMMEDIATE'),
  commit: db.prepare('COMMIT'),
  rollback: db.prepare('ROLLBACK'),
  headRow: db.prepare<[], HeadRow>(
    'SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1',
  ),
  // The streams and ids of a chunk are passed as one JSON array, read with json_each: one statement
  // whatever the chunk's size, and the (stream, version) and id indexes still serve the lookups.
  versions: db
    .prepare<[string], [string, number]>(
      'SELECT stream, max(version) FROM events WHERE stream IN (SELECT value FROM json_each(?)) GROUP BY stream',
    )
    .raw(),
  byIds: db
    .prepare<[string], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE id IN (SELECT value FROM json_each(?))`,
    )
    .raw(),
  insert: db.prepare<EventRow, unknown>(
    `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
})

/** The prepared statements of a session. */
type SessionStatements = ReturnType<typeof prepareSessionStatements>

/**
 * Opens a session on a connection: begins the transaction (waiting out another process's lock as
 * appends do) and calls `onEnd` once it is committed or rolled back.
 */
const openImportSession = async (
  path: string,
  db: Database.Database,
  stmts: SessionStatements,
  tree: TreeStatements,
  onEnd: () => void,
): Promise<E.Either<StoreError, ImportSession>> => {
  const begun = await withBusyRetries<StoreError, HeadRow | undefined>(
    () => {
      stmts.begin.run()
      try {
        return E.right(stmts.headRow.get())
      } catch (cause) {
        stmts.rollback.run()
        throw cause
      }
    },
    (cause, busy) =>
      busy
        ? storageError(`${path}: beginning an import failed: the file stayed locked by another writer`, cause)
        : driverError(path, 'beginning an import', cause),
  )
  if (E.isLeft(begun)) {
    onEnd()
    return begun
  }
  const start: Head =
    begun.right === undefined
      ? { position: 0, hash: '' }
      : { position: begun.right.position, hash: begun.right.hash }
  let head = start
  let open = true
  const writeSubtrees = sessionSubtreeWriter(tree)
  const toEnvelope = rowToEnvelope(path)
  const ended = (): E.Either<StoreError, never> =>
    E.left(storageError(`${path}: the import's session has ended`))

  const end = (statement: 'commit' | 'rollback', doing: string): E.Either<StoreError, void> => {
    if (!open) return statement === 'rollback' ? E.right(undefined) : ended()
    open = false
    const done = attempt(path, doing, () => void stmts[statement].run())
    // A failed COMMIT leaves the transaction open: roll it back, so the connection is usable again.
    if (E.isLeft(done) && db.inTransaction) attempt(path, 'rolling back', () => void stmts.rollback.run())
    onEnd()
    return done
  }

  return E.right({
    head: start,
    lastRecordedAt: begun.right?.recorded_at ?? null,
    lookup: (streams, ids) => {
      if (!open) return Promise.resolve(ended())
      return Promise.resolve(
        E.flatten(
          attempt(path, 'reading the log', () => {
            const versions = new Map<string, number>(
              streams.length === 0 ? [] : stmts.versions.all(JSON.stringify(streams)),
            )
            for (const stream of streams) if (!versions.has(stream)) versions.set(stream, 0)
            const rows = ids.length === 0 ? [] : stmts.byIds.all(JSON.stringify(ids))
            return E.map((envelopes: ReadonlyArray<Envelope>) => ({
              versions,
              events: new Map(envelopes.map((e) => [e.id, e])),
            }))(E.traverseArray(toEnvelope)(rows))
          }),
        ),
      )
    },
    write: (envelopes, dataJson) => {
      if (!open) return Promise.resolve(ended())
      const next = continuesHead(head, envelopes)
      if (E.isLeft(next)) return Promise.resolve(next)
      const written = attempt(path, 'importing', () => {
        for (let i = 0; i < envelopes.length; i++)
          insertEnvelope(stmts.insert, envelopes[i] as Envelope, dataJson?.[i])
        writeSubtrees(head.position, envelopes)
      })
      if (E.isRight(written)) head = next.right
      return Promise.resolve(written)
    },
    commit: () => Promise.resolve(E.map(() => head)(end('commit', 'committing the import'))),
    rollback: () => Promise.resolve(end('rollback', 'rolling back the import')),
  })
}

/**
 * Prepares a store's session statements once and returns how to open a session; `onEnd` is called once
 * the session is committed or rolled back. @internal
 */
export const importSessions = (
  path: string,
  db: Database.Database,
): ((onEnd: () => void) => Promise<E.Either<StoreError, ImportSession>>) => {
  const stmts = prepareSessionStatements(db)
  const tree = prepareTreeStatements(db)
  return (onEnd) => openImportSession(path, db, stmts, tree, onEnd)
}
