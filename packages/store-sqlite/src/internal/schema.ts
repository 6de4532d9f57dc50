/**
 * @internal
 * The store's schema and its migrations. The schema version lives in the `ketnap_schema` table; a file
 * whose version is newer than this library knows is refused, an older one is migrated in place.
 */
import { existsSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { storageError, type StorageError } from '@ketnap/kernel'
import { driverError, isBusy, sqliteCode, withBusyRetries } from './driverErrors'
import { inspectFile, KETNAP_APPLICATION_ID } from './fileCheck'
import { fillSubtrees } from './storedTree'

/**
 * The migrations, in order: `MIGRATIONS[i]` takes a file from schema version `i` to `i + 1`. Append
 * new ones; never edit a released one.
 * @internal
 */
export const MIGRATIONS: ReadonlyArray<string> = [
  `
  CREATE TABLE events (
    position       INTEGER PRIMARY KEY,
    stream         TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    id             TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    data           TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    actor          TEXT,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL
  );
  CREATE UNIQUE INDEX events_stream_version ON events (stream, version);
  CREATE UNIQUE INDEX events_id ON events (id);
  CREATE INDEX events_recorded_at ON events (recorded_at);
  CREATE TABLE checkpoints (
    name     TEXT    PRIMARY KEY,
    version  INTEGER NOT NULL,
    position INTEGER NOT NULL
  );
  CREATE TABLE snapshots (
    name     TEXT    PRIMARY KEY,
    version  INTEGER NOT NULL,
    position INTEGER NOT NULL,
    state    TEXT    NOT NULL
  );
  `,
  // Version 2: the log's stored tree (kernel `storedTree.ts`), filled for the existing log by
  // `fillSubtrees` in the same transaction.
  `
  CREATE TABLE subtrees (
    height INTEGER NOT NULL,
    idx    INTEGER NOT NULL,
    hash   BLOB    NOT NULL,
    PRIMARY KEY (height, idx)
  ) WITHOUT ROWID;
  `,
  // Version 3: the write side's keyed state (kernel `keyedState.ts`): rows of bytes by space and key,
  // each with the log position its writer stood at.
  `
  CREATE TABLE keyed_state (
    space    TEXT    NOT NULL,
    key      TEXT    NOT NULL,
    position INTEGER NOT NULL,
    value    BLOB    NOT NULL,
    PRIMARY KEY (space, key)
  ) WITHOUT ROWID;
  `,
  // Version 4: subjects' data keys wrapped by the master key (kernel `keyStore.ts`); a NULL key is a
  // destroyed one (a tombstone), the empty subject the store's encryption marker.
  `
  CREATE TABLE subject_keys (
    subject TEXT PRIMARY KEY,
    wrapped BLOB
  ) WITHOUT ROWID;
  `,
]

/** The schema version whose migration created `subtrees`: filled for the existing log right after it. */
const STORED_TREE_VERSION = 2

/**
 * The schema version this library writes and understands.
 * @internal
 */
export const SCHEMA_VERSION = MIGRATIONS.length

/** Options of `openDatabase`. @internal */
export interface OpenDatabaseOptions {
  readonly busyTimeoutMs: number
  readonly readonly: boolean
  /** Called while a migration fills the stored tree of an existing log (events done, of total). */
  readonly onMigrationProgress?: (done: number, total: number) => void
}

/**
 * The page size of a new store file, in bytes (an existing file keeps its own). An import is one
 * transaction, so its pages pile up in the WAL until it commits, and SQLite finds a page there by probing
 * one hash table per 4,096 frames, newest first: with 4 KiB pages a national import's WAL reached about
 * 3.5 million frames and every page read outside SQLite's cache probed some 850 tables. Larger pages make
 * fewer frames and shallower B-trees (D50, docs/performance.md).
 */
export const STORE_PAGE_SIZE = 32_768

const schemaTableExists = (db: Database.Database): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ketnap_schema'`).get() !==
  undefined

const readSchemaVersion = (db: Database.Database): number | null => {
  if (!schemaTableExists(db)) return null
  const row = db.prepare('SELECT version FROM ketnap_schema').get() as { version: unknown } | undefined
  return typeof row?.version === 'number' ? row.version : null
}

/** Brings the schema to SCHEMA_VERSION inside one write transaction (another process may be doing the same). */
const migrate = (db: Database.Database, onProgress?: (done: number, total: number) => void): void => {
  db.transaction(() => {
    let version = readSchemaVersion(db)
    if (version === null) {
      db.pragma(`application_id = ${KETNAP_APPLICATION_ID}`)
      db.exec('CREATE TABLE ketnap_schema (version INTEGER NOT NULL)')
      db.prepare('INSERT INTO ketnap_schema (version) VALUES (0)').run()
      version = 0
    }
    for (let v = version; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v] ?? '')
      if (v + 1 === STORED_TREE_VERSION) fillSubtrees(db, onProgress)
    }
    if (version < SCHEMA_VERSION) db.prepare('UPDATE ketnap_schema SET version = ?').run(SCHEMA_VERSION)
  }).immediate()
}

