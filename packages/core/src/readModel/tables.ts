/**
 * The tables of the reports read model (`rm_reports_…`): the histories of `ReportsState` as rows, each
 * fact with the log position that recorded it (`pos`) and, when a later fact changed it, the position
 * that did (`…_pos`), so that "known at" is a position bound; timelines carry their business-date
 * validity (`valid_from`, `valid_to`: in force from the first, up to but not including the second).
 * Dates are ISO text (YYYY-MM-DD), compared as text.
 */
import type { ColumnSpec, ColumnType, TableSpec } from '@ketnap/kernel'

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
} as const

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
  },
  timeline(T.orgParent, 'org_id', [textOrNull('parent_id')]),
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
  timeline(T.unitOrg, 'unit_id', [text('org_id')]),
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
  ]),
  {
    name: T.membership,
    columns: [
      text('person_id'),
      int('pos'),
      text('org_id'),
      text('admitted_on'),
      textOrNull('existing'),
      textOrNull('registered_on'),
      intOrNull('annulled_pos'),
      intOrNull('confirmed_pos'),
      textOrNull('left_on'),
      intOrNull('left_pos'),
    ],
    primaryKey: ['person_id', 'pos'],
    // The funnel's unconfirmed members: one range per (confirmed_pos, existing); the members an
    // organization admitted, for the roll of a subtree (version 6).
    indexes: [['admitted_on'], ['confirmed_pos', 'existing', 'registered_on'], ['org_id']],
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
]
