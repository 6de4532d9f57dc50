/**
 * A ledger over an encrypted store (a master key given): the sample history imports with every personal
 * field sealed, every report and every history equals the clear store's, the store stays encrypted
 * (writing without the key is `no-master-key`, with another `wrong-master-key`), and a key given for a
 * store that holds events in clear is `clear-store`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { partyDevelopment, REPORT_NAMES, REPORTS_NEEDING_PERIOD } from '@ketnap/core'
import { canonicalJson, createInMemoryEventStore, type Envelope, type EventStore } from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLedger, masterKey, owner, type Ledger, type MasterKey } from './index'

const text = readFileSync(
  join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl'),
  'utf8',
)
const fixedNow = (): Date => new Date('2024-01-01T00:00:00Z')

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`)
  return e.right
}
const codeOf = (e: E.Either<unknown, unknown>): unknown =>
  E.isLeft(e) ? (e.left as { code?: unknown }).code : 'right'

const keyOf = (fill: number): MasterKey => right(masterKey(new Uint8Array(32).fill(fill)))

// The keys a keyring keeps besides those held: the default, or a bound so small that a key not held
// while it is needed is let go before it is used (the tests below run with both).
let cachedKeys: number | undefined

const ledgerOn = (store: EventStore, key?: MasterKey): Ledger =>
  createLedger({
    store,
    domain: partyDevelopment(),
    now: fixedNow,
    ...(key === undefined ? {} : { masterKey: key }),
    ...(cachedKeys === undefined ? {} : { cachedKeys }),
  })

const readLog = async (store: EventStore): Promise<Envelope[]> => {
  const all: Envelope[] = []
  for await (const batch of store.readAll()) all.push(...right(batch))
  return all
}

/** Every personal value of the sample: birth dates, ethnicities, religions, annulment reasons. */
const personalValues = (): string[] => {
  const values = new Set<string>()
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const { data } = JSON.parse(line) as {
      data: { profile?: Record<string, unknown>; reason?: unknown }
      type: string
    }
    for (const v of [data.profile?.['birthDate'], data.profile?.['ethnicity'], data.profile?.['religion']])
      if (typeof v === 'string') values.add(v)
    if (
      (JSON.parse(line) as { type: string }).type === 'AdmissionAnnulled' &&
      typeof data.reason === 'string'
    )
      values.add(data.reason)
  }
  return [...values]
}

const ORGS = ['prov', 'd0', 'd1']

const allReports = async (ledger: Ledger): Promise<unknown[]> => {
  const out: unknown[] = []
  for (const name of REPORT_NAMES)
    for (const orgId of ORGS)
      out.push(
        right(
          await ledger.report(name, owner(), {
            orgId,
            asOf: '2023-12-31',
            ...(REPORTS_NEEDING_PERIOD.includes(name) ? { period: '2021' } : {}),
          })(),
        ),
      )
  return out.map((r) => ({ ...(r as object), log: undefined }))
}

