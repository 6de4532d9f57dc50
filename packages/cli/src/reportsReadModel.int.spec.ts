/**
 * The reports read from the store's read model equal the replay of the log (the reference), on SQLite
 * and PostgreSQL: generated histories appended in chunks (the tables caught up after each), reports
 * asked for random organizations, periods, dates, knowledge instants, occupations and with or without
 * --include-merged (half the histories merge a district into another), and a rebuild
 * giving the same tables. The CLI is the composition root, so the test lives here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@fast-check/vitest'
import Database from 'better-sqlite3'
import {
  addDays,
  agedOn,
  defaultPolicy,
  OCCUPATIONS,
  partyDevelopment,
  servedOn,
  type DomainEvent,
  type Policies,
  READ_MODEL_REPORTS,
  TAIL_REPORTS,
  type ReportName,
} from '@ketnap/core'
import { envelopesOf, historyArb, mergeDistricts, type GeneratedHistory } from '@ketnap/core/testing'
import type { Envelope, EventStore, StreamAppend } from '@ketnap/kernel'
import { createLedger, masterKey, owner, type Ledger, type ReportOptions } from '@ketnap/ledger'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { SAMPLE_HISTORY } from './internal/testing/cliBinary'

const POSTGRES_URL = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const POSTGRES_SKIPPED = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')

const dir = mkdtempSync(join(tmpdir(), 'ketnap-read-model-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

const now = (): Date => new Date('2026-01-01T00:00:00Z')

/** Appends envelopes in log order, as given (their recordedAt and ids kept). */
const appendAll = async (store: EventStore, envelopes: ReadonlyArray<Envelope>): Promise<void> => {
  if (envelopes.length === 0) return
  const parts: StreamAppend[] = envelopes.map((e) => ({
    stream: e.stream,
    events: [{ type: e.type, data: e.data, id: e.id, recordedAt: e.recordedAt }],
    expectedVersion: 'any',
  }))
  right(await store.appendBatch(parts)())
}

/**
 * The dates on which what the roll counts of a member turns without an event of that date: the end of a
 * probation and a thirtieth birthday (and an existing member's registration), each with the day before.
 */
const turningDates = (h: GeneratedHistory): ReadonlyArray<string> => {
  const dates = new Set<string>()
  const add = (d: string): void => {
    dates.add(d)
    dates.add(addDays(d, -1))
  }
  for (const e of h.events)
    if (e.type === 'MemberAdmitted') add(servedOn(e.data.on))
    else if (e.type === 'ExistingMemberRegistered') {
      add(servedOn(e.data.admittedOn))
      add(e.data.on)
      if (e.data.profile !== undefined && 'birthDate' in e.data.profile) add(agedOn(e.data.profile.birthDate))
    } else if (e.type === 'CandidateNominated' && 'birthDate' in e.data.profile)
      add(agedOn(e.data.profile.birthDate))
  return [...dates]
}

/**
 * The history with every transfer, move and departure dated `days` earlier than generated, recorded
 * where it was: backdated facts, some before the entries they follow in the log (a transfer before the
 * admission it follows, a move before the last one), as a late correction records them.
 */
const backdated = (h: GeneratedHistory, days: number): GeneratedHistory =>
  days === 0
    ? h
    : {
        ...h,
        events: h.events.map((e): DomainEvent => {
          switch (e.type) {
            case 'MemberTransferred':
              return { ...e, data: { ...e.data, on: addDays(e.data.on, -days) } }
            case 'MemberMoved':
              return { ...e, data: { ...e.data, on: addDays(e.data.on, -days) } }
            case 'MemberLeft':
              return { ...e, data: { ...e.data, on: addDays(e.data.on, -days) } }
            default:
              return e
          }
        }),
      }

