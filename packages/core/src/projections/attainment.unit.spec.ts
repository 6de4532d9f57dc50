import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { aProfile, history } from '../internal/testing/envelopes'
import { decodeReportRequest } from '../reportQuery'
import type { AttainmentReport, ReportQuery } from '../reports'
import { attainment } from './attainment'
import { foldReports } from './reportsProjection'
import type { ReportsState } from './state'

const run = (s: ReportsState, q: ReportQuery): AttainmentReport => {
  const r = attainment(s, q)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const date = (year: number, i: number): string => {
  const t = new Date(Date.UTC(year, 0, 1 + (i % 300)))
  return t.toISOString().slice(0, 10)
}

describe('attainment', () => {
  it('Kon Tum: Đăk Nhoong, 13 quota and 19 admitted is 146.15 %; Đăk Blà holds two term quotas, the city’s is chosen', () => {
    const b = history()
      .org('kontum', 'province', null)
      .org('dakglei', 'district', 'kontum')
      .org('kontum-city', 'district', 'kontum')
      .org('daknhoong', 'grassroots', 'dakglei')
      .org('cb-dn', 'cell', 'daknhoong')
      .org('dakbla', 'grassroots', 'kontum-city')
      .quota('daknhoong', '2021', 13, 'dakglei', '2021-01-05')
      .quota('dakbla', '2020-2025', 20, 'dakbla', '2020-10-01')
      .quota('dakbla', '2020-2025', 25, 'kontum-city', '2020-11-01')
    for (let i = 0; i < 19; i++) b.admit(`p${i}`, 'cb-dn', date(2021, i * 8))
    const s = foldReports(b.build())
    const r = run(s, { orgId: 'daknhoong', period: '2021', asOf: '2021-06-30' })
    expect(r.target).toBe(13)
    expect(r.admitted).toBe(19)
    expect(((r.rate ?? 0) * 100).toFixed(2)).toBe('146.15')
    expect(r.direct).toBe(0)
    expect(r.rows).toEqual([{ orgId: 'cb-dn', orgName: 'Org cb-dn', target: null, admitted: 19, rate: null }])
    const bla = run(s, { orgId: 'dakbla', period: '2020-2025', asOf: '2021-06-30' })
    expect(bla.target).toBe(25)
    expect(bla.quotas.map((q) => [q.assignedBy, q.target])).toEqual([
      ['dakbla', 20],
      ['kontum-city', 25],
    ])
    expect(bla.admitted).toBe(0)
    expect(bla.rate).toBe(0)
  })

  it('a quota names its assigner as registered, or by its id when the ledger does not know it', () => {
    const b = history()
      .org('province', 'province', null)
      .org('district', 'district', 'province')
      .quota('district', '2021', 10, 'province', '2021-01-05')
      .quota('district', '2021', 12, 'ministry', '2021-01-06')
    const r = run(foldReports(b.build()), { orgId: 'district', period: '2021', asOf: '2021-06-30' })
    expect(r.quotas.map((q) => [q.assignedBy, q.assignedByName])).toEqual([
      ['ministry', 'ministry'],
      ['province', 'Org province'],
    ])
  })

  it('Điện Biên: 1,873 of 2,000 is 93.65 %; Mường Nhé 112 of 154 is 72.73 %, up to the as-of date', () => {
    const b = history()
      .org('dienbien', 'province', null)
      .org('muongnhe', 'district', 'dienbien')
      .org('other', 'district', 'dienbien')
      .org('cb-mn', 'cell', 'muongnhe')
      .org('cb-o', 'cell', 'other')
      .quota('dienbien', '2016', 2000, 'dienbien', '2016-01-10')
      .quota('muongnhe', '2016', 154, 'dienbien', '2016-01-10')
    let n = 0
    for (let i = 0; i < 112; i++) b.admit(`mn${i}`, 'cb-mn', date(2016, (n++ * 7) % 300))
    for (let i = 0; i < 1761; i++) b.admit(`o${i}`, 'cb-o', date(2016, (n++ * 7) % 300))
    b.admit('late', 'cb-o', '2016-12-01')
    const s = foldReports(b.build())
    const prov = run(s, { orgId: 'dienbien', period: '2016', asOf: '2016-11-17' })
    expect(prov.admitted).toBe(1873)
    expect(((prov.rate ?? 0) * 100).toFixed(2)).toBe('93.65')
    expect(prov.rows.map((r) => [r.orgId, r.admitted, r.target])).toEqual([
      ['muongnhe', 112, 154],
      ['other', 1761, null],
    ])
    const mn = run(s, { orgId: 'muongnhe', period: '2016', asOf: '2016-11-17' })
    expect(((mn.rate ?? 0) * 100).toFixed(2)).toBe('72.73')
    expect(run(s, { orgId: 'dienbien', period: '2016', asOf: '2016-12-31' }).admitted).toBe(1874)
  })

  it('attributes each admission through the hierarchy as it stood on the admission date', () => {
    const b = history()
      .org('prov', 'province', null)
      .org('dA', 'district', 'prov')
      .org('dB', 'district', 'prov')
      .org('g', 'grassroots', 'dA')
      .admit('p1', 'g', '2021-03-01')
      .add({ type: 'OrganizationMoved', data: { orgId: 'g', parentId: 'dB', on: '2021-06-01' } })
      .admit('p2', 'g', '2021-07-01')
      .admit('p3', 'prov', '2021-08-01')
    const s = foldReports(b.build())
    const prov = run(s, { orgId: 'prov', period: '2021', asOf: '2021-12-31' })
    expect(prov.admitted).toBe(3)
    expect(prov.direct).toBe(1)
    expect(prov.rows.map((r) => [r.orgId, r.admitted])).toEqual([
      ['dA', 1],
      ['dB', 1],
    ])
    expect(run(s, { orgId: 'dA', period: '2021', asOf: '2021-12-31' }).admitted).toBe(1)
    expect(run(s, { orgId: 'dB', period: '2021', asOf: '2021-12-31' }).admitted).toBe(1)
    // g was a child of dA only until the move: in 2022 it is a row of dB alone.
    expect(run(s, { orgId: 'dA', period: '2022', asOf: '2022-12-31' }).rows).toEqual([])
    expect(run(s, { orgId: 'dB', period: '2022', asOf: '2022-12-31' }).rows.map((r) => r.orgId)).toEqual([
      'g',
    ])
  })

  it('counts an existing member’s admission date, through the parent their org was registered with before it existed', () => {
    const b = history()
      .org('prov', 'province', null, '2000-01-01')
      .org('d', 'district', 'prov', '2000-01-01')
      .org('new', 'grassroots', 'd', '2018-01-01')
      .existing('m1', 'new', '2016-05-01', '2018-02-01')
    const s = foldReports(b.build())
    const d = run(s, { orgId: 'd', period: '2016', asOf: '2016-12-31' })
    expect(d.admitted).toBe(1)
    expect(d.rows.map((r) => [r.orgId, r.admitted])).toEqual([['new', 1]])
    expect(run(s, { orgId: 'new', period: '2016', asOf: '2016-12-31' }).direct).toBe(1)
  })

  it('applies annulments and revisions by knowledge, whatever their date', () => {
    const b = history()
      .org('prov', 'province', null)
      .quota('prov', '2021', 10, 'prov', '2021-01-01')
      .admit('p1', 'prov', '2021-03-01')
      .admit('p2', 'prov', '2021-03-02')
      .add(
        { type: 'AdmissionAnnulled', data: { personId: 'p1', reason: 'unlawful', on: '2021-04-01' } },
        '2021-09-01T00:00:00.000Z',
      )
      .add(
        {
          type: 'QuotaRevised',
          data: { orgId: 'prov', period: '2021', target: 4, reason: 'cut', on: '2021-02-01' },
        },
        '2021-10-01T00:00:00.000Z',
      )
    const s = foldReports(b.build())
    const q = { orgId: 'prov', period: '2021', asOf: '2021-03-31' }
    const before = run(s, { ...q, knownAt: '2021-08-01T00:00:00Z' })
    expect([before.admitted, before.target]).toEqual([2, 10])
    const mid = run(s, { ...q, knownAt: '2021-09-15T00:00:00Z' })
    expect([mid.admitted, mid.target]).toEqual([1, 10])
    const after = run(s, q)
    expect([after.admitted, after.target, after.rate]).toEqual([1, 4, 0.25])
    expect(after.knownAt).toBeNull()
    expect(before.knownAt).toBe('2021-08-01T00:00:00Z')
  })

  it('with an occupation counts only quotas and admissions of it (Lào Cai College: 3 students of 8)', () => {
    const b = history()
      .org('bloc', 'bloc', null)
      .org('college', 'grassroots', 'bloc')
      .quota('college', '2022', 7, 'bloc', '2022-01-10')
      .quota('college', '2022-2025', 15, 'college', '2022-05-26', 'student')
    for (let i = 0; i < 8; i++)
      b.admit(`s${i}`, 'college', date(2022, 30 + i * 20), {
        profile: aProfile({ occupation: i < 3 ? 'student' : 'public-servant' }),
      })
    const s = foldReports(b.build())
    const all = run(s, { orgId: 'college', period: '2022', asOf: '2022-12-31' })
    expect([all.target, all.admitted, ((all.rate ?? 0) * 100).toFixed(2)]).toEqual([7, 8, '114.29'])
    const students = run(s, { orgId: 'college', period: '2022', occupation: 'student', asOf: '2022-12-31' })
    expect([students.target, students.admitted, students.occupation]).toEqual([null, 3, 'student'])
    const term = run(s, { orgId: 'college', period: '2022-2025', occupation: 'student', asOf: '2022-12-31' })
    expect([term.target, term.admitted]).toEqual([15, 3])
    expect(run(s, { orgId: 'college', period: '2022-2025', asOf: '2022-12-31' }).target).toBeNull()
  })

  it('with an occupation reads the profile of the admission, not one given at a later nomination', () => {
    const b = history()
      .org('prov', 'province', null)
      .org('c', 'cell', 'prov')
      .admit('p1', 'c', '2015-06-15', { profile: aProfile({ occupation: 'student' }) })
      .add({ type: 'MemberLeft', data: { personId: 'p1', reason: 'struck-off', on: '2016-01-04' } })
      .add({
        type: 'CandidateNominated',
        data: {
          personId: 'p1',
          orgId: 'c',
          nominatedBy: 'members',
          profile: aProfile({ occupation: 'farmer' }),
          readmissionApproval: 'CV 12-CV/TU',
          on: '2019-06-01',
        },
      })
    const s = foldReports(b.build())
    const q = { orgId: 'prov', period: '2015', asOf: '2020-01-01' }
    expect(run(s, { ...q, occupation: 'student' }).admitted).toBe(1)
    expect(run(s, { ...q, occupation: 'farmer' }).admitted).toBe(0)
  })

  it('Bạc Liêu: the sub-quotas handed down sum beside the own target, as last known, of that period and occupation only', () => {
    const b = history()
      .org('prov', 'province', null)
      .org('bloc', 'bloc', 'prov')
      .org('g1', 'grassroots', 'bloc')
      .org('g2', 'grassroots', 'bloc')
      .org('c1', 'cell', 'g1')
      .quota('bloc', '2021', 270, 'bloc', '2021-01-05')
      .quota('bloc', '2021', 300, 'prov', '2021-01-04')
      .quota('g1', '2021', 200, 'bloc', '2021-01-06')
      .quota('g2', '2021', 190, 'bloc', '2021-01-06')
      .quota('g2', '2021', 50, 'g2', '2021-01-06')
      .quota('c1', '2021', 30, 'g1', '2021-01-07')
      .quota('g1', '2022', 99, 'bloc', '2021-12-01')
      .quota('g1', '2021', 20, 'bloc', '2021-01-06', 'student')
      .add(
        {
          type: 'QuotaRevised',
          data: {
            orgId: 'g2',
            period: '2021',
            target: 191,
            reason: 'more',
            assignedBy: 'bloc',
            on: '2021-03-01',
          },
        },
        '2021-03-02T00:00:00Z',
      )
    const s = foldReports(b.build())
    const r = run(s, { orgId: 'bloc', period: '2021', asOf: '2021-07-16' })
    expect([r.target, r.subQuotaTotal]).toEqual([300, 391])
    expect(
      run(s, { orgId: 'bloc', period: '2021', asOf: '2021-07-16', knownAt: '2021-02-01T00:00:00Z' })
        .subQuotaTotal,
    ).toBe(390)
    expect(
      run(s, { orgId: 'bloc', period: '2021', asOf: '2021-07-16', occupation: 'student' }).subQuotaTotal,
    ).toBe(20)
    expect(run(s, { orgId: 'g1', period: '2021', asOf: '2021-07-16' }).subQuotaTotal).toBe(30)
    expect(run(s, { orgId: 'prov', period: '2021', asOf: '2021-07-16' }).subQuotaTotal).toBe(300)
    expect(run(s, { orgId: 'c1', period: '2021', asOf: '2021-07-16' }).subQuotaTotal).toBe(0)
  })

  it('rejects an unknown organization, a missing or bad period, a bad date (decoded as the ledger does)', () => {
    const s = foldReports(history().org('prov', 'province', null).build())
    const code = (q: ReportQuery) => {
      const r = E.chainW((d: { query: ReportQuery }) => attainment(s, d.query))(
        decodeReportRequest('attainment', q),
      )
      return E.isLeft(r) ? r.left.code : 'ok'
    }
    expect(code({ orgId: 'nope', period: '2021', asOf: '2021-01-01' })).toBe('unknown-org')
    expect(code({ orgId: 'prov', asOf: '2021-01-01' })).toBe('invalid-period')
    expect(code({ orgId: 'prov', period: '2021-13', asOf: '2021-01-01' })).toBe('invalid-period')
    expect(code({ orgId: 'prov', period: '2021', asOf: '2021-02-30' })).toBe('invalid-date')
    expect(code({ orgId: 'prov', period: '2021', asOf: '2021-01-01', knownAt: 'yesterday' })).toBe(
      'invalid-date',
    )
    expect(code({ orgId: 'prov', period: '2021', asOf: '2021-01-01', occupation: 'poet' })).toBe(
      'invalid-occupation',
    )
    expect(code({ orgId: 'prov', period: '2021', asOf: '2021-01-01', knownAt: '2009-01-01T00:00:00Z' })).toBe(
      'unknown-org',
    )
    expect(code({ orgId: 'prov', period: '2021', asOf: '2021-01-01' })).toBe('ok')
  })
})
