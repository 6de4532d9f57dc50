/**
 * Conformance checks of a store's read models (`ReadModelStore`), for stores that keep them: a reset
 * creates the declared tables empty with the checkpoint at 0 and drops the tables of an earlier version
 * (their indexes made then or, asked again and again, after rows are written);
 * a batch of rows moves with its checkpoint in one transaction (a batch that fails leaves neither, a
 * batch whose checkpoint moved meanwhile writes nothing); the queries of a report see one state; and,
 * over random appends, a read model caught up after each one equals the same model rebuilt.
 * @internal
 */
import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import type { EventStore } from '../eventStore'
import type { CheckpointStore } from '../projection'
import {
  keepsReadModels,
  readModelCheckpointName,
  refreshStatistics,
  type ReadModel,
  type ReadModelSchema,
  type ReadModelStore,
  type SqlRow,
  type SqlStatement,
} from '../readModel'
import { createReadModelRunner } from '../readModelRunner'
import type { ConformanceCheck, ConformanceResult, StoreFactory } from './conformanceChecks'

type Host = EventStore & CheckpointStore & ReadModelStore

const fail = (message: string): never => {
  throw new Error(message)
}

const right = <A>(x: E.Either<unknown, A>, what: string): A =>
  E.isLeft(x) ? fail(`${what}: ${JSON.stringify(x.left)}`) : x.right

const expectEqual = (actual: unknown, expected: unknown, what: string): void => {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
}

/** A model of counted events: one row per event, and a running total per stream (an update). */
const counting = (version: number): ReadModel<{ readonly stream: string; readonly n: number }> => ({
  name: 'conformance',
  version,
  tables: [
    {
      name: 'rm_conformance_event',
      columns: [
        { name: 'pos', type: 'integer' },
        { name: 'stream', type: 'text' },
        { name: 'n', type: 'integer' },
        { name: 'share', type: 'real', nullable: true },
      ],
      primaryKey: ['pos'],
      indexes: [['stream']],
    },
    {
      name: 'rm_conformance_total',
      columns: [
        { name: 'stream', type: 'text' },
        { name: 'total', type: 'integer' },
      ],
      primaryKey: ['stream'],
    },
    ...(version === 1
      ? [{ name: 'rm_conformance_old', columns: [{ name: 'x', type: 'text' as const }], primaryKey: ['x'] }]
      : []),
  ],
  writes: (e, at) => [
    {
      sql: 'INSERT INTO rm_conformance_event (pos, stream, n, share) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      params: [at.position, e.stream, e.n, e.n / 3],
    },
    {
      sql: 'INSERT INTO rm_conformance_total (stream, total) SELECT $1, 0 WHERE NOT EXISTS (SELECT 1 FROM rm_conformance_total WHERE stream = $1)',
      params: [e.stream],
    },
    { sql: 'UPDATE rm_conformance_total SET total = total + $2 WHERE stream = $1', params: [e.stream, e.n] },
  ],
})

const ROWS = 'SELECT pos, stream, n, share FROM rm_conformance_event ORDER BY pos'
const TOTALS = 'SELECT stream, total FROM rm_conformance_total ORDER BY stream'

const withHost = async (
  factory: StoreFactory,
  body: (store: Host) => Promise<void>,
): Promise<ConformanceResult> => {
  const { store, cleanup } = await factory()
  try {
    if (!keepsReadModels(store) || !('loadCheckpoint' in store)) return { ok: true }
    await body(store as Host)
    return { ok: true }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  } finally {
    await store.close()()
    await cleanup?.()
  }
}

const query = async (store: Host, sql: string): Promise<ReadonlyArray<SqlRow>> =>
  right(await store.queryReadModel([{ sql, params: [] }])(), sql)[0] ?? []

const checkpointOf = async (store: Host, schema: ReadModelSchema): Promise<unknown> =>
  right(await store.loadCheckpoint(readModelCheckpointName(schema.name))(), 'loadCheckpoint')

