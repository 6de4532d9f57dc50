/**
 * @ketnap/ledger: the one entry point applications embed, a thin layer over the kernel and the core
 * with the store and the domain injected: `createLedger` for the party development domain, and
 * `createDomainLedger` for any domain that answers reports (the kernel's `ReportingDomain`).
 */
export {
  createLedger,
  createDomainLedger,
  type Ledger,
  type LedgerOptions,
  type DomainLedger,
  type DomainLedgerOptions,
  type ReportControl,
  type ExecuteOptions,
  type ImportOptions,
  type ForgetOptions,
  type ReportOptions,
  type VerifyOptions,
  type ExportItem,
  type ExportOptions,
  type OnProgress,
} from './ledger'
export {
  LedgerErrorCodes,
  type LedgerErrorCode,
  unknownPerson,
  unreadableInput,
  invalidLineCount,
  describeLedgerError,
  type LedgerError,
} from './errors'
/** Re-exported from the kernel: what an import wrote, and why one was refused. */
export type { ImportSummary, ImportFailure, LineError } from '@ketnap/kernel'
/** Re-exported from the kernel: the actor of every call, and the access policy's refusal. */
export { owner, boundActor, DEFAULT_CACHED_KEYS, DEFAULT_WRITE_STATE_CACHE_ENTRIES } from '@ketnap/kernel'
export type { Actor, Owner, BoundActor, ForbiddenError } from '@ketnap/kernel'
/** Re-exported from the kernel: the master key of an encrypted store, and why one is refused. */
export { masterKey } from '@ketnap/kernel'
export type { MasterKey, KeyError } from '@ketnap/kernel'
export { exportLine } from './exportLine'
export type { FollowOptions, Follower } from './follow'
export type { ReadModelsStatus } from './readModels'
export { vietnamDateOf } from './businessDate'
