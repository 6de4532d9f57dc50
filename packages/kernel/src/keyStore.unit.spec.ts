import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import {
  inMemoryKeyStore,
  type HeldKeys,
  type Keyring,
  masterKey,
  open,
  openKeyring,
  seal,
  sealDeterministic,
  subjectCipher,
} from './keyStore'

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte)
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('seal and open (AES-256-GCM)', () => {
  it('opens what it sealed, with the same key and context only', () => {
    const sealed = seal(key(1), utf8('1990-04-12'), 'p-1')
    expect(new TextDecoder().decode(open(key(1), sealed, 'p-1') ?? new Uint8Array())).toBe('1990-04-12')
    expect(open(key(2), sealed, 'p-1')).toBeNull()
    expect(open(key(1), sealed, 'p-2')).toBeNull()
    const tampered = Uint8Array.from(sealed)
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    expect(open(key(1), tampered, 'p-1')).toBeNull()
    expect(open(key(1), new Uint8Array(5), 'p-1')).toBeNull()
  })

  it('never seals the same text to the same bytes (a fresh IV each time)', () => {
    const a = seal(key(1), utf8('Kinh'), 'p-1')
    const b = seal(key(1), utf8('Kinh'), 'p-1')
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false)
  })
})

describe('masterKey', () => {
  it('takes exactly 32 bytes', () => {
    expect(E.isRight(masterKey(key(3)))).toBe(true)
    const short = masterKey(new Uint8Array(31), 'k.bin')
    expect(E.isLeft(short) && short.left.code).toBe('invalid-master-key')
    expect(E.isLeft(short) && short.left.message).toContain('k.bin holds 31 bytes')
  })
})

describe('openKeyring', () => {
  const master = E.getOrElseW(() => {
    throw new Error('key')
  })(masterKey(key(9)))

  it('refuses to encrypt a store that already holds events in clear', async () => {
    const refused = await openKeyring(inMemoryKeyStore(), { master, empty: false, writing: true, where: 's' })
    expect(E.isLeft(refused) && 'code' in refused.left && refused.left.code).toBe('clear-store')
  })

  it('reads an encrypted store without its key, but never unwraps a key', async () => {
    const keys = inMemoryKeyStore()
    await openKeyring(keys, { master, empty: true, writing: true, where: 's' })
    const reading = await openKeyring(keys, { master: null, empty: false, writing: false, where: 's' })
    expect(E.isRight(reading) && reading.right._tag).toBe('Encrypted')
    if (E.isRight(reading) && reading.right._tag === 'Encrypted') {
      const asked = await reading.right.keyring.keysFor(['p-1'], false)
      expect(E.isLeft(asked) && 'code' in asked.left && asked.left.code).toBe('no-master-key')
    }
  })

  it("seals a subject's texts as sealDeterministic does with the subject's key, and opens them", async () => {
    const opened = await openKeyring(inMemoryKeyStore(), { master, empty: true, writing: true, where: 's' })
    if (E.isLeft(opened) || opened.right._tag !== 'Encrypted') throw new Error('not encrypted')
    const { keyring } = opened.right
    const made = await keyring.keysFor(['p-1', 'p-2'], true)
    if (E.isLeft(made)) throw new Error('keysFor')
    const cipher = subjectCipher(keyring)
    for (const subject of ['p-1', 'p-2', 'p-1'])
      for (const text of ['1990-04-12', '{"religion":"none"}']) {
        const entry = made.right.get(subject)
        if (entry?._tag !== 'Key') throw new Error('no key')
        const sealed = cipher.seal(subject, text, `ketnap:x:${subject}`)
        expect(sealed).toBe(
          Buffer.from(sealDeterministic(entry.key, utf8(text), `ketnap:x:${subject}`)).toString('base64'),
        )
        expect(cipher.open(subject, sealed as string, `ketnap:x:${subject}`)).toBe(text)
      }
    expect(cipher.seal('p-3', 'x', 'c')).toBeNull()
  })

  it('leaves a store clear when a key is given only to read it', async () => {
    const keys = inMemoryKeyStore()
    const read = await openKeyring(keys, { master, empty: true, writing: false, where: 's' })
    expect(E.isRight(read) && read.right._tag).toBe('Clear')
    const found = await keys.readKeys([''])
    expect(E.isRight(found) && found.right.size).toBe(0)
  })
})

