/**
 * @ketnap/ledger: the one entry point applications embed, a thin layer over the kernel and the core
 * with the store and the domain injected.
 */
export {
  createLedger,
  type Ledger,
  type LedgerOptions,
  type ExecuteOptions,
  type ImportOptions,
  type ImportSummary,
  type ReportOptions,
  type VerifyOptions,
  type ExportItem,
  type OnProgress,
} from './ledger'
export {
  importFailure,
  unknownPerson,
  describeLedgerError,
  type ImportFailure,
  type LedgerError,
  type LineError,
} from './errors'
export { exportLine } from './exportLine'
export { vietnamDateOf } from './businessDate'
