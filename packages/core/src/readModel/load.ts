/**
 * Reading a report's facts back from the reports read model: the queries a report needs (only the rows
 * it can count: the organization tree, the admissions of its period, the quotas of its period) and the
 * `ReportsState` they make, on which the report runs exactly as on the replayed state. Its `rec` stamps
 * are log positions, so "known at" is the position bound the caller sets in `knownBound`.
 */
import type { SqlRow, SqlStatement, SqlValue } from '@ketnap/kernel'
import {
  OCCUPATIONS,
  type DomainEvent,
  type Indicator,
  type OrgLevel,
  type Profile,
  type StoredProfile,
  type Rating,
  type UnitKind,
} from '../events'
import { applyEvent } from '../projections/apply'
import { asPolicies, defaultPolicies, type Policies } from '../policy'
import type { ReportsPolicy } from '../projections/context'
import { MAX_DEPTH } from '../projections/facts'
import { rollBounds } from '../projections/roll'
import { parsePeriod } from '../primitives'
import { FUNNEL_CHAIN, type FunnelChainStep, type ReportName, type ReportQuery } from '../reports'
import {
  emptyReportsState,
  FUNNEL_STEPS,
  personFacts,
  type Membership,
  type ReportsState,
  type FunnelTables,
  type RollGroup,
  type StampedStep,
} from '../projections/state'
import { ROLL_COUNT_COLUMNS, T } from './tables'

/** The policies the roll's probation is read under. */
type RollPolicies = ReportsPolicy | Policies<ReportsPolicy>

/** Where a report reads the tables: the log position, and the last position its known-at instant covers. */
export interface ReadBounds {
  /** Rows recorded after it are not read, and later changes after it did not happen. */
  readonly position: number
  /** The last position known at the query's `knownAt` (`position` without one). */
  readonly known: number
}

/** The queries of one report and how their rows become the state it reads. */
export interface ReportLoad {
  readonly queries: ReadonlyArray<SqlStatement>
  /** The state of the first `position` events restricted to what the report reads; throws on a malformed row. */
  readonly assemble: (rows: ReadonlyArray<ReadonlyArray<SqlRow>>) => ReportsState
  /** Events of the log the state also needs, applied after the rows (the kernel's `ReportEvents`). */
  readonly events?: {
    readonly positions: (state: ReportsState) => ReadonlyArray<number>
    readonly apply: (
      state: ReportsState,
      events: ReadonlyArray<{ readonly event: DomainEvent; readonly position: number }>,
    ) => ReportsState
  }
}

/** The reports answered from the read model; the others replay the log. */
export const READ_MODEL_REPORTS: ReadonlyArray<ReportName> = [
  'attainment',
  'coverage',
  'village-heads',
  'blank-villages',
  'training',
  'roll',
  'organizations',
  'ratings',
  'funnel',
]

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

const person = personFacts

const ORGS = `SELECT org_id, name, level, unit_id, village_id, registered_on, pos, dissolved_on, dissolved_pos, merged_into FROM ${T.org} WHERE pos <= $1 ORDER BY pos`
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
      dissolved:
        dissolved === null
          ? null
          : { on: str(r, 'dissolved_on'), rec: dissolved, mergedInto: strOrNull(r, 'merged_into') },
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
const PROFILE_COLUMNS =
  'person_id, pos, valid_from, birth_date, sex, ethnic_minority, occupation, ethnicity, religion'
/** Profiles of the persons admitted in [$2, $3]. */
const PROFILES_OF_ADMITTED =
  `SELECT ${PROFILE_COLUMNS} FROM ${T.profile} WHERE pos <= $1 AND person_id IN (SELECT person_id FROM ${T.membership} ` +
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

/** Rows of the steps table (`person_id, step, pos, on_date`) into their persons' dated steps. */
const addSteps = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows) {
    const steps = person(s, str(r, 'person_id')).steps
    const name = str(r, 'step') as StampedStep
    const stamp = { on: str(r, 'on_date'), rec: num(r, 'pos') }
    const list = steps[name]
    if (list === undefined) steps[name] = [stamp]
    else list.push(stamp)
  }
}

/** Rows of the cell votes table (`person_id, pos, on_date, in_favour, eligible`) into their persons' votes. */
const addCellVotes = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows) {
    const p = person(s, str(r, 'person_id'))
    const vote = {
      on: str(r, 'on_date'),
      rec: num(r, 'pos'),
      inFavour: num(r, 'in_favour'),
      eligible: num(r, 'eligible'),
    }
    if (p.cellVotes === undefined) p.cellVotes = [vote]
    else p.cellVotes.push(vote)
  }
}

const addProfiles = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows) {
    const ethnicity = strOrNull(r, 'ethnicity')
    const religion = strOrNull(r, 'religion')
    const birthDate = strOrNull(r, 'birth_date')
    const profile: StoredProfile =
      birthDate === null
        ? ({ erased: true, sex: str(r, 'sex'), occupation: str(r, 'occupation') } as StoredProfile)
        : ({
            birthDate,
            sex: str(r, 'sex'),
            ethnicMinority: num(r, 'ethnic_minority') === 1,
            occupation: str(r, 'occupation'),
            ...(ethnicity === null ? {} : { ethnicity }),
            ...(religion === null ? {} : { religion }),
          } as Profile)
    person(s, str(r, 'person_id')).profiles.push({
      on: str(r, 'valid_from'),
      rec: num(r, 'pos'),
      value: profile,
    })
  }
}

const QUOTAS = `SELECT org_id, period, occupation, assigned_by, ref, pos FROM ${T.quota} WHERE pos <= $1 AND period = $2 ORDER BY pos`
const QUOTA_TARGETS = `SELECT org_id, period, occupation, assigned_by, pos, target FROM ${T.quotaTarget} WHERE pos <= $1 AND period = $2 ORDER BY pos`

/**
 * `sql` (parameters: `$1` the position, `$2` another) narrowed to the rows of the widest subtree of the
 * organization `$3` and those `also` admits; every row for an organization that never had a parent.
 */
const inSubtree = (sql: string, also?: string): string =>
  `WITH RECURSIVE ${widestSubtree('$1', '$3')} ` +
  sql.replace(
    ' ORDER BY ',
    ` AND (${everUnder('$1', '$3')} = 0${also === undefined ? '' : ` OR ${also}`} ` +
      'OR org_id IN (SELECT org_id FROM scope_org)) ORDER BY ',
  )

/**
 * The quotas (or their targets) of period `$2` a report of the organization `$3` reads: those of its
 * widest subtree and those it assigned (`subQuotaTotal` counts them wherever they went).
 */
const quotasOfSubtree = (sql: string): string => inSubtree(sql, 'assigned_by = $3')

const addQuotas = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows) {
    const orgId = str(r, 'org_id')
    const occupation = str(r, 'occupation')
    const list = s.quotas.get(orgId)
    const quota = {
      orgId,
      period: str(r, 'period'),
      occupation: occupation === '' ? null : occupation,
      assignedBy: str(r, 'assigned_by'),
      ref: strOrNull(r, 'ref'),
      targets: [],
    }
    if (list === undefined) s.quotas.set(orgId, [quota])
    else list.push(quota)
  }
}

const addQuotaTargets = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows) {
    const occupation = str(r, 'occupation')
    const period = str(r, 'period')
    const assignedBy = str(r, 'assigned_by')
    s.quotas
      .get(str(r, 'org_id'))
      ?.find((q) => q.period === period && (q.occupation ?? '') === occupation && q.assignedBy === assignedBy)
      ?.targets.push({ target: num(r, 'target'), rec: num(r, 'pos') })
  }
}

/** One query of a report and how its rows go into the state (in the order of the report's parts). */
interface Part {
  readonly query: SqlStatement
  readonly add: (s: ReportsState, rows: ReadonlyArray<SqlRow>) => void
  /** The column naming the person of each row, when the rows are persons' facts (left out for the persons a tail touches). */
  readonly persons?: string
}

const part = (sql: string, params: ReadonlyArray<SqlValue>, add: Part['add']): Part => ({
  query: { sql, params },
  add,
})

/** A part whose rows are facts of the persons named in `column`. */
const personsPart = (column: string, p: Part): Part => ({ ...p, persons: column })

/** `sql` (parameters `$1`..`$from-1`) also leaving out the rows whose `column` is one of `ids`. */
const excluding = (sql: string, column: string, ids: ReadonlyArray<string>, from: number): string => {
  const condition = ` AND ${column} NOT IN (${ids.map((_, i) => `$${from + i}`).join(', ')})`
  const order = sql.lastIndexOf(' ORDER BY ')
  return order < 0 ? sql + condition : sql.slice(0, order) + condition + sql.slice(order)
}

const orgParts = (b: ReadBounds): Part[] => [
  part(ORGS, [b.position], (s, rows) => addOrgs(s, b.position, rows, [])),
  part(ORG_PARENTS, [b.position], (s, rows) => addOrgs(s, b.position, [], rows)),
]

/**
 * The widest subtree of the organization `org` as known at position `pos` (both parameters), as a common
 * table expression of a `WITH RECURSIVE`: `scope_org`, every organization a parent link or a merge known
 * then ever put under it (`org_edge`, walked down its primary key): a superset of its subtree on any
 * date, `--include-merged`'s absorbed organizations included. `seed` conditions the organization itself
 * (the subtree is empty when it fails).
 */
const widestSubtree = (pos: string, org: string, seed?: string): string =>
  `scope_org (org_id) AS (SELECT CAST(${org} AS TEXT)${seed === undefined ? '' : ` WHERE ${seed}`} ` +
  `UNION SELECT e.child_id FROM scope_org s CROSS JOIN ${T.orgEdge} e WHERE e.parent_id = s.org_id AND e.pos <= ${pos})`

/** Whether the organization `org` ever had a parent as known at `pos` (0 for a top organization). */
const everUnder = (pos: string, org: string): string =>
  `(SELECT count(*) FROM ${T.orgParent} WHERE org_id = ${org} AND parent_id IS NOT NULL AND pos <= ${pos})`

/**
 * The position of the parent entry of the organization `org` in force on date `d` as known at `pos`
 * (`parentAt`): the last known entry dated on or before it, else its first entry.
 */
const parentEntryAt = (org: string, d: string, pos: string): string =>
  `coalesce((SELECT max(x.pos) FROM ${T.orgParent} x WHERE x.org_id = ${org} AND x.pos <= ${pos} AND x.valid_from <= ${d}), ` +
  `(SELECT min(x.pos) FROM ${T.orgParent} x WHERE x.org_id = ${org} AND x.pos <= ${pos}))`

/**
 * The subtree of the organization `org` on date `d` as known at `pos`, as a common table expression of a
 * `WITH RECURSIVE`: `tree_on`, the organizations reached from it (when it is known) down the parent
 * entries in force on the date (`parentAt`: an edge whose child has that parent then), at most 63 links:
 * the organizations the report's `subtreeAt` finds in it (merges or not). `seed` conditions the start
 * (the walk is empty when it fails).
 */
const subtreeOn = (d: string, pos: string, org: string, seed?: string): string =>
  `tree_on (org_id, depth) AS MATERIALIZED (SELECT CAST(${org} AS TEXT), 0 ` +
  `WHERE ${seed === undefined ? '' : `${seed} AND `}EXISTS (SELECT 1 FROM ${T.org} WHERE org_id = ${org} AND pos <= ${pos}) ` +
  `UNION SELECT e.child_id, t.depth + 1 FROM tree_on t CROSS JOIN ${T.orgEdge} e ` +
  `WHERE e.parent_id = t.org_id AND e.pos <= ${pos} AND t.depth < ${MAX_DEPTH - 1} ` +
  `AND (SELECT l.parent_id FROM ${T.orgParent} l WHERE l.org_id = e.child_id AND l.pos = ${parentEntryAt('e.child_id', d, pos)}) = t.org_id)`

/**
 * Whether the subtree of the organization `org` on date `d` as known at `pos` holds every organization
 * known then, as common table expressions of a `WITH RECURSIVE`: `tree_on` (`subtreeOn`; empty for an
 * organization that ever had a parent, unless `walkAny`) and `whole_tree`, one row when `org` never had
 * a parent and the walk reached every organization known.
 * Then every organization is in the subtree as the report tests it, and the sums over every
 * organization are the subtree's.
 */
