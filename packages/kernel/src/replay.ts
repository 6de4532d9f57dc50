/**
 * Replay: folds a domain's validator state over the stored log (optionally only what was known at an
 * instant, or up to a position), upcasting and decoding each stored event on the way.
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { Domain } from './domain'
import type { Envelope, Head } from './envelope'
import { storageError, type StoreError } from './errors'
import type { EventStore, ReadAllOptions } from './eventStore'
import { emptyHead } from './hashChain'
import { upcasterChain } from './upcasting'

/** Reports progress: items done out of a total. */
export type Progress = (done: number, total: number) => void

/** Options of `replay`. */
export interface ReplayOptions {
  /** Fold only the events recorded at or before this instant. */
  readonly knownAt?: string
  /** Fold only up to this position. */
  readonly toPosition?: number
  /** Called after each batch with the events folded so far and the head position. */
  readonly onProgress?: Progress
}

/** Where a fold starts when not from an empty state: a saved state and the last event it reflects. */
export interface FoldStart<W> {
  readonly state: W
  readonly head: Head
  readonly lastRecordedAt: string | null
}

/** The validator state after a replay, and the last envelope folded. */
export interface ReplayResult<W> {
  readonly state: W
  /** Position and hash of the last envelope folded (the empty head when none). */
  readonly head: Head
  /** Its `recordedAt`, `null` when none. */
  readonly lastRecordedAt: string | null
}

/**
 * Folds the log through a domain, calling `visit` for every envelope with its decoded event.
 * @internal
 */
export const foldLog = async <Ev, W>(
  store: EventStore,
  domain: Domain<Ev, W>,
  options: ReplayOptions,
  visit?: (envelope: Envelope, event: Ev) => void,
  start?: FoldStart<W>,
): Promise<E.Either<StoreError, ReplayResult<W>>> => {
  const total = await store.headPosition()()
  if (E.isLeft(total)) return total
  const end = Math.min(options.toPosition ?? total.right, total.right)
  const upcast = upcasterChain(domain.upcasters, domain.schemaVersionOf)
  const read: ReadAllOptions = {
    ...(start === undefined ? {} : { fromPosition: start.head.position + 1 }),
    toPosition: end,
    ...(options.knownAt === undefined ? {} : { knownAt: options.knownAt }),
  }
  let state = start?.state ?? domain.validator.initialState()
  let head = start?.head ?? emptyHead
  let lastRecordedAt: string | null = start?.lastRecordedAt ?? null
  let done = start?.head.position ?? 0
  for await (const batch of store.readAll(read)) {
    if (E.isLeft(batch)) return batch
    for (const envelope of batch.right) {
      const current = upcast(envelope)
      const event = E.isLeft(current)
        ? E.left([current.left])
        : domain.decode(current.right.type, current.right.data)
      if (E.isLeft(event)) {
        const why = event.left.map(
          (e) => `${e.code}${e.path === undefined ? '' : ` at ${e.path}`}: ${e.message}`,
        )
        return E.left(
          storageError(`the stored event at position ${envelope.position} cannot be read: ${why.join('; ')}`),
        )
      }
      const context = { stream: envelope.stream, recordedAt: envelope.recordedAt }
      visit?.(envelope, event.right)
      state = domain.validator.evolve(state, event.right, context)
      head = { position: envelope.position, hash: envelope.hash }
      lastRecordedAt = envelope.recordedAt
      done += 1
    }
    options.onProgress?.(done, end)
  }
  return E.right({ state, head, lastRecordedAt })
}

/** Folds a domain's validator state over the stored log (as known at an instant, or up to a position). */
export const replay =
  <Ev, W>(
    store: EventStore,
    domain: Domain<Ev, W>,
    options: ReplayOptions = {},
  ): TE.TaskEither<StoreError, ReplayResult<W>> =>
  () =>
    foldLog(store, domain, options)
