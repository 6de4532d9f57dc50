/**
 * Errors are values: every fallible kernel operation returns one of these in a `Left`.
 */
import type { InvalidEventCode, RecordClockCode } from './errorCodes'

/** A rejection by a domain rule or a decoder: a stable kebab-case code, where, and why. */
export interface DomainError {
  readonly _tag: 'DomainError'
  /** Stable kebab-case rule code, e.g. `cell-vote-majority`. */
  readonly code: string
  /** Human-readable explanation. */
  readonly message: string
  /** Path of the offending field, e.g. `data.profile.birthDate`, when there is one. */
  readonly path?: string
}

/** The stream was not at the version the writer expected (optimistic concurrency). */
export interface ConcurrencyError {
  readonly _tag: 'ConcurrencyError'
  readonly stream: string
  /** The version the writer expected (`'any'` never conflicts). */
  readonly expectedVersion: number
  /** The version the stream is actually at (0 when it does not exist). */
  readonly actualVersion: number
}

/** A `recordedAt` earlier than the last one in the log: the record clock never runs backwards. */
export interface RecordClockError {
  readonly _tag: 'RecordClockError'
  readonly code: RecordClockCode
  readonly recordedAt: string
  readonly lastRecordedAt: string
  readonly message: string
}

/** Malformed input to a store call (bad instant, non-JSON data, empty stream name...). */
export interface InvalidEventError {
  readonly _tag: 'InvalidEventError'
  readonly code: InvalidEventCode
  readonly message: string
}

/** The storage itself failed or refused (I/O, corrupt file, newer schema, closed store). */
export interface StorageError {
  readonly _tag: 'StorageError'
  readonly message: string
  readonly cause?: unknown
}

/** Every error an EventStore call can return. */
export type StoreError = ConcurrencyError | RecordClockError | InvalidEventError | StorageError

/** Builds a DomainError. */
export const domainError = (code: string, message: string, path?: string): DomainError =>
  path === undefined ? { _tag: 'DomainError', code, message } : { _tag: 'DomainError', code, message, path }

/** Builds a ConcurrencyError. */
export const concurrencyError = (
  stream: string,
  expectedVersion: number,
  actualVersion: number,
): ConcurrencyError => ({
  _tag: 'ConcurrencyError',
  stream,
  expectedVersion,
  actualVersion,
})

/** Builds a RecordClockError. */
export const recordClockError = (recordedAt: string, lastRecordedAt: string): RecordClockError => ({
  _tag: 'RecordClockError',
  code: 'record-clock',
  recordedAt,
  lastRecordedAt,
  message: `recordedAt ${recordedAt} is earlier than the log's last ${lastRecordedAt}`,
})

/** Builds an InvalidEventError. */
export const invalidEventError = (code: InvalidEventCode, message: string): InvalidEventError => ({
  _tag: 'InvalidEventError',
  code,
  message,
})

/** Builds a StorageError. */
export const storageError = (message: string, cause?: unknown): StorageError =>
  cause === undefined ? { _tag: 'StorageError', message } : { _tag: 'StorageError', message, cause }

// Keeping passwords out of messages: a store is often named by a URL or a connection string that
// carries one, and an error message (or a log line quoting it) must say which store failed without
// giving the password away.

/**
 * `scheme://user:password@`, or `scheme:user:password@` as a mistyped URL may read. The password runs to
 * the last `@` of the word, so that one holding an unescaped `@` or `/` is masked whole; a quote ends it,
 * as a message may quote the URL.
 */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:(?:\/\/)?[^\s:@/?#"'`]*):[^\s"'`]*@/gi

/**
 * Any other `user:password@` of a word that reads as a URL (it holds `//` or opens with `scheme:/`), as a
 * URL mistyped past the first pattern may hold it (`postgres:/u:secret@host`, `postgres//u:secret@host`,
 * `postgres:///u:secret@host`, a SQLite "path" `//u:secret@host/x.db`): a user (no `:`, `@`, `/` or space)
 * after a `/`, `:`, `;` or `,`, then a password to the last `@` of the word; or a user opening the word,
 * whose password then does not open with `//` (`scheme://user@host` has none). A password already masked
 * is left. Other words (an id `urn:x:y@z`, a time `10:30@home`, a path) are not URLs and are kept.
 */
const LOOSE_PASSWORDS = [
  /([/:;,])([^\s:@/?#"'`;,=]+):([^\s"'`]*)@/g,
  /(^)([^\s:@/?#"'`;,=]+):((?!\/\/)[^\s"'`]*)@/g,
]
const URL_LIKE = /\/\/|^[a-z][a-z0-9+.-]*:\//i

/** `password=...` of a libpq key=value string, a URL query or an environment (`PGPASSWORD=`), quoted or not. */
const KEY_VALUE_PASSWORD = /(password\s*=\s*)(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&'"`]+)/gi

/**
 * The text with every password it holds replaced by `***`: the password of each URL
 * (`postgres://ketnap:***@db/ketnap`) and each `password=` setting (`host=db password=***`). Users, hosts
 * and the rest of the text are kept, so the message still names the store.
 */
export const redactCredentials = (text: string): string => {
  const masked = text.replace(URL_PASSWORD, '$1:***@').replace(/[^\s"'`]+/g, (word) => {
    if (!word.includes('@') || !URL_LIKE.test(word)) return word
    let out = word
    for (const pattern of LOOSE_PASSWORDS)
      out = out.replace(pattern, (whole, before: string, user: string, password: string) =>
        password === '***' || password.endsWith(':***') ? whole : `${before}${user}:***@`,
      )
    return out
  })
  return masked.replace(KEY_VALUE_PASSWORD, '$1***')
}
