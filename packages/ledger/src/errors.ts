/**
 * The ledger's errors: values with a `_tag` and a stable kebab-case `code`, never thrown.
 */
import { domainError, type DomainError, type StoreError } from '@ketnap/kernel'

/** One invalid line of an import: its 1-based physical line number, the rule code and why. */
export interface LineError {
  readonly line: number
  readonly code: string
  readonly message: string
  /** Path of the offending field, when there is one. */
  readonly path?: string
}

/** An import refused as a whole because some lines are invalid; nothing was written. */
export interface ImportFailure {
  readonly _tag: 'ImportFailure'
  readonly code: 'invalid-lines'
  /** Every invalid line, in line order. */
  readonly errors: ReadonlyArray<LineError>
}

/** Every error a ledger call can return: a rule or lookup (`DomainError`), the store, or an import. */
export type LedgerError = DomainError | StoreError | ImportFailure

/** Builds an ImportFailure. */
export const importFailure = (errors: ReadonlyArray<LineError>): ImportFailure => ({
  _tag: 'ImportFailure',
  code: 'invalid-lines',
  errors,
})

/** The error of `history` for a person the log does not know. */
export const unknownPerson = (personId: string): DomainError =>
  domainError('unknown-person', `no event of person ${JSON.stringify(personId)} is recorded`, 'personId')

/** A one-line description of any ledger error, for logs and the command line. */
export const describeLedgerError = (error: LedgerError): string => {
  switch (error._tag) {
    case 'DomainError':
      return `${error.code}: ${error.message}`
    case 'ImportFailure':
      return `${error.code}: ${error.errors.length} invalid line(s)`
    case 'ConcurrencyError':
      return `concurrency: stream ${error.stream} is at version ${error.actualVersion}, expected ${error.expectedVersion}`
    case 'RecordClockError':
    case 'InvalidEventError':
      return `${error.code}: ${error.message}`
    case 'StorageError':
      return `storage: ${error.message}`
  }
}
