/**
 * The example queries of docs/read-models.md give the same figures as the reports: the seed scenarios
 * imported into a SQLite file and a PostgreSQL schema, each documented query (one per report) run as an
 * analyst would (through the store, on the read model's tables) for every organization, date and
 * period a scenario reports on, against the report's figures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { demoLog, scenarios, toJsonLine } from '@ketnap/examples/scenarios'
import { parsePeriod, partyDevelopment, type Report, type ReportName } from '@ketnap/core'
import type { EventStore, ReadModelStore, SqlRow } from '@ketnap/kernel'
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

/** A report the documented query of `name` answers, and its figures named as the query's columns. */
interface DocumentedReport {
  /** The values of the query's `params` row for a scenario's organization, date and period. */
  readonly params: (q: { orgId: string; asOf: string; period: string }) => ReadonlyArray<string | number>
  /** The report's figures as the query's rows give them. */
  readonly figures: (r: Report) => Readonly<Record<string, unknown>>
  /** The query's rows as the same figures. */
  readonly read: (rows: ReadonlyArray<SqlRow>) => Readonly<Record<string, unknown>>
}

/** The period's first day and its last counted one (the as-of date when earlier). */
const window = (period: string, asOf: string): [string, string] => {
  const r = parsePeriod(period)
  if (r === null) throw new Error(`period ${period}`)
  return [r.from, asOf < r.to ? asOf : r.to]
}

const firstRow = (rows: ReadonlyArray<SqlRow>): SqlRow => {
  const [row] = rows
  if (row === undefined) throw new Error('the query gave no row')
  return row
}

/** The named columns of the first row. */
const columns =
  (...names: string[]) =>
  (rows: ReadonlyArray<SqlRow>): Record<string, unknown> =>
    Object.fromEntries(names.map((n) => [n, firstRow(rows)[n]]))

/** Rows `key, count` as a record, as the reports' own records without their zeros. */
const counted =
  (key: string, count: string) =>
  (rows: ReadonlyArray<SqlRow>): Record<string, unknown> =>
    Object.fromEntries(rows.map((r) => [String(r[key]), r[count]]))
