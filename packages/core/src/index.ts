/**
 * @ketnap/core: the pure domain of party member development (phát triển đảng viên). Every export is
 * named here; the rules' machinery (the validator's world, its helpers, the holiday table) lives under
 * `src/internal/` or stays unexported, so it is neither part of the API nor in the declarations.
 */

// Values and their codecs.
export {
  isLocalDate,
  LocalDate,
  isInstant,
  Instant,
  NonEmptyString,
  OrgId,
  PersonId,
  UnitId,
  VillageId,
  Count,
  PositiveCount,
  Fraction,
  Year,
  parsePeriod,
  Period,
} from './primitives'
export type { PeriodRange } from './primitives'

// The events of EVENTS.md: one codec and type per event, the enumerations they use, and the union.
export {
  OrgLevel,
  UnitKind,
  NominatedBy,
  Sex,
  Occupation,
  OCCUPATIONS,
  VerificationOutcome,
  ClosureReason,
  MemberStatus,
  LeaveReason,
  Indicator,
  Rating,
  Profile,
  OrganizationRegistered,
  OrganizationMoved,
  OrganizationDissolved,
  UnitRegistered,
  UnitMoved,
  UnitRetired,
  VillageRegistered,
  VillageRetired,
  CandidateNominated,
  AwarenessClassCompleted,
  BackgroundVerified,
  CellVoted,
  CommitteeVoted,
  AdmissionDecided,
  MemberAdmitted,
  MembershipConfirmed,
  CandidacyClosed,
  AdmissionAnnulled,
  ExistingMemberRegistered,
  MemberTransferred,
  MemberMoved,
  MemberLeft,
  QuotaAssigned,
  QuotaRevised,
  TargetSet,
  AwarenessClassHeld,
  VillageHeadAppointed,
  OrganizationRated,
  EVENT_CODECS,
  EVENT_TYPES,
  DomainEvent,
} from './events'
export type { EventType, EventOf } from './events'
export { decodeEvent } from './decode'
export { streamOf, businessDateOf } from './streams'

// The reports.
export { REPORT_NAMES, REPORTS_NEEDING_PERIOD, FUNNEL_CHAIN } from './reports'
export {
  ReportNameCodec,
  ReportQueryCodec,
  decodeAskedReport,
  decodeReportRequest,
  type AskedReportQuery,
  type ReportQueryError,
  type ReportQueryField,
  type ReportRequest,
} from './reportQuery'
export type {
  ReportName,
  ReportQuery,
  ReportBase,
  ReportCheckpoint,
  ReportLog,
  MergedOrg,
  RollAdmitted,
  QuotaLine,
  AttainmentRow,
  AttainmentReport,
  VillageCounts,
  VillageShares,
  BlankVillagesReport,
  RollReport,
  FunnelReport,
  FunnelChainStep,
  FunnelConversion,
  OverdueByKind,
  TrainingReport,
  VillageHeadsReport,
  CoverageReport,
  GrassrootsForm,
  OrganizationRow,
  OrganizationsReport,
  RatingRow,
  RatingsReport,
  Report,
} from './reports'
export { reportsProjection, foldReports, runReport } from './projections/reportsProjection'
export type { ReportsState } from './projections/state'
export { reportsReadModel, type ReportsReadModel } from './readModel/reportsReadModel'
export {
  READ_MODEL_REPORTS,
  TAIL_REPORTS,
  type ReadBounds,
  type ReportLoad,
  type ReportTail,
} from './readModel/load'
export { REPORTS_TABLES } from './readModel/tables'
export { agedOn, servedOn } from './readModel/writes'
export type { ReportsPolicy } from './projections/context'
export { attainment } from './projections/attainment'
export { blankVillages } from './projections/blankVillages'
export { roll } from './projections/roll'
export { funnel } from './projections/funnel'
export { training } from './projections/training'
export { villageHeads } from './projections/villageHeads'
export { coverage } from './projections/coverage'
export { organizations } from './projections/organizations'
export { ratings } from './projections/ratings'

// The business calendar and the policy the rules and reports read.
export {
  vietnamDateOf,
  formatDate,
  daysInMonth,
  addMonths,
  addDays,
  dayOfWeek,
  ageInMonths,
  ageInYears,
  isWorkingDay,
  addWorkingDays,
  workingDaysBetween,
  vietnameseHolidays,
} from './calendar'
export type { Holidays } from './calendar'
export { defaultPolicy, defaultPolicies, policy24, policy232, policy294, policyOn } from './policy'
export type { Majority, Policies, Policy } from './policy'

// The rules, commands and the domain value the kernel and the ledger take.
export { RULES } from './rules'
export type { RuleCode } from './rules'
export { CoreErrorCodes } from './errorCodes'
export type { CoreErrorCode, DecodeCode, CommandCode, ReportQueryCode, PersonalDataCode } from './errorCodes'
export type { BirthDateKeeping, KeptBirthDate, WorldState } from './internal/world'
export { validator } from './validator'
export { COMMAND_EVENT, COMMAND_OF_EVENT, commandData, commandOf } from './commands'
export type { CommandKind, CommandOf, Command } from './commands'
export { decide, partyDecider } from './decider'
export { partyDevelopment } from './domain'
export type { PartyDevelopmentOptions, PartyDevelopment } from './domain'
// Who may record and read what.
export { partyAccess } from './access'
export type { PartyRead } from './access'
// Personal data and its encrypted stored form (crypto-shredding).
export {
  ENCRYPTED_SCHEMA_VERSION,
  ERASED_FIELD,
  Erased,
  PERSONAL_FIELDS,
  SEALED_FIELD,
  hasPersonalFields,
  openPersonalData,
  personOfData,
  sealPersonalData,
} from './personalData'
export type { OpenedData, PersonalCipher, PersonalFields } from './personalData'
export { withEncryptedPersonalData, sealedBirthDates, KEYS_READ_BY_RULES } from './encryptedDomain'