const closeQuietly = (db: Database.Database): void => {
  try {
    db.close()
  } catch {
    // Closing is best effort after a failed open; the failure is what gets reported.
  }
}

/** Why opening failed, saying plainly when the file or its directory cannot be written by this user. */
const openError = (path: string, options: OpenDatabaseOptions, cause: unknown): StorageError =>
  !options.readonly && (sqliteCode(cause) ?? '').startsWith('SQLITE_READONLY')
    ? storageError(
        `${path} cannot be written by this user (the file or its directory is read-only): commands that ` +
          'only read (verify, report, history, export) work on it, importing or recording does not',
        cause,
      )
    : driverError(path, 'opening the store', cause)

/** Whether opening failed because SQLite could not create the WAL's shared-memory file (read-only directory). */
const cannotMakeSharedMemory = (cause: unknown): boolean => {
  const code = sqliteCode(cause)
  return code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN'
}

/**
 * Opens a store that cannot be opened in WAL mode for reading because its directory is read-only, as an
 * immutable file (SQLite's `immutable=1`: no locks, no shared memory, nothing written). That is exact only
 * when every committed event is in the main file: a store closed by its last writer has no write-ahead
 * log left, or an empty one. A copy taken with a non-empty one is refused, saying so.
 */
const openImmutable = (path: string): E.Either<StorageError, Database.Database> => {
  const wal = `${path}-wal`
  if (existsSync(wal) && statSync(wal).size > 0)
    return E.left(
      storageError(
        `${path} is in a directory this user cannot write, and its write-ahead log (${wal}) still holds ` +
          'events not yet in the main file: reading it needs a writable directory. Copy the store after ' +
          'every writer has closed it (or use `ketnap export`), or read it from a writable directory.',
      ),
    )
  let db: Database.Database
  try {
    db = new Database(`file:${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}?immutable=1`, {
      readonly: true,
      fileMustExist: true,
    })
  } catch (cause) {
    return E.left(driverError(path, 'opening the store read-only (immutable)', cause))
  }
  try {
    const version = readSchemaVersion(db)
    if (version !== SCHEMA_VERSION) {
      closeQuietly(db)
      return E.left(
        storageError(
          `${path} has schema version ${version ?? 0}, not ${SCHEMA_VERSION}, and is in a directory this ` +
            'user cannot write: it cannot be read here',
        ),
      )
    }
    return E.right(db)
  } catch (cause) {
    closeQuietly(db)
    return E.left(
      driverError(
        path,
        'opening the store read-only (immutable; SQLite URI filenames must be on: SQLITE_USE_URI=1 before better-sqlite3 is first used)',
        cause,
      ),
    )
  }
}

/**
 * One try at opening the store: refusals and failures as values, except SQLITE_BUSY, which is thrown (the
 * connection closed) so that `openDatabase` can start again from the header.
 */
