/**
 * The row writes that fold one event into the reports read model: the same facts `applyEvent` keeps in
 * memory, as SQL both stores run (guards such as "only when the organization is known" are conditions
 * of the statements, so that the writes never read the tables back into the process).
 */
import {
  emptyTable,
  refreshStatistics,
  type LogPlace,
  type SettlePass,
  type SqlStatement,
  type SqlValue,
} from '@ketnap/kernel'
import { addDays, addMonths, ageInYears } from '../calendar'
import { isErased, OCCUPATIONS, type DomainEvent, type StoredProfile } from '../events'
import { defaultPolicies, policyOn } from '../policy'
import type { StampedStep } from '../projections/state'
import { ROLL_COUNT_COLUMNS, ROLL_COUNTERS, ROLL_KEY, ROLL_TOTAL_KEY, T } from './tables'

/** The roll's age limit (`roll`'s `under30`). */
const YOUNG_UNDER = 30

/**
 * The day an admission on `on` has served its probation, under the default policies (the months the
 * policy in force on `on` gives): the tables' spans count a member official from it. The reports read
 * the spans only under policies whose probation is the same for every date (`sameProbation`).
 */
export const servedOn = (on: string): string => addMonths(on, policyOn(defaultPolicies, on).probationMonths)

/** The first day a person born on `birthDate` is 30 as `ageInYears` counts (no longer under the roll's age limit). */
export const agedOn = (birthDate: string): string => {
  let d = addMonths(birthDate, 12 * YOUNG_UNDER)
  while (ageInYears(birthDate, d) >= YOUNG_UNDER) d = addDays(d, -1)
  while (ageInYears(birthDate, d) < YOUNG_UNDER) d = addDays(d, 1)
  return d
}

const values = (n: number): string => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')

