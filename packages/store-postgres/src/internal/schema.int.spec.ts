import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import { eventLeafHash, storedSubtreeKeys, subtreesOf, type MerkleHash } from '@ketnap/kernel'
import { openPostgresEventStore } from '../postgresEventStore'
import { SCHEMA_VERSION } from './schema'
import {
  dropSchema,
  openTestStore,
  POSTGRES_SKIPPED,
  rawSql,
  TEST_DATABASE_URL,
  uniqueSchema,
} from './testing/database'

const schemas: string[] = []
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema)
})
const freshSchema = (): string => {
  const schema = uniqueSchema('schema')
  schemas.push(schema)
  return schema
}

const tablesOf = async (schema: string): Promise<string[]> =>
  (
    await rawSql<{ tablename: string }>(
      'SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = $1 ORDER BY tablename',
      [schema],
    )
  ).rows.map((r) => r.tablename)

describe.skipIf(POSTGRES_SKIPPED)('creating and migrating the schema', () => {
  it('creates the schema, its tables and the version row', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
    await store.close()()
    expect(await tablesOf(schema)).toEqual([
      'checkpoints',
      'events',
      'ketnap_schema',
      'keyed_state',
      'snapshots',
      'subject_keys',
      'subtrees',
    ])
    const version = await rawSql(`SELECT version FROM "${schema}".ketnap_schema`)
    expect(version.rows).toEqual([{ version: SCHEMA_VERSION }])
  })

  it('a schema at version 0 (created, never migrated) is migrated on open', async () => {
    const schema = freshSchema()
    await rawSql(`CREATE SCHEMA "${schema}"`)
    await rawSql(`CREATE TABLE "${schema}".ketnap_schema (version integer NOT NULL)`)
    await rawSql(`INSERT INTO "${schema}".ketnap_schema VALUES (0)`)
    const store = await openTestStore(schema)
    expect(await store.append('s', [{ type: 'T', data: 1 }], { expectedVersion: 0 })()).toMatchObject({
      _tag: 'Right',
    })
    await store.close()()
    expect(await tablesOf(schema)).toEqual([
      'checkpoints',
      'events',
      'ketnap_schema',
      'keyed_state',
      'snapshots',
      'subject_keys',
      'subtrees',
    ])
  })

  it('a store at version 1 gets its stored tree filled from the log, equal to the recomputed tree', async () => {
    const schema = freshSchema()
    const writer = await openTestStore(schema)
    for (let i = 0; i < 3; i++)
      await writer.append(
        's',
        Array.from({ length: 700 }, (_, k) => ({ type: 'T', data: i * 700 + k })),
        { expectedVersion: 'any' },
      )()
    await writer.close()()
    await rawSql(`DROP TABLE "${schema}".subtrees`)
    await rawSql(`DROP TABLE "${schema}".keyed_state`)
    await rawSql(`DROP TABLE "${schema}".subject_keys`)
    await rawSql(`UPDATE "${schema}".ketnap_schema SET version = 1`)
    const refused = await openTestStore(schema, { readonly: true }).catch((e: unknown) => String(e))
    expect(refused).toMatch(new RegExp(`needs a migration to ${SCHEMA_VERSION}`))
    const progress: Array<[number, number]> = []
    const store = await openTestStore(schema, { onMigrationProgress: (d, t) => progress.push([d, t]) })
    expect(progress.at(-1)).toEqual([2100, 2100])
    const leaves: MerkleHash[] = []
    for await (const batch of store.readAll())
      if (E.isRight(batch)) for (const e of batch.right) leaves.push(eventLeafHash(e.hash))
    const keys = storedSubtreeKeys(leaves.length)
    const read = await store.readTree({ subtrees: keys, leaves: [] })
    const all = subtreesOf(leaves)
    expect(read).toEqual(
      E.right({
        subtrees: keys.map((k) =>
          all({ start: k.index * 2 ** k.height, end: (k.index + 1) * 2 ** k.height }),
        ),
        leaves: [],
      }),
    )
    await store.close()()
  })

  it('several pools opening a new schema at once create it once, and all open', async () => {
    const schema = freshSchema()
    const opened = await Promise.all(
      Array.from({ length: 5 }, () =>
        openPostgresEventStore({ connectionString: TEST_DATABASE_URL, schema })(),
      ),
    )
    expect(opened.every(E.isRight)).toBe(true)
    for (const o of opened) if (E.isRight(o)) await o.right.close()()
    expect((await rawSql(`SELECT version FROM "${schema}".ketnap_schema`)).rows).toEqual([
      { version: SCHEMA_VERSION },
    ])
  })
})

