/**
 * Reading a report's facts back from the reports read model: the queries a report needs (only the rows
 * it can count: the organization tree, the admissions of its period, the quotas of its period) and the
 * `ReportsState` they make, on which the report runs exactly as on the replayed state. Its `rec` stamps
 * are log positions, so "known at" is the position bound the caller sets in `knownBound`.
 */
import type { SqlRow, SqlStatement, SqlValue } from '@ketnap/kernel'
import type { OrgLevel, Profile } from '../events'
import { parsePeriod } from '../primitives'
import type { ReportName, ReportQuery } from '../reports'
import { emptyReportsState, type Membership, type PersonFacts, type ReportsState } from '../projections/state'
import { T } from './tables'

/** The queries of one report and how their rows become the state it reads. */
export interface ReportLoad {
  readonly queries: ReadonlyArray<SqlStatement>
  /** The state of the first `position` events restricted to what the report reads; throws on a malformed row. */
  readonly assemble: (rows: ReadonlyArray<ReadonlyArray<SqlRow>>) => ReportsState
}

/** The reports answered from the read model; the others replay the log. */
export const READ_MODEL_REPORTS: ReadonlyArray<ReportName> = ['attainment']

/** A row that does not hold what the read model's tables declare (a foreign or damaged store). */
export class MalformedRow extends Error {}

const value = (r: SqlRow, c: string): SqlValue => {
  const v = r[c]
  if (v === undefined) throw new MalformedRow(`no column ${c}`)
  return v
}
const str = (r: SqlRow, c: string): string => {
  const v = value(r, c)
  if (typeof v !== 'string') throw new MalformedRow(`${c} is not text: ${String(v)}`)
  return v
}
const strOrNull = (r: SqlRow, c: string): string | null => (value(r, c) === null ? null : str(r, c))
const num = (r: SqlRow, c: string): number => {
  const v = value(r, c)
  if (typeof v !== 'number') throw new MalformedRow(`${c} is not a number: ${String(v)}`)
  return v
}
const numOrNull = (r: SqlRow, c: string): number | null => (value(r, c) === null ? null : num(r, c))

/** A later change, as the first `position` events knew it: one recorded after them did not happen yet. */
const upTo = (position: number, pos: number | null): number | null =>
  pos !== null && pos <= position ? pos : null

const person = (s: ReportsState, id: string): PersonFacts => {
  let p = s.persons.get(id)
  if (p === undefined) {
    p = { id, profiles: [], memberships: [], residence: [], orgs: [], steps: {} }
    s.persons.set(id, p)
  }
  return p
}

const ORGS = `SELECT org_id, name, level, unit_id, village_id, registered_on, pos, dissolved_on, dissolved_pos FROM ${T.org} WHERE pos <= $1 ORDER BY pos`
const ORG_PARENTS = `SELECT org_id, pos, valid_from, parent_id FROM ${T.orgParent} WHERE pos <= $1 ORDER BY org_id, pos`

const addOrgs = (
  s: ReportsState,
  position: number,
  orgs: ReadonlyArray<SqlRow>,
  parents: ReadonlyArray<SqlRow>,
): void => {
  for (const r of orgs) {
    const dissolved = upTo(position, numOrNull(r, 'dissolved_pos'))
    s.orgs.set(str(r, 'org_id'), {
      id: str(r, 'org_id'),
      name: str(r, 'name'),
      level: str(r, 'level') as OrgLevel,
      unitId: strOrNull(r, 'unit_id'),
      villageId: strOrNull(r, 'village_id'),
      registeredOn: str(r, 'registered_on'),
      rec: num(r, 'pos'),
      parents: [],
      dissolved: dissolved === null ? null : { on: str(r, 'dissolved_on'), rec: dissolved },
    })
  }
  for (const r of parents)
    s.orgs.get(str(r, 'org_id'))?.parents.push({
      on: str(r, 'valid_from'),
      rec: num(r, 'pos'),
      value: strOrNull(r, 'parent_id'),
    })
}

const MEMBERSHIP_COLUMNS =
  'person_id, pos, org_id, admitted_on, existing, registered_on, annulled_pos, confirmed_pos, left_on, left_pos'
/** Memberships admitted in [$2, $3]. */
const ADMITTED_IN = `SELECT ${MEMBERSHIP_COLUMNS} FROM ${T.membership} WHERE pos <= $1 AND admitted_on >= $2 AND admitted_on <= $3 ORDER BY person_id, pos`
/** Profiles of the persons admitted in [$2, $3]. */
const PROFILES_OF_ADMITTED =
  `SELECT person_id, pos, valid_from, birth_date, sex, ethnic_minority, occupation, ethnicity, religion ` +
  `FROM ${T.profile} WHERE pos <= $1 AND person_id IN (SELECT person_id FROM ${T.membership} ` +
  `WHERE pos <= $1 AND admitted_on >= $2 AND admitted_on <= $3) ORDER BY person_id, pos`

