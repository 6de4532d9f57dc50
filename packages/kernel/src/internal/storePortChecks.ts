/**
 * Conformance checks of a store's other ports: checkpoints and snapshots (kept, replaced, read back
 * exactly, seen by another store object over the same storage), a closed store (every call answers an
 * error, none throws or hangs, closing twice is fine), and the head watch that wakes followers
 * (`watchHead`: woken when another store object appends, silent once stopped, stopped by a close).
 * @internal
 */
import * as E from 'fp-ts/Either'
import type { EventStore } from '../eventStore'
import { watchesHead, type HeadWatch } from '../headWatch'
import type { Checkpoint, CheckpointStore, Snapshot, SnapshotStore } from '../projection'
import { keepsReadModels } from '../readModel'
import { MAX_READ_POSITIONS } from '../readWindow'
import type { ConformanceCheck, ConformanceResult, StoreFactory } from './conformanceChecks'

const fail = (message: string): never => {
  throw new Error(message)
}

const right = <A>(x: E.Either<unknown, A>, what: string): A =>
  E.isLeft(x) ? fail(`${what}: ${JSON.stringify(x.left)}`) : x.right

/** JSON with every object's keys sorted: equal values read equal whatever order a store kept keys in. */
const sorted = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )

const expectEqual = (actual: unknown, expected: unknown, what: string): void => {
  if (sorted(actual) !== sorted(expected))
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
}

const isCheckpointStore = (store: object): store is CheckpointStore =>
  typeof (store as Partial<CheckpointStore>).loadCheckpoint === 'function' &&
  typeof (store as Partial<CheckpointStore>).saveCheckpoint === 'function'

const isSnapshotStore = (store: object): store is SnapshotStore =>
  typeof (store as Partial<SnapshotStore>).loadSnapshot === 'function' &&
  typeof (store as Partial<SnapshotStore>).saveSnapshot === 'function'

/** Runs a check body on a fresh store (and a second object over it, when the factory can open one). */
const withStores = async (
  factory: StoreFactory,
  body: (store: EventStore, reopen: (() => Promise<EventStore>) | undefined) => Promise<void>,
): Promise<ConformanceResult> => {
  const { store, cleanup, reopen } = await factory()
  const others: EventStore[] = []
  const opener =
    reopen === undefined
      ? undefined
      : async () => {
          const other = await reopen()
          others.push(other)
          return other
        }
  try {
    await body(store, opener)
    return { ok: true }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  } finally {
    for (const other of others) await other.close()()
    await store.close()()
    await cleanup?.()
  }
}

/** A promise that settles with `undefined` after `ms`, or the first of `p`. */
const within = <A>(p: Promise<A>, ms: number): Promise<A | 'timed out'> =>
  Promise.race([p, new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms))])

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A state with what JSON can hold: nesting, arrays, Unicode, numbers, null, an empty object. */
const richState: {
  members: Record<string, { name: string; since: string; share: number } | null>
  counts: number[]
  flags: boolean[]
  empty: Record<string, never>
  quote: string
} = {
  members: { 'p-1': { name: 'Nguyễn Thị Lan', since: '2021-03-04', share: 0.125 }, 'p-2': null },
  counts: [0, -3, 1e21, 2 ** 53 - 1],
  flags: [true, false],
  empty: {},
  quote: 'a "quoted" \\ line\nnext',
}