const insert = (table: string, columns: ReadonlyArray<string>): string =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values(columns.length)}) ON CONFLICT DO NOTHING`

/** Closes the open entry of a timeline (`$1` key, `$2` the new entry's date, `$3` its position). */
const closeTimeline = (table: string, key: string): string =>
  `UPDATE ${table} SET valid_to = $2, superseded_pos = $3 WHERE ${key} = $1 AND superseded_pos IS NULL`

/** Adds an entry to a timeline when `guard` (SQL over `$1`, the key) holds. */
const pushWhen = (table: string, key: string, value: string, guard: string): string =>
  `INSERT INTO ${table} (${key}, pos, valid_from, ${value}) SELECT $1, $2, $3, $4 WHERE ${guard}`

/** Adds the edge of the organization `$1` under `$2` (none when NULL) at position `$3` when `guard` holds. */
const edgeWhen = (guard: string): string =>
  `INSERT INTO ${T.orgEdge} (child_id, parent_id, pos) SELECT $1, $2, $3 WHERE $2 IS NOT NULL AND ${guard}`

const SQL = {
  orgParentFirst: pushWhen(
    T.orgParent,
    'org_id',
    'parent_id',
    `NOT EXISTS (SELECT 1 FROM ${T.org} WHERE org_id = $1)`,
  ),
  org: insert(T.org, ['org_id', 'name', 'level', 'unit_id', 'village_id', 'registered_on', 'pos']),
  orgParentClose: closeTimeline(T.orgParent, 'org_id'),
  orgParentPush: pushWhen(
    T.orgParent,
    'org_id',
    'parent_id',
    `EXISTS (SELECT 1 FROM ${T.org} WHERE org_id = $1)`,
  ),
  // A link of the organization `$1` under `$2` from position `$3`: a parent when it is registered (before
  // its row, as `orgParentFirst`) or moved, the organization merged into when it is dissolved (before the
  // dissolution is recorded): the same guards as the rows the link mirrors.
  orgEdgeFirst: edgeWhen(`NOT EXISTS (SELECT 1 FROM ${T.org} WHERE org_id = $1)`),
  orgEdgeMoved: edgeWhen(`EXISTS (SELECT 1 FROM ${T.org} WHERE org_id = $1)`),
  orgEdgeMerged: edgeWhen(`EXISTS (SELECT 1 FROM ${T.org} WHERE org_id = $1 AND dissolved_pos IS NULL)`),
  orgDissolved:
    `UPDATE ${T.org} SET dissolved_on = $2, dissolved_pos = $3, merged_into = $4 ` +
    'WHERE org_id = $1 AND dissolved_pos IS NULL',
  unitOrgFirst: pushWhen(
    T.unitOrg,
    'unit_id',
    'org_id',
    `NOT EXISTS (SELECT 1 FROM ${T.unit} WHERE unit_id = $1)`,
  ),
  unit: insert(T.unit, ['unit_id', 'kind', 'registered_on', 'pos']),
  unitOrgClose: closeTimeline(T.unitOrg, 'unit_id'),
  unitOrgPush: pushWhen(
    T.unitOrg,
    'unit_id',
    'org_id',
    `EXISTS (SELECT 1 FROM ${T.unit} WHERE unit_id = $1)`,
  ),
  unitRetired:
    `UPDATE ${T.unit} SET retired_on = $2, retired_pos = $3, merged_into = $4 ` +
    'WHERE unit_id = $1 AND retired_pos IS NULL',
  village: insert(T.village, ['village_id', 'unit_id', 'registered_on', 'pos']),
  villageRetired: `UPDATE ${T.village} SET retired_on = $2, retired_pos = $3 WHERE village_id = $1 AND retired_pos IS NULL`,
  villageHeadClose: closeTimeline(T.villageHead, 'village_id'),
  villageHeadPush: pushWhen(
    T.villageHead,
    'village_id',
    'person_id',
    `EXISTS (SELECT 1 FROM ${T.village} WHERE village_id = $1)`,
  ),
  person: insert(T.person, ['person_id', 'pos']),
  profileClose: closeTimeline(T.profile, 'person_id'),
  // A forgotten person's rows keep what the reports count without personal fields (sex, occupation).
  profileErased: `UPDATE ${T.profile} SET birth_date = NULL, ethnic_minority = NULL, ethnicity = NULL, religion = NULL, aged_on = NULL WHERE person_id = $1`,
  forgotten: `INSERT INTO ${T.forgotten} (person_id, pos) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
  profile: insert(T.profile, [
    'person_id',
    'pos',
    'valid_from',
    'birth_date',
    'sex',
    'ethnic_minority',
    'occupation',
    'ethnicity',
    'religion',
    'aged_on',
  ]),
  personOrgClose: closeTimeline(T.personOrg, 'person_id'),
  personOrg: insert(T.personOrg, ['person_id', 'pos', 'valid_from', 'org_id']),
  residenceClose: closeTimeline(T.residence, 'person_id'),
  residence: insert(T.residence, ['person_id', 'pos', 'valid_from', 'village_id']),
  step: insert(T.step, ['person_id', 'step', 'pos', 'on_date']),
  cellVote: insert(T.cellVote, ['person_id', 'pos', 'on_date', 'in_favour', 'eligible']),
  membership: insert(T.membership, [
    'person_id',
    'pos',
    'org_id',
    'admitted_on',
    'served_on',
    'existing',
    'registered_on',
  ]),
  dirty: insert(T.dirty, ['person_id']),
  // The person's last membership, as `lastMembership` finds it.
  ...(() => {
    const last = (set: string, unset: string): string =>
      `UPDATE ${T.membership} SET ${set} WHERE person_id = $1 AND ${unset} IS NULL ` +
      `AND pos = (SELECT max(pos) FROM ${T.membership} WHERE person_id = $1)`
    return {
      annulled: last('annulled_pos = $2', 'annulled_pos'),
      confirmed: last('confirmed_pos = $2', 'confirmed_pos'),
      left: last('left_on = $2, left_pos = $3', 'left_pos'),
    }
  })(),
  quotaFirstTarget:
    `INSERT INTO ${T.quotaTarget} (org_id, period, occupation, assigned_by, pos, target) ` +
    `SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM ${T.quota} ` +
    'WHERE org_id = $1 AND period = $2 AND occupation = $3 AND assigned_by = $4)',
  quota: insert(T.quota, ['org_id', 'period', 'occupation', 'assigned_by', 'ref', 'pos']),
  // A revision names its quota by assigner, or not: then it applies when the quota is the only one.
  quotaRevised: (() => {
    const same = 'org_id = $1 AND period = $2 AND occupation = $3 AND ($4 IS NULL OR assigned_by = $4)'
    return (
      `INSERT INTO ${T.quotaTarget} (org_id, period, occupation, assigned_by, pos, target) ` +
      `SELECT org_id, period, occupation, assigned_by, $5, $6 FROM ${T.quota} WHERE ${same} ` +
      `AND (SELECT count(*) FROM ${T.quota} WHERE ${same}) = 1`
    )
  })(),
  trainingClass: insert(T.trainingClass, ['class_id', 'pos', 'org_id', 'from_on', 'trainees']),
  target: insert(T.target, ['org_id', 'pos', 'indicator', 'period', 'value', 'ref', 'on_date']),
  rating: insert(T.rating, ['org_id', 'pos', 'year', 'rating', 'on_date']),
}

/**
 * The tables each statement reads or writes, every one of them only at the key its first parameters name
 * (an organization, unit, village, person, class, or a quota's organization, period and occupation):
 * the statements' keys, so that a store may run those of different keys in any order and batch them.
 */