const wholeTreeOn = (d: string, pos: string, org: string, walkAny = false): string =>
  // The walk only for an organization that never had a parent, unless its subtree is read too.
  `${subtreeOn(d, pos, org, walkAny ? undefined : `${everUnder(pos, org)} = 0`)}, ` +
  `whole_tree (open) AS (SELECT 1 WHERE ${everUnder(pos, org)} = 0 AND EXISTS (SELECT 1 FROM tree_on) AND ` +
  `(SELECT count(*) FROM tree_on) = (SELECT count(*) FROM ${T.org} WHERE pos <= ${pos}))`

/**
 * A one-row table holding its row only while `condition` holds, for the tables after it to be joined to
 * (it ends in `CROSS JOIN`): when the condition fails they are not read at all (a condition in WHERE was
 * tested on every row).
 */
const gateOn = (condition: string, alias = 'g'): string =>
  `(SELECT 1 AS open WHERE ${condition}) ${alias} CROSS JOIN `

/**
 * `select(from)` over every row when the organization `org` never had a parent (its subtree is
 * everything), else over the rows whose `key` (an organization's id by default) `scope` names (a table
 * expression of that column): two branches behind one-row gates, so that the one that fails reads
 * nothing. `scoped` is the condition of the second branch (by default: `org` ever had a parent). `from`
 * gives the FROM clause of the table with its alias, ending where the caller's conditions follow (after
 * WHERE). `CROSS JOIN` keeps SQLite's order: from the organizations to their rows, through the index on
 * the organization (without statistics it scanned the table instead).
 */
const everyOrScopedOrgs = (
  pos: string,
  org: string,
  scope: string,
  select: (from: (table: string, alias: string) => string) => string,
  key = 'org_id',
  scoped = `${everUnder(pos, org)} > 0`,
): string =>
  select((table, alias) => `${gateOn(`NOT (${scoped})`)}${table} ${alias} WHERE`) +
  ' UNION ALL ' +
  select(
    (table, alias) =>
      `${gateOn(scoped)}${scope} c CROSS JOIN ${table} ${alias} ` + `WHERE ${alias}.${key} = c.${key} AND`,
  )

const ORG_COLUMNS = [
  'org_id',
  'name',
  'level',
  'unit_id',
  'village_id',
  'registered_on',
  'pos',
  'dissolved_on',
  'dissolved_pos',
  'merged_into',
]
const columnsOf = (alias: string, columns: ReadonlyArray<string>): string =>
  columns.map((c) => `${alias}.${c}`).join(', ')

/**
 * Memberships admitted in [$2, $3] in the widest subtree of the organization `$4` (every one for an
 * organization that never had a parent): `ADMITTED_IN` for one organization's report.
 */
const admittedInSubtree = (columns: string): string =>
  everyOrScopedOrgs(
    '$1',
    '$4',
    'scope_org',
    (from) =>
      `SELECT ${columns} FROM ${from(T.membership, 'm')} ` +
      'm.pos <= $1 AND m.admitted_on >= $2 AND m.admitted_on <= $3',
  )
const ADMITTED_IN_SUBTREE =
  `WITH RECURSIVE ${widestSubtree('$1', '$4')} ` +
  admittedInSubtree(columnsOf('m', MEMBERSHIP_COLUMNS.split(', '))) +
  ' ORDER BY person_id, pos'

/**
 * Profiles of the persons `ADMITTED_IN_SUBTREE` reads (`PROFILES_OF_ADMITTED` for one organization's
 * report): a commune's roll or attainment reads its own admitted persons' profiles, not the country's.
 */
const PROFILES_OF_ADMITTED_IN_SUBTREE =
  `WITH RECURSIVE ${widestSubtree('$1', '$4')} ` +
  `SELECT ${PROFILE_COLUMNS} FROM ${T.profile} WHERE pos <= $1 AND person_id IN (${admittedInSubtree('m.person_id')}) ` +
  'ORDER BY person_id, pos'

/**
 * The organizations a report of the organization `org` reads as known at position `pos` (both
 * parameters), and their parent links: its widest subtree, every organization a link ever put above it (`scope_up`: its chain on any
 * date, which the choice of a quota walks) and the assigners of its own quotas (their names); every
 * organization for one that never had a parent. At national scale a commune reads a few dozen of the
 * country's 235,000 organizations.
 */
const scopeRead = (pos: string, org: string): string =>
  `WITH RECURSIVE ${widestSubtree(pos, org)}, ` +
  `scope_up (org_id) AS (SELECT CAST(${org} AS TEXT) ` +
  `UNION SELECT e.parent_id FROM scope_up s CROSS JOIN ${T.orgEdge} e WHERE e.child_id = s.org_id AND e.pos <= ${pos}), ` +
  'scope_read (org_id) AS (SELECT org_id FROM scope_org UNION SELECT org_id FROM scope_up ' +
  `UNION SELECT assigned_by FROM ${T.quota} WHERE org_id = ${org} AND pos <= ${pos}) `
const SCOPE_READ = scopeRead('$1', '$2')
const ORGS_READ =
  SCOPE_READ +
  everyOrScopedOrgs(
    '$1',
    '$2',
    'scope_read',
    (from) => `SELECT ${columnsOf('o', ORG_COLUMNS)} FROM ${from(T.org, 'o')} o.pos <= $1`,
  ) +
  ' ORDER BY pos'
const ORG_PARENTS_READ =
  SCOPE_READ +
  everyOrScopedOrgs(
    '$1',
    '$2',
    'scope_read',
    (from) =>
      `SELECT ${columnsOf('p', ['org_id', 'pos', 'valid_from', 'parent_id'])} FROM ${from(T.orgParent, 'p')} p.pos <= $1`,
  ) +
  ' ORDER BY org_id, pos'

/**
 * The places of the widest subtree of the organization `org` as known at `pos`, after `scopeRead`'s
 * expressions: `scope_unit`, the units any link ever put under one of its organizations, those its
 * grassroots organizations sit in, and the units merged into those (a village of a merged unit counts
 * under the unit it merged into); `scope_village`, the villages of those units and those its cells
 * cover; `scope_place_org`, the organizations read: `scope_read`, every cell covering one of those
 * villages (whether a village has a cell is asked of every subtree) and every organization sitting in
 * one of those units (whether a unit has a grassroots organization, likewise).
 */
const scopePlaces = (pos: string, org: string): string =>
  `${scopeRead(pos, org).trimEnd()}, ` +
  `scope_unit (unit_id) AS (SELECT u.unit_id FROM ${T.unitOrg} u WHERE u.pos <= ${pos} ` +
  'AND u.org_id IN (SELECT org_id FROM scope_org) ' +
  `UNION SELECT o.unit_id FROM ${T.org} o WHERE o.pos <= ${pos} AND o.unit_id IS NOT NULL ` +
  'AND o.org_id IN (SELECT org_id FROM scope_org) ' +
  `UNION SELECT u.unit_id FROM ${T.unit} u JOIN scope_unit s ON u.merged_into = s.unit_id WHERE u.retired_pos <= ${pos}), ` +
  `scope_village (village_id) AS (SELECT v.village_id FROM ${T.village} v WHERE v.pos <= ${pos} ` +
  'AND v.unit_id IN (SELECT unit_id FROM scope_unit) ' +
  `UNION SELECT o.village_id FROM ${T.org} o WHERE o.pos <= ${pos} AND o.village_id IS NOT NULL ` +
  'AND o.org_id IN (SELECT org_id FROM scope_org)), ' +
  'scope_place_org (org_id) AS (SELECT org_id FROM scope_read ' +
  `UNION SELECT o.org_id FROM ${T.org} o WHERE o.pos <= ${pos} AND o.village_id IN (SELECT village_id FROM scope_village) ` +
  `UNION SELECT o.org_id FROM ${T.org} o WHERE o.pos <= ${pos} AND o.unit_id IN (SELECT unit_id FROM scope_unit)) `
const SCOPE_PLACES = scopePlaces('$1', '$2')

/** `select` over the rows of the places of `$2`'s subtree (`SCOPE_PLACES`) whose `key` `scope` names. */
const placesRead = (
  scope: string,
  key: string,
  select: (from: (table: string, alias: string) => string) => string,
  order: string,
): string => `${SCOPE_PLACES}${everyOrScopedOrgs('$1', '$2', scope, select, key)} ORDER BY ${order}`

/**
 * What the reports of the places of the organization `orgId` read (blank villages, coverage, the
 * village heads, the organizations report): the organizations, units and villages of its subtree's
 * places (`SCOPE_PLACES`), for an organization that ever had a parent; every one for a top organization.
 */
const scopedPlaceParts = (
  b: ReadBounds,
  orgId: string,
  /** Whether the units' links to organizations and the villages are read too (both by default). */
  read: { readonly unitLinks?: boolean; readonly villages?: boolean } = {},
): Part[] => {
  const params = [b.position, orgId]
  const [orgs, parents] = orgParts(b)
  const [units, unitOrgs] = unitParts(b)
  const [villages] = villageParts(b, false)
  const narrowed = (p: Part | undefined, sql: string): Part => ({ ...(p as Part), query: { sql, params } })
  return [
    narrowed(
      orgs,
      placesRead(
        'scope_place_org',
        'org_id',
        (from) => `SELECT ${columnsOf('o', ORG_COLUMNS)} FROM ${from(T.org, 'o')} o.pos <= $1`,
        'pos',
      ),
    ),
    narrowed(
      parents,
      placesRead(
        'scope_place_org',
        'org_id',
        (from) =>
          `SELECT ${columnsOf('p', ['org_id', 'pos', 'valid_from', 'parent_id'])} FROM ${from(T.orgParent, 'p')} p.pos <= $1`,
        'org_id, pos',
      ),
    ),
    narrowed(
      units,
      placesRead(
        'scope_unit',
        'unit_id',
        (from) =>
          `SELECT ${columnsOf('u', ['unit_id', 'kind', 'registered_on', 'pos', 'retired_on', 'retired_pos', 'merged_into'])} ` +
          `FROM ${from(T.unit, 'u')} u.pos <= $1`,
        'pos',
      ),
    ),
    ...(read.unitLinks === false
      ? []
      : [
          narrowed(
            unitOrgs,
            placesRead(
              'scope_unit',
              'unit_id',
              (from) =>
                `SELECT ${columnsOf('l', ['unit_id', 'pos', 'valid_from', 'org_id'])} FROM ${from(T.unitOrg, 'l')} l.pos <= $1`,
              'unit_id, pos',
            ),
          ),
        ]),
    ...(read.villages === false
      ? []
      : [
          narrowed(
            villages,
            placesRead(
              'scope_village',
              'village_id',
              (from) =>
                `SELECT ${columnsOf('v', ['village_id', 'unit_id', 'registered_on', 'pos', 'retired_on', 'retired_pos'])} ` +
                `FROM ${from(T.village, 'v')} v.pos <= $1`,
              'pos',
            ),
          ),
        ]),
  ]
}

/**
 * What the village heads of the organization `orgId` read besides its places (`scopedPlaceParts`): the
 * appointments of heads of its places' villages (`scope_village`), and the memberships of the persons
 * appointed there; every head's for a top organization.
 */
const scopedHeadsParts = (b: ReadBounds, orgId: string): Part[] => {
  const params = [b.position, orgId]
  const heads = placesRead(
    'scope_village',
    'village_id',
    (from) =>
      `SELECT ${columnsOf('h', ['village_id', 'pos', 'valid_from', 'person_id'])} FROM ${from(T.villageHead, 'h')} h.pos <= $1`,
    'village_id, pos',
  )
  // The heads of those villages (every head for a top organization), each once.
  const headsOf = everyOrScopedOrgs(
    '$1',
    '$2',
    'scope_village',
    (from) => `SELECT h.person_id FROM ${from(T.villageHead, 'h')} h.pos <= $1`,
    'village_id',
  )
  const memberships =
    `${SCOPE_PLACES.trimEnd()}, scope_head (person_id) AS (SELECT DISTINCT person_id FROM (${headsOf}) x) ` +
    `SELECT ${columnsOf('m', MEMBERSHIP_COLUMNS.split(', '))} FROM scope_head c CROSS JOIN ${T.membership} m ` +
    'WHERE m.person_id = c.person_id AND m.pos <= $1 ORDER BY m.person_id, m.pos'
  return [
    { ...villageHeadsPart(b), query: { sql: heads, params } },
    personsPart(
      'person_id',
      part(memberships, params, (s, rows) => addMemberships(s, b.position, rows)),
    ),
  ]
}

/**
 * The organization `$2` alone as known at `$1`: what a report counted in SQL reads of the organizations
 * (whether it is known, its name), not its subtree.
 */
