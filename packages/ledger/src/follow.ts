/**
 * Following the log written by other processes: the store wakes the follower when its log may have
 * grown (a PostgreSQL NOTIFY sent in the writing transaction, or a cheap look at a SQLite file on a
 * timer), and the follower brings the read models to the head, one catch-up at a time; `waitFor`
 * resolves once they stand at a position, without anyone asking for a catch-up.
 */
import {
  storageError,
  watchesHead,
  type EventStore,
  type HeadWatchMode,
  type ReadModelProgress,
  type ReadModelStatus,
} from '@ketnap/kernel'
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { LedgerError } from './errors'

/** What `follow` is asked. */
export interface FollowOptions {
  /** Progress of each catch-up, in events. */
  readonly onProgress?: ReadModelProgress
  /** Called after each catch-up with the position the read models stand at (or the error, retried on the next wake). */
  readonly onCaughtUp?: (caughtUp: E.Either<LedgerError, number>) => void
  /** Milliseconds between two looks at the store when it is polled; default the store's. */
  readonly pollMs?: number
}

/** A running follower. */
export interface Follower {
  /** How the store wakes it: `notify` (PostgreSQL LISTEN) or `poll`. */
  readonly mode: HeadWatchMode
  /** The position the read models (or, for a store that keeps none, the follower) last reached. */
  readonly position: () => number
  /** Resolves once the follower has reached `position`; Left when it is stopped first. */
  readonly waitFor: (position: number) => TE.TaskEither<LedgerError, number>
  /** Stops watching; pending `waitFor`s answer Left. */
  readonly stop: () => Promise<void>
}

/** Follows `store`, catching up with `catchUp` (null: the store keeps no read models, its head is the position). @internal */
export const followStore = async (
  store: EventStore,
  catchUp: (onProgress?: ReadModelProgress) => TE.TaskEither<LedgerError, ReadModelStatus | null>,
  options: FollowOptions = {},
): Promise<E.Either<LedgerError, Follower>> => {
  if (!watchesHead(store)) return E.left(storageError('this store cannot be followed: it has no watchHead'))
  let reached = 0
  let running: Promise<void> | null = null
  let again = false
  const waiters: Array<{
    readonly position: number
    readonly resolve: (r: E.Either<LedgerError, number>) => void
  }> = []

  const settle = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]
      if (w !== undefined && w.position <= reached) {
        waiters.splice(i, 1)
        w.resolve(E.right(reached))
      }
    }
  }

  const once = async (): Promise<void> => {
    const status = await catchUp(options.onProgress)()
    const at = E.isLeft(status)
      ? status
      : status.right !== null
        ? E.right(status.right.position)
        : await store.headPosition()()
    if (E.isRight(at)) reached = Math.max(reached, at.right)
    options.onCaughtUp?.(at)
    settle()
  }

  // Wakes coalesce: one catch-up runs at a time, and one more follows if woken meanwhile.
  const wake = (): void => {
    if (running !== null) {
      again = true
      return
    }
    running = (async () => {
      do {
        again = false
        await once()
      } while (again)
      running = null
    })()
  }

  const watch = await store.watchHead(wake, options.pollMs === undefined ? {} : { pollMs: options.pollMs })()
  if (E.isLeft(watch)) return watch
  wake()

  return E.right({
    mode: watch.right.mode,
    position: () => reached,
    waitFor: (position) => () =>
      position <= reached
        ? Promise.resolve(E.right(reached))
        : new Promise((resolve) => waiters.push({ position, resolve })),
    stop: async () => {
      await watch.right.stop()
      await running
      for (const w of waiters.splice(0)) w.resolve(E.left(storageError('the follower was stopped')))
    },
  })
}
