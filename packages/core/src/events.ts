/**
 * The event catalog of EVENTS.md as io-ts codecs: every event type, exactly as named there.
 * Each codec shares its name with its type; `DomainEvent` is the union of them all.
 */
import * as t from 'io-ts'
import {
  Count,
  enumeration,
  Fraction,
  LocalDate,
  NonEmptyString,
  OrgId,
  Period,
  PersonId,
  PositiveCount,
  UnitId,
  VillageId,
  Year,
} from './primitives'

/** An event codec: `{ type, data }` with the data's required and optional fields. */
const event = <T extends string, R extends t.Props, O extends t.Props>(type: T, required: R, optional: O) =>
  t.type(
    {
      type: t.literal(type),
      data: t.exact(t.intersection([t.type(required), t.partial(optional)]), `${type}Data`),
    },
    type,
  )

// ---------------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------------

/** Levels of the hierarchy (cấp): trung ương, tỉnh, huyện, khối, cơ sở, chi bộ. */
export const OrgLevel = enumeration(
  ['central', 'province', 'district', 'bloc', 'grassroots', 'cell'],
  'OrgLevel',
)
/** A level of the hierarchy. */
export type OrgLevel = t.TypeOf<typeof OrgLevel>

/** Kinds of unit: xã/phường/thị trấn, cơ quan, doanh nghiệp, trường học, lực lượng vũ trang, khác. */
export const UnitKind = enumeration(
  ['commune', 'agency', 'enterprise', 'school', 'armed-forces', 'other'],
  'UnitKind',
)
/** A kind of unit. */
export type UnitKind = t.TypeOf<typeof UnitKind>

/** Who nominated a candidate: Đoàn thanh niên, Công đoàn, đảng viên, khác. */
export const NominatedBy = enumeration(['youth-union', 'trade-union', 'members', 'other'], 'NominatedBy')
/** Who nominated a candidate. */
export type NominatedBy = t.TypeOf<typeof NominatedBy>

/** Sex (giới tính). */
export const Sex = enumeration(['female', 'male'], 'Sex')
/** Sex. */
export type Sex = t.TypeOf<typeof Sex>

/** Occupations that reports break down by (học sinh sinh viên, công nhân khu vực tư nhân, ...). */
export const Occupation = enumeration(
  ['student', 'private-sector-worker', 'public-servant', 'armed-forces', 'farmer', 'other'],
  'Occupation',
)
/** An occupation. */
export type Occupation = t.TypeOf<typeof Occupation>

/** The occupations, in catalog order. */
export const OCCUPATIONS: ReadonlyArray<Occupation> = Object.keys(Occupation.keys) as Occupation[]

/** Verification outcome (kết quả thẩm tra lý lịch). */
export const VerificationOutcome = enumeration(['cleared', 'not-cleared'], 'VerificationOutcome')
/** A verification outcome. */
export type VerificationOutcome = t.TypeOf<typeof VerificationOutcome>

/** Why a candidacy closed. */
export const ClosureReason = enumeration(['withdrawn', 'rejected', 'not-eligible'], 'ClosureReason')
/** Why a candidacy closed. */
export type ClosureReason = t.TypeOf<typeof ClosureReason>

/** Membership status of an existing member. */
export const MemberStatus = enumeration(['probationary', 'official'], 'MemberStatus')
/** Membership status. */
export type MemberStatus = t.TypeOf<typeof MemberStatus>

/** Why a member left the rolls: không được công nhận, xóa tên, khai trừ, xin ra khỏi Đảng, từ trần. */
export const LeaveReason = enumeration(
  ['not-confirmed', 'struck-off', 'expelled', 'resigned', 'deceased'],
  'LeaveReason',
)
/** Why a member left. */
export type LeaveReason = t.TypeOf<typeof LeaveReason>

/** Indicators a target can be set for. */
export const Indicator = enumeration(
  ['villages-with-members-share', 'village-heads-members-share', 'blank-villages-yearly-reduction'],
  'Indicator',
)
/** An indicator. */
export type Indicator = t.TypeOf<typeof Indicator>