/** A query drawn for a history: an organization of it (or an unknown one), a period, the two clocks. */
const queryArb = (h: GeneratedHistory, instants: ReadonlyArray<string>): fc.Arbitrary<ReportOptions> =>
  fc.record(
    {
      orgId: fc.constantFrom(
        h.model.province,
        ...h.model.districts,
        ...h.model.grassrootsParents.keys(),
        ...h.model.cellParent.keys(),
        'nowhere',
      ),
      period: fc.constantFrom('2016', '2017', '2018', '2019', '2016-2020', '2017-03-01/2018-06-30', 'x'),
      asOf: fc.oneof(
        fc.constantFrom('2016-06-30', '2017-12-31', '2019-01-01', '2025-12-31'),
        fc.constantFrom('2016-06-30', ...turningDates(h)),
      ),
      knownAt: fc.constantFrom(...instants, '2016-01-01T00:00:00+07:00', '2018-07-01T12:00:00Z'),
      occupation: fc.constantFrom(...OCCUPATIONS),
      since: fc.constantFrom('2015-06-30', '2016-12-31', '2018-03-01'),
      includeMerged: fc.boolean(),
    },
    { requiredKeys: ['orgId', 'period', 'asOf'] },
  )

const reportBoth = async (
  ledger: Ledger,
  name: ReportName,
  query: ReportOptions,
): Promise<readonly [unknown, unknown]> => [
  await ledger.report(name, owner(), query)(),
  await ledger.report(name, owner(), { ...query, replay: true })(),
]

/**
 * Dated policies other than the default ones: from 1 July 2017 a simple majority, 18 months of
 * probation and shorter deadlines (the funnel's cell approvals and deadlines, and the roll's official
 * members, read the policy in force on each date; the roll then reads the members' rows).
 */
const otherPolicies: Policies = [
  { ...defaultPolicy, validFrom: '2016-01-01' },
  {
    ...defaultPolicy,
    validFrom: '2017-07-01',
    majority: { numerator: 1, denominator: 2 },
    probationMonths: 18,
    decisionDeadlineWorkingDays: 20,
    ceremonyDeadlineWorkingDays: 10,
    certificateValidityMonths: 12,
  },
]

/** The property on stores opened by `open` (a fresh, empty store each time). */
const agreesWithReplay = (
  open: (label: string) => Promise<{ store: EventStore; close: () => Promise<void> }>,
) => {
  let runs = 0
  test.prop(
    [
      // Half the histories merge a district into another (OrganizationDissolved.mergedInto), for
      // --include-merged.
      // A third of them with backdated transfers, moves and departures.
      fc
        .tuple(
          historyArb(12),
          fc.constantFrom(null, '2016-07-01', '2017-09-15'),
          fc.constantFrom(0, 0, 0, 0, 90, 400),
          // A third of them reported under other dated policies.
          fc.constantFrom(undefined, undefined, otherPolicies),
        )
        .chain(([generated, on, days, policies]) => {
          const g = backdated(generated, days)
          const h = (on === null ? null : mergeDistricts(g, on)) ?? g
          const envelopes = envelopesOf(h.events)
          const instants = envelopes.map((e) => e.recordedAt)
          return fc.tuple(
            fc.constant(policies),
            fc.constant(envelopes),
            fc.array(fc.nat(envelopes.length), { maxLength: 2 }),
            fc.array(queryArb(h, instants.length === 0 ? ['2020-01-01T00:00:00Z'] : instants), {
              minLength: 4,
              maxLength: 8,
            }),
          )
        }),
    ],
    { numRuns: 20 },
  )(
    'every ported report equals the replay, caught up chunk by chunk and rebuilt',
    async ([policies, envelopes, cuts, queries]) => {
      const { store, close } = await open(`p${++runs}`)
      try {
        const ledger = createLedger({
          store,
          domain: partyDevelopment(policies === undefined ? undefined : { policies }),
          now,
        })
        // Appended in chunks, the tables caught up after each: incremental writes, not only a rebuild.
        const bounds = [...new Set([0, ...cuts, envelopes.length])].sort((a, b) => a - b)
        for (let i = 1; i < bounds.length; i++) {
          await appendAll(store, envelopes.slice(bounds[i - 1], bounds[i]))
          right(await ledger.catchUpReadModels()())
        }
        for (const query of queries) {
          for (const name of READ_MODEL_REPORTS) {
            const [tables, replay] = await reportBoth(ledger, name, query)
            expect(tables).toEqual(replay)
          }
          // The roll without a period keeps its subtree's groups in the query (the others need one).
          const { period: _, ...headcount } = query
          const [tables, replay] = await reportBoth(ledger, 'roll', headcount)
          expect(tables).toEqual(replay)
        }
        // A rebuild from the log gives the same answers.
        expect(right(await ledger.rebuildReadModels()())).toEqual({
          position: envelopes.length,
          rebuilt: true,
        })
        const [first] = queries
        if (first !== undefined) {
          const [tables, replay] = await reportBoth(ledger, 'attainment', first)
          expect(tables).toEqual(replay)
        }
      } finally {
        await close()
      }
    },
    // Nine reports for every query, twenty histories: minutes on a loaded machine.
    240_000,
  )
}

