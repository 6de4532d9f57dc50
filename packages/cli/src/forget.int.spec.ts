/**
 * After `forget`, no encoding of the person's personal values is left in the store: on SQLite, neither
 * in the file (keyed rows, read models, freed pages) nor in its write-ahead log, nor the person's
 * wrapped key; on PostgreSQL, in no row of any table of the store's schema. Their values were there
 * before (the check would see them), the chain verifies after, and the person's history reads erased.
 * Nor is any live person's birth date there in clear: the rules keep it sealed (D40).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { partyDevelopment } from '@ketnap/core'
import type { EventStore, StoredKey } from '@ketnap/kernel'
import { createLedger, masterKey, owner, type Ledger } from '@ketnap/ledger'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { SAMPLE_HISTORY } from './internal/testing/cliBinary'

const POSTGRES_URL = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const POSTGRES_SKIPPED = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')

const dir = mkdtempSync(join(tmpdir(), 'ketnap-forget-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
const now = (): Date => new Date('2024-01-01T00:00:00Z')

/** The forgotten person's personal values (none of them appears anywhere else in the history). */
const VALUES = ['2000-05-05', 'Thái Đen', 'Công giáo Rôma']
const REGISTERED = {
  type: 'ExistingMemberRegistered',
  data: {
    personId: 'm-forgotten',
    orgId: 'd1-du0-cb1',
    status: 'official',
    admittedOn: '2019-01-10',
    on: '2019-02-01',
    profile: {
      birthDate: VALUES[0],
      sex: 'female',
      ethnicMinority: true,
      ethnicity: VALUES[1],
      religion: VALUES[2],
      occupation: 'farmer',
    },
  },
  recordedAt: '2023-09-01T00:00:00Z',
}
const text = `${readFileSync(SAMPLE_HISTORY, 'utf8').trimEnd()}\n${JSON.stringify(REGISTERED)}\n`

/**
 * The birth dates of the sample history's persons that no other field of the history holds (an event's
 * date may equal someone's birth date): in an encrypted store, they are nowhere in clear.
 */
const LIVE_BIRTH_DATES: ReadonlyArray<string> = (() => {
  const lines = readFileSync(SAMPLE_HISTORY, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { data: { profile?: { birthDate?: string } } })
  const dates = new Set<string>()
  const rest: string[] = []
  for (const line of lines) {
    const profile = line.data.profile
    if (profile?.birthDate !== undefined) dates.add(profile.birthDate)
    const { birthDate: _, ...other } = profile ?? {}
    rest.push(JSON.stringify({ ...line, data: { ...line.data, profile: other } }))
  }
  const elsewhere = rest.join('\n')
  return [...dates].filter((d) => !elsewhere.includes(d))
})()

