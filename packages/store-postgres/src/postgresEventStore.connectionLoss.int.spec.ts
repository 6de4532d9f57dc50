/**
 * Connections that die under the store: a backend terminated (`pg_terminate_backend`, as an operator or a
 * failover does) while an append is in flight, or while its connection sits idle in the pool. The call
 * that was running answers a StorageError, nothing of a broken append is stored, the process does not
 * crash on the driver's `error` event, and the same store object serves the next call.
 */
import pg from 'pg'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import { verifyChain, type NewEvent } from '@ketnap/kernel'
import type { PostgresEventStore } from './postgresEventStore'
import {
  dropSchema,
  openTestStore,
  POSTGRES_SKIPPED,
  rawSql,
  TEST_DATABASE_URL,
  uniqueSchema,
} from './internal/testing/database'

const schemas: string[] = []
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema)
})

const freshSchema = (): string => {
  const schema = uniqueSchema('loss')
  schemas.push(schema)
  return schema
}

const event = (n: number): NewEvent => ({ type: 'Counted', data: { n } })

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `find` answers a backend pid (the store's statements name its schema, so do its backends). */
const waitForBackend = async (find: () => Promise<number | undefined>): Promise<number> => {
  for (;;) {
    const pid = await find()
    if (pid !== undefined) return pid
    await pause(10)
  }
}

/** The pids of the store's connections idle in its pool, once their last statement named its schema. */
const idleBackends = async (schema: string): Promise<number[]> =>
  (
    await rawSql<{ pid: number }>(
      `SELECT pid FROM pg_catalog.pg_stat_activity
        WHERE application_name = 'ketnap' AND state = 'idle' AND query LIKE $1`,
      [`%"${schema}".%`],
    )
  ).rows.map((r) => r.pid)

const terminate = async (pid: number): Promise<void> => {
  const done = await rawSql<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid])
  expect(done.rows[0]?.done).toBe(true)
}

/** The log is whole, ends at `position`, and the store appends again on a fresh connection. */
const expectIntactAndWorking = async (store: PostgresEventStore, position: number): Promise<void> => {
  expect(await store.head()()).toMatchObject({ right: { position } })
  expect(await verifyChain(store.readAll())).toMatchObject({ ok: true, head: { position } })
  const next = await store.append('s', [event(position + 1)], { expectedVersion: 'any' })()
  expect(next).toMatchObject({ right: { head: { position: position + 1 } } })
  expect(await verifyChain(store.readAll())).toMatchObject({ ok: true, head: { position: position + 1 } })
}

describe.skipIf(POSTGRES_SKIPPED)('a backend terminated while an append is in flight', () => {
  it('waiting for the write lock: a StorageError, nothing stored, the next append works', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
    await store.append('s', [event(1), event(2)], { expectedVersion: 0 })()
    const holder = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await holder.connect()
    await holder.query('BEGIN')
    await holder.query(`LOCK TABLE "${schema}".events IN EXCLUSIVE MODE`)
    const pending = store.append('s', [event(3)], { expectedVersion: 2 })()
    const pid = await waitForBackend(async () => {
      const rows = await rawSql<{ pid: number }>(
        `SELECT l.pid FROM pg_catalog.pg_locks l
          WHERE l.relation = $1::regclass AND NOT l.granted`,
        [`"${schema}".events`],
      )
      return rows.rows[0]?.pid
    })
    await terminate(pid)
    const failed = await pending
    await holder.query('ROLLBACK')
    await holder.end()
    expect(failed).toMatchObject({
      _tag: 'Left',
      left: {
        _tag: 'StorageError',
        message: expect.stringMatching(/appending failed \[57P01\]: terminating connection/),
      },
    })
    await expectIntactAndWorking(store, 2)
    await store.close()()
  })

  it('after part of a bulk append was inserted: the server rolls all of it back', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
    await store.append('s', [event(1)], { expectedVersion: 0 })()
    // A trigger that sleeps after each INSERT statement parks the append with its first 5000 rows
    // inserted, inside its transaction, so the kill lands there every time.
    await rawSql(`CREATE FUNCTION "${schema}".park() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$`)
    await rawSql(`CREATE TRIGGER park AFTER INSERT ON "${schema}".events
      FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".park()`)
    const many = Array.from({ length: 12_000 }, (_, i) => event(i))
    const pending = store.appendBatch([{ stream: 'big', events: many, expectedVersion: 0 }])()
    const pid = await waitForBackend(async () => {
      const rows = await rawSql<{ pid: number }>(
        `SELECT pid FROM pg_catalog.pg_stat_activity
          WHERE wait_event = 'PgSleep' AND query LIKE $1`,
        [`INSERT INTO "${schema}".events%`],
      )
      return rows.rows[0]?.pid
    })
    await terminate(pid)
    const failed = await pending
    await rawSql(`DROP TRIGGER park ON "${schema}".events`)
    expect(failed).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'StorageError', message: expect.stringMatching(/appending failed \[57P01\]/) },
    })
    expect(await store.streamVersion('big')()).toEqual(E.right(0))
    await expectIntactAndWorking(store, 1)
    await store.close()()
  })
})

