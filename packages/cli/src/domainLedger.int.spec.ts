/**
 * The domain stays pluggable: the ledger's generic path (`createDomainLedger`) over the kernel's toy
 * domain, a lending library that knows nothing of parties, on a real SQLite file and a real PostgreSQL
 * schema (the CLI is the composition root, so the test lives here). Its JSON Lines are imported, its
 * report is answered from the read model the domain declares (kept in the store by the kernel's runner)
 * and equals the replay, the chain verifies, and the export is the imported file byte for byte. A read
 * model the domain declares beside its reports' one is kept caught up and rebuilt with it, and a load
 * that names events of the log besides its rows (`ReportLoad.events`) gets them decoded, in log order.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EventStore, ReadModel } from '@ketnap/kernel'
import Database from 'better-sqlite3'
import { libraryDomain, type LibraryEvent, type LoansReport } from '@ketnap/kernel/conformance'
import { createDomainLedger, owner, boundActor } from '@ketnap/ledger'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'

const POSTGRES_URL = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const POSTGRES_SKIPPED = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')

const dir = mkdtempSync(join(tmpdir(), 'ketnap-domain-ledger-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const now = () => new Date('2024-06-01T00:00:00Z')

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

/** A library's history: members join, books are added, lent and returned, over two months. */
const history = (): string[] => {
  const lines: string[] = []
  const at = (day: number): string => new Date(Date.UTC(2024, 3, 1 + day)).toISOString()
  for (let m = 1; m <= 4; m++)
    lines.push(JSON.stringify({ type: 'MemberJoined', data: { memberId: `m${m}` }, recordedAt: at(0) }))
  for (let b = 1; b <= 6; b++)
    lines.push(
      JSON.stringify({ type: 'BookAdded', data: { bookId: `b${b}`, title: `Sách ${b}` }, recordedAt: at(1) }),
    )
  for (let day = 2; day < 60; day++) {
    const book = `b${(day % 6) + 1}`
    const memberId = `m${(day % 4) + 1}`
    lines.push(JSON.stringify({ type: 'BookLent', data: { bookId: book, memberId }, recordedAt: at(day) }))
    lines.push(
      JSON.stringify({ type: 'BookReturned', data: { bookId: book, memberId }, recordedAt: at(day) }),
    )
  }
  return lines
}

const exported = async (ledger: ReturnType<typeof libraryLedger>): Promise<string[]> => {
  const lines: string[] = []
  for await (const item of ledger.exportLines(owner())) lines.push(right(item))
  return lines
}

const libraryLedger = (store: EventStore) => createDomainLedger({ store, domain: libraryDomain, now })

/** Import, reports from the read model and by replay, verify, export → import → export, on `open()`'s stores. */
const roundTrip = async (open: (name: string) => Promise<EventStore>): Promise<void> => {
  const store = await open('first')
  const ledger = libraryLedger(store)
  const lines = history()
  const imported = right(await ledger.importEvents(lines, owner())())
  expect(imported.appended).toBe(lines.length)

  // The read model the domain declares stands at the head once the import has committed.
  const status = right(await ledger.catchUpReadModels()())
  expect(status?.position).toBe(imported.head.position)

  const asks = [
    {},
    { memberId: 'm2' },
    { knownAt: '2024-04-20T00:00:00.000Z' },
    { memberId: 'm3', knownAt: '2024-05-10T12:00:00Z' },
  ]
  for (const query of asks) {
    const fromTables = right(await ledger.report('loans', owner(), query)())
    const replayed = right(await ledger.report('loans', owner(), { ...query, replay: true })())
    expect(fromTables).toEqual(replayed)
    expect(fromTables.log).toEqual(imported.head)
  }
  const all: LoansReport = right(await ledger.report('loans', owner(), {})())
  expect(all.total).toBe(58)
  expect(all.loans).toEqual({ m1: 14, m2: 14, m3: 15, m4: 15 })
  const early = right(await ledger.report('loans', owner(), { knownAt: '2024-04-05T00:00:00Z' })())
  expect(early.total).toBe(3)

  // The query is decoded by the domain once: a refusal names its field; a bound actor reads nothing
  // without an access policy.
  const refused = await ledger.report('loans', owner(), { knownAt: 'soon' })()
  expect(E.isLeft(refused) ? refused.left : null).toMatchObject({ code: 'invalid-query', path: 'knownAt' })
  const bound = await ledger.report('loans', boundActor('m1'), {})()
  expect(E.isLeft(bound) ? bound.left : null).toMatchObject({ _tag: 'ForbiddenError' })

  // A rebuild folds the whole log into the tables again, and answers the same.
  right(await ledger.rebuildReadModels()())
  expect(right(await ledger.report('loans', owner(), {})())).toEqual(all)

  expect(right(await ledger.verify()())).toMatchObject({ ok: true, head: imported.head })

  const first = await exported(ledger)
  expect(first).toHaveLength(lines.length)
  const second = await open('second')
  const copy = libraryLedger(second)
  right(await copy.importEvents(first, owner())())
  expect(await exported(copy)).toEqual(first)
  expect(right(await copy.verify()())).toMatchObject({ ok: true, head: imported.head })
  expect(right(await copy.report('loans', owner(), {})())).toEqual(all)
  // A repeated import of the export appends nothing.
  expect(right(await copy.importEvents(first, owner())())).toMatchObject({ appended: 0 })
  right(await store.close()())
  right(await second.close()())
}