/** Every encoding a value may take in a store's bytes: UTF-8, Latin-1 (V8's one-byte strings), UTF-16. */
const encodings = (value: string): Buffer[] => {
  const out = [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le')]
  if ([...value].every((c) => c.charCodeAt(0) < 256)) out.push(Buffer.from(value, 'latin1'))
  return out
}

const ledgerOn = (store: EventStore, writeStateCacheEntries?: number): Ledger =>
  createLedger({
    store,
    domain: partyDevelopment(),
    now,
    masterKey: right(masterKey(new Uint8Array(32).fill(5))),
    ...(writeStateCacheEntries === undefined ? {} : { writeStateCacheEntries }),
  })

/** The rules' rows of persons (`p:` keys) in a closed SQLite store, as text. */
const personRowsOf = (path: string): string[] => {
  const db = new Database(path, { readonly: true })
  try {
    const rows = db.prepare("SELECT value FROM keyed_state WHERE key LIKE 'p:%'").all() as Array<{
      value: Buffer
    }>
    return rows.map((r) => Buffer.from(r.value).toString('utf8'))
  } finally {
    db.close()
  }
}
const personRows = (path: string): number => personRowsOf(path).length
/**
 * The profile in a person's row as the rules keep it (core's `rows.ts`): [birth date, sex, occupation]
 * in clear, [sealed birth date, sex, occupation, 1] sealed, 0 for none.
 */
const profileInRow = (row: string): unknown => (JSON.parse(row) as unknown[])[2]

/** Imports the history, forgets the person; gives the person's wrapped key as it was stored. */
const importAndForget = async (store: EventStore): Promise<Uint8Array> => {
  const ledger = ledgerOn(store)
  right(await ledger.importEvents(text, owner())())
  // A report, so the read models and the rules' state hold the person as they do in use.
  right(await ledger.report('roll', owner(), { orgId: 'd1', asOf: '2023-12-31' })())
  right(
    await ledger.execute(
      { kind: 'MoveMember', personId: 'm-forgotten', villageId: null, on: '2023-10-01' },
      owner(),
    )(),
  )
  const stored = right(
    await (store.keyStore?.readKeys(['m-forgotten']) ??
      Promise.resolve(E.right(new Map<string, StoredKey>()))),
  )
  const key = stored.get('m-forgotten')
  if (key?._tag !== 'Wrapped') throw new Error('the person has a key')
  return key.wrapped
}

const afterForget = async (store: EventStore): Promise<void> => {
  const ledger = ledgerOn(store)
  right(await ledger.forget('m-forgotten', owner(), { reason: 'request 7' })())
  expect(right(await ledger.verify()()).ok).toBe(true)
  const history = right(await ledger.history('m-forgotten', owner())())
  expect(history.at(-1)?.type).toBe('PersonForgotten')
  expect(history[0]?.data).toMatchObject({ profile: { erased: true, sex: 'female' } })
}

describe("forget leaves no encoding of the person's personal values", () => {
  it('in a SQLite file or its write-ahead log', async () => {
    const path = join(dir, 'forget.db')
    const raw = (): Buffer =>
      Buffer.concat(
        ['', '-wal'].map((s) => (existsSync(`${path}${s}`) ? readFileSync(`${path}${s}`) : Buffer.alloc(0))),
      )
    const store = right(await openSqliteEventStore(path, { now })())
    const wrapped = await importAndForget(store)
    const before = raw()
    // The derived tables hold no personal value of the person (D38); the grep is shown to see what the
    // file stores by the person's wrapped key, which is there before.
    expect(before.includes(Buffer.from(wrapped))).toBe(true)
    await afterForget(store)
    right(await store.close()())
    const after = raw()
    for (const v of VALUES) for (const b of encodings(v)) expect([v, after.includes(b)]).toEqual([v, false])
    expect(after.includes(Buffer.from(wrapped))).toBe(false)
    // The others are not forgotten: their birth dates are in the rules' rows (written by the erasure),
    // sealed, and nowhere in clear.
    expect(personRows(path)).toBeGreaterThan(100)
    for (const v of LIVE_BIRTH_DATES)
      for (const b of encodings(v)) expect([v, after.includes(b)]).toEqual([v, false])
  })

  it.skipIf(POSTGRES_SKIPPED)('in any row of a PostgreSQL schema', async () => {
    const schema = `ketnap_forget_${process.pid}_${Date.now()}`
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    const rows = async (): Promise<string> => {
      const tables = await client.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      )
      const texts: string[] = []
      for (const { table_name } of tables.rows) {
        const found = await client.query<{ t: string }>(
          `SELECT t::text AS t FROM "${schema}"."${table_name}" t`,
        )
        texts.push(...found.rows.map((r) => r.t))
      }
      return texts.join('\n')
    }
    try {
      const store = right(await openPostgresEventStore({ connectionString: POSTGRES_URL, schema, now })())
      const wrapped = await importAndForget(store)
      const hex = Buffer.from(wrapped).toString('hex')
      // A value as text, or in a bytea column (the rules' keyed rows) as hex of any of its encodings.
      const holds = (text: string, v: string): boolean =>
        text.includes(v) || encodings(v).some((b) => text.includes(b.toString('hex')))
      const before = await rows()
      expect(before.includes(hex)).toBe(true)
      await afterForget(store)
      right(await store.close()())
      const after = await rows()
      for (const v of VALUES) expect([v, holds(after, v)]).toEqual([v, false])
      expect(after.includes(hex)).toBe(false)
      // The rules' rows of the persons not forgotten hold their birth dates sealed, none in clear.
      const kept = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}".keyed_state WHERE key LIKE 'p:%'`,
      )
      expect(Number(kept.rows[0]?.n)).toBeGreaterThan(100)
      for (const v of LIVE_BIRTH_DATES) expect([v, holds(after, v)]).toEqual([v, false])
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    }
  })
})