describe('a keyring with a bound', () => {
  const master = E.getOrElseW(() => {
    throw new Error('key')
  })(masterKey(key(9)))
  const subjects = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
  const some = fc.uniqueArray(fc.constantFrom(...subjects), { minLength: 1, maxLength: 4 })
  const step = fc.oneof(
    fc.record({ op: fc.constant('hold' as const), subjects: some, create: fc.boolean() }),
    fc.record({ op: fc.constant('load' as const), subjects: some, create: fc.boolean() }),
    fc.record({ op: fc.constant('release' as const), which: fc.nat() }),
    fc.record({ op: fc.constant('destroy' as const), subject: fc.constantFrom(...subjects) }),
    fc.record({ op: fc.constant('reset' as const) }),
  )
  const keyringWith = async (cachedKeys: number): Promise<Keyring> => {
    const opened = await openKeyring(inMemoryKeyStore(), {
      master,
      empty: true,
      writing: true,
      where: 's',
      cachedKeys,
    })
    if (E.isLeft(opened) || opened.right._tag !== 'Encrypted') throw new Error('not encrypted')
    return opened.right.keyring
  }
  const bytesOf = (k: ReturnType<Keyring['cached']>): string =>
    k === undefined ? 'none' : k._tag === 'Destroyed' ? 'destroyed' : Buffer.from(k.key).toString('hex')

  test.prop([fc.constantFrom(1, 2, 4, 6), fc.array(step, { maxLength: 40 })])(
    'keeps every key held, no more than its bound besides, the same key when loaded again, a destroyed key destroyed, nothing but the keys held after a reset',
    async (bound, steps) => {
      const keyring = await keyringWith(bound)
      const holdings: Array<{ held: HeldKeys; subjects: ReadonlyArray<string> }> = []
      const seen = new Map<string, string>()
      const destroyed = new Set<string>()
      let mostHeld = 0
      const note = (keys: ReadonlyMap<string, ReturnType<Keyring['cached']>>): void => {
        for (const [s, k] of keys) {
          const bytes = bytesOf(k)
          if (bytes === 'destroyed') expect(destroyed.has(s)).toBe(true)
          else expect(seen.get(s) ?? bytes).toBe(bytes)
          if (!destroyed.has(s)) seen.set(s, bytes)
        }
      }
      for (const s of steps) {
        if (s.op === 'hold') {
          const held = await keyring.hold(s.subjects, s.create)
          if (E.isLeft(held)) throw new Error('hold')
          note(held.right.keys)
          holdings.push({ held: held.right, subjects: s.subjects })
        } else if (s.op === 'load') {
          const loaded = await keyring.keysFor(s.subjects, s.create)
          if (E.isLeft(loaded)) throw new Error('keysFor')
          note(loaded.right)
        } else if (s.op === 'release') {
          const [gone] = holdings.splice(s.which % Math.max(1, holdings.length), 1)
          gone?.held.release()
          gone?.held.release() // a second release changes nothing
        } else if (s.op === 'destroy') {
          await keyring.destroy(s.subject)
          destroyed.add(s.subject)
        } else {
          keyring.reset()
          const heldNow = new Set(holdings.flatMap((h) => h.subjects))
          for (const x of subjects)
            if (!heldNow.has(x) && !destroyed.has(x)) expect(keyring.cached(x)).toBeUndefined()
        }
        // Every key held is at hand; a destroyed one reads destroyed.
        for (const { subjects: held } of holdings)
          for (const subject of held)
            if (destroyed.has(subject)) expect(bytesOf(keyring.cached(subject))).toBe('destroyed')
            else if (seen.has(subject)) expect(bytesOf(keyring.cached(subject))).toBe(seen.get(subject))
        // Besides the keys held, no more than the bound and the keys held at once before (carried on
        // while they were held, let go at the next turn of the generations).
        const heldNow = new Set(holdings.flatMap((h) => h.subjects))
        mostHeld = Math.max(mostHeld, new Set([...heldNow, ...('subjects' in s ? s.subjects : [])]).size)
        const loose = subjects.filter(
          (x) => !heldNow.has(x) && !destroyed.has(x) && keyring.cached(x) !== undefined,
        )
        expect(loose.length).toBeLessThanOrEqual(bound + mostHeld)
      }
      for (const { held } of holdings) held.release()
      // Once nothing is held and as many other keys were loaded as the bound, none of the first is kept.
      for (let i = 0; i < bound; i++) {
        const other = await keyring.keysFor([`other-${i}`], true)
        if (E.isLeft(other)) throw new Error('keysFor')
      }
      for (const subject of subjects)
        expect(bytesOf(keyring.cached(subject))).toBe(destroyed.has(subject) ? 'destroyed' : 'none')
    },
  )
})

describe('sealDeterministic', () => {
  it('seals the same text in the same context to the same bytes, which open opens', () => {
    const a = sealDeterministic(key(1), utf8('1990-04-12'), 'p-1')
    expect(Buffer.from(a).equals(Buffer.from(sealDeterministic(key(1), utf8('1990-04-12'), 'p-1')))).toBe(
      true,
    )
    expect(Buffer.from(a).equals(Buffer.from(sealDeterministic(key(1), utf8('1990-04-12'), 'p-2')))).toBe(
      false,
    )
    expect(Buffer.from(a).equals(Buffer.from(sealDeterministic(key(2), utf8('1990-04-12'), 'p-1')))).toBe(
      false,
    )
    expect(new TextDecoder().decode(open(key(1), a, 'p-1') ?? new Uint8Array())).toBe('1990-04-12')
  })
})
