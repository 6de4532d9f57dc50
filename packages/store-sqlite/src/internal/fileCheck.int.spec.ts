import { randomBytes } from 'node:crypto'
import { mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteEventStore } from '../sqliteEventStore'
import { KETNAP_APPLICATION_ID } from './fileCheck'
import { SCHEMA_VERSION } from './schema'
import { fileHash, hasSidecars, tempDir } from './testing/files'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.remove())

/** Opens `path` and expects a refusal naming it; returns the message. */
const expectRefused = async (path: string, options: { readonly?: boolean } = {}): Promise<string> => {
  const opened = await openSqliteEventStore(path, options)()
  if (E.isRight(opened)) {
    await opened.right.close()()
    expect.fail(`${path} was opened`)
  }
  expect(opened.left._tag).toBe('StorageError')
  expect(opened.left.message).toContain(path)
  return opened.left.message
}

describe('refusing files that are not ketnap stores', () => {
  it('refuses a file of random bytes and leaves it untouched', async () => {
    const path = tmp.file('random.db')
    writeFileSync(path, randomBytes(8192))
    const before = fileHash(path)
    expect(await expectRefused(path)).toMatch(/not a SQLite database/)
    expect(fileHash(path)).toBe(before)
    expect(hasSidecars(path)).toBe(false)
  })

  it('refuses a short text file', async () => {
    const path = tmp.file('notes.txt')
    writeFileSync(path, 'hello\n')
    const before = fileHash(path)
    expect(await expectRefused(path)).toMatch(/not a SQLite database/)
    expect(fileHash(path)).toBe(before)
  })

  it("refuses another application's SQLite database and leaves it untouched", async () => {
    const path = tmp.file('other.db')
    const other = new Database(path)
    other.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('a')",
    )
    other.close()
    const before = fileHash(path)
    expect(await expectRefused(path)).toMatch(/another application/)
    expect(fileHash(path)).toBe(before)
    expect(hasSidecars(path)).toBe(false)
  })

  it('refuses a file with the ketnap application id but no schema table', async () => {
    const path = tmp.file('fake.db')
    const fake = new Database(path)
    fake.pragma(`application_id = ${KETNAP_APPLICATION_ID}`)
    fake.exec('CREATE TABLE events (x)')
    fake.close()
    const before = fileHash(path)
    expect(await expectRefused(path)).toMatch(/no schema version table/)
    expect(fileHash(path)).toBe(before)
  })

  it('refuses a ketnap store cut in half, naming it as corrupt, and leaves it untouched', async () => {
    const path = tmp.file('truncated.db')
    const created = await openSqliteEventStore(path)()
    if (E.isLeft(created)) return expect.fail(created.left.message)
    const events = Array.from({ length: 2000 }, (_, i) => ({ type: 'X', data: { i, pad: 'y'.repeat(100) } }))
    await created.right.append('s', events, { expectedVersion: 0 })()
    await created.right.close()()
    truncateSync(path, Math.floor(statSync(path).size / 2))
    const before = fileHash(path)
    expect(await expectRefused(path)).toMatch(/corrupt/)
    expect(fileHash(path)).toBe(before)
  })

  it('refuses a directory', async () => {
    const path = tmp.file('dir.db')
    mkdirSync(path)
    expect(await expectRefused(path)).toMatch(/not a regular file/)
  })

  it('refuses to open a missing file read-only, and creates nothing', async () => {
    const path = tmp.file('missing.db')
    expect(await expectRefused(path, { readonly: true })).toMatch(/does not exist/)
    const opened = await openSqliteEventStore(path, { readonly: true })()
    expect(E.isLeft(opened)).toBe(true)
  })
})

describe('schema versions', () => {
  it('creates a new file with the current schema version, and opens it again', async () => {
    const path = tmp.file('new.db')
    const first = await openSqliteEventStore(path)()
    if (E.isLeft(first)) return expect.fail(first.left.message)
    expect(E.isRight(await first.right.close()())).toBe(true)
    const raw = new Database(path, { readonly: true })
    expect(raw.pragma('application_id', { simple: true })).toBe(KETNAP_APPLICATION_ID)
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(raw.prepare('SELECT version FROM ketnap_schema').pluck().get()).toBe(SCHEMA_VERSION)
    raw.close()
    const second = await openSqliteEventStore(path)()
    if (E.isLeft(second)) return expect.fail(second.left.message)
    await second.right.close()()
  })

  it('refuses a file written by a newer library, naming both versions, and writes nothing', async () => {
    const path = tmp.file('newer.db')
    const created = await openSqliteEventStore(path)()
    if (E.isLeft(created)) return expect.fail(created.left.message)
    await created.right.close()()
    const raw = new Database(path)
    raw.prepare('UPDATE ketnap_schema SET version = ?').run(SCHEMA_VERSION + 1)
    raw.close()
    const before = fileHash(path)
    const message = await expectRefused(path)
    expect(message).toMatch(/newer/)
    expect(message).toContain(`schema version ${SCHEMA_VERSION + 1}`)
    expect(fileHash(path)).toBe(before)
  })

  it('a read-only store refuses writes with a StorageError', async () => {
    const path = tmp.file('ro.db')
    const created = await openSqliteEventStore(path)()
    if (E.isLeft(created)) return expect.fail(created.left.message)
    await created.right.close()()
    const before = fileHash(path)
    const ro = await openSqliteEventStore(path, { readonly: true })()
    if (E.isLeft(ro)) return expect.fail(ro.left.message)
    const saved = await ro.right.saveCheckpoint({ name: 'p', version: 1, position: 0 })()
    expect(saved).toMatchObject({ _tag: 'Left', left: { _tag: 'StorageError' } })
    expect(E.isLeft(saved) && saved.left._tag === 'StorageError' && saved.left.message).toMatch(/read-only/)
    await ro.right.close()()
    expect(fileHash(path)).toBe(before)
  })
})