/** Yearly ratings (xếp loại): hoàn thành xuất sắc, tốt, hoàn thành, không hoàn thành nhiệm vụ. */
export const Rating = enumeration(['excellent', 'good', 'fulfilled', 'not-fulfilled'], 'Rating')
/** A yearly rating. */
export type Rating = t.TypeOf<typeof Rating>

/** A person's profile (lý lịch): what the roll breaks down by. */
export const Profile = t.exact(
  t.intersection([
    t.type({ birthDate: LocalDate, sex: Sex, ethnicMinority: t.boolean, occupation: Occupation }),
    t.partial({ ethnicity: NonEmptyString, religion: NonEmptyString }),
  ]),
  'Profile',
)
/** A person's profile. */
export type Profile = t.TypeOf<typeof Profile>

/**
 * A profile whose personal fields were erased (the person forgotten, their key destroyed: D29, D34):
 * what a stored profile reads back as, never what an input may state (`erased` is an unknown field
 * there). Sex and occupation are not personal fields and stay.
 */
export const ErasedProfile = t.exact(
  t.type({ erased: t.literal(true), sex: Sex, occupation: Occupation }),
  'ErasedProfile',
)
/** A profile whose personal fields were erased. */
export type ErasedProfile = t.TypeOf<typeof ErasedProfile>

/** A profile as events hold it: in clear, or erased. */
export const StoredProfile = t.union([Profile, ErasedProfile], 'StoredProfile')
/** A profile as events hold it. */
export type StoredProfile = t.TypeOf<typeof StoredProfile>

/** Whether a profile's personal fields were erased. */
export const isErased = (profile: StoredProfile): profile is ErasedProfile => 'erased' in profile

// ---------------------------------------------------------------------------------------------
// Organizations and geography
// ---------------------------------------------------------------------------------------------

/** An organization joins the hierarchy. */
export const OrganizationRegistered = event(
  'OrganizationRegistered',
  { orgId: OrgId, name: NonEmptyString, level: OrgLevel, parentId: t.union([OrgId, t.null]), on: LocalDate },
  { unitId: UnitId, villageId: VillageId },
)
export type OrganizationRegistered = t.TypeOf<typeof OrganizationRegistered>

/** An organization is moved under another parent. */
export const OrganizationMoved = event(
  'OrganizationMoved',
  { orgId: OrgId, parentId: OrgId, on: LocalDate },
  {},
)
export type OrganizationMoved = t.TypeOf<typeof OrganizationMoved>

/** An organization is dissolved, possibly merged into another. */
export const OrganizationDissolved = event(
  'OrganizationDissolved',
  { orgId: OrgId, on: LocalDate },
  { mergedInto: OrgId },
)
export type OrganizationDissolved = t.TypeOf<typeof OrganizationDissolved>

/** A unit (commune, agency, enterprise...) is registered under a district-level or bloc organization. */
export const UnitRegistered = event(
  'UnitRegistered',
  { unitId: UnitId, name: NonEmptyString, kind: UnitKind, orgId: OrgId, on: LocalDate },
  {},
)
export type UnitRegistered = t.TypeOf<typeof UnitRegistered>

/** A unit falls under another organization. */
export const UnitMoved = event('UnitMoved', { unitId: UnitId, orgId: OrgId, on: LocalDate }, {})
export type UnitMoved = t.TypeOf<typeof UnitMoved>

/** A unit is retired, possibly merged into another. */
export const UnitRetired = event('UnitRetired', { unitId: UnitId, on: LocalDate }, { mergedInto: UnitId })
export type UnitRetired = t.TypeOf<typeof UnitRetired>

/** A village (thôn, bản) is registered in its commune. */
export const VillageRegistered = event(
  'VillageRegistered',
  { villageId: VillageId, name: NonEmptyString, unitId: UnitId, on: LocalDate },
  {},
)
export type VillageRegistered = t.TypeOf<typeof VillageRegistered>

/** A village is retired, possibly merged into another. */
export const VillageRetired = event(
  'VillageRetired',
  { villageId: VillageId, on: LocalDate },
  { mergedInto: VillageId },
)
export type VillageRetired = t.TypeOf<typeof VillageRetired>

// ---------------------------------------------------------------------------------------------
// A person
// ---------------------------------------------------------------------------------------------

