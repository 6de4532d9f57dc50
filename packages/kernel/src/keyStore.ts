/**
 * The KeyStore port: per-subject data keys kept beside the events, each wrapped (AES-256-GCM) by the
 * store's 32-byte master key, so that destroying one subject's key makes that subject's ciphertext
 * unreadable for good while the hash chain over it stays intact (crypto-shredding, docs/security.md).
 *
 * A destroyed key leaves a tombstone, not nothing: a subject forgotten is never given a fresh key that
 * would make new data about them readable beside the erased. The row under the empty subject is the
 * store's encryption marker: the master key's check value, present exactly when the store is encrypted.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import * as E from 'fp-ts/Either'
import type { KeyCode } from './errorCodes'
import type { StoreError } from './errors'

// ---------------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------------

/** A subject's key as stored: wrapped by the master key, or destroyed (a tombstone). */
export type StoredKey =
  { readonly _tag: 'Wrapped'; readonly wrapped: Uint8Array } | { readonly _tag: 'Destroyed' }

/** The subject of the store's encryption marker (no real subject is empty). */
export const KEY_MARKER_SUBJECT = ''

/** Wrapped keys of subjects, kept in a store (the `subject_keys` table of the SQL stores). */
export interface KeyStore {
  /** The stored keys of the subjects asked for that have one (wrapped or destroyed). */
  readonly readKeys: (
    subjects: ReadonlyArray<string>,
  ) => Promise<E.Either<StoreError, ReadonlyMap<string, StoredKey>>>
  /**
   * Adds wrapped keys for subjects that have none, in one transaction; a subject that already has a row
   * (another writer's key, or a tombstone) keeps it. Read the keys again to learn which one holds.
   * `wrapped: null` adds a tombstone: the restore of an export that holds a forgotten subject. With
   * `guard` (the marker's wrapped bytes a keyring opened the store with), the keys are added only while
   * the marker still holds those bytes, checked in the same transaction: `false`, and nothing added,
   * once the master key was rotated, so that no key is ever wrapped by a retired master key.
   */
  readonly addKeys: (
    entries: ReadonlyArray<{ readonly subject: string; readonly wrapped: Uint8Array | null }>,
    guard?: Uint8Array,
  ) => Promise<E.Either<StoreError, boolean>>
  /**
   * Re-wraps every stored key, the marker's check value included (tombstones stay tombstones), in one
   * transaction that keeps other writers' keys out until it ends (a master key's rotation): `rewrap`
   * gives a key's new wrapped bytes, or null when it does not unwrap, and then nothing is written.
   */
  readonly rewrapKeys: (
    rewrap: (subject: string, wrapped: Uint8Array) => Uint8Array | null,
  ) => Promise<E.Either<StoreError, Rewrapped>>
  /**
   * Destroys a subject's key: its wrapped bytes are overwritten by a tombstone, and the store makes sure
   * no copy of them is left in its files (SQLite: `secure_delete`, a WAL checkpoint that truncates it).
   * `true` when a key was destroyed, `false` when the subject had none or was already forgotten.
   */
  readonly destroyKey: (subject: string) => Promise<E.Either<StoreError, boolean>>
}

/** What `rewrapKeys` did: every key re-wrapped (`keys` of subjects, the marker not counted), or nothing. */
export type Rewrapped =
  | { readonly _tag: 'Rewrapped'; readonly keys: number }
  | { readonly _tag: 'Refused'; readonly subject: string }

/** A refusal about keys: no master key where one is needed, a wrong one, or a malformed one. */
export interface KeyError {
  readonly _tag: 'KeyError'
  readonly code: KeyCode
  readonly message: string
}

/** Builds a KeyError. */
export const keyError = (code: KeyCode, message: string): KeyError => ({ _tag: 'KeyError', code, message })

/** A store's 32-byte master key, checked. */
export interface MasterKey {
  readonly _tag: 'MasterKey'
  /** @internal */
  readonly bytes: Uint8Array
}

/** The length of a master key and of a data key, in bytes (AES-256). */
export const KEY_BYTES = 32

const IV_BYTES = 12
const TAG_BYTES = 16

