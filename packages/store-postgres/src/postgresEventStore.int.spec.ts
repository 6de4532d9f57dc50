import pg from 'pg'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import {
  canonicalJson,
  verifyChain,
  type Envelope,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
} from '@ketnap/kernel'
import {
  dropSchema,
  openTestStore,
  rawSql,
  TEST_DATABASE_URL,
  uniqueSchema,
  POSTGRES_SKIPPED,
} from './internal/testing/database'

const schemas: string[] = []
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema)
})

/** A fresh schema for one test, dropped after the file. */
const freshSchema = (): string => {
  const schema = uniqueSchema('store')
  schemas.push(schema)
  return schema
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

describe.skipIf(POSTGRES_SKIPPED)('appending and reading', () => {
  it('appends, reads back the same envelopes, and keeps them for another pool', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
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

    const again = await openTestStore(schema)
    expect(await readLog(again)).toEqual(written)
    expect(await again.head()()).toEqual(E.right(b.right.head))
    expect(await again.headPosition()()).toEqual(E.right(3))
    expect(await verifyChain(again.readAll())).toEqual({ ok: true, head: b.right.head })
    await again.close()()
  })

  it('stores data as its canonical JSON text, byte for byte, and reads back what hashes the same', async () => {
    const store = await openTestStore(freshSchema())
    const tricky = {
      z: 1e21,
      a: [0.1, -0, 1.5e-7, 123456789012345680000],
      'é"\\,{}': 'NULL',
      nul: '\u0000 and \u2028',
      emoji: '😀',
    }
    const written = await store.append(
      'weird, "stream" {x}',
      [{ type: 'T"\\', data: tricky, actor: 'NULL', id: 'a,b"c' }],
      { expectedVersion: 0 },
    )()
    if (E.isLeft(written)) return expect.fail(JSON.stringify(written.left))
    const stored = await rawSql<{ data: string; actor: string | null; stream: string }>(
      `SELECT data, actor, stream FROM "${store.schema}".events`,
    )
    expect(stored.rows).toEqual([
      { data: canonicalJson(tricky), actor: 'NULL', stream: 'weird, "stream" {x}' },
    ])
    expect(await readLog(store)).toEqual(written.right.appended)
    expect((await verifyChain(store.readAll())).ok).toBe(true)
    await store.close()()
  })

  it('reports a wrong expected version as a ConcurrencyError and writes nothing', async () => {
    const store = await openTestStore(freshSchema())
    await store.append('s', [event(1)], { expectedVersion: 0 })()
    const conflict = await store.append('s', [event(2)], { expectedVersion: 0 })()
    expect(conflict).toEqual(
      E.left({ _tag: 'ConcurrencyError', stream: 's', expectedVersion: 0, actualVersion: 1 }),
    )
    expect(await store.headPosition()()).toEqual(E.right(1))
    await store.close()()
  })

  it('bulk append is all or nothing across streams', async () => {
    const store = await openTestStore(freshSchema())
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

  it('a bulk append larger than one INSERT statement is stored whole, and rolled back whole', async () => {
    const store = await openTestStore(freshSchema())
    const many = Array.from({ length: 12_000 }, (_, i) => event(i))
    const failed = await store.appendBatch([
      { stream: 'big', events: many, expectedVersion: 0 },
      { stream: 'late', events: [event(0, { recordedAt: '1999-01-01T00:00:00Z' })], expectedVersion: 0 },
    ])()
    expect(failed).toMatchObject({ left: { _tag: 'RecordClockError' } })
    expect(await store.headPosition()()).toEqual(E.right(0))
    const ok = await store.appendBatch([{ stream: 'big', events: many, expectedVersion: 0 }])()
    expect(E.isRight(ok) && ok.right.head.position).toBe(12_000)
    const chain = await verifyChain(store.readAll({ batchSize: 5000 }))
    expect(chain).toMatchObject({ ok: true, head: { position: 12_000 } })
    await store.close()()
  })

  it('skips ids already stored, even by another pool', async () => {
    const schema = freshSchema()
    const one = await openTestStore(schema)
    const two = await openTestStore(schema)
    await one.append('s', [event(1, { id: 'x' })], { expectedVersion: 0 })()
    const again = await two.append('s', [event(1, { id: 'x' }), event(2, { id: 'y' })], {
      expectedVersion: 1,
    })()
    expect(E.isRight(again) && again.right.skipped).toEqual(['x'])
    expect(E.isRight(again) && again.right.appended.map((e) => e.id)).toEqual(['y'])
    await one.close()()
    await two.close()()
  })

  it('text PostgreSQL cannot hold (U+0000 in a stream name) is an InvalidEventError, and nothing is written', async () => {
    const store = await openTestStore(freshSchema())
    const refused = await store.append('a\u0000b', [event(1)], { expectedVersion: 0 })()
    expect(refused).toMatchObject({ left: { _tag: 'InvalidEventError', code: 'invalid-text' } })
    expect(await store.headPosition()()).toEqual(E.right(0))
    await store.close()()
  })

  it('readAll pages in batches of the size asked, within the window asked', async () => {
    const store = await openTestStore(freshSchema(), { batchSize: 4 })
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
    const store = await openTestStore(freshSchema())
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

  it('knownAt is answered from the index on recorded_at', async () => {
    const store = await openTestStore(freshSchema())
    const plan = await rawSql<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT position FROM "${store.schema}".events WHERE recorded_at <= '2020-01-01T00:00:00.000Z' ` +
        'ORDER BY recorded_at DESC, position DESC LIMIT 1',
    )
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/events_recorded_at/)
    await store.close()()
  })

  it('a readAll window is fixed when it starts: later appends are not read', async () => {
    const store = await openTestStore(freshSchema(), { batchSize: 2 })
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
    const store = await openTestStore(freshSchema())
    expect(await store.close()()).toEqual(E.right(undefined))
    expect(await store.close()()).toEqual(E.right(undefined))
    expect(await store.append('s', [event(1)], { expectedVersion: 'any' })()).toMatchObject({
      left: { _tag: 'StorageError', message: expect.stringMatching(/closed/) },
    })
    expect(await store.head()()).toMatchObject({ left: { _tag: 'StorageError' } })
    expect(await store.saveCheckpoint({ name: 'p', version: 1, position: 0 })()).toMatchObject({
      left: { _tag: 'StorageError' },
    })
    const it = store.readAll()[Symbol.asyncIterator]()
    expect((await it.next()).value).toMatchObject({ _tag: 'Left', left: { _tag: 'StorageError' } })
  })
})

describe.skipIf(POSTGRES_SKIPPED)('the write lock', () => {
  it('an append waits for a writer holding the table lock, while readers are never blocked', async () => {
    const store = await openTestStore(freshSchema())
    await store.append('s', [event(1)], { expectedVersion: 0 })()
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await other.connect()
    await other.query('BEGIN')
    await other.query(`LOCK TABLE "${store.schema}".events IN EXCLUSIVE MODE`)
    let settled = false
    const pending = store
      .append('s', [event(2)], { expectedVersion: 1 })()
      .finally(() => {
        settled = true
      })
    // Readers go on while the lock is held.
    expect(await store.headPosition()()).toEqual(E.right(1))
    expect((await readLog(store)).length).toBe(1)
    // The append is parked on the lock: the server says so.
    const waiting = async (): Promise<boolean> =>
      ((
        await rawSql('SELECT 1 FROM pg_catalog.pg_locks WHERE relation = $1::regclass AND NOT granted', [
          `"${store.schema}".events`,
        ])
      ).rowCount ?? 0) > 0
    while (!(await waiting())) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(settled).toBe(false)
    await other.query('COMMIT')
    await other.end()
    expect(await pending).toMatchObject({ right: { head: { position: 2 } } })
    await store.close()()
  })
})

describe.skipIf(POSTGRES_SKIPPED)('concurrent writers', () => {
  it('several pools race on the same streams: one writer per version wins, positions gapless, chain verifies', async () => {
    const schema = freshSchema()
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openTestStore(schema, { poolSize: 3, now: () => new Date() })),
    )
    const streams = ['r-1', 'r-2', 'r-3']
    const rounds = 6
    const perWriter = 5
    const wins = new Map<string, string[]>() // `${stream}@${expectedVersion}` -> winners
    await Promise.all(
      stores.flatMap((store, s) =>
        Array.from({ length: perWriter }, async (_, w) => {
          for (let round = 0; round < rounds; round++) {
            const stream = streams[(s + w + round) % streams.length] ?? 'r-1'
            const version = await store.streamVersion(stream)()
            if (E.isLeft(version)) throw new Error(version.left._tag)
            const result = await store.append(
              stream,
              [
                event(round, { id: `s${s}-w${w}-r${round}-a` }),
                event(round, { id: `s${s}-w${w}-r${round}-b` }),
              ],
              { expectedVersion: version.right },
            )()
            if (E.isRight(result)) {
              const key = `${stream}@${version.right}`
              wins.set(key, [...(wins.get(key) ?? []), `s${s}-w${w}`])
            } else {
              expect(result.left).toMatchObject({
                _tag: 'ConcurrencyError',
                stream,
                expectedVersion: version.right,
              })
            }
          }
        }),
      ),
    )
    for (const winners of wins.values()) expect(winners).toHaveLength(1)
    const log = await readLog(stores[0]!, { batchSize: 7 })
    expect(log.map((e) => e.position)).toEqual(log.map((_, i) => i + 1))
    expect(log.length).toBe(wins.size * 2)
    for (const stream of streams) {
      const read = await stores[1]!.readStream(stream)()
      if (E.isLeft(read)) return expect.fail(read.left._tag)
      expect(read.right.map((e) => e.version)).toEqual(read.right.map((_, i) => i + 1))
      // Each winning append is whole and contiguous.
      for (let i = 0; i < read.right.length; i += 2)
        expect(read.right[i + 1]?.id).toBe(read.right[i]?.id.replace(/-a$/, '-b'))
    }
    expect(await verifyChain(log)).toMatchObject({ ok: true, head: { position: log.length } })
    await Promise.all(stores.map((store) => store.close()()))
  })
})

describe.skipIf(POSTGRES_SKIPPED)('checkpoints and snapshots', () => {
  it('saves, replaces and reloads them from another pool', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
    expect(await store.loadCheckpoint('p')()).toEqual(E.right(null))
    expect(await store.loadSnapshot('p')()).toEqual(E.right(null))
    await store.saveCheckpoint({ name: 'p', version: 1, position: 5 })()
    await store.saveCheckpoint({ name: 'p', version: 2, position: 7 })()
    await store.saveSnapshot({ name: 'p', version: 2, position: 7, state: { counts: [1, 2], who: 'x' } })()
    await store.close()()
    const again = await openTestStore(schema)
    expect(await again.loadCheckpoint('p')()).toEqual(E.right({ name: 'p', version: 2, position: 7 }))
    expect(await again.loadSnapshot('p')()).toEqual(
      E.right({ name: 'p', version: 2, position: 7, state: { counts: [1, 2], who: 'x' } }),
    )
    await rawSql(`UPDATE "${schema}".snapshots SET state = '{broken'`)
    expect(await again.loadSnapshot('p')()).toMatchObject({
      left: { _tag: 'StorageError', message: expect.stringMatching(/snapshot p is not JSON/) },
    })
    await again.close()()
  })
})

describe.skipIf(POSTGRES_SKIPPED)('tampering', () => {
  it('an UPDATE of one event behind the store fails verification at that position', async () => {
    const store = await openTestStore(freshSchema())
    await store.append(
      's',
      Array.from({ length: 10 }, (_, i) => event(i)),
      { expectedVersion: 0 },
    )()
    expect((await verifyChain(store.readAll())).ok).toBe(true)
    await rawSql(`UPDATE "${store.schema}".events SET data = $1 WHERE position = 4`, ['{"n":400}'])
    const verdict = await verifyChain(store.readAll({ batchSize: 3 }))
    expect(verdict).toMatchObject({ ok: false, firstBrokenPosition: 4, code: 'hash-mismatch' })
    await store.close()()
  })

  it('data that is no longer JSON ends readAll with a StorageError naming the position', async () => {
    const store = await openTestStore(freshSchema())
    await store.append('s', [event(1), event(2)], { expectedVersion: 0 })()
    await rawSql(`UPDATE "${store.schema}".events SET data = '{not json' WHERE position = 2`)
    const batches = []
    for await (const batch of store.readAll()) batches.push(batch)
    expect(batches).toMatchObject([{ _tag: 'Left', left: { _tag: 'StorageError', message: /position 2/ } }])
    const verdict = await verifyChain(store.readAll({ batchSize: 1 }))
    expect(verdict).toMatchObject({ ok: false, firstBrokenPosition: 2, code: 'read-error' })
    await store.close()()
  })

  it('a table dropped behind the store is a StorageError, never an exception', async () => {
    const store = await openTestStore(freshSchema())
    await rawSql(`DROP TABLE "${store.schema}".events`)
    expect(await store.append('s', [event(1)], { expectedVersion: 0 })()).toMatchObject({
      left: { _tag: 'StorageError', message: expect.stringMatching(/appending failed \[42P01\]/) },
    })
    expect(await store.readStream('s')()).toMatchObject({ left: { _tag: 'StorageError' } })
    const it = store.readAll()[Symbol.asyncIterator]()
    expect((await it.next()).value).toMatchObject({ _tag: 'Left', left: { _tag: 'StorageError' } })
    await store.close()()
  })
})