const ORG_ALONE = `SELECT ${ORG_COLUMNS.join(', ')} FROM ${T.org} WHERE org_id = $2 AND pos <= $1`

const orgAlonePart = (b: ReadBounds, orgId: string): Part =>
  part(ORG_ALONE, [b.position, orgId], (s, rows) => addOrgs(s, b.position, rows, []))

/** The organizations a report of `orgId` reads (`ORGS_READ`), with their parent links. */
const scopedOrgParts = (b: ReadBounds, orgId: string): Part[] => [
  part(ORGS_READ, [b.position, orgId], (s, rows) => addOrgs(s, b.position, rows, [])),
  part(ORG_PARENTS_READ, [b.position, orgId], (s, rows) => addOrgs(s, b.position, [], rows)),
]

/**
 * What the attainment and the ratings of the organization `orgId` read of a period (`window`: the
 * position and the period's first and last dates): the organizations of its widest subtree and chain,
 * the admissions of the subtree, and the quotas of the period of the subtree and those it assigned.
 */
const admissionsOfSubtree = (
  b: ReadBounds,
  window: ReadonlyArray<SqlValue>,
  period: string,
  orgId: string,
): Part[] => [
  ...scopedOrgParts(b, orgId),
  personsPart(
    'person_id',
    part(ADMITTED_IN_SUBTREE, [...window, orgId], (s, rows) => addMemberships(s, b.position, rows)),
  ),
  part(quotasOfSubtree(QUOTAS), [b.position, period, orgId], addQuotas),
  part(quotasOfSubtree(QUOTA_TARGETS), [b.position, period, orgId], addQuotaTargets),
]

const UNITS = `SELECT unit_id, kind, registered_on, pos, retired_on, retired_pos, merged_into FROM ${T.unit} WHERE pos <= $1 ORDER BY pos`
const UNIT_ORGS = `SELECT unit_id, pos, valid_from, org_id FROM ${T.unitOrg} WHERE pos <= $1 ORDER BY unit_id, pos`
const VILLAGES = `SELECT village_id, unit_id, registered_on, pos, retired_on, retired_pos FROM ${T.village} WHERE pos <= $1 ORDER BY pos`
const VILLAGE_HEADS = `SELECT village_id, pos, valid_from, person_id FROM ${T.villageHead} WHERE pos <= $1 ORDER BY village_id, pos`

const unitsPart = (b: ReadBounds, sql: string): Part =>
  part(sql, [b.position], (s, rows) => {
    for (const r of rows) {
      const retired = upTo(b.position, numOrNull(r, 'retired_pos'))
      s.units.set(str(r, 'unit_id'), {
        id: str(r, 'unit_id'),
        kind: str(r, 'kind') as UnitKind,
        registeredOn: str(r, 'registered_on'),
        rec: num(r, 'pos'),
        orgs: [],
        retired: retired === null ? null : { on: str(r, 'retired_on'), rec: retired },
        mergedInto: retired === null ? null : strOrNull(r, 'merged_into'),
      })
    }
  })

const unitParts = (b: ReadBounds): Part[] => [
  unitsPart(b, UNITS),
  part(UNIT_ORGS, [b.position], (s, rows) => {
    for (const r of rows)
      s.units
        .get(str(r, 'unit_id'))
        ?.orgs.push({ on: str(r, 'valid_from'), rec: num(r, 'pos'), value: str(r, 'org_id') })
  }),
]

/** The villages, and with `heads` their heads' appointments (only the village heads report reads them). */
const villageParts = (b: ReadBounds, heads = true): Part[] => [
  part(VILLAGES, [b.position], (s, rows) => {
    for (const r of rows) {
      const retired = upTo(b.position, numOrNull(r, 'retired_pos'))
      s.villages.set(str(r, 'village_id'), {
        id: str(r, 'village_id'),
        unitId: str(r, 'unit_id'),
        registeredOn: str(r, 'registered_on'),
        rec: num(r, 'pos'),
        retired: retired === null ? null : { on: str(r, 'retired_on'), rec: retired },
        heads: [],
      })
    }
  }),
  ...(heads ? [villageHeadsPart(b)] : []),
]

const villageHeadsPart = (b: ReadBounds): Part =>
  part(VILLAGE_HEADS, [b.position], (s, rows) => {
    for (const r of rows)
      s.villages
        .get(str(r, 'village_id'))
        ?.heads.push({ on: str(r, 'valid_from'), rec: num(r, 'pos'), value: str(r, 'person_id') })
  })

/** Memberships of the persons appointed village head. */
const HEADS_MEMBERSHIPS = `SELECT ${MEMBERSHIP_COLUMNS} FROM ${T.membership} WHERE pos <= $1 AND person_id IN (SELECT person_id FROM ${T.villageHead} WHERE pos <= $1) ORDER BY person_id, pos`

/**
 * Villages where an active member lives on `$1` as known at position `$2`: a membership known, admitted
 * by then, neither annulled nor left by then as known; the residence is the last entry known and in
 * force on that date (as `activeMembership` and `residenceAt` read the replayed state). `from` starts the
 * FROM clause (a gate, as `everyOrScopedOrgs`'s).
 */
const inhabited = (from: string): string =>
  `SELECT DISTINCT r.village_id FROM ${from}${T.residence} r WHERE r.pos <= $2 AND r.valid_from <= $1 ` +
  `AND r.village_id IS NOT NULL AND r.pos = (SELECT max(x.pos) FROM ${T.residence} x ` +
  'WHERE x.person_id = r.person_id AND x.pos <= $2 AND x.valid_from <= $1) ' +
  `AND EXISTS (SELECT 1 FROM ${T.membership} m WHERE m.person_id = r.person_id AND m.pos <= $2 ` +
  'AND m.admitted_on <= $1 AND (m.annulled_pos IS NULL OR m.annulled_pos > $2) ' +
  'AND (m.left_pos IS NULL OR m.left_pos > $2 OR m.left_on > $1))'
const INHABITED = inhabited('')

/**
 * The rows (`columns`) of the count deltas up to the date `$1` (`where` their other conditions): the
 * decades of `sums` before the date's, the years of its decade before its own, and the days of its year
 * in `deltas` up to it; `gate`, a one-row table ending in `CROSS JOIN`, conditions them all.
 */
const deltasUpTo = (sums: string, deltas: string, columns: string, where: string, gate = ''): string =>
  countRanges(sums, deltas)
    .map(([table, range]) => `SELECT ${columns} FROM ${gate}${table} v ${where} AND ${range}`)
    .join(' UNION ALL ')

/** The tables and ranges of `v.on_date` that `deltasUpTo` reads, one per branch. */
const countRanges = (sums: string, deltas: string): ReadonlyArray<readonly [string, string]> => [
  [sums, "v.on_date >= 'D' AND v.on_date < 'D' || substr($1, 1, 3)"],
  [sums, "v.on_date >= 'Y' || substr($1, 1, 3) AND v.on_date < 'Y' || substr($1, 1, 4)"],
  [deltas, 'v.on_date >= substr($1, 1, 4) AND v.on_date <= $1'],
]

/**
 * The tables' spans and count deltas reflect position `$2` exactly (`reportsSettle`): then a count on a
 * date is the sum of the deltas up to it. Otherwise (known at an earlier instant, a report of an
 * earlier position) the members' rows are read instead.
 */
const SETTLED = `coalesce((SELECT position FROM ${T.settled} WHERE id = 1), -1) = $2`
const NOT_SETTLED = `coalesce((SELECT position FROM ${T.settled} WHERE id = 1), -1) <> $2`

/**
 * `INHABITED` when the deltas do not reflect the known position, behind a one-row gate: when they do, the
 * residences are not read at all (a condition in WHERE was tested on every residence of the store).
 */
const INHABITED_UNSETTLED = inhabited(gateOn(NOT_SETTLED))

/**
 * `INHABITED` from the village deltas when they reflect the known position (no member read), else from
 * the members' rows.
 */
const INHABITED_FROM_DELTAS =
  `SELECT village_id FROM (${deltasUpTo(T.villageSum, T.villageDelta, 'village_id, members', `WHERE ${SETTLED}`)}) v ` +
  `GROUP BY village_id HAVING sum(members) > 0 UNION ALL ${INHABITED_UNSETTLED}`

/**
 * `INHABITED_FROM_DELTAS` of the villages of the places of the organization `$4` as known at `$3`
 * (`SCOPE_PLACES`' `scope_village`, read through the deltas' index on the village: a commune sums its
 * dozen villages' rows, not the country's); every village for an organization that never had a parent.
 * The report asks only about the villages it read, which are those.
 */
const INHABITED_IN_PLACES =
  scopePlaces('$3', '$4') +
  'SELECT village_id FROM (' +
  countRanges(T.villageSum, T.villageDelta)
    .map(([table, range]) =>
      everyOrScopedOrgs(
        '$3',
        '$4',
        'scope_village',
        (from) => `SELECT v.village_id, v.members FROM ${from(table, 'v')} ${SETTLED} AND ${range}`,
        'village_id',
      ),
    )
    .join(' UNION ALL ') +
  `) v GROUP BY village_id HAVING sum(members) > 0 UNION ALL ${INHABITED_UNSETTLED}`

/**
 * The villages where an active member lives on `d`: from the deltas when no person is left out, of the
 * places of the organization `places` when given (`INHABITED_IN_PLACES`).
 */
const inhabitedPart = (b: ReadBounds, d: string, leftOut: ReadonlyArray<string>, places?: string): Part =>
  personsPart(
    'r.person_id',
    // The persons a tail names are left out of the members' rows; the deltas count every person.
    part(
      leftOut.length > 0 ? INHABITED : places === undefined ? INHABITED_FROM_DELTAS : INHABITED_IN_PLACES,
      leftOut.length === 0 && places !== undefined ? [d, b.known, b.position, places] : [d, b.known],
      (s, rows) => {
        const villages = new Set(rows.map((r) => str(r, 'village_id')))
        if (s.inhabitedOn === undefined) s.inhabitedOn = new Map()
        s.inhabitedOn.set(d, villages)
      },
    ),
  )

/**
 * The start of a query over the members active on `$1` as known at position `$2`, but the persons whose
 * parameters are `leftOut`: `active` holds each one's active membership (the last one known, admitted by
 * then, neither annulled nor left by then as known: `activeMembership`) and `members` its row with
 * `columns` (each ending in a comma) and `held_by`, the organization holding the person on the date
 * (the last entry known and in force: `personOrgAt`), then the columns `after` (each starting with a
 * comma), read only when `guard` holds (when it fails the memberships are not read at all: PostgreSQL
 * hashed every membership to join an empty `active`, 70 ms of the organizations report of a province).
 *
 * With `scope` (the parameter naming an organization), only the persons an organization of its widest
 * subtree ever held or admitted are read (`scope_person`), through the indexes on the organization, so
 * that a commune reads its own members instead of every member of the store: the widest subtree follows
 * every parent link and every merge known (a superset of the subtree on any date, `--include-merged`'s
 * absorbed organizations included); the report keeps the groups of its subtree on the date as before.
 * An organization that never had a parent reads every member instead (the same rows, without the
 * detour). `CROSS JOIN` keeps SQLite's order: from the organizations to their persons (without
 * statistics it scanned every person instead).
 */
const activeMembersWith = (
  leftOut: ReadonlyArray<string>,
  columns: string,
  scope?: string,
  guard?: string,
  after = '',
): string => {
  const active =
    'm.pos <= $2 AND m.admitted_on <= $1 ' +
    'AND (m.annulled_pos IS NULL OR m.annulled_pos > $2) AND (m.left_pos IS NULL OR m.left_pos > $2 OR m.left_on > $1) ' +
    (leftOut.length === 0 ? '' : `AND m.person_id NOT IN (${leftOut.join(', ')}) `) +
    'GROUP BY m.person_id'
  // A branch's conditions (`gateOn`), none for none.
  const gate = (conditions: ReadonlyArray<string>): string =>
    conditions.length === 0 ? '' : gateOn(conditions.join(' AND '))
  const guards = guard === undefined ? [] : [guard]
  const members =
    `members AS MATERIALIZED (SELECT m.person_id, m.org_id, ${columns}` +
    `(SELECT o.org_id FROM ${T.personOrg} o WHERE o.person_id = m.person_id AND o.pos <= $2 ` +
    'AND o.valid_from <= $1 ORDER BY o.pos DESC LIMIT 1) AS held_by' +
    after +
    ` FROM ${gate(guards)}active a JOIN ${T.membership} m ON m.person_id = a.person_id AND m.pos = a.pos)`
  if (scope === undefined)
    return `WITH active (person_id, pos) AS (SELECT m.person_id, max(m.pos) FROM ${gate(guards)}${T.membership} m WHERE ${active}), ${members}`
  const top = everUnder('$2', scope)
  return (
    `WITH RECURSIVE ${widestSubtree('$2', scope)}, ` +
    'scope_person (person_id) AS (' +
    `SELECT o.person_id FROM scope_org s CROSS JOIN ${T.personOrg} o WHERE o.org_id = s.org_id AND o.pos <= $2 ` +
    `UNION SELECT m.person_id FROM scope_org s CROSS JOIN ${T.membership} m WHERE m.org_id = s.org_id AND m.pos <= $2), ` +
    `active (person_id, pos) AS (SELECT m.person_id, max(m.pos) FROM ${gate([`${top} = 0`, ...guards])}${T.membership} m WHERE ${active} ` +
    `UNION ALL SELECT m.person_id, max(m.pos) FROM ${gate([`${top} > 0`, ...guards])}scope_person c CROSS JOIN ${T.membership} m ` +
    `WHERE m.person_id = c.person_id AND ${active}), ` +
    members
  )
}