// ---------------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------------

/** A master key from the bytes of a key file: exactly 32 bytes (e.g. `openssl rand -out k 32`). */
export const masterKey = (bytes: Uint8Array, where = 'the master key'): E.Either<KeyError, MasterKey> =>
  bytes.length === KEY_BYTES
    ? E.right({ _tag: 'MasterKey', bytes: Uint8Array.from(bytes) })
    : E.left(
        keyError(
          'invalid-master-key',
          `${where} holds ${bytes.length} bytes, not ${KEY_BYTES}: make one with \`openssl rand -out FILE 32\``,
        ),
      )

// ---------------------------------------------------------------------------------------------------
// AES-256-GCM
// ---------------------------------------------------------------------------------------------------

/** AES-256-GCM of `plain` under `key` with `iv`: the bytes IV ‖ tag ‖ ciphertext. */
const sealWithIv = (key: Uint8Array, iv: Uint8Array, plain: Uint8Array, aad: string): Uint8Array => {
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const body = cipher.update(plain)
  const last = cipher.final()
  return Uint8Array.from(Buffer.concat([iv, cipher.getAuthTag(), body, last]))
}

/** Encrypts with a fresh random IV: the bytes are IV ‖ tag ‖ ciphertext. `aad` binds them to a context. */
export const seal = (key: Uint8Array, plain: Uint8Array, aad: string): Uint8Array =>
  sealWithIv(key, randomBytes(IV_BYTES), plain, aad)

/** Decrypts what `seal` made with the same key and context; `null` when it does not authenticate. */
export const open = (key: Uint8Array, sealed: Uint8Array, aad: string): Uint8Array | null => {
  if (sealed.length < IV_BYTES + TAG_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES))
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    return Uint8Array.from(
      Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]),
    )
  } catch {
    return null
  }
}

/**
 * Encrypts as `seal` does, but with the IV derived from the key, the context and the text (HMAC-SHA256,
 * the synthetic-IV construction): the same text of the same subject in the same context always seals to
 * the same bytes. That keeps an import re-run with ids idempotent and a restored export byte for byte
 * equal, at the cost of showing that two sealed values of one subject are equal; it never shows
 * anything across subjects, whose keys differ. `open` opens it.
 */
export const sealDeterministic = (key: Uint8Array, plain: Uint8Array, aad: string): Uint8Array =>
  sealSynthetic(key, deriveIvKey(key), plain, aad)

/** `sealDeterministic` with the IV's key given. */
const sealSynthetic = (key: Uint8Array, ivKey: Uint8Array, plain: Uint8Array, aad: string): Uint8Array => {
  const iv = createHmac('sha256', ivKey)
    .update(aad, 'utf8')
    .update('\0')
    .update(plain)
    .digest()
    .subarray(0, IV_BYTES)
  return sealWithIv(key, iv, plain, aad)
}

/** The key of `sealDeterministic`'s IVs, derived from the data key so that one key serves one algorithm. */
const deriveIvKey = (key: Uint8Array): Buffer => createHmac('sha256', key).update('ketnap:siv-key').digest()

/**
 * The IV keys of a keyring's data keys, remembered per key object (an HMAC per seal less): the keyring
 * makes its keys' bytes itself (unwrapped or drawn) and never changes them.
 */
const ivKeys = new WeakMap<Uint8Array, Buffer>()
const ivKeyOf = (key: Uint8Array): Buffer => {
  let ivKey = ivKeys.get(key)
  if (ivKey === undefined) {
    ivKey = deriveIvKey(key)
    ivKeys.set(key, ivKey)
  }
  return ivKey
}

// The check value under the marker subject: a known text sealed by the master key, so that a wrong
// master key is told apart from a damaged data key.
const MARKER_TEXT = 'ketnap master key check v1'
const MARKER_AAD = 'ketnap:marker'
const wrapAad = (subject: string): string => `ketnap:key:${subject}`

// ---------------------------------------------------------------------------------------------------
// keyring
// ---------------------------------------------------------------------------------------------------

/** A subject's data key, or the sign that it was destroyed. */
export type SubjectKey = { readonly _tag: 'Key'; readonly key: Uint8Array } | { readonly _tag: 'Destroyed' }

