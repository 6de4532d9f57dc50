import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { DomainEvent } from '../events'
import { aProfile, history } from '../internal/testing/envelopes'
import { envelopesOf, historyArb, mergeDistricts } from '../internal/testing/histories'
import { defaultPolicy } from '../policy'
import type {
  AttainmentReport,
  BlankVillagesReport,
  CoverageReport,
  OrganizationsReport,
  Report,
  ReportQuery,
  RollReport,
  TrainingReport,
} from '../reports'
import { streamOf } from '../streams'
import { validator } from '../validator'
import { foldReports, runReport } from './reportsProjection'
import type { ReportsState } from './state'

const report = <R extends Report>(s: ReportsState, name: R['report'], q: ReportQuery): R => {
  const r = runReport(s, name, q)
  if (E.isLeft(r)) throw new Error(`${r.left.code}: ${r.left.message}`)
  return r.right as R
}

/**
 * Two provinces; Yên Bái (yb) is merged into Lào Cai (lc) on 2025-07-01: its district moves under Lào
 * Cai that day and it is dissolved `mergedInto` lc. Members: m1 (lc, since 2010) and m2 (yb, since 2012);
 * admitted in 2025: p1 (lc, March), p2 (lc, September), p3 and p4 (yb, April and May; p4 a woman of an
 * ethnic minority), p5 (yb's old district, August, after the merger, living in the blank village yb-t2).
 */
const merger = () =>
  history()
    .org('lc', 'province', null, '2010-01-01', { name: 'Lào Cai' })
    .org('yb', 'province', null, '2010-01-01', { name: 'Yên Bái' })
    .org('lc-d', 'district', 'lc')
    .org('yb-d', 'district', 'yb')
    .unit('lc-x', 'lc-d')
    .unit('yb-x', 'yb-d')
    .village('lc-t1', 'lc-x')
    .village('yb-t1', 'yb-x')
    .village('yb-t2', 'yb-x')
    .org('lc-g', 'grassroots', 'lc-d', '2010-01-01', { unitId: 'lc-x' })
    .org('yb-g', 'grassroots', 'yb-d', '2010-01-01', { unitId: 'yb-x' })
    .org('lc-c1', 'cell', 'lc-g', '2010-01-01', { villageId: 'lc-t1' })
    .org('yb-c1', 'cell', 'yb-g', '2010-01-01', { villageId: 'yb-t1' })
    .existing('m1', 'lc-c1', '2010-05-01', '2020-01-01', { villageId: 'lc-t1' })
    .existing('m2', 'yb-c1', '2012-05-01', '2020-01-01', { villageId: 'yb-t1' })
    .quota('lc', '2025', 8, 'lc', '2025-01-05')
    .quota('yb', '2025', 4, 'yb', '2025-01-05')
    .admit('p1', 'lc-c1', '2025-03-10', { villageId: 'lc-t1' })
    .admit('p3', 'yb-c1', '2025-04-15', { villageId: 'yb-t1' })
    .admit('p4', 'yb-c1', '2025-05-20', {
      villageId: 'yb-t1',
      profile: aProfile({ sex: 'female', ethnicMinority: true }),
    })
    .add({ type: 'OrganizationMoved', data: { orgId: 'yb-d', parentId: 'lc', on: '2025-07-01' } })
    .add({ type: 'OrganizationDissolved', data: { orgId: 'yb', on: '2025-07-01', mergedInto: 'lc' } })
    .admit('p5', 'yb-c1', '2025-08-01', { villageId: 'yb-t2' })
    .admit('p2', 'lc-c1', '2025-09-10', { villageId: 'lc-t1' })

