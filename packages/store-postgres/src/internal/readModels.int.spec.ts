import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import { emptyTable, refreshStatistics, type ReadModelSchema, type SqlStatement } from '@ketnap/kernel'
import { dropSchema, openTestStore, POSTGRES_SKIPPED, rawSql, uniqueSchema } from './testing/database'

const schemas: string[] = []
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema)
})

const model: ReadModelSchema = {
  name: 'stats',
  version: 1,
  tables: [{ name: 'rm_stats_row', columns: [{ name: 'k', type: 'integer' }], primaryKey: ['k'] }],
}

const insert = (k: number): SqlStatement => ({
  sql: 'INSERT INTO rm_stats_row (k) VALUES ($1)',
  params: [k],
  keys: [`row ${k}`],
})

/** What the planner believes the table holds (-1: never analyzed). */
const plannedRows = async (schema: string): Promise<number> =>
  (
    await rawSql<{ n: number }>(
      `SELECT reltuples AS n FROM pg_class WHERE oid = '"${schema}".rm_stats_row'::regclass`,
    )
  ).rows[0]!.n

describe.skipIf(POSTGRES_SKIPPED)("a read model's statistics on PostgreSQL", () => {
  it('are refreshed inside the batch that filled the table, for the statements after the refresh', async () => {
    const schema = uniqueSchema('stats')
    schemas.push(schema)
    const store = await openTestStore(schema)
    try {
      expect(E.isRight(await store.resetReadModel(model)())).toBe(true)
      expect(await plannedRows(schema)).toBe(-1)
      const rows = Array.from({ length: 700 }, (_, i) => insert(i))
      const written = await store.writeReadModel(model, [...rows, refreshStatistics('rm_stats_row')], 0, 1)()
      expect(written).toEqual(E.right('written'))
      expect(await plannedRows(schema)).toBe(700)
      // Without a refresh, the planner keeps what it knew.
      const more = Array.from({ length: 300 }, (_, i) => insert(1000 + i))
      expect(await store.writeReadModel(model, more, 1, 2)()).toEqual(E.right('written'))
      expect(await plannedRows(schema)).toBe(700)
    } finally {
      await store.close()()
    }
  })

  it("plans the keyed statements by their keys and a statement without keys with the server's settings", async () => {
    const schema = uniqueSchema('plans')
    schemas.push(schema)
    const store = await openTestStore(schema)
    const planner: ReadModelSchema = {
      name: 'plans',
      version: 1,
      tables: [
        {
          name: 'rm_plans_setting',
          columns: [
            { name: 'k', type: 'integer' },
            { name: 'seqscan', type: 'text' },
            { name: 'mergejoin', type: 'text' },
          ],
          primaryKey: ['k'],
        },
      ],
    }
    // Each statement records the planner settings it ran with.
    const settings = (k: number, keyed: boolean): SqlStatement => ({
      sql:
        'INSERT INTO rm_plans_setting (k, seqscan, mergejoin) ' +
        "SELECT $1, current_setting('enable_seqscan'), current_setting('enable_mergejoin') WHERE true",
      params: [k],
      ...(keyed ? { keys: [`setting ${k}`] } : {}),
    })
    try {
      expect(E.isRight(await store.resetReadModel(planner)())).toBe(true)
      const server = (
        await rawSql<{ s: string; m: string }>(
          "SELECT current_setting('enable_seqscan') AS s, current_setting('enable_mergejoin') AS m",
        )
      ).rows[0]!
      const statements = [settings(1, true), settings(2, false), settings(3, true), settings(4, false)]
      expect(await store.writeReadModel(planner, statements, 0, 1)()).toEqual(E.right('written'))
      const rows = (
        await rawSql<{ k: number; seqscan: string; mergejoin: string }>(
          `SELECT k, seqscan, mergejoin FROM "${schema}".rm_plans_setting ORDER BY k`,
        )
      ).rows
      expect(rows).toEqual([
        { k: 1, seqscan: 'off', mergejoin: 'off' },
        { k: 2, seqscan: server.s, mergejoin: server.m },
        { k: 3, seqscan: 'off', mergejoin: 'off' },
        { k: 4, seqscan: server.s, mergejoin: server.m },
      ])
    } finally {
      await store.close()()
    }
  })

  it("plans a query with nested loops while its condition holds, and the others with the server's settings", async () => {
    const schema = uniqueSchema('queryplans')
    schemas.push(schema)
    const store = await openTestStore(schema)
    const server = (
      await rawSql<{ h: string; m: string }>(
        "SELECT current_setting('enable_hashjoin') AS h, current_setting('enable_mergejoin') AS m",
      )
    ).rows[0]!
    const setting = {
      sql: "SELECT current_setting('enable_hashjoin') AS h, current_setting('enable_mergejoin') AS m",
      params: [],
    }
    const when = (answer: number): SqlStatement => ({ sql: 'SELECT $1::integer AS yes', params: [answer] })
    try {
      expect(E.isRight(await store.resetReadModel(model)())).toBe(true)
      const answers = await store.queryReadModel([
        { ...setting, byKeyWhen: when(1) },
        setting,
        { ...setting, byKeyWhen: when(0) },
        { ...setting, byKeyWhen: when(1) },
        { ...setting, byKeyWhen: { sql: 'SELECT 1 AS yes WHERE false', params: [] } },
      ])()
      const nested = [{ h: 'off', m: 'off' }]
      const own = [{ h: server.h, m: server.m }]
      expect(answers).toEqual(E.right([nested, own, own, nested, own]))
      // A transaction's settings end with it: the next report starts from the server's.
      expect(await store.queryReadModel([setting])()).toEqual(E.right([own]))
    } finally {
      await store.close()()
    }
  })
})

describe.skipIf(POSTGRES_SKIPPED)("a read model's working table emptied on PostgreSQL", () => {
  it('is truncated in the batch: no row left, and no page of dead rows for the next scan to read', async () => {
    const schema = uniqueSchema('empty')
    schemas.push(schema)
    const store = await openTestStore(schema)
    const pages = async (): Promise<number> =>
      Number(
        (await rawSql<{ n: string }>(`SELECT pg_relation_size('"${schema}".rm_stats_row') AS n`)).rows[0]!.n,
      )
    try {
      expect(E.isRight(await store.resetReadModel(model)())).toBe(true)
      const rows = Array.from({ length: 2000 }, (_, i) => insert(i))
      expect(await store.writeReadModel(model, rows, 0, 1)()).toEqual(E.right('written'))
      expect(await pages()).toBeGreaterThan(0)
      const emptied = await store.writeReadModel(
        model,
        [insert(5000), emptyTable('rm_stats_row'), insert(7)],
        1,
        2,
      )()
      expect(emptied).toEqual(E.right('written'))
      const left = await store.queryReadModel([
        { sql: 'SELECT k FROM rm_stats_row ORDER BY k', params: [] },
      ])()
      expect(left).toEqual(E.right([[{ k: 7 }]]))
      // One page for the one row written after: the 2,000 rows before are gone, not dead in place.
      expect(await pages()).toBe(8192)
    } finally {
      await store.close()()
    }
  })
})
