/**
 * Group commit for an adapter: `appendBatch` calls that arrive while a transaction is being written wait,
 * and are then written together through `appendBatches`, one transaction for all of them, each caller
 * answered with its own request's result.
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import { storageError, type StoreError } from './errors'
import type { AppendRequest, AppendResult, EventStore } from './eventStore'

interface Queued {
  readonly request: AppendRequest
  readonly resolve: (result: E.Either<StoreError, AppendResult>) => void
}

/**
 * An `appendBatch` made of an adapter's `appendBatches`: calls made in the same tick, or while a
 * transaction is being written, go into the next transaction together (at most `maxGroup` requests).
 */
export const groupedAppendBatch = (
  appendBatches: EventStore['appendBatches'],
  maxGroup = 256,
): EventStore['appendBatch'] => {
  const queue: Queued[] = []
  let writing = false

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const group = queue.splice(0, maxGroup)
      let results: ReadonlyArray<E.Either<StoreError, AppendResult>>
      try {
        results = await appendBatches(group.map((queued) => queued.request))()
      } catch (cause) {
        results = group.map(() => E.left(storageError('appending failed', cause)))
      }
      for (const [i, queued] of group.entries())
        queued.resolve(results[i] ?? E.left(storageError('appending failed: the request was not attempted')))
    }
    writing = false
  }

  return (request): TE.TaskEither<StoreError, AppendResult> =>
    () =>
      new Promise((resolve) => {
        queue.push({ request, resolve })
        if (writing) return
        writing = true
        // Let the callers of the same tick join the first transaction.
        queueMicrotask(() => void drain())
      })
}
