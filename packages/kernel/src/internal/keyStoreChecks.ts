/**
 * Conformance checks of a store's key store (`EventStore.keyStore`), for stores that offer one: wrapped
 * keys read back as added, the first key added for a subject holds, a destroyed key reads as a tombstone
 * for good (never replaced, never destroyed twice, the marker never destroyed); and through the keyring,
 * a store made encrypted stays so (writing without the master key or with another one is refused), and a
 * key made by one keyring unwraps in a fresh one until it is destroyed.
 * @internal
 */
import * as E from 'fp-ts/Either'
import {
  KEY_MARKER_SUBJECT,
  masterKey,
  openKeyring,
  rotateMasterKey,
  type KeyStore,
  type Keyring,
  type MasterKey,
  type StoredKey,
} from '../keyStore'
import type { ConformanceCheck, ConformanceResult, StoreFactory } from './conformanceChecks'

const right = <A>(x: E.Either<unknown, A>, what: string): A => {
  if (E.isLeft(x)) throw new Error(`${what}: ${JSON.stringify(x.left)}`)
  return x.right
}

const failure = (message: string): ConformanceResult => ({ ok: false, message })

const hex = (key: StoredKey | undefined): string =>
  key === undefined
    ? 'none'
    : key._tag === 'Destroyed'
      ? 'destroyed'
      : Buffer.from(key.wrapped).toString('hex')

const withKeyStore = async (
  factory: StoreFactory,
  body: (keys: KeyStore) => Promise<ConformanceResult>,
): Promise<ConformanceResult> => {
  const { store, cleanup } = await factory()
  try {
    return store.keyStore === undefined ? { ok: true } : await body(store.keyStore)
  } finally {
    await store.close()()
    await cleanup?.()
  }
}

/** The port's own semantics. */
const portCheck = (factory: StoreFactory): Promise<ConformanceResult> =>
  withKeyStore(factory, async (keys) => {
    const a = Uint8Array.from([1, 2, 3, 0, 255])
    const b = Uint8Array.from([9, 9])
    right(await keys.addKeys([{ subject: 'p-a', wrapped: a }]), 'addKeys')
    right(
      await keys.addKeys([
        { subject: 'p-a', wrapped: b },
        { subject: 'p-b', wrapped: b },
      ]),
      'addKeys again',
    )
    const read = right(await keys.readKeys(['p-a', 'p-b', 'p-c']), 'readKeys')
    if (hex(read.get('p-a')) !== '010203' + '00ff')
      return failure(`the first key added for p-a should hold, read ${hex(read.get('p-a'))}`)
    if (hex(read.get('p-b')) !== '0909') return failure(`p-b should read 0909, read ${hex(read.get('p-b'))}`)
    if (read.has('p-c')) return failure('p-c has no key and should not be read')
    if (!right(await keys.destroyKey('p-a'), 'destroyKey'))
      return failure('destroying the key of p-a should answer true')
    if (right(await keys.destroyKey('p-a'), 'destroyKey again'))
      return failure('destroying p-a a second time should answer false')
    if (right(await keys.destroyKey('p-c'), 'destroyKey of none'))
      return failure('destroying a subject without a key should answer false')
    right(await keys.addKeys([{ subject: 'p-a', wrapped: b }]), 'addKeys after destroy')
    const after = right(await keys.readKeys(['p-a', 'p-b']), 'readKeys after destroy')
    if (hex(after.get('p-a')) !== 'destroyed')
      return failure(`p-a should stay destroyed after a new key was offered, read ${hex(after.get('p-a'))}`)
    if (hex(after.get('p-b')) !== '0909') return failure('destroying p-a changed the key of p-b')
    right(await keys.addKeys([{ subject: KEY_MARKER_SUBJECT, wrapped: a }]), 'marker')
    if (right(await keys.destroyKey(KEY_MARKER_SUBJECT), 'destroy marker'))
      return failure('the encryption marker should never be destroyed')
    return { ok: true }
  })

const fixedKey = (byte: number): MasterKey => right(masterKey(new Uint8Array(32).fill(byte)), 'masterKey')

