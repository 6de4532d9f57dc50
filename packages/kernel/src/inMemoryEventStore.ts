/**
 * The in-memory event store: the reference adapter of the EventStore, CheckpointStore and SnapshotStore
 * ports, for tests and for folding a log that fits in memory.
 */
import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/Either'
import type * as T from 'fp-ts/Task'
import type * as TE from 'fp-ts/TaskEither'
import { planAppend, type AppendPlan, type AppendView } from './appendPlan'
import { planAppends } from './appendPlans'
import type { Envelope, Head } from './envelope'
import { invalidEventError, storageError, type StoreError } from './errors'
import type {
  AppendBatchesOptions,
  AppendBatchesResult,
  AppendRequest,
  AppendResult,
  EventStore,
  ReadAllBatch,
  ReadAllOptions,
  StreamAppend,
} from './eventStore'
import { emptyHead } from './hashChain'
import { inMemoryKeyedState } from './keyedState'
import { inMemoryKeyStore } from './keyStore'
import { readPositionsList, readWindow } from './readWindow'
import type { Checkpoint, CheckpointStore, Snapshot, SnapshotStore } from './projection'

/** Options of `createInMemoryEventStore`. */
export interface InMemoryEventStoreOptions {
  /** The record clock used for a missing `recordedAt`; default the system clock. */
  readonly now?: () => Date
  /** The id source for a missing `id`; default `crypto.randomUUID`. */
  readonly newId?: () => string
  /** Envelopes per `readAll` batch when the caller gives none; default 256. */
  readonly batchSize?: number
}

/** An in-memory store: every port a kernel caller needs. */
export type InMemoryEventStore = EventStore & CheckpointStore & SnapshotStore

/**
 * Hooks that let the kernel's own tests build deliberately broken variants of this store, to prove that
 * the conformance suite catches them.
 * @internal
 */
export interface InMemoryFaults {
  /** Replaces the planner. */
  readonly plan?: (
    view: AppendView,
    batch: ReadonlyArray<StreamAppend>,
    clock: Parameters<typeof planAppend>[2],
  ) => E.Either<StoreError, AppendPlan>
  /** Rewrites the log as reads see it. */
  readonly read?: (log: ReadonlyArray<Envelope>) => ReadonlyArray<Envelope>
}

const closedError = storageError('the store is closed')

