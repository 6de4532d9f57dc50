import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { fc, test } from '@fast-check/vitest'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createReadModelRunner,
  verifyChain,
  type Envelope,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadModel,
} from '@ketnap/kernel'
import { openSqliteEventStore, type SqliteEventStore, type SqliteEventStoreOptions } from './sqliteEventStore'
import { KETNAP_APPLICATION_ID } from './internal/fileCheck'
import { STORE_PAGE_SIZE } from './internal/schema'
import { fileHash, tempDir } from './internal/testing/files'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.remove())

/** A clock that ticks one second per call from 2024-01-01, so that runs are reproducible. */
const tickingClock = (): (() => Date) => {
  let t = Date.parse('2024-01-01T00:00:00.000Z')
  return () => new Date((t += 1000))
}

const open = async (path: string, options: SqliteEventStoreOptions = {}): Promise<SqliteEventStore> => {
  const opened = await openSqliteEventStore(path, { now: tickingClock(), ...options })()
  if (E.isLeft(opened)) throw new Error(opened.left.message)
  return opened.right
}

const readLog = async (store: EventStore, options?: ReadAllOptions): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll(options)) {
    if (E.isLeft(batch)) throw new Error(JSON.stringify(batch.left))
    log.push(...batch.right)
  }
  return log
}

const event = (n: number, extra: Partial<NewEvent> = {}): NewEvent => ({
  type: 'Counted',
  data: { n, nested: { list: [n, 'x', null, true] } },
  ...extra,
})

