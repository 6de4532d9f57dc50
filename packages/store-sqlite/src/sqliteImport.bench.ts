/**
 * Benchmark of the whole import path on a real SQLite file: `importJsonLines` parsing, decoding and
 * validating generated JSON Lines through a small domain, then writing them in one `appendBatch`
 * (planning, canonical JSON, hashing, inserting). A second import of the same lines replays the stored
 * log and skips every line as already stored. Run with `pnpm bench`.
 */
import * as E from 'fp-ts/Either'
import { afterAll, bench, describe } from 'vitest'
import { importJsonLines, type Domain, type Json } from '@ketnap/kernel'
import { openSqliteEventStore, type SqliteEventStore } from './sqliteEventStore'
import { tempDir } from './internal/testing/files'

const LINES = 20_000
const PEOPLE = 2_000

interface Admitted {
  readonly type: 'MemberAdmitted'
  readonly data: {
    readonly personId: string
    readonly orgId: string
    readonly on: string
    readonly n: number
  }
}

/** A domain with one event type: a person is admitted at most once a day. */
const domain: Domain<Admitted, Set<string>> = {
  name: 'bench',
  decode: (type, data) => {
    const d = data as Admitted['data'] | null
    return type === 'MemberAdmitted' && typeof d?.personId === 'string'
      ? E.right({ type, data: d })
      : E.left([{ _tag: 'DomainError', code: 'invalid-event', message: 'not an admission' }])
  },
  encode: (event) => ({ type: event.type, data: event.data as unknown as Json }),
  schemaVersionOf: () => 1,
  streamOf: (event) => `person-${event.data.personId}`,
  upcasters: [],
  validator: {
    initialState: () => new Set(),
    validate: (state, event) =>
      state.has(`${event.data.personId}/${event.data.on}/${event.data.n}`)
        ? [{ _tag: 'DomainError', code: 'duplicate', message: 'admitted twice' }]
        : [],
    evolve: (state, event) => state.add(`${event.data.personId}/${event.data.on}/${event.data.n}`),
  },
}

/** Generated lines with ids, instants (some with a zone offset) and nested data, in record order. */
const lines: ReadonlyArray<string> = Array.from({ length: LINES }, (_, i) => {
  const second = String(i % 60).padStart(2, '0')
  const minute = String(Math.floor(i / 60) % 60).padStart(2, '0')
  const hour = String(Math.floor(i / 3600) + 1).padStart(2, '0')
  return JSON.stringify({
    id: `e-${i}`,
    type: 'MemberAdmitted',
    recordedAt:
      i % 10 === 0
        ? `2016-06-05T${hour}:${minute}:${second}+00:00`
        : `2016-06-05T${hour}:${minute}:${second}.000Z`,
    actor: i % 3 === 0 ? null : 'clerk',
    data: {
      personId: `p-${i % PEOPLE}`,
      orgId: 'cb-ta-ko-khu',
      on: '2016-06-02',
      n: i,
      note: { tags: ['a', 'b'], x: 1.5 },
    },
  })
})

const tmp = tempDir()
let files = 0
afterAll(() => tmp.remove())

const open = async (): Promise<SqliteEventStore> => {
  const opened = await openSqliteEventStore(tmp.file(`import-${files++}.db`))()
  if (E.isLeft(opened)) throw new Error(opened.left.message)
  return opened.right
}

const importAll = async (store: SqliteEventStore, appended: number): Promise<void> => {
  const result = await importJsonLines(store, domain, lines)()
  if (E.isLeft(result)) throw new Error(result.left._tag)
  if (result.right.appended !== appended) throw new Error(`appended ${result.right.appended}`)
}

describe('store-sqlite import', () => {
  bench(
    `import ${LINES} lines into a fresh store`,
    async () => {
      const store = await open()
      await importAll(store, LINES)
      await store.close()()
    },
    { iterations: 5, warmupIterations: 1 },
  )

  bench(
    `import ${LINES} lines again (replay, all skipped)`,
    async () => {
      const store = await open()
      await importAll(store, LINES)
      await importAll(store, 0)
      await store.close()()
    },
    { iterations: 3, warmupIterations: 1 },
  )
})