const TOUCHES: ReadonlyMap<string, { readonly prefixes: ReadonlyArray<string>; readonly keyParams: number }> =
  new Map(
    (
      [
        [SQL.orgParentFirst, [T.orgParent, T.org]],
        [SQL.org, [T.org]],
        [SQL.orgParentClose, [T.orgParent]],
        [SQL.orgParentPush, [T.orgParent, T.org]],
        [SQL.orgDissolved, [T.org]],
        [SQL.orgEdgeFirst, [T.orgEdge, T.org]],
        [SQL.orgEdgeMoved, [T.orgEdge, T.org]],
        [SQL.orgEdgeMerged, [T.orgEdge, T.org]],
        [SQL.unitOrgFirst, [T.unitOrg, T.unit]],
        [SQL.unit, [T.unit]],
        [SQL.unitOrgClose, [T.unitOrg]],
        [SQL.unitOrgPush, [T.unitOrg, T.unit]],
        [SQL.unitRetired, [T.unit]],
        [SQL.village, [T.village]],
        [SQL.villageRetired, [T.village]],
        [SQL.villageHeadClose, [T.villageHead]],
        [SQL.villageHeadPush, [T.villageHead, T.village]],
        [SQL.person, [T.person]],
        [SQL.profileClose, [T.profile]],
        [SQL.profileErased, [T.profile]],
        [SQL.forgotten, [T.forgotten]],
        [SQL.profile, [T.profile]],
        [SQL.personOrgClose, [T.personOrg]],
        [SQL.personOrg, [T.personOrg]],
        [SQL.residenceClose, [T.residence]],
        [SQL.residence, [T.residence]],
        [SQL.step, [T.step]],
        [SQL.cellVote, [T.cellVote]],
        [SQL.membership, [T.membership]],
        [SQL.dirty, [T.dirty]],
        [SQL.annulled, [T.membership]],
        [SQL.confirmed, [T.membership]],
        [SQL.left, [T.membership]],
        [SQL.quotaFirstTarget, [T.quotaTarget, T.quota], 3],
        [SQL.quota, [T.quota], 3],
        [SQL.quotaRevised, [T.quotaTarget, T.quota], 3],
        [SQL.trainingClass, [T.trainingClass]],
        [SQL.target, [T.target]],
        [SQL.rating, [T.rating]],
      ] as ReadonlyArray<readonly [string, ReadonlyArray<string>, number?]>
    ).map(([sql, tables, keyParams]) => [
      sql,
      { prefixes: tables.map((t) => `${t}\u0000`), keyParams: keyParams ?? 1 },
    ]),
  )

/** A statement whose keys are made when a store first asks for them (SQLite never does). */
class Statement implements SqlStatement {
  private made: ReadonlyArray<string> | undefined
  constructor(
    readonly sql: string,
    readonly params: ReadonlyArray<SqlValue>,
  ) {}
  get keys(): ReadonlyArray<string> {
    if (this.made !== undefined) return this.made
    // Every statement of `SQL` names its keys (none would run it apart from every other).
    const touches = TOUCHES.get(this.sql)
    if (touches === undefined) return []
    const p = this.params
    const key =
      touches.keyParams === 1 ? String(p[0]) : p.slice(0, touches.keyParams).map(String).join('\u0000')
    this.made = touches.prefixes.map((t) => t + key)
    return this.made
  }
}

const s = (sql: string, ...params: SqlValue[]): SqlStatement => new Statement(sql, params)

/**
 * Where an event stands in its person's stream: `first` when it is the stream's first event (no earlier
 * event of the person wrote a row: nothing to close), `later` when an earlier one is (the person's row
 * exists: a person's stream starts with their nomination or registration, the rules refuse any other
 * event of an unknown person), `unknown` when the caller did not say (every statement is written).
 */
type InStream = 'first' | 'later' | 'unknown'

const inStream = (id: string, at: LogPlace): InStream =>
  at.version === undefined || at.stream !== `person-${id}` ? 'unknown' : at.version === 1 ? 'first' : 'later'

/** The person's row (`pos` the first event), unless it exists already. */
const person = (id: string, pos: number, at: InStream): ReadonlyArray<SqlStatement> =>
  at === 'later' ? [] : [s(SQL.person, id, pos)]

/** Closes the person's open entry of a timeline before a new one, unless the person has no entry yet. */
const close = (
  sql: string,
  id: string,
  on: string,
  pos: number,
  at: InStream,
): ReadonlyArray<SqlStatement> => (at === 'first' ? [] : [s(sql, id, on, pos)])

const step = (
  id: string,
  name: StampedStep,
  on: string,
  pos: number,
  at: InStream,
): ReadonlyArray<SqlStatement> => [...person(id, pos, at), s(SQL.step, id, name, pos, on)]

const profile = (
  id: string,
  on: string,
  pos: number,
  p: StoredProfile,
  at: InStream,
): ReadonlyArray<SqlStatement> => [
  ...close(SQL.profileClose, id, on, pos, at),
  isErased(p)
    ? s(SQL.profile, id, pos, on, null, p.sex, null, p.occupation, null, null, null)
    : s(
        SQL.profile,
        id,
        pos,
        on,
        p.birthDate,
        p.sex,
        p.ethnicMinority ? 1 : 0,
        p.occupation,
        p.ethnicity ?? null,
        p.religion ?? null,
        agedOn(p.birthDate),
      ),
]

