/**
 * Following the log from another process: a store that can tell when its log may have grown (another
 * process appended), so that a follower catches its read models up without being asked.
 */
import type * as TE from 'fp-ts/TaskEither'
import type { StoreError } from './errors'

/** How a store wakes its followers: a notification from the server, or reading the head on a timer. */
export type HeadWatchMode = 'notify' | 'poll'

/** A running watch: how it wakes, and how to stop it. */
export interface HeadWatch {
  readonly mode: HeadWatchMode
  readonly stop: () => Promise<void>
}

/** What a watch is asked. */
export interface HeadWatchOptions {
  /** Milliseconds between two cheap looks at the store when it polls; default chosen by the adapter. */
  readonly pollMs?: number
}

/**
 * A store whose log other processes may append to: `watchHead` calls `onChange` (at least once) after
 * the log may have grown, until stopped. A call may be spurious; the follower reads the head itself.
 */
export interface HeadWatcher {
  readonly watchHead: (
    onChange: () => void,
    options?: HeadWatchOptions,
  ) => TE.TaskEither<StoreError, HeadWatch>
}

/** Whether a store can be followed. */
export const watchesHead = (store: object): store is HeadWatcher =>
  typeof (store as Partial<HeadWatcher>).watchHead === 'function'
