/**
 * The results of the reports of CLI.md: what projections answer and renderers draw. JSON-ready.
 * Every report carries the two clocks it was computed at.
 */

/** Names of the reports (`ketnap report NAME`). */
export const REPORT_NAMES = [
  'attainment',
  'blank-villages',
  'roll',
  'funnel',
  'training',
  'village-heads',
  'coverage',
  'organizations',
  'ratings',
] as const
/** The name of a report. */
export type ReportName = (typeof REPORT_NAMES)[number]

/** The reports that need a period (`--period`): asking one without it is a usage error. */
export const REPORTS_NEEDING_PERIOD: ReadonlyArray<ReportName> = [
  'attainment',
  'funnel',
  'training',
  'ratings',
]

/** What every report is asked: an organization, the business date, and the knowledge instant. */
export interface ReportQuery {
  readonly orgId: string
  /** Business date (YYYY-MM-DD) facts are cut at, by their `on`. */
  readonly asOf: string
  /** Keep only events recorded at or before this instant; absent: everything recorded. */
  readonly knownAt?: string
  /** Required by attainment, funnel and training. */
  readonly period?: string
  /** Attainment only: count only quotas and admissions of this occupation. */
  readonly occupation?: string
  /** Blank villages only: compare with this earlier date. */
  readonly since?: string
  /**
   * Also count, for the dates before each merge, the subtrees of the organizations dissolved into
   * `orgId` (`mergedInto`), directly or through others (`--include-merged`). Not the default: the
   * contract attributes every figure by the tree as it stood on the date.
   */
  readonly includeMerged?: boolean
}

/** Fields every report shares. */
export interface ReportBase {
  readonly orgId: string
  /** Name of the organization as registered. */
  readonly orgName: string
  readonly asOf: string
  readonly knownAt: string | null
  /** The published checkpoint of the log the report was computed at, when it was asked for one. */
  readonly checkpoint?: ReportCheckpoint
  /** The log position the report reflects and that event's hash (set by the ledger; absent from core's own runs). */
  readonly log?: ReportLog
  /**
   * With `includeMerged`: the organizations merged into this one whose subtrees were counted for the
   * dates before `until` (an empty list when none was merged into it). Absent otherwise.
   */
  readonly merged?: ReadonlyArray<MergedOrg>
}

/** An organization merged into a report's organization (hợp nhất), counted for the dates before `until`. */
export interface MergedOrg {
  readonly orgId: string
  readonly orgName: string
  /** Its merge date (or an earlier merge on its way into the report's organization): counted before it. */
  readonly until: string
}

/**
 * The point of the log a report reflects: the position the read model stood at, or the last event a
 * replay folded, and that event's chained hash (position 0 and `""` for an empty log).
 */
export interface ReportLog {
  readonly position: number
  readonly hash: string
}

/**
 * A published checkpoint a report was computed at: the log's origin, how many events the report read (the
 * first `size` of the log) and the RFC 9162 root over them, base64 as in the checkpoint's text.
 */
export interface ReportCheckpoint {
  readonly origin: string
  readonly size: number
  readonly rootHash: string
}

/** One quota of an organization and period (chỉ tiêu). */
export interface QuotaLine {
  readonly assignedBy: string
  /** Name of the assigning organization as registered; its id when the ledger does not know it. */
  readonly assignedByName: string
  readonly target: number
  /** admitted ÷ target, unrounded. */
  readonly rate: number
  readonly ref: string | null
}

/** One direct child's contribution to an attainment report. */
export interface AttainmentRow {
  readonly orgId: string
  readonly orgName: string
  /** The child's own quota for the period, chosen as EVENTS.md says; null without one. */
  readonly target: number | null
  /** Admissions attributed through this child to the report's organization. */
  readonly admitted: number
  /** admitted ÷ target, null without a quota. */
  readonly rate: number | null
}

/** Quota attainment (đạt ...% so với chỉ tiêu). */
export interface AttainmentReport extends ReportBase {
  readonly report: 'attainment'
  readonly period: string
  readonly occupation: string | null
  readonly target: number | null
  readonly admitted: number
  readonly rate: number | null
  readonly quotas: ReadonlyArray<QuotaLine>
  /** Admissions made by the organization itself, not through a child. */
  readonly direct: number
  /**
   * The sum of the quotas this organization handed down for the period (assigned by it to another
   * organization: Bạc Liêu's 391 against its own 270); sub-quotas are independent of its own target.
   */
  readonly subQuotaTotal: number
  /** Sorted by orgId. */
  readonly rows: ReadonlyArray<AttainmentRow>
}