/**
 * The members active on `$1` as known at position `$2`, counted per organization holding them
 * (`organizations` sums them per grassroots organization instead of reading every person's history).
 * When the count deltas reflect the known position and no person is left out (a tail's), they are the
 * sums of the deltas' `members` up to the date, one row per organization whatever the number of members
 * (the members' branch of the query is then not run); otherwise the members' rows are counted. The
 * deltas' members do not depend on the probation (only `official` does), so any policies read them.
 */
const heldPart = (d: string, b: ReadBounds, leftOut: ReadonlyArray<string>, orgId?: string): Part => {
  // With `orgId`, only the members its widest subtree's organizations ever held (every one for a top
  // organization), as the roll of one organization reads them.
  const scope = orgId === undefined ? undefined : `$${leftOut.length + 3}`
  return {
    query: {
      sql:
        activeMembersWith(
          leftOut.map((_, i) => `$${i + 3}`),
          '',
          scope,
          leftOut.length === 0 ? NOT_SETTLED : undefined,
        ) +
        ' SELECT coalesce(held_by, org_id) AS org_id, CAST(count(*) AS INTEGER) AS members FROM members ' +
        'GROUP BY coalesce(held_by, org_id)' +
        (leftOut.length === 0 ? ` UNION ALL ${rollFromDeltas(scope, ['members'], false)}` : ''),
      params: [d, b.known, ...leftOut, ...(orgId === undefined ? [] : [orgId])],
    },
    add: (s, rows) => {
      if (s.heldOn === undefined) s.heldOn = new Map()
      s.heldOn.set(
        d,
        rows.map((r) => ({ orgId: str(r, 'org_id'), members: num(r, 'members') })),
      )
    },
  }
}

/**
 * The members active on `$1` as known at position `$2`, counted per organization holding them and
 * religion of the profile in force (`RollGroup`): each person's active membership is the last one known,
 * admitted by then, neither annulled nor left by then as known (`activeMembership`); the organization
 * holding them and their profile are the last entries known and in force on that date (`personOrgAt`,
 * `profileAt`). Whether probation is served and the age limit are the date bounds of `rollBounds`.
 */
const rollCounts = (
  d: string,
  known: number,
  policies: RollPolicies,
  leftOut: ReadonlyArray<string>,
  scope: string | null,
  /**
   * With `scope`: the groups of the subtree on `d` alone, summed per religion (`RollGroup`'s organization
   * NULL), so that the process needs no organization to keep them; otherwise per organization, of the
   * widest subtree, for the process to keep.
   */
  exact = false,
): SqlStatement => {
  const params: SqlValue[] = [d, known]
  const param = (v: SqlValue): string => {
    params.push(v)
    return `$${params.length}`
  }
  const bounds = rollBounds(d, policies)
  const served = bounds.probationServed
    .map((b) =>
      [
        ...(b.from === null ? [] : [`x.admitted_on >= ${param(b.from)}`]),
        ...(b.before === null ? [] : [`x.admitted_on < ${param(b.before)}`]),
        `x.admitted_on <= ${param(b.upTo)}`,
      ].join(' AND '),
    )
    .map((c) => `(${c})`)
    .join(' OR ')
  // isOfficial: a member registered as official from the probation's end or the registration's date,
  // any other once a confirmation is known and the probation served.
  const official =
    `(x.existing = 'official' AND ((${served}) OR (x.registered_on IS NOT NULL AND x.registered_on <= $1))) ` +
    `OR ((x.existing IS NULL OR x.existing <> 'official') AND x.confirmed_pos IS NOT NULL ` +
    `AND x.confirmed_pos <= $2 AND (${served}))`
  const count = (condition: string, as: string): string =>
    `CAST(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS INTEGER) AS ${as}`
  const scoped = scope === null ? undefined : param(scope)
  // The deltas count every person: not when a tail's persons are counted apart, nor under policies whose
  // probation is not the one the spans were cut by.
  const deltas = leftOut.length === 0 && sameProbation(policies)
  const ctes =
    activeMembersWith(
      leftOut.map(param),
      'm.admitted_on, m.existing, m.registered_on, m.confirmed_pos, ',
      scoped,
      deltas ? NOT_SETTLED : undefined,
      `, (SELECT max(p.pos) FROM ${T.profile} p WHERE p.person_id = m.person_id AND p.pos <= $2 ` +
        'AND p.valid_from <= $1) AS profile_pos',
    ) +
    (scoped === undefined
      ? ''
      : deltas
        ? `, ${wholeTreeOn('$1', '$2', scoped, exact)}`
        : exact
          ? `, ${subtreeOn('$1', '$2', scoped)}`
          : '')
  const groups =
    ' SELECT coalesce(x.held_by, x.org_id) AS org_id, p.religion AS religion, ' +
    'CAST(count(*) AS INTEGER) AS members, ' +
    [
      count(official, 'official'),
      count('p.person_id IS NULL', 'without_profile'),
      // A forgotten person's profile keeps sex and occupation, its personal columns NULL (D34).
      count('p.person_id IS NOT NULL AND p.birth_date IS NULL', 'erased'),
      count("p.sex = 'female'", 'female'),
      count('p.ethnic_minority = 1', 'ethnic_minority'),
      count(`p.birth_date > ${param(bounds.bornAfterYoung)}`, 'under30'),
      ...OCCUPATIONS.map((o, i) => count(`p.occupation = ${param(o)}`, `occupation_${i}`)),
    ].join(', ') +
    ` FROM members x LEFT JOIN ${T.profile} p ON p.person_id = x.person_id AND p.pos = x.profile_pos ` +
    'GROUP BY coalesce(x.held_by, x.org_id), p.religion' +
    (!deltas
      ? ''
      : scoped === undefined
        ? ` UNION ALL ${rollFromDeltas(undefined)}`
        : ` UNION ALL ${rollFromDeltas(scoped, undefined, true, wholeTreeGate(false))} UNION ALL ${ROLL_FROM_TOTALS}`)
  const sql =
    exact && scoped !== undefined
      ? `${ctes} ${rollGroups(
          `SELECT * FROM (${groups}) g WHERE g.org_id IS NULL OR g.org_id IN (SELECT org_id FROM tree_on)`,
          ROLL_COUNT_COLUMNS,
          false,
          true,
        )}`
      : ctes + groups
  return { sql, params }
}

/** Whether `policies` end every probation on the day the spans' `served_on` does (the default policies'). */
export const sameProbation = (policies: RollPolicies): boolean => {
  const given = asPolicies(policies)
  if (new Set([...given, ...defaultPolicies].map((p) => p.probationMonths)).size === 1) return true
  return (
    given.length === defaultPolicies.length &&
    given.every(
      (p, i) =>
        p.validFrom === defaultPolicies[i]!.validFrom &&
        p.probationMonths === defaultPolicies[i]!.probationMonths,
    )
  )
}

/**
 * The roll's groups (`rollCounts`' columns) summed from the count rows `rows` (`org_id` when `byOrg`,
 * `religion` and `counts`): one group per organization (else one, its organization NULL: every
 * organization) and religion ('' read as NULL), the groups without members left out.
 */
const rollGroups = (
  rows: string,
  counts: ReadonlyArray<string>,
  byOrg: boolean,
  byReligion: boolean,
): string =>
  `SELECT ${byOrg ? 'org_id' : 'CAST(NULL AS TEXT) AS org_id'}, ` +
  (byReligion ? "CASE WHEN religion = '' THEN NULL ELSE religion END AS religion, " : '') +
  counts.map((c) => `CAST(sum(${c}) AS INTEGER) AS ${c}`).join(', ') +
  ` FROM (${rows}) d GROUP BY ${[...(byOrg ? ['org_id'] : []), ...(byReligion ? ['religion'] : [])].join(', ')} ` +
  'HAVING sum(members) <> 0'

/**
 * The roll's groups as the sums of the count deltas up to `$1`, when they reflect the known position
 * `$2`: one row per organization and religion, whatever the number of members. With `scope` (the
 * parameter naming the report's organization), only the organizations of its widest subtree when it
 * ever had a parent. `gate` (a one-row table ending in `CROSS JOIN`) conditions every branch.
 */
const rollFromDeltas = (
  scope: string | undefined,
  counts: ReadonlyArray<string> = ROLL_COUNT_COLUMNS,
  byReligion = true,
  gate = '',
): string => {
  const columns = ['org_id', 'religion', ...counts].map((c) => `v.${c}`).join(', ')
  // An organization that ever had a parent reads the rows of its widest subtree's organizations through
  // the index on the organization (a commune its own few hundred rows, not the country's millions); one
  // that never had one reads every row.
  const rows =
    scope === undefined
      ? deltasUpTo(T.rollSum, T.rollDelta, columns, `WHERE ${SETTLED}`, gate)
      : countRanges(T.rollSum, T.rollDelta)
          .map(([table, range]) =>
            everyOrScopedOrgs(
              '$2',
              scope,
              'scope_org',
              (from) => `SELECT ${columns} FROM ${gate}${from(table, 'v')} ${SETTLED} AND ${range}`,
            ),
          )
          .join(' UNION ALL ')
  return rollGroups(rows, counts, true, byReligion)
}

/**
 * A gate open when the deltas reflect the known position `$2` and the subtree holds every organization
 * (`whole_tree`, `wholeTreeOn`), or, `whole` false, when it does not.
 */
const wholeTreeGate = (whole: boolean): string =>
  // Its own alias: it stands beside `everyOrScopedOrgs`' gate in one FROM clause.
  gateOn(`${SETTLED} AND ${whole ? '' : 'NOT '}EXISTS (SELECT 1 FROM whole_tree)`, 'w')

/**
 * The roll's groups of every organization when the subtree holds them all: the sums of the count deltas
 * over every organization up to `$1` (`rm_reports_roll_total_…`), one row per religion, the organization
 * NULL (`RollGroup`): a few thousand rows read, not a row per organization.
 */
const ROLL_FROM_TOTALS = rollGroups(
  deltasUpTo(
    T.rollTotalSum,
    T.rollTotalDelta,
    `religion, ${ROLL_COUNT_COLUMNS.join(', ')}`,
    'WHERE true',
    wholeTreeGate(true),
  ),
  ROLL_COUNT_COLUMNS,
  false,
  true,
)

const rollPart = (
  d: string,
  b: ReadBounds,
  policies: RollPolicies,
  leftOut: ReadonlyArray<string>,
  scope: string | null,
  exact = false,
): Part => {
  const query = rollCounts(d, b.known, policies, leftOut, scope, exact)
  return {
    query,
    add: (s, rows) => {
      const groups = rows.map((r): RollGroup => {
        const byOccupation: Record<string, number> = {}
        OCCUPATIONS.forEach((o, i) => (byOccupation[o] = num(r, `occupation_${i}`)))
        return {
          orgId: strOrNull(r, 'org_id'),
          religion: strOrNull(r, 'religion'),
          members: num(r, 'members'),
          official: num(r, 'official'),
          withoutProfile: num(r, 'without_profile'),
          erased: num(r, 'erased'),
          female: num(r, 'female'),
          ethnicMinority: num(r, 'ethnic_minority'),
          under30: num(r, 'under30'),
          byOccupation,
        }
      })
      if (s.rollOn === undefined) s.rollOn = new Map()
      s.rollOn.set(d, groups)
    },
  }
}

