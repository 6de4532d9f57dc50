/**
 * Benchmarks of the SQLite store on a real file: appending 100k events in bulk batches, and reading them
 * all back with readAll. Run with `pnpm bench`.
 */
import * as E from 'fp-ts/Either'
import { afterAll, bench, describe } from 'vitest'
import type { StreamAppend } from '@ketnap/kernel'
import { openSqliteEventStore, type SqliteEventStore } from './sqliteEventStore'
import { tempDir } from './internal/testing/files'

const TOTAL = 100_000
const PER_BATCH = 5_000
const STREAMS_PER_BATCH = 250

const tmp = tempDir()
let files = 0
let filled: SqliteEventStore | undefined
afterAll(async () => {
  await filled?.close()()
  tmp.remove()
})

const open = async (): Promise<SqliteEventStore> => {
  const opened = await openSqliteEventStore(tmp.file(`bench-${files++}.db`))()
  if (E.isLeft(opened)) throw new Error(opened.left.message)
  return opened.right
}

const batch = (b: number): ReadonlyArray<StreamAppend> =>
  Array.from({ length: STREAMS_PER_BATCH }, (_, s) => ({
    stream: `person-${b}-${s}`,
    expectedVersion: 0,
    events: Array.from({ length: PER_BATCH / STREAMS_PER_BATCH }, (_, i) => ({
      type: 'MemberAdmitted',
      data: { personId: `p-${b}-${s}`, orgId: 'cb-ta-ko-khu', on: '2016-06-02', i },
    })),
  }))

const fill = async (store: SqliteEventStore): Promise<void> => {
  for (let b = 0; b < TOTAL / PER_BATCH; b++) {
    const result = await store.appendBatch(batch(b))()
    if (E.isLeft(result)) throw new Error(result.left._tag)
  }
}

describe('store-sqlite', () => {
  bench(
    `append ${TOTAL} events in batches of ${PER_BATCH}`,
    async () => {
      const store = await open()
      await fill(store)
      await store.close()()
    },
    { iterations: 2, warmupIterations: 0 },
  )

  bench(
    `readAll of ${TOTAL} events`,
    async () => {
      if (filled === undefined) {
        filled = await open()
        await fill(filled)
      }
      const store = filled
      let n = 0
      for await (const page of store.readAll()) {
        if (E.isLeft(page)) throw new Error(page.left._tag)
        n += page.right.length
      }
      if (n !== TOTAL) throw new Error(`read ${n} events`)
    },
    { iterations: 3, warmupIterations: 1 },
  )
})
