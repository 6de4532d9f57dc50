/**
 * The second clock as a log position: what was known at an instant is a prefix of the log, because the
 * record clock never runs backwards in log order.
 */
import * as E from 'fp-ts/Either'
import type * as TE from 'fp-ts/TaskEither'
import type { StoreError } from './errors'
import type { EventStore } from './eventStore'

/**
 * The last position among the first `upTo` whose `recordedAt` is at or before `knownAt` (0 when none),
 * comparing instants as `Date.parse` does: a binary search of about log2(upTo) one-event reads.
 */
export const lastPositionKnownAt =
  (store: EventStore, knownAt: string, upTo: number): TE.TaskEither<StoreError, number> =>
  async () => {
    const k = Date.parse(knownAt)
    const knownBy = async (position: number): Promise<E.Either<StoreError, boolean>> => {
      for await (const batch of store.readAll({
        fromPosition: position,
        toPosition: position,
        batchSize: 1,
      })) {
        if (E.isLeft(batch)) return batch
        const envelope = batch.right[0]
        if (envelope !== undefined) return E.right(Date.parse(envelope.recordedAt) <= k)
      }
      return E.right(false)
    }
    // Invariant: every position <= lo is known at k; every position > hi is not.
    let lo = 0
    let hi = upTo
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      const known = await knownBy(mid)
      if (E.isLeft(known)) return known
      if (known.right) lo = mid
      else hi = mid - 1
    }
    return E.right(lo)
  }
