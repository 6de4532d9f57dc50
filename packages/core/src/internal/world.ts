/**
 * @internal
 * The validator's state: what the rules need to know of everything recorded so far. Mutable maps
 * for speed (the validator folds every imported line into it); each event touches a bounded part.
 * Organization, unit and village records keep their dated history so that rules can ask "active on
 * D" and "parent on D" for any business date, as facts arrive out of business order.
 *
 * It has two parts. The global part (organizations, units, villages, move dates) grows with
 * the organization tree, is held in memory and saved whole (the kernel writes it in pieces). The keyed part (each person's record, each
 * stream's last date, each organization's members, the classes held, each quota) grows with persons and periods: it reads and
 * writes the kernel's keyed entries, which the kernel keeps in the store behind a bounded cache and
 * loads before an event is checked (`keysOf`).
 */
import { inMemoryEntries, type KeyedEntries } from '@ketnap/kernel'
import type { ErasedProfile, LeaveReason, Occupation, OrgLevel, Sex, StoredProfile } from '../events'

/** A parent link in force from `from` on. */
export interface ParentLink {
  readonly from: string
  readonly parentId: string | null
}

/** What the rules know of an organization. */
export interface OrgRecord {
  readonly level: OrgLevel
  readonly registeredOn: string
  /** Parent links in date order; the first is the one it was registered with. */
  readonly parents: ParentLink[]
  dissolvedOn: string | null
  readonly unitId: string | undefined
  readonly villageId: string | undefined
}

/** What the rules know of a unit. */
export interface UnitRecord {
  readonly registeredOn: string
  /** The organization the unit falls under, from a date on, in date order. */
  readonly orgs: Array<{ readonly from: string; readonly orgId: string }>
  retiredOn: string | null
}

/** What the rules know of a village. */
export interface VillageRecord {
  readonly registeredOn: string
  readonly unitId: string
  retiredOn: string | null
}

/** Where a person stands: candidate, closed candidacy, member, former member, annulled admission. */
export type PersonPhase = 'candidate' | 'closed' | 'member' | 'left' | 'annulled'

/** A member's departure. */
export interface Departure {
  readonly on: string
  readonly reason: LeaveReason
}

/**
 * A birth date as the rules keep it: in clear on a clear store; sealed under the person's key on an
 * encrypted one (`sealedBirthDate`, base64 of the kernel's AES-256-GCM), so that the state's rows beside
 * the log hold no birth date a reader of the store's file could read (docs/security.md, D40).
 */
export type KeptBirthDate = { readonly birthDate: string } | { readonly sealedBirthDate: string }

/**
 * What the rules read of a profile: the birth date (the age window), sex and occupation. The
 * ethnic-minority flag, ethnicity and religion, which no rule reads, are not kept in the state (nor in
 * its rows beside the log, docs/security.md).
 */
export type RulesProfile = KeptBirthDate & {
  readonly sex: Sex
  readonly occupation: Occupation
}

/**
 * How the rules keep a person's birth date in their state, and read it back when a rule needs it (the
 * age window at the cell vote). The state holds what `keep` gives, and nothing else of the date.
 */
export interface BirthDateKeeping {
  /** What the state keeps of a person's birth date; `'erased'` when the person's key was destroyed. */
  readonly keep: (personId: string, birthDate: string) => KeptBirthDate | 'erased'
  /**
   * The birth date kept: the date; `'erased'` once the person's key is destroyed (the rules that need it
   * are not checked again); null when it does not open (no key of the person at hand, or damaged).
   */
  readonly read: (personId: string, kept: KeptBirthDate) => string | 'erased' | null
}

/** A clear store's keeping: the birth date as it is. */
export const clearBirthDates: BirthDateKeeping = {
  keep: (_, birthDate) => ({ birthDate }),
  read: (_, kept) => ('birthDate' in kept ? kept.birthDate : null),
}

/** The part of a profile the rules keep (an erased one as it is), its birth date kept by `keeping`. */
export const rulesProfile = (
  personId: string,
  profile: StoredProfile,
  keeping: BirthDateKeeping,
): RulesProfile | ErasedProfile => {
  if ('erased' in profile) return profile
  const { sex, occupation } = profile
  const kept = keeping.keep(personId, profile.birthDate)
  return kept === 'erased' ? { erased: true, sex, occupation } : { ...kept, sex, occupation }
}