/** A generated history, its envelopes, and three to six queries drawn for it. */
const historyAndQueries = historyArb(12).chain((h) => {
  const envelopes = envelopesOf(h.events)
  const instants = envelopes.map((e) => e.recordedAt)
  return fc.record({
    h: fc.constant(h),
    envelopes: fc.constant(envelopes),
    queries: fc.array(queryArb(h, instants.length === 0 ? ['2020-01-01T00:00:00Z'] : instants), {
      minLength: 3,
      maxLength: 6,
    }),
  })
})

/**
 * On an encrypted store the read model keeps no personal field (D38): the roll reads its members' rows
 * and opens their profiles from the log with their keys (D58). From the tables it equals the replay,
 * for random queries, before and after a member is forgotten (whose personal fields then read erased on
 * both paths). The histories are imported through the ledger, which seals them.
 */
/** Drops a PostgreSQL schema a test made. */
const dropSchema = async (schema: string): Promise<void> => {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await client.end()
}

/** A store under test, and another store object over the same storage (read-only, as another process). */
interface EncryptedRollStore {
  readonly store: EventStore
  readonly reopen: () => Promise<EventStore>
  readonly close: () => Promise<void>
}

const encryptedRollAgrees = (open: (label: string) => Promise<EncryptedRollStore>, numRuns: number) => {
  let runs = 0
  test.prop(
    [
      historyAndQueries.chain(({ h, envelopes, queries }) =>
        fc.tuple(fc.constant(h), fc.constant(envelopes), fc.constant(queries), fc.nat()),
      ),
    ],
    { numRuns },
  )(
    'from its tables equals the replay, before and after a forget',
    async ([h, envelopes, queries, pick]) => {
      const key = right(masterKey(new Uint8Array(32).fill(7)))
      const { store, reopen, close } = await open(`encrypted_${++runs}`)
      try {
        // A keyring that keeps two keys besides those held: a key not held while it is needed is let go.
        const ledger = createLedger({
          store,
          domain: partyDevelopment(),
          now,
          masterKey: key,
          cachedKeys: 2,
        })
        // The generated histories are not all valid under every rule (they are appended raw elsewhere):
        // the lines the import refuses are left out until the rest imports.
        let lines = envelopes.map((e) =>
          JSON.stringify({ type: e.type, data: e.data, recordedAt: e.recordedAt, id: e.id }),
        )
        for (let round = 0; lines.length > 0; round++) {
          const imported = await ledger.importEvents(lines, owner())()
          if (E.isRight(imported)) break
          const refused = new Set(
            'errors' in imported.left ? imported.left.errors.map((e) => (e as { line: number }).line) : [],
          )
          if (refused.size === 0 || round === 20) throw new Error(JSON.stringify(imported.left))
          lines = lines.filter((_, i) => !refused.has(i + 1))
        }
        const check = async (): Promise<void> => {
          // Another process's ledger too, whose keyring has loaded no key yet: the profiles' events it
          // reads for the roll load their keys themselves.
          const reopened = await reopen()
          try {
            const fresh = createLedger({
              store: reopened,
              domain: partyDevelopment(),
              now,
              masterKey: key,
              cachedKeys: 2,
            })
            for (const query of queries)
              for (const q of [query, (({ period: _, ...headcount }) => headcount)(query)]) {
                const [tables, replay] = await reportBoth(ledger, 'roll', q)
                expect(tables).toEqual(replay)
                expect(await fresh.report('roll', owner(), q)()).toEqual(replay)
              }
          } finally {
            await reopened.close()()
          }
        }
        await check()
        const kept = new Set(lines)
        const members = [
          ...new Set(
            h.events.flatMap((e, i) =>
              (e.type === 'MemberAdmitted' || e.type === 'ExistingMemberRegistered') &&
              kept.has(
                JSON.stringify({
                  type: e.type,
                  data: e.data,
                  recordedAt: envelopes[i]?.recordedAt,
                  id: envelopes[i]?.id,
                }),
              )
                ? [e.data.personId]
                : [],
            ),
          ),
        ]
        const forgotten = members[pick % Math.max(1, members.length)]
        if (forgotten !== undefined) {
          right(await ledger.forget(forgotten, owner(), { reason: 'test' })())
          await check()
        }
        // A forget that stopped after recording PersonForgotten, before destroying the key: the replay
        // erases the person's profile all the same, and so must the tables' path (their key still opens).
        const stopped = members.find((m) => m !== forgotten)
        if (stopped !== undefined) {
          right(
            await store.appendBatch([
              {
                stream: `person-${stopped}`,
                events: [{ type: 'PersonForgotten', data: { personId: stopped, on: '2025-12-31' } }],
                expectedVersion: 'any',
              },
            ])(),
          )
          right(await ledger.catchUpReadModels()())
          await check()
        }
      } finally {
        await close()
      }
    },
    240_000,
  )
}

