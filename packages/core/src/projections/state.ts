/**
 * The state of the reports projection: the histories every report of CLI.md reads, kept as plain
 * mutable maps and arrays, every fact stamped with its business date and the instant it was recorded.
 */
import type { Json } from '@ketnap/kernel'
import type { Indicator, OrgLevel, Rating, StoredProfile, UnitKind } from '../events'
import type { FunnelChainStep } from '../reports'
import type { Stamp, Timeline } from './timeline'

/** An organization's history (tổ chức đảng). */
export interface OrgFacts {
  readonly id: string
  readonly name: string
  readonly level: OrgLevel
  /** The unit a grassroots organization sits in. */
  readonly unitId: string | null
  /** The village a cell covers. */
  readonly villageId: string | null
  readonly registeredOn: string
  readonly rec: number
  /** Parent links in force from each date; the first is the parent it was registered with. */
  readonly parents: Timeline<string | null>
  dissolved: Dissolution | null
}

/** When an organization was dissolved, and the organization it was merged into (hợp nhất), if any. */
export interface Dissolution extends Stamp {
  readonly mergedInto: string | null
}

/** A unit's history (xã, cơ quan, doanh nghiệp...). */
export interface UnitFacts {
  readonly id: string
  readonly kind: UnitKind
  readonly registeredOn: string
  readonly rec: number
  /** The organization it falls under, from each date. */
  readonly orgs: Timeline<string>
  retired: Stamp | null
  mergedInto: string | null
}

/** A village's history (thôn, bản) and its heads (thôn trưởng). */
export interface VillageFacts {
  readonly id: string
  readonly unitId: string
  readonly registeredOn: string
  readonly rec: number
  retired: Stamp | null
  /** Village heads appointed, from each date. */
  readonly heads: Timeline<string>
}

/** One admission of a person (a person may be admitted again after leaving). */
export interface Membership {
  /** The admitting organization (MemberAdmitted.orgId or ExistingMemberRegistered.orgId). */
  readonly orgId: string
  /** Admission date (MemberAdmitted.on or ExistingMemberRegistered.admittedOn). */
  readonly on: string
  readonly rec: number
  /** The status an existing member was registered with; null for a MemberAdmitted. */
  readonly existing: 'probationary' | 'official' | null
  /** The date an existing member was registered (the status holds from then); null for a MemberAdmitted. */
  readonly registeredOn: string | null
  /** When the annulment was recorded (it applies by knowledge), or null. */
  annulledRec: number | null
  /** When the confirmation was recorded (it applies by knowledge), or null. */
  confirmedRec: number | null
  left: Stamp | null
}

/** Steps of the candidate pipeline the funnel counts. */
export const FUNNEL_STEPS = [
  'nominated',
  'trained',
  'verified',
  'cellApproved',
  'decided',
  'confirmed',
  'closed',
] as const
/** A step of the pipeline (besides admission, which is a membership). */
export type FunnelStep = (typeof FUNNEL_STEPS)[number]

/**
 * The steps kept as plain stamps: all but `cellApproved`, which the funnel reads from the cell votes
 * under the report's policy (its majority).
 */
export type StampedStep = Exclude<FunnelStep, 'cellApproved'>

/** A cell vote (biểu quyết của chi bộ) as recorded, passing or not: the majority is the policy's. */
export interface CellVote extends Stamp {
  readonly inFavour: number
  readonly eligible: number
}

/** A person's history: profile, memberships, residence, organization, pipeline steps. */
export interface PersonFacts {
  readonly id: string
  /** Profiles (lý lịch) from each nomination (an existing member's from the admission date). */
  readonly profiles: Timeline<StoredProfile>
  readonly memberships: Membership[]
  /** Village of residence from each date (null: outside any recorded village). */
  readonly residence: Timeline<string | null>
  /** The organization holding the person: nominating cell, then admitting org, then official transfers. */
  readonly orgs: Timeline<string>
  /** Dates of each pipeline step but the cell's approval, created on first use. */
  readonly steps: { [K in StampedStep]?: Stamp[] }
  /** Every cell vote, created on first use; whether one passes is the report policy's to say. */
  cellVotes?: CellVote[]
}

