/**
 * Benchmarks of the PostgreSQL store on the real server: appending 50k events in bulk batches, and
 * reading them all back with readAll. Each store lives in its own schema, dropped afterwards. Run with
 * `pnpm bench`.
 */
import * as E from 'fp-ts/Either'
import { afterAll, bench, describe } from 'vitest'
import type { StreamAppend } from '@ketnap/kernel'
import type { PostgresEventStore } from './postgresEventStore'
import { dropSchema, openTestStore, uniqueSchema } from './internal/testing/database'

const TOTAL = 50_000
const PER_BATCH = 5_000
const STREAMS_PER_BATCH = 250

const schemas: string[] = []
let filled: PostgresEventStore | undefined
afterAll(async () => {
  await filled?.close()()
  for (const schema of schemas) await dropSchema(schema)
})

const open = async (): Promise<PostgresEventStore> => {
  const schema = uniqueSchema('bench')
  schemas.push(schema)
  return openTestStore(schema, { now: () => new Date() })
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

const fill = async (store: PostgresEventStore): Promise<void> => {
  for (let b = 0; b < TOTAL / PER_BATCH; b++) {
    const result = await store.appendBatch(batch(b))()
    if (E.isLeft(result)) throw new Error(result.left._tag)
  }
}

describe('store-postgres', () => {
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
      let n = 0
      for await (const page of filled.readAll()) {
        if (E.isLeft(page)) throw new Error(page.left._tag)
        n += page.right.length
      }
      if (n !== TOTAL) throw new Error(`read ${n} events`)
    },
    { iterations: 3, warmupIterations: 1 },
  )
})