describe('--include-merged: a province merged into another on 2025-07-01', () => {
  const envelopes = merger().build()
  const s = foldReports(envelopes)
  const merged = { includeMerged: true } as const

  it('attainment of 2025: the absorbed province is a row of its own for its admissions before the merger', () => {
    const q = { orgId: 'lc', period: '2025', asOf: '2025-12-31' }
    const plain = report<AttainmentReport>(s, 'attainment', q)
    // p1 and p2 through lc-d; p5 through yb-d, under lc since 2025-07-01; p3 and p4 were Yên Bái's.
    expect([plain.admitted, plain.direct, plain.target]).toEqual([3, 0, 8])
    expect(plain.rows.map((r) => [r.orgId, r.admitted])).toEqual([
      ['lc-d', 2],
      ['yb-d', 1],
    ])
    expect(plain.merged).toBeUndefined()
    const all = report<AttainmentReport>(s, 'attainment', { ...q, ...merged })
    expect([all.admitted, all.direct, all.target, all.rate]).toEqual([5, 0, 8, 5 / 8])
    expect(all.rows.map((r) => [r.orgId, r.admitted, r.target, r.rate])).toEqual([
      ['lc-d', 2, null, null],
      ['yb', 2, 4, 0.5],
      ['yb-d', 1, null, null],
    ])
    expect(all.merged).toEqual([{ orgId: 'yb', orgName: 'Yên Bái', until: '2025-07-01' }])
  })

  it('the roll: Yên Bái’s members count under Lào Cai before the merger, and from it on without the option', () => {
    const at = (asOf: string, q: Partial<ReportQuery> = {}) =>
      report<RollReport>(s, 'roll', { orgId: 'lc', asOf, ...q })
    // On 2025-06-30: m1 and p1 in Lào Cai; m2, p3 and p4 in Yên Bái.
    expect([at('2025-06-30').members, at('2025-06-30').female]).toEqual([2, 0])
    expect([at('2025-06-30', merged).members, at('2025-06-30', merged).female]).toEqual([5, 1])
    expect(at('2025-06-30', merged).ethnicMinority).toBe(1)
    expect(report<RollReport>(s, 'roll', { orgId: 'yb', asOf: '2025-06-30' }).members).toBe(3)
    // From the merger on, the tree itself holds them: the option changes nothing.
    expect(at('2025-07-01').members).toBe(5)
    expect(at('2025-07-01', merged).members).toBe(5)
    expect(at('2025-12-31', merged).members).toBe(7)
  })

  it('blank villages since the start of the year: Yên Bái’s villages are in the earlier count, yb-t2 cleared', () => {
    const q = { orgId: 'lc', asOf: '2025-12-31', since: '2025-01-01' }
    const plain = report<BlankVillagesReport>(s, 'blank-villages', q)
    expect([plain.before?.villages, plain.villages, plain.withoutMembers]).toEqual([1, 3, 0])
    expect(plain.cleared).toEqual([])
    const all = report<BlankVillagesReport>(s, 'blank-villages', { ...q, ...merged })
    expect([all.before?.villages, all.before?.withoutMembers, all.villages]).toEqual([3, 1, 3])
    expect(all.before?.shares.withoutMembers).toBe(1 / 3)
    expect(all.cleared).toEqual(['yb-t2'])
    expect(all.newlyBlank).toEqual([])
  })

  it('coverage and organizations on the eve of the merger count Yên Bái’s units and grassroots organizations', () => {
    const q = { orgId: 'lc', asOf: '2025-06-30' }
    expect(report<CoverageReport>(s, 'coverage', q).units).toBe(1)
    const cov = report<CoverageReport>(s, 'coverage', { ...q, ...merged })
    expect([cov.units, cov.withOrganization, cov.shares.withOrganization]).toEqual([2, 2, 1])
    const orgs = report<OrganizationsReport>(s, 'organizations', { ...q, ...merged })
    expect(orgs.rows.map((r) => [r.orgId, r.form, r.cells, r.members])).toEqual([
      ['lc-g', 'committee', 1, 2],
      ['yb-g', 'committee', 1, 3],
    ])
    expect(report<OrganizationsReport>(s, 'organizations', q).grassroots).toBe(1)
  })

  it('a merger not yet known at the knowledge instant is not followed', () => {
    const before = report<RollReport>(s, 'roll', {
      orgId: 'lc',
      asOf: '2025-06-30',
      knownAt: '2025-06-30T00:00:00Z',
      ...merged,
    })
    expect([before.members, before.merged]).toEqual([2, []])
  })
})

const v = validator(defaultPolicy)

/** Every rule the validator finds broken in a log (each event folded after its check, broken or not). */
const brokenRules = (events: ReadonlyArray<DomainEvent>): Set<string> => {
  const world = v.initialState()
  const out = new Set<string>()
  for (const e of events) {
    const on = e.type === 'AwarenessClassHeld' ? e.data.from : e.data.on
    const ctx = { stream: streamOf(e), recordedAt: `${on > '2030' ? on : '2030-01-01'}T00:00:00Z` }
    for (const x of v.validate(world, e, ctx)) out.add(x.code)
    v.evolve(world, e, ctx)
  }
  return out
}

const MERGE_DATES = ['2016-07-01', '2017-09-15', '2019-01-01'] as const
const PERIODS = ['2016', '2017', '2016-2020', '2017-03-01/2018-06-30'] as const
const DATES = ['2016-06-30', '2017-12-31', '2018-12-31', '2020-12-31'] as const

