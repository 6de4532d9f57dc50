/**
 * Projections: folds of the global log into read models, with checkpoints and snapshots.
 */
import type * as TE from 'fp-ts/TaskEither'
import type { Envelope, Json } from './envelope'
import type { StoreError } from './errors'

/**
 * A read model folded from the log. `apply` may update `state` in place and return it (the runner
 * never reuses a state after passing it on), so that a hot path need not copy.
 */
export interface Projection<S> {
  /** Unique name; checkpoints and snapshots are kept under it. */
  readonly name: string
  /** Bump when `apply` changes meaning: a stored checkpoint of another version is discarded and the projection rebuilt. */
  readonly version: number
  /** A fresh empty state. */
  readonly init: () => S
  /** Folds one envelope into the state. Pure apart from updating `state`. */
  readonly apply: (state: S, envelope: Envelope) => S
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