describe('appending and reading a file', () => {
  it('appends, reads back the same envelopes, and keeps them after reopening', async () => {
    const path = tmp.file('log.db')
    const store = await open(path)
    const a = await store.append('s-1', [event(1), event(2)], { expectedVersion: 0 })()
    const b = await store.append('s-2', [event(3, { id: 'e-3', actor: 'me', schemaVersion: 2 })], {
      expectedVersion: 'any',
    })()
    if (E.isLeft(a) || E.isLeft(b)) return expect.fail('append failed')
    expect(a.right.appended.map((e) => [e.position, e.version])).toEqual([
      [1, 1],
      [2, 2],
    ])
    expect(b.right.head).toEqual({ position: 3, hash: b.right.appended[0]?.hash })
    const written = [...a.right.appended, ...b.right.appended]
    expect(await readLog(store)).toEqual(written)
    expect(await store.readStream('s-1', { fromVersion: 2 })()).toEqual(E.right([written[1]]))
    expect(await store.streamVersion('s-1')()).toEqual(E.right(2))
    expect(await store.streamVersion('nobody')()).toEqual(E.right(0))
    await store.close()()

    const again = await open(path)
    expect(await readLog(again)).toEqual(written)
    expect(await again.head()()).toEqual(E.right(b.right.head))
    expect(await again.headPosition()()).toEqual(E.right(3))
    expect(await verifyChain(again.readAll())).toEqual({ ok: true, head: b.right.head })
    await again.close()()
  })

  it(`makes a new file with pages of STORE_PAGE_SIZE bytes; an older file keeps its own`, async () => {
    const pageSize = (path: string): unknown => {
      const db = new Database(path, { readonly: true })
      try {
        return db.pragma('page_size', { simple: true })
      } finally {
        db.close()
      }
    }
    const fresh = tmp.file('fresh.db')
    const store = await open(fresh)
    expect(E.isRight(await store.append('s-1', [event(1)], { expectedVersion: 0 })())).toBe(true)
    await store.close()()
    expect(pageSize(fresh)).toBe(STORE_PAGE_SIZE)

    // A store at schema version 0 made with SQLite's default pages: migrated in place, pages unchanged.
    const older = tmp.file('older.db')
    const db = new Database(older)
    db.pragma('page_size = 4096')
    db.pragma(`application_id = ${KETNAP_APPLICATION_ID}`)
    db.exec('CREATE TABLE ketnap_schema (version INTEGER NOT NULL); INSERT INTO ketnap_schema VALUES (0)')
    db.close()
    const migrated = await open(older)
    expect(E.isRight(await migrated.append('s-1', [event(1)], { expectedVersion: 0 })())).toBe(true)
    expect(await readLog(migrated)).toHaveLength(1)
    await migrated.close()()
    expect(pageSize(older)).toBe(4096)
  })

  it('reports a wrong expected version as a ConcurrencyError and writes nothing', async () => {
    const store = await open(tmp.file('c.db'))
    await store.append('s', [event(1)], { expectedVersion: 0 })()
    const conflict = await store.append('s', [event(2)], { expectedVersion: 0 })()
    expect(conflict).toEqual(
      E.left({ _tag: 'ConcurrencyError', stream: 's', expectedVersion: 0, actualVersion: 1 }),
    )
    expect(await store.headPosition()()).toEqual(E.right(1))
    await store.close()()
  })

  it('bulk append is all or nothing across streams', async () => {
    const store = await open(tmp.file('bulk.db'))
    await store.append('b', [event(0)], { expectedVersion: 0 })()
    const failed = await store.appendBatch([
      { stream: 'a', events: [event(1), event(2)], expectedVersion: 0 },
      { stream: 'b', events: [event(3)], expectedVersion: 0 },
    ])()
    expect(failed).toMatchObject({ _tag: 'Left', left: { _tag: 'ConcurrencyError', stream: 'b' } })
    expect(await store.headPosition()()).toEqual(E.right(1))
    const ok = await store.appendBatch([
      { stream: 'a', events: [event(1), event(2)], expectedVersion: 0 },
      { stream: 'b', events: [event(3)], expectedVersion: 1 },
    ])()
    expect(E.isRight(ok) && ok.right.appended.map((e) => `${e.stream}@${e.version}#${e.position}`)).toEqual([
      'a@1#2',
      'a@2#3',
      'b@2#4',
    ])
    await store.close()()
  })

  it('skips ids already stored, even from another connection', async () => {
    const path = tmp.file('ids.db')
    const one = await open(path)
    const two = await open(path)
    await one.append('s', [event(1, { id: 'x' })], { expectedVersion: 0 })()
    const again = await two.append('s', [event(1, { id: 'x' }), event(2, { id: 'y' })], {
      expectedVersion: 1,
    })()
    expect(E.isRight(again) && again.right.skipped).toEqual(['x'])
    expect(E.isRight(again) && again.right.appended.map((e) => e.id)).toEqual(['y'])
    await one.close()()
    await two.close()()
  })

  it('readAll pages in batches of the size asked, within the window asked', async () => {
    const store = await open(tmp.file('pages.db'), { batchSize: 4 })
    await store.append(
      's',
      Array.from({ length: 23 }, (_, i) => event(i)),
      { expectedVersion: 0 },
    )()
    const sizes: number[] = []
    for await (const batch of store.readAll()) sizes.push(E.isRight(batch) ? batch.right.length : -1)
    expect(sizes).toEqual([4, 4, 4, 4, 4, 3])
    const window = await readLog(store, { fromPosition: 5, toPosition: 11, batchSize: 3 })
    expect(window.map((e) => e.position)).toEqual([5, 6, 7, 8, 9, 10, 11])
    const bad = store.readAll({ batchSize: 0 })[Symbol.asyncIterator]()
    expect((await bad.next()).value).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidEventError' } })
    await store.close()()
  })

  it('readAll with knownAt returns the prefix recorded at or before the instant', async () => {
    const store = await open(tmp.file('known.db'))
    const at = (t: string) => event(0, { recordedAt: t })
    await store.append(
      's',
      [
        at('2020-01-01T00:00:00Z'),
        at('2020-01-02T00:00:00Z'),
        at('2020-01-02T00:00:00Z'),
        at('2020-01-03T00:00:00Z'),
      ],
      { expectedVersion: 0 },
    )()
    const positions = async (knownAt: string) => (await readLog(store, { knownAt })).map((e) => e.position)
    expect(await positions('2019-12-31T23:59:59Z')).toEqual([])
    expect(await positions('2020-01-02T07:00:00+07:00')).toEqual([1, 2, 3])
    expect(await positions('2020-01-02T00:00:00.000Z')).toEqual([1, 2, 3])
    expect(await positions('2030-01-01T00:00:00Z')).toEqual([1, 2, 3, 4])
    const bad = store.readAll({ knownAt: 'yesterday' })[Symbol.asyncIterator]()
    expect((await bad.next()).value).toMatchObject({ _tag: 'Left', left: { code: 'invalid-instant' } })
    await store.close()()
  })

  it('a readAll window is fixed when it starts: later appends are not read', async () => {
    const store = await open(tmp.file('window.db'), { batchSize: 2 })
    await store.append('s', [event(1), event(2), event(3)], { expectedVersion: 0 })()
    const seen: number[] = []
    for await (const batch of store.readAll()) {
      if (E.isLeft(batch)) return expect.fail(batch.left._tag)
      seen.push(...batch.right.map((e) => e.position))
      await store.append('t', [event(9)], { expectedVersion: 'any' })()
    }
    expect(seen).toEqual([1, 2, 3])
    await store.close()()
  })

  it('refuses every call once closed, with a StorageError', async () => {
    const store = await open(tmp.file('closed.db'))
    expect(await store.close()()).toEqual(E.right(undefined))
    expect(await store.close()()).toEqual(E.right(undefined))
    expect(await store.append('s', [event(1)], { expectedVersion: 'any' })()).toMatchObject({
      left: { _tag: 'StorageError', message: expect.stringMatching(/closed/) },
    })
    expect(await store.head()()).toMatchObject({ left: { _tag: 'StorageError' } })
    const it = store.readAll()[Symbol.asyncIterator]()
    expect((await it.next()).value).toMatchObject({ _tag: 'Left', left: { _tag: 'StorageError' } })
  })
})

