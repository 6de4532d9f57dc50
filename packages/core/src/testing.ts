/**
 * @ketnap/core/testing: generators of valid party development histories (fast-check), for the property
 * tests of other packages, e.g. that the reports read from a store's read model equal the replay.
 */
export {
  GENESIS,
  historyArb,
  mergeDistricts,
  type MergedHistory,
  envelopesOf,
  interleave,
  record,
  type GeneratedHistory,
  type HistoryModel,
  type ModelAdmission,
  type ModelMember,
} from './internal/testing/histories'
