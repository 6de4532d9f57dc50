import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { history } from '../internal/testing/envelopes'
import { decodeReportRequest } from '../reportQuery'
import type { RatingsReport, ReportQuery } from '../reports'
import { ratings } from './ratings'
import { foldReports } from './reportsProjection'
import type { ReportsState } from './state'

const run = (s: ReportsState, q: ReportQuery): RatingsReport => {
  const r = ratings(s, q)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const rated = (orgId: string, year: number, rating: string, on: string) => ({
  type: 'OrganizationRated' as const,
  data: { orgId, year, rating: rating as 'good', on },
})

// bloc > g1, g2 (moved to bloc2 on 2022-01-10); g1 holds a quota of 4 from the bloc and admits 5.
const bloc = () => {
  const b = history()
    .org('prov', 'province', null)
    .org('bloc', 'bloc', 'prov')
    .org('bloc2', 'bloc', 'prov')
    .org('g1', 'grassroots', 'bloc')
    .org('g2', 'grassroots', 'bloc')
    .quota('g1', '2021', 4, 'bloc', '2021-01-05')
  for (let i = 0; i < 5; i++) b.admit(`p${i}`, 'g1', `2021-0${i + 3}-10`)
  return b
    .add(rated('g1', 2021, 'good', '2022-01-05'))
    .add(rated('g2', 2021, 'fulfilled', '2022-01-05'))
    .add({ type: 'OrganizationMoved', data: { orgId: 'g2', parentId: 'bloc2', on: '2022-01-10' } })
    .add(rated('g1', 2021, 'excellent', '2022-01-20'), '2022-01-21T00:00:00Z')
    .add(rated('bloc', 2020, 'good', '2022-01-20'))
}

describe('ratings', () => {
  it('counts the organizations rated for the year by their last known rating, with attainment beside each', () => {
    const s = foldReports(bloc().build())
    const r = run(s, { orgId: 'bloc', period: '2021', asOf: '2022-02-01' })
    expect(r).toMatchObject({
      period: '2021',
      rated: 2,
      byRating: { excellent: 1, good: 0, fulfilled: 1, 'not-fulfilled': 0 },
      shares: { excellent: 0.5, good: 0, fulfilled: 0.5, 'not-fulfilled': 0 },
    })
    expect(r.rows).toEqual([
      { orgId: 'g1', name: 'Org g1', rating: 'excellent', rate: 5 / 4 },
      { orgId: 'g2', name: 'Org g2', rating: 'fulfilled', rate: null },
    ])
    // As of a date before the second rating, and as known before it was recorded.
    expect(run(s, { orgId: 'bloc', period: '2021', asOf: '2022-01-15' }).rows[0]?.rating).toBe('good')
    expect(
      run(s, { orgId: 'bloc', period: '2021', asOf: '2022-02-01', knownAt: '2022-01-20T12:00:00Z' }).rows[0]
        ?.rating,
    ).toBe('good')
    // g2 was rated while under the bloc, though it sits under bloc2 now.
    expect(run(s, { orgId: 'bloc2', period: '2021', asOf: '2022-02-01' }).rated).toBe(0)
    expect(run(s, { orgId: 'prov', period: '2020', asOf: '2022-02-01' }).rows.map((x) => x.orgId)).toEqual([
      'bloc',
    ])
    expect(run(s, { orgId: 'bloc', period: '2019', asOf: '2022-02-01' }).shares.good).toBeNull()
  })

  it('needs a year (decoded as the ledger does)', () => {
    const s = foldReports(bloc().build())
    for (const period of [undefined, '2020-2025', '2021-01-01/2021-12-31'])
      expect(
        E.mapLeft((e: { code: string }) => e.code)(
          E.chainW((d: { query: ReportQuery }) => ratings(s, d.query))(
            decodeReportRequest('ratings', {
              orgId: 'bloc',
              asOf: '2022-02-01',
              ...(period === undefined ? {} : { period }),
            }),
          ),
        ),
      ).toEqual(E.left('invalid-period'))
  })
})
