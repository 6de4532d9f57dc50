import * as E from 'fp-ts/Either'
import { inMemoryKeyStore, masterKey, openKeyring, subjectCipher, type Keyring } from '@ketnap/kernel'
import { describe, expect, it } from 'vitest'
import type { Command } from './commands'
import { partyDevelopment } from './domain'
import { withEncryptedPersonalData } from './encryptedDomain'
import { GEOGRAPHY, pipeline, run } from './internal/rules/fixtures'

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
