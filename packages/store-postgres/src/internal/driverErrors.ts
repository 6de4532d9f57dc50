/**
 * @internal
 * Turns node-postgres exceptions into the kernel's error values, naming the server and schema (never the
 * password: the driver's own message is redacted too) so that a message read in a log says which store
 * failed.
 */
import * as E from 'fp-ts/Either'
import {
  invalidEventError,
  redactCredentials,
  storageError,
  type StoreError,
  type StorageError,
} from '@ketnap/kernel'

/** The SQLSTATE of a driver exception (`23505`, `40P01`...), if it carries one. @internal */
export const sqlState = (cause: unknown): string | undefined => {
  const code = (cause as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/** SQLSTATE of a unique violation. @internal */
export const UNIQUE_VIOLATION = '23505'

/** SQLSTATE of a character PostgreSQL text cannot hold (U+0000). @internal */
export const UNTRANSLATABLE_CHARACTER = '22021'

/**
 * Whether a driver exception says the connection itself is gone (the backend terminated, the server shut
 * down or restarted, the socket reset), rather than that a statement failed on a working connection.
 * @internal
 */
export const isConnectionLoss = (cause: unknown): boolean => {
  const state = sqlState(cause)
  if (state !== undefined) return state.startsWith('08') || LOST_CONNECTION_STATES.has(state)
  const code = (cause as { code?: unknown } | null)?.code
  if (code === 'ECONNRESET' || code === 'EPIPE') return true
  const message = cause instanceof Error ? cause.message : ''
  return /^Connection terminated|is not queryable|^Client was closed/.test(message)
}

/** admin_shutdown (pg_terminate_backend, a fast shutdown), crash_shutdown, idle_session_timeout. */
const LOST_CONNECTION_STATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P05'])

/**
 * A connection string as it may be shown: `postgres://user:***@host:port/db`, the password masked; the
 * bare word `PostgreSQL` when it is not a URL (a libpq key=value string may hold a password anywhere).
 * @internal
 */
export const describeServer = (connectionString: string, schema: string): string => {
  try {
    const url = new URL(connectionString)
    const password = url.password === '' ? '' : ':***'
    const user =
      url.username === '' && password === '' ? '' : `${decodeURIComponent(url.username)}${password}@`
    return `${url.protocol}//${user}${url.host}${url.pathname} (schema ${schema})`
  } catch {
    return `PostgreSQL (schema ${schema})`
  }
}

/** A StorageError naming the store and what was being done, with the driver's message and SQLSTATE. @internal */
export const driverError = (where: string, doing: string, cause: unknown): StorageError => {
  const code = sqlState(cause)
  const detail = redactCredentials(cause instanceof Error ? cause.message : String(cause))
  const hint = isConnectionLoss(cause) ? ' (the connection to the server was lost)' : ''
  return storageError(
    `${where}: ${doing} failed${code === undefined ? '' : ` [${code}]`}: ${detail}${hint}`,
    cause,
  )
}

/**
 * The error of a failed write: text PostgreSQL cannot store is the caller's input (an InvalidEventError),
 * anything else a StorageError.
 * @internal
 */
export const writeError = (where: string, doing: string, cause: unknown): StoreError =>
  sqlState(cause) === UNTRANSLATABLE_CHARACTER
    ? invalidEventError(
        'invalid-text',
        `${where}: PostgreSQL text cannot hold the character U+0000 (in a stream, type, id or actor)`,
      )
    : driverError(where, doing, cause)

/** Runs a driver call; any exception becomes a StorageError. @internal */
export const attempt = async <A>(
  where: string,
  doing: string,
  f: () => Promise<A>,
): Promise<E.Either<StorageError, A>> => {
  try {
    return E.right(await f())
  } catch (cause) {
    return E.left(driverError(where, doing, cause))
  }
}
