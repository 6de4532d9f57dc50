/**
 * The projection runner: folds the log into a projection from where it stood, keeps checkpoints and
 * snapshots through their ports, rebuilds from scratch when the projection's version changed, and lets a
 * caller wait until it has caught up with a position (read-your-writes without sleeping).
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { Envelope, Json } from './envelope'
import type { ProjectionCode } from './errorCodes'
import { domainError, type DomainError, type StoreError } from './errors'
import type { EventStore } from './eventStore'
import type { CheckpointStore, Projection, SnapshotStore } from './projection'

/** Options of `createProjectionRunner`. */
export interface ProjectionRunnerOptions<Ev> {
  /**
   * A stored envelope to the domain's event (upcast and decoded: `storedEventDecoder(domain)`), or why it
   * cannot be; the projection sees only what this returns.
   */
  readonly decode: (envelope: Envelope) => E.Either<ProjectionError, Ev>
  /** Save a snapshot once this many events were folded since the last one; default 1000. */
  readonly snapshotEvery?: number
  /** Envelopes per read batch; default the store's. */
  readonly batchSize?: number
}

/** Where a projection stands. */
export interface ProjectionStatus<S> {
  readonly state: S
  /** The last position folded. */
  readonly position: number
  /** Whether the stored checkpoint or snapshot was discarded because the projection's version changed. */
  readonly rebuilt: boolean
}

/** Errors of a runner: the store's, or an envelope that could not be upcast or decoded. */
export type ProjectionError = StoreError | DomainError

/** Runs one projection over a store. */
export interface ProjectionRunner<S> {
  /** Folds every event up to the head into the projection (concurrent calls share the work). */
  readonly catchUp: () => TE.TaskEither<ProjectionError, ProjectionStatus<S>>
  /**
   * The state once the projection has folded `position`: catches up now and, if the head is still below
   * it, on a later `catchUp` (call it after appending, or when told of a new head).
   */
  readonly waitFor: (position: number) => TE.TaskEither<ProjectionError, S>
  /** The last position folded (0 before the first catch-up). */
  readonly position: () => number
}

interface Waiter<S> {
  readonly position: number
  readonly resolve: (result: E.Either<ProjectionError, S>) => void
}

/** Creates a runner of one projection over a store, with checkpoints and snapshots kept through the ports. */
export const createProjectionRunner = <S, Ev>(
  store: EventStore,
  ports: CheckpointStore & SnapshotStore,
  projection: Projection<S, Ev>,
  options: ProjectionRunnerOptions<Ev>,
): ProjectionRunner<S> => {
  const snapshotEvery = options.snapshotEvery ?? 1000
  const serialize = projection.serialize ?? ((state: S) => JSON.parse(JSON.stringify(state)) as Json)
  const deserialize = projection.deserialize ?? ((json: Json) => json as S)
  let loaded: { state: S; position: number; snapshotAt: number; rebuilt: boolean } | null = null
  let running: Promise<E.Either<ProjectionError, ProjectionStatus<S>>> | null = null
  let again = false
  let waiters: Waiter<S>[] = []

  const load = async (): Promise<E.Either<ProjectionError, NonNullable<typeof loaded>>> => {
    const checkpoint = await ports.loadCheckpoint(projection.name)()
    if (E.isLeft(checkpoint)) return checkpoint
    const snapshot = await ports.loadSnapshot(projection.name)()
    if (E.isLeft(snapshot)) return snapshot
    const stale =
      (checkpoint.right !== null && checkpoint.right.version !== projection.version) ||
      (snapshot.right !== null && snapshot.right.version !== projection.version)
    if (!stale && snapshot.right !== null) {
      const { position, state } = snapshot.right
      return E.right({ state: deserialize(state), position, snapshotAt: position, rebuilt: false })
    }
    // No usable snapshot: fold from the start (a checkpoint alone cannot restore a state).
    return E.right({ state: projection.init(), position: 0, snapshotAt: 0, rebuilt: stale })
  }

  const saveSnapshot = async (at: NonNullable<typeof loaded>): Promise<E.Either<ProjectionError, void>> => {
    const saved = await ports.saveSnapshot({
      name: projection.name,
      version: projection.version,
      position: at.position,
      state: serialize(at.state),
    })()
    if (E.isRight(saved)) at.snapshotAt = at.position
    return saved
  }

  const run = async (): Promise<E.Either<ProjectionError, ProjectionStatus<S>>> => {
    if (loaded === null) {
      const fresh = await load()
      if (E.isLeft(fresh)) return fresh
      loaded = fresh.right
    }
    const at = loaded
    const startedAt = at.position
    for await (const batch of store.readAll({
      fromPosition: at.position + 1,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    })) {
      if (E.isLeft(batch)) return batch
      for (const stored of batch.right) {
        const event = options.decode(stored)
        if (E.isLeft(event)) return event
        at.state = projection.apply(at.state, event.right, stored)
        at.position = stored.position
      }
      if (at.position - at.snapshotAt >= snapshotEvery) {
        const saved = await saveSnapshot(at)
        if (E.isLeft(saved)) return saved
      }
    }
    if (at.position !== startedAt || at.rebuilt) {
      const saved = await ports.saveCheckpoint({
        name: projection.name,
        version: projection.version,
        position: at.position,
      })()
      if (E.isLeft(saved)) return saved
    }
    if (at.rebuilt && at.snapshotAt === 0 && at.position > 0) {
      // Replace the stale snapshot at once, so that a restart does not rebuild again.
      const saved = await saveSnapshot(at)
      if (E.isLeft(saved)) return saved
    }
    return E.right({ state: at.state, position: at.position, rebuilt: at.rebuilt })
  }

  const settle = (result: E.Either<ProjectionError, ProjectionStatus<S>>): void => {
    const ready = waiters.filter((w) => E.isLeft(result) || result.right.position >= w.position)
    waiters = waiters.filter((w) => !ready.includes(w))
    for (const w of ready) w.resolve(E.isLeft(result) ? result : E.right(result.right.state))
  }

  const catchUp = (): Promise<E.Either<ProjectionError, ProjectionStatus<S>>> => {
    if (running !== null) {
      // One is running: it may have read its window already, so run once more after it.
      again = true
      return running
    }
    running = (async () => {
      let result: E.Either<ProjectionError, ProjectionStatus<S>>
      do {
        again = false
        try {
          result = await run()
        } catch (cause) {
          // A projection (or a serializer) that throws leaves its state half-applied: drop it, so the
          // next catch-up starts again from the last snapshot, and report the failure as a value.
          loaded = null
          result = E.left(
            domainError(
              'projection-failed' satisfies ProjectionCode,
              `projection ${projection.name} failed: ${String(cause)}`,
            ),
          )
        }
      } while (again && E.isRight(result))
      running = null
      settle(result)
      return result
    })()
    return running
  }

  return {
    catchUp: () => catchUp,
    waitFor: (position) => async () => {
      if (loaded !== null && loaded.position >= position) return E.right(loaded.state)
      const reached = new Promise<E.Either<ProjectionError, S>>((resolve) =>
        waiters.push({ position, resolve }),
      )
      void catchUp()
      return reached
    },
    position: () => loaded?.position ?? 0,
  }
}