const keyOf = async (keyring: Keyring, subject: string, create: boolean): Promise<string> => {
  const found = right(await keyring.keysFor([subject], create), 'keysFor').get(subject)
  return found === undefined
    ? 'none'
    : found._tag === 'Destroyed'
      ? 'destroyed'
      : Buffer.from(found.key).toString('hex')
}

/** The keyring over the store's keys: the marker, refusals, keys across keyrings, destruction. */
const keyringCheck = (factory: StoreFactory): Promise<ConformanceResult> =>
  withKeyStore(factory, async (keys) => {
    const where = 'the store'
    const clear = right(await openKeyring(keys, { master: null, empty: true, writing: true, where }), 'clear')
    if (clear._tag !== 'Clear')
      return failure('a store without a marker opened without a key should be clear')
    const master = fixedKey(7)
    const made = right(await openKeyring(keys, { master, empty: true, writing: true, where }), 'encrypt')
    if (made._tag !== 'Encrypted') return failure('a master key given to an empty store should encrypt it')
    const first = await keyOf(made.keyring, 'p-1', true)
    if (first === 'none' || first === 'destroyed') return failure(`keysFor should create a key, got ${first}`)
    const without = await openKeyring(keys, { master: null, empty: false, writing: true, where })
    if (!(E.isLeft(without) && 'code' in without.left && without.left.code === 'no-master-key'))
      return failure(
        `writing an encrypted store without its key should be no-master-key, got ${JSON.stringify(without)}`,
      )
    const other = await openKeyring(keys, { master: fixedKey(8), empty: false, writing: true, where })
    if (!(E.isLeft(other) && 'code' in other.left && other.left.code === 'wrong-master-key'))
      return failure(`another master key should be wrong-master-key, got ${JSON.stringify(other)}`)
    const again = right(await openKeyring(keys, { master, empty: false, writing: true, where }), 'reopen')
    if (again._tag !== 'Encrypted') return failure('the store should stay encrypted')
    if ((await keyOf(again.keyring, 'p-1', false)) !== first)
      return failure('a fresh keyring should unwrap the same key of p-1')
    if ((await keyOf(again.keyring, 'p-2', false)) !== 'none')
      return failure('keysFor without create should not make a key')
    // Two keyrings making a subject's key at once (two writers): the first key stored holds for both.
    const racing = right(await openKeyring(keys, { master, empty: false, writing: true, where }), 'racing')
    if (racing._tag !== 'Encrypted') return failure('the store should stay encrypted')
    const [one, two] = await Promise.all([
      keyOf(again.keyring, 'p-9', true),
      keyOf(racing.keyring, 'p-9', true),
    ])
    const fresh = right(await openKeyring(keys, { master, empty: false, writing: true, where }), 'fresh')
    if (fresh._tag !== 'Encrypted') return failure('the store should stay encrypted')
    const stored = await keyOf(fresh.keyring, 'p-9', false)
    if (one !== two || one !== stored || one === 'none')
      return failure(`two keyrings making p-9's key at once got ${one} and ${two}; the store holds ${stored}`)
    if (!right(await again.keyring.destroy('p-1'), 'destroy')) return failure('destroy should answer true')
    const third = right(await openKeyring(keys, { master, empty: false, writing: true, where }), 'third')
    if (third._tag !== 'Encrypted' || (await keyOf(third.keyring, 'p-1', true)) !== 'destroyed')
      return failure('a destroyed key should read as destroyed, and never be made again')
    return { ok: true }
  })

const codeOf = (x: E.Either<unknown, unknown>): string =>
  E.isLeft(x) && typeof x.left === 'object' && x.left !== null && 'code' in x.left
    ? String(x.left.code)
    : JSON.stringify(x)

/**
 * A master key's rotation: a wrong old key and a key that does not unwrap change nothing; a rotation
 * re-wraps every key (tombstones kept) so that the new master key opens them and the old one no
 * longer opens the store; a keyring opened before the rotation adds no key wrapped by the old one.
 */