const TARGETS = `SELECT org_id, pos, indicator, period, value, ref, on_date FROM ${T.target} WHERE pos <= $1 ORDER BY pos`

const targetPart = (b: ReadBounds): Part =>
  part(TARGETS, [b.position], (s, rows) => {
    for (const r of rows) {
      const orgId = str(r, 'org_id')
      const target = {
        orgId,
        indicator: str(r, 'indicator') as Indicator,
        period: str(r, 'period'),
        value: num(r, 'value'),
        ref: strOrNull(r, 'ref'),
        on: str(r, 'on_date'),
        rec: num(r, 'pos'),
      }
      const list = s.targets.get(orgId)
      if (list === undefined) s.targets.set(orgId, [target])
      else list.push(target)
    }
  })

const CLASSES = `SELECT class_id, pos, org_id, from_on, trainees FROM ${T.trainingClass} WHERE pos <= $1 ORDER BY pos`

const classPart = (b: ReadBounds, orgId?: string): Part =>
  part(
    orgId === undefined ? CLASSES : CLASSES_OF_SUBTREE,
    orgId === undefined ? [b.position] : [b.position, orgId],
    (s, rows) => {
      for (const r of rows) {
        const version = {
          classId: str(r, 'class_id'),
          orgId: str(r, 'org_id'),
          from: str(r, 'from_on'),
          trainees: num(r, 'trainees'),
          rec: num(r, 'pos'),
        }
        const list = s.classes.get(version.classId)
        if (list === undefined) s.classes.set(version.classId, [version])
        else list.push(version)
      }
    },
  )

/**
 * The classes of the widest subtree of the organization `$2` as known at `$1` (every one for a top
 * organization): every version of a class one version of which was held by an organization of it.
 */
const CLASSES_OF_SUBTREE =
  `WITH RECURSIVE ${widestSubtree('$1', '$2')}, ` +
  `scope_class (class_id) AS (SELECT DISTINCT k.class_id FROM scope_org c CROSS JOIN ${T.trainingClass} k ` +
  'WHERE k.org_id = c.org_id AND k.pos <= $1) ' +
  everyOrScopedOrgs(
    '$1',
    '$2',
    'scope_class',
    (from) =>
      `SELECT ${columnsOf('k', ['class_id', 'pos', 'org_id', 'from_on', 'trainees'])} FROM ${from(T.trainingClass, 'k')} k.pos <= $1`,
    'class_id',
  ) +
  ' ORDER BY pos'

/**
 * Memberships that may be active on date `d` as known at position `k` (admitted by then, neither
 * annulled nor left by then as known): the report picks each person's active one as on the replayed
 * state (the funnel's persons whose confirmation may be overdue). `m` is the membership.
 */
const activeOn = (d: string, k: string): string =>
  `m.pos <= ${k} AND m.admitted_on <= ${d} ` +
  `AND (m.annulled_pos IS NULL OR m.annulled_pos > ${k}) AND (m.left_pos IS NULL OR m.left_pos > ${k} OR m.left_on > ${d})`

/** The organization-holding entries of the persons already in the state (from a membership or a step). */
const addPersonOrgs = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows)
    s.persons
      .get(str(r, 'person_id'))
      ?.orgs.push({ on: str(r, 'valid_from'), rec: num(r, 'pos'), value: str(r, 'org_id') })
}

/** The ratings of the year `$2`. */
const RATINGS_OF_YEAR = `SELECT org_id, pos, year, rating, on_date FROM ${T.rating} WHERE pos <= $1 AND year = $2 ORDER BY pos`

const addRatings = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
  for (const r of rows) {
    const orgId = str(r, 'org_id')
    const rating = {
      orgId,
      year: num(r, 'year'),
      rating: str(r, 'rating') as Rating,
      on: str(r, 'on_date'),
      rec: num(r, 'pos'),
    }
    const list = s.ratings.get(orgId)
    if (list === undefined) s.ratings.set(orgId, [rating])
    else list.push(rating)
  }
}

/** The step names the step table holds (every step but the cell's approval, read from the votes). */
const STEP_NAMES = FUNNEL_STEPS.filter((x) => x !== 'cellApproved')
  .map((x) => `'${x}'`)
  .join(', ')

/** `$from`, `$from+1`, … for `n` parameters, comma-separated. */
const inList = (n: number, from: number): string =>
  Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ')

/** The memberships known at `$2` without a confirmation known by then (`$2` the known-at bound). */
const UNCONFIRMED = [
  // One index range each (confirmed_pos, existing, registered_on): an OR over them scans the index.
  'm.confirmed_pos IS NULL AND m.existing IS NULL',
  "m.confirmed_pos IS NULL AND m.existing < 'official'",
  "m.confirmed_pos IS NULL AND m.existing > 'official'",
  "m.confirmed_pos IS NULL AND m.existing = 'official' AND m.registered_on > $5",
  "m.confirmed_pos > $2 AND (m.existing IS NULL OR m.existing <> 'official' OR m.registered_on > $5)",
]

/**
 * The persons the funnel can count, with `$2` the known-at bound, the period's days `[$3, $4]` (cut at
 * the as-of date) and `$5` the as-of date: those with a step, a cell vote or an admission in the
 * period; those with a membership active on the as-of date, no confirmation known and not registered
 * as official by then (the only ones a confirmation can be overdue for); and those whose last
 * nomination up to the as-of date was followed by neither a closure nor an admission that counts up to
 * it (the only candidates a deadline can pass for). Every record of these persons up to the as-of date
 * is read; the report decides the rest.
 */
const FUNNEL_PERSONS =
  `SELECT person_id FROM ${T.step} WHERE step IN (${STEP_NAMES}) AND on_date >= $3 AND on_date <= $4 AND pos <= $2 ` +
  `UNION SELECT person_id FROM ${T.cellVote} WHERE on_date >= $3 AND on_date <= $4 AND pos <= $2 ` +
  `UNION SELECT person_id FROM ${T.membership} WHERE admitted_on >= $3 AND admitted_on <= $4 AND pos <= $2 ` +
  // The unconfirmed first, each by its index range, then whether active (the planner would otherwise
  // scan the admission-date index for every branch).
  `UNION SELECT m.person_id FROM (${UNCONFIRMED.map((c) => `SELECT person_id, pos FROM ${T.membership} m WHERE ${c}`).join(' UNION ALL ')}) u ` +
  `JOIN ${T.membership} m ON m.person_id = u.person_id AND m.pos = u.pos WHERE ${activeOn('$5', '$2')} ` +
  // The last nomination and the last closure up to the as-of date in one pass over the step index: a
  // closure on or after the nomination exists exactly when the last one is (a correlated look-up of
  // closures per nominee ran through the index of every closure in the range, quadratic in the log).
  'UNION SELECT l.person_id FROM (SELECT person_id, ' +
  "max(CASE WHEN step = 'nominated' THEN on_date END) AS since, " +
  "max(CASE WHEN step = 'closed' THEN on_date END) AS closed " +
  `FROM ${T.step} WHERE step IN ('nominated', 'closed') AND on_date <= $5 AND pos <= $2 GROUP BY person_id) l ` +
  'WHERE l.since IS NOT NULL AND (l.closed IS NULL OR l.closed < l.since) ' +
  `AND NOT EXISTS (SELECT 1 FROM ${T.membership} a WHERE a.person_id = l.person_id AND a.pos <= $2 ` +
  'AND (a.annulled_pos IS NULL OR a.annulled_pos > $2) AND a.admitted_on >= l.since AND a.admitted_on <= $5)'

/** The columns of a membership the funnel reads, besides `person_id` and `pos`. */
const FUNNEL_MEMBERSHIP = MEMBERSHIP_COLUMNS.split(', ').filter((c) => c !== 'person_id' && c !== 'pos')

/**
 * Every record the funnel reads of its persons, in one query (`$1` the position read up to, `$5` the
 * as-of date, the persons `leftOut` from `$6` on not chosen): the persons are chosen once, into a
 * materialized expression, and each table's rows come tagged with `part` (0 steps, 1 cell votes, 2
 * memberships, 3 organization entries), every column of the other parts NULL.
 */
const funnelRows = (leftOut: number): string => {
  const cols = (row: Readonly<Record<string, string>>): string => padded(FUNNEL_COLUMNS, (c) => row[c])
  const of = (part: number, table: string, row: Readonly<Record<string, string>>, where: string): string =>
    `SELECT ${part} AS part, person_id, pos, ${cols(row)} FROM ${table} WHERE pos <= $1 ${where}` +
    'AND person_id IN (SELECT person_id FROM funnel_person)'
  const same = (...c: string[]): Record<string, string> => Object.fromEntries(c.map((x) => [x, x]))
  const excluded = leftOut === 0 ? '' : ` WHERE person_id NOT IN (${inList(leftOut, 6)})`
  return (
    `WITH funnel_person (person_id) AS MATERIALIZED (SELECT person_id FROM (${FUNNEL_PERSONS}) p${excluded}) ` +
    [
      of(0, T.step, same('step', 'on_date'), 'AND on_date <= $5 '),
      of(1, T.cellVote, same('on_date', 'in_favour', 'eligible'), 'AND on_date <= $5 '),
      of(2, T.membership, same(...FUNNEL_MEMBERSHIP), ''),
      of(3, T.personOrg, same('valid_from', 'org_id'), 'AND valid_from <= $5 '),
    ].join(' UNION ALL ') +
    ' ORDER BY part, person_id, pos'
  )
}

/** The SQL types of the columns the tagged queries (`padded`) return. */
const COLUMN_TYPES: Readonly<Record<string, string>> = {
  person_id: 'TEXT',
  pos: 'INTEGER',
  step: 'TEXT',
  on_date: 'TEXT',
  in_favour: 'INTEGER',
  eligible: 'INTEGER',
  org_id: 'TEXT',
  admitted_on: 'TEXT',
  existing: 'TEXT',
  registered_on: 'TEXT',
  annulled_pos: 'INTEGER',
  confirmed_pos: 'INTEGER',
  left_on: 'TEXT',
  left_pos: 'INTEGER',
  valid_from: 'TEXT',
  birth_date: 'TEXT',
  sex: 'TEXT',
  ethnic_minority: 'INTEGER',
  occupation: 'TEXT',
  ethnicity: 'TEXT',
  religion: 'TEXT',
}

/** The columns `names`, with their SQL types. */
const typed = (names: ReadonlyArray<string>): ReadonlyArray<readonly [string, string]> =>
  names.map((c) => [c, COLUMN_TYPES[c] ?? 'TEXT'] as const)

/**
 * A branch's select list in a query whose branches read different tables' rows: each of `columns` as the
 * branch gives it (`own`), else a NULL of its type.
 */
const padded = (
  columns: ReadonlyArray<readonly [string, string]>,
  own: (column: string) => string | undefined,
): string => columns.map(([c, type]) => `${own(c) ?? `CAST(NULL AS ${type})`} AS ${c}`).join(', ')

/** The columns of the funnel's rows besides `part`, `person_id` and `pos`. */
const FUNNEL_COLUMNS = typed(['step', 'on_date', 'in_favour', 'eligible', ...FUNNEL_MEMBERSHIP, 'valid_from'])

/** The funnel's persons and every record of theirs it reads (`funnelRows`), into the state. */
const funnelPart = (
  params: ReadonlyArray<SqlValue>,
  position: number,
  leftOut: ReadonlyArray<string>,
): Part => ({
  query: { sql: funnelRows(leftOut.length), params: [...params, ...leftOut] },
  add: (s, rows) => {
    const parts: SqlRow[][] = [[], [], [], []]
    for (const r of rows) parts[num(r, 'part')]?.push(r)
    addSteps(s, parts[0]!)
    addCellVotes(s, parts[1]!)
    addMemberships(s, position, parts[2]!)
    addPersonOrgs(s, parts[3]!)
  },
})

/**
 * The most persons a subtree's funnel reads its unconfirmed members through (a commune's few hundred, a
 * district's few thousand): each costs a look-up per kind of unconfirmed membership, where the store's
 * unconfirmed memberships are read in ranges; past it (a province of a million persons: 27 s against 2 s)
 * the ranges are cheaper.
 */
const FEW_PERSONS = 10_000