const personOrg = (
  id: string,
  on: string,
  pos: number,
  orgId: string,
  at: InStream,
): ReadonlyArray<SqlStatement> => [
  ...close(SQL.personOrgClose, id, on, pos, at),
  s(SQL.personOrg, id, pos, on, orgId),
]

const residence = (
  id: string,
  on: string,
  pos: number,
  villageId: string | null,
  at: InStream,
): ReadonlyArray<SqlStatement> => [
  ...close(SQL.residenceClose, id, on, pos, at),
  s(SQL.residence, id, pos, on, villageId),
]

/** The events that may change a member's spans: their person is recomputed at the batch's end. */
const SPAN_EVENTS: ReadonlySet<DomainEvent['type']> = new Set<DomainEvent['type']>([
  'CandidateNominated',
  'MemberAdmitted',
  'MembershipConfirmed',
  'AdmissionAnnulled',
  'ExistingMemberRegistered',
  'MemberTransferred',
  'MemberMoved',
  'MemberLeft',
  'PersonForgotten',
])

/**
 * The statements folding one event, recorded at `at.position`, into the reports read model. With the
 * event's stream and version (`at.stream`, `at.version`), a person's event writes no statement that
 * would change nothing: the person's row after their first event, the closing of timelines at it.
 */
export const reportsWrites = (e: DomainEvent, at: LogPlace): ReadonlyArray<SqlStatement> => {
  const rows = rowWrites(e, at)
  return SPAN_EVENTS.has(e.type) && rows.length > 0 && 'personId' in e.data
    ? [...rows, s(SQL.dirty, e.data.personId)]
    : rows
}

