/**
 * An encrypted store's import beside commands: a command that arrives while an import is open (its
 * lines still coming) makes its person's key only once the import is over, and does not use a key the
 * import made, so that an import that fails and is rolled back takes no command's key with it (on
 * SQLite the keys made while an import is open join its transaction); and a line whose person id is
 * empty is refused as a line, not as a key that does not unwrap (the empty subject is the key store's
 * marker); an import whose source throws leaves no transaction open, and one that fails leaves no key
 * made for its lines. On SQLite and PostgreSQL.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { partyDevelopment } from '@ketnap/core'
import type { EventStore } from '@ketnap/kernel'
import { createLedger, masterKey, owner } from '@ketnap/ledger'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { SAMPLE_HISTORY } from './internal/testing/cliBinary'

const POSTGRES_URL = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'
const POSTGRES_SKIPPED = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')

const dir = mkdtempSync(join(tmpdir(), 'ketnap-encrypted-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
const now = (): Date => new Date('2024-01-01T00:00:00Z')
const master = right(masterKey(new Uint8Array(32).fill(7)))
const lines = readFileSync(SAMPLE_HISTORY, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
const nomination = lines.find((l) => l.includes('"CandidateNominated"')) as string
const cell = (JSON.parse(nomination) as { data: { orgId: string } }).data.orgId

/** A store to use, a second handle on it (another process's), and its removal. */
interface Opened {
  readonly store: EventStore
  readonly reopen: () => Promise<EventStore>
  readonly drop: () => Promise<void>
}