const batches: ConformanceCheck = {
  name: 'read models: a reset creates the tables, a batch moves with its checkpoint or not at all',
  run: (factory) =>
    withHost(factory, async (store) => {
      const v1 = counting(1)
      right(await store.resetReadModel(v1)(), 'reset')
      expectEqual(
        await checkpointOf(store, v1),
        { name: 'read-model/conformance', version: 1, position: 0 },
        'checkpoint after a reset',
      )
      expectEqual(await query(store, ROWS), [], 'rows after a reset')
      const writes = [
        ...v1.writes({ stream: 'a', n: 2 }, { position: 1, recordedAt: '' }),
        ...v1.writes({ stream: 'a', n: 3 }, { position: 2, recordedAt: '' }),
      ]
      expectEqual(
        right(await store.writeReadModel(v1, writes, 0, 2)(), 'write'),
        'written',
        'a batch at the checkpoint',
      )
      expectEqual(await query(store, TOTALS), [{ stream: 'a', total: 5 }], 'totals')
      expectEqual(
        await query(store, ROWS),
        [
          { pos: 1, stream: 'a', n: 2, share: 2 / 3 },
          { pos: 2, stream: 'a', n: 3, share: 1 },
        ],
        'rows (a real is a double)',
      )
      // Another process moved the checkpoint: nothing is written.
      const late = v1.writes({ stream: 'b', n: 7 }, { position: 3, recordedAt: '' })
      expectEqual(
        right(await store.writeReadModel(v1, late, 0, 3)(), 'stale write'),
        'moved',
        'a batch behind the checkpoint',
      )
      expectEqual(await query(store, TOTALS), [{ stream: 'a', total: 5 }], 'totals after a refused batch')
      // A batch that fails half-way leaves neither its rows nor its checkpoint.
      const broken = [...late, { sql: 'INSERT INTO rm_conformance_missing (x) VALUES ($1)', params: [1] }]
      if (E.isRight(await store.writeReadModel(v1, broken, 2, 3)()))
        fail('a batch with a failing statement was written')
      expectEqual(await query(store, TOTALS), [{ stream: 'a', total: 5 }], 'totals after a failed batch')
      expectEqual(
        await checkpointOf(store, v1),
        { name: 'read-model/conformance', version: 1, position: 2 },
        'checkpoint after a failed batch',
      )
      // A new version drops every table of the model, the undeclared ones too.
      const v2 = counting(2)
      right(await store.resetReadModel(v2)(), 'reset to version 2')
      expectEqual(await query(store, ROWS), [], 'rows after a new version')
      if (E.isRight(await store.queryReadModel([{ sql: 'SELECT x FROM rm_conformance_old', params: [] }])()))
        fail('a table of the earlier version is still there')
      // Several queries, one answer each, with parameters.
      right(
        await store.writeReadModel(
          v2,
          v2.writes({ stream: 'c', n: 4 }, { position: 1, recordedAt: '' }),
          0,
          1,
        )(),
        'write v2',
      )
      const answers = right(
        await store.queryReadModel([
          { sql: 'SELECT count(*) AS n FROM rm_conformance_event WHERE stream = $1', params: ['c'] },
          {
            sql: 'SELECT total FROM rm_conformance_total WHERE stream = $1 AND total >= $2',
            params: ['c', 4],
          },
        ])(),
        'queries',
      )
      expectEqual(answers, [[{ n: 1 }], [{ total: 4 }]], 'answers of two queries')
      // A query read by key while its condition holds answers the same rows, whether it holds or not.
      const byKey = (holds: number): SqlStatement => ({
        sql: 'SELECT stream, total FROM rm_conformance_total WHERE stream = $1',
        params: ['c'],
        byKeyWhen: { sql: 'SELECT count(*) AS n FROM rm_conformance_event WHERE n = $1', params: [holds] },
      })
      expectEqual(
        right(await store.queryReadModel([byKey(4), byKey(3), byKey(4)])(), 'queries read by key'),
        [[{ stream: 'c', total: 4 }], [{ stream: 'c', total: 4 }], [{ stream: 'c', total: 4 }]],
        'answers of queries read by key',
      )
      // Refreshing the planner's statistics (where the store has them) changes no row.
      if (store.analyzeReadModel !== undefined) {
        right(await store.analyzeReadModel(v2)(), 'analyze')
        expectEqual(await query(store, TOTALS), [{ stream: 'c', total: 4 }], 'totals after analyze')
      }
      // A statement refreshing a table's statistics between a batch's writes changes no row.
      right(
        await store.writeReadModel(
          v2,
          [
            ...v2.writes({ stream: 'c', n: 2 }, { position: 2, recordedAt: '' }),
            refreshStatistics('rm_conformance_total'),
            ...v2.writes({ stream: 'e', n: 1 }, { position: 3, recordedAt: '' }),
          ],
          1,
          3,
        )(),
        'write with a refresh of statistics',
      )
      expectEqual(
        await query(store, TOTALS),
        [
          { stream: 'c', total: 6 },
          { stream: 'e', total: 1 },
        ],
        'totals after a refresh of statistics',
      )
      // Tables reset without their indexes take rows, and get their indexes after, as often as asked.
      right(await store.resetReadModel(v2, { indexes: false })(), 'reset without indexes')
      right(
        await store.writeReadModel(
          v2,
          v2.writes({ stream: 'd', n: 5 }, { position: 1, recordedAt: '' }),
          0,
          1,
        )(),
        'write without indexes',
      )
      right(await store.indexReadModel(v2)(), 'index')
      right(await store.indexReadModel(v2)(), 'index again')
      expectEqual(await query(store, TOTALS), [{ stream: 'd', total: 5 }], 'totals after indexing')
    }),
}