const withoutZeros = (r: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(Object.entries(r).filter(([, n]) => n !== 0))

const as = <N extends Report['report']>(r: Report, name: N): Extract<Report, { report: N }> => {
  if (r.report !== name) throw new Error(`${name} expected, got ${r.report}`)
  return r as Extract<Report, { report: N }>
}

const DOCUMENTED: Readonly<Record<Exclude<ReportName, 'attainment'>, DocumentedReport>> = {
  coverage: {
    params: (q) => [q.orgId, q.asOf],
    figures: (r) => {
      const c = as(r, 'coverage')
      return { units: c.units, with_organization: c.withOrganization }
    },
    read: columns('units', 'with_organization'),
  },
  'blank-villages': {
    params: (q) => [q.orgId, q.asOf],
    figures: (r) => {
      const b = as(r, 'blank-villages')
      return {
        villages: b.villages,
        with_organization: b.withOrganization,
        without_members: b.withoutMembers,
      }
    },
    read: columns('villages', 'with_organization', 'without_members'),
  },
  'village-heads': {
    params: (q) => [q.orgId, q.asOf],
    figures: (r) => {
      const v = as(r, 'village-heads')
      return { villages_with_head: v.villagesWithHead, heads_who_are_members: v.headsWhoAreMembers }
    },
    read: columns('villages_with_head', 'heads_who_are_members'),
  },
  training: {
    params: (q) => [q.orgId, ...window(q.period, q.asOf)],
    figures: (r) => {
      const t = as(r, 'training')
      return { classes: t.classes, trainees: t.trainees }
    },
    read: columns('classes', 'trainees'),
  },
  roll: {
    params: (q) => [q.orgId, q.asOf],
    figures: (r) => {
      const m = as(r, 'roll')
      return { members: m.members, female: m.female, ethnic_minority: m.ethnicMinority }
    },
    read: columns('members', 'female', 'ethnic_minority'),
  },
  organizations: {
    params: (q) => [q.orgId, q.asOf],
    figures: (r) => {
      const o = as(r, 'organizations')
      return { grassroots: o.grassroots, committees: o.byForm.committee, cells: o.cells, members: o.members }
    },
    read: columns('grassroots', 'committees', 'cells', 'members'),
  },
  ratings: {
    params: (q) => [q.orgId, Number(q.period), q.asOf],
    figures: (r) => withoutZeros(as(r, 'ratings').byRating),
    read: counted('rating', 'organizations'),
  },
  funnel: {
    params: (q) => [q.orgId, ...window(q.period, q.asOf)],
    figures: (r) => {
      const f = as(r, 'funnel')
      const { nominated, trained, verified, decided, admitted, confirmed, closed } = f
      return withoutZeros({ nominated, trained, verified, decided, admitted, confirmed, closed })
    },
    read: counted('step', 'persons'),
  },
}

/**
 * Every organization and date a scenario reports on, with the first period it is asked for (the year of
 * the date without one).
 */
const asked = (() => {
  const first = new Map<string, { orgId: string; asOf: string; period: string }>()
  for (const s of scenarios)
    for (const r of s.reports) {
      const asOf = r.query.asOf
      const key = `${r.query.orgId} ${String(asOf)}`
      if (asOf !== undefined && !first.has(key))
        first.set(key, { orgId: r.query.orgId, asOf, period: r.query.period ?? asOf.slice(0, 4) })
    }
  return [...first.values()]
})()

const RATINGS = ['excellent', 'good', 'fulfilled', 'not-fulfilled'] as const

/**
 * The seed scenarios record no rating: ratings of their organizations, early each year for the year
 * before (some given again), so that the documented ratings query has figures to give.
 */
const ratingLines = async (store: EventStore & ReadModelStore): Promise<string[]> => {
  const [orgs = []] = right(
    await store.queryReadModel([
      { sql: 'SELECT org_id, registered_on FROM rm_reports_org ORDER BY pos', params: [] },
    ])(),
  )
  const lines: string[] = []
  orgs.forEach((o, i) => {
    for (const year of [2015, 2017, 2020, 2021]) {
      const on = `${year + 1}-01-${String(10 + (i % 15)).padStart(2, '0')}`
      if (String(o['registered_on']) > on || (i + year) % 3 === 0) continue
      for (const again of (i + year) % 5 === 0 ? [0, 1] : [0])
        lines.push(
          JSON.stringify({
            id: `rating-${String(o['org_id'])}-${year}-${again}`,
            type: 'OrganizationRated',
            data: { orgId: o['org_id'], year, rating: RATINGS[(i + again) % 4], on },
            recordedAt: '2023-02-01T01:00:00.000Z',
            actor: 'db16-ban-to-chuc',
          }),
        )
    }
  })
  return lines
}

const documentedFiguresHold =
  (open: () => Promise<EventStore & ReadModelStore>, analyze: () => Promise<void> = async () => {}) =>
  async () => {
    const store = await open()
    try {
      const ledger = createLedger({ store, domain: partyDevelopment() })
      right(await ledger.importEvents(demoLog().map(toJsonLine), owner())())
      right(await ledger.importEvents(await ratingLines(store), owner())())
      await analyze()
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
      // Every other report: each organization, date and period a scenario reports on (ratings for the
      // year before the date), the documented query against the report's figures.
      expect(asked.length).toBeGreaterThan(5)
      for (const [name, doc] of Object.entries(DOCUMENTED) as Array<[ReportName, DocumentedReport]>) {
        const shown: unknown[] = []
        for (const q of asked) {
          const query = name === 'ratings' ? { ...q, period: String(Number(q.asOf.slice(0, 4)) - 1) } : q
          const report = right(await ledger.report(name, owner(), query)())
          const values = doc.params(query).map((v) => (typeof v === 'number' ? String(v) : literal(v)))
          const sql = documentedQuery(name).replace(/VALUES \([^)]*\)/, `VALUES (${values.join(', ')})`)
          const [rows = []] = right(await store.queryReadModel([{ sql, params: [] }])())
          const figures = doc.figures(report)
          expect({ name, query, figures: doc.read(rows) }).toEqual({ name, query, figures })
          shown.push(...Object.values(figures))
        }
        // The seed gives each query figures to check, not only zeros.
        expect(shown.some((v) => typeof v === 'number' && v > 0)).toBe(true)
      }
    } finally {
      await store.close()()
    }
  }

describe('the example queries of docs/read-models.md', () => {
  it(
    'give the figures of the reports on SQLite',
    documentedFiguresHold(async () => right(await openSqliteEventStore(join(dir, 'docs.db'))())),
    480_000,
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
    documentedFiguresHold(
      async () => right(await openPostgresEventStore({ connectionString: POSTGRES_URL, schema })()),
      // As autovacuum would after an import: without statistics the planner picks nested loops.
      async () => {
        const client = new pg.Client({ connectionString: POSTGRES_URL })
        await client.connect()
        try {
          const { rows } = await client.query<{ tablename: string }>(
            "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'rm\\_%'",
            [schema],
          )
          for (const { tablename } of rows) await client.query(`ANALYZE "${schema}"."${tablename}"`)
        } finally {
          await client.end()
        }
      },
    ),
    480_000,
  )
})
