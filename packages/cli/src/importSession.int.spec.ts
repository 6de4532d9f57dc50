/**
 * An import into a real SQLite file or PostgreSQL schema goes through the store's import session: checked chunk by chunk,
 * each clean chunk written into one open transaction, committed at the end or rolled back when any
 * line is invalid, however late in the file. The chain is the same whether a file is imported whole
 * or in two halves, and a re-import of an export is skipped line by line.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { partyDevelopment } from '@ketnap/core'
import { createLedger, owner } from '@ketnap/ledger'
import type { EventStore } from '@ketnap/kernel'
import { openPostgresEventStore } from '@ketnap/store-postgres'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'

const server = process.env['KETNAP_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test'
// Skipped only when the test command found no PostgreSQL server (KETNAP_SKIP_SUITES, with a line saying why).
const noPostgres = (process.env['KETNAP_SKIP_SUITES'] ?? '').split(',').includes('postgres')
const schemas: string[] = []
// psql comes with the server the test runs against (this package has no types for pg).
afterAll(() => {
  for (const schema of schemas)
    execFileSync('psql', [server, '-qc', `DROP SCHEMA IF EXISTS ${schema} CASCADE`])
})

const dir = mkdtempSync(join(tmpdir(), 'ketnap-import-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sample = readFileSync(
  join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl'),
  'utf8',
)
  .split('\n')
  .filter((l) => l.trim() !== '')
const now = () => new Date('2024-01-01T00:00:00Z')

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

let counter = 0
const opens: Record<'sqlite' | 'postgres', () => Promise<EventStore>> = {
  sqlite: async () => right(await openSqliteEventStore(join(dir, `store-${++counter}.db`), { now })()),
  postgres: async () => {
    const schema = `ketnap_import_${process.pid}_${++counter}`
    schemas.push(schema)
    return right(await openPostgresEventStore({ connectionString: server, schema, now })())
  },
}

describe.each(['sqlite', 'postgres'] as const)('importing into %s through the import session', (kind) => {
  const fresh = async () => {
    const store = await opens[kind]()
    return { store, ledger: createLedger({ store, domain: partyDevelopment(), now }) }
  }
  const skip = kind === 'postgres' && noPostgres

  it.skipIf(skip)(
    'an invalid last line, after chunks already written into the session, leaves the file empty',
    async () => {
      const { store, ledger } = await fresh()
      expect(sample.length).toBeGreaterThan(1000) // more than one chunk was written before the bad line
      const result = await ledger.importEvents([...sample, '{"type":"Nonsense","data":{}}'], owner())()
      expect(
        E.isLeft(result) && result.left._tag === 'ImportFailure' ? result.left.errors[0]?.line : null,
      ).toBe(sample.length + 1)
      expect(right(await store.head()())).toEqual({ position: 0, hash: '' })
      // The store is usable after the rolled back session.
      expect(right(await ledger.importEvents(sample, owner())()).appended).toBe(sample.length)
      await store.close()()
    },
  )

  it.skipIf(skip)(
    'whole or in two halves, the same head; a re-import of the export is skipped, line by line',
    async () => {
      const whole = await fresh()
      const all = right(await whole.ledger.importEvents(sample, owner())())
      const halves = await fresh()
      const middle = Math.floor(sample.length / 2)
      right(await halves.ledger.importEvents(sample.slice(0, middle), owner())())
      const second = right(await halves.ledger.importEvents(sample.slice(middle), owner())())
      expect(second.head).toEqual(all.head)

      const exported: string[] = []
      for await (const line of whole.ledger.exportLines(owner())) exported.push(right(line))
      const again = right(await halves.ledger.importEvents(exported, owner())())
      expect(again).toEqual({ appended: 0, skipped: sample.length, head: all.head })
      expect(right(await halves.ledger.verify()()).ok).toBe(true)
      await whole.store.close()()
      await halves.store.close()()
    },
  )
})