/** What a keyring answers: the key store failed, or a key did not unwrap under the master key. */
export type KeyringError = StoreError | KeyError

/** Keys a caller holds (`Keyring.hold`): the keyring keeps them loaded until they are released. */
export interface HeldKeys {
  /** The key of each subject asked for (those without one left out, unless made). */
  readonly keys: ReadonlyMap<string, SubjectKey>
  /** Lets the keyring forget these keys again when it needs the room; a second call does nothing. */
  readonly release: () => void
}

/**
 * The keys of an encrypted store, unwrapped with its master key and kept for the process: what
 * encryption and decryption of personal fields ask for. The keyring keeps the keys its callers hold
 * and, beyond those, the latest it loaded (a bound, `OpenKeyringOptions.cachedKeys`): a key it let go
 * is read and unwrapped again when asked for. A key destroyed in this process is kept destroyed.
 */
export interface Keyring {
  /**
   * The key of each subject, loaded for a use that follows at once: the keyring keeps a key it just
   * loaded until at least half its bound of other keys were loaded after it, which a caller that awaits
   * other work before using the key cannot count on (`hold` then). `create` makes and stores a key for
   * the subjects that have none (those without one are left out otherwise).
   */
  readonly keysFor: (
    subjects: ReadonlyArray<string>,
    create: boolean,
  ) => Promise<E.Either<KeyringError, ReadonlyMap<string, SubjectKey>>>
  /** `keysFor`, the keys kept loaded (`cached`) until the caller releases them. */
  readonly hold: (
    subjects: ReadonlyArray<string>,
    create: boolean,
  ) => Promise<E.Either<KeyringError, HeldKeys>>
  /** Destroys a subject's key (`KeyStore.destroyKey`) and forgets it here. */
  readonly destroy: (subject: string) => Promise<E.Either<StoreError, boolean>>
  /**
   * Reads the subject's key as destroyed in this process from now on, without writing anything: for a
   * subject whose erasure the log records, whoever destroys (or destroyed) the key.
   */
  readonly markDestroyed: (subject: string) => void
  /** A subject's key if the keyring has it loaded (synchronous, for `subjectCipher`). */
  readonly cached: (subject: string) => SubjectKey | undefined
  /**
   * Lets every key go but those held: e.g. once a transaction that made or read keys was rolled back
   * (an import's on SQLite), so that none of its keys is used again from memory.
   */
  readonly reset: () => void
  /** The wrapped form of a subject's key, as stored (for an export of the encrypted store). */
  readonly wrappedKey: (subject: string) => Promise<E.Either<StoreError, StoredKey | null>>
}

/** What `openKeyring` finds: a clear store (no marker), or an encrypted one with its keyring. */
export type StoreEncryption =
  { readonly _tag: 'Clear' } | { readonly _tag: 'Encrypted'; readonly keyring: Keyring }

/** How many keys a keyring keeps loaded beyond those its callers hold, unless told otherwise. */
export const DEFAULT_CACHED_KEYS = 100_000

const DESTROYED: SubjectKey = { _tag: 'Destroyed' }

/**
 * The keys loaded, in two generations: a key goes to the newer, and when the newer holds half the bound
 * it becomes the older and the older is let go, but for the keys a caller holds (carried on). A key
 * asked for again moves on with the newer ones. A key destroyed here stays destroyed for the process
 * (even when the store failed to destroy it, nothing more is sealed for its subject).
 */
