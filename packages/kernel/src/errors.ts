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
