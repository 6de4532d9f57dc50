/**
 * The error codes of the party development domain: every stable kebab-case `code` of a `DomainError`
 * (or `LineError`) the core returns, by where it comes from. The union types of the codes are derived
 * from these lists, so a code cannot be returned without being listed; docs/errors.md explains each
 * one, and a test keeps the two equal.
 */
import { RULES, type RuleCode } from './rules'

/** Every error code of the core, grouped by the function that returns it. */
export const CoreErrorCodes = {
  /** `decodeEvent`: an event's type and data from outside (an import line, a command). */
  decode: [
    'unknown-event-type',
    'missing-field',
    'unknown-field',
    'invalid-type',
    'invalid-enum',
    'invalid-date',
    'empty-string',
    'invalid-count',
    'invalid-target',
    'invalid-fraction',
    'invalid-year',
    'invalid-period',
    'invalid-instant',
  ],
  /** The validator (`checkEvent`, `validator`, `decide`): the rules of EVENTS.md, one code a rule (`RULES`). */
  rule: Object.keys(RULES) as ReadonlyArray<RuleCode>,
  /** `decide`: a command that names no action of the domain (its data is decoded and checked as above). */
  command: ['unknown-command'],
  /**
   * A report request (`decodeReportRequest`, the one codec of the command line and the ledger), and the
   * reports (`runReport`): a query they cannot answer.
   */
  reportQuery: [
    'unknown-report',
    'invalid-query',
    'invalid-date',
    'invalid-period',
    'invalid-occupation',
    'unknown-org',
  ],
  /** `sealPersonalData`, `openPersonalData`: the encrypted form of personal fields (personalData.ts). */
  personalData: ['person-erased', 'sealed-unreadable'],
} as const

/** Any error code of the core. */
export type CoreErrorCode = (typeof CoreErrorCodes)[keyof typeof CoreErrorCodes][number]

/** A code of `decodeEvent`. */
export type DecodeCode = (typeof CoreErrorCodes.decode)[number]

/** A code of `decide` for a command it does not know. */
export type CommandCode = (typeof CoreErrorCodes.command)[number]

/** A code of a report query the reports refuse. */
export type ReportQueryCode = (typeof CoreErrorCodes.reportQuery)[number]

/** A code of the encrypted form of personal fields. */
export type PersonalDataCode = (typeof CoreErrorCodes.personalData)[number]
