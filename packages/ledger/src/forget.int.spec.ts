/**
 * `ledger.forget` on an encrypted store: the erasure is recorded in the chain with its actor and reason,
 * the person's events read back with their personal fields erased (the history shows them, a replay
 * goes on), the chain verifies, and every report equals the one before except the roll's counts that
 * need an erased value (docs/security.md): ethnicMinority, under30 and the religion, counted under
 * `erased`. A clear store cannot forget (`no-master-key`); a bound actor forgets only its subtree's
 * persons; a person is forgotten once.
 */
import { partyDevelopment, REPORT_NAMES, REPORTS_NEEDING_PERIOD } from '@ketnap/core'
import { createInMemoryEventStore, type EventStore } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { boundActor, createLedger, masterKey, owner, type Ledger } from './index'
import { fixedNow, historyWithRegistered, right } from './internal/testing/registeredMember'

const text = historyWithRegistered
const codeOf = (e: E.Either<unknown, unknown>): unknown =>
  E.isLeft(e) ? (e.left as { code?: unknown }).code : 'right'

const ledgerOn = (store: EventStore, encrypted: boolean): Ledger =>
  createLedger({
    store,
    domain: partyDevelopment(),
    now: fixedNow,
    ...(encrypted ? { masterKey: right(masterKey(new Uint8Array(32).fill(3))) } : {}),
  })

const ORGS = ['prov', 'd0', 'd1', 'd1-du0-cb1']

type Reports = Map<string, Record<string, unknown>>

const allReports = async (ledger: Ledger, replay: boolean): Promise<Reports> => {
  const out: Reports = new Map()
  for (const name of REPORT_NAMES)
    for (const orgId of ORGS) {
      const report = right(
        await ledger.report(name, owner(), {
          orgId,
          asOf: '2023-12-31',
          replay,
          ...(REPORTS_NEEDING_PERIOD.includes(name) ? { period: '2021' } : {}),
        })(),
      )
      out.set(`${name} ${orgId}`, { ...(report as unknown as Record<string, unknown>), log: null })
    }
  return out
}

/** The roll before, with the forgotten member's personal fields counted as erased. */
const rollErased = (before: Record<string, unknown>): Record<string, unknown> => {
  const byReligion = { ...(before['byReligion'] as Record<string, number>) }
  const catholic = (byReligion['Công giáo'] ?? 0) - 1
  if (catholic === 0) delete byReligion['Công giáo']
  else byReligion['Công giáo'] = catholic
  byReligion['erased'] = 1
  return {
    ...before,
    ethnicMinority: (before['ethnicMinority'] as number) - 1,
    under30: (before['under30'] as number) - 1,
    byReligion,
  }
}