/** What the rules know of a person. */
export interface PersonRecord {
  phase: PersonPhase
  /** The candidate's organization, or the member's activity organization. */
  orgId: string
  /** Erased once the person is forgotten: the rules that need an erased value are not checked. */
  profile: RulesProfile | ErasedProfile | undefined
  ageException: boolean
  /** The open candidacy is a readmission (kết nạp lại). */
  readmission: boolean
  classCompleted: boolean
  verification: 'cleared' | 'not-cleared' | null
  /** The last cell vote: passed, failed, or none yet. */
  cellVote: boolean | null
  /** The committee vote after the last cell vote: passed, failed, or none. */
  committeeVote: boolean | null
  decidedOn: string | null
  admittedOn: string | null
  official: boolean
  /** The organization holding the member's headcount, from a date on (temporary transfers excluded). */
  headcount: Array<{ readonly from: string; readonly orgId: string }>
  leftOn: string | null
  /** The departure of a former member (null when never a member, or readmitted since). */
  lastDeparture: Departure | null
  /** Forgotten (PersonForgotten): their personal fields are erased; absent in states kept before D34. */
  forgotten?: boolean
  /** Readmitted once already. */
  readmitted: boolean
  /** `lastDeparture` and `readmitted` before the current admission, restored when it is annulled. */
  before: { readonly lastDeparture: Departure | null; readonly readmitted: boolean }
  /**
   * The business date of the last event of the person's stream (the date-order rule): kept in the
   * record rather than as an entry of `lastDates`, so that a person's event loads and writes one entry.
   */
  lastDate: string
}

/** A keyed part of the world: values by id, read through the kernel's keyed entries. */
export interface Keyed<V> {
  readonly get: (id: string) => V | undefined
  readonly has: (id: string) => boolean
  readonly set: (id: string, value: V) => void
}

/** The prefixes of the keyed entries of each keyed part (one space of entries holds them all). */
export const KEY_PREFIX = {
  persons: 'p:',
  orgMembers: 'm:',
  classes: 'c:',
  lastDates: 'd:',
  quotas: 'q:',
} as const

const keyed = <V>(entries: KeyedEntries, prefix: string): Keyed<V> => {
  // The key of the id asked last: checking and folding an event ask for the same few ids again and
  // again, and each new key is a new string that the entries' map must flatten and hash.
  let lastId: string | undefined
  let lastKey = ''
  const keyOf = (id: string): string => {
    if (id !== lastId) {
      lastId = id
      lastKey = prefix + id
    }
    return lastKey
  }
  return {
    get: (id) => entries.get(keyOf(id)) as V | undefined,
    has: (id) => entries.get(keyOf(id)) !== undefined,
    set: (id, value) => entries.set(keyOf(id), value),
  }
}

/** The global part of the world: what grows with the organization tree, not with persons. */
export interface WorldGlobals {
  readonly orgs: Map<string, OrgRecord>
  /** Organizations that ever had a parent link to the key. */
  readonly children: Map<string, Set<string>>
  /** The distinct dates of organization moves, for cycle checks at later dates. */
  readonly moveDates: string[]
  readonly units: Map<string, UnitRecord>
  readonly villages: Map<string, VillageRecord>
  /** Last recordedAt in the log, in epoch milliseconds. */
  lastRecordedAt: number
}

/** The state of everything recorded so far, as the rules see it. */
export interface WorldState extends WorldGlobals {
  /**
   * Quota targets by `quotaKey` and assigner. Keyed, not global: an organization's quotas grow by its
   * periods (about 540,000 at national scale, a third of the global part), and only a quota's own
   * events and access checks read them.
   */
  readonly quotas: Keyed<Map<string, number>>
  /** Persons whose headcount was ever held by the key organization. */
  readonly orgMembers: Keyed<Set<string>>
  readonly persons: Keyed<PersonRecord>
  readonly classes: Keyed<true>
  /** Last business date per stream, but a person's stream (its record's `lastDate`). */
  readonly lastDates: Keyed<string>
  /** How a person's birth date is kept in the records (not part of the state saved). */
  readonly birthDates: BirthDateKeeping
}

const emptyGlobals = (): WorldGlobals => ({
  orgs: new Map(),
  children: new Map(),
  moveDates: [],
  units: new Map(),
  villages: new Map(),
  lastRecordedAt: Number.NEGATIVE_INFINITY,
})