const keyCache = (bound: number) => {
  const half = Math.max(1, Math.floor(bound / 2))
  let newer = new Map<string, SubjectKey>()
  let older = new Map<string, SubjectKey>()
  const held = new Map<string, number>()
  const destroyed = new Set<string>()
  const get = (subject: string): SubjectKey | undefined =>
    destroyed.has(subject) ? DESTROYED : (newer.get(subject) ?? older.get(subject))
  const set = (subject: string, entry: SubjectKey): void => {
    // A key destroyed here while it loaded is not kept (its bytes would stay in memory, hidden).
    if (destroyed.has(subject)) return
    newer.set(subject, entry)
    if (newer.size < half) return
    for (const [s, e] of older) if (held.has(s) && !newer.has(s)) newer.set(s, e)
    older = newer
    newer = new Map()
  }
  return {
    get,
    set,
    /** The key, moved on with the newer ones. */
    touch: (subject: string): SubjectKey | undefined => {
      const entry = get(subject)
      if (entry !== undefined && !newer.has(subject) && !destroyed.has(subject)) set(subject, entry)
      return entry
    },
    destroy: (subject: string): void => {
      destroyed.add(subject)
      newer.delete(subject)
      older.delete(subject)
    },
    /** Lets every key go but those held. */
    reset: (): void => {
      const kept = new Map<string, SubjectKey>()
      for (const generation of [older, newer])
        for (const [s, e] of generation) if (held.has(s)) kept.set(s, e)
      older = kept
      newer = new Map()
    },
    hold: (subjects: ReadonlyArray<string>): (() => void) => {
      for (const s of subjects) held.set(s, (held.get(s) ?? 0) + 1)
      let released = false
      return () => {
        if (released) return
        released = true
        for (const s of subjects) {
          const n = held.get(s) ?? 0
          if (n <= 1) held.delete(s)
          else held.set(s, n - 1)
        }
      }
    },
  }
}

const keyringOf = (keys: KeyStore, master: MasterKey, marker: Uint8Array, bound: number): Keyring => {
  const cache = keyCache(bound)
  const unwrapAll = (
    found: ReadonlyMap<string, StoredKey>,
    into: Map<string, SubjectKey>,
  ): E.Either<KeyError, void> => {
    for (const [subject, stored] of found) {
      if (stored._tag === 'Destroyed') {
        into.set(subject, stored)
        cache.set(subject, stored)
        continue
      }
      const key = open(master.bytes, stored.wrapped, wrapAad(subject))
      if (key === null)
        return E.left(
          keyError('wrong-master-key', `the key of ${subject} does not unwrap under this master key`),
        )
      const entry: SubjectKey = { _tag: 'Key', key }
      into.set(subject, entry)
      cache.set(subject, entry)
    }
    return E.right(undefined)
  }
  const load = async (
    subjects: ReadonlyArray<string>,
    create: boolean,
  ): Promise<E.Either<KeyringError, ReadonlyMap<string, SubjectKey>>> => {
    const result = new Map<string, SubjectKey>()
    const missing: string[] = []
    for (const subject of subjects) {
      const cached = cache.touch(subject)
      if (cached === undefined) missing.push(subject)
      else result.set(subject, cached)
    }
    if (missing.length === 0) return E.right(result)
    const found = await keys.readKeys(missing)
    if (E.isLeft(found)) return found
    const unwrapped = unwrapAll(found.right, result)
    if (E.isLeft(unwrapped)) return unwrapped
    const absent = missing.filter((s) => !found.right.has(s))
    if (!create || absent.length === 0) return E.right(result)
    // The new keys and their wrappings' IVs from one draw of random bytes (a draw per key cost more
    // than the encryption).
    const random = randomBytes((KEY_BYTES + IV_BYTES) * absent.length)
    const made = absent.map((subject, i) => {
      const at = i * (KEY_BYTES + IV_BYTES)
      const key = Uint8Array.from(random.subarray(at, at + KEY_BYTES))
      const iv = random.subarray(at + KEY_BYTES, at + KEY_BYTES + IV_BYTES)
      return { subject, key, wrapped: sealWithIv(master.bytes, iv, key, wrapAad(subject)) }
    })
    const added = await keys.addKeys(
      made.map(({ subject, wrapped }) => ({ subject, wrapped })),
      marker,
    )
    if (E.isLeft(added)) return added
    if (!added.right)
      return E.left(
        keyError(
          'wrong-master-key',
          'the master key was rotated since this store was opened: open it again with the new master key',
        ),
      )
    // Read back: another writer may have added a key first, and its key is the one that holds. A key
    // read back as this keyring wrapped it is the one it made (no need to unwrap it again).
    const again = await keys.readKeys(absent)
    if (E.isLeft(again)) return again
    const others = new Map(again.right)
    for (const { subject, key, wrapped } of made) {
      const stored = again.right.get(subject)
      if (stored?._tag !== 'Wrapped' || !sameBytes(stored.wrapped, wrapped)) continue
      const entry: SubjectKey = { _tag: 'Key', key }
      result.set(subject, entry)
      cache.set(subject, entry)
      others.delete(subject)
    }
    const unwrappedAgain = unwrapAll(others, result)
    return E.isLeft(unwrappedAgain) ? unwrappedAgain : E.right(result)
  }
  // The subjects are held while their keys load, so that loading the later ones never lets the
  // earlier ones go.
  const hold = async (
    subjects: ReadonlyArray<string>,
    create: boolean,
  ): Promise<E.Either<KeyringError, HeldKeys>> => {
    const unique = [...new Set(subjects)]
    const release = cache.hold(unique)
    let loaded: E.Either<KeyringError, ReadonlyMap<string, SubjectKey>>
    try {
      loaded = await load(unique, create)
    } catch (cause) {
      release()
      throw cause
    }
    if (E.isLeft(loaded)) {
      release()
      return loaded
    }
    // A subject destroyed here while its key loaded reads destroyed, as `cached` reads it.
    const keys = new Map(loaded.right)
    for (const subject of keys.keys()) if (cache.get(subject) === DESTROYED) keys.set(subject, DESTROYED)
    return E.right({ keys, release })
  }
  return {
    keysFor: async (subjects, create) =>
      E.map((held: HeldKeys) => {
        held.release()
        return held.keys
      })(await hold(subjects, create)),
    hold,
    cached: (subject) => cache.get(subject),
    reset: () => cache.reset(),
    markDestroyed: (subject) => {
      if (subject !== KEY_MARKER_SUBJECT) cache.destroy(subject)
    },
    destroy: async (subject) => {
      // Forgotten here first: even when the store answers an error, this process seals nothing more.
      if (subject !== KEY_MARKER_SUBJECT) cache.destroy(subject)
      return keys.destroyKey(subject)
    },
    wrappedKey: async (subject) =>
      E.map((found: ReadonlyMap<string, StoredKey>) => found.get(subject) ?? null)(
        await keys.readKeys([subject]),
      ),
  }
}