const addMemberships = (s: ReportsState, position: number, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows) {
    const left = upTo(position, numOrNull(r, 'left_pos'))
    const m: Membership = {
      orgId: str(r, 'org_id'),
      on: str(r, 'admitted_on'),
      rec: num(r, 'pos'),
      existing: strOrNull(r, 'existing') as Membership['existing'],
      registeredOn: strOrNull(r, 'registered_on'),
      annulledRec: upTo(position, numOrNull(r, 'annulled_pos')),
      confirmedRec: upTo(position, numOrNull(r, 'confirmed_pos')),
      left: left === null ? null : { on: str(r, 'left_on'), rec: left },
    }
    person(s, str(r, 'person_id')).memberships.push(m)
  }
}

const addProfiles = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows) {
    const ethnicity = strOrNull(r, 'ethnicity')
    const religion = strOrNull(r, 'religion')
    const profile = {
      birthDate: str(r, 'birth_date'),
      sex: str(r, 'sex'),
      ethnicMinority: num(r, 'ethnic_minority') === 1,
      occupation: str(r, 'occupation'),
      ...(ethnicity === null ? {} : { ethnicity }),
      ...(religion === null ? {} : { religion }),
    } as Profile
    person(s, str(r, 'person_id')).profiles.push({
      on: str(r, 'valid_from'),
      rec: num(r, 'pos'),
      value: profile,
    })
  }
}

const QUOTAS = `SELECT org_id, period, occupation, assigned_by, ref, pos FROM ${T.quota} WHERE pos <= $1 AND period = $2 ORDER BY pos`
const QUOTA_TARGETS = `SELECT org_id, period, occupation, assigned_by, pos, target FROM ${T.quotaTarget} WHERE pos <= $1 AND period = $2 ORDER BY pos`

const addQuotas = (s: ReportsState, quotas: ReadonlyArray<SqlRow>, targets: ReadonlyArray<SqlRow>): void => {
  const key = (r: SqlRow): string =>
    JSON.stringify([str(r, 'org_id'), str(r, 'period'), str(r, 'occupation'), str(r, 'assigned_by')])
  const byKey = new Map<string, Array<{ readonly target: number; readonly rec: number }>>()
  for (const r of quotas) {
    const orgId = str(r, 'org_id')
    const occupation = str(r, 'occupation')
    const list = s.quotas.get(orgId) ?? []
    if (list.length === 0) s.quotas.set(orgId, list)
    const own: Array<{ readonly target: number; readonly rec: number }> = []
    byKey.set(key(r), own)
    list.push({
      orgId,
      period: str(r, 'period'),
      occupation: occupation === '' ? null : occupation,
      assignedBy: str(r, 'assigned_by'),
      ref: strOrNull(r, 'ref'),
      targets: own,
    })
  }
  for (const r of targets) byKey.get(key(r))?.push({ target: num(r, 'target'), rec: num(r, 'pos') })
}

/** The queries of report `name` over the first `position` events, or null when it is not read from the tables. */
export const loadReport = (name: ReportName, query: ReportQuery, position: number): ReportLoad | null => {
  switch (name) {
    case 'attainment': {
      const period = query.period === undefined ? null : parsePeriod(query.period)
      const orgs = [
        { sql: ORGS, params: [position] },
        { sql: ORG_PARENTS, params: [position] },
      ]
      if (period === null || query.period === undefined)
        return {
          queries: orgs,
          assemble: ([o = [], p = []]) => {
            const s = emptyReportsState()
            addOrgs(s, position, o, p)
            return s
          },
        }
      const window = [position, period.from, period.to]
      const profiles = query.occupation !== undefined
      return {
        queries: [
          ...orgs,
          { sql: ADMITTED_IN, params: window },
          { sql: QUOTAS, params: [position, query.period] },
          { sql: QUOTA_TARGETS, params: [position, query.period] },
          ...(profiles ? [{ sql: PROFILES_OF_ADMITTED, params: window }] : []),
        ],
        assemble: ([o = [], p = [], m = [], q = [], t = [], pr = []]) => {
          const s = emptyReportsState()
          addOrgs(s, position, o, p)
          addMemberships(s, position, m)
          addQuotas(s, q, t)
          addProfiles(s, pr)
          s.position = position
          return s
        },
      }
    }
    default:
      return null
  }
}