/** A read model no report reads: the members who joined, one row each. */
const membersReadModel: ReadModel<LibraryEvent> = {
  name: 'members',
  version: 1,
  tables: [
    {
      name: 'rm_members_joined',
      columns: [
        { name: 'pos', type: 'integer' },
        { name: 'member_id', type: 'text' },
      ],
      primaryKey: ['pos'],
    },
  ],
  writes: (event, at) =>
    event.type === 'MemberJoined'
      ? [
          {
            sql: 'INSERT INTO rm_members_joined (pos, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
            params: [at.position, event.memberId],
          },
        ]
      : [],
}

describe('createDomainLedger over the kernel toy domain', () => {
  it('SQLite: imports, reports through the read model, verifies and exports byte for byte', async () => {
    await roundTrip(async (name) => right(await openSqliteEventStore(join(dir, `${name}.db`), { now })()))
    // The report is read from the tables, not replayed: a row taken out of them is missing from it.
    const path = join(dir, 'first.db')
    const db = new Database(path)
    expect(db.prepare('SELECT count(*) AS n FROM rm_library_loan').get()).toEqual({ n: 58 })
    db.prepare(
      "DELETE FROM rm_library_loan WHERE member_id = 'm1' AND pos = (SELECT max(pos) FROM rm_library_loan WHERE member_id = 'm1')",
    ).run()
    db.close()
    const store = right(await openSqliteEventStore(path, { now })())
    const ledger = libraryLedger(store)
    expect(right(await ledger.report('loans', owner(), {})()).loans).toMatchObject({ m1: 13 })
    expect(right(await ledger.report('loans', owner(), { replay: true })()).loans).toMatchObject({ m1: 14 })
    right(await store.close()())
  })

  it.skipIf(POSTGRES_SKIPPED)(
    'PostgreSQL: imports, reports through the read model, verifies and exports byte for byte',
    { timeout: 60_000 },
    async () => {
      const schemas: string[] = []
      try {
        await roundTrip(async (name) => {
          const schema = `ketnap_domain_${name}_${process.pid}`
          schemas.push(schema)
          return right(await openPostgresEventStore({ connectionString: POSTGRES_URL, schema, now })())
        })
      } finally {
        const client = new pg.Client({ connectionString: POSTGRES_URL })
        await client.connect()
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await client.end()
      }
    },
  )

  it("reads the events a report's load names besides its rows, decoded, into the state (ReportLoad.events)", async () => {
    // The loans read as positions from the table, each loan's member from the event at its position.
    const asked: number[][] = []
    const base = libraryDomain.reporting.readModel
    const domain = {
      ...libraryDomain,
      reporting: {
        ...libraryDomain.reporting,
        readModel: {
          ...base,
          load: (...args: Parameters<typeof base.load>) => {
            const bounds = args[2]
            const positions: number[] = []
            return {
              queries: [
                {
                  sql: 'SELECT pos FROM rm_library_loan WHERE pos <= $1 AND pos <= $2 ORDER BY pos',
                  params: [bounds.position, bounds.known],
                },
              ],
              assemble: (rows: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>) =>
                (rows[0] ?? []).map((row) => {
                  positions.push(Number(row['pos']))
                  return { memberId: '', recordedAt: '' }
                }),
              events: {
                positions: () => positions,
                apply: (
                  state: Array<{ memberId: string; recordedAt: string }>,
                  events: ReadonlyArray<{ readonly event: LibraryEvent; readonly position: number }>,
                ) => {
                  asked.push(events.map((e) => e.position))
                  const at = new Map(events.map((e) => [e.position, e.event]))
                  return state.map((loan, i) => {
                    const event = at.get(positions[i]!)
                    return event?.type === 'BookLent' ? { ...loan, memberId: event.memberId } : loan
                  })
                },
              },
            }
          },
        },
      },
    }
    const store = right(await openSqliteEventStore(join(dir, 'events.db'), { now })())
    try {
      const ledger = createDomainLedger({ store, domain, now })
      right(await ledger.importEvents(history(), owner())())
      for (const query of [{}, { memberId: 'm2' }, { knownAt: '2024-04-20T00:00:00.000Z' }]) {
        const fromTables = right(await ledger.report('loans', owner(), query)())
        expect(fromTables).toEqual(right(await ledger.report('loans', owner(), { ...query, replay: true })()))
      }
      // Exactly the loans' events were read, in log order: 58 for everyone's, 18 by 20 April (days 2 to 19).
      expect(asked.map((p) => p.length)).toEqual([58, 58, 18])
      expect(asked[0]).toEqual([...(asked[0] ?? [])].sort((a, b) => a - b))
    } finally {
      right(await store.close()())
    }
  })

  it("keeps every read model the domain declares caught up, not only its reports' one, and rebuilds them", async () => {
    const domain = { ...libraryDomain, readModels: [...(libraryDomain.readModels ?? []), membersReadModel] }
    const path = join(dir, 'members.db')
    const members = (): unknown => {
      const db = new Database(path, { readonly: true })
      try {
        return db.prepare('SELECT member_id FROM rm_members_joined ORDER BY pos').all()
      } finally {
        db.close()
      }
    }
    const store = right(await openSqliteEventStore(path, { now })())
    const ledger = createDomainLedger({ store, domain, now })
    right(await ledger.importEvents(history(), owner())())
    right(await ledger.catchUpReadModels()())
    const joined = ['m1', 'm2', 'm3', 'm4'].map((member_id) => ({ member_id }))
    expect(members()).toEqual(joined)
    right(
      await ledger.importEvents(
        [JSON.stringify({ type: 'MemberJoined', data: { memberId: 'm5' } })],
        owner(),
      )(),
    )
    expect(members()).toEqual([...joined, { member_id: 'm5' }])
    right(await ledger.rebuildReadModels()())
    expect(members()).toEqual([...joined, { member_id: 'm5' }])
    right(await store.close()())
  })
})