/** Builds an in-memory store with fault hooks. @internal */
export const makeInMemoryEventStore = (
  options: InMemoryEventStoreOptions = {},
  faults: InMemoryFaults = {},
): InMemoryEventStore => {
  const clock = { now: options.now ?? (() => new Date()), newId: options.newId ?? randomUUID }
  const defaultBatchSize = options.batchSize ?? 256
  const plan = faults.plan ?? planAppend
  const log: Envelope[] = []
  const streams = new Map<string, Envelope[]>()
  const ids = new Set<string>()
  const checkpoints = new Map<string, Checkpoint>()
  const snapshots = new Map<string, Snapshot>()
  let closed = false

  const readable = (): ReadonlyArray<Envelope> => (faults.read === undefined ? log : faults.read(log))
  const currentHead = (): Head => {
    const last = log.at(-1)
    return last === undefined ? emptyHead : { position: last.position, hash: last.hash }
  }

  /** Runs a synchronous body as a task; the body runs whole within one tick, which makes it atomic. */
  const task =
    <A>(body: () => E.Either<StoreError, A>): TE.TaskEither<StoreError, A> =>
    () => {
      if (closed) return Promise.resolve(E.left(closedError))
      try {
        return Promise.resolve(body())
      } catch (cause) {
        return Promise.resolve(E.left(storageError('in-memory store failed', cause)))
      }
    }

  const currentView = (): AppendView => ({
    head: currentHead(),
    lastRecordedAt: log.at(-1)?.recordedAt ?? null,
    streamVersion: (stream) => streams.get(stream)?.at(-1)?.version ?? 0,
    hasId: (id) => ids.has(id),
  })

  const store = (envelopes: ReadonlyArray<Envelope>): void => {
    for (const envelope of envelopes) {
      log.push(envelope)
      ids.add(envelope.id)
      const stream = streams.get(envelope.stream)
      if (stream === undefined) streams.set(envelope.stream, [envelope])
      else stream.push(envelope)
    }
  }

  const appendBatch = (batch: ReadonlyArray<StreamAppend>): TE.TaskEither<StoreError, AppendResult> =>
    task(() => {
      const planned = plan(currentView(), batch, clock)
      if (E.isLeft(planned)) return planned
      store(planned.right.envelopes)
      return E.right({
        appended: planned.right.envelopes,
        skipped: planned.right.skipped,
        head: currentHead(),
      })
    })

  // Every request planned within one tick, as one transaction would; the fault hook replaces the planner
  // of each request.
  const appendBatches =
    (
      requests: ReadonlyArray<AppendRequest>,
      batchesOptions?: AppendBatchesOptions,
    ): T.Task<AppendBatchesResult> =>
    async () => {
      const all = await task(() => {
        const planned = planAppends(currentView(), requests, clock, batchesOptions, plan)
        store(planned.envelopes)
        return E.right(planned.results)
      })()
      return E.isLeft(all) ? requests.map(() => all) : all.right
    }

  const readAll = async function* (readOptions: ReadAllOptions = {}): AsyncGenerator<ReadAllBatch> {
    if (closed) {
      yield E.left(closedError)
      return
    }
    const window = readWindow(readOptions, defaultBatchSize)
    if (E.isLeft(window)) {
      yield window
      return
    }
    const { fromPosition, toPosition, knownAt: limit, batchSize } = window.right
    // The window is fixed when the read starts: events appended meanwhile are not seen.
    const source = readable()
    const end = Math.min(toPosition ?? source.length, source.length)
    for (let start = fromPosition - 1; start < end; start += batchSize) {
      const slice = source.slice(start, Math.min(start + batchSize, end))
      const cut = limit === undefined ? -1 : slice.findIndex((e) => e.recordedAt > (limit as string))
      if (cut === 0) return
      yield E.right(cut === -1 ? slice : slice.slice(0, cut))
      if (cut !== -1) return
      // Let other tasks run between batches, as a real store's I/O would.
      await Promise.resolve()
      if (closed) {
        yield E.left(closedError)
        return
      }
    }
  }

  return {
    append: (stream, events, { expectedVersion }) => appendBatch([{ stream, events, expectedVersion }]),
    appendBatch,
    appendBatches,
    readStream: (stream, { fromVersion = 1 } = {}) =>
      task(() =>
        Number.isSafeInteger(fromVersion)
          ? E.right(
              faults.read === undefined
                ? (streams.get(stream) ?? []).slice(Math.max(fromVersion, 1) - 1)
                : readable().filter((e) => e.stream === stream && e.version >= fromVersion),
            )
          : E.left(invalidEventError('invalid-read-window', 'fromVersion must be an integer')),
      ),
    readAll,
    readPositions: (positions) =>
      task(() =>
        E.map((wanted: ReadonlyArray<number>) => {
          const source = readable()
          if (faults.read !== undefined) {
            const set = new Set(wanted)
            return source.filter((e) => set.has(e.position))
          }
          return wanted.flatMap((p) => source[p - 1] ?? [])
        })(readPositionsList(positions)),
      )(),
    head: () => task(() => E.right(currentHead())),
    headPosition: () => task(() => E.right(currentHead().position)),
    streamVersion: (stream) => task(() => E.right(streams.get(stream)?.at(-1)?.version ?? 0)),
    close: () => () => {
      closed = true
      return Promise.resolve(E.right(undefined))
    },
    keyedState: inMemoryKeyedState(),
    keyStore: inMemoryKeyStore(),
    loadCheckpoint: (name) => task(() => E.right(checkpoints.get(name) ?? null)),
    saveCheckpoint: (checkpoint) =>
      task(() => {
        checkpoints.set(checkpoint.name, { ...checkpoint })
        return E.right(undefined)
      }),
    loadSnapshot: (name) =>
      task(() => {
        const snapshot = snapshots.get(name)
        return E.right(snapshot === undefined ? null : (JSON.parse(JSON.stringify(snapshot)) as Snapshot))
      }),
    saveSnapshot: (snapshot) =>
      task(() => {
        // A JSON round trip, as a durable store would do, so that later changes to the state do not leak in.
        snapshots.set(snapshot.name, JSON.parse(JSON.stringify(snapshot)) as Snapshot)
        return E.right(undefined)
      }),
  }
}

/** Creates an empty in-memory event store (also a checkpoint and snapshot store), using the shared append planner. */
export const createInMemoryEventStore = (options?: InMemoryEventStoreOptions): InMemoryEventStore =>
  makeInMemoryEventStore(options)
