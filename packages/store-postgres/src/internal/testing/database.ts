/**
 * @internal
 * The test database (a real PostgreSQL server; `KETNAP_TEST_POSTGRES` overrides the default) and fresh
 * schemas in it: named from the process id and a counter, never at random, and dropped by the tests that
 * made them.
 */
import pg from 'pg'
import * as E from 'fp-ts/Either'
import {
  openPostgresEventStore,
  type PostgresEventStore,
  type PostgresEventStoreOptions,
} from '../../postgresEventStore'

/** The test server. @internal */
export const TEST_DATABASE_URL =
  process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * Whether the test command found no PostgreSQL server it could use or start (KETNAP_SKIP_SUITES, set by
 * `.ci/suites.mjs` with a line saying what is missing): the suites that need one are skipped, not failed.
 * @internal
 */
export const POSTGRES_SKIPPED = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')

let counter = 0

/** A schema name no other test (in this process or another) uses. @internal */
export const uniqueSchema = (label = 'test'): string => `ketnap_${label}_${process.pid}_${++counter}`

/** Runs SQL on its own connection (for setting up, tampering with and dropping schemas). @internal */
export const rawSql = async <R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    return await client.query<R>(text, values)
  } finally {
    await client.end()
  }
}

/** Drops a schema and everything in it. @internal */
export const dropSchema = async (schema: string): Promise<void> => {
  await rawSql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
}

/** A clock that ticks one second per call from 2024-01-01, so that runs are reproducible. @internal */
export const tickingClock = (): (() => Date) => {
  let t = Date.parse('2024-01-01T00:00:00.000Z')
  return () => new Date((t += 1000))
}

/** Opens a store on the test server, throwing (in a test) when it cannot. @internal */
export const openTestStore = async (
  schema: string,
  options: Partial<PostgresEventStoreOptions> = {},
): Promise<PostgresEventStore> => {
  const opened = await openPostgresEventStore({
    connectionString: TEST_DATABASE_URL,
    schema,
    now: tickingClock(),
    ...options,
  })()
  if (E.isLeft(opened)) throw new Error(opened.left.message)
  return opened.right
}