describe('ledger.forget', () => {
  it('records the erasure, erases the fields everywhere, and changes only the listed counts', async () => {
    const ledger = ledgerOn(createInMemoryEventStore({ now: fixedNow }), true)
    right(await ledger.importEvents(text, owner())())
    const before = await allReports(ledger, true)
    const chainBefore = right(await ledger.verify()())

    const outside = await ledger.forget('m-forgotten', boundActor('d0'), { reason: 'request 12' })()
    expect(codeOf(outside)).toBe('forbidden')

    const recorded = right(
      await ledger.forget('m-forgotten', boundActor('d1'), { reason: 'request 12/2024' })(),
    )
    expect(recorded).toHaveLength(1)
    expect(recorded[0]).toMatchObject({
      type: 'PersonForgotten',
      actor: 'd1',
      data: { personId: 'm-forgotten', on: '2024-01-01', reason: 'request 12/2024' },
    })
    expect(codeOf(await ledger.forget('m-forgotten', owner())())).toBe('person-erased')

    const chainAfter = right(await ledger.verify()())
    expect(chainAfter.ok).toBe(true)
    expect(chainAfter.head.position).toBe(chainBefore.head.position + 1)

    const history = right(await ledger.history('m-forgotten', owner())())
    expect(history.map((e) => e.type)).toEqual(['ExistingMemberRegistered', 'PersonForgotten'])
    expect(history[0]?.data).toMatchObject({
      profile: { erased: true, sex: 'female', occupation: 'farmer' },
    })
    expect(JSON.stringify(history)).not.toMatch(/2000-05-05|Thái|Công giáo/)

    for (const replay of [true, false]) {
      const after = await allReports(ledger, replay)
      for (const [key, report] of before) {
        const holds = key.startsWith('roll ') && key !== 'roll d0'
        expect([key, after.get(key)]).toEqual([key, holds ? rollErased(report) : report])
      }
    }
  })

  it('finishes an erasure that stopped before destroying the key when asked again', async () => {
    const store = createInMemoryEventStore({ now: fixedNow })
    const ledger = ledgerOn(store, true)
    right(await ledger.importEvents(text, owner())())
    // PersonForgotten recorded, the key not destroyed (as when the process stopped between the two).
    right(
      await store.appendBatch([
        {
          stream: 'person-m-forgotten',
          events: [{ type: 'PersonForgotten', data: { personId: 'm-forgotten', on: '2024-01-01' } }],
          expectedVersion: 'any',
        },
      ])(),
    )
    const profileOf = async (): Promise<unknown> =>
      right(await ledger.history('m-forgotten', owner())())[0]?.data
    const storedKey = async (): Promise<unknown> =>
      right(await (store.keyStore?.readKeys(['m-forgotten']) ?? Promise.resolve(E.right(new Map())))).get(
        'm-forgotten',
      )?._tag
    // The log records the erasure: the person reads erased already, their key still stored.
    expect(await profileOf()).toMatchObject({
      profile: { erased: true, sex: 'female', occupation: 'farmer' },
    })
    expect(await storedKey()).toBe('Wrapped')
    expect(codeOf(await ledger.forget('m-forgotten', owner())())).toBe('person-erased')
    expect(await storedKey()).toBe('Destroyed')
    expect(await profileOf()).toMatchObject({
      profile: { erased: true, sex: 'female', occupation: 'farmer' },
    })
    // Once destroyed, asking again changes nothing.
    expect(codeOf(await ledger.forget('m-forgotten', owner())())).toBe('person-erased')
  })

  it('keeps a process that loaded the key before another forgot the person from reading or recording their data', async () => {
    const store = createInMemoryEventStore({ now: fixedNow })
    const first = ledgerOn(store, true)
    right(await first.importEvents(text, owner())())
    // The first process reads the person (their key loaded); another forgets them.
    expect(right(await first.history('m-forgotten', owner())())[0]?.data).toMatchObject({
      profile: { birthDate: '2000-05-05' },
    })
    right(await ledgerOn(store, true).forget('m-forgotten', owner())())
    const head = right(await store.headPosition()())
    // The first process reads them erased, and records nothing personal about them: not by a command,
    // nor by an import.
    expect(right(await first.history('m-forgotten', owner())())[0]?.data).toMatchObject({
      profile: { erased: true },
    })
    expect(
      codeOf(
        await first.execute(
          { kind: 'AnnulAdmission', personId: 'm-forgotten', reason: 'after the erasure', on: '2024-01-01' },
          owner(),
        )(),
      ),
    ).toBe('person-erased')
    const annulled = await first.importEvents(
      [
        JSON.stringify({
          type: 'AdmissionAnnulled',
          data: { personId: 'm-forgotten', reason: 'after the erasure', on: '2024-01-01' },
        }),
      ],
      owner(),
    )()
    expect(
      E.isLeft(annulled) && 'errors' in annulled.left && annulled.left.errors.map((e) => e.code),
    ).toEqual(['person-erased'])
    expect(right(await store.headPosition()())).toBe(head)
  })

  it('refuses on a store created without a master key', async () => {
    const ledger = ledgerOn(createInMemoryEventStore({ now: fixedNow }), false)
    right(await ledger.importEvents(text, owner())())
    expect(codeOf(await ledger.forget('m-forgotten', owner())())).toBe('no-master-key')
    const line = JSON.stringify({
      type: 'PersonForgotten',
      data: { personId: 'm-forgotten', on: '2024-01-01' },
    })
    expect(E.isLeft(await ledger.importEvents(line, owner())())).toBe(true)
  })
})
