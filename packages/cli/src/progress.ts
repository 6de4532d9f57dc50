/**
 * Progress of long work (import, replay of a large log, a report over millions of events): a bar with
 * the rate and the time left, drawn on standard error only when standard output is a terminal and
 * `--quiet` is not given, so that scripts and pipes see nothing of it.
 */
import { SingleBar } from 'cli-progress'
import type { Io } from './io'

/** Reports how far a task has got; a no-op when progress is not shown. */
export interface Progress {
  /** Advances the bar of `task` to `done` out of `total` (drawn from the first call). */
  readonly update: (task: string, done: number, total: number) => void
  /** Clears the bar. */
  readonly stop: () => void
}

/** A Progress that draws nothing. */
export const silentProgress: Progress = { update: () => undefined, stop: () => undefined }

/** Below this many items a task is over before a bar would help. */
const MIN_TOTAL = 2000

/**
 * A progress bar on the terminal, or silence when standard output is not one or `quiet` is set.
 * `stderrOnly` draws it whenever standard error is a terminal, for a command whose output is data
 * meant for a pipe (`ketnap simulate | gzip`).
 */
export const terminalProgress = (io: Io, quiet: boolean, stderrOnly = false): Progress => {
  const stream = io.stderr.node
  if (quiet || (!stderrOnly && !io.stdout.isTTY) || !io.stderr.isTTY || stream === undefined)
    return silentProgress
  let bar: SingleBar | null = null
  let current = ''
  let startedAt = 0
  const stop = (): void => {
    bar?.stop()
    bar = null
  }
  return {
    update: (task, done, total) => {
      if (total < MIN_TOTAL) return
      if (bar === null || task !== current) {
        stop()
        current = task
        startedAt = Date.now()
        bar = new SingleBar({
          stream,
          format: `${task} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
        })
        bar.start(total, 0, { rate: '0' })
      }
      const seconds = (Date.now() - startedAt) / 1000
      bar.setTotal(total)
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds).toString() : '-' })
    },
    stop,
  }
}
