/**
 * The EventStore port: what every storage adapter implements. TaskEither everywhere; nothing throws across it.
 */
import type * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { Envelope, Head, NewEvent } from './envelope'
import type { StoreError } from './errors'

/**
 * The version a writer expects its stream to be at: a number (0 = the stream must not exist yet),
 * or `'any'` to skip the check.
 */
export type ExpectedVersion = number | 'any'

/** Options of `append`. */
export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion
}

/** One stream's part of a bulk append. */
export interface StreamAppend {
  readonly stream: string
  readonly events: ReadonlyArray<NewEvent>
  readonly expectedVersion: ExpectedVersion
}

/** What an append stored. */
export interface AppendResult {
  /** The envelopes written, in log order (empty when every event was a duplicate). */
  readonly appended: ReadonlyArray<Envelope>
  /** Ids skipped because they were already stored. */
  readonly skipped: ReadonlyArray<string>
  /** The log head after the append. */
  readonly head: Head
}

/** Options of `readStream`. */
export interface ReadStreamOptions {
  /** First version to return (1-based, inclusive); default 1. */
  readonly fromVersion?: number
}

/** Options of `readAll`: a window of the global log. */
export interface ReadAllOptions {
  /** First position (inclusive); default 1. */
  readonly fromPosition?: number
  /** Last position (inclusive); default the head. */
  readonly toPosition?: number
  /** Keep only events recorded at or before this ISO 8601 instant (a prefix of the log). */
  readonly knownAt?: string
  /** Envelopes per batch; default chosen by the adapter. */
  readonly batchSize?: number
}

/**
 * A batch of envelopes in log order, or the error that ended the read (always the last item).
 * The log is read in batches so that it is never held in memory whole.
 */
export type ReadAllBatch = E.Either<StoreError, ReadonlyArray<Envelope>>

/** The port every event store implements. */
export interface EventStore {
  /**
   * Appends events to one stream atomically. Events whose `id` is already stored are skipped; if any
   * remain, the stream must be at `expectedVersion` or the call fails with a ConcurrencyError and
   * writes nothing. Positions, versions, `recordedAt` defaults and the hash chain are assigned here.
   */
  readonly append: (
    stream: string,
    events: ReadonlyArray<NewEvent>,
    options: AppendOptions,
  ) => TE.TaskEither<StoreError, AppendResult>
  /** Appends to several streams in one transaction: all or nothing, in the order given. */
  readonly appendBatch: (batch: ReadonlyArray<StreamAppend>) => TE.TaskEither<StoreError, AppendResult>
  /** Reads one stream in version order. A stream that does not exist reads as empty. */
  readonly readStream: (
    stream: string,
    options?: ReadStreamOptions,
  ) => TE.TaskEither<StoreError, ReadonlyArray<Envelope>>
  /** Reads the global log in position order, in batches. */
  readonly readAll: (options?: ReadAllOptions) => AsyncIterable<ReadAllBatch>
  /** The last position and its hash. */
  readonly head: () => TE.TaskEither<StoreError, Head>
  /** The last global position (0 for an empty log). */
  readonly headPosition: () => TE.TaskEither<StoreError, number>
  /** The version of a stream (0 when it does not exist). */
  readonly streamVersion: (stream: string) => TE.TaskEither<StoreError, number>
  /** Releases resources (file handles, connections). */
  readonly close: () => TE.TaskEither<StoreError, void>
}
