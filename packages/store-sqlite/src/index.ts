/**
 * @ketnap/store-sqlite: the embedded default event store, one SQLite file (better-sqlite3, WAL mode).
 */
export {
  openSqliteEventStore,
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_READ_BATCH_SIZE,
  type SqliteEventStore,
  type SqliteEventStoreOptions,
} from './sqliteEventStore'
export { STORE_PAGE_SIZE } from './internal/schema'