/**
 * The funnel counted in SQL (`FunnelTables`), for tables read at the report's position (no tail): the
 * process reads one row per step, per conversion's pair of dates and per person a deadline may have
 * passed for, not every record of the persons the funnel can count. Parameters: `$1` the known-at
 * bound, `$2` the period's first day, `$3` its last day cut at the as-of date, `$4` the as-of date, `$5`
 * the organization, `$6` 1 with `--include-merged`, then the majorities of the policies (`passes`).
 *
 * The subtree is computed as the report computes it (`reaches`, `rootsOn`, `absorbedInto`): the
 * organizations merged into the organization with the first day their subtree no longer counts
 * (`absorbed`); the parent of each known organization on a date, the last known entry dated on or
 * before it, else its first entry (`parentAt`); the subtree from the roots down. The tree only changes
 * on the dates of a parent entry of an organization that has more than one and on the absorbed
 * organizations' last days (`breakpoint`), so it is computed once per such date from the period's
 * start (or the as-of date, when earlier), and a record reads the subtree of the last breakpoint on or
 * before its date.
 */
const funnelCounted = (policies: RollPolicies): SqlStatement => {
  const params: SqlValue[] = []
  const param = (v: SqlValue): string => {
    params.push(v)
    return `$${params.length + 6}`
  }
  // votePasses under the policy in force on the vote's date (policyOn: the first before any).
  const given = asPolicies(policies)
  const passes = (v: string): string =>
    `${v}.eligible >= 1 AND (` +
    given
      .map((p, i) => {
        const next = given[i + 1]
        const range = [
          ...(i === 0 ? [] : [`${v}.on_date >= ${param(p.validFrom)}`]),
          ...(next === undefined ? [] : [`${v}.on_date < ${param(next.validFrom)}`]),
        ]
        return `(${[...range, `${v}.in_favour * ${param(p.majority.denominator)} >= ${v}.eligible * ${param(p.majority.numerator)}`].join(' AND ')})`
      })
      .join(' OR ') +
    ')'
  const heldOn = (person: string, d: string): string =>
    `(SELECT o.org_id FROM ${T.personOrg} o WHERE o.person_id = ${person} AND o.pos <= $1 ` +
    `AND o.valid_from <= ${d} ORDER BY o.pos DESC LIMIT 1)`
  const inScope = (org: string, d: string): string =>
    `EXISTS (SELECT 1 FROM in_scope s WHERE s.org_id = ${org} AND s.from_on <= ${d} AND s.to_on > ${d})`
  const first = 'CASE WHEN $4 < $2 THEN $4 ELSE $2 END'
  // A confirmation (`st`) of an annulled admission: the person's last one recorded before it.
  const voidConfirmation = (st: string): string =>
    `EXISTS (SELECT 1 FROM ${T.membership} m WHERE m.person_id = ${st}.person_id ` +
    'AND m.annulled_pos <= $1 AND m.pos = (SELECT max(y.pos) FROM ' +
    `${T.membership} y WHERE y.person_id = ${st}.person_id AND y.pos <= ${st}.pos))`
  // The first record of `step` of the person entered (`e`) on or after the day entered, up to the as-of date.
  const firstOf = (step: string): string => {
    const window = (on: string): string => `${on} >= e.from_on AND ${on} <= $4`
    switch (step) {
      case 'cellApproved':
        return `(SELECT min(v.on_date) FROM ${T.cellVote} v WHERE v.person_id = e.person_id AND v.pos <= $1 AND ${window('v.on_date')} AND ${passes('v')})`
      case 'admitted':
        return (
          `(SELECT min(m.admitted_on) FROM ${T.membership} m WHERE m.person_id = e.person_id AND m.pos <= $1 ` +
          `AND (m.annulled_pos IS NULL OR m.annulled_pos > $1) AND ${window('m.admitted_on')})`
        )
      default:
        return (
          `(SELECT min(x.on_date) FROM ${T.step} x WHERE x.person_id = e.person_id AND x.step = '${step}' ` +
          `AND x.pos <= $1 AND ${window('x.on_date')}${step === 'confirmed' ? ` AND NOT ${voidConfirmation('x')}` : ''})`
        )
    }
  }
  const count = 'CAST(count(*) AS INTEGER)'
  const none = (type: string): string => `CAST(NULL AS ${type})`
  const unconfirmed = [
    ...UNCONFIRMED.map((c) => c.replaceAll('$2', '$1').replaceAll('$5', '$4')),
    "m.confirmed_pos IS NULL AND m.existing = 'official' AND m.registered_on IS NULL",
  ]
  const lastStep = (step: string, from: string): string =>
    `(SELECT max(x.on_date) FROM ${T.step} x WHERE x.person_id = n.person_id AND x.step = '${step}' ` +
    `AND x.pos <= $1 AND x.on_date >= ${from} AND x.on_date <= $4)`
  // An organization that ever had a parent reads only the persons an organization of its widest subtree
  // ever held or admitted (`activeMembersWith`'s `scope_person`), through the persons' keys; one that
  // never had one (the root) reads every record through the date indexes. `from(table, alias)` opens a
  // branch's FROM clause and WHERE.
  const top = everUnder('$1', '$5')
  // The widest subtree holds at most FEW_PERSONS persons (counted no further).
  const fewPersons = `(SELECT count(*) FROM (SELECT 1 FROM scope_person LIMIT ${FEW_PERSONS + 1}) f) <= ${FEW_PERSONS}`
  const everyOrScoped = (
    branch: (from: (table: string, alias: string) => string) => string,
    scoped?: string,
  ): string => everyOrScopedOrgs('$1', '$5', 'scope_person', branch, 'person_id', scoped)
  const sql =
    // The widest subtree, empty for an organization that never had a parent (the persons are then not
    // narrowed).
    `WITH RECURSIVE ${widestSubtree('$1', '$5', `${top} > 0`)}, ` +
    'scope_person (person_id) AS MATERIALIZED (' +
    `SELECT o.person_id FROM scope_org s CROSS JOIN ${T.personOrg} o WHERE o.org_id = s.org_id AND o.pos <= $1 ` +
    `UNION SELECT m.person_id FROM scope_org s CROSS JOIN ${T.membership} m WHERE m.org_id = s.org_id AND m.pos <= $1), ` +
    'absorbed (org_id, until_on, depth) AS (' +
    `SELECT o.org_id, o.dissolved_on, 1 FROM ${T.org} o WHERE $6 = 1 AND o.merged_into = $5 AND o.org_id <> $5 ` +
    'AND o.pos <= $1 AND o.dissolved_pos <= $1 ' +
    'UNION ALL SELECT o.org_id, CASE WHEN o.dissolved_on < a.until_on THEN o.dissolved_on ELSE a.until_on END, a.depth + 1 ' +
    `FROM absorbed a JOIN ${T.org} o ON o.merged_into = a.org_id ` +
    `WHERE o.org_id <> $5 AND o.pos <= $1 AND o.dissolved_pos <= $1 AND a.depth < ${MAX_DEPTH}), ` +
    'root (org_id, until_on) AS (SELECT CAST($5 AS TEXT), CAST(NULL AS TEXT) UNION ALL SELECT org_id, until_on FROM absorbed), ' +
    // The organizations with more than one parent entry known.
    // Only the organizations of the widest subtree (every one for an organization that never had a
    // parent): the subtree on any date is among them, and a commune does not read the country's links
    // (115,000 organizations moved on 2025-07-01 at national scale).
    'moved (org_id) AS MATERIALIZED (' +
    everyOrScopedOrgs(
      '$1',
      '$5',
      'scope_org',
      (from) =>
        `SELECT l.org_id FROM ${from(T.orgParent, 'l')} l.pos <= $1 GROUP BY l.org_id HAVING count(*) > 1`,
    ) +
    '), ' +
    `breakpoint (on_date) AS MATERIALIZED (SELECT CAST(${first} AS TEXT) ` +
    `UNION SELECT l.valid_from FROM ${T.orgParent} l WHERE l.pos <= $1 AND l.valid_from > ${first} AND l.valid_from <= $4 ` +
    'AND l.org_id IN (SELECT org_id FROM moved) ' +
    `UNION SELECT until_on FROM absorbed WHERE until_on > ${first} AND until_on <= $4), ` +
    // An organization with one parent entry known has that parent on every date (no breakpoint: the
    // planner's estimate of a cross product with the breakpoints made PostgreSQL sort it at each level).
    'static_parent (org_id, parent_id) AS MATERIALIZED (' +
    everyOrScopedOrgs(
      '$1',
      '$5',
      'scope_org',
      (from) =>
        `SELECT l.org_id, l.parent_id FROM ${from(T.orgParent, 'l')} l.pos <= $1 AND l.parent_id IS NOT NULL ` +
        `AND EXISTS (SELECT 1 FROM ${T.org} o WHERE o.org_id = l.org_id AND o.pos <= $1) ` +
        'AND l.org_id NOT IN (SELECT org_id FROM moved)',
    ) +
    '), ' +
    'moved_parent (from_on, org_id, parent_id) AS MATERIALIZED (' +
    `SELECT b.on_date, o.org_id, l.parent_id FROM breakpoint b CROSS JOIN moved v JOIN ${T.org} o ON o.org_id = v.org_id ` +
    `JOIN ${T.orgParent} l ON l.org_id = o.org_id AND l.pos = ${parentEntryAt('o.org_id', 'b.on_date', '$1')} ` +
    'WHERE o.pos <= $1 AND l.pos <= $1 AND l.parent_id IS NOT NULL), ' +
    'subtree (from_on, org_id, depth) AS (' +
    'SELECT b.on_date, r.org_id, 0 FROM breakpoint b JOIN root r ON r.until_on IS NULL OR b.on_date < r.until_on ' +
    'UNION SELECT s.from_on, p.org_id, s.depth + 1 FROM subtree s JOIN (' +
    'SELECT CAST(NULL AS TEXT) AS from_on, org_id, parent_id FROM static_parent ' +
    'UNION ALL SELECT from_on, org_id, parent_id FROM moved_parent) p ' +
    `ON p.parent_id = s.org_id AND (p.from_on IS NULL OR p.from_on = s.from_on) WHERE s.depth < ${MAX_DEPTH - 1}), ` +
    // Each organization of a subtree with the days it holds: from its breakpoint to the next (or to a
    // day after every date).
    'in_scope (org_id, from_on, to_on) AS MATERIALIZED (SELECT DISTINCT t.org_id, t.from_on, ' +
    "coalesce((SELECT min(b.on_date) FROM breakpoint b WHERE b.on_date > t.from_on), '9999-12-32') FROM subtree t), " +
    // Every record of a step of the chain (and closures) that counts, from the period's start to the
    // as-of date; an admission with its admitting organization.
    'record (person_id, step, on_date, org_id) AS MATERIALIZED (' +
    everyOrScoped(
      (from) =>
        `SELECT st.person_id, st.step, st.on_date, ${none('TEXT')} FROM ${from(T.step, 'st')} ` +
        `st.step IN (${STEP_NAMES}) AND st.on_date >= $2 AND st.on_date <= $4 AND st.pos <= $1 ` +
        // The confirmation of an annulled admission does not count.
        `AND NOT (st.step = 'confirmed' AND ${voidConfirmation('st')}) ` +
        `UNION ALL SELECT v.person_id, 'cellApproved', v.on_date, ${none('TEXT')} FROM ${from(T.cellVote, 'v')} ` +
        `v.on_date >= $2 AND v.on_date <= $4 AND v.pos <= $1 AND ${passes('v')} ` +
        `UNION ALL SELECT m.person_id, 'admitted', m.admitted_on, m.org_id FROM ${from(T.membership, 'm')} ` +
        'm.admitted_on >= $2 AND m.admitted_on <= $4 AND m.pos <= $1 AND (m.annulled_pos IS NULL OR m.annulled_pos > $1)',
    ) +
    '), ' +
    // Each record of the period with the organization holding its person on its date (the admitting one
    // for an admission), looked up once: PostgreSQL evaluated the look-up in a hash join's key about
    // twice per record (145,000 index scans for 67,000 records at province scale).
    'held (person_id, step, on_date, org_id) AS MATERIALIZED (' +
    `SELECT r.person_id, r.step, r.on_date, coalesce(r.org_id, ${heldOn('r.person_id', 'r.on_date')}) ` +
    'FROM record r WHERE r.on_date <= $3), ' +
    // Each person's first record of each step in the period while that organization was in the subtree
    // on its date.
    'entered (person_id, step, from_on) AS MATERIALIZED (' +
    `SELECT h.person_id, h.step, min(h.on_date) FROM held h WHERE ${inScope('h.org_id', 'h.on_date')} ` +
    'GROUP BY h.person_id, h.step), ' +
    // From each step entered to the first record of the next one on or after it, up to the as-of date.
    'converted (step, from_on, to_on) AS (' +
    'SELECT e.step, e.from_on, CASE e.step ' +
    FUNNEL_CHAIN.slice(0, -1)
      .map((step, i) => `WHEN '${step}' THEN ${firstOf(FUNNEL_CHAIN[i + 1]!)}`)
      .join(' ') +
    " END FROM entered e WHERE e.step NOT IN ('confirmed', 'closed')), " +
    // The active membership on the as-of date of the persons with one not confirmed as known.
    // Found through the index ranges of the store's unconfirmed memberships (184,000 at national scale),
    // or, for a subtree of at most FEW_PERSONS persons, through its persons' keys (a commune's few
    // hundred): the persons in the subtree on the as-of date, whom part 2 keeps, are among either.
    'active (person_id, pos) AS (' +
    `SELECT m.person_id, max(m.pos) FROM ${T.membership} m WHERE m.person_id IN (` +
    everyOrScoped(
      (from) =>
        unconfirmed.map((c) => `SELECT m.person_id FROM ${from(T.membership, 'm')} ${c}`).join(' UNION '),
      `${top} > 0 AND ${fewPersons}`,
    ) +
    `) AND ${activeOn('$4', '$1')} GROUP BY m.person_id), ` +
    // The persons whose last nomination up to the as-of date was followed by neither a closure nor an
    // admission that counts, without an active membership on it.
    'nominee (person_id, since) AS (SELECT l.person_id, l.since FROM (' +
    everyOrScoped(
      (from) =>
        'SELECT x.person_id, ' +
        "max(CASE WHEN x.step = 'nominated' THEN x.on_date END) AS since, " +
        "max(CASE WHEN x.step = 'closed' THEN x.on_date END) AS closed " +
        `FROM ${from(T.step, 'x')} x.step IN ('nominated', 'closed') AND x.on_date <= $4 AND x.pos <= $1 GROUP BY x.person_id`,
    ) +
    ') l ' +
    'WHERE l.since IS NOT NULL AND (l.closed IS NULL OR l.closed < l.since) ' +
    // Neither an admission that counts since the nomination nor a membership active on the as-of date:
    // one look-up of both (PostgreSQL hashed the memberships once for each of two).
    `AND NOT EXISTS (SELECT 1 FROM ${T.membership} m WHERE m.person_id = l.person_id AND ((${activeOn('$4', '$1')}) ` +
    'OR (m.pos <= $1 AND (m.annulled_pos IS NULL OR m.annulled_pos > $1) AND m.admitted_on >= l.since AND m.admitted_on <= $4)))) ' +
    // 0: the persons entered at each step; 1: the conversions' pairs of dates; 2: the active members not
    // confirmed, in the subtree on the as-of date; 3: the nominees in it, with their last decision and
    // passing cell vote since the nomination and their last class.
    `SELECT 0 AS part, ${none('TEXT')} AS person_id, step, ${none('TEXT')} AS d1, ${none('TEXT')} AS d2, ` +
    `${none('TEXT')} AS d3, ${count} AS n FROM entered GROUP BY step ` +
    `UNION ALL SELECT 1, ${none('TEXT')}, step, from_on, to_on, ${none('TEXT')}, ${count} ` +
    'FROM converted GROUP BY step, from_on, to_on ' +
    'UNION ALL SELECT 2, m.person_id, m.existing, m.admitted_on, m.registered_on, ' +
    `${none('TEXT')}, 1 FROM active a JOIN ${T.membership} m ON m.person_id = a.person_id AND m.pos = a.pos ` +
    `WHERE (m.confirmed_pos IS NULL OR m.confirmed_pos > $1) AND ${inScope(`coalesce(${heldOn('m.person_id', '$4')}, m.org_id)`, '$4')} ` +
    `UNION ALL SELECT 3, n.person_id, ${none('TEXT')}, ${lastStep('decided', 'n.since')}, ` +
    `(SELECT max(v.on_date) FROM ${T.cellVote} v WHERE v.person_id = n.person_id AND v.pos <= $1 ` +
    `AND v.on_date >= n.since AND v.on_date <= $4 AND ${passes('v')}), ${lastStep('trained', "''")}, 1 ` +
    `FROM nominee n WHERE ${inScope(heldOn('n.person_id', '$4'), '$4')}`
  return { sql, params }
}