const rowWrites = (e: DomainEvent, at: LogPlace): ReadonlyArray<SqlStatement> => {
  const pos = at.position
  const of = (id: string): InStream => inStream(id, at)
  switch (e.type) {
    case 'OrganizationRegistered': {
      const d = e.data
      return [
        s(SQL.orgEdgeFirst, d.orgId, d.parentId, pos),
        s(SQL.orgParentFirst, d.orgId, pos, d.on, d.parentId),
        s(SQL.org, d.orgId, d.name, d.level, d.unitId ?? null, d.villageId ?? null, d.on, pos),
      ]
    }
    case 'OrganizationMoved':
      return [
        s(SQL.orgParentClose, e.data.orgId, e.data.on, pos),
        s(SQL.orgParentPush, e.data.orgId, pos, e.data.on, e.data.parentId),
        s(SQL.orgEdgeMoved, e.data.orgId, e.data.parentId, pos),
      ]
    case 'OrganizationDissolved':
      return [
        s(SQL.orgEdgeMerged, e.data.orgId, e.data.mergedInto ?? null, pos),
        s(SQL.orgDissolved, e.data.orgId, e.data.on, pos, e.data.mergedInto ?? null),
      ]
    case 'UnitRegistered': {
      const d = e.data
      return [s(SQL.unitOrgFirst, d.unitId, pos, d.on, d.orgId), s(SQL.unit, d.unitId, d.kind, d.on, pos)]
    }
    case 'UnitMoved':
      return [
        s(SQL.unitOrgClose, e.data.unitId, e.data.on, pos),
        s(SQL.unitOrgPush, e.data.unitId, pos, e.data.on, e.data.orgId),
      ]
    case 'UnitRetired':
      return [s(SQL.unitRetired, e.data.unitId, e.data.on, pos, e.data.mergedInto ?? null)]
    case 'VillageRegistered':
      return [s(SQL.village, e.data.villageId, e.data.unitId, e.data.on, pos)]
    case 'VillageRetired':
      return [s(SQL.villageRetired, e.data.villageId, e.data.on, pos)]
    case 'CandidateNominated': {
      const d = e.data
      const i = of(d.personId)
      return [
        ...person(d.personId, pos, i),
        ...profile(d.personId, d.on, pos, d.profile, i),
        ...personOrg(d.personId, d.on, pos, d.orgId, i),
        ...(d.villageId === undefined ? [] : residence(d.personId, d.on, pos, d.villageId, i)),
        s(SQL.step, d.personId, 'nominated', pos, d.on),
      ]
    }
    case 'AwarenessClassCompleted':
      return step(e.data.personId, 'trained', e.data.on, pos, of(e.data.personId))
    case 'BackgroundVerified':
      return e.data.outcome === 'cleared'
        ? step(e.data.personId, 'verified', e.data.on, pos, of(e.data.personId))
        : []
    case 'CellVoted':
      return [
        ...person(e.data.personId, pos, of(e.data.personId)),
        s(SQL.cellVote, e.data.personId, pos, e.data.on, e.data.inFavour, e.data.eligible),
      ]
    case 'CommitteeVoted':
      return []
    case 'AdmissionDecided':
      return step(e.data.personId, 'decided', e.data.on, pos, of(e.data.personId))
    case 'MemberAdmitted': {
      const d = e.data
      const i = of(d.personId)
      return [
        ...person(d.personId, pos, i),
        s(SQL.membership, d.personId, pos, d.orgId, d.on, servedOn(d.on), null, null),
        ...personOrg(d.personId, d.on, pos, d.orgId, i),
      ]
    }
    case 'MembershipConfirmed':
      return [
        s(SQL.confirmed, e.data.personId, pos),
        ...step(e.data.personId, 'confirmed', e.data.on, pos, of(e.data.personId)),
      ]
    case 'CandidacyClosed':
      return step(e.data.personId, 'closed', e.data.on, pos, of(e.data.personId))
    case 'AdmissionAnnulled':
      return [s(SQL.annulled, e.data.personId, pos)]
    case 'ExistingMemberRegistered': {
      const d = e.data
      const i = of(d.personId)
      return [
        ...person(d.personId, pos, i),
        ...(d.profile === undefined ? [] : profile(d.personId, d.admittedOn, pos, d.profile, i)),
        s(SQL.membership, d.personId, pos, d.orgId, d.admittedOn, servedOn(d.admittedOn), d.status, d.on),
        ...personOrg(d.personId, d.admittedOn, pos, d.orgId, i),
        ...(d.villageId === undefined ? [] : residence(d.personId, d.admittedOn, pos, d.villageId, i)),
      ]
    }
    case 'MemberTransferred': {
      const d = e.data
      const i = of(d.personId)
      return d.temporary === true
        ? []
        : [...person(d.personId, pos, i), ...personOrg(d.personId, d.on, pos, d.toOrgId, i)]
    }
    case 'MemberMoved': {
      const d = e.data
      const i = of(d.personId)
      return [...person(d.personId, pos, i), ...residence(d.personId, d.on, pos, d.villageId, i)]
    }
    case 'MemberLeft':
      return [s(SQL.left, e.data.personId, e.data.on, pos)]
    case 'QuotaAssigned': {
      const d = e.data
      const occupation = d.occupation ?? ''
      return [
        s(SQL.quotaFirstTarget, d.orgId, d.period, occupation, d.assignedBy, pos, d.target),
        s(SQL.quota, d.orgId, d.period, occupation, d.assignedBy, d.ref ?? null, pos),
      ]
    }
    case 'QuotaRevised': {
      const d = e.data
      return [s(SQL.quotaRevised, d.orgId, d.period, d.occupation ?? '', d.assignedBy ?? null, pos, d.target)]
    }
    case 'AwarenessClassHeld': {
      const d = e.data
      return [s(SQL.trainingClass, d.classId, pos, d.orgId, d.from, d.trainees)]
    }
    case 'VillageHeadAppointed':
      return [
        s(SQL.villageHeadClose, e.data.villageId, e.data.on, pos),
        s(SQL.villageHeadPush, e.data.villageId, pos, e.data.on, e.data.personId),
      ]
    case 'TargetSet': {
      const d = e.data
      return [s(SQL.target, d.orgId, pos, d.indicator, d.period, d.value, d.ref ?? null, d.on)]
    }
    case 'OrganizationRated':
      return [s(SQL.rating, e.data.orgId, pos, e.data.year, e.data.rating, e.data.on)]
    case 'PersonForgotten':
      return [s(SQL.profileErased, e.data.personId), s(SQL.forgotten, e.data.personId, pos)]
  }
}

/**
 * The writes of the reports read model over an encrypted store: as `reportsWrites`, with a profile's
 * personal columns (birth date, ethnic-minority flag, ethnicity, religion) always NULL, as a forgotten
 * person's are, so that the store's derived tables hold no person's personal fields in clear; sex and
 * occupation, which are not personal fields (D29), stay. The roll, the one report that counts them, is
 * replayed from the log on such a store (docs/security.md).
 */
export const reportsWritesWithoutPersonalFields = (
  e: DomainEvent,
  at: LogPlace,
): ReadonlyArray<SqlStatement> =>
  reportsWrites(e, at).map((w) => {
    if (w.sql !== SQL.profile) return w
    const [id, pos, on, , sex, , occupation] = w.params
    return s(
      SQL.profile,
      id ?? null,
      pos ?? null,
      on ?? null,
      null,
      sex ?? null,
      null,
      occupation ?? null,
      null,
      null,
      null,
    )
  })

const DIRTY = `SELECT person_id FROM ${T.dirty}`

const VILLAGE_KEY = ['on_date', 'village_id']

