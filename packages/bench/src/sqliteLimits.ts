/**
 * The machine's limits on SQLite, on the same rows the stores hold: what better-sqlite3 alone does
 * with them, with none of ketnap's code in the way. Each writes a fresh file set up as the SQLite store
 * sets up its own (WAL, synchronous FULL, 32 MiB cache, the same table and indexes), in one transaction.
 */
import { rmSync } from 'node:fs'
import Database from 'better-sqlite3'
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
}

/** Events per second of a timed run. */
export const rateOf = (t: Timed): number => (t.events * 1000) / t.ms

const insertAll = async (
  target: string,
  rows: Iterable<EventRow[]> | AsyncIterable<EventRow[]>,
  keep: boolean,
): Promise<Timed> => {
  const db = freshDb(target, EVENTS_DDL)
  try {
    const insert = db.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
    const start = now()
    let events = 0
    db.exec('BEGIN')
    for await (const batch of rows) {
      for (const row of batch) insert.run(row)
      events += batch.length
    }
    db.exec('COMMIT')
    return { events, ms: since(start) }
  } finally {
    db.close()
    if (!keep) removeDb(target)
  }
}

/**
 * A raw insert: the store's rows, as they are, into a fresh file in one transaction. Reading them from
 * the store file (a sequential scan) is part of the time, a small part beside the indexed inserts.
 */
export const rawInsert = (storePath: string, target: string): Promise<Timed> =>
  insertAll(target, storedRows(storePath), false)

/**
 * A raw chained insert: each line of the log parsed, made into its canonical envelope, chained by
 * SHA-256 and inserted, in one transaction: the least any importer of the format must do. The file
 * is kept: its rows are the log's rows that the other limits read (`removeDb` when done).
 */
export const rawChainedInsert = (logPath: string, target: string, check: ChainCheck): Promise<Timed> =>
  insertAll(target, chainedRows(logPath, check), true)

/** A raw read: every row selected and its data parsed. */
export const rawSelectParse = (storePath: string): Timed => {
  const start = now()
  let events = 0
  for (const batch of storedRows(storePath)) {
    for (const row of batch) JSON.parse(row[6])
    events += batch.length
  }
  return { events, ms: since(start) }
}

/**
 * A raw copy: every row selected, its data parsed, and one row per event inserted into a table of
 * another file, in one transaction: the least a rebuild of a stored read model must do.
 */
export const rawCopy = (storePath: string, target: string): Timed => {
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
    }
    db.exec('COMMIT')
    return { events, ms: since(start) }
  } finally {
    db.close()
    removeDb(target)
  }
}
