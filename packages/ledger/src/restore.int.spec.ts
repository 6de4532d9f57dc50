/**
 * The export of an encrypted store: its events as stored (sealed) with each person's key wrapped by the
 * master key on a line of its own, so that an import with the same master key into a new store restores
 * it, a forgotten person included (their key a tombstone, their rules not checked again), and exports
 * the same bytes; with another master key it is refused. `clear: true` gives the owner the personal
 * fields in clear (and the erased marks), a copy that cannot restore the store.
 */
import { partyDevelopment, REPORT_NAMES, REPORTS_NEEDING_PERIOD } from '@ketnap/core'
import { createInMemoryEventStore } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { createLedger, masterKey, owner, type Ledger } from './index'
import { fixedNow, historyWithRegistered, right } from './internal/testing/registeredMember'

const text = historyWithRegistered

const ledger = (fill: number): Ledger =>
  createLedger({
    store: createInMemoryEventStore({ now: fixedNow }),
    domain: partyDevelopment(),
    now: fixedNow,
    masterKey: right(masterKey(new Uint8Array(32).fill(fill))),
  })

const exported = async (l: Ledger, clear = false): Promise<string[]> => {
  const lines: string[] = []
  for await (const item of l.exportLines(owner(), { clear })) lines.push(right(item))
  return lines
}

const reports = async (l: Ledger): Promise<unknown[]> => {
  const out: unknown[] = []
  for (const name of REPORT_NAMES)
    for (const orgId of ['prov', 'd1'])
      out.push(
        right(
          await l.report(name, owner(), {
            orgId,
            asOf: '2023-12-31',
            ...(REPORTS_NEEDING_PERIOD.includes(name) ? { period: '2021' } : {}),
          })(),
        ),
      )
  return out
}

describe('the export of an encrypted store', () => {
  it('restores into a new store with the same master key, byte for byte, a forgotten person included', async () => {
    const original = ledger(4)
    right(await original.importEvents(text, owner())())
    right(await original.forget('m-forgotten', owner(), { reason: 'request 3' })())
    const lines = await exported(original)
    const keyLines = lines.filter((l) => l.startsWith('{"subjectKey":'))
    expect(keyLines.length).toBeGreaterThan(100)
    expect(keyLines).toContain('{"subjectKey":"m-forgotten","wrapped":null}')
    const all = lines.join('\n')
    expect(all).not.toMatch(/2000-05-05|Công giáo/)

    const restored = ledger(4)
    right(await restored.importEvents(lines, owner())())
    expect(await exported(restored)).toEqual(lines)
    expect(await reports(restored)).toEqual(await reports(original))
    const history = right(await restored.history('m-forgotten', owner())())
    expect(history[0]?.data).toMatchObject({ profile: { erased: true } })
    expect(right(await restored.verify()()).ok).toBe(true)

    const other = ledger(5)
    const refused = await other.importEvents(lines, owner())()
    expect(E.isLeft(refused) && refused.left).toMatchObject({ code: 'wrong-master-key' })
  })

  it('in clear: the personal fields, and the erased marks, for the owner', async () => {
    const original = ledger(4)
    right(await original.importEvents(text, owner())())
    const registered = (await exported(original, true)).find((l) => l.includes('"m-forgotten"'))
    expect(registered).toContain('"birthDate":"2000-05-05"')
    right(await original.forget('m-forgotten', owner())())
    const after = (await exported(original, true)).find((l) => l.includes('"m-forgotten"'))
    expect(after).toContain('"erased":true')
    expect(after).not.toContain('2000-05-05')
  })
})