/** `rows` summed per `key`, the sums that are all zero left out. */
const grouped = (key: ReadonlyArray<string>, cs: ReadonlyArray<string>, rows: string): string =>
  `SELECT ${[...key, ...cs.map((c) => `sum(${c})`)].join(', ')} FROM (${rows}) d ` +
  `GROUP BY ${key.join(', ')} HAVING ${cs.map((c) => `sum(${c}) <> 0`).join(' OR ')}`

/** An INSERT of `rows` summed per `key`, the sums that are all zero left out. */
const summed = (table: string, key: ReadonlyArray<string>, cs: ReadonlyArray<string>, rows: string): string =>
  `INSERT INTO ${table} (${[...key, ...cs].join(', ')}) ${grouped(key, cs, rows)}`

/** `INSERT … SELECT` rows of distinct keys (`summed`'s) added to a table's rows of the same keys. */
const added = (
  table: string,
  key: ReadonlyArray<string>,
  cs: ReadonlyArray<string>,
  insert: string,
): string =>
  `${insert} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${cs.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`

/**
 * The changes of `change` summed per decade ('D' and the date's first three characters: 'D202') and
 * per year ('Y2025') as an INSERT into `sum`, so that a sum up to a date reads the decades before its
 * own, the years of its decade before its own and the days of its year up to it. The decades are
 * summed from the years' sums (fewer rows than the days').
 */
const bucketSums = (
  change: string,
  sum: string,
  key: ReadonlyArray<string>,
  cs: ReadonlyArray<string>,
): string => {
  const columns = (date: string): string => [date, ...key, ...cs].join(', ')
  return (
    `WITH year_change (${columns('on_date')}) AS MATERIALIZED ` +
    `(${grouped(['on_date', ...key], cs, `SELECT ${columns("'Y' || substr(on_date, 1, 4) AS on_date")} FROM ${change}`)}) ` +
    `INSERT INTO ${sum} (${columns('on_date')}) SELECT ${columns('on_date')} FROM year_change ` +
    `UNION ALL ${grouped(['on_date', ...key], cs, `SELECT ${columns("'D' || substr(on_date, 2, 3) AS on_date")} FROM year_change`)}`
  )
}

/**
 * The changes of the count deltas the batch makes, summed once into the working tables `T.rollChange`
 * (and again over every organization, `T.rollTotalChange`) and `T.villageChange`: the new spans of its
 * persons (`T.spanNext`) counted and their old spans (`T.span`) taken away, each span counting from its
 * first day and no longer on its end, summed per date and organization holding the member and religion
 * (or village), the sums that cancel left out.
 */
const CHANGES: ReadonlyArray<string> = (() => {
  // `T.spanNext` holds the batch's persons' spans only: read whole, not person by person.
  const batch = (table: string): string => (table === T.spanNext ? 'true' : `person_id IN (${DIRTY})`)
  const of = (columns: (n: number) => string, where: string): string =>
    (
      [
        [T.spanNext, 1],
        [T.span, -1],
      ] as const
    )
      .map(
        ([table, sign]) =>
          `SELECT ${columns(sign)}, from_on AS on_date FROM ${table} WHERE ${batch(table)}${where} ` +
          `UNION ALL SELECT ${columns(-sign)}, to_on AS on_date FROM ${table} WHERE ${batch(table)} AND to_on IS NOT NULL${where}`,
      )
      .join(' UNION ALL ')
  const rollColumns = (n: number): string =>
    [
      'org_id',
      'religion',
      `${n} AS members`,
      ...ROLL_COUNTERS.map((c) => `${n} * ${c} AS ${c}`),
      ...OCCUPATIONS.map((o, i) => `CASE WHEN occupation = '${o}' THEN ${n} ELSE 0 END AS occupation_${i}`),
    ].join(', ')
  return [
    summed(T.rollChange, ROLL_KEY, ROLL_COUNT_COLUMNS, of(rollColumns, '')),
    // Over every organization: the organizations' changes summed again, without the organization.
    summed(
      T.rollTotalChange,
      ROLL_TOTAL_KEY,
      ROLL_COUNT_COLUMNS,
      `SELECT ${[...ROLL_TOTAL_KEY, ...ROLL_COUNT_COLUMNS].join(', ')} FROM ${T.rollChange}`,
    ),
    summed(
      T.villageChange,
      VILLAGE_KEY,
      ['members'],
      of((n) => `village_id, ${n} AS members`, ' AND village_id IS NOT NULL'),
    ),
  ]
})()

/**
 * The changes added to the count deltas and, bucketed per decade and year, to their sums; then the rows
 * they brought to nothing deleted (every other row was not changed, and no row is ever left at zero),
 * so that the rows are those a rebuild writes, however the log was cut into batches.
 */
