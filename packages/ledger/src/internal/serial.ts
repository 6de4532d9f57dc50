/**
 * @internal
 * Runs async tasks one at a time, in call order, so that a ledger's cached states are never advanced
 * by two callers at once.
 */

/** A queue: `run(task)` starts `task` once every task queued before it has settled. @internal */
export const serialQueue = () => {
  let tail: Promise<unknown> = Promise.resolve()
  return <A>(task: () => Promise<A>): Promise<A> => {
    const result = tail.then(task, task)
    tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}
