import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import {
  eventLeafHash,
  planAppend,
  rootOf,
  storedTreeHashes,
  verifyChain,
  type Envelope,
  type EventStore,
  type Head,
  type ImportSession,
  type NewEvent,
} from '@ketnap/kernel'
import {
  dropSchema,
  openTestStore,
  POSTGRES_SKIPPED,
  rawSql,
  uniqueSchema,
} from './internal/testing/database'

// The import session writes with COPY ... FROM STDIN inside its one transaction: these tests check that
// what COPY's text format must escape is stored as given, and that a COPY failing half-way through an
// import leaves nothing behind (no event, no stored subtree) and the store usable.

const schemas: string[] = []
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema)
})

const freshSchema = (): string => {
  const schema = uniqueSchema('import')
  schemas.push(schema)
  return schema
}

const right = <A>(x: E.Either<unknown, A>, what: string): A => {
  if (E.isLeft(x)) throw new Error(`${what}: ${JSON.stringify(x.left)}`)
  return x.right
}

const readLog = async (store: EventStore): Promise<Envelope[]> => {
  const log: Envelope[] = []
  for await (const batch of store.readAll()) log.push(...right(batch, 'readAll'))
  return log
}

const clock = { now: () => new Date('2024-06-01T00:00:00.000Z'), newId: () => 'unused' }

/** Plans events of one stream after `head` (a fresh stream per chunk), as the importer plans them. */
const plan = (session: ImportSession, head: Head, stream: string, events: ReadonlyArray<NewEvent>) =>
  right(
    planAppend(
      { head, lastRecordedAt: session.lastRecordedAt, streamVersion: () => 0, hasId: () => false },
      [{ stream, events, expectedVersion: 'any' }],
      clock,
    ),
    'planning',
  ).envelopes

const events = (prefix: string, count: number): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    type: 'Counted',
    id: `${prefix}-${i}`,
    data: { n: i },
    recordedAt: '2024-06-01T00:00:00.000Z',
  }))

const begin = async (store: EventStore): Promise<ImportSession> => {
  if (store.beginImport === undefined) throw new Error('the store has no import session')
  return right(await store.beginImport(), 'beginImport')
}

const headOf = (envelopes: ReadonlyArray<Envelope>, before: Head): Head => {
  const last = envelopes[envelopes.length - 1]
  return last === undefined ? before : { position: last.position, hash: last.hash }
}

describe.skipIf(POSTGRES_SKIPPED)('the import session (COPY)', () => {
  it('stores text COPY must escape (tab, newline, carriage return, backslash, \\N) exactly as given', async () => {
    const store = await openTestStore(freshSchema())
    const session = await begin(store)
    const tricky = 'a\tb\nc\rd\\e \\N \\. "q" Đảng'
    const planned = plan(session, session.head, `s\t${tricky}`, [
      { type: 'Odd\\Type', data: { text: tricky, [tricky]: [tricky] }, actor: tricky, id: `id\n${tricky}` },
      { type: 'Plain', data: { text: '\\N' }, actor: null },
    ])
    right(await session.write(planned), 'write')
    right(await session.commit(), 'commit')
    expect(await readLog(store)).toEqual(planned)
    expect(await verifyChain(store.readAll())).toMatchObject({ ok: true, head: { position: 2 } })
    await store.close()()
  })

  it('an import whose COPY fails half-way leaves nothing, and the next import is stored whole', async () => {
    const schema = freshSchema()
    const store = await openTestStore(schema)
    const session = await begin(store)
    // 600 events complete two stored subtrees of 256: they must go with the rolled back import.
    const first = plan(session, session.head, 'first', events('a', 600))
    right(await session.write(first), 'first chunk')
    // The second chunk repeats an id of the first: the planner was told nothing is stored (hasId), so
    // only the table's unique index stops it, half-way through the import.
    const repeated = events('b', 300).map((e, i) => (i === 150 ? { ...e, id: 'a-7' } : e))
    const second = plan(session, headOf(first, session.head), 'second', repeated)
    const failed = await session.write(second)
    expect(failed).toMatchObject({ left: { _tag: 'StorageError' } })
    expect(await session.commit()).toMatchObject({ left: { _tag: 'StorageError' } })
    expect(await store.headPosition()()).toEqual(E.right(0))
    const counts = await rawSql<{ events: string; subtrees: string }>(
      `SELECT (SELECT count(*) FROM "${schema}".events) AS events, (SELECT count(*) FROM "${schema}".subtrees) AS subtrees`,
    )
    expect(counts.rows[0]).toEqual({ events: '0', subtrees: '0' })

    const again = await begin(store)
    const whole = plan(again, again.head, 'first', events('a', 600))
    right(await again.write(whole.slice(0, 250)), 'chunk 1')
    right(await again.write(whole.slice(250)), 'chunk 2')
    expect(await again.commit()).toEqual(E.right({ position: 600, hash: whole[599]?.hash }))
    expect(await readLog(store)).toEqual(whole)
    const readTree = store.readTree
    if (readTree === undefined) throw new Error('the store keeps no tree')
    // The subtrees the session's builder wrote across its two chunks give the roots of the log itself.
    const fromStore = right(await storedTreeHashes(readTree, { sizes: [512, 600] }), 'stored tree')
    const leaves = whole.map((e) => eventLeafHash(e.hash))
    expect(fromStore?.roots.get(512)).toEqual(rootOf(leaves.slice(0, 512)))
    expect(fromStore?.roots.get(600)).toEqual(rootOf(leaves))
    await store.close()()
  })
})
