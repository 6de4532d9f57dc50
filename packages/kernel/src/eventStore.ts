/**
 * The EventStore port: what every storage adapter implements. TaskEither everywhere; nothing throws across it.
 */
import type * as E from 'fp-ts/Either'
import type * as T from 'fp-ts/Task'
import type * as TE from 'fp-ts/TaskEither'
import type { Envelope, Head, NewEvent } from './envelope'
import type { StoreError } from './errors'
import type { KeyedStateStore } from './keyedState'
import type { KeyStore } from './keyStore'
import type { LeafRange, MerkleHash } from './merkle'

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

/** One request of `appendBatches`: what one `appendBatch` call would append. */
export type AppendRequest = ReadonlyArray<StreamAppend>

/** Options of `appendBatches`. */
export interface AppendBatchesOptions {
  /**
   * Stop at the first request that fails: the ones after it are not attempted (they write nothing and
   * have no answer), for requests that build on the ones before them. Default false: each stands alone.
   */
  readonly stopAtFirstFailure?: boolean
}

/**
 * The answers of `appendBatches`, one per request attempted, in order: each request's own result, or its
 * own error (the error of the whole transaction, such as a lost connection, is every request's).
 */
export type AppendBatchesResult = ReadonlyArray<E.Either<StoreError, AppendResult>>

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

/** What a session knows of the log, read inside its transaction (its own writes included). */
export interface SessionLookup {
  /** The version of each stream asked for (0 when it does not exist). */
  readonly versions: ReadonlyMap<string, number>
  /** The stored events among the ids asked for. */
  readonly events: ReadonlyMap<string, Envelope>
}

/**
 * One import's transaction: kept open while an import checks a file chunk by chunk and writes each clean
 * chunk into it; committed at the end, or rolled back when any line was invalid (all or nothing).
 */
export interface ImportSession {
  /** The head when the session began. */
  readonly head: Head
  /** The `recordedAt` of the last stored event when the session began (`null` for an empty log). */
  readonly lastRecordedAt: string | null
  /** Stream versions and stored events by id, as the session sees the log. */
  readonly lookup: (
    streams: ReadonlyArray<string>,
    ids: ReadonlyArray<string>,
  ) => Promise<E.Either<StoreError, SessionLookup>>
  /**
   * Writes envelopes planned against this session's view (by the kernel's `planAppend`): they must
   * continue the session's head, position by position and hash by hash. `dataJson`, when given, is the
   * canonical JSON of each envelope's data (`canonicalDataJson`), in the same order, as the planner
   * wrote it.
   */
  readonly write: (
    envelopes: ReadonlyArray<Envelope>,
    dataJson?: ReadonlyArray<string>,
  ) => Promise<E.Either<StoreError, void>>
  /** Commits what was written; resolves to the head after it. */
  readonly commit: () => Promise<E.Either<StoreError, Head>>
  /** Discards what was written. */
  readonly rollback: () => Promise<E.Either<StoreError, void>>
  /**
   * The write side's keyed rows read and written inside this transaction, so that they are committed or
   * rolled back with the events. Optional: without it, the import keeps its keyed state in memory.
   */
  readonly keyedState?: KeyedStateStore
}

/** A subtree of the log's tree: the 2^height leaves from leaf index·2^height (0-based). */
export interface SubtreeKey {
  readonly height: number
  readonly index: number
}

/** What a root or proof needs from a store: stored subtrees, and event hashes by leaf range. */
export interface TreeReadRequest {
  readonly subtrees: ReadonlyArray<SubtreeKey>
  /** Disjoint leaf ranges, in order; leaf i is the event at position i + 1. */
  readonly leaves: ReadonlyArray<LeafRange>
}

/** A store's answer to a `TreeReadRequest`, in the order asked. */
export interface TreeReadResult {
  /** Each subtree's stored hash, or undefined when it is not stored. */
  readonly subtrees: ReadonlyArray<MerkleHash | undefined>
  /** The `hash` (hex) of each event of each range, in position order (shorter when the log is). */
  readonly leaves: ReadonlyArray<ReadonlyArray<string>>
}

/** How a store reads its tree (`EventStore.readTree`). */
export type ReadTree = (request: TreeReadRequest) => Promise<E.Either<StoreError, TreeReadResult>>

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
  /**
   * Appends several independent requests in ONE transaction (one commit, one flush to disk), in order:
   * each request is all or nothing, planned on the log as the requests before it left it, and answered
   * on its own, so that one request's conflict or invalid event does not fail the others.
   */
  readonly appendBatches: (
    requests: ReadonlyArray<AppendRequest>,
    options?: AppendBatchesOptions,
  ) => T.Task<AppendBatchesResult>
  /** Reads one stream in version order. A stream that does not exist reads as empty. */
  readonly readStream: (
    stream: string,
    options?: ReadStreamOptions,
  ) => TE.TaskEither<StoreError, ReadonlyArray<Envelope>>
  /** Reads the global log in position order, in batches. */
  readonly readAll: (options?: ReadAllOptions) => AsyncIterable<ReadAllBatch>
  /**
   * The events at the given positions, in position order, in one read: each position once, those past
   * the head left out. Positive integers only (`invalid-read-window`), at most `MAX_READ_POSITIONS` of
   * them (`invalid-batch-size`). For a reader that needs scattered events (a report's members' profiles):
   * one query where ranges of `readAll` would be one each.
   */
  readonly readPositions: (
    positions: ReadonlyArray<number>,
  ) => Promise<E.Either<StoreError, ReadonlyArray<Envelope>>>
  /** The last position and its hash. */
  readonly head: () => TE.TaskEither<StoreError, Head>
  /** The last global position (0 for an empty log). */
  readonly headPosition: () => TE.TaskEither<StoreError, number>
  /** The version of a stream (0 when it does not exist). */
  readonly streamVersion: (stream: string) => TE.TaskEither<StoreError, number>
  /**
   * Opens an import's write session: one transaction, kept open while an import writes its checked
   * chunks, then committed or rolled back (see `ImportSession`). Optional: the importer gives a store
   * without it a session that buffers the accepted events for one `appendBatch`.
   */
  readonly beginImport?: () => Promise<E.Either<StoreError, ImportSession>>
  /**
   * Reads the log's tree kept with it (`storedTree.ts`): stored subtree hashes and event hashes by leaf
   * range, so that a root or a proof reads O(log n) rows. Optional: without it, they read the whole log.
   */
  readonly readTree?: ReadTree
  /**
   * Keeps the per-key part of a domain's write-side state as rows (`keyedState.ts`), so that the rules'
   * state of a large log is neither held in memory nor folded again by every process. Optional: without
   * it, the state is folded from the log by each process and held whole.
   */
  readonly keyedState?: KeyedStateStore
  /**
   * Keeps the wrapped keys of subjects whose personal data is encrypted (`keyStore.ts`), and the store's
   * encryption marker. Optional: a store without it cannot be encrypted.
   */
  readonly keyStore?: KeyStore
  /** Releases resources (file handles, connections). */
  readonly close: () => TE.TaskEither<StoreError, void>
}
