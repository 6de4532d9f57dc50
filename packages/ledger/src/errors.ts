/**
 * The ledger's errors: values with a `_tag` and a stable kebab-case `code`, never thrown. Import
 * failures are the kernel importer's.
 */
import {
  domainError,
  type DomainError,
  type ForbiddenError,
  type ImportFailure,
  type KeyError,
  type StoreError,
} from '@ketnap/kernel'

/**
 * The codes of the `DomainError`s the ledger itself returns (the rest are the kernel's and the core's,
 * passed through). docs/errors.md explains each one, and a test keeps the two equal.
 */
export const LedgerErrorCodes = [
  'unknown-person',
  'unreadable-input',
  'stored-event-invalid',
  'log-too-short',
] as const

/** A code of a `DomainError` the ledger itself returns. */
export type LedgerErrorCode = (typeof LedgerErrorCodes)[number]

/** An error of the ledger itself: its code is listed in `LedgerErrorCodes`. */
const ledgerError = (code: LedgerErrorCode, message: string, path?: string): DomainError =>
  domainError(code, message, path)

/**
 * Every error a ledger call can return: a rule or lookup (`DomainError`), the store, an import, or the
 * access policy's refusal (`ForbiddenError`), or the master key of an encrypted store (`KeyError`).
 */
export type LedgerError = DomainError | StoreError | ImportFailure | ForbiddenError | KeyError

/** The error of `history` for a person the log does not know. */
export const unknownPerson = (personId: string): DomainError =>
  ledgerError('unknown-person', `no event of person ${JSON.stringify(personId)} is recorded`, 'personId')

/** The error of `report` asked `atPosition` beyond the log's end (a checkpoint larger than the log). */
export const logTooShort = (atPosition: number, head: number): DomainError =>
  ledgerError(
    'log-too-short',
    `the report is asked at position ${atPosition}, but the log has ${head} event(s)`,
    'atPosition',
  )

/**
 * The error of `importEvents` when the lines themselves cannot be read (a directory, an I/O error, a
 * line longer than a string can hold): the import stops before anything is written.
 */
export const unreadableInput = (cause: unknown): DomainError =>
  ledgerError(
    'unreadable-input',
    `the lines could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
  )

/** How many lines an import refused: a line breaking several rules has several errors but counts once. */
export const invalidLineCount = (failure: ImportFailure): number =>
  new Set(failure.errors.map((e) => e.line)).size

/** A one-line description of any ledger error, for logs and the command line. */
export const describeLedgerError = (error: LedgerError): string => {
  switch (error._tag) {
    case 'DomainError':
      return `${error.code}: ${error.message}`
    case 'ImportFailure':
      return `${error.code}: ${invalidLineCount(error)} invalid line(s)`
    case 'ConcurrencyError':
      return `concurrency: stream ${error.stream} is at version ${error.actualVersion}, expected ${error.expectedVersion}`
    case 'RecordClockError':
    case 'InvalidEventError':
    case 'ForbiddenError':
    case 'KeyError':
      return `${error.code}: ${error.message}`
    case 'StorageError':
      return `storage: ${error.message}`
  }
}
