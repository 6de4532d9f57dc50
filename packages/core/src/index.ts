/**
 * @ketnap/core: the pure domain of party member development (phát triển đảng viên).
 */
export * from './primitives'
export * from './events'
export * from './reports'
export { reportsProjection, foldReports, runReport } from './projections/reportsProjection'
export type { ReportsState } from './projections/state'
export type { ReportsPolicy } from './projections/context'
export { attainment } from './projections/attainment'
export { blankVillages } from './projections/blankVillages'
export { roll } from './projections/roll'
export { funnel } from './projections/funnel'
export { training } from './projections/training'
export { villageHeads } from './projections/villageHeads'
export { coverage } from './projections/coverage'
export * from './calendar'
export * from './policy'
export * from './decode'
export * from './streams'
export * from './jsonl'
export * from './rules'
export { CoreErrorCodes } from './errorCodes'
export type {
  CoreErrorCode,
  DecodeCode,
  CommandCode,
  ReportQueryCode,
  ImportLineParseCode,
} from './errorCodes'
export * from './world'
export * from './validator'
export * from './commands'
export * from './decider'
export * from './domain'