describe('--include-merged on generated histories with a merger', () => {
  test.prop([historyArb(12), fc.constantFrom(...MERGE_DATES)])(
    'the merger breaks no rule (the generated histories may break the age window of a vote, unrelated)',
    (h, on) => {
      const m = mergeDistricts(h, on)
      if (m === null) return
      const before = brokenRules(h.events)
      expect([...brokenRules(m.events)].filter((c) => !before.has(c))).toEqual([])
    },
  )

  test.prop([
    historyArb(12),
    fc.constantFrom(...MERGE_DATES),
    fc.constantFrom(...PERIODS),
    fc.constantFrom(...DATES),
  ])(
    'before the merger, the absorbing organization counts its own and the absorbed one’s figures: the sum of both',
    (h, on, period, asOf) => {
      const m = mergeDistricts(h, on)
      if (m === null) return
      const s = foldReports(envelopesOf(m.events))
      const both = (name: Report['report'], q: Omit<ReportQuery, 'orgId'>) => ({
        merged: runReport(s, name, { ...q, orgId: m.host, includeMerged: true }),
        host: runReport(s, name, { ...q, orgId: m.host }),
        absorbed: runReport(s, name, { ...q, orgId: m.absorbed }),
      })
      const num = (r: E.Either<unknown, Report>, f: (r: Report) => number): number =>
        E.isRight(r) ? f(r.right) : Number.NaN
      // On a date before the merger, the two subtrees are apart: the merged figure is their sum.
      const d = asOf < on ? asOf : '2016-01-01'
      const roll = both('roll', { asOf: d })
      const members = (r: Report) => (r as RollReport).members
      expect(num(roll.merged, members)).toBe(num(roll.host, members) + num(roll.absorbed, members))
      const cov = both('coverage', { asOf: d })
      const units = (r: Report) => (r as CoverageReport).units
      // Units are in a scope by their organization or by a grassroots organization sitting in them, so
      // two apart subtrees may share one: the merged count is their union.
      expect(num(cov.merged, units)).toBeLessThanOrEqual(num(cov.host, units) + num(cov.absorbed, units))
      expect(num(cov.merged, units)).toBeGreaterThanOrEqual(
        Math.max(num(cov.host, units), num(cov.absorbed, units)),
      )
      // A period: admissions and classes before the merger add up; from it on, the host alone has them.
      const a = both('attainment', { asOf, period })
      const admitted = (r: Report) => (r as AttainmentReport).admitted
      const before = both('attainment', { asOf: asOf < on ? asOf : minusOneDay(on), period })
      const after = runReport(s, 'attainment', { asOf, period, orgId: m.host })
      const untilMerger = runReport(s, 'attainment', {
        asOf: asOf < on ? asOf : minusOneDay(on),
        period,
        orgId: m.host,
      })
      expect(num(before.merged, admitted)).toBe(num(before.host, admitted) + num(before.absorbed, admitted))
      // Over the whole period: what the host had by itself, plus the absorbed one's before the merger.
      expect(num(a.merged, admitted)).toBe(
        num(after, admitted) - num(untilMerger, admitted) + num(before.merged, admitted),
      )
      const t = both('training', { asOf: d, period })
      const classes = (r: Report) => (r as TrainingReport).classes
      expect(num(t.merged, classes)).toBe(num(t.host, classes) + num(t.absorbed, classes))
      // Rows plus direct admissions still add up to the total.
      if (E.isRight(a.merged)) {
        const r = a.merged.right as AttainmentReport
        expect(r.direct + r.rows.reduce((x, row) => x + row.admitted, 0)).toBe(r.admitted)
      }
    },
  )

  test.prop([historyArb(12), fc.constantFrom(...MERGE_DATES), fc.constantFrom(...DATES)])(
    'the option changes nothing for an organization nothing was merged into, nor on or after the merger',
    (h, on, asOf) => {
      const m = mergeDistricts(h, on)
      if (m === null) return
      const s = foldReports(envelopesOf(m.events))
      const strip = (r: E.Either<unknown, Report>) =>
        E.map(({ merged: _m, ...rest }: Report) => rest)(r as E.Either<unknown, Report>)
      for (const name of ['roll', 'coverage', 'blank-villages', 'organizations', 'village-heads'] as const) {
        const q = { orgId: m.absorbed, asOf }
        expect(strip(runReport(s, name, { ...q, includeMerged: true }))).toEqual(runReport(s, name, q))
        if (asOf >= on) {
          const p = { orgId: m.host, asOf }
          expect(strip(runReport(s, name, { ...p, includeMerged: true }))).toEqual(runReport(s, name, p))
        }
      }
    },
  )
})

/** The day before a date. */
const minusOneDay = (d: string): string => {
  const t = new Date(`${d}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() - 1)
  return t.toISOString().slice(0, 10)
}