const checks = (open: (label: string) => Promise<Opened>): void => {
  it('keeps the key of a command that arrived while an import that then failed was open', async () => {
    const { store, reopen, drop } = await open('race')
    try {
      const ledger = createLedger({ store, domain: partyDevelopment(), now, masterKey: master })
      right(await ledger.importEvents(lines.slice(0, 120), owner())())
      // An import whose lines make keys (the person's of the command below among them) and hold an
      // invalid one, and whose source waits before it ends.
      let go: () => void = () => undefined
      const gate = new Promise<void>((resolve) => {
        go = resolve
      })
      const theirs = nomination.replace(/"personId": ?"[^"]*"/, '"personId":"p-race"')
      async function* source(): AsyncGenerator<string> {
        yield `${[...lines.slice(120, 1118), theirs, '{"type":"NoSuchEvent","data":{}}'].join('\n')}\n`
        await gate
      }
      const importing = ledger.importEvents(source(), owner())()
      await new Promise((resolve) => setTimeout(resolve, 50))
      const executing = ledger.execute(
        {
          kind: 'NominateCandidate',
          personId: 'p-race',
          orgId: cell,
          nominatedBy: 'members',
          on: '2023-06-01',
          profile: { birthDate: '1999-02-03', sex: 'female', ethnicMinority: true, occupation: 'farmer' },
        },
        owner(),
      )()
      await new Promise((resolve) => setTimeout(resolve, 50))
      go()
      expect(E.isLeft(await importing)).toBe(true)
      right(await executing)
      // Another process reads the person's fields: their key is in the store.
      const other = await reopen()
      try {
        const fresh = createLedger({ store: other, domain: partyDevelopment(), now, masterKey: master })
        const history = right(await fresh.history('p-race', owner())())
        expect(history[0]?.data).toMatchObject({ profile: { birthDate: '1999-02-03' } })
      } finally {
        await other.close()()
      }
    } finally {
      await drop()
    }
  })

  it('keeps no key made for the lines of an import that failed', async () => {
    const { store, drop } = await open('no-keys')
    try {
      const ledger = createLedger({ store, domain: partyDevelopment(), now, masterKey: master })
      right(await ledger.importEvents(lines.slice(0, 120), owner())())
      // A new person's nomination, recorded at the import's time.
      const {
        id: _,
        recordedAt: __,
        ...unnamed
      } = JSON.parse(nomination) as {
        id?: string
        recordedAt?: string
        data: object
      }
      const theirs = JSON.stringify({ ...unnamed, data: { ...unnamed.data, personId: 'p-lost' } })
      const failed = await ledger.importEvents(
        [...lines.slice(120, 1300), theirs, '{"type":"Nope","data":{}}'],
        owner(),
      )()
      expect(E.isLeft(failed)).toBe(true)
      const keys = store.keyStore
      if (keys === undefined) throw new Error('an encrypted store keeps keys')
      expect([...right(await keys.readKeys(['p-lost'])).keys()]).toEqual([])
      // The same lines without the invalid one import, the key made then.
      right(await ledger.importEvents([...lines.slice(120, 1300), theirs], owner())())
      expect([...right(await keys.readKeys(['p-lost'])).keys()]).toEqual(['p-lost'])
    } finally {
      await drop()
    }
  })

  it('ends an import whose source throws: nothing written, and the next import and command run', async () => {
    const { store, drop } = await open('throws')
    try {
      const ledger = createLedger({ store, domain: partyDevelopment(), now, masterKey: master })
      right(await ledger.importEvents(lines.slice(0, 120), owner())())
      async function* failing(): AsyncGenerator<string> {
        yield* lines.slice(120, 1300)
        throw new Error('EIO: i/o error, read')
      }
      const failed = await ledger.importEvents(failing(), owner())()
      expect(E.isLeft(failed) && (failed.left as { code?: string }).code).toBe('unreadable-input')
      expect(right(await store.headPosition()())).toBe(120)
      expect(right(await ledger.importEvents(lines.slice(120, 1300), owner())()).appended).toBe(1180)
      right(
        await ledger.execute(
          {
            kind: 'NominateCandidate',
            personId: 'p-after',
            orgId: cell,
            nominatedBy: 'members',
            on: '2023-06-01',
            profile: { birthDate: '1999-02-03', sex: 'female', ethnicMinority: true, occupation: 'farmer' },
          },
          owner(),
        )(),
      )
    } finally {
      await drop()
    }
  })

  it('names each line holding U+0000 (an id, an organization, a person, the data), the others too', async () => {
    const { store, drop } = await open('nul')
    try {
      const ledger = createLedger({ store, domain: partyDevelopment(), now, masterKey: master })
      right(await ledger.importEvents(lines.slice(0, 120), owner())())
      const parsed = JSON.parse(nomination) as { data: Record<string, unknown> }
      const variant = (patch: Record<string, unknown>, data: Record<string, unknown> = {}): string => {
        const {
          id: _,
          recordedAt: __,
          ...rest
        } = parsed as { id?: string; recordedAt?: string; data: object }
        return JSON.stringify({ ...rest, ...patch, data: { ...parsed.data, personId: 'p-nul', ...data } })
      }
      const imported = await ledger.importEvents(
        [
          '{"type":"Nope","data":{}}',
          variant({ id: 'i\u0000d' }),
          variant({}, { orgId: 'o\u0000x' }),
          variant({}, { personId: 'n\u0000x' }),
          variant({ actor: 'a\u0000' }),
          variant({}, { nominatedBy: 'x\u0000' }),
          '{"type":"Nope","data":{}}',
        ],
        owner(),
      )()
      expect(
        E.isLeft(imported) && 'errors' in imported.left
          ? imported.left.errors.map((e) => [(e as { line: number }).line, (e as { code: string }).code])
          : imported,
      ).toEqual([
        [1, 'unknown-event-type'],
        [2, 'invalid-text'],
        [3, 'invalid-text'],
        [4, 'invalid-text'],
        [5, 'invalid-text'],
        [6, 'invalid-text'],
        [7, 'unknown-event-type'],
      ])
      expect(right(await store.headPosition()())).toBe(120)
    } finally {
      await drop()
    }
  })

  it('refuses a line whose person id is empty as a clear store does', async () => {
    const { store, drop } = await open('empty')
    try {
      const empty = nomination.replace(/"personId": ?"[^"]*"/, '"personId":""')
      const errorsOf = async (s: EventStore, key: boolean): Promise<unknown> => {
        const ledger = createLedger({
          store: s,
          domain: partyDevelopment(),
          now,
          ...(key ? { masterKey: master } : {}),
        })
        const imported = await ledger.importEvents([...lines.slice(0, 120), empty], owner())()
        return E.isLeft(imported) && 'errors' in imported.left
          ? imported.left.errors.map((e) => [(e as { line: number }).line, (e as { code: string }).code])
          : imported
      }
      const encrypted = await errorsOf(store, true)
      expect(encrypted).toEqual([[121, expect.any(String)]])
      const clear = await open('empty-clear')
      try {
        expect(encrypted).toEqual(await errorsOf(clear.store, false))
      } finally {
        await clear.drop()
      }
    } finally {
      await drop()
    }
  })
}

describe('an encrypted SQLite store', () => {
  checks(async (label) => {
    const path = join(dir, `${label}.db`)
    const store = right(await openSqliteEventStore(path, { now })())
    return {
      store,
      reopen: async () => right(await openSqliteEventStore(path, { now })()),
      drop: async () => {
        await store.close()()
      },
    }
  })
})

describe.skipIf(POSTGRES_SKIPPED)('an encrypted PostgreSQL store', () => {
  checks(async (label) => {
    const schema = `ketnap_encimport_${label.replace(/-/g, '_')}_${process.pid}_${Date.now()}`
    const store = right(await openPostgresEventStore({ connectionString: POSTGRES_URL, schema, now })())
    return {
      store,
      reopen: async () =>
        right(await openPostgresEventStore({ connectionString: POSTGRES_URL, schema, now })()),
      drop: async () => {
        await store.close()()
        const client = new pg.Client({ connectionString: POSTGRES_URL })
        await client.connect()
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        } finally {
          await client.end()
        }
      },
    }
  })
})
