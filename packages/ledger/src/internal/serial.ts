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

/**
 * A gate of shared and exclusive tasks: shared ones run together, an exclusive one alone, once the
 * shared ones running have ended; shared ones arriving while an exclusive one waits or runs wait for it.
 * @internal
 */
export const sharedOrExclusive = () => {
  let running = 0
  let exclusive: Promise<void> | null = null
  let drained: (() => void) | null = null
  return {
    shared: async <A>(task: () => Promise<A>): Promise<A> => {
      while (exclusive !== null) await exclusive
      running += 1
      try {
        return await task()
      } finally {
        running -= 1
        if (running === 0) drained?.()
      }
    },
    exclusive: async <A>(task: () => Promise<A>): Promise<A> => {
      while (exclusive !== null) await exclusive
      let end: () => void = () => undefined
      exclusive = new Promise<void>((resolve) => {
        end = resolve
      })
      try {
        if (running > 0)
          await new Promise<void>((resolve) => {
            drained = resolve
          })
        drained = null
        return await task()
      } finally {
        exclusive = null
        end()
      }
    },
  }
}
