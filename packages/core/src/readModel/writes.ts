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

const s = (sql: string, ...params: SqlValue[]): SqlStatement => {
  const touches = TOUCHES.get(sql)
  if (touches === undefined) return { sql, params }
  const key =
    touches.keyParams === 1
      ? String(params[0])
      : params.slice(0, touches.keyParams).map(String).join('\u0000')
  return { sql, params, keys: touches.prefixes.map((t) => t + key) }
}

const person = (id: string, pos: number): SqlStatement => s(SQL.person, id, pos)

const step = (id: string, name: StampedStep, on: string, pos: number): ReadonlyArray<SqlStatement> => [
  person(id, pos),
  s(SQL.step, id, name, pos, on),
]

const profile = (id: string, on: string, pos: number, p: StoredProfile): ReadonlyArray<SqlStatement> => [
  s(SQL.profileClose, id, on, pos),
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

const personOrg = (id: string, on: string, pos: number, orgId: string): ReadonlyArray<SqlStatement> => [
  s(SQL.personOrgClose, id, on, pos),
  s(SQL.personOrg, id, pos, on, orgId),
]

const residence = (
  id: string,
  on: string,
  pos: number,
  villageId: string | null,
): ReadonlyArray<SqlStatement> => [
  s(SQL.residenceClose, id, on, pos),
  s(SQL.residence, id, pos, on, villageId),
]

/** The statements folding one event, recorded at `at.position`, into the reports read model. */
export const reportsWrites = (e: DomainEvent, at: LogPlace): ReadonlyArray<SqlStatement> => {
  const pos = at.position
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
      return [
        person(d.personId, pos),
        ...profile(d.personId, d.on, pos, d.profile),
        ...personOrg(d.personId, d.on, pos, d.orgId),
        ...(d.villageId === undefined ? [] : residence(d.personId, d.on, pos, d.villageId)),
        s(SQL.step, d.personId, 'nominated', pos, d.on),
      ]
    }
    case 'AwarenessClassCompleted':
      return step(e.data.personId, 'trained', e.data.on, pos)
    case 'BackgroundVerified':
      return e.data.outcome === 'cleared' ? step(e.data.personId, 'verified', e.data.on, pos) : []
    case 'CellVoted':
      return [
        person(e.data.personId, pos),
        s(SQL.cellVote, e.data.personId, pos, e.data.on, e.data.inFavour, e.data.eligible),
      ]
    case 'CommitteeVoted':
      return []
    case 'AdmissionDecided':
      return step(e.data.personId, 'decided', e.data.on, pos)
    case 'MemberAdmitted': {
      const d = e.data
      return [
        person(d.personId, pos),
        s(SQL.membership, d.personId, pos, d.orgId, d.on, null, null),
        ...personOrg(d.personId, d.on, pos, d.orgId),
      ]
    }
    case 'MembershipConfirmed':
      return [s(SQL.confirmed, e.data.personId, pos), ...step(e.data.personId, 'confirmed', e.data.on, pos)]
    case 'CandidacyClosed':
      return step(e.data.personId, 'closed', e.data.on, pos)
    case 'AdmissionAnnulled':
      return [s(SQL.annulled, e.data.personId, pos)]
    case 'ExistingMemberRegistered': {
      const d = e.data
      return [
        person(d.personId, pos),
        ...(d.profile === undefined ? [] : profile(d.personId, d.admittedOn, pos, d.profile)),
        s(SQL.membership, d.personId, pos, d.orgId, d.admittedOn, d.status, d.on),
        ...personOrg(d.personId, d.admittedOn, pos, d.orgId),
        ...(d.villageId === undefined ? [] : residence(d.personId, d.admittedOn, pos, d.villageId)),
      ]
    }
    case 'MemberTransferred':
      return e.data.temporary === true
        ? []
        : [person(e.data.personId, pos), ...personOrg(e.data.personId, e.data.on, pos, e.data.toOrgId)]
    case 'MemberMoved':
      return [person(e.data.personId, pos), ...residence(e.data.personId, e.data.on, pos, e.data.villageId)]
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