describe.skipIf(POSTGRES_SKIPPED)('read-only', () => {
  it('opens an existing store without writing, and refuses every write', async () => {
    const schema = freshSchema()
    const writer = await openTestStore(schema)
    await writer.append('s', [{ type: 'T', data: 1 }], { expectedVersion: 0 })()
    await writer.close()()
    const reader = await openTestStore(schema, { readonly: true })
    expect(await reader.headPosition()()).toEqual(E.right(1))
    const refusal = { left: { _tag: 'StorageError', message: expect.stringMatching(/read-only/) } }
    expect(await reader.append('s', [{ type: 'T', data: 2 }], { expectedVersion: 1 })()).toMatchObject(
      refusal,
    )
    expect(await reader.saveCheckpoint({ name: 'p', version: 1, position: 1 })()).toMatchObject(refusal)
    expect(await reader.saveSnapshot({ name: 'p', version: 1, position: 1, state: null })()).toMatchObject(
      refusal,
    )
    await reader.close()()
    expect((await rawSql(`SELECT count(*)::int AS n FROM "${schema}".events`)).rows).toEqual([{ n: 1 }])
  })

  it('never creates or migrates a schema', async () => {
    const missing = freshSchema()
    const none = await openPostgresEventStore({
      connectionString: TEST_DATABASE_URL,
      schema: missing,
      readonly: true,
    })()
    expect(none).toMatchObject({ left: { message: expect.stringMatching(/no ketnap store in this schema/) } })
    expect(
      (await rawSql('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [missing])).rowCount,
    ).toBe(0)
    const old = freshSchema()
    await rawSql(`CREATE SCHEMA "${old}"`)
    await rawSql(`CREATE TABLE "${old}".ketnap_schema (version integer NOT NULL)`)
    await rawSql(`INSERT INTO "${old}".ketnap_schema VALUES (0)`)
    const unmigrated = await openPostgresEventStore({
      connectionString: TEST_DATABASE_URL,
      schema: old,
      readonly: true,
    })()
    expect(unmigrated).toMatchObject({ left: { message: expect.stringMatching(/needs a migration/) } })
    expect(await tablesOf(old)).toEqual(['ketnap_schema'])
  })
})

describe.skipIf(POSTGRES_SKIPPED)('refusals', () => {
  it('refuses a schema written by a newer ketnap, naming both versions, and leaves it as it was', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
    await store.append('s', [{ type: 'T', data: 1 }], { expectedVersion: 0 })()
    await store.close()()
    await rawSql(`UPDATE "${schema}".ketnap_schema SET version = $1`, [SCHEMA_VERSION + 1])
    const refused = await openPostgresEventStore({ connectionString: TEST_DATABASE_URL, schema })()
    expect(refused).toMatchObject({ left: { _tag: 'StorageError' } })
    expect(E.isLeft(refused) && refused.left.message).toContain(
      `has schema version ${SCHEMA_VERSION + 1}, written by a newer ketnap; this @ketnap/store-postgres ` +
        `understands up to version ${SCHEMA_VERSION}. Upgrade the library to open it.`,
    )
    expect(E.isLeft(refused) && refused.left.message).toContain(`schema ${schema}`)
    expect((await rawSql(`SELECT version FROM "${schema}".ketnap_schema`)).rows).toEqual([
      { version: SCHEMA_VERSION + 1 },
    ])
    expect((await rawSql(`SELECT count(*)::int AS n FROM "${schema}".events`)).rows).toEqual([{ n: 1 }])
  })

  it("refuses a schema holding someone else's tables, and creates nothing in it", async () => {
    const schema = freshSchema()
    await rawSql(`CREATE SCHEMA "${schema}"`)
    await rawSql(`CREATE TABLE "${schema}".events (whatever text)`)
    const refused = await openPostgresEventStore({ connectionString: TEST_DATABASE_URL, schema })()
    expect(refused).toMatchObject({
      left: { _tag: 'StorageError', message: expect.stringMatching(/not a ketnap store \(events\)/) },
    })
    expect(await tablesOf(schema)).toEqual(['events'])
  })

  it('refuses a version table without exactly one row as corrupt', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
    await store.close()()
    await rawSql(`DELETE FROM "${schema}".ketnap_schema`)
    const refused = await openPostgresEventStore({ connectionString: TEST_DATABASE_URL, schema })()
    expect(refused).toMatchObject({
      left: { _tag: 'StorageError', message: expect.stringMatching(/corrupt/) },
    })
  })

  it('refuses bad options before connecting', async () => {
    const open = (options: Partial<Parameters<typeof openPostgresEventStore>[0]>) =>
      openPostgresEventStore({ connectionString: TEST_DATABASE_URL, ...options })()
    expect(await open({ schema: 'Bad-Name; DROP' })).toMatchObject({
      left: { _tag: 'StorageError', message: expect.stringMatching(/is not accepted/) },
    })
    expect(await open({ connectionString: '' })).toMatchObject({ left: { _tag: 'StorageError' } })
    expect(await open({ batchSize: 0 })).toMatchObject({
      left: { message: expect.stringMatching(/batchSize/) },
    })
    expect(await open({ poolSize: 1.5 })).toMatchObject({
      left: { message: expect.stringMatching(/poolSize/) },
    })
  })

  it('a server that does not answer is a StorageError naming it, without the password', async () => {
    const refused = await openPostgresEventStore({
      connectionString: 'postgres://ketnap:s3cret@127.0.0.1:1/nowhere',
      schema: freshSchema(),
    })()
    expect(refused).toMatchObject({ left: { _tag: 'StorageError' } })
    const message = E.isLeft(refused) ? refused.left.message : ''
    expect(message).toMatch(
      /^postgres:\/\/ketnap:\*\*\*@127\.0\.0\.1:1\/nowhere \(schema ketnap_schema_\d+_\d+\): opening the store failed/,
    )
    expect(message).not.toContain('s3cret')
  })

  it("a database that does not exist is a StorageError with the server's SQLSTATE", async () => {
    const url = new URL(TEST_DATABASE_URL)
    url.pathname = '/ketnap_no_such_database'
    const refused = await openPostgresEventStore({
      connectionString: url.toString(),
      schema: freshSchema(),
    })()
    expect(refused).toMatchObject({
      left: { _tag: 'StorageError', message: expect.stringMatching(/\[3D000\].*does not exist/) },
    })
  })
})
