/**
 * The tables of the reports read model (`rm_reports_…`): the histories of `ReportsState` as rows, each
 * fact with the log position that recorded it (`pos`) and, when a later fact changed it, the position
 * that did (`…_pos`), so that "known at" is a position bound; timelines carry their business-date
 * validity (`valid_from`, `valid_to`: in force from the first, up to but not including the second).
 * Dates are ISO text (YYYY-MM-DD), compared as text.
 */
import type { ColumnSpec, ColumnType, TableSpec } from '@ketnap/kernel'
import { OCCUPATIONS } from '../events'

const col = (name: string, type: ColumnType, nullable = false): ColumnSpec =>
  nullable ? { name, type, nullable } : { name, type }
const text = (name: string): ColumnSpec => col(name, 'text')
const int = (name: string): ColumnSpec => col(name, 'integer')
const textOrNull = (name: string): ColumnSpec => col(name, 'text', true)
const intOrNull = (name: string): ColumnSpec => col(name, 'integer', true)

/** A timeline of one key: an entry per event, closed by the next one (`valid_to`, `superseded_pos`). */
const timeline = (name: string, key: string, values: ReadonlyArray<ColumnSpec>): TableSpec => ({
  name,
  columns: [
    text(key),
    int('pos'),
    text('valid_from'),
    ...values,
    textOrNull('valid_to'),
    intOrNull('superseded_pos'),
  ],
  primaryKey: [key, 'pos'],
})

/** The name of every table, for the statements and the documentation. */
export const T = {
  org: 'rm_reports_org',
  orgParent: 'rm_reports_org_parent',
  orgEdge: 'rm_reports_org_edge',
  unit: 'rm_reports_unit',
  unitOrg: 'rm_reports_unit_org',
  village: 'rm_reports_village',
  villageHead: 'rm_reports_village_head',
  person: 'rm_reports_person',
  profile: 'rm_reports_profile',
  membership: 'rm_reports_membership',
  residence: 'rm_reports_residence',
  personOrg: 'rm_reports_person_org',
  step: 'rm_reports_step',
  cellVote: 'rm_reports_cell_vote',
  quota: 'rm_reports_quota',
  quotaTarget: 'rm_reports_quota_target',
  trainingClass: 'rm_reports_class',
  target: 'rm_reports_target',
  rating: 'rm_reports_rating',
  span: 'rm_reports_member_span',
  spanNext: 'rm_reports_member_span_next',
  rollDelta: 'rm_reports_roll_delta',
  rollSum: 'rm_reports_roll_sum',
  villageSum: 'rm_reports_village_sum',
  villageDelta: 'rm_reports_village_delta',
  rollChange: 'rm_reports_roll_change',
  rollTotalDelta: 'rm_reports_roll_total_delta',
  rollTotalSum: 'rm_reports_roll_total_sum',
  rollTotalChange: 'rm_reports_roll_total_change',
  villageChange: 'rm_reports_village_change',
  dirty: 'rm_reports_dirty_person',
  forgotten: 'rm_reports_forgotten',
  settled: 'rm_reports_settled',
} as const

/** The roll's counters of a member span and of a count delta, besides `members`, in `RollGroup` order. */
export const ROLL_COUNTERS = [
  'official',
  'without_profile',
  'erased',
  'female',
  'ethnic_minority',
  'under30',
] as const

/** A count delta's column per occupation, in `OCCUPATIONS` order. */
export const ROLL_OCCUPATION_COLUMNS: ReadonlyArray<string> = OCCUPATIONS.map((_, i) => `occupation_${i}`)

/** Every column a count delta of the roll sums, besides its key. */
export const ROLL_COUNT_COLUMNS: ReadonlyArray<string> = [
  'members',
  ...ROLL_COUNTERS,
  ...ROLL_OCCUPATION_COLUMNS,
]

/** A table of members' spans. */
const memberSpans = (name: string): TableSpec => ({
  name,
  columns: [
    text('person_id'),
    text('from_on'),
    textOrNull('to_on'),
    text('org_id'),
    textOrNull('village_id'),
    // '' for a member without a profile, an erased profile, or one without a religion.
    text('religion'),
    ...ROLL_COUNTERS.map(int),
    textOrNull('occupation'),
  ],
  primaryKey: ['person_id', 'from_on'],
})

