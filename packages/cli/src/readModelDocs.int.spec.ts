/**
 * The example queries of docs/read-models.md give the same figures as the reports: the seed scenarios
 * imported into a SQLite file and a PostgreSQL schema, each documented query run as an analyst would
 * (through the store, on the read model's tables) with the values of every scenario report it answers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { demoLog, scenarios, toJsonLine } from '@ketnap/examples/scenarios'
import { parsePeriod, partyDevelopment } from '@ketnap/core'
import type { EventStore, ReadModelStore } from '@ketnap/kernel'
import { createLedger, owner } from '@ketnap/ledger'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'

const POSTGRES_URL = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const POSTGRES_SKIPPED = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')

const docs = readFileSync(
  resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..', 'docs', 'read-models.md'),
  'utf8',
)

/** The SQL block that follows `<!-- query: NAME -->` in the documentation. */
const documentedQuery = (name: string): string => {
  const m = new RegExp(`<!-- query: ${name} -->\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\``).exec(docs)
  if (m?.[1] === undefined) throw new Error(`docs/read-models.md has no query ${name}`)
  return m[1]
}

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

const dir = mkdtempSync(join(tmpdir(), 'ketnap-read-model-docs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Every attainment report of the scenarios for all occupations (the documented query's case). */
const attainments = scenarios.flatMap((s) =>
  s.reports.flatMap((r) =>
    r.name === 'attainment' && r.query.occupation === undefined && r.query.period !== undefined
      ? [{ key: s.key, query: { ...r.query, period: r.query.period } }]
      : [],
  ),
)

const documentedFiguresHold = (open: () => Promise<EventStore & ReadModelStore>) => async () => {
  const store = await open()
  try {
    const ledger = createLedger({ store, domain: partyDevelopment() })
    right(await ledger.importEvents(demoLog().map(toJsonLine), owner())())
    expect(attainments.length).toBeGreaterThan(0)
    for (const { query } of attainments) {
      const report = right(await ledger.report('attainment', owner(), query)())
      if (report.report !== 'attainment') throw new Error('attainment expected')
      const period = parsePeriod(query.period)
      if (period === null) throw new Error(`period ${query.period}`)
      const end = query.asOf !== undefined && query.asOf < period.to ? query.asOf : period.to
      const values = [query.orgId, query.period, period.from, end].map(literal).join(', ')
      const sql = documentedQuery('attainment').replace(/VALUES \([^)]*\)/, `VALUES (${values})`)
      const [rows = []] = right(await store.queryReadModel([{ sql, params: [] }])())
      const lines = rows
        .filter((r) => r['assigned_by'] !== null)
        .map((r) => ({ assignedBy: r['assigned_by'], target: r['target'] }))
        .sort((a, b) => String(a.assignedBy).localeCompare(String(b.assignedBy)))
      expect({ admitted: rows[0]?.['admitted'], direct: rows[0]?.['direct'], lines }).toEqual({
        admitted: report.admitted,
        direct: report.direct,
        lines: report.quotas
          .filter((q) => q.assignedBy !== undefined)
          .map((q) => ({ assignedBy: q.assignedBy, target: q.target }))
          .sort((a, b) => a.assignedBy.localeCompare(b.assignedBy)),
      })
    }
  } finally {
    await store.close()()
  }
}

describe('the example queries of docs/read-models.md', () => {
  it(
    'give the figures of the reports on SQLite',
    documentedFiguresHold(async () => right(await openSqliteEventStore(join(dir, 'docs.db'))())),
    120_000,
  )

  const schema = `ketnap_read_model_docs_${process.pid}`
  afterAll(async () => {
    if (POSTGRES_SKIPPED) return
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await client.end()
  })
  it.skipIf(POSTGRES_SKIPPED)(
    'give the figures of the reports on PostgreSQL',
    documentedFiguresHold(async () =>
      right(await openPostgresEventStore({ connectionString: POSTGRES_URL, schema })()),
    ),
    120_000,
  )
})
