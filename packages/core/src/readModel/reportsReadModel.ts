/**
 * The reports read model (`rm_reports_…` tables): the facts every report reads, kept in the store by the
 * kernel's read-model runner, and the reports answered from them.
 */
import type { ReadModel } from '@ketnap/kernel'
import type { DomainEvent } from '../events'
import type { ReportName } from '../reports'
import { loadReport, READ_MODEL_REPORTS } from './load'
import { REPORTS_TABLES } from './tables'
import { leavesSpanWork, reportsSettle, reportsWrites, reportsWritesWithoutPersonalFields } from './writes'

/** The reports read model: its tables, its writes, and the queries of the reports read from it. */
export interface ReportsReadModel extends ReadModel<DomainEvent> {
  /** The reports answered from the tables (the others replay the log). */
  readonly reports: ReadonlyArray<ReportName>
  /** A report's queries at a log position and known-at bound, and the state their rows make; null when not ported. */
  readonly load: typeof loadReport
}

/**
 * The reports read model. Version 1: organizations, units, villages, persons (profiles, memberships,
 * residence, organization, steps, cell votes), quotas and classes, as the reports projection keeps
 * them. Version 2: also targets (TargetSet) and ratings (OrganizationRated). Version 3: the
 * organization a dissolved one was merged into (`merged_into`). Version 4: a profile's personal
 * fields may be NULL (a forgotten person, D34). Version 5: on an encrypted store they are NULL for
 * every person (`encryptedReportsReadModel`). Version 6: indexes for the funnel's persons and for the
 * roll of a subtree (the persons an organization held or admitted). Version 7: each member's spans and
 * the count deltas per organization, religion and date (and per village and date) the roll and blank
 * villages sum instead of reading every member (`reportsSettle`, D43), with the end of probation and the
 * thirtieth birthday as columns (`served_on`, `aged_on`). Version 8: the changes of the deltas summed
 * once into working tables (`rm_reports_roll_change`, `rm_reports_village_change`), the sums per decade
 * and year made from them: the same rows, a cheaper settle. Version 9: every parent link and merge as an
 * edge (`rm_reports_org_edge`), so that a report of one organization walks its subtree and its chain by
 * index instead of reading every link of the country. Version 10: the roll's count deltas also summed over
 * every organization (`rm_reports_roll_total_…`), which the roll of an organization whose subtree holds
 * every organization on the date reads instead of a row per organization, and indexes by organization
 * on the roll's deltas (`org_id, on_date`) and the memberships (`org_id, admitted_on`) through which a
 * subtree reads its own rows. Version 11: the persons forgotten (`rm_reports_forgotten`), whose profiles an
 * encrypted store's roll keeps erased when it opens the others from the log (D58).
 */
export const reportsReadModel: ReportsReadModel = {
  name: 'reports',
  version: 11,
  tables: REPORTS_TABLES,
  writes: reportsWrites,
  settle: reportsSettle,
  leavesWork: leavesSpanWork,
  reports: READ_MODEL_REPORTS,
  load: loadReport,
}

/**
 * The reports read model of an encrypted store (D38): the same tables and version, a profile's personal
 * columns NULL for every person. The roll, which counts them, reads its members' rows and their profiles
 * from the log, opened with their keys (`loadReport`'s `sealedProfiles`, D58); the store's domain gives
 * its reporting that load.
 */
export const encryptedReportsReadModel = <M extends Pick<ReportsReadModel, 'writes'>>(model: M): M => ({
  ...model,
  writes: reportsWritesWithoutPersonalFields,
})
