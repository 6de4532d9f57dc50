/**
 * Progress lines on standard error, each with the time since the bench started, so that standard
 * output holds only the table.
 */
import { performance } from 'node:perf_hooks'

const started = performance.now()

/** Writes one progress line on standard error. */
export const progress = (message: string): void => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(7)
  process.stderr.write(`[bench ${seconds}s] ${message}\n`)
}

/** Milliseconds since `from` (a `performance.now()` reading). */
export const since = (from: number): number => performance.now() - from

/** The current `performance.now()` reading. */
export const now = (): number => performance.now()