/** Each village count ÷ the villages in scope; null when there are none. */
export interface VillageShares {
  readonly withOrganization: number | null
  readonly withoutOrganization: number | null
  readonly withoutMembers: number | null
}

/** Village counts on one date. */
export interface VillageCounts {
  readonly villages: number
  readonly withOrganization: number
  readonly withoutOrganization: number
  readonly withoutMembers: number
  /** Each count's share of `villages` (21,84 % without a party organization). */
  readonly shares: VillageShares
}

/** Blank villages (thôn, bản "trắng" đảng viên). */
export interface BlankVillagesReport extends ReportBase, VillageCounts {
  readonly report: 'blank-villages'
  readonly blankVillageIds: ReadonlyArray<string>
  /** Present with `since`. */
  readonly since?: string
  readonly before?: VillageCounts
  readonly cleared?: ReadonlyArray<string>
  readonly newlyBlank?: ReadonlyArray<string>
}

/** Members on the roll. */
export interface RollReport extends ReportBase {
  readonly report: 'roll'
  readonly members: number
  readonly official: number
  readonly probationary: number
  readonly female: number
  readonly ethnicMinority: number
  readonly under30: number
  /** Counts by occupation; members without a profile under `unknown`. */
  readonly byOccupation: Readonly<Record<string, number>>
  /**
   * Counts by religion as recorded in the profile (tôn giáo); members whose profile names none under
   * `none`, members without a profile under `unknown`.
   */
  readonly byReligion: Readonly<Record<string, number>>
  /** With a period: the same breakdowns for the members admitted in it (đảng viên mới kết nạp). */
  readonly admittedInPeriod?: RollAdmitted
}

/**
 * The members admitted in a period, attributed as attainment attributes them (through the hierarchy of
 * each admission date, annulled admissions left out), by the profile in force on the admission date.
 */
export interface RollAdmitted {
  readonly period: string
  /** Admissions in the period up to the as-of date: attainment's `admitted` without an occupation. */
  readonly admitted: number
  readonly female: number
  readonly ethnicMinority: number
  /** Under 30 in whole years on the admission date. */
  readonly under30: number
  /** Counts by occupation; admissions without a profile under `unknown`. */
  readonly byOccupation: Readonly<Record<string, number>>
  /** Counts by religion; `none` when the profile names none, `unknown` without a profile. */
  readonly byReligion: Readonly<Record<string, number>>
}

/** The steps of the pipeline in their order, between which the funnel gives conversions. */
export const FUNNEL_CHAIN = [
  'nominated',
  'trained',
  'verified',
  'cellApproved',
  'decided',
  'admitted',
  'confirmed',
] as const
/** A step of the chain. */
export type FunnelChainStep = (typeof FUNNEL_CHAIN)[number]

/** From one step to the next: how many of those at the first went on to the next, and how fast. */
export interface FunnelConversion {
  readonly from: FunnelChainStep
  readonly to: FunnelChainStep
  /** Persons at `from` in the period (the step's count). */
  readonly persons: number
  /** Of them, those with a record of `to` on or after it, up to the as-of date. */
  readonly converted: number
  /** converted ÷ persons, null when none: between 0 and 1. */
  readonly rate: number | null
  /** The median of the working days from `from` to `to` of those converted; null when none. */
  readonly medianWorkingDays: number | null
}

/** Who is past each deadline of the policy on the as-of date (sorted ids). */
export interface OverdueByKind {
  /** A passing cell vote with no admission decision after the decision deadline and its extension. */
  readonly decision: ReadonlyArray<string>
  /** An admission decision with no ceremony after the ceremony deadline. */
  readonly ceremony: ReadonlyArray<string>
  /** Probation over with no confirmation after the confirmation deadline (`overdue`). */
  readonly confirmation: ReadonlyArray<string>
  /** A candidate not yet admitted whose awareness class certificate has expired. */
  readonly certificate: ReadonlyArray<string>
}