const caughtUp: ConformanceCheck = {
  name: 'read models: caught up after every append, a model equals the same model rebuilt from the log',
  run: (factory, options) =>
    (async () => {
      const details = await fc.check(
        fc.asyncProperty(
          fc.array(
            fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 9 })), {
              minLength: 1,
              maxLength: 5,
            }),
            { maxLength: 6 },
          ),
          async (appends) => {
            const result = await withHost(factory, async (store) => {
              const model = counting(1)
              const runner = createReadModelRunner(store, model, {
                decode: (e) => E.right(e.data as { stream: string; n: number }),
                eventsPerTransaction: 2,
              })
              // On an empty log the catch-up creates the tables at position 0.
              expectEqual(
                right(await runner.catchUp()(), 'catchUp'),
                { position: 0, rebuilt: true },
                'first catch-up',
              )
              let i = 0
              for (const events of appends) {
                const batch = events.map(([stream, n]) => ({
                  stream,
                  events: [{ type: 'Counted', data: { stream, n }, id: `e${i++}` }],
                  expectedVersion: 'any' as const,
                }))
                right(await store.appendBatch(batch)(), 'appendBatch')
                right(await runner.catchUp()(), 'catchUp')
              }
              const incremental = [await query(store, ROWS), await query(store, TOTALS)]
              const rebuilt = right(await runner.rebuild()(), 'rebuild')
              expectEqual(rebuilt, { position: i, rebuilt: true }, 'rebuild status')
              expectEqual(
                [await query(store, ROWS), await query(store, TOTALS)],
                incremental,
                'rebuilt tables',
              )
            })
            if (!result.ok) fail(result.message)
          },
        ),
        {
          numRuns: Math.min(options?.numRuns ?? 10, 10),
          ...(options?.seed === undefined ? {} : { seed: options.seed }),
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

/** The read model checks of the conformance suite. @internal */
export const readModelChecks: ReadonlyArray<ConformanceCheck> = [batches, caughtUp]