/** The key of the roll's count deltas per organization, and of those over every organization. */
export const ROLL_KEY: ReadonlyArray<string> = ['on_date', 'org_id', 'religion']
export const ROLL_TOTAL_KEY: ReadonlyArray<string> = ['on_date', 'religion']

/**
 * A table of the roll's count deltas by date (or bucket of dates), `key` (by default organization and
 * religion; `ROLL_TOTAL_KEY`: religion, summed over every organization, version 10).
 */
const rollCounts = (name: string, key: ReadonlyArray<string> = ROLL_KEY): TableSpec => ({
  name,
  columns: [...key.map(text), ...ROLL_COUNT_COLUMNS.map(int)],
  // Date first: the days of a year, the years of a decade, the decades are each one range.
  primaryKey: key,
})

/** A table of the members living in a village, as deltas by date (or bucket of dates). */
const villageCounts = (name: string): TableSpec => ({
  name,
  columns: [text('on_date'), text('village_id'), int('members')],
  primaryKey: ['on_date', 'village_id'],
})

/** The tables of the reports read model. */
export const REPORTS_TABLES: ReadonlyArray<TableSpec> = [
  {
    name: T.org,
    columns: [
      text('org_id'),
      text('name'),
      text('level'),
      textOrNull('unit_id'),
      textOrNull('village_id'),
      text('registered_on'),
      int('pos'),
      textOrNull('dissolved_on'),
      intOrNull('dissolved_pos'),
      textOrNull('merged_into'),
    ],
    primaryKey: ['org_id'],
    // The organizations sitting in one organization's units (its coverage), by index (made when missing).
    indexes: [['unit_id']],
  },
  timeline(T.orgParent, 'org_id', [textOrNull('parent_id')]),
  // Every link that ever put an organization under another as known from `pos` on: a parent link (the
  // organization's registration or move) or a merge (its dissolution into another). A subtree is walked
  // down the primary key and a chain up the index on the child (version 9), one lookup per organization.
  {
    name: T.orgEdge,
    columns: [text('parent_id'), text('child_id'), int('pos')],
    primaryKey: ['parent_id', 'child_id', 'pos'],
    indexes: [['child_id']],
  },
  {
    name: T.unit,
    columns: [
      text('unit_id'),
      text('kind'),
      text('registered_on'),
      int('pos'),
      textOrNull('retired_on'),
      intOrNull('retired_pos'),
      textOrNull('merged_into'),
    ],
    primaryKey: ['unit_id'],
  },
  // The units and villages of one organization's places (blank villages of a subtree) by index.
  { ...timeline(T.unitOrg, 'unit_id', [text('org_id')]), indexes: [['org_id']] },
  {
    name: T.village,
    columns: [
      text('village_id'),
      text('unit_id'),
      text('registered_on'),
      int('pos'),
      textOrNull('retired_on'),
      intOrNull('retired_pos'),
    ],
    primaryKey: ['village_id'],
    indexes: [['unit_id']],
  },
  timeline(T.villageHead, 'village_id', [text('person_id')]),
  { name: T.person, columns: [text('person_id'), int('pos')], primaryKey: ['person_id'] },
  // A forgotten person's personal fields are NULL (the profile reads back erased).
  timeline(T.profile, 'person_id', [
    textOrNull('birth_date'),
    text('sex'),
    intOrNull('ethnic_minority'),
    text('occupation'),
    textOrNull('ethnicity'),
    textOrNull('religion'),
    // The thirtieth birthday (version 7); NULL when the birth date is.
    textOrNull('aged_on'),
  ]),
  {
    name: T.membership,
    columns: [
      text('person_id'),
      int('pos'),
      text('org_id'),
      text('admitted_on'),
      // The day the probation ends (admission plus the default policies' months, version 7).
      text('served_on'),
      textOrNull('existing'),
      textOrNull('registered_on'),
      intOrNull('annulled_pos'),
      intOrNull('confirmed_pos'),
      textOrNull('left_on'),
      intOrNull('left_pos'),
    ],
    primaryKey: ['person_id', 'pos'],
    // The funnel's unconfirmed members: one range per (confirmed_pos, existing); the members an
    // organization admitted, for the roll of a subtree (version 6), by date: a subtree's admissions of a
    // period are one range per organization (version 10).
    indexes: [['admitted_on'], ['confirmed_pos', 'existing', 'registered_on'], ['org_id', 'admitted_on']],
  },
  timeline(T.residence, 'person_id', [textOrNull('village_id')]),
  // The persons an organization held, for the roll of a subtree (version 6).
  { ...timeline(T.personOrg, 'person_id', [text('org_id')]), indexes: [['org_id']] },
  {
    name: T.step,
    columns: [text('person_id'), text('step'), int('pos'), text('on_date')],
    primaryKey: ['person_id', 'step', 'pos'],
    // (step, person_id, on_date): the funnel's last nomination per person without a sort (version 6).
    indexes: [
      ['step', 'on_date'],
      ['step', 'person_id', 'on_date'],
    ],
  },
  {
    name: T.cellVote,
    columns: [text('person_id'), int('pos'), text('on_date'), int('in_favour'), int('eligible')],
    primaryKey: ['person_id', 'pos'],
  },
  {
    name: T.quota,
    // occupation '' when the quota is for every occupation: key columns are never NULL.
    columns: [
      text('org_id'),
      text('period'),
      text('occupation'),
      text('assigned_by'),
      textOrNull('ref'),
      int('pos'),
    ],
    primaryKey: ['org_id', 'period', 'occupation', 'assigned_by'],
    indexes: [['period']],
  },
  {
    name: T.quotaTarget,
    columns: [
      text('org_id'),
      text('period'),
      text('occupation'),
      text('assigned_by'),
      int('pos'),
      int('target'),
    ],
    primaryKey: ['org_id', 'period', 'occupation', 'assigned_by', 'pos'],
    indexes: [['period']],
  },
  {
    name: T.trainingClass,
    columns: [text('class_id'), int('pos'), text('org_id'), text('from_on'), int('trainees')],
    primaryKey: ['class_id', 'pos'],
    // The classes of one organization's subtree (its training), by index (made when missing).
    indexes: [['org_id']],
  },
  {
    name: T.target,
    columns: [
      text('org_id'),
      int('pos'),
      text('indicator'),
      text('period'),
      col('value', 'real'),
      textOrNull('ref'),
      text('on_date'),
    ],
    primaryKey: ['org_id', 'pos'],
  },
  {
    name: T.rating,
    columns: [text('org_id'), int('pos'), int('year'), text('rating'), text('on_date')],
    primaryKey: ['org_id', 'pos'],
    indexes: [['year']],
  },
  // Version 7: each member's life as spans of business dates over which what the roll and blank
  // villages count of them is constant, as known at the tables' position, and the sums of their starts
  // and ends per date and organization (or village): a count on a date is the sum of the deltas up to
  // it. The sums per decade and year (`on_date` 'D202', 'Y2025') let a date read the decades before its
  // own, the years of its decade before its own and the days of its year up to it.
  memberSpans(T.span),
  // The spans of the batch's persons recomputed, before they replace theirs (empty between batches).
  memberSpans(T.spanNext),
  // The rows of one organization's subtree read through an index on the organization (version 10).
  { ...rollCounts(T.rollDelta), indexes: [['org_id', 'on_date']] },
  { ...rollCounts(T.rollSum), indexes: [['org_id', 'on_date']] },
  // Version 10: the same summed over every organization, for a report whose subtree on its date holds
  // every organization (the country's, or a province's on its own store).
  rollCounts(T.rollTotalDelta, ROLL_TOTAL_KEY),
  rollCounts(T.rollTotalSum, ROLL_TOTAL_KEY),
  // The villages of one organization's places summed through their own rows (blank villages of a
  // subtree): an index on the village (made when missing, no rebuild).
  { ...villageCounts(T.villageDelta), indexes: [['village_id', 'on_date']] },
  { ...villageCounts(T.villageSum), indexes: [['village_id', 'on_date']] },
  // The changes of the deltas a settle makes, summed once and then added to the deltas and their sums
  // (empty between settles, version 8).
  rollCounts(T.rollChange),
  rollCounts(T.rollTotalChange, ROLL_TOTAL_KEY),
  villageCounts(T.villageChange),
  // The persons whose spans the batch's events may have changed, recomputed at its end.
  { name: T.dirty, columns: [text('person_id')], primaryKey: ['person_id'] },
  // The persons forgotten (PersonForgotten), with the position: an encrypted store's roll erases their
  // profiles as the replay does, whether or not their key is destroyed yet (D58).
  { name: T.forgotten, columns: [text('person_id'), int('pos')], primaryKey: ['person_id'] },
  // The position the spans and deltas reflect (one row).
  { name: T.settled, columns: [int('id'), int('position')], primaryKey: ['id'] },
]
