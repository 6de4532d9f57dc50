/**
 * A master key's rotation through the ledger: the owner's only; every person's key re-wrapped in one
 * transaction, so that the new key opens the store and the old one no longer does; the events, the
 * chain, the reports and the export's event lines unchanged, and the export restores with the new key;
 * a wrong old key, or a bound actor, changes nothing.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { partyDevelopment } from '@ketnap/core'
import { boundActor, createInMemoryEventStore, type EventStore } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { createLedger, masterKey, owner, type Ledger, type MasterKey } from './index'

const sample = readFileSync(
  join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl'),
  'utf8',
)
const fixedNow = (): Date => new Date('2024-01-01T00:00:00Z')

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
const key = (fill: number): MasterKey => right(masterKey(new Uint8Array(32).fill(fill)))

const ledgerOn = (store: EventStore, fill: number): Ledger =>
  createLedger({ store, domain: partyDevelopment(), now: fixedNow, masterKey: key(fill) })

const exported = async (l: Ledger): Promise<string[]> => {
  const lines: string[] = []
  for await (const item of l.exportLines(owner())) lines.push(right(item))
  return lines
}
const events = (lines: ReadonlyArray<string>): string[] =>
  lines.filter((l) => !l.startsWith('{"subjectKey":'))
const roll = (l: Ledger): Promise<E.Either<unknown, unknown>> =>
  l.report('roll', owner(), { orgId: 'prov', asOf: '2023-12-31' })()

describe('rotating the master key', () => {
  it('re-wraps every key: the new key opens the store, the old one not; events and chain unchanged', async () => {
    const store = createInMemoryEventStore({ now: fixedNow })
    const original = ledgerOn(store, 4)
    right(await original.importEvents(sample, owner())())
    const firstPerson = right(await original.history('c89', owner())()).length
    expect(firstPerson).toBeGreaterThan(0)
    right(await original.forget('c89', owner(), { reason: 'request 1' })())
    const before = await exported(original)
    const rollBefore = right(await roll(original))
    const head = right(await original.verify()())

    const rotated = right(await original.rotateMasterKey(key(5), owner())())
    expect(rotated).toBe(before.filter((l) => l.startsWith('{"subjectKey":') && !l.endsWith('null}')).length)

    const after = await exported(original)
    expect(events(after)).toEqual(events(before))
    expect(after.filter((l) => l.startsWith('{"subjectKey":'))).not.toEqual(
      before.filter((l) => l.startsWith('{"subjectKey":')),
    )
    expect(after).toContain('{"subjectKey":"c89","wrapped":null}')
    expect(right(await original.verify()())).toEqual(head)
    expect(right(await roll(original))).toEqual(rollBefore)
    // The same ledger goes on with the new key: it makes keys for new persons.
    right(
      await original.importEvents(
        `${JSON.stringify({
          type: 'CandidateNominated',
          data: {
            personId: 'c-rotated',
            orgId: 'd1-du1-cb2',
            nominatedBy: 'trade-union',
            on: '2023-11-01',
            profile: { birthDate: '1999-02-03', sex: 'male', ethnicMinority: false, occupation: 'farmer' },
          },
          recordedAt: '2024-01-01T00:00:00Z',
        })}\n`,
        owner(),
      )(),
    )

    const withNew = ledgerOn(store, 5)
    expect(right(await roll(withNew))).toBeDefined()
    const history = right(await withNew.history('c-rotated', owner())())
    expect(history[0]?.data).toMatchObject({ profile: { birthDate: '1999-02-03' } })
    const withOld = ledgerOn(store, 4)
    const refused = await withOld.importEvents('', owner())()
    expect(E.isLeft(refused) && refused.left).toMatchObject({ code: 'wrong-master-key' })

    // The export after the rotation restores with the new key, byte for byte.
    const lines = await exported(withNew)
    const restored = ledgerOn(createInMemoryEventStore({ now: fixedNow }), 5)
    right(await restored.importEvents(lines, owner())())
    expect(await exported(restored)).toEqual(lines)
  })

  it('refuses a wrong old key, a bound actor and the same key, and changes nothing', async () => {
    const store = createInMemoryEventStore({ now: fixedNow })
    right(await ledgerOn(store, 4).importEvents(sample, owner())())
    const before = await exported(ledgerOn(store, 4))

    const wrong = await ledgerOn(store, 6).rotateMasterKey(key(5), owner())()
    expect(E.isLeft(wrong) && wrong.left).toMatchObject({ code: 'wrong-master-key' })
    const bound = await ledgerOn(store, 4).rotateMasterKey(key(5), boundActor('prov'))()
    expect(E.isLeft(bound) && bound.left).toMatchObject({ code: 'forbidden', actor: 'prov' })
    const same = await ledgerOn(store, 4).rotateMasterKey(key(4), owner())()
    expect(E.isLeft(same) && same.left).toMatchObject({ code: 'invalid-master-key' })
    const none = await createLedger({ store, domain: partyDevelopment(), now: fixedNow }).rotateMasterKey(
      key(5),
      owner(),
    )()
    expect(E.isLeft(none) && none.left).toMatchObject({ code: 'no-master-key' })

    expect(await exported(ledgerOn(store, 4))).toEqual(before)
  })
})
