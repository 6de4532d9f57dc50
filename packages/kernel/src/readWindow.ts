/**
 * The checks every store makes of `readAll` options, and the keyset paging the database adapters share,
 * in one place, so that every adapter refuses the same bad windows with the same codes.
 */
import * as E from 'fp-ts/Either'
import type { Envelope } from './envelope'
import { invalidEventError, type InvalidEventError, type StoreError } from './errors'
import type { ReadAllBatch, ReadAllOptions } from './eventStore'
import { normalizeInstant } from './hashChain'

/** `readAll` options checked and normalized: integer bounds, a positive batch size, a normal instant. */
export interface ReadWindow {
  /** First position, at least 1. */
  readonly fromPosition: number
  /** Last position asked for, when one was. */
  readonly toPosition: number | undefined
  /** `knownAt` normalized to `toISOString` form, when given. */
  readonly knownAt: string | undefined
  readonly batchSize: number
}

/** Checks `readAll` options (`invalid-read-window`, `invalid-batch-size`, `invalid-instant`). */
export const readWindow = (
  options: ReadAllOptions,
  defaultBatchSize: number,
): E.Either<InvalidEventError, ReadWindow> => {
  const { fromPosition = 1, toPosition, batchSize = defaultBatchSize } = options
  if (!Number.isSafeInteger(fromPosition) || (toPosition !== undefined && !Number.isSafeInteger(toPosition)))
    return E.left(invalidEventError('invalid-read-window', 'fromPosition and toPosition must be integers'))
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0)
    return E.left(
      invalidEventError('invalid-batch-size', `batchSize must be a positive integer, got ${batchSize}`),
    )
  let knownAt: string | undefined
  if (options.knownAt !== undefined) {
    const normalized = normalizeInstant(options.knownAt)
    if (E.isLeft(normalized)) return normalized
    knownAt = normalized.right
  }
  return E.right({ fromPosition: Math.max(1, fromPosition), toPosition, knownAt, batchSize })
}

/** The most positions one `readPositions` call takes (its envelopes are held in memory at once). */
export const MAX_READ_POSITIONS = 10_000

/**
 * Checks the positions of `readPositions` (`invalid-read-window`: not a positive integer;
 * `invalid-batch-size`: more than `MAX_READ_POSITIONS`): each once, ascending.
 */
export const readPositionsList = (
  positions: ReadonlyArray<number>,
): E.Either<InvalidEventError, ReadonlyArray<number>> => {
  if (positions.length > MAX_READ_POSITIONS)
    return E.left(
      invalidEventError(
        'invalid-batch-size',
        `readPositions takes at most ${MAX_READ_POSITIONS} positions, got ${positions.length}`,
      ),
    )
  for (const p of positions)
    if (!Number.isSafeInteger(p) || p < 1)
      return E.left(invalidEventError('invalid-read-window', `positions must be positive integers, got ${p}`))
  return E.right([...new Set(positions)].sort((a, b) => a - b))
}

/** What a database adapter supplies to `pagedReadAll`: its closed state, the window's end, and one page. */
export interface LogPages {
  /** The error to answer with when the store is closed, else null. */
  readonly closed: () => StoreError | null
  /** The last position of the window, fixed when the read starts (head, `toPosition`, `knownAt`). */
  readonly upperBound: (window: ReadWindow) => Promise<E.Either<StoreError, number>>
  /** Up to `limit` envelopes with positions from `from` to `to`, in position order. */
  readonly page: (
    from: number,
    to: number,
    limit: number,
  ) => Promise<E.Either<StoreError, ReadonlyArray<Envelope>>>
}

/**
 * `readAll` over keyset pages by position: the window is checked and fixed when the read starts
 * (appends made meanwhile are not part of it), memory holds one page, and the first error ends it.
 */
export async function* pagedReadAll(
  options: ReadAllOptions,
  defaultBatchSize: number,
  pages: LogPages,
): AsyncGenerator<ReadAllBatch> {
  const closedAtStart = pages.closed()
  if (closedAtStart !== null) return yield E.left(closedAtStart)
  const window = readWindow(options, defaultBatchSize)
  if (E.isLeft(window)) return yield window
  const upper = await pages.upperBound(window.right)
  if (E.isLeft(upper)) return yield upper
  for (let from = window.right.fromPosition; from <= upper.right;) {
    const closed = pages.closed()
    if (closed !== null) return yield E.left(closed)
    const batch = await pages.page(from, upper.right, window.right.batchSize)
    if (E.isRight(batch) && batch.right.length === 0) return
    yield batch
    if (E.isLeft(batch)) return
    from = (batch.right[batch.right.length - 1]?.position ?? upper.right) + 1
  }
}
