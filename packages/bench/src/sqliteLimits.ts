/**
 * The machine's limits on SQLite, on the same rows the stores hold: what better-sqlite3 alone does
 * with them, with none of ketnap's code in the way. Each writes a fresh file set up as the SQLite store
 * sets up its own (its page size, WAL, synchronous FULL, 32 MiB cache, the same table and indexes), in
 * one transaction.
 */
import { rmSync } from 'node:fs'
import Database from 'better-sqlite3'
import { openSqliteEventStore, STORE_PAGE_SIZE } from '@ketnap/store-sqlite'
import { pastDeadline, untilDeadline, type Deadline } from './deadline'
import { chainedRows, EVENT_COLUMNS, ROW_BATCH, type ChainCheck, type EventRow } from './rows'
import { now, since } from './progress'

/** The `events` table and indexes of the SQLite store (docs/storage.md, schema version 1). */
const EVENTS_DDL = `
CREATE TABLE events (
  position INTEGER PRIMARY KEY, stream TEXT NOT NULL, version INTEGER NOT NULL, id TEXT NOT NULL,
  type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL,
  actor TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE UNIQUE INDEX events_stream_version ON events (stream, version);
CREATE UNIQUE INDEX events_id ON events (id);
CREATE INDEX events_recorded_at ON events (recorded_at);
`

/** A read model's table as a rebuild would fill it: one row per event. */
const COPY_DDL = `
CREATE TABLE copied (
  position INTEGER PRIMARY KEY, stream TEXT NOT NULL, type TEXT NOT NULL, on_date TEXT, person TEXT
);
`

/** Removes a SQLite file and its WAL. */
export const removeDb = (path: string): void => {
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true })
}

/** Opens a fresh file set up as the SQLite store does. */
const freshDb = (path: string, ddl: string): Database.Database => {
  removeDb(path)
  const db = new Database(path)
  db.pragma(`page_size = ${STORE_PAGE_SIZE}`)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('cache_size = -32768')
  db.exec(ddl)
  return db
}

/** Every row of a store file's `events` table in log order, in batches. */
export function* storedRows(storePath: string): Generator<EventRow[]> {
  const db = new Database(storePath, { readonly: true })
  try {
    const select = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`).raw()
    let batch: EventRow[] = []
    for (const row of select.iterate()) {
      batch.push(row as EventRow)
      if (batch.length === ROW_BATCH) {
        yield batch
        batch = []
      }
    }
    if (batch.length > 0) yield batch
  } finally {
    db.close()
  }
}

/** A measured limit: events handled and the milliseconds it took. */
export interface Timed {
  readonly events: number
  readonly ms: number
  /** Set when the phase stopped at its time limit: `events` are those handled in time. */
  readonly cut?: true
}

const timed = (events: number, ms: number, deadline: Deadline | undefined): Timed =>
  deadline?.reached === true ? { events, ms, cut: true } : { events, ms }

/** Events per second of a timed run. */
export const rateOf = (t: Timed): number => (t.events * 1000) / t.ms

const insertAll = async (
  target: string,
  rows: Iterable<EventRow[]> | AsyncIterable<EventRow[]>,
  keep: boolean,
  deadline: Deadline | undefined,
): Promise<Timed> => {
  const db = freshDb(target, EVENTS_DDL)
  try {
    const insert = db.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
    const start = now()
    let events = 0
    db.exec('BEGIN')
    for await (const batch of untilDeadline(rows, deadline)) {
      for (const row of batch) insert.run(row)
      events += batch.length
    }
    db.exec('COMMIT')
    return timed(events, since(start), deadline)
  } finally {
    db.close()
    if (!keep) removeDb(target)
  }
}

/**
 * A raw insert: the store's rows, as they are, into a fresh file in one transaction. Reading them from
 * the store file (a sequential scan) is part of the time, a small part beside the indexed inserts.
 */
export const rawInsert = (storePath: string, target: string, deadline?: Deadline): Promise<Timed> =>
  insertAll(target, storedRows(storePath), false, deadline)

/**
 * A raw chained insert: each line of the log parsed, made into its canonical envelope, chained by
 * SHA-256 and inserted, in one transaction: the least any importer of the format must do. The file
 * is kept: its rows are the log's rows that the other limits read (`removeDb` when done).
 */
export const rawChainedInsert = (
  logPath: string,
  target: string,
  check: ChainCheck,
  deadline?: Deadline,
): Promise<Timed> => insertAll(target, chainedRows(logPath, check), true, deadline)

/** A raw read: every row selected and its data parsed. */
export const rawSelectParse = (storePath: string, deadline?: Deadline): Timed => {
  const start = now()
  let events = 0
  for (const batch of storedRows(storePath)) {
    for (const row of batch) JSON.parse(row[6])
    events += batch.length
    if (pastDeadline(deadline)) break
  }
  return timed(events, since(start), deadline)
}

/**
 * A raw copy: every row selected, its data parsed, and one row per event inserted into a table of
 * another file, in one transaction: the least a rebuild of a stored read model must do.
 */
export const rawCopy = (storePath: string, target: string, deadline?: Deadline): Timed => {
  const db = freshDb(target, COPY_DDL)
  try {
    const insert = db.prepare(
      'INSERT INTO copied (position, stream, type, on_date, person) VALUES (?,?,?,?,?)',
    )
    const start = now()
    let events = 0
    db.exec('BEGIN')
    for (const batch of storedRows(storePath)) {
      for (const row of batch) {
        const data = JSON.parse(row[6]) as { on?: unknown; personId?: unknown }
        insert.run(
          row[0],
          row[1],
          row[4],
          typeof data.on === 'string' ? data.on : null,
          typeof data.personId === 'string' ? data.personId : null,
        )
      }
      events += batch.length
      if (pastDeadline(deadline)) break
    }
    db.exec('COMMIT')
    return timed(events, since(start), deadline)
  } finally {
    db.close()
    removeDb(target)
  }
}

/**
 * Makes the file of a raw chained insert a ketnap store, outside any clock, so that `ketnap verify` can
 * be measured on those rows when the import itself cannot run: it is given the header and tables of the
 * store's first schema version (docs/storage.md: the application id "KNAP", the schema version table,
 * the checkpoint and snapshot tables), then opened once by the store itself, which migrates it to the
 * store's current schema (so the bench never restates a later schema).
 */
export const adoptAsStore = async (path: string): Promise<void> => {
  adoptAsFirstSchema(path)
  const opened = await openSqliteEventStore(path)()
  if (opened._tag === 'Left')
    throw new Error(`the raw rows could not be opened as a store: ${opened.left.message}`)
  await opened.right.close()()
}

const adoptAsFirstSchema = (path: string): void => {
  const db = new Database(path)
  try {
    db.pragma(`application_id = ${0x4b4e4150}`)
    db.exec(`
      CREATE TABLE checkpoints (name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL);
      CREATE TABLE snapshots (
        name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL
      );
      CREATE TABLE ketnap_schema (version INTEGER NOT NULL);
      INSERT INTO ketnap_schema (version) VALUES (1);
    `)
    // The header (with the application id) reaches the main file, where ketnap looks for it.
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}
