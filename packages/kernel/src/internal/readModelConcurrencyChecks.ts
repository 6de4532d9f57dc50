/**
 * Conformance checks of read models caught up from two places at once, for stores that keep them: two
 * runners over two store objects of the same storage (as two processes would hold; the same object when
 * the store lives in the process) catch up, rebuild and race appends, and neither corrupts the tables
 * nor moves the checkpoint past the log; and a catch-up that runs while an import session is open on
 * the same store object never folds the session's events before they are committed.
 * @internal
 */
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { planAppend } from '../appendPlan'
import type { EventStore } from '../eventStore'
import type { CheckpointStore } from '../projection'
import {
  keepsReadModels,
  readModelCheckpointName,
  type ReadModel,
  type ReadModelStore,
  type SqlRow,
} from '../readModel'
import { createReadModelRunner, type ReadModelRunner } from '../readModelRunner'
import type {
  ConformanceCheck,
  ConformanceOptions,
  ConformanceResult,
  StoreFactory,
} from './conformanceChecks'

type Host = EventStore & CheckpointStore & ReadModelStore

const fail = (message: string): never => {
  throw new Error(message)
}

const right = <A>(x: E.Either<unknown, A>, what: string): A =>
  E.isLeft(x) ? fail(`${what}: ${JSON.stringify(x.left)}`) : x.right

const isHost = (store: EventStore): store is Host => keepsReadModels(store) && 'loadCheckpoint' in store

/** One row per event and a running total per stream: an insert and an update per event. */
const model: ReadModel<{ readonly stream: string; readonly n: number }> = {
  name: 'twice',
  version: 1,
  tables: [
    {
      name: 'rm_twice_event',
      columns: [
        { name: 'pos', type: 'integer' },
        { name: 'stream', type: 'text' },
        { name: 'n', type: 'integer' },
      ],
      primaryKey: ['pos'],
    },
    {
      name: 'rm_twice_total',
      columns: [
        { name: 'stream', type: 'text' },
        { name: 'total', type: 'integer' },
        { name: 'events', type: 'integer' },
      ],
      primaryKey: ['stream'],
    },
  ],
  // A plain INSERT: a row folded twice fails the batch instead of hiding behind ON CONFLICT.
  writes: (e, at) => [
    {
      sql: 'INSERT INTO rm_twice_event (pos, stream, n) VALUES ($1, $2, $3)',
      params: [at.position, e.stream, e.n],
    },
    {
      sql: 'INSERT INTO rm_twice_total (stream, total, events) SELECT $1, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM rm_twice_total WHERE stream = $1)',
      params: [e.stream],
    },
    {
      sql: 'UPDATE rm_twice_total SET total = total + $2, events = events + 1 WHERE stream = $1',
      params: [e.stream, e.n],
    },
  ],
}

const runnerOf = (store: Host): ReadModelRunner =>
  createReadModelRunner(store, model, {
    decode: (e) => E.right(e.data as { stream: string; n: number }),
    eventsPerTransaction: 3,
  })

const tables = async (store: Host): Promise<ReadonlyArray<ReadonlyArray<SqlRow>>> =>
  right(
    await store.queryReadModel([
      { sql: 'SELECT pos, stream, n FROM rm_twice_event ORDER BY pos', params: [] },
      { sql: 'SELECT stream, total, events FROM rm_twice_total ORDER BY stream', params: [] },
    ])(),
    'reading the tables',
  )

/** What the tables must hold after folding the whole log, computed from the log itself. */
const expectedTables = async (store: Host): Promise<ReadonlyArray<ReadonlyArray<SqlRow>>> => {
  const rows: SqlRow[] = []
  const totals = new Map<string, { total: number; events: number }>()
  for await (const batch of store.readAll()) {
    for (const e of right(batch, 'readAll')) {
      const { stream, n } = e.data as { stream: string; n: number }
      rows.push({ pos: e.position, stream, n })
      const t = totals.get(stream) ?? { total: 0, events: 0 }
      totals.set(stream, { total: t.total + n, events: t.events + 1 })
    }
  }
  return [
    rows,
    [...totals.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([stream, t]) => ({ stream, total: t.total, events: t.events })),
  ]
}

/** The checkpoint is never past the head of the log. */
const notAhead = async (store: Host, what: string): Promise<void> => {
  const checkpoint = right(await store.loadCheckpoint(readModelCheckpointName(model.name))(), 'checkpoint')
  const head = right(await store.headPosition()(), 'head')
  if (checkpoint !== null && checkpoint.position > head)
    fail(`${what}: the read model's checkpoint is at ${checkpoint.position}, past the head ${head}`)
}

const sameRows = (actual: unknown, expected: unknown, what: string): void => {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    fail(`${what}: the tables hold ${JSON.stringify(actual)}, the log folds to ${JSON.stringify(expected)}`)
}

const withHosts = async (
  factory: StoreFactory,
  body: (a: Host, b: Host) => Promise<void>,
): Promise<ConformanceResult> => {
  const { store, cleanup, reopen } = await factory()
  let other: EventStore | null = null
  try {
    if (!isHost(store) || store.readModelsReadOnly) return { ok: true }
    other = reopen === undefined ? store : await reopen()
    if (!isHost(other)) return { ok: true }
    await body(store, other)
    return { ok: true }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  } finally {
    if (other !== null && other !== store) await other.close()()
    await store.close()()
    await cleanup?.()
  }
}