const rotationCheck = (factory: StoreFactory): Promise<ConformanceResult> =>
  withKeyStore(factory, async (keys) => {
    const where = 'the store'
    const old = fixedKey(7)
    const next = fixedKey(9)
    const made = right(await openKeyring(keys, { master: old, empty: true, writing: true, where }), 'encrypt')
    if (made._tag !== 'Encrypted') return failure('a master key given to an empty store should encrypt it')
    const k1 = await keyOf(made.keyring, 'p-1', true)
    await keyOf(made.keyring, 'p-2', true)
    right(await made.keyring.destroy('p-2'), 'destroy p-2')
    const all = ['', 'p-1', 'p-2', 'p-bad']
    const before = right(await keys.readKeys(all), 'read before')
    const snapshot = (m: ReadonlyMap<string, StoredKey>): string => all.map((s) => hex(m.get(s))).join(',')
    const wrong = await rotateMasterKey(keys, fixedKey(8), next, where)
    if (codeOf(wrong) !== 'wrong-master-key')
      return failure(`a wrong old master key should be wrong-master-key, got ${codeOf(wrong)}`)
    if (codeOf(await rotateMasterKey(keys, old, old, where)) !== 'invalid-master-key')
      return failure('rotating to the same master key should be invalid-master-key')
    // A key wrapped by another master key: the rotation stops there and writes nothing.
    right(await keys.addKeys([{ subject: 'p-bad', wrapped: Uint8Array.from([1, 2, 3]) }]), 'add p-bad')
    const withBad = snapshot(right(await keys.readKeys(all), 'read with p-bad'))
    const refused = await rotateMasterKey(keys, old, next, where)
    if (codeOf(refused) !== 'wrong-master-key')
      return failure(`a key that does not unwrap should be wrong-master-key, got ${codeOf(refused)}`)
    if (snapshot(right(await keys.readKeys(all), 'read after refusal')) !== withBad)
      return failure('a refused rotation should change no key')
    right(await keys.destroyKey('p-bad'), 'destroy p-bad')
    const rotated = await rotateMasterKey(keys, old, next, where)
    if (E.isLeft(rotated) || rotated.right !== 1)
      return failure(`the rotation should re-wrap the one live key, got ${JSON.stringify(rotated)}`)
    const after = right(await keys.readKeys(all), 'read after')
    if (hex(after.get('p-1')) === hex(before.get('p-1')) || hex(after.get('')) === hex(before.get('')))
      return failure('the rotation should re-wrap the key of p-1 and the marker')
    if (hex(after.get('p-2')) !== 'destroyed') return failure('a tombstone should stay one')
    if (
      codeOf(await openKeyring(keys, { master: old, empty: false, writing: true, where })) !==
      'wrong-master-key'
    )
      return failure('the old master key should no longer open the store')
    const reopened = right(
      await openKeyring(keys, { master: next, empty: false, writing: true, where }),
      'new',
    )
    if (reopened._tag !== 'Encrypted' || (await keyOf(reopened.keyring, 'p-1', false)) !== k1)
      return failure('the new master key should unwrap the same key of p-1')
    // The keyring opened with the old key before the rotation makes no key wrapped by it.
    const stale = await made.keyring.keysFor(['p-3'], true)
    if (codeOf(stale) !== 'wrong-master-key')
      return failure(`a keyring of the old master key should not add keys, got ${codeOf(stale)}`)
    if (right(await keys.readKeys(['p-3']), 'read p-3').has('p-3'))
      return failure('no key of p-3 should have been added under the old master key')
    return { ok: true }
  })

/** The key store checks. @internal */
export const keyStoreChecks: ReadonlyArray<ConformanceCheck> = [
  { name: 'key store: wrapped keys, the first added holds, tombstones for good', run: portCheck },
  {
    name: 'key store: the keyring over it (marker, refusals, keys across keyrings, destruction)',
    run: keyringCheck,
  },
  {
    name: 'key store: a master key rotation (all or nothing, old key retired, no stale writer)',
    run: rotationCheck,
  },
]
