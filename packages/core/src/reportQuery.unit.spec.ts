import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { decodeAskedReport, decodeReportRequest, type ReportQueryError } from './reportQuery'
import { REPORT_NAMES, REPORTS_NEEDING_PERIOD } from './reports'

const refused = (r: E.Either<ReportQueryError, unknown>): [string, string, unknown] | 'ok' =>
  E.isLeft(r) ? [r.left.code, r.left.path, r.left.value] : 'ok'

describe('decodeReportRequest: the one codec of a report request', () => {
  it('accepts a query and keeps only the fields it knows', () => {
    expect(
      decodeReportRequest('attainment', {
        orgId: 'prov',
        period: '2021',
        asOf: '2021-06-30',
        knownAt: '2021-07-01T09:00:00+07:00',
        occupation: 'farmer',
        since: '2020-12-31',
        includeMerged: true,
        onProgress: () => undefined,
        atPosition: 3,
      }),
    ).toEqual(
      E.right({
        name: 'attainment',
        query: {
          orgId: 'prov',
          period: '2021',
          asOf: '2021-06-30',
          knownAt: '2021-07-01T09:00:00+07:00',
          occupation: 'farmer',
          since: '2020-12-31',
          includeMerged: true,
        },
      }),
    )
  })

  it('names the field of each refusal, with its code and the value given', () => {
    const q = { orgId: 'prov', asOf: '2021-06-30' }
    expect(refused(decodeReportRequest('rol', q))).toEqual(['unknown-report', 'name', 'rol'])
    expect(refused(decodeReportRequest('roll', {}))).toEqual(['invalid-query', 'orgId', undefined])
    expect(refused(decodeReportRequest('roll', { ...q, orgId: '' }))).toEqual(['invalid-query', 'orgId', ''])
    expect(refused(decodeReportRequest('roll', 'prov'))).toEqual(['invalid-query', 'orgId', 'prov'])
    expect(refused(decodeReportRequest('roll', { ...q, asOf: '2021-02-30' }))).toEqual([
      'invalid-date',
      'asOf',
      '2021-02-30',
    ])
    expect(refused(decodeReportRequest('roll', { ...q, knownAt: 'yesterday' }))).toEqual([
      'invalid-date',
      'knownAt',
      'yesterday',
    ])
    expect(refused(decodeReportRequest('roll', { ...q, knownAt: '2021-01-01T00:00:00' }))).toEqual([
      'invalid-date',
      'knownAt',
      '2021-01-01T00:00:00',
    ])
    expect(refused(decodeReportRequest('blank-villages', { ...q, since: '2021-13-01' }))).toEqual([
      'invalid-date',
      'since',
      '2021-13-01',
    ])
    expect(refused(decodeReportRequest('roll', { ...q, period: '2021-13' }))).toEqual([
      'invalid-period',
      'period',
      '2021-13',
    ])
    expect(refused(decodeReportRequest('roll', { ...q, period: '2020-2019' }))).toEqual([
      'invalid-period',
      'period',
      '2020-2019',
    ])
    expect(refused(decodeReportRequest('attainment', { ...q, period: '2021', occupation: 'poet' }))).toEqual([
      'invalid-occupation',
      'occupation',
      'poet',
    ])
    expect(refused(decodeReportRequest('roll', { ...q, includeMerged: 'yes' }))).toEqual([
      'invalid-query',
      'includeMerged',
      'yes',
    ])
  })

  it('asks a period of the reports that count one, and a year of ratings', () => {
    const q = { orgId: 'prov', asOf: '2021-06-30' }
    for (const name of REPORT_NAMES)
      expect(refused(decodeReportRequest(name, q))).toEqual(
        REPORTS_NEEDING_PERIOD.includes(name) ? ['invalid-period', 'period', undefined] : 'ok',
      )
    for (const period of ['2020-2025', '2021-01-01/2021-12-31'])
      expect(refused(decodeReportRequest('ratings', { ...q, period }))).toEqual([
        'invalid-period',
        'period',
        period,
      ])
    expect(refused(decodeReportRequest('ratings', { ...q, period: '2021' }))).toBe('ok')
  })

  it('takes `today` for a missing asOf, and refuses a missing one without it', () => {
    expect(decodeReportRequest('roll', { orgId: 'prov' }, '2021-06-30')).toEqual(
      E.right({ name: 'roll', query: { orgId: 'prov', asOf: '2021-06-30' } }),
    )
    expect(decodeReportRequest('roll', { orgId: 'prov', asOf: undefined }, '2021-06-30')).toEqual(
      E.right({ name: 'roll', query: { orgId: 'prov', asOf: '2021-06-30' } }),
    )
    expect(refused(decodeReportRequest('roll', { orgId: 'prov' }))).toEqual([
      'invalid-date',
      'asOf',
      undefined,
    ])
    expect(decodeAskedReport('roll', { orgId: 'prov' })).toEqual(
      E.right({ name: 'roll', query: { orgId: 'prov' } }),
    )
  })

  it('never throws, and a refusal always names a field of the request', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (name, query) => {
        const r = decodeReportRequest(name, query, '2021-06-30')
        if (E.isLeft(r)) {
          expect([
            'name',
            'orgId',
            'asOf',
            'knownAt',
            'period',
            'occupation',
            'since',
            'includeMerged',
          ]).toContain(r.left.path)
          expect(r.left.message).not.toBe('')
        }
      }),
    )
  })
})
