/**
 * The row writes that fold one event into the reports read model: the same facts `applyEvent` keeps in
 * memory, as SQL both stores run (guards such as "only when the organization is known" are conditions
 * of the statements, so that the writes never read the tables back into the process).
 */
import type { LogPlace, SqlStatement, SqlValue } from '@ketnap/kernel'
import { isErased, type DomainEvent, type StoredProfile } from '../events'
import type { StampedStep } from '../projections/state'
import { T } from './tables'

const values = (n: number): string => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')

const insert = (table: string, columns: ReadonlyArray<string>): string =>
  `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values(columns.length)}) ON CONFLICT DO NOTHING`

/** Closes the open entry of a timeline (`$1` key, `$2` the new entry's date, `$3` its position). */
const closeTimeline = (table: string, key: string): string =>
  `UPDATE ${table} SET valid_to = $2, superseded_pos = $3 WHERE ${key} = $1 AND superseded_pos IS NULL`

/** Adds an entry to a timeline when `guard` (SQL over `$1`, the key) holds. */
const pushWhen = (table: string, key: string, value: string, guard: string): string =>
  `INSERT INTO ${table} (${key}, pos, valid_from, ${value}) SELECT $1, $2, $3, $4 WHERE ${guard}`

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
  profileErased: `UPDATE ${T.profile} SET birth_date = NULL, ethnic_minority = NULL, ethnicity = NULL, religion = NULL WHERE person_id = $1`,
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
    'existing',
    'registered_on',
  ]),
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
        [SQL.profile, [T.profile]],
        [SQL.personOrgClose, [T.personOrg]],
        [SQL.personOrg, [T.personOrg]],
        [SQL.residenceClose, [T.residence]],
        [SQL.residence, [T.residence]],
        [SQL.step, [T.step]],
        [SQL.cellVote, [T.cellVote]],
        [SQL.membership, [T.membership]],
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
    ? s(SQL.profile, id, pos, on, null, p.sex, null, p.occupation, null, null)
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

/**
 * The statements folding one event, recorded at `at.position`, into the reports read model. With the
 * event's stream and version (`at.stream`, `at.version`), a person's event writes no statement that
 * would change nothing: the person's row after their first event, the closing of timelines at it.
 */
export const reportsWrites = (e: DomainEvent, at: LogPlace): ReadonlyArray<SqlStatement> => {
  const pos = at.position
  const of = (id: string): InStream => inStream(id, at)
  switch (e.type) {
    case 'OrganizationRegistered': {
      const d = e.data
      return [
        s(SQL.orgParentFirst, d.orgId, pos, d.on, d.parentId),
        s(SQL.org, d.orgId, d.name, d.level, d.unitId ?? null, d.villageId ?? null, d.on, pos),
      ]
    }
    case 'OrganizationMoved':
      return [
        s(SQL.orgParentClose, e.data.orgId, e.data.on, pos),
        s(SQL.orgParentPush, e.data.orgId, pos, e.data.on, e.data.parentId),
      ]
    case 'OrganizationDissolved':
      return [s(SQL.orgDissolved, e.data.orgId, e.data.on, pos, e.data.mergedInto ?? null)]
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
        s(SQL.membership, d.personId, pos, d.orgId, d.on, null, null),
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
        s(SQL.membership, d.personId, pos, d.orgId, d.admittedOn, d.status, d.on),
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
      return [s(SQL.profileErased, e.data.personId)]
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
    )
  })