const checkpointsAndSnapshots: ConformanceCheck = {
  name: 'checkpoints and snapshots: none until saved, read back exactly, replaced whole, kept per name and seen by another store object',
  run: (factory) =>
    withStores(factory, async (store, reopen) => {
      if (isCheckpointStore(store)) {
        expectEqual(right(await store.loadCheckpoint('p')(), 'load'), null, 'a checkpoint never saved')
        const first: Checkpoint = { name: 'p', version: 1, position: 7 }
        right(await store.saveCheckpoint(first)(), 'save')
        right(await store.saveCheckpoint({ name: 'q', version: 3, position: 2 })(), 'save another name')
        expectEqual(right(await store.loadCheckpoint('p')(), 'load'), first, 'a saved checkpoint')
        right(await store.saveCheckpoint({ name: 'p', version: 2, position: 0 })(), 'save again')
        expectEqual(
          right(await store.loadCheckpoint('p')(), 'load'),
          { name: 'p', version: 2, position: 0 },
          'a replaced checkpoint (version and position, even back to 0)',
        )
        expectEqual(
          right(await store.loadCheckpoint('q')(), 'load'),
          { name: 'q', version: 3, position: 2 },
          'another name is kept apart',
        )
      }
      if (isSnapshotStore(store)) {
        expectEqual(right(await store.loadSnapshot('s')(), 'load'), null, 'a snapshot never saved')
        const state = JSON.parse(JSON.stringify(richState)) as typeof richState
        const snapshot: Snapshot = { name: 's', version: 4, position: 12, state }
        right(await store.saveSnapshot(snapshot)(), 'save')
        // The caller goes on changing its state: what was saved must not follow.
        state.counts.push(99)
        state.members['p-2'] = { name: 'x', since: '2020-01-01', share: 1 }
        expectEqual(
          right(await store.loadSnapshot('s')(), 'load'),
          { name: 's', version: 4, position: 12, state: richState },
          'a saved snapshot',
        )
        right(
          await store.saveSnapshot({ name: 's', version: 5, position: 13, state: [1, 'two'] })(),
          'replace',
        )
        right(await store.saveSnapshot({ name: 't', version: 1, position: 1, state: null })(), 'another')
        expectEqual(
          right(await store.loadSnapshot('s')(), 'load'),
          { name: 's', version: 5, position: 13, state: [1, 'two'] },
          'a replaced snapshot',
        )
        expectEqual(
          right(await store.loadSnapshot('t')(), 'load'),
          { name: 't', version: 1, position: 1, state: null },
          'a snapshot of null',
        )
      }
      if (reopen === undefined) return
      const other = await reopen()
      if (isCheckpointStore(other) && isCheckpointStore(store))
        expectEqual(
          right(await other.loadCheckpoint('p')(), 'load from another store object'),
          { name: 'p', version: 2, position: 0 },
          'a checkpoint seen by another store object',
        )
      if (isSnapshotStore(other) && isSnapshotStore(store))
        expectEqual(
          right(await other.loadSnapshot('s')(), 'load from another store object'),
          { name: 's', version: 5, position: 13, state: [1, 'two'] },
          'a snapshot seen by another store object',
        )
    }),
}

/** Every call of every port the store has, made once it is closed: each must answer an error. */
const callsOnAClosedStore = (
  store: EventStore,
): ReadonlyArray<[string, () => Promise<E.Either<unknown, unknown>>]> => {
  const event = { type: 'Counted', data: 1, id: 'after-close' }
  const calls: Array<[string, () => Promise<E.Either<unknown, unknown>>]> = [
    ['append', () => store.append('s', [event], { expectedVersion: 'any' })()],
    ['appendBatch', () => store.appendBatch([{ stream: 's', events: [event], expectedVersion: 'any' }])()],
    [
      'appendBatches',
      async () => {
        const [first] = await store.appendBatches([
          [{ stream: 's', events: [event], expectedVersion: 'any' }],
        ])()
        return first ?? E.right(undefined)
      },
    ],
    ['readStream', () => store.readStream('s')()],
    [
      'readAll',
      async () => {
        for await (const batch of store.readAll()) if (E.isLeft(batch)) return batch
        return E.right(undefined)
      },
    ],
    ['readPositions', () => store.readPositions([1])],
    ['head', () => store.head()()],
    ['headPosition', () => store.headPosition()()],
    ['streamVersion', () => store.streamVersion('s')()],
  ]
  if (store.beginImport !== undefined) {
    const begin = store.beginImport
    calls.push(['beginImport', () => begin()])
  }
  if (isCheckpointStore(store)) {
    calls.push(['loadCheckpoint', () => store.loadCheckpoint('p')()])
    calls.push(['saveCheckpoint', () => store.saveCheckpoint({ name: 'p', version: 1, position: 1 })()])
  }
  if (isSnapshotStore(store)) {
    calls.push(['loadSnapshot', () => store.loadSnapshot('s')()])
    calls.push(['saveSnapshot', () => store.saveSnapshot({ name: 's', version: 1, position: 1, state: 1 })()])
  }
  if (watchesHead(store)) calls.push(['watchHead', () => store.watchHead(() => undefined)()])
  if (keepsReadModels(store)) {
    const schema = { name: 'closed', version: 1, tables: [] }
    calls.push(['resetReadModel', () => store.resetReadModel(schema)()])
    calls.push(['writeReadModel', () => store.writeReadModel(schema, [], 0, 1)()])
    calls.push(['queryReadModel', () => store.queryReadModel([{ sql: 'SELECT 1 AS one', params: [] }])()])
  }
  return calls
}

const closedStore: ConformanceCheck = {
  name: 'a closed store answers every call with an error (none throws or hangs), and closes again quietly',
  run: (factory) =>
    withStores(factory, async (store) => {
      right(
        await store.append('s', [{ type: 'Counted', data: 0, id: 'before' }], { expectedVersion: 0 })(),
        'append',
      )
      right(await store.close()(), 'close')
      for (const [name, call] of callsOnAClosedStore(store)) {
        let answer: E.Either<unknown, unknown> | 'timed out'
        try {
          answer = await within(call(), 5000)
        } catch (error) {
          fail(`${name} on a closed store threw ${error instanceof Error ? error.message : String(error)}`)
          return
        }
        if (answer === 'timed out') fail(`${name} on a closed store did not answer within 5 s`)
        else if (E.isRight(answer)) fail(`${name} on a closed store answered ${JSON.stringify(answer.right)}`)
      }
      right(await store.close()(), 'closing twice')
    }),
}