/** The funnel's rows counted in SQL (`funnelCounted`) into the state (`ReportsState.funnelTables`). */
const funnelCountedPart = (
  query: ReportQuery,
  period: { readonly from: string },
  end: string,
  asOf: string,
  known: number,
  policies: RollPolicies,
): Part => {
  const statement = funnelCounted(policies)
  return {
    query: {
      sql: statement.sql,
      params: [
        known,
        period.from,
        end,
        asOf,
        query.orgId,
        query.includeMerged === true ? 1 : 0,
        ...statement.params,
      ],
    },
    add: (s, rows) => {
      const entered: Record<string, number> = {}
      const conversions: FunnelTables['conversions'][number][] = []
      const unconfirmed: FunnelTables['unconfirmed'][number][] = []
      const nominees: FunnelTables['nominees'][number][] = []
      for (const r of rows)
        switch (num(r, 'part')) {
          case 0:
            entered[str(r, 'step')] = num(r, 'n')
            break
          case 1:
            conversions.push({
              step: str(r, 'step') as FunnelChainStep,
              from: str(r, 'd1'),
              to: strOrNull(r, 'd2'),
              persons: num(r, 'n'),
            })
            break
          case 2:
            unconfirmed.push({
              personId: str(r, 'person_id'),
              existing: strOrNull(r, 'step') as Membership['existing'],
              admittedOn: str(r, 'd1'),
              registeredOn: strOrNull(r, 'd2'),
            })
            break
          case 3:
            nominees.push({
              personId: str(r, 'person_id'),
              decided: strOrNull(r, 'd1'),
              vote: strOrNull(r, 'd2'),
              trained: strOrNull(r, 'd3'),
            })
            break
          default:
            throw new MalformedRow(`funnel part ${String(r['part'])}`)
        }
      s.funnelTables = { entered, conversions, unconfirmed, nominees }
    },
  }
}

const isDate = (d: string | undefined): d is string => d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d)

/**
 * The most organizations a subtree's reports are read by key for (`SqlStatement.byKeyWhen`): a commune's
 * few dozen. Past it (a district's five hundred) PostgreSQL's hashes are cheaper: nested loops over the
 * funnel's working expressions grow with their product (a district's funnel at province scale: 0.6 s
 * hashed, 2.8 s by key; a commune's: 0.43 s hashed, 0.04 s by key).
 */
const FEW_ORGS = 64

/**
 * `parts` read by key while the organization `org` ever had a parent and its widest subtree as known at
 * `b.position` holds at most FEW_ORGS organizations (counted no further).
 */
const byKeyWhenFewOrgs = (b: ReadBounds, org: string, parts: ReadonlyArray<Part>): Part[] => {
  const byKeyWhen: SqlStatement = {
    sql:
      `WITH RECURSIVE ${widestSubtree('$1', '$2', `${everUnder('$1', '$2')} > 0`)} ` +
      `SELECT CASE WHEN (SELECT count(*) FROM (SELECT 1 FROM scope_org LIMIT ${FEW_ORGS + 1}) f) ` +
      `BETWEEN 1 AND ${FEW_ORGS} THEN 1 ELSE 0 END AS few`,
    params: [b.position, org],
  }
  return parts.map((p) => ({ ...p, query: { ...p.query, byKeyWhen } }))
}

/** The parts of report `name`, or null when it is not read from the tables. */
const partsOf = (
  name: ReportName,
  query: ReportQuery,
  b: ReadBounds,
  policies: RollPolicies,
  leftOut: ReadonlyArray<string>,
  /** Whether events after the tables are folded over them (their structure may differ from the tables'). */
  tailed: boolean,
): Part[] | null => {
  switch (name) {
    case 'attainment': {
      const period = query.period === undefined ? null : parsePeriod(query.period)
      if (period === null || query.period === undefined) return orgParts(b)
      const window = [b.position, period.from, period.to]
      // Only the organization's widest subtree and chain (a tail's organization events may bring
      // organizations into the subtree: no narrowing then).
      if (!tailed)
        return byKeyWhenFewOrgs(b, query.orgId, [
          ...admissionsOfSubtree(b, window, query.period, query.orgId),
          ...(query.occupation === undefined
            ? []
            : [
                personsPart(
                  'person_id',
                  part(PROFILES_OF_ADMITTED_IN_SUBTREE, [...window, query.orgId], (s, rows) =>
                    addProfiles(s, rows),
                  ),
                ),
              ]),
        ])
      return [
        ...orgParts(b),
        personsPart(
          'person_id',
          part(ADMITTED_IN, window, (s, rows) => addMemberships(s, b.position, rows)),
        ),
        part(QUOTAS, [b.position, query.period], addQuotas),
        part(QUOTA_TARGETS, [b.position, query.period], addQuotaTargets),
        ...(query.occupation === undefined
          ? []
          : [
              personsPart(
                'person_id',
                part(PROFILES_OF_ADMITTED, window, (s, rows) => addProfiles(s, rows)),
              ),
            ]),
      ]
    }
    case 'coverage':
      // Only the places of the organization's subtree (a tail's organization events may bring
      // organizations into it: every one then).
      if (!tailed)
        return byKeyWhenFewOrgs(b, query.orgId, scopedPlaceParts(b, query.orgId, { villages: false }))
      return [...orgParts(b), ...unitParts(b)]
    case 'village-heads':
      // Only the places of the organization's subtree and their heads (a tail's organization events may
      // bring organizations into it: every one then).
      if (!tailed)
        return byKeyWhenFewOrgs(b, query.orgId, [
          ...scopedPlaceParts(b, query.orgId),
          ...scopedHeadsParts(b, query.orgId),
          targetPart(b),
        ])
      return [
        ...orgParts(b),
        ...unitParts(b),
        ...villageParts(b),
        targetPart(b),
        personsPart(
          'person_id',
          part(HEADS_MEMBERSHIPS, [b.position], (s, rows) => addMemberships(s, b.position, rows)),
        ),
      ]
    case 'blank-villages':
      // Only the places of the organization's subtree (a tail's organization events may bring
      // organizations into it: every one then).
      if (!tailed)
        return byKeyWhenFewOrgs(b, query.orgId, [
          ...scopedPlaceParts(b, query.orgId),
          ...(isDate(query.asOf) ? [inhabitedPart(b, query.asOf, leftOut, query.orgId)] : []),
          ...(isDate(query.since) ? [inhabitedPart(b, query.since, leftOut, query.orgId)] : []),
        ])
      return [
        ...orgParts(b),
        ...unitParts(b),
        // Without the heads' appointments, which it does not read (394,000 rows at national scale).
        ...villageParts(b, false),
        ...(isDate(query.asOf) ? [inhabitedPart(b, query.asOf, leftOut)] : []),
        ...(isDate(query.since) ? [inhabitedPart(b, query.since, leftOut)] : []),
      ]
    case 'training':
      // Only the classes of the organization's widest subtree and its organizations and chain.
      if (!tailed)
        return byKeyWhenFewOrgs(b, query.orgId, [
          ...scopedOrgParts(b, query.orgId),
          classPart(b, query.orgId),
        ])
      return [...orgParts(b), classPart(b)]
    case 'roll': {
      if (!isDate(query.asOf)) return orgParts(b)
      const period = query.period === undefined ? null : parsePeriod(query.period)
      // A tail's organization events may bring organizations into the subtree: no narrowing then.
      // Without a period (whose admissions the process places in the subtree on their own dates) nor
      // --include-merged, the query keeps the subtree's groups itself, and the process reads the
      // organization alone (the root of the country read its 235,000 organizations and 350,000 links).
      const exact = !tailed && period === null && query.includeMerged !== true
      const parts = [
        ...(tailed ? orgParts(b) : exact ? [orgAlonePart(b, query.orgId)] : scopedOrgParts(b, query.orgId)),
        rollPart(query.asOf, b, policies, leftOut, tailed ? null : query.orgId, exact),
        ...(period === null ? [] : periodAdmissionParts(b, period, tailed ? null : query.orgId)),
      ]
      return tailed ? parts : byKeyWhenFewOrgs(b, query.orgId, parts)
    }
    case 'organizations':
      if (!isDate(query.asOf)) return orgParts(b)
      // Only the organization's subtree, its places' units and the members its organizations hold (a
      // tail's organization events may bring organizations into it: every one then).
      if (!tailed)
        return byKeyWhenFewOrgs(b, query.orgId, [
          ...scopedPlaceParts(b, query.orgId, { unitLinks: false, villages: false }),
          heldPart(query.asOf, b, leftOut, query.orgId),
        ])
      return [...orgParts(b), unitsPart(b, UNITS), heldPart(query.asOf, b, leftOut)]
    case 'ratings': {
      const period =
        query.period === undefined || !/^\d{4}$/.test(query.period) ? null : parsePeriod(query.period)
      if (period === null || query.period === undefined) return orgParts(b)
      const window = [b.position, period.from, period.to]
      // Only the organization's widest subtree and chain, as the attainment.
      if (!tailed)
        return byKeyWhenFewOrgs(b, query.orgId, [
          ...admissionsOfSubtree(b, window, query.period, query.orgId),
          part(inSubtree(RATINGS_OF_YEAR), [b.position, Number(query.period), query.orgId], addRatings),
        ])
      return [
        ...orgParts(b),
        part(RATINGS_OF_YEAR, [b.position, Number(query.period)], addRatings),
        personsPart(
          'person_id',
          part(ADMITTED_IN, window, (s, rows) => addMemberships(s, b.position, rows)),
        ),
        part(QUOTAS, [b.position, query.period], addQuotas),
        part(QUOTA_TARGETS, [b.position, query.period], addQuotaTargets),
      ]
    }
    case 'funnel': {
      const period = query.period === undefined ? null : parsePeriod(query.period)
      if (period === null || !isDate(query.asOf)) return orgParts(b)
      const end = period.to < query.asOf ? period.to : query.asOf
      // A tail's events may move organizations and persons: its persons' records are read whole then.
      // Counted in SQL (`funnelCounted`): the process reads the organization alone, its name, and with
      // --include-merged its subtree and chain (the names of those merged into it). The root of the
      // country read its 235,000 organizations and 350,000 links for its name.
      if (!tailed)
        return byKeyWhenFewOrgs(b, query.orgId, [
          ...(query.includeMerged === true ? scopedOrgParts(b, query.orgId) : [orgAlonePart(b, query.orgId)]),
          funnelCountedPart(query, period, end, query.asOf, b.known, policies),
        ])
      const params = [b.position, b.known, period.from, end, query.asOf]
      return [...orgParts(b), funnelPart(params, b.position, leftOut)]
    }
    default:
      return null
  }
}

