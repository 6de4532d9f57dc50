/**
 * Reading figures back from reports, written the Vietnamese way (1.873; 93,65 %), so that a figure's
 * expected text can be compared with what the library computed.
 * @internal
 */
import type {
  AttainmentReport,
  BlankVillagesReport,
  CoverageReport,
  OrganizationsReport,
  Report,
  RollReport,
  TrainingReport,
  VillageHeadsReport,
} from '@ketnap/core'
import type { FigureContext } from '../types'

/** An integer with a dot between thousands: 29590 → "29.590". */
export const int = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.')

/** A ratio as a percentage with two decimals and a decimal comma: 0.9365 → "93,65 %". */
export const pct = (ratio: number | null): string => {
  if (ratio === null) return '—'
  const hundredths = Math.round(ratio * 10000)
  const whole = Math.floor(hundredths / 100)
  return `${int(whole)},${String(hundredths % 100).padStart(2, '0')} %`
}

const nth = (ctx: FigureContext, i: number): Report => {
  const r = ctx.reports[i]
  if (r === undefined) throw new Error(`no report #${i}`)
  return r
}

const expect = <K extends Report['report']>(r: Report, kind: K): Extract<Report, { report: K }> => {
  if (r.report !== kind) throw new Error(`report is ${r.report}, not ${kind}`)
  return r as Extract<Report, { report: K }>
}

/** Report #i, which must be an attainment report. */
export const attainmentAt = (ctx: FigureContext, i: number): AttainmentReport =>
  expect(nth(ctx, i), 'attainment')
/** Report #i, which must be a blank-villages report. */
export const blankAt = (ctx: FigureContext, i: number): BlankVillagesReport =>
  expect(nth(ctx, i), 'blank-villages')
/** Report #i, which must be a coverage report. */
export const coverageAt = (ctx: FigureContext, i: number): CoverageReport => expect(nth(ctx, i), 'coverage')
/** Report #i, which must be a roll report. */
export const rollAt = (ctx: FigureContext, i: number): RollReport => expect(nth(ctx, i), 'roll')
/** Report #i, which must be a training report. */
export const trainingAt = (ctx: FigureContext, i: number): TrainingReport => expect(nth(ctx, i), 'training')
/** Report #i, which must be a village-heads report. */
export const headsAt = (ctx: FigureContext, i: number): VillageHeadsReport =>
  expect(nth(ctx, i), 'village-heads')

/** Report #i, which must be an organizations report. */
export const organizationsAt = (ctx: FigureContext, i: number): OrganizationsReport =>
  expect(nth(ctx, i), 'organizations')

/** "admitted / target = rate", the way the articles quote attainment. */
export const attainmentText = (r: AttainmentReport): string =>
  r.target === null
    ? `${int(r.admitted)} (no quota)`
    : `${int(r.admitted)} / ${int(r.target)} = ${pct(r.rate)}`

/** The target of the quota of `r` assigned by `assignedBy`, as text ("—" when there is none). */
export const quotaBy = (r: AttainmentReport, assignedBy: string): string => {
  const q = r.quotas.find((x) => x.assignedBy === assignedBy)
  return q === undefined ? '—' : int(q.target)
}