/** A candidate (quần chúng ưu tú) is nominated to a cell. */
export const CandidateNominated = event(
  'CandidateNominated',
  { personId: PersonId, orgId: OrgId, nominatedBy: NominatedBy, profile: StoredProfile, on: LocalDate },
  { villageId: VillageId, ageException: NonEmptyString, readmissionApproval: NonEmptyString },
)
export type CandidateNominated = t.TypeOf<typeof CandidateNominated>

/** The candidate passed the awareness class (lớp bồi dưỡng nhận thức về Đảng). */
export const AwarenessClassCompleted = event(
  'AwarenessClassCompleted',
  { personId: PersonId, certificateNo: NonEmptyString, on: LocalDate },
  { classId: NonEmptyString },
)
export type AwarenessClassCompleted = t.TypeOf<typeof AwarenessClassCompleted>

/** Background verification (thẩm tra lý lịch) ended. */
export const BackgroundVerified = event(
  'BackgroundVerified',
  { personId: PersonId, outcome: VerificationOutcome, on: LocalDate },
  {},
)
export type BackgroundVerified = t.TypeOf<typeof BackgroundVerified>

/** The cell voted on the admission (6-KNĐ). */
export const CellVoted = event(
  'CellVoted',
  { personId: PersonId, inFavour: Count, eligible: Count, on: LocalDate },
  {},
)
export type CellVoted = t.TypeOf<typeof CellVoted>

/** The grassroots committee voted on the admission (8-KNĐ). */
export const CommitteeVoted = event(
  'CommitteeVoted',
  { personId: PersonId, inFavour: Count, eligible: Count, on: LocalDate },
  {},
)
export type CommitteeVoted = t.TypeOf<typeof CommitteeVoted>

/** The competent committee decided the admission (9-KNĐ). */
export const AdmissionDecided = event(
  'AdmissionDecided',
  { personId: PersonId, decisionNo: NonEmptyString, decidedBy: OrgId, on: LocalDate },
  {},
)
export type AdmissionDecided = t.TypeOf<typeof AdmissionDecided>

/** The admission ceremony (kết nạp): a probationary member; counts toward a quota. */
export const MemberAdmitted = event('MemberAdmitted', { personId: PersonId, orgId: OrgId, on: LocalDate }, {})
export type MemberAdmitted = t.TypeOf<typeof MemberAdmitted>

/** Recognition as an official member (công nhận đảng viên chính thức). */
export const MembershipConfirmed = event(
  'MembershipConfirmed',
  { personId: PersonId, on: LocalDate },
  { decisionNo: NonEmptyString },
)
export type MembershipConfirmed = t.TypeOf<typeof MembershipConfirmed>

/** A candidacy ends without admission. */
export const CandidacyClosed = event(
  'CandidacyClosed',
  { personId: PersonId, reason: ClosureReason, on: LocalDate },
  {},
)
export type CandidacyClosed = t.TypeOf<typeof CandidacyClosed>

/** An admission is annulled: void for every report that knows of this event. */
export const AdmissionAnnulled = t.type(
  {
    type: t.literal('AdmissionAnnulled'),
    // The reason is free text about the person: read back erased once the person is forgotten.
    data: t.intersection(
      [
        t.type({ personId: PersonId, on: LocalDate }),
        t.union([t.type({ reason: NonEmptyString }), t.type({ erased: t.literal(true) })]),
      ],
      'AdmissionAnnulledData',
    ),
  },
  'AdmissionAnnulled',
)
export type AdmissionAnnulled = t.TypeOf<typeof AdmissionAnnulled>

/** A member from older records joins the roll. */
export const ExistingMemberRegistered = event(
  'ExistingMemberRegistered',
  { personId: PersonId, orgId: OrgId, status: MemberStatus, admittedOn: LocalDate, on: LocalDate },
  { villageId: VillageId, profile: StoredProfile },
)
export type ExistingMemberRegistered = t.TypeOf<typeof ExistingMemberRegistered>

/** A member transfers (chuyển sinh hoạt đảng), officially or temporarily. */
export const MemberTransferred = event(
  'MemberTransferred',
  { personId: PersonId, toOrgId: OrgId, on: LocalDate },
  { temporary: t.boolean },
)
export type MemberTransferred = t.TypeOf<typeof MemberTransferred>