/** How a store is opened for keys: to write (the master key is then required on an encrypted store). */
export interface OpenKeyringOptions {
  /** The master key given, if any. */
  readonly master: MasterKey | null
  /** Whether the log is empty: only an empty store may become encrypted. */
  readonly empty: boolean
  /** Whether the caller will write: an encrypted store refuses writes without its master key. */
  readonly writing: boolean
  /** The store's name in messages. */
  readonly where: string
  /**
   * How many keys the keyring keeps loaded beyond those its callers hold (`Keyring.hold`); by default
   * `DEFAULT_CACHED_KEYS`. A key it let go is read and unwrapped again when asked for.
   */
  readonly cachedKeys?: number
}

/**
 * Reads a store's encryption marker and opens its keyring: a store created with a master key stays
 * encrypted (writing to it without the key is `no-master-key`, with another key `wrong-master-key`); a
 * master key given for an empty store without a marker makes it encrypted; one given for a store that
 * already holds events in clear is `clear-store` (encrypt it by re-importing its export into a new store).
 * Reading an encrypted store without the key answers `Encrypted` with a keyring that knows no key.
 */
export const openKeyring = async (
  keys: KeyStore,
  options: OpenKeyringOptions,
): Promise<E.Either<KeyringError, StoreEncryption>> => {
  const found = await keys.readKeys([KEY_MARKER_SUBJECT])
  if (E.isLeft(found)) return found
  const marker = found.right.get(KEY_MARKER_SUBJECT)
  const { master, where } = options
  if (marker === undefined) {
    if (master === null) return E.right({ _tag: 'Clear' })
    if (!options.empty)
      return E.left(
        keyError(
          'clear-store',
          `${where} was created without a master key and holds events in clear: encrypt it by importing its ` +
            'export into a new store created with the key (docs/security.md)',
        ),
      )
    if (!options.writing) return E.right({ _tag: 'Clear' })
    const added = await keys.addKeys([
      {
        subject: KEY_MARKER_SUBJECT,
        wrapped: seal(master.bytes, new TextEncoder().encode(MARKER_TEXT), MARKER_AAD),
      },
    ])
    if (E.isLeft(added)) return added
    return openKeyring(keys, options)
  }
  if (master === null) {
    if (options.writing)
      return E.left(
        keyError(
          'no-master-key',
          `${where} encrypts personal data: writing to it needs its master key (--master-key FILE or KETNAP_MASTER_KEY_FILE)`,
        ),
      )
    return E.right({ _tag: 'Encrypted', keyring: lockedKeyring(keys) })
  }
  const check = marker._tag === 'Wrapped' ? open(master.bytes, marker.wrapped, MARKER_AAD) : null
  if (marker._tag !== 'Wrapped' || check === null || new TextDecoder().decode(check) !== MARKER_TEXT)
    return E.left(keyError('wrong-master-key', `${where} was encrypted with another master key`))
  return E.right({
    _tag: 'Encrypted',
    keyring: keyringOf(keys, master, marker.wrapped, options.cachedKeys ?? DEFAULT_CACHED_KEYS),
  })
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && Buffer.from(a).equals(Buffer.from(b))

/**
 * Rotates an encrypted store's master key: every person's key is unwrapped with `from` and wrapped with
 * `to`, and the marker's check value sealed again, in one transaction of the key store (`rewrapKeys`).
 * The events do not change (they are sealed by the persons' keys), so the chain stays as it was; a
 * tombstone stays one. A `from` that is not the store's master key is `wrong-master-key` and nothing is
 * written, as when any key does not unwrap under it; a clear store is `clear-store`; a `to` equal to
 * `from` is `invalid-master-key`. Answers how many persons' keys were re-wrapped.
 */
export const rotateMasterKey = async (
  keys: KeyStore,
  from: MasterKey,
  to: MasterKey,
  where = 'this store',
): Promise<E.Either<KeyringError, number>> => {
  if (sameBytes(from.bytes, to.bytes))
    return E.left(keyError('invalid-master-key', 'the new master key is the old one: nothing to rotate'))
  const found = await keys.readKeys([KEY_MARKER_SUBJECT])
  if (E.isLeft(found)) return found
  const marker = found.right.get(KEY_MARKER_SUBJECT)
  if (marker === undefined)
    return E.left(
      keyError('clear-store', `${where} was created without a master key: it has no keys to rotate`),
    )
  const check = marker._tag === 'Wrapped' ? open(from.bytes, marker.wrapped, MARKER_AAD) : null
  if (check === null || new TextDecoder().decode(check) !== MARKER_TEXT)
    return E.left(
      keyError('wrong-master-key', `${where} was encrypted with another master key than the old one given`),
    )
  const markerText = new TextEncoder().encode(MARKER_TEXT)
  const rewrapped = await keys.rewrapKeys((subject, wrapped) => {
    if (subject === KEY_MARKER_SUBJECT) {
      const text = open(from.bytes, wrapped, MARKER_AAD)
      return text === null || !sameBytes(text, markerText) ? null : seal(to.bytes, markerText, MARKER_AAD)
    }
    const key = open(from.bytes, wrapped, wrapAad(subject))
    return key === null ? null : seal(to.bytes, key, wrapAad(subject))
  })
  if (E.isLeft(rewrapped)) return rewrapped
  return rewrapped.right._tag === 'Rewrapped'
    ? E.right(rewrapped.right.keys)
    : E.left(
        keyError(
          'wrong-master-key',
          `the key of ${rewrapped.right.subject === KEY_MARKER_SUBJECT ? "the store's marker" : rewrapped.right.subject} does not unwrap under the old master key: nothing was rotated`,
        ),
      )
}

/** The keyring of an encrypted store opened without its master key: it reads, never unwraps. */
const lockedKeyring = (keys: KeyStore): Keyring => ({
  keysFor: () => Promise.resolve(E.left(keyError('no-master-key', 'the master key was not given'))),
  hold: () => Promise.resolve(E.left(keyError('no-master-key', 'the master key was not given'))),
  destroy: () => Promise.resolve(E.right(false)),
  cached: () => undefined,
  reset: () => undefined,
  markDestroyed: () => undefined,
  wrappedKey: async (subject) =>
    E.map((found: ReadonlyMap<string, StoredKey>) => found.get(subject) ?? null)(
      await keys.readKeys([subject]),
    ),
})

/**
 * Seals and opens texts of subjects synchronously, with the keys a keyring has loaded (`keysFor`
 * first): sealed texts are base64 of `sealDeterministic`. `'erased'` when the subject's key was
 * destroyed, `null` when no key of the subject is loaded (or, opening, when the text does not open).
 */
export interface SubjectCipher {
  readonly seal: (subject: string, plain: string, context: string) => string | 'erased' | null
  readonly open: (subject: string, sealed: string, context: string) => string | 'erased' | null
}

/** A Buffer over the same bytes (no copy). */
const viewOf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/** The cipher over a keyring's loaded keys. */
export const subjectCipher = (keyring: Keyring): SubjectCipher => ({
  seal: (subject, plain, context) => {
    const key = keyring.cached(subject)
    if (key === undefined) return null
    if (key._tag === 'Destroyed') return 'erased'
    const sealed = sealSynthetic(key.key, ivKeyOf(key.key), Buffer.from(plain, 'utf8'), context)
    return viewOf(sealed).toString('base64')
  },
  open: (subject, sealed, context) => {
    const key = keyring.cached(subject)
    if (key === undefined) return null
    if (key._tag === 'Destroyed') return 'erased'
    const plain = open(key.key, Buffer.from(sealed, 'base64'), context)
    return plain === null ? null : viewOf(plain).toString('utf8')
  },
})

// ---------------------------------------------------------------------------------------------------
// instances
// ---------------------------------------------------------------------------------------------------

/** Keys held in memory: the in-memory store's, and the reference for the conformance checks. */
export const inMemoryKeyStore = (): KeyStore => {
  const rows = new Map<string, StoredKey>()
  return {
    readKeys: (subjects) => {
      const found = new Map<string, StoredKey>()
      for (const subject of subjects) {
        const row = rows.get(subject)
        if (row !== undefined)
          found.set(
            subject,
            row._tag === 'Wrapped' ? { _tag: 'Wrapped', wrapped: Uint8Array.from(row.wrapped) } : row,
          )
      }
      return Promise.resolve(E.right(found))
    },
    addKeys: (entries, guard) => {
      const marker = rows.get(KEY_MARKER_SUBJECT)
      if (guard !== undefined && (marker?._tag !== 'Wrapped' || !sameBytes(marker.wrapped, guard)))
        return Promise.resolve(E.right(false))
      for (const { subject, wrapped } of entries)
        if (!rows.has(subject))
          rows.set(
            subject,
            wrapped === null ? { _tag: 'Destroyed' } : { _tag: 'Wrapped', wrapped: Uint8Array.from(wrapped) },
          )
      return Promise.resolve(E.right(true))
    },
    rewrapKeys: (rewrap) => {
      const next = new Map<string, Uint8Array>()
      for (const [subject, row] of rows) {
        if (row._tag !== 'Wrapped') continue
        const wrapped = rewrap(subject, Uint8Array.from(row.wrapped))
        if (wrapped === null) return Promise.resolve(E.right({ _tag: 'Refused', subject }))
        next.set(subject, wrapped)
      }
      for (const [subject, wrapped] of next) rows.set(subject, { _tag: 'Wrapped', wrapped })
      const keys = [...next.keys()].filter((s) => s !== KEY_MARKER_SUBJECT).length
      return Promise.resolve(E.right({ _tag: 'Rewrapped', keys }))
    },
    destroyKey: (subject) => {
      const row = rows.get(subject)
      if (row?._tag !== 'Wrapped' || subject === KEY_MARKER_SUBJECT) return Promise.resolve(E.right(false))
      rows.set(subject, { _tag: 'Destroyed' })
      return Promise.resolve(E.right(true))
    },
  }
}