/** One quota (chỉ tiêu) of an organization, period, occupation and assigning organization. */
export interface QuotaFacts {
  readonly orgId: string
  readonly period: string
  readonly occupation: string | null
  readonly assignedBy: string
  readonly ref: string | null
  /** The assigned target then every revision, each with when it was recorded. */
  readonly targets: Array<{ readonly target: number; readonly rec: number }>
}

/** An awareness class held (lớp bồi dưỡng nhận thức về Đảng), one version per record of it. */
export interface ClassFacts {
  readonly classId: string
  readonly orgId: string
  readonly from: string
  readonly trainees: number
  readonly rec: number
}

/** A target set for an indicator (chỉ tiêu phấn đấu: "trên 90 % thôn trưởng là đảng viên"). */
export interface TargetFacts extends Stamp {
  readonly orgId: string
  readonly indicator: Indicator
  readonly period: string
  /** A fraction 0..1. */
  readonly value: number
  readonly ref: string | null
}

/** An organization's yearly rating (đánh giá, xếp loại), one version per record of it. */
export interface RatingFacts extends Stamp {
  readonly orgId: string
  readonly year: number
  readonly rating: Rating
}

/** The whole state of the reports projection. */
export interface ReportsState {
  readonly orgs: Map<string, OrgFacts>
  readonly units: Map<string, UnitFacts>
  readonly villages: Map<string, VillageFacts>
  readonly persons: Map<string, PersonFacts>
  /** Quotas by organization id. */
  readonly quotas: Map<string, QuotaFacts[]>
  /** Versions of each class by class id. */
  readonly classes: Map<string, ClassFacts[]>
  /** Targets by organization id, in log order. */
  readonly targets: Map<string, TargetFacts[]>
  /** Ratings by organization id, in log order. */
  readonly ratings: Map<string, RatingFacts[]>
  /** Position of the last envelope folded (0 for none). */
  position: number
  /** `recordedAt` of the last envelope folded, or null. */
  lastRecordedAt: string | null
  /**
   * Set on a state read back from the read model, whose `rec` stamps are log positions: the last
   * position the query's `knownAt` covers (every position read, without one). Reports then compare
   * stamps with it instead of the instant.
   */
  knownBound?: number
  /**
   * Set on a state read back from the read model: the villages where an active member lives, by date,
   * as the tables answered (`inhabitedVillages` reads it instead of every person's history).
   */
  inhabitedOn?: Map<string, ReadonlySet<string>>
  /**
   * Set on a state read back from the read model for the roll: the members active on a date, counted by
   * the tables per organization holding them (or over every organization, when the subtree holds them
   * all) and religion (`roll` sums the groups in its scope instead of reading every person's history).
   */
  rollOn?: Map<string, ReadonlyArray<RollGroup>>
  /**
   * Set on a state read back from the read model for the roll with a period: the persons admitted in the
   * period (those admissions and their profiles), kept apart from `persons` because the tables counted
   * the members on the date already (`rollOn`).
   */
  admittedPersons?: Map<string, PersonFacts>
  /**
   * Set on a state read back from the read model for the organizations report: the members active on a
   * date, counted by the tables per organization holding them (`organizations` sums them per grassroots
   * organization instead of reading every person's history).
   */
  heldOn?: Map<string, ReadonlyArray<HeldGroup>>
  /**
   * Set on a state read back from the read model for the funnel: what the tables counted of every person
   * (`funnel` adds the persons of `persons`, none then, and runs its deadlines on the candidates).
   */
  funnelTables?: FunnelTables
}

/**
 * The funnel as the tables count it, for one query: the persons entered at each step and the pairs of
 * dates of the conversions, per person counted; the candidates for a deadline on the as-of date.
 */
export interface FunnelTables {
  /** Persons with a record of the step (`admitted` included) in the period while in the subtree. */
  readonly entered: Readonly<Record<string, number>>
  /** For each chain step but the last: the persons entered on `from` whose first record of the next step on or after it, up to the as-of date, is `to` (null: none). */
  readonly conversions: ReadonlyArray<{
    readonly step: FunnelChainStep
    readonly from: string
    readonly to: string | null
    readonly persons: number
  }>
  /** Active members on the as-of date in the subtree then whose membership has no confirmation known. */
  readonly unconfirmed: ReadonlyArray<{
    readonly personId: string
    readonly admittedOn: string
    readonly existing: Membership['existing']
    readonly registeredOn: string | null
  }>
  /**
   * Persons in the subtree on the as-of date without an active membership whose last nomination up to it
   * was followed by neither a closure nor an admission: their last decision and passing cell vote since
   * it, and their last class, up to the as-of date.
   */
  readonly nominees: ReadonlyArray<{
    readonly personId: string
    readonly decided: string | null
    readonly vote: string | null
    readonly trained: string | null
  }>
}

