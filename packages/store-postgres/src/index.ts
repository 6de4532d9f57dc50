/**
 * @ketnap/store-postgres: the event store in a PostgreSQL schema (node-postgres), for several writers on
 * several machines.
 */
export {
  openPostgresEventStore,
  DEFAULT_POSTGRES_READ_BATCH_SIZE,
  DEFAULT_POOL_SIZE,
  type PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgresEventStore'