/** A world over keyed entries, from a global part saved before (or empty), keeping birth dates so. */
export const worldOver = (
  entries: KeyedEntries,
  globals?: WorldGlobals,
  birthDates: BirthDateKeeping = clearBirthDates,
): WorldState => {
  const { orgs, children, moveDates, units, villages, lastRecordedAt } = globals ?? emptyGlobals()
  return {
    orgs,
    children,
    moveDates,
    units,
    villages,
    lastRecordedAt,
    quotas: keyed(entries, KEY_PREFIX.quotas),
    orgMembers: keyed(entries, KEY_PREFIX.orgMembers),
    persons: keyed(entries, KEY_PREFIX.persons),
    classes: keyed(entries, KEY_PREFIX.classes),
    lastDates: keyed(entries, KEY_PREFIX.lastDates),
    birthDates,
  }
}

/** The global part of a world, to save whole. */
export const globalsOf = (world: WorldState): WorldGlobals => ({
  orgs: world.orgs,
  children: world.children,
  moveDates: world.moveDates,
  units: world.units,
  villages: world.villages,
  lastRecordedAt: world.lastRecordedAt,
})

/** An empty world, held whole in memory. */
export const emptyWorld = (birthDates: BirthDateKeeping = clearBirthDates): WorldState =>
  worldOver(inMemoryEntries(), undefined, birthDates)

/**
 * Key of the quotas of an organization, period and occupation (whatever the assigner): a JSON array, so
 * that no id can make two keys meet, and a keyed row's key holds no NUL (PostgreSQL's text cannot).
 */
export const quotaKey = (orgId: string, period: string, occupation: string | undefined): string =>
  JSON.stringify([orgId, period, occupation ?? ''])

/** True when a record registered on `from` and ended on `end` (if any) is active on `on`. */
export const activeOn = (from: string, end: string | null, on: string): boolean =>
  from <= on && (end === null || on < end)

/** True when the organization is registered and not dissolved on `on`. */
export const orgActiveOn = (org: OrgRecord, on: string): boolean =>
  activeOn(org.registeredOn, org.dissolvedOn, on)

/**
 * The parent of an organization on `on`: the link in force that day; before its registration, the
 * parent it was registered with.
 */
export const parentOn = (org: OrgRecord, on: string): string | null => {
  for (let i = org.parents.length - 1; i >= 0; i--) {
    const link = org.parents[i]
    if (link !== undefined && link.from <= on) return link.parentId
  }
  return org.parents[0]?.parentId ?? null
}

/** Longest parent chain followed; deeper chains only arise from corrupt state. */
const MAX_DEPTH = 64

/** True when `ancestor` is `orgId` or one of its ancestors on `on`. */
export const isSelfOrAncestor = (world: WorldState, ancestor: string, orgId: string, on: string): boolean => {
  let current: string | null = orgId
  for (let depth = 0; current !== null && depth < MAX_DEPTH; depth++) {
    if (current === ancestor) return true
    const org = world.orgs.get(current)
    if (org === undefined) return false
    current = parentOn(org, on)
  }
  return false
}

/** The organization holding a member's headcount on `on`. */
export const headcountOn = (person: PersonRecord, on: string): string | undefined => {
  for (let i = person.headcount.length - 1; i >= 0; i--) {
    const link = person.headcount[i]
    if (link !== undefined && link.from <= on) return link.orgId
  }
  return undefined
}

/** A new person record in the given phase and organization, its stream's last date `on`. */
export const newPerson = (phase: PersonPhase, orgId: string, on: string): PersonRecord => ({
  phase,
  orgId,
  profile: undefined,
  ageException: false,
  readmission: false,
  classCompleted: false,
  verification: null,
  cellVote: null,
  committeeVote: null,
  decidedOn: null,
  admittedOn: null,
  official: false,
  headcount: [],
  leftOn: null,
  lastDeparture: null,
  readmitted: false,
  before: { lastDeparture: null, readmitted: false },
  lastDate: on,
})

/** Adds `value` to the set under `key`. */
export const addTo = (
  map: Keyed<Set<string>> | Map<string, Set<string>>,
  key: string,
  value: string,
): void => {
  const set = map.get(key)
  if (set === undefined) map.set(key, new Set([value]))
  else set.add(value)
}