/** Active members on a date held by one organization (their headcount, or the admitting organization when none is recorded), counted. */
export interface HeldGroup {
  readonly orgId: string
  readonly members: number
}

/**
 * Active members on a date held by one organization (their headcount, or the admitting organization
 * when none is recorded), or by any, whose profile in force names `religion` (null: none, or no
 * profile), counted.
 */
export interface RollGroup {
  /** Null: every organization, summed (read so only when the subtree on the date holds them all). */
  readonly orgId: string | null
  readonly religion: string | null
  readonly members: number
  readonly official: number
  /** Members without a profile in force on the date (counted as unknown occupation and religion). */
  readonly withoutProfile: number
  /** Members whose profile's personal fields were erased (a forgotten person: religion `erased`). */
  readonly erased: number
  readonly female: number
  readonly ethnicMinority: number
  readonly under30: number
  /** By occupation of the profile in force (members without one are not counted here). */
  readonly byOccupation: Readonly<Record<string, number>>
}

/** A fresh, empty state. */
export const emptyReportsState = (): ReportsState => ({
  orgs: new Map(),
  units: new Map(),
  villages: new Map(),
  persons: new Map(),
  quotas: new Map(),
  classes: new Map(),
  targets: new Map(),
  ratings: new Map(),
  position: 0,
  lastRecordedAt: null,
})

interface SerializedState {
  readonly orgs: OrgFacts[]
  readonly units: UnitFacts[]
  readonly villages: VillageFacts[]
  readonly persons: PersonFacts[]
  readonly quotas: QuotaFacts[]
  readonly classes: ClassFacts[]
  readonly targets: TargetFacts[]
  readonly ratings: RatingFacts[]
  readonly position: number
  readonly lastRecordedAt: string | null
}

/** The state as JSON for a snapshot: every map becomes the array of its values. */
export const serializeReportsState = (s: ReportsState): Json => {
  const json: SerializedState = {
    orgs: [...s.orgs.values()],
    units: [...s.units.values()],
    villages: [...s.villages.values()],
    persons: [...s.persons.values()],
    quotas: [...s.quotas.values()].flat(),
    classes: [...s.classes.values()].flat(),
    targets: [...s.targets.values()].flat(),
    ratings: [...s.ratings.values()].flat(),
    position: s.position,
    lastRecordedAt: s.lastRecordedAt,
  }
  return json as unknown as Json
}

const group = <A>(items: ReadonlyArray<A>, key: (a: A) => string): Map<string, A[]> => {
  const m = new Map<string, A[]>()
  for (const a of items) {
    const k = key(a)
    const list = m.get(k)
    if (list === undefined) m.set(k, [a])
    else list.push(a)
  }
  return m
}

/** A state back from the JSON of `serializeReportsState`. */
export const deserializeReportsState = (json: Json): ReportsState => {
  const j = json as unknown as SerializedState
  return {
    orgs: new Map(j.orgs.map((o) => [o.id, o])),
    units: new Map(j.units.map((u) => [u.id, u])),
    villages: new Map(j.villages.map((v) => [v.id, v])),
    persons: new Map(j.persons.map((p) => [p.id, p])),
    quotas: group(j.quotas, (q) => q.orgId),
    classes: group(j.classes, (c) => c.classId),
    targets: group(j.targets, (t) => t.orgId),
    ratings: group(j.ratings, (r) => r.orgId),
    position: j.position,
    lastRecordedAt: j.lastRecordedAt,
  }
}

/** The facts of a person, created empty on first mention. */
export const personFacts = (s: ReportsState, id: string): PersonFacts => {
  let p = s.persons.get(id)
  if (p === undefined) {
    p = { id, profiles: [], memberships: [], residence: [], orgs: [], steps: {} }
    s.persons.set(id, p)
  }
  return p
}