/** Events after the tables' position, folded in memory over what the tables answer (a store opened read-only). */
export interface ReportTail {
  /** The position the tables stand at. */
  readonly from: number
  /** The events after it, in log order, up to the report's position. */
  readonly events: ReadonlyArray<{ readonly event: DomainEvent; readonly position: number }>
}

/** The reports a tail can be folded for (every one: their parts name every person-level query, `personsPart`). */
export const TAIL_REPORTS: ReadonlyArray<ReportName> = READ_MODEL_REPORTS

/** Most persons a tail may touch: each is a parameter of the queries that leave them out. */
export const MAX_TAIL_PERSONS = 2_000

const personOf = (e: DomainEvent): string | undefined =>
  'personId' in e.data && typeof e.data.personId === 'string' ? e.data.personId : undefined

/** Every fact the tables hold of the persons `ids` (the reports' timelines and memberships, steps and votes). */
const wholePersonParts = (b: ReadBounds, ids: ReadonlyArray<string>): Part[] => {
  const params = [b.position, ...ids]
  const of = (table: string, columns: string): string =>
    `SELECT ${columns} FROM ${table} WHERE pos <= $1 AND person_id IN (${inList(ids.length, 2)}) ORDER BY person_id, pos`
  const residences = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
    for (const r of rows)
      person(s, str(r, 'person_id')).residence.push({
        on: str(r, 'valid_from'),
        rec: num(r, 'pos'),
        value: strOrNull(r, 'village_id'),
      })
  }
  const orgs = (s: ReportsState, rows: ReadonlyArray<SqlRow>): void => {
    for (const r of rows)
      person(s, str(r, 'person_id')).orgs.push({
        on: str(r, 'valid_from'),
        rec: num(r, 'pos'),
        value: str(r, 'org_id'),
      })
  }
  return [
    part(of(T.membership, MEMBERSHIP_COLUMNS), params, (s, rows) => addMemberships(s, b.position, rows)),
    part(of(T.profile, PROFILE_COLUMNS), params, addProfiles),
    part(of(T.residence, 'person_id, pos, valid_from, village_id'), params, residences),
    part(of(T.personOrg, 'person_id, pos, valid_from, org_id'), params, orgs),
    part(of(T.step, 'person_id, step, pos, on_date'), params, addSteps),
    part(of(T.cellVote, 'person_id, pos, on_date, in_favour, eligible'), params, addCellVotes),
  ]
}

/**
 * The roll's admissions of `period` and the profiles of those admitted (D35), of the widest subtree of
 * `orgId` (every one without it: a tail's organization events may bring organizations in), kept apart
 * from the persons whose members the tables did not count (`admittedPersons`).
 */
const periodAdmissionParts = (
  b: ReadBounds,
  period: { readonly from: string; readonly to: string },
  orgId: string | null,
): Part[] => {
  const apart = (s: ReportsState): ReportsState => {
    if (s.admittedPersons === undefined) s.admittedPersons = new Map()
    return { ...emptyReportsState(), persons: s.admittedPersons }
  }
  const window = [b.position, period.from, period.to, ...(orgId === null ? [] : [orgId])]
  return [
    personsPart(
      'person_id',
      part(orgId === null ? ADMITTED_IN : ADMITTED_IN_SUBTREE, window, (s, rows) =>
        addMemberships(apart(s), b.position, rows),
      ),
    ),
    personsPart(
      'person_id',
      part(orgId === null ? PROFILES_OF_ADMITTED : PROFILES_OF_ADMITTED_IN_SUBTREE, window, (s, rows) =>
        addProfiles(apart(s), rows),
      ),
    ),
  ]
}

/**
 * The roll of an encrypted store, whose profile rows hold no personal field (D38): the organizations, and
 * every fact the tables hold of the members active on the as-of date as known (of the organization's
 * widest subtree: `activeMembersWith`), with the period's admissions as the clear roll reads them; the
 * report counts these persons as on the replayed state, once their profiles are read from the log
 * (`sealedProfileEvents`). A commune reads its own few hundred members instead of folding the log.
 */
const sealedRollParts = (query: ReportQuery, b: ReadBounds, forgotten: Set<string>): Part[] => {
  if (!isDate(query.asOf)) return orgParts(b)
  const params = [query.asOf, b.known, query.orgId, b.position]
  const period = query.period === undefined ? null : parsePeriod(query.period)
  const parts = [
    ...scopedOrgParts(b, query.orgId),
    // The members' memberships, profiles and organization entries in one query: the members are found
    // once (three queries found them three times, 20-25 ms each on PostgreSQL for a district's commune).
    part(
      `${activeMembersWith([], '', '$3')}, wanted AS MATERIALIZED (SELECT person_id FROM active) ` +
        (
          [
            [T.membership, MEMBERSHIP_COLUMNS],
            [T.profile, PROFILE_COLUMNS],
            [T.personOrg, 'person_id, pos, valid_from, org_id'],
          ] as const
        )
          .map(([table, columns], n) => {
            const own = new Set(columns.split(', '))
            const all = padded(SEALED_ROLL_COLUMNS, (c) => (own.has(c) ? c : undefined))
            return (
              `SELECT ${n} AS part, ${all} FROM ${table} ` +
              'WHERE pos <= $4 AND person_id IN (SELECT person_id FROM wanted)'
            )
          })
          .join(' UNION ALL ') +
        ' ORDER BY part, person_id, pos',
      params,
      (s, rows) => {
        const byPart: SqlRow[][] = [[], [], []]
        for (const r of rows) byPart[num(r, 'part')]?.push(r)
        addMemberships(s, b.position, byPart[0]!)
        addProfiles(s, byPart[1]!)
        addPersonOrgs(s, byPart[2]!)
      },
    ),
    // The persons forgotten by then: their profiles stay erased, as the replay erases them (D34), even
    // while their keys would still open their events (a forget that stopped before destroying the key).
    part(`SELECT person_id FROM ${T.forgotten} WHERE pos <= $1`, [b.position], (_, rows) => {
      for (const r of rows) forgotten.add(str(r, 'person_id'))
    }),
    ...(period === null ? [] : periodAdmissionParts(b, period, query.orgId)),
  ]
  return byKeyWhenFewOrgs(b, query.orgId, parts)
}

/** The columns of the encrypted roll's members' rows (memberships, profiles, organization entries). */
const SEALED_ROLL_COLUMNS = typed([
  ...new Set([...MEMBERSHIP_COLUMNS.split(', '), ...PROFILE_COLUMNS.split(', ')]),
])

/**
 * The profiles a state read from an encrypted store's tables holds without their personal fields, read
 * from the events that recorded them (the log's data opened with the persons' keys, as the replay reads
 * it: a forgotten person's comes back erased).
 */
const sealedProfileEvents = (forgotten: ReadonlySet<string>): NonNullable<ReportLoad['events']> => ({
  positions: (s) => {
    const out: number[] = []
    for (const persons of [s.persons, s.admittedPersons ?? new Map<string, never>()])
      for (const [id, p] of persons)
        if (!forgotten.has(id)) for (const entry of p.profiles) out.push(entry.rec)
    return out
  },
  apply: (s, events) => {
    for (const { event, position } of events) {
      if (event.type !== 'CandidateNominated' && event.type !== 'ExistingMemberRegistered') continue
      const profile = event.data.profile
      if (profile === undefined || forgotten.has(event.data.personId)) continue
      for (const persons of [s.persons, s.admittedPersons]) {
        const profiles = persons?.get(event.data.personId)?.profiles ?? []
        profiles.forEach((entry, i) => {
          if (entry.rec === position) profiles[i] = { ...entry, value: profile }
        })
      }
    }
    return s
  },
})

/**
 * The queries of report `name` at `bounds` under `policies`, or null when it is not read from the tables.
 * With a `tail` (tables behind the report's position), the tables are read at `tail.from`, the persons
 * the tail names are read whole instead of through the report's person queries, and the tail's events
 * are folded over the state in memory; null when the report or the tail does not allow it.
 */
export const loadReport = (
  name: ReportName,
  query: ReportQuery,
  bounds: ReadBounds,
  policies: RollPolicies = defaultPolicies,
  tail?: ReportTail,
  sealedProfiles = false,
): ReportLoad | null => {
  // An encrypted store's roll counts personal fields its tables do not keep: read from the log for the
  // members it counts (a tail's events are not folded over such a state: the log is replayed then).
  const sealedRoll = sealedProfiles && name === 'roll'
  if (sealedRoll && tail !== undefined) return null
  const forgotten = new Set<string>()
  const touched = new Set<string>()
  if (tail !== undefined) {
    if (!TAIL_REPORTS.includes(name)) return null
    for (const { event } of tail.events) {
      const id = personOf(event)
      if (id !== undefined) touched.add(id)
    }
    if (touched.size > MAX_TAIL_PERSONS) return null
  }
  const leftOut = [...touched]
  const rowBounds: ReadBounds =
    tail === undefined ? bounds : { position: tail.from, known: Math.min(bounds.known, tail.from) }
  const reportParts = sealedRoll
    ? sealedRollParts(query, bounds, forgotten)
    : partsOf(name, query, rowBounds, policies, leftOut, tail !== undefined)
  if (reportParts === null) return null
  const parts =
    leftOut.length === 0
      ? reportParts
      : [
          ...reportParts.map((p): Part =>
            p.persons === undefined
              ? p
              : {
                  ...p,
                  query: {
                    ...p.query,
                    sql: excluding(p.query.sql, p.persons, leftOut, p.query.params.length + 1),
                    params: [...p.query.params, ...leftOut],
                  },
                },
          ),
          ...wholePersonParts(rowBounds, leftOut),
        ]
  return {
    queries: parts.map((p) => p.query),
    assemble: (rows) => {
      const s = emptyReportsState()
      parts.forEach((p, i) => p.add(s, rows[i] ?? []))
      for (const { event, position } of tail?.events ?? []) applyEvent(s, event, position)
      // The period's admissions of the members read whole are theirs (the roll counts each person once).
      if (sealedRoll) for (const id of s.persons.keys()) s.admittedPersons?.delete(id)
      s.position = bounds.position
      s.knownBound = bounds.known
      return s
    },
    ...(sealedRoll ? { events: sealedProfileEvents(forgotten) } : {}),
  }
}
