/**
 * @internal
 * The store's schema and its migrations. The schema version lives in the `ketnap_schema` table; a file
 * whose version is newer than this library knows is refused, an older one is migrated in place.
 */
import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import { storageError, type StorageError } from '@ketnap/kernel'
import { driverError, isBusy, withBusyRetries } from './driverErrors'
import { inspectFile, KETNAP_APPLICATION_ID } from './fileCheck'

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
]

/**
 * The schema version this library writes and understands.
 * @internal
 */
export const SCHEMA_VERSION = MIGRATIONS.length

/** Options of `openDatabase`. @internal */
export interface OpenDatabaseOptions {
  readonly busyTimeoutMs: number
  readonly readonly: boolean
}

const schemaTableExists = (db: Database.Database): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ketnap_schema'`).get() !==
  undefined

const readSchemaVersion = (db: Database.Database): number | null => {
  if (!schemaTableExists(db)) return null
  const row = db.prepare('SELECT version FROM ketnap_schema').get() as { version: unknown } | undefined
  return typeof row?.version === 'number' ? row.version : null
}

/** Brings the schema to SCHEMA_VERSION inside one write transaction (another process may be doing the same). */
const migrate = (db: Database.Database): void => {
  db.transaction(() => {
    let version = readSchemaVersion(db)
    if (version === null) {
      db.pragma(`application_id = ${KETNAP_APPLICATION_ID}`)
      db.exec('CREATE TABLE ketnap_schema (version INTEGER NOT NULL)')
      db.prepare('INSERT INTO ketnap_schema (version) VALUES (0)').run()
      version = 0
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? '')
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
        return E.left(driverError(path, 'opening the store', cause))
      }
      try {
        db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`)
        const version = kind === 'ketnap' ? readSchemaVersion(db) : null
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
          // Created in rollback-journal mode, so the header (with the application id) reaches the main file
          // before WAL mode is switched on.
          migrate(db)
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
        return E.left(driverError(path, 'opening the store', cause))
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
): Promise<E.Either<StorageError, Database.Database>> =>
  withBusyRetries(
    () => openOnce(path, options),
    (cause) => driverError(path, 'opening the store', cause),
    { forMs: options.busyTimeoutMs },
  )