describe.skipIf(POSTGRES_SKIPPED)('a backend terminated during COMMIT', () => {
  it('the StorageError says the outcome is unknown; the server rolled it back, and the store goes on', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
    await store.append('s', [event(1)], { expectedVersion: 0 })()
    // A deferred constraint trigger runs at COMMIT: it parks the append there.
    await rawSql(`CREATE FUNCTION "${schema}".park() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$`)
    await rawSql(`CREATE CONSTRAINT TRIGGER park AFTER INSERT ON "${schema}".events
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "${schema}".park()`)
    const pending = store.append('s', [event(2)], { expectedVersion: 1 })()
    const pid = await waitForBackend(async () => {
      const rows = await rawSql<{ pid: number }>(
        `SELECT pid FROM pg_catalog.pg_stat_activity
          WHERE wait_event = 'PgSleep' AND query = 'COMMIT' AND application_name = 'ketnap'`,
      )
      return rows.rows[0]?.pid
    })
    await terminate(pid)
    const failed = await pending
    await rawSql(`DROP TRIGGER park ON "${schema}".events`)
    expect(failed).toMatchObject({
      _tag: 'Left',
      left: {
        _tag: 'StorageError',
        message: expect.stringMatching(/lost during COMMIT, so whether the events were stored is unknown/),
      },
    })
    await expectIntactAndWorking(store, 1)
    await store.close()()
  })
})

describe.skipIf(POSTGRES_SKIPPED)('pooled connections terminated between calls', () => {
  it('once the pool has seen them go: no crash, the next calls work', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema, { poolSize: 3 })
    await store.append('s', [event(1)], { expectedVersion: 0 })()
    await store.head()()
    const pids = await idleBackends(schema)
    expect(pids.length).toBeGreaterThan(0)
    for (const pid of pids) await terminate(pid)
    // Give the idle connections time to receive the server's goodbye (an `error` event on each).
    await pause(300)
    expect(await store.head()()).toMatchObject({ right: { position: 1 } })
    await expectIntactAndWorking(store, 1)
    await store.close()()
  })

  it('before the pool has noticed: the dead connection is replaced and the call works', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema, { poolSize: 3 })
    await store.append('s', [event(1)], { expectedVersion: 0 })()
    await store.head()()
    const pids = await idleBackends(schema)
    expect(pids.length).toBeGreaterThan(0)
    for (const pid of pids) await terminate(pid)
    expect(await store.append('s', [event(2)], { expectedVersion: 1 })()).toMatchObject({
      right: { head: { position: 2 } },
    })
    await store.head()()
    for (const pid of await idleBackends(schema)) await terminate(pid)
    expect(await store.streamVersion('s')()).toEqual(E.right(2))
    await expectIntactAndWorking(store, 2)
    await store.close()()
  })
})