/** What one round does: appends through either store object while both catch up (or one rebuilds). */
const round = fc.record({
  appends: fc.array(
    fc.record({
      through: fc.constantFrom<'a' | 'b'>('a', 'b'),
      events: fc.array(fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 1, max: 9 })), {
        minLength: 1,
        maxLength: 4,
      }),
    }),
    { maxLength: 3 },
  ),
  a: fc.constantFrom<'catchUp' | 'rebuild' | 'none'>('catchUp', 'catchUp', 'rebuild', 'none'),
  b: fc.constantFrom<'catchUp' | 'rebuild' | 'none'>('catchUp', 'catchUp', 'rebuild', 'none'),
})

const twoRunners: ConformanceCheck = {
  name: 'read models: two store objects catching up (and rebuilding) the same tables while both append neither corrupts them nor gets ahead of the log',
  run: (factory, options?: ConformanceOptions) =>
    (async () => {
      const details = await fc.check(
        fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 5 }), async (rounds) => {
          const result = await withHosts(factory, async (a, b) => {
            const runners = { a: runnerOf(a), b: runnerOf(b) }
            let id = 0
            for (const [r, step] of rounds.entries()) {
              const work: Array<Promise<unknown>> = []
              for (const append of step.appends) {
                const batch = append.events.map(([stream, n]) => ({
                  stream,
                  events: [{ type: 'Counted', data: { stream, n }, id: `e${id++}` }],
                  expectedVersion: 'any' as const,
                }))
                work.push(
                  (append.through === 'a' ? a : b)
                    .appendBatch(batch)()
                    .then((x) => right(x, 'appendBatch')),
                )
              }
              for (const side of ['a', 'b'] as const) {
                const what = step[side]
                if (what !== 'none')
                  work.push(runners[side][what]()().then((x) => right(x, `${side}: ${what} in round ${r}`)))
              }
              await Promise.all(work)
              await notAhead(a, `after round ${r}`)
            }
            // Once the writers stop, either runner brings the tables to the head, and they hold the log.
            const head = right(await a.headPosition()(), 'head')
            const status = right(await runners.b.catchUp()(), 'the last catch-up')
            if (status.position !== head)
              fail(`the last catch-up stopped at ${status.position}, the head is ${head}`)
            sameRows(await tables(a), await expectedTables(a), 'after both caught up')
          })
          if (!result.ok) fail(result.message)
        }),
        {
          numRuns: Math.min(options?.numRuns ?? 8, 8),
          ...(options?.seed === undefined ? {} : { seed: options.seed }),
          ...(options?.path === undefined ? {} : { path: options.path }),
        },
      )
      if (!details.failed) return { ok: true } as const
      const error =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
      return {
        ok: false,
        message: `${error}\n\n${fc.defaultReportMessage(details) ?? 'property failed'}`,
      } as const
    })(),
}

const clock = { now: () => new Date('2024-06-01T00:00:00.000Z'), newId: () => 'unused' }

const duringImport: ConformanceCheck = {
  name: "read models: a catch-up while an import session is open never folds the session's events before they are committed",
  run: (factory) =>
    withHosts(factory, async (store) => {
      if (store.beginImport === undefined) return
      const counted = (stream: string, n: number, id: string) => ({
        stream,
        events: [{ type: 'Counted', data: { stream, n }, id, recordedAt: '2024-06-01T00:00:00.000Z' }],
        expectedVersion: 'any' as const,
      })
      right(await store.appendBatch([counted('x', 1, 'a1'), counted('y', 2, 'a2')])(), 'append')
      const runner = runnerOf(store)
      right(await runner.catchUp()(), 'catchUp')
      for (const outcome of ['rollback', 'commit'] as const) {
        const session = right(await store.beginImport(), 'begin an import')
        const planned = right(
          planAppend(
            {
              head: session.head,
              lastRecordedAt: session.lastRecordedAt,
              streamVersion: () => 0,
              hasId: () => false,
            },
            [
              counted('z', 5, `${outcome}1`),
              counted('z', 6, `${outcome}2`),
              counted('z', 7, `${outcome}3`),
            ].map((p) => ({ ...p, stream: `${p.stream}-${outcome}` })),
            clock,
          ),
          'planning',
        ).envelopes
        right(await session.write(planned), 'the session writes')
        // A report (or a follower) catches up while the import is still open.
        const caughtUp = runner.catchUp()()
        await new Promise((resolve) => setTimeout(resolve, 50))
        if (outcome === 'rollback') right(await session.rollback(), outcome)
        else right(await session.commit(), outcome)
        right(await caughtUp, `the catch-up during the import (${outcome})`)
        await notAhead(store, `after an import's ${outcome}`)
        // The log goes on; the tables catch up and hold exactly what it folds to.
        right(await store.appendBatch([counted('x', 3, `after-${outcome}`)])(), 'append after')
        right(await runner.catchUp()(), 'catchUp after')
        sameRows(await tables(store), await expectedTables(store), `after an import's ${outcome}`)
      }
    }),
}

/** The checks of read models caught up from two places at once. @internal */
export const readModelConcurrencyChecks: ReadonlyArray<ConformanceCheck> = [twoRunners, duringImport]
