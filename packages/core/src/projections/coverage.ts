/**
 * Units with and without a grassroots party organization (tổ chức cơ sở đảng).
 */
import * as E from 'fp-ts/Either'
import type { DomainError } from '@ketnap/kernel'
import type { CoverageReport, ReportQuery } from '../reports'
import { reportContext, type ReportContext } from './context'
import { scopeAt, shareOf } from './facts'
import type { ReportsState } from './state'

/** The coverage report of CLI.md: registered, unretired units in scope, and those an active grassroots organization sits in. */
export const coverage = (state: ReportsState, query: ReportQuery): E.Either<DomainError, CoverageReport> =>
  E.map((ctx: ReportContext) => {
    const scope = scopeAt(state, ctx.rootsOn(ctx.asOf), ctx.asOf, ctx.k)
    const units = scope.units.length
    const withOrganization = scope.units.filter((u) => scope.unitsWithGrassroots.has(u.id)).length
    const withoutOrganization = units - withOrganization
    return {
      report: 'coverage' as const,
      ...ctx.base,
      units,
      withOrganization,
      withoutOrganization,
      shares: {
        withOrganization: shareOf(withOrganization, units),
        withoutOrganization: shareOf(withoutOrganization, units),
      },
    }
  })(reportContext(state, query))