describe('the roll of an encrypted store on SQLite', () => {
  encryptedRollAgrees(async (label) => {
    const path = join(dir, `${label}.db`)
    const store = right(await openSqliteEventStore(path, { now })())
    return {
      store,
      reopen: async () => right(await openSqliteEventStore(path, { now, readonly: true })()),
      close: async () => void (await store.close()()),
    }
  }, 12)
})

describe.skipIf(POSTGRES_SKIPPED)('the roll of an encrypted store on PostgreSQL', () => {
  encryptedRollAgrees(async (label) => {
    const schema = `ketnap_encrypted_roll_${process.pid}_${label}`
    const options = { connectionString: POSTGRES_URL, schema, now }
    const store = right(await openPostgresEventStore(options)())
    return {
      store,
      reopen: async () => right(await openPostgresEventStore({ ...options, readonly: true })()),
      close: async () => {
        await store.close()()
        await dropSchema(schema)
      },
    }
  }, 6)
})

describe('the read models after an import', () => {
  it('are caught up as a phase of their own, or left to later when asked; a report names the position it reflects', async () => {
    const store = right(await openSqliteEventStore(join(dir, 'phases.db'), { now })())
    try {
      const ledger = createLedger({ store, domain: partyDevelopment(), now })
      const lines = readFileSync(SAMPLE_HISTORY, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
      const progress: number[] = []
      const first = right(
        await ledger.importEvents(lines.slice(0, 500), owner(), {
          onReadModelProgress: (done) => progress.push(done),
        })(),
      )
      expect(right(await store.loadCheckpoint('read-model/reports')())?.position).toBe(first.head.position)
      expect(progress.at(-1)).toBe(first.head.position)
      const second = right(
        await ledger.importEvents(lines.slice(500), owner(), { catchUpReadModels: false })(),
      )
      expect(right(await store.loadCheckpoint('read-model/reports')())?.position).toBe(first.head.position)
      expect(right(await ledger.catchUpReadModels()())).toEqual({
        position: second.head.position,
        rebuilt: false,
      })
      // Every report names the log position and hash it reflects: the head here, from the tables and
      // the replay alike, and the first import's last event when asked for that prefix of the log.
      const asked = { orgId: 'prov', asOf: '2023-12-31' }
      const head = right(await store.head()())
      expect(right(await ledger.report('roll', owner(), asked)()).log).toEqual(head)
      expect(right(await ledger.report('roll', owner(), { ...asked, replay: true })()).log).toEqual(head)
      for (const replay of [false, true])
        expect(
          right(
            await ledger.report('coverage', owner(), { ...asked, replay, atPosition: first.head.position })(),
          ).log,
        ).toEqual(first.head)
    } finally {
      await store.close()()
    }
  })
})

/** The sample history's lines. */
const sampleLines = (): string[] =>
  readFileSync(SAMPLE_HISTORY, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')

/** `body` on a ledger over a new SQLite file, with the file also open for reading its tables. */
const onSqliteFile = async (
  name: string,
  body: (opened: {
    readonly store: EventStore
    readonly db: Database.Database
    readonly ledger: Ledger
  }) => Promise<void>,
): Promise<void> => {
  const file = join(dir, name)
  const store = right(await openSqliteEventStore(file, { now })())
  const db = new Database(file)
  try {
    await body({ store, db, ledger: createLedger({ store, domain: partyDevelopment(), now }) })
  } finally {
    db.close()
    await store.close()()
  }
}

describe("a catch-up without a person's event", () => {
  it('only moves the settled position, when it stood where the catch-up started', async () => {
    await onSqliteFile('light-settle.db', async ({ db, ledger }) => {
      const lines = sampleLines()
      const village = (id: string): string =>
        JSON.stringify({
          type: 'VillageRegistered',
          data: { villageId: id, name: `Thôn ${id}`, unitId: 'd2-xa2', on: '2023-07-20' },
          recordedAt: '2023-07-20T00:00:00Z',
        })
      const settled = (): unknown =>
        db.prepare('SELECT position FROM rm_reports_settled WHERE id = 1').pluck().get()
      const dirty = (): unknown => db.prepare('SELECT person_id FROM rm_reports_dirty_person').pluck().all()
      const rollAgrees = async (): Promise<void> => {
        const asked = { orgId: 'prov', asOf: '2023-12-31' }
        const [tables, replay] = await reportBoth(ledger, 'roll', asked)
        expect(tables).toEqual(replay)
      }
      // The last lines are a departure and a confirmation: the sample up to them, with a full settle.
      const before = lines.length - 2
      expect(right(await ledger.importEvents(lines.slice(0, before), owner())()).head.position).toBe(before)
      expect(settled()).toBe(before)
      right(await ledger.importEvents([village('v-light-1')], owner())())
      expect(settled()).toBe(before + 1)
      // A catch-up cut short leaves a person marked and the settled position behind its checkpoint: a
      // catch-up without a person's event leaves both as they are, and the roll reads the members' rows.
      db.prepare("INSERT INTO rm_reports_dirty_person (person_id) VALUES ('c216')").run()
      db.prepare('UPDATE rm_reports_settled SET position = position - 1').run()
      right(await ledger.importEvents([village('v-light-2')], owner())())
      expect([settled(), dirty()]).toEqual([before, ['c216']])
      await rollAgrees()
      // The next catch-up with a person's event settles every person marked.
      const rest = right(await ledger.importEvents(lines.slice(before), owner())())
      expect([settled(), dirty()]).toEqual([rest.head.position, []])
      await rollAgrees()
    })
  })
})

/**
 * Rows of a count table summed per date and religion over every organization (every column but the
 * key's), the rows at zero left out.
 */
const summedOverOrganizations = (db: Database.Database, table: string): unknown[] => {
  const counts = (
    db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]
  ).filter((c) => !['on_date', 'org_id', 'religion'].includes(c))
  return db
    .prepare(
      `SELECT on_date, religion, ${counts.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM ${table} ` +
        `GROUP BY on_date, religion HAVING ${counts.map((c) => `sum(${c}) <> 0`).join(' OR ')} ORDER BY on_date, religion`,
    )
    .all()
}

const totalRows = (db: Database.Database, table: string): unknown[] =>
  db.prepare(`SELECT * FROM ${table} ORDER BY on_date, religion`).all()

describe('the roll over every organization (read model version 10)', () => {
  let totalsRuns = 0
  test.prop(
    [
      fc
        .tuple(historyArb(12), fc.constantFrom(null, '2016-07-01'), fc.constantFrom(0, 0, 90, 400))
        .chain(([generated, on, days]) => {
          const g = backdated(generated, days)
          const envelopes = envelopesOf(((on === null ? null : mergeDistricts(g, on)) ?? g).events)
          return fc.tuple(fc.constant(envelopes), fc.array(fc.nat(envelopes.length), { maxLength: 3 }))
        }),
    ],
    { numRuns: 15 },
  )(
    'sums the count deltas of every organization per date and religion, caught up chunk by chunk and rebuilt',
    async ([envelopes, cuts]) => {
      await onSqliteFile(`totals-${++totalsRuns}.db`, async ({ store, db, ledger }) => {
        const agree = (): void => {
          expect(totalRows(db, 'rm_reports_roll_total_delta')).toEqual(
            summedOverOrganizations(db, 'rm_reports_roll_delta'),
          )
          expect(totalRows(db, 'rm_reports_roll_total_sum')).toEqual(
            summedOverOrganizations(db, 'rm_reports_roll_sum'),
          )
        }
        const bounds = [...new Set([0, ...cuts, envelopes.length])].sort((a, b) => a - b)
        for (let i = 1; i < bounds.length; i++) {
          await appendAll(store, envelopes.slice(bounds[i - 1], bounds[i]))
          right(await ledger.catchUpReadModels()())
          agree()
        }
        right(await ledger.rebuildReadModels()())
        agree()
      })
    },
    120_000,
  )

  it('is read for an organization whose subtree holds every organization on the date, and only then', async () => {
    await onSqliteFile('totals-gate.db', async ({ db, ledger }) => {
      right(await ledger.importEvents(sampleLines(), owner())())
      const members = async (orgId: string, replay: boolean, asOf = '2023-12-31'): Promise<unknown> => {
        const report = right(await ledger.report('roll', owner(), { orgId, asOf, replay })())
        return (report as { readonly members: number }).members
      }
      // Every row of the totals off by 1,000 members: a roll that reads them is off too.
      const shift = (n: number): void => {
        for (const table of ['rm_reports_roll_total_delta', 'rm_reports_roll_total_sum'])
          db.prepare(`UPDATE ${table} SET members = members + ?`).run(n)
      }
      const line = (type: string, data: object, recordedAt: string): string =>
        JSON.stringify({ type, data, recordedAt })
      const replayed = await members('prov', true)
      expect(await members('prov', false)).toBe(replayed)
      shift(1000)
      // The province's subtree holds every organization: the roll reads the totals.
      expect(await members('prov', false)).not.toBe(replayed)
      // A district's does not: it reads its organizations' rows.
      expect(await members('d1', false)).toBe(await members('d1', true))
      shift(-1000)
      // A second organization without a parent: the province's subtree no longer holds every
      // organization, and its roll reads its organizations' rows again.
      const second = { orgId: 'prov2', name: 'Tỉnh Hai', level: 'province', parentId: null, on: '2023-01-01' }
      right(
        await ledger.importEvents(
          [line('OrganizationRegistered', second, '2023-08-12T00:00:00Z')],
          owner(),
        )(),
      )
      shift(1000)
      expect(await members('prov', false)).toBe(replayed)
      expect(await members('prov2', false)).toBe(await members('prov2', true))
      // Moved under the province from 1 October: the subtree holds every organization
      // on the last day of the year, not on 30 June (the walk follows the parents in force on the date).
      const moved = { orgId: 'prov2', parentId: 'prov', on: '2023-10-01' }
      right(await ledger.importEvents([line('OrganizationMoved', moved, '2023-10-02T00:00:00Z')], owner())())
      expect(await members('prov', false)).not.toBe(replayed)
      expect(await members('prov', false, '2023-06-30')).toBe(await members('prov', true, '2023-06-30'))
    })
  })
})

describe('the reports of an organization 64 links above a person', () => {
  it('do not count the person, as the replay does not (the subtree is walked at most 63 links deep)', async () => {
    await onSqliteFile('deep-chain.db', async ({ ledger }) => {
      const line = (type: string, data: object): string =>
        JSON.stringify({ type, data, recordedAt: '2024-01-02T00:00:00Z' })
      const org = (i: number): string => (i === 0 ? 'deep-top' : `deep-${i}`)
      const lines = [
        line('OrganizationRegistered', {
          orgId: org(0),
          name: 'Tỉnh',
          level: 'province',
          parentId: null,
          on: '2024-01-01',
        }),
        ...Array.from({ length: 64 }, (_, i) =>
          line('OrganizationRegistered', {
            orgId: org(i + 1),
            name: `Tổ chức ${i + 1}`,
            level: 'cell',
            parentId: org(i),
            on: '2024-01-01',
          }),
        ),
        // A candidate and a member 63 links below the top (counted) and 64 (not).
        ...[63, 64].flatMap((depth) => [
          line('CandidateNominated', {
            personId: `deep-candidate-${depth}`,
            orgId: org(depth),
            nominatedBy: 'members',
            profile: { birthDate: '2000-01-01', sex: 'female', ethnicMinority: false, occupation: 'student' },
            on: '2024-01-01',
          }),
          line('ExistingMemberRegistered', {
            personId: `deep-member-${depth}`,
            orgId: org(depth),
            status: 'official',
            admittedOn: '2010-01-01',
            on: '2024-01-01',
            profile: { birthDate: '1980-01-01', sex: 'male', ethnicMinority: false, occupation: 'farmer' },
          }),
        ]),
      ]
      right(await ledger.importEvents(lines, owner())())
      const query = { orgId: org(0), period: '2024', asOf: '2024-12-31' }
      const [tables, replay] = await reportBoth(ledger, 'funnel', query)
      expect((replay as { readonly right: { readonly nominated: number } }).right.nominated).toBe(1)
      expect(tables).toEqual(replay)
      // The roll without a period keeps its subtree's groups in its query (D57): the same bound.
      const [rollTables, rollReplay] = await reportBoth(ledger, 'roll', { orgId: org(0), asOf: '2024-12-31' })
      expect((rollReplay as { readonly right: { readonly members: number } }).right.members).toBe(1)
      expect(rollTables).toEqual(rollReplay)
    })
  })
})

describe('the reports read model on SQLite', () => {
  agreesWithReplay(async (label) => {
    const store = right(await openSqliteEventStore(join(dir, `${label}.db`), { now })())
    return { store, close: async () => void (await store.close()()) }
  })
})

describe.skipIf(POSTGRES_SKIPPED)('the reports read model on PostgreSQL', () => {
  agreesWithReplay(async (label) => {
    const schema = `ketnap_read_model_${process.pid}_${label}`
    const store = right(await openPostgresEventStore({ connectionString: POSTGRES_URL, schema, now })())
    return {
      store,
      close: async () => {
        await store.close()()
        await dropSchema(schema)
      },
    }
  })
})

describe('a store opened read-only whose tables stand behind its head', () => {
  let runs = 0
  test.prop(
    [
      historyAndQueries.chain(({ envelopes, queries }) =>
        fc.tuple(fc.constant(envelopes), fc.nat(envelopes.length), fc.constant(queries)),
      ),
    ],
    { numRuns: 10 },
  )(
    'folds only the events after the tables in memory, writes nothing, and equals the replay',
    async ([envelopes, cut, queries]) => {
      const path = join(dir, `tail${++runs}.db`)
      const writer = right(await openSqliteEventStore(path, { now })())
      try {
        await appendAll(writer, envelopes.slice(0, cut))
        right(await createLedger({ store: writer, domain: partyDevelopment(), now }).catchUpReadModels()())
        await appendAll(writer, envelopes.slice(cut))
      } finally {
        await writer.close()()
      }
      const before = readFileSync(path)
      const opened = right(await openSqliteEventStore(path, { now, readonly: true })())
      // The reads of the log: the tables' path reads the events after the tables and single events (the
      // hash it names, the binary search of a known-at instant); a replay reads the log from its start.
      const ranges: Array<readonly [number | undefined, number | undefined]> = []
      const store: EventStore = Object.assign(Object.create(null) as object, opened, {
        readAll: (options: Parameters<EventStore['readAll']>[0]) => {
          ranges.push([options?.fromPosition, options?.toPosition])
          return opened.readAll(options)
        },
      })
      try {
        const ledger = createLedger({ store, domain: partyDevelopment(), now })
        for (const query of queries)
          for (const name of READ_MODEL_REPORTS) {
            ranges.length = 0
            const tables = await ledger.report(name, owner(), query)()
            // The reports whose queries fold a tail (every report today; one not marked would replay).
            if (TAIL_REPORTS.includes(name))
              for (const [from, to] of ranges) if (from !== to) expect(from).toBe(cut + 1)
            expect(tables).toEqual(await ledger.report(name, owner(), { ...query, replay: true })())
          }
        expect(right(await opened.loadCheckpoint('read-model/reports')())?.position ?? 0).toBe(cut)
      } finally {
        await opened.close()()
      }
      expect(readFileSync(path).equals(before)).toBe(true)
    },
  )
})