describe.each([undefined, 2])(
  'a ledger over an encrypted store (keys kept besides those held: %s)',
  (bound) => {
    beforeAll(() => {
      cachedKeys = bound
    })
    afterAll(() => {
      cachedKeys = undefined
    })

    it('seals every personal field, and reads back every report and history as the clear store does', async () => {
      const store = createInMemoryEventStore({ now: fixedNow })
      const encrypted = ledgerOn(store, keyOf(7))
      const clear = ledgerOn(createInMemoryEventStore({ now: fixedNow }))
      const imported = right(await encrypted.importEvents(text, owner())())
      expect(right(await clear.importEvents(text, owner())()).appended).toBe(imported.appended)

      const stored = (await readLog(store)).map((e) => canonicalJson(e.data)).join('\n')
      for (const value of personalValues()) expect(stored).not.toContain(JSON.stringify(value))
      expect(stored).toContain('"sealed":')

      expect(await allReports(encrypted)).toEqual(await allReports(clear))
      const persons = [...new Set([...text.matchAll(/"personId": ?"([^"]+)"/g)].map((m) => m[1] as string))]
      for (const person of persons.slice(0, 40)) {
        const mine = right(await encrypted.history(person, owner())())
        const theirs = right(await clear.history(person, owner())())
        expect(mine.map((e) => e.data)).toEqual(theirs.map((e) => e.data))
      }
      expect(right(await encrypted.verify()()).ok).toBe(true)

      // A second process with the key reads and writes it; one without is refused writing.
      const again = ledgerOn(store, keyOf(7))
      expect(right(await again.importEvents(text, owner())())).toMatchObject({ appended: 0 })
      expect(codeOf(await ledgerOn(store).importEvents(text, owner())())).toBe('no-master-key')
      expect(codeOf(await ledgerOn(store, keyOf(8)).importEvents(text, owner())())).toBe('wrong-master-key')
      expect(codeOf(await ledgerOn(store, keyOf(8)).report('roll', owner(), { orgId: 'prov' })())).toBe(
        'wrong-master-key',
      )
      // Without the key, a report that opens the sealed fields says the key is missing, not that the
      // store is damaged.
      const keyless = await ledgerOn(store).report('roll', owner(), { orgId: 'prov', asOf: '2023-12-31' })()
      expect(codeOf(keyless)).toBe('no-master-key')
      expect(E.isLeft(keyless) && (keyless.left as { message?: string }).message).toContain('--master-key')
    })

    it('seals what a command records', async () => {
      const store = createInMemoryEventStore({ now: fixedNow })
      const ledger = ledgerOn(store, keyOf(7))
      const lines = text.split('\n').slice(0, 120)
      right(await ledger.importEvents(lines, owner())())
      const cell = (
        JSON.parse(text.split('\n').find((l) => l.includes('"CandidateNominated"')) as string) as {
          data: { orgId: string }
        }
      ).data.orgId
      const appended = right(
        await ledger.execute(
          {
            kind: 'NominateCandidate',
            personId: 'p-new',
            orgId: cell,
            nominatedBy: 'members',
            on: '2023-06-01',
            profile: { birthDate: '1999-02-03', sex: 'female', ethnicMinority: true, occupation: 'farmer' },
          },
          owner(),
        )(),
      )
      expect(appended[0]?.schemaVersion).toBe(2)
      expect(canonicalJson(appended[0]?.data ?? null)).not.toContain('1999-02-03')
      const history = right(await ledger.history('p-new', owner())())
      expect(history[0]?.data).toMatchObject({ profile: { birthDate: '1999-02-03', ethnicMinority: true } })
    })

    it('refuses a master key for a store that holds events in clear, and leaves a clear store byte for byte clear', async () => {
      const store = createInMemoryEventStore({ now: fixedNow })
      right(await ledgerOn(store).importEvents(text, owner())())
      expect(codeOf(await ledgerOn(store, keyOf(7)).importEvents(text, owner())())).toBe('clear-store')
      const reference = createInMemoryEventStore({ now: fixedNow })
      right(
        await createLedger({ store: reference, domain: partyDevelopment(), now: fixedNow }).importEvents(
          text,
          owner(),
        )(),
      )
      expect((await readLog(store)).map((e) => e.hash)).toEqual((await readLog(reference)).map((e) => e.hash))
    })
  },
)

describe('a ledger over an encrypted store whose keyring keeps two keys besides those held', () => {
  it('answers commands, reports and histories run at once as it answers them one by one', async () => {
    const store = createInMemoryEventStore({ now: fixedNow })
    const ledger = createLedger({
      store,
      domain: partyDevelopment(),
      now: fixedNow,
      masterKey: keyOf(7),
      cachedKeys: 2,
    })
    right(await ledger.importEvents(text, owner())())
    const cell = (
      JSON.parse(text.split('\n').find((l) => l.includes('"CandidateNominated"')) as string) as {
        data: { orgId: string }
      }
    ).data.orgId
    const persons = [...new Set([...text.matchAll(/"personId": ?"([^"]+)"/g)].map((m) => m[1] as string))]
    const reports = (l: Ledger) =>
      ORGS.flatMap((orgId) =>
        ['roll', 'attainment'].map(async (name) =>
          right(
            await l.report(name as 'roll', owner(), {
              orgId,
              asOf: '2022-12-31',
              ...(REPORTS_NEEDING_PERIOD.includes(name as 'roll') ? { period: '2021' } : {}),
            })(),
          ),
        ),
      )
    const histories = (l: Ledger) =>
      persons.slice(0, 30).map(async (person) => right(await l.history(person, owner())()).map((e) => e.data))
    // One by one, on another store with the default bound: what each must answer.
    const reference = ledgerOn(createInMemoryEventStore({ now: fixedNow }), keyOf(7))
    right(await reference.importEvents(text, owner())())
    const expected = []
    for (const r of [...reports(reference), ...histories(reference)]) expected.push(await r)
    // At once: new persons nominated while reports read every member's profile and histories open theirs.
    const nominations = Array.from({ length: 12 }, (_, i) =>
      ledger.execute(
        {
          kind: 'NominateCandidate',
          personId: `p-new-${i}`,
          orgId: cell,
          nominatedBy: 'members',
          on: '2023-06-01',
          profile: { birthDate: '1999-02-03', sex: 'female', ethnicMinority: true, occupation: 'farmer' },
        },
        owner(),
      )(),
    )
    const answered = await Promise.all([...reports(ledger), ...histories(ledger)])
    for (const n of await Promise.all(nominations)) expect(E.isRight(n)).toBe(true)
    expect(answered.map((a) => ({ ...(a as object), log: undefined }))).toEqual(
      expected.map((a) => ({ ...(a as object), log: undefined })),
    )
    for (let i = 0; i < 12; i++)
      expect(right(await ledger.history(`p-new-${i}`, owner())())[0]?.data).toMatchObject({
        profile: { birthDate: '1999-02-03' },
      })
  })
})