/** The candidate pipeline. */
export interface FunnelReport extends ReportBase {
  readonly report: 'funnel'
  readonly period: string
  readonly nominated: number
  readonly trained: number
  readonly verified: number
  readonly cellApproved: number
  readonly decided: number
  readonly admitted: number
  readonly confirmed: number
  readonly closed: number
  /** Probationary members past their confirmation deadline, sorted. */
  readonly overdue: ReadonlyArray<string>
  /** Every deadline of the policy: who is past it on the as-of date. */
  readonly overdueByKind: OverdueByKind
  /** Between each step of the chain and the next. */
  readonly conversion: ReadonlyArray<FunnelConversion>
}

/** Awareness classes held. */
export interface TrainingReport extends ReportBase {
  readonly report: 'training'
  readonly period: string
  readonly classes: number
  readonly trainees: number
}

/** Village heads who are members. */
export interface VillageHeadsReport extends ReportBase {
  readonly report: 'village-heads'
  readonly villagesWithHead: number
  readonly headsWhoAreMembers: number
  readonly share: number | null
  /**
   * The target for this share in force on the date (TargetSet "village-heads-members-share": Kon Tum's
   * 90 %), set by the organization or else its nearest ancestor; null without one.
   */
  readonly target: number | null
  /** Who set the target and its reference, when there is one. */
  readonly targetSetBy: string | null
  readonly targetRef: string | null
  /** share ≥ target; null without a target or a share. */
  readonly met: boolean | null
}

/** Units with and without a grassroots organization. */
export interface CoverageReport extends ReportBase {
  readonly report: 'coverage'
  readonly units: number
  readonly withOrganization: number
  readonly withoutOrganization: number
  /** Each count's share of `units` (77,71 % and 22,29 %); null when there are none. */
  readonly shares: {
    readonly withOrganization: number | null
    readonly withoutOrganization: number | null
  }
}

/** The two forms of a grassroots organization: đảng bộ cơ sở (with cells under it) and chi bộ cơ sở. */
export type GrassrootsForm = 'committee' | 'cell'

/** One grassroots organization of an organizations report. */
export interface OrganizationRow {
  readonly orgId: string
  readonly name: string
  /** `committee` when cells sit under it on the date, else `cell`. */
  readonly form: GrassrootsForm
  /** The kind of the unit it sits in; null without a unit. */
  readonly unitKind: string | null
  /** Active cells under it on the date. */
  readonly cells: number
  /** Active members whose headcount organization is it or under it on the date. */
  readonly members: number
}

/** Grassroots party organizations in scope (tổ chức cơ sở đảng): by form, by kind of unit, cells, members. */
export interface OrganizationsReport extends ReportBase {
  readonly report: 'organizations'
  readonly grassroots: number
  readonly byForm: { readonly committee: number; readonly cell: number }
  /** Counts by the kind of unit they sit in; `none` for those without a unit. */
  readonly byUnitKind: Readonly<Record<string, number>>
  /** Cells under them. */
  readonly cells: number
  /** Members held by them (the sum of the rows). */
  readonly members: number
  /** Sorted by orgId. */
  readonly rows: ReadonlyArray<OrganizationRow>
}

/** One rated organization of a ratings report. */
export interface RatingRow {
  readonly orgId: string
  readonly name: string
  /** Its rating for the year, as last known (excellent, good, fulfilled, not-fulfilled). */
  readonly rating: string
  /** Its quota attainment for that year (admitted ÷ target, as attainment computes it); null without a quota. */
  readonly rate: number | null
}

/** Ratings of organizations for a year (đánh giá, xếp loại tổ chức đảng), with quota attainment beside each. */
export interface RatingsReport extends ReportBase {
  readonly report: 'ratings'
  /** The year (YYYY). */
  readonly period: string
  readonly rated: number
  /** Counts by rating: every rating of the catalog, 0 when none. */
  readonly byRating: Readonly<Record<string, number>>
  /** Each count ÷ `rated`; null when none was rated. */
  readonly shares: Readonly<Record<string, number | null>>
  /** Sorted by orgId. */
  readonly rows: ReadonlyArray<RatingRow>
}

/** Any report result. */
export type Report =
  | AttainmentReport
  | BlankVillagesReport
  | RollReport
  | FunnelReport
  | TrainingReport
  | VillageHeadsReport
  | CoverageReport
  | OrganizationsReport
  | RatingsReport