/** A member or candidate moves to another village (null: outside any recorded village). */
export const MemberMoved = event(
  'MemberMoved',
  { personId: PersonId, villageId: t.union([VillageId, t.null]), on: LocalDate },
  {},
)
export type MemberMoved = t.TypeOf<typeof MemberMoved>

/** A member leaves the rolls. */
export const MemberLeft = event('MemberLeft', { personId: PersonId, reason: LeaveReason, on: LocalDate }, {})
export type MemberLeft = t.TypeOf<typeof MemberLeft>

// ---------------------------------------------------------------------------------------------
// Quotas and targets
// ---------------------------------------------------------------------------------------------

/** A quota (chỉ tiêu) of admissions for an organization and period. */
export const QuotaAssigned = event(
  'QuotaAssigned',
  { orgId: OrgId, period: Period, target: PositiveCount, assignedBy: OrgId, on: LocalDate },
  { ref: NonEmptyString, occupation: Occupation },
)
export type QuotaAssigned = t.TypeOf<typeof QuotaAssigned>

/** A quota is revised. */
export const QuotaRevised = event(
  'QuotaRevised',
  { orgId: OrgId, period: Period, target: PositiveCount, reason: NonEmptyString, on: LocalDate },
  { assignedBy: OrgId, occupation: Occupation },
)
export type QuotaRevised = t.TypeOf<typeof QuotaRevised>

/** A target for an indicator. */
export const TargetSet = event(
  'TargetSet',
  { orgId: OrgId, indicator: Indicator, period: Period, value: Fraction, on: LocalDate },
  { ref: NonEmptyString },
)
export type TargetSet = t.TypeOf<typeof TargetSet>

// ---------------------------------------------------------------------------------------------
// Training, village heads, ratings
// ---------------------------------------------------------------------------------------------

/** An awareness class was held (lớp bồi dưỡng nhận thức về Đảng). */
export const AwarenessClassHeld = event(
  'AwarenessClassHeld',
  { classId: NonEmptyString, orgId: OrgId, from: LocalDate, to: LocalDate, trainees: Count },
  { audience: NonEmptyString },
)
export type AwarenessClassHeld = t.TypeOf<typeof AwarenessClassHeld>

/** A village head (thôn trưởng, tổ trưởng tổ dân phố) is appointed. */
export const VillageHeadAppointed = event(
  'VillageHeadAppointed',
  { villageId: VillageId, personId: PersonId, on: LocalDate },
  {},
)
export type VillageHeadAppointed = t.TypeOf<typeof VillageHeadAppointed>

/** An organization's yearly rating (đánh giá, xếp loại). */
export const OrganizationRated = event(
  'OrganizationRated',
  { orgId: OrgId, year: Year, rating: Rating, on: LocalDate },
  {},
)
export type OrganizationRated = t.TypeOf<typeof OrganizationRated>

/**
 * A person is forgotten (quyền xóa dữ liệu cá nhân, Decree 13/2023/NĐ-CP): their key is destroyed, so
 * the personal fields of their events read back erased from then on, in every view of the log. Not an
 * event of EVENTS.md (D34): recorded in the chain so that who erased whom, when and why stays on the
 * record. `reason` is the request's ground (e.g. a reference to the person's request), not personal data.
 */
export const PersonForgotten = event(
  'PersonForgotten',
  { personId: PersonId, on: LocalDate },
  { reason: NonEmptyString },
)
export type PersonForgotten = t.TypeOf<typeof PersonForgotten>

/** Every event codec by type name. */
export const EVENT_CODECS = {
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
  PersonForgotten,
} as const

/** The name of an event type. */
export type EventType = keyof typeof EVENT_CODECS

/** Every event type name, in catalog order. */
export const EVENT_TYPES = Object.keys(EVENT_CODECS) as EventType[]

/** Any event of the catalog. */
export const DomainEvent = t.union(
  [
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
    PersonForgotten,
  ],
  'DomainEvent',
)
/** Any event of the catalog. */
export type DomainEvent = t.TypeOf<typeof DomainEvent>

/** The event of a given type. */
export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>