const APPLY_CHANGES: ReadonlyArray<string> = (() => {
  const apply = (
    change: string,
    delta: string,
    sum: string,
    key: ReadonlyArray<string>,
    cs: ReadonlyArray<string>,
  ): ReadonlyArray<string> => {
    const columns = [...key, ...cs].join(', ')
    const rest = key.slice(1)
    const zero = cs.map((c) => `${c} = 0`).join(' AND ')
    const keys = (date: string): string => `SELECT ${[date, ...rest].join(', ')} FROM ${change}`
    return [
      // `WHERE true`: SQLite would read the ON of ON CONFLICT as a join's.
      added(delta, key, cs, `INSERT INTO ${delta} (${columns}) SELECT ${columns} FROM ${change} WHERE true`),
      added(sum, key, cs, bucketSums(change, sum, rest, cs)),
      `DELETE FROM ${delta} WHERE ${zero} AND (${key.join(', ')}) IN (${keys('on_date')})`,
      // The buckets' keys read as a table (`SELECT * FROM (…) k`): given the compound select itself,
      // SQLite scanned the whole table instead of looking each key up by the primary key.
      `DELETE FROM ${sum} WHERE ${zero} AND (${key.join(', ')}) IN ` +
        `(SELECT * FROM (${keys("'D' || substr(on_date, 1, 3)")} UNION ALL ${keys("'Y' || substr(on_date, 1, 4)")}) k)`,
    ]
  }
  return [
    ...apply(T.rollChange, T.rollDelta, T.rollSum, ROLL_KEY, ROLL_COUNT_COLUMNS),
    ...apply(T.rollTotalChange, T.rollTotalDelta, T.rollTotalSum, ROLL_TOTAL_KEY, ROLL_COUNT_COLUMNS),
    ...apply(T.villageChange, T.villageDelta, T.villageSum, VILLAGE_KEY, ['members']),
  ]
})()

/** The columns of a span row. */
const SPAN_COLUMNS = `person_id, from_on, to_on, org_id, village_id, religion, ${ROLL_COUNTERS.join(', ')}, occupation`

/**
 * The spans of the batch's members (those with a membership): their lives cut at every date on which
 * what the roll or blank villages count of them may change (an admission, the end of its probation, a
 * registration, a departure; an entry of their organization, profile or residence; the thirtieth
 * birthday of a profile), each span with what they count while it lasts, as the reports read the
 * tables at their position: the active membership (`activeMembership`), the organization holding them
 * (`personOrgAt`), the profile (`profileAt`), the residence (`residenceAt`), official (`isOfficial`,
 * with `served_on`) and under 30 (`aged_on`). Spans on which the person is not a member are left out.
 */
const SPANS = (() => {
  const persons = `SELECT d.person_id FROM ${T.dirty} d WHERE EXISTS (SELECT 1 FROM ${T.membership} m WHERE m.person_id = d.person_id)`
  // Each table read once for the batch's members (by primary key: a join to them, or their list
  // materialized, had SQLite scan every table for a catch-up of one person), its dates side by side
  // made rows (one per row of VALUES), and the duplicates left to the window below: eight reads of the
  // tables and a UNION that sorts to drop duplicates made the statement a third slower (SQLite).
  const dates = (table: string, columns: ReadonlyArray<string>): string => {
    const date =
      columns.length === 1
        ? `t.${columns[0]!}`
        : `CASE k.column1 ${columns.map((c, i) => (i < columns.length - 1 ? `WHEN ${i + 1} THEN t.${c}` : `ELSE t.${c}`)).join(' ')} END`
    const each =
      columns.length === 1 ? '' : ` CROSS JOIN (VALUES ${columns.map((_, i) => `(${i + 1})`).join(', ')}) k`
    return `SELECT t.person_id, ${date} AS on_date FROM ${table} t${each} WHERE t.person_id IN (SELECT person_id FROM span_person)`
  }
  const breaks = [
    dates(T.membership, ['admitted_on', 'served_on', 'registered_on', 'left_on']),
    dates(T.personOrg, ['valid_from']),
    dates(T.profile, ['valid_from', 'aged_on']),
    dates(T.residence, ['valid_from']),
  ].join(' UNION ALL ')
  const official =
    "(m.existing = 'official' AND (m.served_on <= a.from_on OR (m.registered_on IS NOT NULL AND m.registered_on <= a.from_on))) " +
    "OR ((m.existing IS NULL OR m.existing <> 'official') AND m.confirmed_pos IS NOT NULL AND m.served_on <= a.from_on)"
  const flag = (condition: string): string => `CASE WHEN ${condition} THEN 1 ELSE 0 END`
  return (
    `WITH span_person (person_id) AS (${persons}), ` +
    `span_break (person_id, on_date) AS (SELECT person_id, on_date FROM (${breaks}) u WHERE on_date IS NOT NULL), ` +
    'span_at (person_id, from_on, to_on, membership_pos, held_by, profile_pos, village_id) AS (' +
    'SELECT b.person_id, b.on_date, b.next_on, ' +
    `(SELECT max(m.pos) FROM ${T.membership} m WHERE m.person_id = b.person_id AND m.admitted_on <= b.on_date ` +
    'AND m.annulled_pos IS NULL AND (m.left_pos IS NULL OR m.left_on > b.on_date)), ' +
    `(SELECT o.org_id FROM ${T.personOrg} o WHERE o.person_id = b.person_id AND o.valid_from <= b.on_date ORDER BY o.pos DESC LIMIT 1), ` +
    `(SELECT max(p.pos) FROM ${T.profile} p WHERE p.person_id = b.person_id AND p.valid_from <= b.on_date), ` +
    `(SELECT r.village_id FROM ${T.residence} r WHERE r.person_id = b.person_id AND r.valid_from <= b.on_date ORDER BY r.pos DESC LIMIT 1) ` +
    // A date found twice (a break of two tables, or two rows) starts one span: the one followed by a later date, or by none.
    'FROM (SELECT person_id, on_date, lead(on_date) OVER (PARTITION BY person_id ORDER BY on_date) AS next_on FROM span_break) b ' +
    'WHERE b.next_on IS NULL OR b.next_on > b.on_date) ' +
    `INSERT INTO ${T.spanNext} (${SPAN_COLUMNS}) ` +
    "SELECT a.person_id, a.from_on, a.to_on, coalesce(a.held_by, m.org_id), a.village_id, coalesce(p.religion, ''), " +
    [
      flag(official),
      flag('p.person_id IS NULL'),
      flag('p.person_id IS NOT NULL AND p.birth_date IS NULL'),
      flag("p.sex = 'female'"),
      flag('p.ethnic_minority = 1'),
      flag('p.aged_on > a.from_on'),
    ].join(', ') +
    ', p.occupation ' +
    `FROM span_at a JOIN ${T.membership} m ON m.person_id = a.person_id AND m.pos = a.membership_pos ` +
    `LEFT JOIN ${T.profile} p ON p.person_id = a.person_id AND p.pos = a.profile_pos`
  )
})()

