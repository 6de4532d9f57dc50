/**
 * Keeping a read model's tables caught up with the log: the events after its checkpoint are decoded,
 * turned into the model's row writes and written with the checkpoint in one transaction per chunk, so
 * that the tables never stand ahead of or behind their checkpoint; a checkpoint of another version (or
 * none) means the tables are dropped and rebuilt from the start of the log.
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { Envelope } from './envelope'
import { storageError, type DomainError, type StoreError } from './errors'
import type { EventStore } from './eventStore'
import type { CheckpointStore } from './projection'
import type { ProjectionError } from './projectionRunner'
import {
  readModelCheckpointName,
  readModelSchemaProblem,
  type ReadModel,
  type ReadModelStore,
  type SqlStatement,
} from './readModel'

/** Options of `createReadModelRunner`. */
export interface ReadModelRunnerOptions<Ev> {
  /** A stored envelope to the domain's event (upcast and decoded), or why it cannot be. */
  readonly decode: (envelope: Envelope) => E.Either<DomainError, Ev>
  /** Events folded per transaction; default 10,000. */
  readonly eventsPerTransaction?: number
}

/** Where a read model stands after a catch-up. */
export interface ReadModelStatus {
  /** The last position its tables reflect. */
  readonly position: number
  /** Whether the tables were dropped and rebuilt (no checkpoint, another version, or asked to). */
  readonly rebuilt: boolean
}

/** Called as a catch-up advances: the position reached, and the head it is going to. */
export type ReadModelProgress = (position: number, head: number) => void

/** Keeps one read model of a store caught up (calls made while one runs wait for it, or share the next). */
export interface ReadModelRunner {
  /** Folds every event up to the head into the tables (rebuilding them first when their version differs). */
  readonly catchUp: (onProgress?: ReadModelProgress) => TE.TaskEither<ProjectionError, ReadModelStatus>
  /** Drops the tables and folds the whole log again. */
  readonly rebuild: (onProgress?: ReadModelProgress) => TE.TaskEither<ProjectionError, ReadModelStatus>
  /** The position the stored tables reflect when they are of this model's version, else null; reads only. */
  readonly stored: () => TE.TaskEither<StoreError, number | null>
}

/** The store a read model is kept in: the log, its checkpoints and the tables. */
export type ReadModelHost = EventStore & CheckpointStore & ReadModelStore

/** Events folded by one catch-up from which the store's planner statistics are refreshed after it. */
const ANALYZE_AFTER = 20_000

/** Creates the runner of one read model over a store. Calls made while one runs wait for it. */
export const createReadModelRunner = <Ev>(
  store: ReadModelHost,
  model: ReadModel<Ev>,
  options: ReadModelRunnerOptions<Ev>,
): ReadModelRunner => {
  const checkpointName = readModelCheckpointName(model.name)
  const chunk = options.eventsPerTransaction ?? 10_000
  let queue: Promise<unknown> = Promise.resolve()
  const serially = <A>(f: () => Promise<A>): Promise<A> => {
    const next = queue.then(f, f)
    queue = next.catch(() => undefined)
    return next
  }

  const stored: ReadModelRunner['stored'] = () => async () => {
    const checkpoint = await store.loadCheckpoint(checkpointName)()
    if (E.isLeft(checkpoint)) return checkpoint
    const c = checkpoint.right
    return E.right(c === null || c.version !== model.version ? null : c.position)
  }

  // The tables of a rebuild get their secondary indexes once filled. A run that rebuilt creates them at
  // its end; so does this runner's first run and any run of many events, for tables another process
  // left without them (a rebuild that stopped half-way): the store only reads when none is missing.
  const reset = async (): Promise<E.Either<StoreError, void>> => {
    const problem = readModelSchemaProblem(model)
    if (problem !== null) return E.left(storageError(problem))
    return store.resetReadModel(model, { indexes: false })()
  }
  let indexesChecked = false

  /** Folds from the stored checkpoint to the head; starts again from the checkpoint when another process moved it. */
  const run = async (
    force: boolean,
    onProgress: ReadModelProgress | undefined,
  ): Promise<E.Either<ProjectionError, ReadModelStatus>> => {
    if (store.readModelsReadOnly) return E.left(storageError('the store is open read-only'))
    let rebuilt = false
    if (force) {
      const done = await reset()
      if (E.isLeft(done)) return done
      rebuilt = true
    }
    for (;;) {
      const at = await stored()()
      if (E.isLeft(at)) return at
      let from = at.right ?? 0
      if (at.right === null) {
        const done = await reset()
        if (E.isLeft(done)) return done
        rebuilt = true
      }
      const head = await store.headPosition()()
      if (E.isLeft(head)) return head
      let statements: SqlStatement[] = []
      let last = from
      let moved = false
      const start = from
      let work = false
      // The model's `settle` runs with the last batch of a pass that folded events (every batch of the
      // pass stays in the tables it declares for that: a pass cut short leaves it to the next one).
      const flush = async (last_: boolean): Promise<E.Either<ProjectionError, void>> => {
        const settle =
          last_ && model.settle !== undefined && last !== start
            ? model.settle(last, { from: start, work })
            : []
        if (last === from && settle.length === 0) return E.right(undefined)
        const settled = settle.length === 0 ? statements : [...statements, ...settle]
        const written = await store.writeReadModel(model, settled, from, last)()
        if (E.isLeft(written)) return written
        if (written.right === 'moved') {
          moved = true
          return E.right(undefined)
        }
        statements = []
        from = last
        onProgress?.(last, head.right)
        return E.right(undefined)
      }
      for await (const batch of store.readAll({ fromPosition: from + 1, toPosition: head.right })) {
        if (E.isLeft(batch)) return batch
        for (const envelope of batch.right) {
          const event = options.decode(envelope)
          if (E.isLeft(event)) return event
          for (const s of model.writes(event.right, envelope)) statements.push(s)
          if (!work) work = model.leavesWork?.(event.right) ?? true
          last = envelope.position
        }
        if (last - from >= chunk) {
          const flushed = await flush(false)
          if (E.isLeft(flushed)) return flushed
          if (moved) break
        }
      }
      if (!moved) {
        const flushed = await flush(true)
        if (E.isLeft(flushed)) return flushed
      }
      if (!moved) {
        if (rebuilt || !indexesChecked || from - (at.right ?? 0) >= ANALYZE_AFTER) {
          const indexed = await store.indexReadModel(model)()
          if (E.isLeft(indexed)) return indexed
          indexesChecked = true
        }
        if (store.analyzeReadModel !== undefined && from - (at.right ?? 0) >= ANALYZE_AFTER) {
          const analyzed = await store.analyzeReadModel(model)()
          if (E.isLeft(analyzed)) return analyzed
        }
        return E.right({ position: from, rebuilt })
      }
    }
  }

  // Callers that arrive while a catch-up waits to start share it: it starts after their call, so it
  // folds what they appended, and a burst of writers pays one catch-up, not one each.
  let queued: Promise<E.Either<ProjectionError, ReadModelStatus>> | null = null
  const catchUp = (
    onProgress: ReadModelProgress | undefined,
  ): Promise<E.Either<ProjectionError, ReadModelStatus>> => {
    if (queued !== null) return queued
    const next = serially(() => {
      if (queued === next) queued = null
      return run(false, onProgress)
    })
    queued = next
    return next
  }

  return {
    catchUp: (onProgress) => () => catchUp(onProgress),
    rebuild: (onProgress) => () => serially(() => run(true, onProgress)),
    stored,
  }
}
