/**
 * A phase's time limit for the limits measured in the bench's own process (which cannot be killed as a
 * child can): the work stops at the first batch past the limit, keeps what it did, and says so, so
 * that the rate is that of the events handled in time.
 */
import { now } from './progress'

/** When a phase must stop, and whether it did. */
export interface Deadline {
  readonly at: number
  reached: boolean
}

/** A deadline `ms` from now. */
export const deadlineIn = (ms: number): Deadline => ({ at: now() + ms, reached: false })

/** Whether the deadline has passed (and, if so, marks it reached). */
export const pastDeadline = (deadline: Deadline | undefined): boolean => {
  if (deadline === undefined || now() <= deadline.at) return false
  deadline.reached = true
  return true
}

/** The items of a sequence up to the first one handed over after the deadline. */
export async function* untilDeadline<A>(
  items: Iterable<A> | AsyncIterable<A>,
  deadline: Deadline | undefined,
): AsyncGenerator<A> {
  for await (const item of items) {
    yield item
    if (pastDeadline(deadline)) return
  }
}