/**
 * Before any erasure, an encrypted store's derived tables keep no personal value in clear: the read
 * model's profiles hold no personal field of anyone (the roll, which counts them, is replayed with the
 * persons' keys and equals a clear store's), and the rules' keyed rows no ethnic-minority flag,
 * ethnicity or religion, and the birth date (the age window) only sealed under the person's key (D40).
 */
describe("an encrypted store's derived tables", () => {
  it("hold no personal value in clear, and the roll is the clear store's", async () => {
    const path = join(dir, 'derived.db')
    const clearPath = join(dir, 'derived-clear.db')
    const store = right(await openSqliteEventStore(path, { now })())
    const clear = right(await openSqliteEventStore(clearPath, { now })())
    try {
      // A small cache of the rules' state, so that the import writes every person's row into the store.
      const ledger = ledgerOn(store, 16)
      right(await ledger.importEvents(text, owner())())
      const clearLedger = createLedger({
        store: clear,
        domain: partyDevelopment(),
        now,
        writeStateCacheEntries: 16,
      })
      right(await clearLedger.importEvents(text, owner())())
      for (const orgId of ['prov', 'd1', 'd1-du0-cb1']) {
        const query = { orgId, asOf: '2023-12-31', period: '2019' }
        // The same figures; only the log's head differs (the stored events are sealed, so hashed apart).
        const { log: _encryptedLog, ...encrypted } = right(await ledger.report('roll', owner(), query)())
        const { log: _clearLog, ...inClear } = right(await clearLedger.report('roll', owner(), query)())
        expect(encrypted).toEqual(inClear)
      }
      const roll = right(await ledger.report('roll', owner(), { orgId: 'd1', asOf: '2023-12-31' })())
      expect(roll).toMatchObject({ byReligion: { [VALUES[2] as string]: 1 } })
      right(await store.close()())
      const db = new Database(path, { readonly: true })
      try {
        const personal = db
          .prepare(
            'SELECT count(*) AS n FROM rm_reports_profile WHERE birth_date IS NOT NULL ' +
              'OR ethnic_minority IS NOT NULL OR ethnicity IS NOT NULL OR religion IS NOT NULL',
          )
          .get() as { n: number }
        expect(personal.n).toBe(0)
        expect(
          (db.prepare('SELECT count(*) AS n FROM rm_reports_profile').get() as { n: number }).n,
        ).toBeGreaterThan(0)
      } finally {
        db.close()
      }
      // The rules' rows of the persons with a profile: sealed birth dates in the encrypted store, where
      // the clear store (the same history) holds them in clear.
      right(await clear.close()())
      const sealedRows = personRowsOf(path).filter((r) => Array.isArray(profileInRow(r)))
      const clearRows = personRowsOf(clearPath).filter((r) => Array.isArray(profileInRow(r)))
      expect(sealedRows.length).toBeGreaterThan(100)
      expect(sealedRows.length).toBe(clearRows.length)
      for (const row of sealedRows) {
        const [sealed, , , flag] = profileInRow(row) as unknown[]
        expect(flag).toBe(1)
        expect(sealed).not.toMatch(/^\d{4}-\d\d-\d\d$/)
      }
      for (const row of clearRows)
        expect(profileInRow(row)).toEqual([
          expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
          expect.any(String),
          expect.any(String),
        ])
      const raw = Buffer.concat(
        ['', '-wal'].map((s) => (existsSync(`${path}${s}`) ? readFileSync(`${path}${s}`) : Buffer.alloc(0))),
      )
      const clearRaw = readFileSync(clearPath)
      // Every personal value of the history, the birth dates of live persons included, is in the clear
      // store's file (the grep sees it) and in no encoding in the encrypted store's file or its log.
      expect(LIVE_BIRTH_DATES.length).toBeGreaterThan(100)
      for (const v of [...VALUES, ...LIVE_BIRTH_DATES]) {
        expect([v, clearRaw.includes(Buffer.from(v, 'utf8'))]).toEqual([v, true])
        for (const b of encodings(v)) expect([v, raw.includes(b)]).toEqual([v, false])
      }
    } finally {
      await clear.close()()
    }
  })
})
