/**
 * @internal
 * Following a SQLite file that other processes append to: SQLite has no notifications, so the
 * follower asks `PRAGMA data_version` on a timer, which changes only when another connection committed
 * to the file (a read of one page of the header, no table scan).
 */
import type { HeadWatch, HeadWatchOptions } from '@ketnap/kernel'
import type Database from 'better-sqlite3'

/** The default milliseconds between two looks at `data_version`. */
const DEFAULT_POLL_MS = 100

/** Calls `onChange` when another connection committed to the file. @internal */
export const watchSqliteHead = (
  db: Database.Database,
  isClosed: () => boolean,
  onChange: () => void,
  options: HeadWatchOptions = {},
): HeadWatch => {
  const version = (): number => db.pragma('data_version', { simple: true }) as number
  let last = version()
  const timer = setInterval(() => {
    if (isClosed()) return
    try {
      const now = version()
      if (now !== last) {
        last = now
        onChange()
      }
    } catch {
      // A busy or closed file: the next tick looks again.
    }
  }, options.pollMs ?? DEFAULT_POLL_MS)
  return {
    mode: 'poll',
    stop: () => {
      clearInterval(timer)
      return Promise.resolve()
    },
  }
}
