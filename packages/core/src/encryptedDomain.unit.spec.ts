import * as E from 'fp-ts/Either'
import { inMemoryKeyStore, masterKey, openKeyring, subjectCipher, type Keyring } from '@ketnap/kernel'
import { describe, expect, it } from 'vitest'
import type { Command } from './commands'
import { partyDevelopment, type PartyDevelopment } from './domain'
import { sealedBirthDates, withEncryptedPersonalData } from './encryptedDomain'
import { GEOGRAPHY, PROFILE, pipeline, run } from './internal/rules/fixtures'
import type { WorldState } from './internal/world'

const keyring = async (): Promise<Keyring> => {
  const master = masterKey(new Uint8Array(32).fill(1))
  if (E.isLeft(master)) throw new Error('master')
  const opened = await openKeyring(inMemoryKeyStore(), {
    master: master.right,
    empty: true,
    writing: true,
    where: 'm',
  })
  if (E.isLeft(opened) || opened.right._tag !== 'Encrypted') throw new Error('encrypted')
  return opened.right.keyring
}

const nominate = (personId: string): Command =>
  ({ ...(pipeline(personId)[0] as Command), personId }) as Command

describe('the domain over an encrypted store, for commands', () => {
  it('seals what a command decides, and reads it back', async () => {
    const keys = await keyring()
    await keys.keysFor(['p1'], true)
    const domain = withEncryptedPersonalData(partyDevelopment(), subjectCipher(keys))
    const decided = domain.decide(nominate('p1'), run(GEOGRAPHY), { recordedAt: '2030-01-01T00:00:00Z' })
    if (E.isLeft(decided)) throw new Error(decided.left.message)
    const [event] = decided.right
    if (event === undefined) throw new Error('an event')
    const stored = domain.encode(event)
    expect(domain.schemaVersionOf(stored.type)).toBe(2)
    expect(stored.data).toMatchObject({ profile: { sealed: expect.any(String) } })
    expect(JSON.stringify(stored.data)).not.toContain('birthDate')
    expect(domain.decode(stored.type, stored.data)).toEqual(E.right(event))
  })

  it('refuses a command about a forgotten person, or one whose key is not at hand', async () => {
    const keys = await keyring()
    await keys.keysFor(['p-gone'], true)
    await keys.destroy('p-gone')
    const domain = withEncryptedPersonalData(partyDevelopment(), subjectCipher(keys))
    const world = run(GEOGRAPHY)
    const context = { recordedAt: '2030-01-01T00:00:00Z' }
    const gone = domain.decide(nominate('p-gone'), world, context)
    expect(E.isLeft(gone) && gone.left.code).toBe('person-erased')
    const unknown = domain.decide(nominate('p-no-key'), world, context)
    expect(E.isLeft(unknown) && unknown.left.code).toBe('sealed-unreadable')
  })
})

describe("an encrypted store's rules keep the birth date sealed (D40)", () => {
  const context = { recordedAt: '2030-01-01T00:00:00Z' }
  // Born 2003-01-01: under a full 18 at the cell vote of 2020-04-10, refused by the age window.
  const young = { ...PROFILE, birthDate: '2003-01-01' }

  /** The candidate's steps before the cell vote, folded by `domain` into its own world. */
  const upToVote = (domain: PartyDevelopment, personId: string): WorldState => {
    const world = domain.validator.initialState()
    for (const c of [...GEOGRAPHY, ...pipeline(personId, young).slice(0, 3)]) {
      const decided = domain.decide(c, world, context)
      if (E.isLeft(decided)) throw new Error(`${c.kind}: ${decided.left.message}`)
      for (const e of decided.right) domain.validator.evolve(world, e, { stream: '', ...context })
    }
    return world
  }
  const cellVote = (personId: string): Command => pipeline(personId)[3] as Command

  it('holds it sealed, and the age window decides as on a clear store', async () => {
    const keys = await keyring()
    await keys.keysFor(['p1'], true)
    const domain = withEncryptedPersonalData(partyDevelopment(), subjectCipher(keys))
    const world = upToVote(domain, 'p1')
    const kept = JSON.stringify(world.persons.get('p1'))
    expect(kept).toContain('"sealedBirthDate":')
    expect(kept).not.toContain('2003-01-01')
    const clear = partyDevelopment()
    const inClear = clear.decide(cellVote('p1'), upToVote(clear, 'p1'), context)
    expect(E.isLeft(inClear) && inClear.left.code).toBe('age-window')
    expect(domain.decide(cellVote('p1'), world, context)).toEqual(inClear)
  })

  it('refuses a cell vote whose key is not at hand, and skips the window once the key is destroyed', async () => {
    const keys = await keyring()
    await keys.keysFor(['p1'], true)
    const world = upToVote(withEncryptedPersonalData(partyDevelopment(), subjectCipher(keys)), 'p1')
    // The record read by a process whose keyring has not loaded the person's key: the vote is not let
    // through, and nothing is kept of a birth date it cannot seal.
    const other = subjectCipher(await keyring())
    const unloaded = withEncryptedPersonalData(partyDevelopment(), other)
    const elsewhere = unloaded.validator.initialState()
    const record = world.persons.get('p1')
    if (record === undefined) throw new Error('p1 is known')
    elsewhere.persons.set('p1', record)
    const refused = unloaded.decide(cellVote('p1'), elsewhere, context)
    expect(E.isLeft(refused) && refused.left.code).toBe('sealed-unreadable')
    expect(() => sealedBirthDates(other).keep('p1', '2003-01-01')).toThrow(/birth date the rules keep/)
    // A destroyed key: the person is forgotten, the window is not checked again (D34).
    await keys.destroy('p1')
    const domain = withEncryptedPersonalData(partyDevelopment(), subjectCipher(keys))
    expect(E.isRight(domain.decide(cellVote('p1'), world, context))).toBe(true)
  })
})
