/**
 * @internal
 * Subjects' wrapped keys on SQLite (the kernel's KeyStore port): the `subject_keys` table, a NULL key
 * the tombstone of a destroyed one. An encrypted store's connection keeps `secure_delete` on, so that
 * SQLite overwrites with zeros whatever it frees (a destroyed key, the rows that held a person's values
 * before they were rewritten); destroying a key then checkpoints the write-ahead log and truncates it,
 * so that no frame of it keeps the old page either.
 */
import type Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import {
  KEY_MARKER_SUBJECT,
  storageError,
  type KeyStore,
  type Rewrapped,
  type StoredKey,
  type StoreError,
} from '@ketnap/kernel'

/** How the key store runs a statement: a read, or a write in its own immediate transaction. @internal */
export interface KeyStoreRunners {
  readonly read: <A>(
    doing: string,
    f: () => E.Either<StoreError, A>,
  ) => () => Promise<E.Either<StoreError, A>>
  readonly write: <A>(
    doing: string,
    f: () => E.Either<StoreError, A>,
  ) => () => Promise<E.Either<StoreError, A>>
}

/** The key store of one SQLite store (its connection and the runners that guard it). @internal */
export const sqliteKeyStore = (db: Database.Database, readonly: boolean, run: KeyStoreRunners): KeyStore => {
  const read = db
    .prepare<[string], [string, Uint8Array | null]>(
      'SELECT subject, wrapped FROM subject_keys WHERE subject IN (SELECT value FROM json_each(?))',
    )
    .raw()
  const add = readonly
    ? null
    : db.prepare<[string, Uint8Array | null], unknown>(
        'INSERT INTO subject_keys (subject, wrapped) VALUES (?, ?) ON CONFLICT (subject) DO NOTHING',
      )
  const destroy = readonly
    ? null
    : db.prepare<[string], unknown>(
        'UPDATE subject_keys SET wrapped = NULL WHERE subject = ? AND wrapped IS NOT NULL',
      )
  const marked = db.prepare<[string], number>('SELECT 1 FROM subject_keys WHERE subject = ?').pluck()
  const markerBytes = db
    .prepare<[string], Uint8Array | null>('SELECT wrapped FROM subject_keys WHERE subject = ?')
    .pluck()
  const wrappedAll = db
    .prepare<[], [string, Uint8Array]>(
      'SELECT subject, wrapped FROM subject_keys WHERE wrapped IS NOT NULL ORDER BY subject',
    )
    .raw()
  const rewrite = readonly
    ? null
    : db.prepare<[Uint8Array, string], unknown>('UPDATE subject_keys SET wrapped = ? WHERE subject = ?')
  const secure = (): void => {
    if (!readonly) db.pragma('secure_delete = ON')
  }
  if (marked.get(KEY_MARKER_SUBJECT) !== undefined) secure()
  const readOnlyError = (): E.Either<StoreError, never> =>
    E.left(storageError('the store is open read-only: keys cannot be written'))
  return {
    readKeys: (subjects) =>
      run.read('reading subject keys', () => {
        const found = new Map<string, StoredKey>()
        for (let i = 0; i < subjects.length; i += 10_000)
          for (const [subject, wrapped] of read.all(JSON.stringify(subjects.slice(i, i + 10_000))))
            found.set(subject, wrapped === null ? { _tag: 'Destroyed' } : { _tag: 'Wrapped', wrapped })
        return E.right(found)
      })(),
    addKeys: (entries, guard) =>
      run.write('writing subject keys', () => {
        if (add === null) return readOnlyError()
        if (entries.some((e) => e.subject === KEY_MARKER_SUBJECT)) secure()
        const added = db
          .transaction(() => {
            if (guard !== undefined) {
              const marker = markerBytes.get(KEY_MARKER_SUBJECT)
              if (marker === undefined || marker === null || !Buffer.from(marker).equals(Buffer.from(guard)))
                return false
            }
            for (const { subject, wrapped } of entries) add.run(subject, wrapped)
            return true
          })
          .immediate() as boolean
        return E.right(added)
      })(),
    rewrapKeys: (rewrap) =>
      run.write('re-wrapping subject keys', () => {
        if (rewrite === null) return readOnlyError()
        // One immediate transaction: no other writer adds a key between the read and the update.
        const result = db
          .transaction((): Rewrapped => {
            const next: Array<readonly [string, Uint8Array]> = []
            for (const [subject, wrapped] of wrappedAll.all()) {
              const again = rewrap(subject, wrapped)
              if (again === null) return { _tag: 'Refused', subject }
              next.push([subject, again])
            }
            for (const [subject, wrapped] of next) rewrite.run(wrapped, subject)
            return { _tag: 'Rewrapped', keys: next.filter(([s]) => s !== KEY_MARKER_SUBJECT).length }
          })
          .immediate() as Rewrapped
        // The old wrapped bytes, zeroed in the file by secure_delete, leave the write-ahead log too.
        if (result._tag === 'Rewrapped') db.pragma('wal_checkpoint(TRUNCATE)')
        return E.right(result)
      })(),
    destroyKey: (subject) =>
      run.write('destroying a subject key', () => {
        if (destroy === null) return readOnlyError()
        if (subject === KEY_MARKER_SUBJECT) return E.right(false)
        secure()
        const changed = db.transaction(() => destroy.run(subject)).immediate() as { changes: number }
        // Every frame of the write-ahead log goes into the main file (zeroed there by secure_delete) and
        // the log is cut to nothing, so that no frame keeps the key. A reader still using old frames
        // stops that: the caller is told, and destroying again (a no-op on the key) checkpoints again.
        const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ readonly busy: number }>
        if (checkpoint !== undefined && checkpoint.busy !== 0)
          return E.left(
            storageError(
              `the key of ${subject} is destroyed, but a reader kept the write-ahead log from being ` +
                'truncated, so it may still hold the key: destroy it again once readers are done',
            ),
          )
        return E.right(changed.changes > 0)
      })(),
  }
}