describe('reading a bad window', () => {
  it('refuses fractional positions and batch sizes with the kernel codes, like every store', async () => {
    const store = await open(tmp.file('w.db'))
    for (const [options, code] of [
      [{ fromPosition: 2.5 }, 'invalid-read-window'],
      [{ toPosition: Number.NaN }, 'invalid-read-window'],
      [{ batchSize: 0 }, 'invalid-batch-size'],
    ] as const) {
      const batches = []
      for await (const batch of store.readAll(options)) batches.push(batch)
      expect(batches).toMatchObject([E.left({ code })])
    }
    await store.close()()
  })
})

describe('locks held by another connection', () => {
  it('a write locked out past the busy timeout and its retries is a StorageError, and works once released', async () => {
    const path = tmp.file('locked.db')
    const store = await open(path, { busyTimeoutMs: 20 })
    const other = new Database(path)
    other.prepare('BEGIN IMMEDIATE').run()
    const locked = await store.append('s', [event(1)], { expectedVersion: 0 })()
    expect(locked).toMatchObject({ left: { _tag: 'StorageError', message: expect.stringMatching(/locked/) } })
    // Readers are not blocked by the writer (WAL).
    expect(await store.headPosition()()).toEqual(E.right(0))
    other.prepare('COMMIT').run()
    other.close()
    expect(E.isRight(await store.append('s', [event(1)], { expectedVersion: 0 })())).toBe(true)
    await store.close()()
  })
})

describe('checkpoints and snapshots', () => {
  it('saves, replaces and reloads them across reopening', async () => {
    const path = tmp.file('cp.db')
    const store = await open(path)
    expect(await store.loadCheckpoint('p')()).toEqual(E.right(null))
    expect(await store.loadSnapshot('p')()).toEqual(E.right(null))
    await store.saveCheckpoint({ name: 'p', version: 1, position: 5 })()
    await store.saveCheckpoint({ name: 'p', version: 2, position: 7 })()
    await store.saveSnapshot({ name: 'p', version: 2, position: 7, state: { counts: [1, 2], who: 'x' } })()
    await store.close()()
    const again = await open(path)
    expect(await again.loadCheckpoint('p')()).toEqual(E.right({ name: 'p', version: 2, position: 7 }))
    expect(await again.loadSnapshot('p')()).toEqual(
      E.right({ name: 'p', version: 2, position: 7, state: { counts: [1, 2], who: 'x' } }),
    )
    await again.close()()
  })
})

describe('tampering and backups', () => {
  it('an UPDATE of one event behind the store fails verification at that position', async () => {
    const path = tmp.file('tamper.db')
    const store = await open(path)
    await store.append(
      's',
      Array.from({ length: 10 }, (_, i) => event(i)),
      { expectedVersion: 0 },
    )()
    expect((await verifyChain(store.readAll())).ok).toBe(true)
    const raw = new Database(path)
    raw.prepare('UPDATE events SET data = ? WHERE position = 4').run('{"n":400}')
    raw.close()
    const verdict = await verifyChain(store.readAll({ batchSize: 3 }))
    expect(verdict).toMatchObject({ ok: false, firstBrokenPosition: 4, code: 'hash-mismatch' })
    await store.close()()
  })

  it('data that is no longer JSON ends readAll with a StorageError naming the position', async () => {
    const path = tmp.file('garbled.db')
    const store = await open(path)
    await store.append('s', [event(1), event(2)], { expectedVersion: 0 })()
    const raw = new Database(path)
    raw.prepare('UPDATE events SET data = ? WHERE position = 2').run('{not json')
    raw.close()
    const batches = []
    for await (const batch of store.readAll()) batches.push(batch)
    expect(batches).toMatchObject([{ _tag: 'Left', left: { _tag: 'StorageError', message: /position 2/ } }])
    const verdict = await verifyChain(store.readAll({ batchSize: 1 }))
    expect(verdict).toMatchObject({ ok: false, firstBrokenPosition: 2, code: 'read-error' })
    await store.close()()
  })

  it('backs up a live store to a file that opens with the same log', async () => {
    const path = tmp.file('live.db')
    const copy = tmp.file('copy.db')
    const store = await open(path)
    await store.append('s', [event(1), event(2)], { expectedVersion: 0 })()
    await store.saveCheckpoint({ name: 'p', version: 1, position: 2 })()
    expect(await store.backup(copy)()).toEqual(E.right(undefined))
    const log = await readLog(store)
    await store.close()()
    const restored = await open(copy)
    expect(await readLog(restored)).toEqual(log)
    expect(await restored.loadCheckpoint('p')()).toEqual(E.right({ name: 'p', version: 1, position: 2 }))
    await restored.close()()
    expect(existsSync(copy)).toBe(true)
  })
})

