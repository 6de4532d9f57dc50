/**
 * Destroying a key on SQLite leaves no copy of it in the store's files: with the store encrypted,
 * `secure_delete` zeroes what the update frees and the WAL is checkpointed and truncated, so neither the
 * main file nor the write-ahead log holds the wrapped key's bytes afterwards, while the other keys stay.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { masterKey, openKeyring, type StoredKey } from '@ketnap/kernel'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteEventStore } from '../sqliteEventStore'
import { tempDir } from './testing/files'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => {
  tmp.remove()
})

const right = <A>(x: E.Either<unknown, A>): A => {
  if (E.isLeft(x)) throw new Error(JSON.stringify(x.left))
  return x.right
}

const wrappedOf = (key: StoredKey | undefined): Buffer => {
  if (key?._tag !== 'Wrapped') throw new Error('a wrapped key')
  return Buffer.from(key.wrapped)
}

const holds = (path: string, bytes: Buffer): boolean => existsSync(path) && readFileSync(path).includes(bytes)

describe('destroying a key on SQLite', () => {
  it('leaves its wrapped bytes in neither the file nor the write-ahead log', async () => {
    const path = tmp.file('keys.db')
    const store = right(await openSqliteEventStore(path)())
    const master = right(masterKey(new Uint8Array(32).fill(5)))
    const opened = right(
      await openKeyring(store.keyStore, { master, empty: true, writing: true, where: path }),
    )
    if (opened._tag !== 'Encrypted') throw new Error('encrypted')
    const persons = Array.from({ length: 3000 }, (_, i) => `p-${String(i).padStart(5, '0')}`)
    right(await opened.keyring.keysFor(persons, true))
    const before = right(await store.keyStore.readKeys(['p-01500', 'p-01501']))
    const forgotten = wrappedOf(before.get('p-01500'))
    const kept = wrappedOf(before.get('p-01501'))
    expect(holds(path, forgotten) || holds(`${path}-wal`, forgotten)).toBe(true)

    expect(right(await opened.keyring.destroy('p-01500'))).toBe(true)
    expect(holds(path, forgotten)).toBe(false)
    expect(holds(`${path}-wal`, forgotten)).toBe(false)
    expect(existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0).toBe(0)
    expect(holds(path, kept)).toBe(true)
    const after = right(await store.keyStore.readKeys(['p-01500', 'p-01501']))
    expect(after.get('p-01500')).toEqual({ _tag: 'Destroyed' })
    expect(wrappedOf(after.get('p-01501')).equals(kept)).toBe(true)
    await store.close()()
  })

  it('says so when a reader keeps the write-ahead log from being truncated, and truncates on a second call', async () => {
    const path = tmp.file('busy.db')
    const store = right(await openSqliteEventStore(path)())
    const master = right(masterKey(new Uint8Array(32).fill(6)))
    const opened = right(
      await openKeyring(store.keyStore, { master, empty: true, writing: true, where: path }),
    )
    if (opened._tag !== 'Encrypted') throw new Error('encrypted')
    right(await opened.keyring.keysFor(['p-1', 'p-2'], true))
    const forgotten = wrappedOf(right(await store.keyStore.readKeys(['p-1'])).get('p-1'))
    const reader = new Database(path, { readonly: true })
    reader.exec('BEGIN')
    reader.prepare('SELECT count(*) FROM subject_keys').get()
    const refused = await opened.keyring.destroy('p-1')
    expect(E.isLeft(refused) && refused.left._tag === 'StorageError' && refused.left.message).toMatch(
      /destroyed, but a reader kept the write-ahead log/,
    )
    expect(right(await opened.keyring.keysFor(['p-1'], false)).get('p-1')).toEqual({ _tag: 'Destroyed' })
    reader.exec('COMMIT')
    reader.close()
    expect(right(await opened.keyring.destroy('p-1'))).toBe(false)
    expect(holds(path, forgotten) || holds(`${path}-wal`, forgotten)).toBe(false)
    await store.close()()
  })
})