const badPositions: ConformanceCheck = {
  name: 'readPositions refuses positions that are not positive integers, or too many, with a typed error',
  run: (factory) =>
    withStores(factory, async (store) => {
      right(
        await store.append('s', [{ type: 'Counted', data: 0, id: 'one' }], { expectedVersion: 0 })(),
        'append',
      )
      const cases: ReadonlyArray<readonly [ReadonlyArray<number>, string]> = [
        [[0], 'invalid-read-window'],
        [[1, -1], 'invalid-read-window'],
        [[1.5], 'invalid-read-window'],
        [[Number.NaN], 'invalid-read-window'],
        [Array.from({ length: MAX_READ_POSITIONS + 1 }, (_, i) => i + 1), 'invalid-batch-size'],
      ]
      for (const [positions, code] of cases) {
        const answer = await store.readPositions(positions)
        const shown = positions.length > 3 ? `${positions.length} positions` : JSON.stringify(positions)
        if (E.isRight(answer)) fail(`readPositions(${shown}) answered ${JSON.stringify(answer.right)}`)
        else if (!('code' in answer.left) || answer.left.code !== code)
          fail(`readPositions(${shown}) answered ${JSON.stringify(answer.left)}, not ${code}`)
      }
      const all = right(
        await store.readPositions(
          Array.from({ length: MAX_READ_POSITIONS }, (_, i) => MAX_READ_POSITIONS - i),
        ),
        'the most positions, past the head',
      )
      if (all.length !== 1 || all[0]?.id !== 'one')
        fail(`readPositions of 1..${MAX_READ_POSITIONS} gave ${all.length} events`)
    }),
}

/** Waits until `done()` or `ms` have passed. */
const until = async (done: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms
  while (!done() && Date.now() < end) await sleep(10)
  return done()
}

const POLL_MS = 25

const headWatch: ConformanceCheck = {
  name: 'the head watch wakes a follower when another store object appends, is silent once stopped, and ends with the store',
  run: (factory) =>
    withStores(factory, async (store, reopen) => {
      if (!watchesHead(store) || reopen === undefined) return
      const writer = await reopen()
      let wakes = 0
      const watch: HeadWatch = right(
        await store.watchHead(() => void wakes++, { pollMs: POLL_MS })(),
        'watch',
      )
      const append = async (id: string): Promise<void> => {
        right(
          await writer.append('w', [{ type: 'Counted', data: 1, id }], { expectedVersion: 'any' })(),
          'append',
        )
      }
      // Woken by each append of another store object, within a second (spurious wakes are allowed).
      for (const id of ['w1', 'w2', 'w3']) {
        const before = wakes
        await append(id)
        if (!(await until(() => wakes > before, 1000)))
          fail(`the ${watch.mode} watch was not woken within a second of the append of ${id}`)
        // Let a wake of this append that is still on its way arrive before the next one counts.
        await sleep(2 * POLL_MS)
      }
      await watch.stop()
      const stoppedAt = wakes
      // A second watch, started and stopped after the first (it may reuse what the first held).
      let second = 0
      const again = right(await store.watchHead(() => void second++, { pollMs: POLL_MS })(), 'watch again')
      await append('w4')
      if (!(await until(() => second > 0, 1000))) fail('a second watch was not woken by an append')
      await again.stop()
      await append('w5')
      await sleep(10 * POLL_MS)
      if (wakes !== stoppedAt) fail(`a stopped watch was woken ${wakes - stoppedAt} more times`)
      const secondStoppedAt = second
      // A watch still running when its store closes: the close neither hangs nor leaves it waking.
      let third = 0
      const running = right(await store.watchHead(() => void third++, { pollMs: POLL_MS })(), 'a third watch')
      const closed = await within(store.close()(), 5000)
      if (closed === 'timed out') fail('closing a store with a running watch did not end within 5 s')
      else right(closed, 'close with a running watch')
      const thirdAtClose = third
      await append('w6')
      await sleep(10 * POLL_MS)
      if (third !== thirdAtClose) fail(`a watch of a closed store was woken ${third - thirdAtClose} times`)
      if (second !== secondStoppedAt) fail('a stopped watch was woken after its store closed')
      // Stopping it afterwards is harmless.
      const stopped = await within(running.stop(), 5000)
      if (stopped === 'timed out') fail('stopping a watch after its store closed did not end within 5 s')
    }),
}

/** The checks of checkpoints, snapshots, a closed store and the head watch. @internal */
export const storePortChecks: ReadonlyArray<ConformanceCheck> = [
  checkpointsAndSnapshots,
  closedStore,
  badPositions,
  headWatch,
]