describe('reopening gives the same log (property)', () => {
  const newEvent = fc.record(
    {
      type: fc.constantFrom('A', 'B'),
      data: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<NewEvent['data']>,
      id: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5', 'i6'),
      actor: fc.option(fc.constantFrom('x', 'y'), { nil: null }),
    },
    { requiredKeys: ['type', 'data'] },
  )
  const call = fc.array(
    fc.record({
      stream: fc.constantFrom('s-1', 's-2', 's-3'),
      events: fc.array(newEvent, { maxLength: 3 }),
      expectedVersion: fc.oneof(fc.constant('any' as const), fc.nat({ max: 3 })),
    }),
    { minLength: 1, maxLength: 2 },
  )

  test.prop([fc.array(call, { maxLength: 6 })])(
    'whatever the appends, a reopened file reads the acknowledged envelopes, chained',
    async (calls) => {
      const dir = tempDir()
      try {
        const path = dir.file('prop.db')
        const store = await open(path, { batchSize: 3 })
        const acknowledged: Envelope[] = []
        for (const batch of calls) {
          const result = await store.appendBatch(batch)()
          if (E.isRight(result)) acknowledged.push(...result.right.appended)
          else expect(result.left._tag).not.toBe('StorageError')
        }
        const before = await readLog(store)
        expect(before).toEqual(JSON.parse(JSON.stringify(acknowledged)))
        await store.close()()
        const hash = fileHash(path)
        const again = await open(path, { readonly: true })
        expect(await readLog(again)).toEqual(before)
        expect((await verifyChain(again.readAll())).ok).toBe(true)
        await again.close()()
        expect(fileHash(path)).toBe(hash)
      } finally {
        dir.remove()
      }
    },
  )
})

describe("a read model's indexes", () => {
  const model: ReadModel<{ readonly n: number }> = {
    name: 'indexed',
    version: 1,
    tables: [
      {
        name: 'rm_indexed_row',
        columns: [
          { name: 'pos', type: 'integer' },
          { name: 'n', type: 'integer' },
        ],
        primaryKey: ['pos'],
        indexes: [['n']],
      },
    ],
    writes: (e, at) => [
      { sql: 'INSERT INTO rm_indexed_row (pos, n) VALUES ($1, $2)', params: [at.position, e.n] },
    ],
  }
  const indexes = (path: string): string[] => {
    const db = new Database(path, { readonly: true })
    try {
      return db
        .prepare<[], string>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'rm_indexed%'",
        )
        .pluck()
        .all()
    } finally {
      db.close()
    }
  }

  it('are made once a rebuild has filled the tables, and by the next runner when a rebuild stopped before', async () => {
    const path = tmp.file('indexed.db')
    const store = await open(path)
    const runner = (): ReturnType<typeof createReadModelRunner> =>
      createReadModelRunner(store, model, { decode: (e) => E.right(e.data as { n: number }) })
    const events = [1, 2, 3].map((n) => ({ type: 'Counted', data: { n }, id: `e${n}` }))
    expect(E.isRight(await store.append('s', events, { expectedVersion: 'any' })())).toBe(true)
    expect(await runner().rebuild()()).toEqual(E.right({ position: 3, rebuilt: true }))
    expect(indexes(path)).toEqual(['rm_indexed_row_i0'])
    // A rebuild that stopped after its rows: the tables without their index, the checkpoint at the head.
    expect(E.isRight(await store.resetReadModel(model, { indexes: false })())).toBe(true)
    const rows = events.flatMap((e, i) => model.writes(e.data, { position: i + 1, recordedAt: '' }))
    expect(await store.writeReadModel(model, rows, 0, 3)()).toEqual(E.right('written'))
    expect(indexes(path)).toEqual([])
    expect(await runner().catchUp()()).toEqual(E.right({ position: 3, rebuilt: false }))
    expect(indexes(path)).toEqual(['rm_indexed_row_i0'])
    await store.close()()
  })
})
