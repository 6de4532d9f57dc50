/**
 * @internal
 * The store's tables and their migrations, in one PostgreSQL schema. The schema version lives in the
 * `ketnap_schema` table; a schema whose version is newer than this library knows is refused, an older one
 * is migrated in place, under an advisory lock so that two processes opening it at once migrate it once.
 */
import * as E from 'fp-ts/Either'
import type pg from 'pg'
import { storageError, type StorageError } from '@ketnap/kernel'
import { driverError } from './driverErrors'
import { fillSubtrees } from './storedTree'
import { inTransaction } from './transaction'

/**
 * The migrations, in order: `MIGRATIONS[i]` takes a schema (its quoted name given) from version `i` to
 * `i + 1`. Append new ones; never edit a released one.
 *
 * Text columns that are compared by order or looked up often use the "C" collation: byte order is the
 * order of normalized ISO 8601 instants, whatever the database's locale.
 * @internal
 */
export const MIGRATIONS: ReadonlyArray<(schema: string) => string> = [
  (s) => `
  CREATE TABLE ${s}.events (
    position       bigint  PRIMARY KEY,
    stream         text    COLLATE "C" NOT NULL,
    version        integer NOT NULL,
    id             text    COLLATE "C" NOT NULL,
    type           text    NOT NULL,
    schema_version integer NOT NULL,
    data           text    NOT NULL,
    recorded_at    text    COLLATE "C" NOT NULL,
    actor          text,
    prev_hash      text    NOT NULL,
    hash           text    NOT NULL,
    CONSTRAINT events_stream_version UNIQUE (stream, version),
    CONSTRAINT events_id UNIQUE (id)
  );
  CREATE INDEX events_recorded_at ON ${s}.events (recorded_at, position);
  CREATE TABLE ${s}.checkpoints (
    name     text    PRIMARY KEY,
    version  integer NOT NULL,
    position bigint  NOT NULL
  );
  CREATE TABLE ${s}.snapshots (
    name     text    PRIMARY KEY,
    version  integer NOT NULL,
    position bigint  NOT NULL,
    state    text    NOT NULL
  );
  `,
  // Version 2: the log's stored tree (kernel `storedTree.ts`), filled for the existing log by
  // `fillSubtrees` in the same transaction.
  (s) => `
  CREATE TABLE ${s}.subtrees (
    height integer NOT NULL,
    idx    bigint  NOT NULL,
    hash   bytea   NOT NULL,
    PRIMARY KEY (height, idx)
  );
  `,
  // Version 3: the write side's keyed state (kernel `keyedState.ts`): rows of bytes by space and key,
  // each with the log position its writer stood at.
  (s) => `
  CREATE TABLE ${s}.keyed_state (
    space    text   COLLATE "C" NOT NULL,
    key      text   COLLATE "C" NOT NULL,
    position bigint NOT NULL,
    value    bytea  NOT NULL,
    PRIMARY KEY (space, key)
  );
  `,
  // Version 4: subjects' data keys wrapped by the master key (kernel `keyStore.ts`); a NULL key is a
  // destroyed one (a tombstone), the empty subject the store's encryption marker.
  (s) => `
  CREATE TABLE ${s}.subject_keys (
    subject text  COLLATE "C" PRIMARY KEY,
    wrapped bytea
  );
  `,
]

/** The schema version whose migration created `subtrees`: filled for the existing log right after it. */
const STORED_TREE_VERSION = 2

/** The schema version this library writes and understands. @internal */
export const SCHEMA_VERSION = MIGRATIONS.length

/** The default schema of a store. @internal */
export const DEFAULT_SCHEMA = 'ketnap'

/**
 * Whether a schema name is accepted: lower-case letters, digits and `_`, not starting with a digit, at
 * most 63 bytes, so that the name means the same quoted or not (in psql as in the store).
 * @internal
 */
export const isSchemaName = (name: string): boolean => /^[a-z_][a-z0-9_]{0,62}$/.test(name)

/** The schema name as an SQL identifier (only ever called on names `isSchemaName` accepted). @internal */
export const quoteIdent = (name: string): string => `"${name}"`