const statement = (sql: string, ...params: SqlValue[]): SqlStatement => ({ sql, params })

const SETTLE: ReadonlyArray<SqlStatement> = [
  // The batch's persons, their spans and the changes are planned for as many rows as they hold now: the
  // working tables are emptied at the end of every settle, and a planner that believes them empty joins
  // them in quadratic time (a catch-up of 50,000 events took minutes on PostgreSQL).
  refreshStatistics(T.dirty),
  statement(SPANS),
  refreshStatistics(T.spanNext),
  ...CHANGES.map((sql) => statement(sql)),
  refreshStatistics(T.rollChange),
  refreshStatistics(T.rollTotalChange),
  refreshStatistics(T.villageChange),
  ...[
    ...APPLY_CHANGES,
    `DELETE FROM ${T.span} WHERE person_id IN (${DIRTY})`,
    `INSERT INTO ${T.span} (${SPAN_COLUMNS}) SELECT ${SPAN_COLUMNS} FROM ${T.spanNext}`,
  ].map((sql) => statement(sql)),
  // Emptied, not deleted row by row: on PostgreSQL, dead rows of the last large catch-up made every
  // later settle (every command's) scan them again: 1.2 s of a one-line import at province.
  ...[T.spanNext, T.rollChange, T.rollTotalChange, T.villageChange, T.dirty].map(emptyTable),
]

/** Whether an event may change a member's spans (`reportsWrites` marks its person for the settle). */
export const leavesSpanWork = (e: DomainEvent): boolean => SPAN_EVENTS.has(e.type)

/**
 * The statements run with the last batch of a catch-up (`ReadModel.settle`): the spans of the persons
 * the batch touched are recomputed, their count deltas replaced, and the position they reflect stored.
 * A catch-up of events none of which may change a span (`leavesSpanWork`: organizations, villages,
 * quotas, classes; a command registering a village) left the working tables as the last settle emptied
 * them when that settle stood where the catch-up started: the spans and deltas then reflect the new
 * position as they are, which alone is stored. The ten statements of a settle cost about 20 ms on
 * PostgreSQL even with nothing to do (its `TRUNCATE`s, its statistics). Otherwise (a catch-up cut short
 * left persons marked) the position stays, and the reports read the members' rows until a catch-up
 * with a person's event settles them all.
 */
export const reportsSettle = (position: number, pass: SettlePass): ReadonlyArray<SqlStatement> =>
  pass.work
    ? [
        ...SETTLE,
        statement(
          `INSERT INTO ${T.settled} (id, position) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET position = excluded.position`,
          position,
        ),
      ]
    : [
        statement(
          `UPDATE ${T.settled} SET position = $1 WHERE id = 1 AND position = $2`,
          position,
          pass.from,
        ),
        statement(
          `INSERT INTO ${T.settled} (id, position) SELECT 1, CAST($1 AS INTEGER) WHERE CAST($2 AS INTEGER) = 0 ON CONFLICT (id) DO NOTHING`,
          position,
          pass.from,
        ),
      ]
