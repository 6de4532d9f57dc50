import { afterAll, describe } from 'vitest'
import { runEventStoreConformance } from '@ketnap/kernel/conformance'
import { dropSchema, openTestStore, POSTGRES_SKIPPED, uniqueSchema } from './internal/testing/database'

// Every store the suite asks for lives in a fresh schema of the real server, dropped afterwards, so
// that runs never see each other's events.
const leftover = new Set<string>()
afterAll(async () => {
  for (const schema of leftover) await dropSchema(schema)
})

describe.skipIf(POSTGRES_SKIPPED)('on the real server', () =>
  runEventStoreConformance('postgres (real server)', async () => {
    const schema = uniqueSchema('conformance')
    leftover.add(schema)
    const store = await openTestStore(schema, { batchSize: 3, now: () => new Date() })
    return {
      store,
      // Another pool on the same schema, as another process would open.
      reopen: () => openTestStore(schema, { batchSize: 3, now: () => new Date() }),
      cleanup: async () => {
        await store.close()()
        await dropSchema(schema)
        leftover.delete(schema)
      },
    }
  }),
)
