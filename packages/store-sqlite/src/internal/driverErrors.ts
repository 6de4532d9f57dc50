/**
 * @internal
 * Turns better-sqlite3 exceptions into the kernel's error values, and retries on a busy database.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import * as E from 'fp-ts/Either'
import { storageError, type StorageError } from '@ketnap/kernel'

/** The SQLite result code of a driver exception (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`...), if any. */
export const sqliteCode = (cause: unknown): string | undefined => {
  const code = (cause as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined
}

/** Whether another connection held a lock longer than the busy timeout. */
export const isBusy = (cause: unknown): boolean => {
  const code = sqliteCode(cause)
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
}

/** A StorageError naming the file and what was being done, with the driver's message. */
export const driverError = (path: string, doing: string, cause: unknown): StorageError => {
  const code = sqliteCode(cause)
  const detail = cause instanceof Error ? cause.message : String(cause)
  const hint =
    code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB'
      ? ' (the file is corrupt or not a ketnap store)'
      : code?.startsWith('SQLITE_READONLY') === true
        ? ' (the store is read-only here: it, or its directory, cannot be written by this user)'
        : ''
  return storageError(
    `${path}: ${doing} failed${code === undefined ? '' : ` [${code}]`}: ${detail}${hint}`,
    cause,
  )
}

/** Runs a synchronous driver call; any exception becomes a StorageError. */
export const attempt = <A>(path: string, doing: string, f: () => A): E.Either<StorageError, A> => {
  try {
    return E.right(f())
  } catch (cause) {
    return E.left(driverError(path, doing, cause))
  }
}

/** How many times a write that stayed busy past the busy timeout is tried again before giving up. */
export const BUSY_RETRIES = 5

/** How long, and how many times at least, a busy call is tried again. */
export interface BusyRetryPolicy {
  /** Tries after the first, at least; default BUSY_RETRIES. */
  readonly retries?: number
  /** Keep trying (past `retries`) until this many milliseconds have passed since the first try. */
  readonly forMs?: number
}

/**
 * Runs a synchronous write, trying it again (after a short randomised pause) while SQLite answers
 * SQLITE_BUSY past its own busy timeout, or without waiting at all (as some steps of opening a file do);
 * any other exception, or the last busy one, goes to `onError`.
 */
export const withBusyRetries = async <L, A>(
  write: () => E.Either<L, A>,
  onError: (cause: unknown, busy: boolean) => L,
  policy: BusyRetryPolicy = {},
): Promise<E.Either<L, A>> => {
  const retries = policy.retries ?? BUSY_RETRIES
  const until = Date.now() + (policy.forMs ?? 0)
  for (let attemptNo = 0; ; attemptNo++) {
    try {
      return write()
    } catch (cause) {
      const busy = isBusy(cause)
      if (!busy || (attemptNo >= retries && Date.now() >= until)) return E.left(onError(cause, busy))
      await sleep(10 + Math.floor(Math.random() * 40 * Math.min(attemptNo + 1, 5)))
    }
  }
}
