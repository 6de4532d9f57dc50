/**
 * The ledger over the real SQLite store (the CLI is the composition root, so the test lives here):
 * the same import, command, report and verification as over the in-memory store, and a file reopened.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { partyDevelopment, type Command } from '@ketnap/core'
import { createLedger, owner } from '@ketnap/ledger'
import { openSqliteEventStore } from '@ketnap/store-sqlite'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'ketnap-ledger-sqlite-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sample = readFileSync(
  join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl'),
  'utf8',
).split('\n')
const now = () => new Date('2024-01-01T00:00:00Z')

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}

describe('createLedger over SQLite', () => {
  it('imports, executes, reports and verifies, and a reopened file gives the same answers', async () => {
    const path = join(dir, 'ledger.db')
    const store = right(await openSqliteEventStore(path, { now })())
    const ledger = createLedger({ store, domain: partyDevelopment(), now })
    const imported = right(await ledger.importEvents(sample, owner())())
    expect(imported.appended).toBe(sample.filter((l) => l.trim() !== '').length)

    const before = right(await ledger.report('coverage', owner(), { orgId: 'prov', asOf: '2023-12-31' })())
    const unit = (orgId: string): Command => ({
      kind: 'RegisterUnit',
      unitId: 'u-new',
      name: 'Xã Mới',
      unitKind: 'commune',
      orgId,
      on: '2023-06-01',
    })
    // A command the rules refuse is an error value and writes nothing.
    const refused = await ledger.execute(unit('no-such-org'), owner('tester'))()
    expect(E.isLeft(refused) ? refused.left : null).toMatchObject({ _tag: 'DomainError' })
    expect(right(await ledger.verify()())).toMatchObject({ ok: true, head: imported.head })

    const accepted = right(await ledger.execute(unit('d0'), owner('tester'))())
    expect(accepted.map((e) => [e.type, e.actor, e.position])).toEqual([
      ['UnitRegistered', 'tester', imported.head.position + 1],
    ])
    const after = right(await ledger.report('coverage', owner(), { orgId: 'prov', asOf: '2023-12-31' })())
    if (before.report !== 'coverage' || after.report !== 'coverage') throw new Error('coverage expected')
    expect(after.units).toBe(before.units + 1)

    const verified = right(await ledger.verify()())
    expect(verified).toMatchObject({ ok: true, head: { position: imported.head.position + 1 } })
    right(await store.close()())

    const reopened = right(await openSqliteEventStore(path, { now, readonly: true })())
    const again = createLedger({ store: reopened, domain: partyDevelopment(), now })
    expect(right(await again.report('coverage', owner(), { orgId: 'prov', asOf: '2023-12-31' })())).toEqual(
      after,
    )
    expect(right(await again.verify({ head: imported.head })())).toMatchObject({ ok: true })
    right(await reopened.close()())
  })
})
