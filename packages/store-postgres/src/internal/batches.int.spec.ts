import type { SqlStatement } from '@ketnap/kernel'
import fc from 'fast-check'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batched } from './batches'
import { POSTGRES_SKIPPED, TEST_DATABASE_URL, uniqueSchema } from './testing/database'

const TABLES = [
  'CREATE TABLE t (k TEXT NOT NULL, pos INTEGER NOT NULL, valid_from TEXT NOT NULL, v INTEGER, ' +
    'valid_to TEXT, superseded_pos INTEGER, PRIMARY KEY (k, pos))',
  'CREATE TABLE g (k TEXT NOT NULL PRIMARY KEY, x DOUBLE PRECISION)',
]

const SQL = {
  close: 'UPDATE t SET valid_to = $2, superseded_pos = $3 WHERE k = $1 AND superseded_pos IS NULL',
  push: 'INSERT INTO t (k, pos, valid_from, v) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
  pushWhen:
    'INSERT INTO t (k, pos, valid_from, v) SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM g WHERE k = $1)',
  group: 'INSERT INTO g (k, x) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  // No keys: runs after every earlier statement and before every later one.
  everything: 'UPDATE t SET v = coalesce(v, 0) + 1 WHERE pos % 3 = 0',
} as const

// Keys with quotes and backslashes, written into the SQL as literals and array elements.
const key = fc.constantFrom('a', 'b', 'c', `o'q"\\x`, 'NULL')
const date = fc.constantFrom('2020-01-01', '2021-06-30', '2022-12-31')
const step = fc.oneof(
  fc.record({ kind: fc.constant('close' as const), key, date }),
  fc.record({ kind: fc.constant('push' as const), key, date, v: fc.option(fc.integer({ min: -5, max: 5 })) }),
  fc.record({
    kind: fc.constant('pushWhen' as const),
    key,
    date,
    v: fc.option(fc.integer({ min: 0, max: 5 })),
  }),
  fc.record({
    kind: fc.constant('group' as const),
    key,
    x: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true })),
  }),
  fc.record({ kind: fc.constant('everything' as const) }),
)
type Step = typeof step extends fc.Arbitrary<infer A> ? A : never

const statementOf = (s: Step, pos: number): SqlStatement => {
  switch (s.kind) {
    case 'close':
      return { sql: SQL.close, params: [s.key, s.date, pos], keys: [`t ${s.key}`] }
    case 'push':
      return { sql: SQL.push, params: [s.key, pos, s.date, s.v], keys: [`t ${s.key}`] }
    case 'pushWhen':
      return { sql: SQL.pushWhen, params: [s.key, pos, s.date, s.v], keys: [`t ${s.key}`, `g ${s.key}`] }
    case 'group':
      return { sql: SQL.group, params: [s.key, s.x], keys: [`g ${s.key}`] }
    case 'everything':
      return { sql: SQL.everything, params: [] }
  }
}

describe.skipIf(POSTGRES_SKIPPED)('statements batched by their keys', () => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  const schemas = [uniqueSchema('batch_one'), uniqueSchema('batch_many')]
  beforeAll(async () => {
    await client.connect()
  })
  afterAll(async () => {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`)
    await client.end()
  })

  const run = async (schema: string, texts: ReadonlyArray<{ readonly sql: string }>) => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`)
    await client.query(`SET search_path TO ${schema}`)
    for (const t of TABLES) await client.query(t)
    await client.query(`BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_mergejoin = off`)
    await client.query(texts.map((t) => t.sql).join(';\n'))
    await client.query('COMMIT')
    return [
      (await client.query('SELECT * FROM t ORDER BY k, pos')).rows,
      (await client.query('SELECT * FROM g ORDER BY k')).rows,
    ]
  }

  it('leave the tables as the statements run one by one in order', async () => {
    const literal = (v: string | number | null): string =>
      v === null ? 'NULL' : typeof v === 'number' ? `(${String(v)})` : client.escapeLiteral(v)
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        async (steps, max) => {
          const statements = steps.map((s, i) => statementOf(s, i + 1))
          const one = await run(
            schemas[0]!,
            statements.flatMap((s) => batched([s], literal, 1)),
          )
          const many = batched(statements, literal, max)
          expect(await run(schemas[1]!, many)).toEqual(one)
          // Statements of the same keys' rows stay in order; others run many at once.
          expect(many.reduce((n, b) => n + b.rows, 0)).toBe(statements.length)
        },
      ),
      { numRuns: 40 },
    )
  })
})
