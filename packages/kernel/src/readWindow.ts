/**
 * The checks every store makes of `readAll` options, in one place, so that every adapter refuses the
 * same bad windows with the same codes.
 */
import * as E from 'fp-ts/Either'
import { invalidEventError, type InvalidEventError } from './errors'
import type { ReadAllOptions } from './eventStore'
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