/**
 * The first key of every advisory lock the store takes (`KNAP`, as the SQLite store's application id);
 * the second is a hash of the schema name.
 * @internal
 */
export const ADVISORY_LOCK_CLASS = 0x4b4e4150

const readVersion = async (
  client: pg.PoolClient,
  schema: string,
  where: string,
): Promise<E.Either<StorageError, number | null>> => {
  const tables = await client.query<{ tablename: string }>(
    'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = $1 ORDER BY tablename',
    [schema],
  )
  const names = tables.rows.map((r) => r.tablename)
  if (!names.includes('ketnap_schema')) {
    return names.length === 0
      ? E.right(null)
      : E.left(
          storageError(
            `${where}: the schema holds tables that are not a ketnap store (${names.join(', ')}); ` +
              `choose another schema`,
          ),
        )
  }
  const rows = await client.query<{ version: unknown }>(
    `SELECT version FROM ${quoteIdent(schema)}.ketnap_schema`,
  )
  const version = rows.rows.length === 1 ? rows.rows[0]?.version : undefined
  return typeof version === 'number'
    ? E.right(version)
    : E.left(
        storageError(`${where}: the ketnap_schema table does not hold exactly one version: it is corrupt`),
      )
}

/**
 * Creates the store's schema and tables, or migrates them, or refuses a schema written by a newer library
 * or holding someone else's tables. Refusals name the store and change nothing. A `readonly` open never
 * creates or migrates: it needs a store at the current version.
 * @internal
 */
export const prepareSchema = (
  pool: pg.Pool,
  schema: string,
  where: string,
  readonly: boolean,
  onMigrationProgress?: (done: number, total: number) => void,
): Promise<E.Either<StorageError, void>> =>
  inTransaction<StorageError, void>(
    pool,
    async (client) => {
      const encoding = await client.query<{ server_encoding: string }>('SHOW server_encoding')
      const serverEncoding = encoding.rows[0]?.server_encoding
      if (serverEncoding !== 'UTF8') {
        return E.left(
          storageError(
            `${where}: the database encoding is ${String(serverEncoding)}; ketnap needs a UTF8 database`,
          ),
        )
      }
      if (!readonly) {
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          ADVISORY_LOCK_CLASS,
          `migrate ${schema}`,
        ])
      }
      const exists = await client.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema])
      const q = quoteIdent(schema)
      if (exists.rowCount === 0) {
        if (readonly)
          return E.left(storageError(`${where}: there is no ketnap store in this schema to open read-only`))
        // Only created when missing: CREATE SCHEMA IF NOT EXISTS would need the CREATE privilege even then.
        await client.query(`CREATE SCHEMA ${q}`)
      }
      const version = await readVersion(client, schema, where)
      if (E.isLeft(version)) return version
      const from = version.right ?? 0
      if (from > SCHEMA_VERSION) {
        return E.left(
          storageError(
            `${where} has schema version ${from}, written by a newer ketnap; this @ketnap/store-postgres ` +
              `understands up to version ${SCHEMA_VERSION}. Upgrade the library to open it.`,
          ),
        )
      }
      if (readonly && version.right === null)
        return E.left(storageError(`${where}: there is no ketnap store in this schema to open read-only`))
      if (readonly && from < SCHEMA_VERSION) {
        return E.left(
          storageError(
            `${where} has schema version ${from} and needs a migration to ${SCHEMA_VERSION}; ` +
              `open it once without readonly`,
          ),
        )
      }
      if (version.right === null) {
        await client.query(`CREATE TABLE ${q}.ketnap_schema (version integer NOT NULL)`)
        await client.query(`INSERT INTO ${q}.ketnap_schema (version) VALUES (0)`)
      }
      for (let v = from; v < SCHEMA_VERSION; v++) {
        await client.query(MIGRATIONS[v]?.(q) ?? '')
        if (v + 1 === STORED_TREE_VERSION) await fillSubtrees(client, q, onMigrationProgress)
      }
      if (from < SCHEMA_VERSION)
        await client.query(`UPDATE ${q}.ketnap_schema SET version = $1`, [SCHEMA_VERSION])
      return E.right(undefined)
    },
    (cause) => driverError(where, 'opening the store', cause),
  )
