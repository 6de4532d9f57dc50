/**
 * A store whose personal fields are encrypted, through the kernel's importer and hash chain: the sample
 * history imports with every personal field sealed before hashing (no birth date, ethnicity or religion
 * in the stored log), reads back as the same events as in clear, re-imports idempotently, verifies, and
 * still verifies after a person's key is destroyed, whose fields then read as erased (every event still
 * decodes, with the typed erased value); nothing personal is sealed for a forgotten person.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  canonicalJson,
  createInMemoryEventStore,
  importJsonLines,
  masterKey,
  openKeyring,
  storedEventDecoder,
  subjectCipher,
  verifyChain,
  type Envelope,
  type EventStore,
  type Keyring,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { partyDevelopment } from './domain'
import { withEncryptedPersonalData } from './encryptedDomain'
import { hasPersonalFields, openPersonalData } from './personalData'

const SAMPLE = join(process.env['KETNAP_SHARED_DIR'] ?? 'shared', 'domain', 'sample-history.jsonl')

const right = <A>(x: E.Either<unknown, A>): A => {
  if (E.isLeft(x)) throw new Error(JSON.stringify(x.left).slice(0, 2000))
  return x.right
}

const readLog = async (store: EventStore): Promise<Envelope[]> => {
  const all: Envelope[] = []
  for await (const batch of store.readAll()) all.push(...right(batch))
  return all
}

interface Line {
  readonly type: string
  readonly data: {
    readonly personId?: string
    readonly profile?: Record<string, unknown>
    readonly reason?: string
  }
}

describe('an encrypted store of the sample history', () => {
  const text = readFileSync(SAMPLE, 'utf8')
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line)
  const personal = lines.filter((l) => hasPersonalFields(l.type) && l.data.personId !== undefined)
  const persons = [...new Set(personal.map((l) => l.data.personId as string))]

  const encryptedStore = async (): Promise<{ store: EventStore; keyring: Keyring }> => {
    const store = createInMemoryEventStore()
    const keys = store.keyStore
    if (keys === undefined) throw new Error('the in-memory store keeps keys')
    const master = right(masterKey(new Uint8Array(32).fill(42)))
    const opened = right(await openKeyring(keys, { master, empty: true, writing: true, where: 'memory' }))
    if (opened._tag !== 'Encrypted') throw new Error('not encrypted')
    right(await opened.keyring.keysFor(persons, true))
    return { store, keyring: opened.keyring }
  }

  it('stores every personal field sealed, reads back the clear events, re-imports idempotently and verifies', async () => {
    const { store, keyring } = await encryptedStore()
    const domain = withEncryptedPersonalData(partyDevelopment(), subjectCipher(keyring))
    expect(right(await importJsonLines(store, domain, text)()).appended).toBe(1733)
    const log = await readLog(store)
    const stored = log.map((e) => canonicalJson(e.data)).join('\n')
    expect(stored).not.toContain('birthDate')
    expect(stored).not.toContain('religion')
    expect(stored).not.toContain('ethnicity')
    for (const l of personal) {
      for (const v of [
        l.data.profile?.['birthDate'],
        l.data.profile?.['ethnicity'],
        l.data.profile?.['religion'],
        l.data.reason,
      ])
        if (typeof v === 'string') expect(stored).not.toContain(JSON.stringify(v))
    }
    expect(log.filter((e) => e.schemaVersion === 2).length).toBe(personal.length)

    const clear = createInMemoryEventStore()
    right(await importJsonLines(clear, partyDevelopment(), text)())
    const clearLog = await readLog(clear)
    const decodeEncrypted = storedEventDecoder(domain)
    const decodeClear = storedEventDecoder(partyDevelopment())
    log.forEach((e, i) => {
      const c = clearLog[i] as Envelope
      expect(right(decodeEncrypted(e))).toEqual(right(decodeClear(c)))
    })

    const again = right(await importJsonLines(store, domain, text)())
    expect(again).toMatchObject({ appended: 0, skipped: 1733 })
    expect((await verifyChain(store.readAll())).ok).toBe(true)
  })

  it('refuses to seal anything about a forgotten person, and still verifies after a key is destroyed, the person reading as erased', async () => {
    const { store, keyring } = await encryptedStore()
    const cipher = subjectCipher(keyring)
    const domain = withEncryptedPersonalData(partyDevelopment(), cipher)
    right(await importJsonLines(store, domain, text)())
    const nomination = personal.find((l) => l.type === 'CandidateNominated') as Line

    // Forgotten before anything was recorded about them: their nomination is refused, nothing written.
    right(await keyring.keysFor(['p-forgotten'], true))
    expect(right(await keyring.destroy('p-forgotten'))).toBe(true)
    const line = JSON.stringify({
      type: 'CandidateNominated',
      data: { ...nomination.data, personId: 'p-forgotten' },
      recordedAt: '2030-01-01T00:00:00Z',
    })
    const refused = await importJsonLines(store, domain, line)()
    expect(E.isLeft(refused) && 'errors' in refused.left && refused.left.errors.map((e) => e.code)).toEqual([
      'person-erased',
    ])

    const before = await verifyChain(store.readAll())
    const person = nomination.data.personId as string
    expect(right(await keyring.destroy(person))).toBe(true)
    const after = await verifyChain(store.readAll())
    expect(after).toEqual(before)
    expect(after.ok).toBe(true)
    const log = await readLog(store)
    const theirs = log.find(
      (e) => e.type === 'CandidateNominated' && canonicalJson(e.data).includes(`"${person}"`),
    )
    if (theirs === undefined) throw new Error('their nomination is stored')
    const opened = right(openPersonalData(theirs.type, theirs.schemaVersion, theirs.data, cipher))
    expect(opened.erased).toBe(true)
    expect(opened.data).toMatchObject({ profile: { erased: true, sex: nomination.data.profile?.['sex'] } })
    // The stored event decodes with the typed erased value, and so does every event of the log: a replay
    // goes on past a forgotten person.
    const decoded = right(storedEventDecoder(domain)(theirs))
    expect(decoded).toMatchObject({ type: 'CandidateNominated', data: { profile: { erased: true } } })
    expect(decoded.data).not.toHaveProperty('profile.birthDate')
    const decodeAll = storedEventDecoder(domain)
    expect(log.every((e) => E.isRight(decodeAll(e)))).toBe(true)
  })
})
