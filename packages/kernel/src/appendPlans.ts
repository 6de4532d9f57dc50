/**
 * The planner of several independent append requests written in one transaction: `planAppend` for each
 * in turn, each on the view the requests before it left, so that a group commit follows exactly the
 * rules of one append per request.
 */
import * as E from 'fp-ts/Either'
import { planAppend, type AppendClock, type AppendView } from './appendPlan'
import type { Envelope, Head } from './envelope'
import type { StoreError } from './errors'
import type { AppendBatchesOptions, AppendBatchesResult, AppendRequest, AppendResult } from './eventStore'

/** What to write for several requests: every envelope in log order, and each request's answer. */
export interface AppendPlans {
  /** The envelopes of every request that succeeded, in log order. */
  readonly envelopes: ReadonlyArray<Envelope>
  /** One answer per request attempted, in order (a prefix when stopping at the first failure). */
  readonly results: AppendBatchesResult
}

/**
 * Plans several requests on one view, in order: each request's plan is `planAppend`'s on the view as
 * the successful requests before it changed it (head, last instant, stream versions, ids); a request
 * that fails changes nothing. `plan` is `planAppend` but in the kernel's tests of broken stores.
 */
export const planAppends = (
  view: AppendView,
  requests: ReadonlyArray<AppendRequest>,
  clock: AppendClock,
  options: AppendBatchesOptions = {},
  plan: typeof planAppend = planAppend,
): AppendPlans => {
  const envelopes: Envelope[] = []
  const results: E.Either<StoreError, AppendResult>[] = []
  const versions = new Map<string, number>()
  const ids = new Set<string>()
  let head: Head = view.head
  let lastRecordedAt = view.lastRecordedAt
  for (const request of requests) {
    const current: AppendView = {
      head,
      lastRecordedAt,
      streamVersion: (stream) => versions.get(stream) ?? view.streamVersion(stream),
      hasId: (id) => ids.has(id) || view.hasId(id),
    }
    const planned = plan(current, request, clock)
    if (E.isLeft(planned)) {
      results.push(planned)
      if (options.stopAtFirstFailure === true) break
      continue
    }
    for (const envelope of planned.right.envelopes) {
      envelopes.push(envelope)
      versions.set(envelope.stream, envelope.version)
      ids.add(envelope.id)
      head = { position: envelope.position, hash: envelope.hash }
      lastRecordedAt = envelope.recordedAt
    }
    results.push(E.right({ appended: planned.right.envelopes, skipped: planned.right.skipped, head }))
  }
  return { envelopes, results }
}
