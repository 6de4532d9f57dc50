/**
 * Projections: folds of the global log into read models, with checkpoints and snapshots.
 */
import type * as TE from 'fp-ts/TaskEither'
import type { Json } from './envelope'
import type { StoreError } from './errors'
import type { LogPlace } from './readModel'

/**
 * A read model folded from the log, over the domain's events: the runner decodes each stored envelope
 * once (upcast, then the domain's codec) and hands `apply` the typed event and where it sits in the log,
 * so that a projection never reads raw data. `apply` may update `state` in place and return it (the
 * runner never reuses a state after passing it on), so that a hot path need not copy.
 */
export interface Projection<S, Ev = unknown> {
  /** Unique name; checkpoints and snapshots are kept under it. */
  readonly name: string
  /** Bump when `apply` changes meaning: a stored checkpoint of another version is discarded and the projection rebuilt. */
  readonly version: number
  /** A fresh empty state. */
  readonly init: () => S
  /** Folds one decoded event, recorded at `at`, into the state. Pure apart from updating `state`. */
  readonly apply: (state: S, event: Ev, at: LogPlace) => S
  /** State to JSON for a snapshot; default `JSON` round trip. */
  readonly serialize?: (state: S) => Json
  /** JSON back to state; default identity. */
  readonly deserialize?: (json: Json) => S
}

/** Where a projection stands: the last position folded into it, under a projection version. */
export interface Checkpoint {
  readonly name: string
  readonly version: number
  readonly position: number
}

/** A saved projection state at a checkpoint. */
export interface Snapshot extends Checkpoint {
  readonly state: Json
}

/** The port checkpoints are kept through. */
export interface CheckpointStore {
  readonly loadCheckpoint: (name: string) => TE.TaskEither<StoreError, Checkpoint | null>
  readonly saveCheckpoint: (checkpoint: Checkpoint) => TE.TaskEither<StoreError, void>
}

/** The port snapshots are kept through. */
export interface SnapshotStore {
  readonly loadSnapshot: (name: string) => TE.TaskEither<StoreError, Snapshot | null>
  readonly saveSnapshot: (snapshot: Snapshot) => TE.TaskEither<StoreError, void>
}