const openOnce = (path: string, options: OpenDatabaseOptions): E.Either<StorageError, Database.Database> =>
  pipe(
    inspectFile(path),
    E.chain((kind) => {
      if (kind === 'new' && options.readonly) {
        return E.left(
          storageError(`${path} does not exist or is empty: there is no ketnap store to open read-only`),
        )
      }
      let db: Database.Database
      try {
        db = new Database(path, { readonly: options.readonly, fileMustExist: kind === 'ketnap' })
      } catch (cause) {
        if (isBusy(cause)) throw cause
        return E.left(openError(path, options, cause))
      }
      try {
        db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`)
        let version: number | null
        try {
          version = kind === 'ketnap' ? readSchemaVersion(db) : null
        } catch (cause) {
          // A store in WAL mode in a directory the reader cannot write (an auditor's read-only copy):
          // SQLite cannot create the shared-memory file beside it. Read the file as immutable instead.
          if (!(options.readonly && kind === 'ketnap' && cannotMakeSharedMemory(cause))) throw cause
          closeQuietly(db)
          return openImmutable(path)
        }
        if (kind === 'ketnap' && version === null) {
          closeQuietly(db)
          return E.left(
            storageError(
              `${path} carries the ketnap application id but has no schema version table: it is corrupt`,
            ),
          )
        }
        if (version !== null && version > SCHEMA_VERSION) {
          closeQuietly(db)
          return E.left(
            storageError(
              `${path} has schema version ${version}, written by a newer ketnap; this @ketnap/store-sqlite ` +
                `understands up to version ${SCHEMA_VERSION}. Upgrade the library to open it.`,
            ),
          )
        }
        if (version === null || version < SCHEMA_VERSION) {
          if (options.readonly) {
            closeQuietly(db)
            return E.left(
              storageError(
                `${path} has schema version ${version ?? 0} and needs a migration to ${SCHEMA_VERSION}; ` +
                  `open it once without readonly`,
              ),
            )
          }
          // A new file's page size is set before its first page is written (it cannot change in WAL mode).
          if (kind === 'new') db.pragma(`page_size = ${STORE_PAGE_SIZE}`)
          // Created in rollback-journal mode, so the header (with the application id) reaches the main file
          // before WAL mode is switched on.
          migrate(db, options.onMigrationProgress)
        }
        if (!options.readonly && db.pragma('journal_mode', { simple: true }) !== 'wal') {
          db.pragma('journal_mode = WAL')
        }
        // FULL: a committed append survives power loss, not only a crash of the process.
        db.pragma('synchronous = FULL')
        db.pragma('cache_size = -32768')
        return E.right(db)
      } catch (cause) {
        closeQuietly(db)
        if (isBusy(cause)) throw cause
        return E.left(openError(path, options, cause))
      }
    }),
  )

/**
 * Opens (creating or migrating when allowed) the ketnap store at `path`: checks the header first, then the
 * schema version, then puts the file in WAL mode. Refusals name the file.
 *
 * Several processes may open a new file at once. Most steps wait for another's lock (`busy_timeout`), but
 * some answer SQLITE_BUSY at once (switching the journal to WAL needs the file to itself for a moment):
 * the whole open is then tried again, from the header, for up to `busyTimeoutMs`, as a busy append is.
 * @internal
 */
export const openDatabase = (
  path: string,
  options: OpenDatabaseOptions,
): Promise<E.Either<StorageError, Database.Database>> => {
  // SQLite reads URI filenames (needed for `immutable=1` above) only when told so before better-sqlite3
  // opens its first database in the process; set unless the environment says otherwise. Only names that
  // begin with `file:` are read as URIs, and every store path is absolute.
  process.env['SQLITE_USE_URI'] ??= '1'
  return withBusyRetries(
    () => openOnce(path, options),
    (cause) => driverError(path, 'opening the store', cause),
    { forMs: options.busyTimeoutMs },
  )
}
