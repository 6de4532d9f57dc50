import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  eventLeafHash,
  inclusionRanges,
  rootOf,
  storedSubtreeKeys,
  storedTreeHashes,
  subtreesOf,
  type Envelope,
} from '@ketnap/kernel'
import { openSqliteEventStore, type SqliteEventStore } from '../sqliteEventStore'
import { SCHEMA_VERSION } from './schema'
import { tempDir } from './testing/files'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => {
  tmp.remove()
})

const open = async (path: string, options: Parameters<typeof openSqliteEventStore>[1] = {}) => {
  const opened = await openSqliteEventStore(path, options)()
  if (E.isLeft(opened)) throw new Error(opened.left.message)
  return opened.right
}

const readLog = async (store: SqliteEventStore): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll()) if (E.isRight(batch)) log.push(...batch.right)
  return log
}

/** A store as schema version 1 left it: the same tables, without `subtrees`. */
const makeVersion1Store = async (path: string, events: number): Promise<void> => {
  const store = await open(path)
  for (let i = 0; i < events; i += 500)
    await store.append(
      's',
      Array.from({ length: Math.min(500, events - i) }, (_, k) => ({ type: 'T', data: i + k })),
      { expectedVersion: 'any' },
    )()
  await store.close()()
  const raw = new Database(path)
  raw.exec(
    'DROP TABLE subtrees; DROP TABLE keyed_state; DROP TABLE subject_keys; UPDATE ketnap_schema SET version = 1',
  )
  raw.close()
}

describe('the stored tree of an older store', () => {
  it('is filled by the migration to version 2, one progress call per page, equal to the recomputed tree', async () => {
    const path = tmp.file('old.db')
    await makeVersion1Store(path, 3000)
    const progress: Array<[number, number]> = []
    const store = await open(path, { onMigrationProgress: (done, total) => progress.push([done, total]) })
    expect(progress.at(-1)).toEqual([3000, 3000])
    const log = await readLog(store)
    const leaves = log.map((e) => eventLeafHash(e.hash))
    const keys = storedSubtreeKeys(log.length)
    const read = await store.readTree({ subtrees: keys, leaves: [] })
    if (E.isLeft(read)) throw new Error(read.left._tag)
    const all = subtreesOf(leaves)
    expect(read.right.subtrees).toEqual(
      keys.map((k) => all({ start: k.index * 2 ** k.height, end: (k.index + 1) * 2 ** k.height })),
    )
    // Appends after the migration continue the filled tree.
    await store.append(
      's',
      Array.from({ length: 700 }, (_, k) => ({ type: 'T', data: k })),
      {
        expectedVersion: 'any',
      },
    )()
    const grown = (await readLog(store)).map((e) => eventLeafHash(e.hash))
    const hashes = await storedTreeHashes(store.readTree, {
      sizes: [grown.length, 3000],
      ranges: inclusionRanges(1234, grown.length),
    })
    expect(hashes).toEqual(
      E.right({
        roots: new Map([
          [grown.length, rootOf(grown)],
          [3000, rootOf(grown.slice(0, 3000))],
        ]),
        ranges: inclusionRanges(1234, grown.length).map(subtreesOf(grown)),
      }),
    )
    await store.close()()
    const raw = new Database(path, { readonly: true })
    expect(raw.prepare('SELECT version FROM ketnap_schema').pluck().get()).toBe(SCHEMA_VERSION)
    raw.close()
  })

  it('is not migrated by a read-only open', async () => {
    const path = tmp.file('old.db')
    await makeVersion1Store(path, 10)
    const opened = await openSqliteEventStore(path, { readonly: true })()
    expect(opened).toMatchObject({
      left: { message: expect.stringMatching(new RegExp(`needs a migration to ${SCHEMA_VERSION}`)) },
    })
    const raw = new Database(path, { readonly: true })
    expect(raw.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'subtrees'`).pluck().get()).toBe(0)
    raw.close()
  })
})
