import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect } from 'vitest'
import { envelopesOf, historyArb, interleave, type HistoryModel } from '../internal/testing/histories'
import type { Envelope } from '@ketnap/kernel'
import { decodeEvent } from '../decode'
import type { DomainEvent } from '../events'
import { defaultPolicy, votePasses, type Majority } from '../policy'
import { parsePeriod } from '../primitives'
import { REPORT_NAMES, type Report, type ReportQuery } from '../reports'
import { applyToReports } from './apply'
import { foldReports, reportsProjection, runReport } from './reportsProjection'
import { FUNNEL_STEPS, type FunnelStep, type ReportsState } from './state'

const AS_OF = ['2016-06-30', '2018-12-31', '2021-06-30'] as const
const PERIODS = ['2016', '2018', '2016-2020'] as const

const orgsOf = (m: HistoryModel): string[] => [m.province, ...m.districts, 'g0']

/** Every report for a spread of organizations, dates and periods. */
const everything = (s: ReportsState, m: HistoryModel, knownAt?: string): unknown[] => {
  const out: unknown[] = []
  for (const orgId of orgsOf(m))
    for (const asOf of AS_OF)
      for (const name of REPORT_NAMES) {
        const q: ReportQuery = {
          orgId,
          asOf,
          period: PERIODS[AS_OF.indexOf(asOf)]!,
          since: '2016-01-01',
          ...(knownAt === undefined ? {} : { knownAt }),
        }
        out.push(runReport(s, name, q))
      }
  return out
}

/** A generated envelope's event, decoded as the ledger decodes a stored one. */
const decoded1 = (e: Envelope): DomainEvent => {
  const event = decodeEvent(e.type, e.data)
  if (E.isLeft(event)) throw new Error(`position ${e.position} does not decode`)
  return event.right
}

const report = <R extends Report>(s: ReportsState, name: R['report'], q: ReportQuery): R => {
  const r = runReport(s, name, q)
  if (E.isLeft(r)) throw new Error(`${r.left.code}: ${r.left.message}`)
  return r.right as R
}

/** The model's ancestors of an admitting cell on a date. */
const modelChain = (m: HistoryModel, cell: string, on: string): string[] => {
  const g = m.cellParent.get(cell)!
  let district = ''
  for (const p of m.grassrootsParents.get(g)!) if (p.on <= on || district === '') district = p.parentId
  return [cell, g, district, m.province]
}

const lagsArb = fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 8 })

describe('reports on generated histories', () => {
  test.prop([
    historyArb(),
    fc.constantFrom('2013-2015', ...PERIODS),
    fc.constantFrom(...AS_OF),
    fc.boolean(),
  ])(
    'attainment: admitted = direct + rows, the model’s count through the hierarchy of each admission date',
    ({ events, model }, period, asOf, students) => {
      const s = foldReports(envelopesOf(events))
      const range = parsePeriod(period)!
      const end = range.to < asOf ? range.to : asOf
      for (const orgId of [model.province, ...model.districts]) {
        const r = report<Extract<Report, { report: 'attainment' }>>(s, 'attainment', {
          orgId,
          period,
          asOf,
          ...(students ? { occupation: 'student' } : {}),
        })
        expect(r.direct + r.rows.reduce((a, row) => a + row.admitted, 0)).toBe(r.admitted)
        const expected = model.admissions.filter(
          (a) =>
            a.on >= range.from &&
            a.on <= end &&
            (!students || a.occupation === 'student') &&
            modelChain(model, a.orgId, a.on).includes(orgId),
        ).length
        expect(r.admitted).toBe(expected)
        if (r.target !== null) expect(r.rate).toBe(r.admitted / r.target)
        else expect(r.rate).toBeNull()
        for (const q of r.quotas) expect(q.rate).toBe(r.admitted / q.target)
        if (r.quotas.length > 0) expect(r.quotas.map((q) => q.target)).toContain(r.target)
      }
    },
  )

  test.prop([
    historyArb(),
    fc.constantFrom('2013-2015', ...PERIODS),
    fc.constantFrom(...AS_OF),
    fc.constantFrom<Majority>(
      { numerator: 1, denominator: 2 },
      { numerator: 2, denominator: 3 },
      { numerator: 3, denominator: 4 },
    ),
  ])(
    'funnel: each step counts a person at most once: the persons with a record of it in the period (votes by the policy’s majority)',
    ({ events, model }, period, asOf, majority) => {
      const policy = { ...defaultPolicy, majority }
      const s = foldReports(envelopesOf(events))
      const range = parsePeriod(period)!
      const end = range.to < asOf ? range.to : asOf
      // Every generated organization is in the province; annulled admissions are never confirmed.
      const annulled = new Set(model.members.filter((m) => m.annulled).map((m) => m.personId))
      /** The funnel step a record is of, by the rules of CLI.md, or null. */
      const stepOf = (e: DomainEvent): FunnelStep | null => {
        switch (e.type) {
          case 'CandidateNominated':
            return 'nominated'
          case 'AwarenessClassCompleted':
            return 'trained'
          case 'BackgroundVerified':
            return e.data.outcome === 'cleared' ? 'verified' : null
          case 'CellVoted':
            return votePasses(policy, e.data.inFavour, e.data.eligible) ? 'cellApproved' : null
          case 'AdmissionDecided':
            return 'decided'
          case 'MembershipConfirmed':
            return annulled.has(e.data.personId) ? null : 'confirmed'
          case 'CandidacyClosed':
            return 'closed'
          default:
            return null
        }
      }
      const persons = new Map<FunnelStep, Set<string>>()
      for (const e of events) {
        const step = stepOf(e)
        if (step === null) continue
        const { personId, on } = e.data as { readonly personId: string; readonly on: string }
        if (on < range.from || on > end) continue
        const set = persons.get(step) ?? new Set<string>()
        set.add(personId)
        persons.set(step, set)
      }
      const admitted = new Set(
        model.admissions.filter((a) => a.on >= range.from && a.on <= end).map((a) => a.personId),
      )
      const r = runReport(s, 'funnel', { orgId: model.province, period, asOf }, policy)
      if (E.isLeft(r) || r.right.report !== 'funnel') throw new Error('the funnel report failed')
      const f = r.right
      for (const step of FUNNEL_STEPS) expect([step, f[step]]).toEqual([step, persons.get(step)?.size ?? 0])
      expect(f.admitted).toBe(admitted.size)
    },
  )

  test.prop([historyArb(), fc.constantFrom('2013-2015', ...PERIODS), fc.constantFrom(...AS_OF)])(
    'funnel: conversions are between 0 and 1, of the step’s own count; each deadline lists a person once',
    ({ events, model }, period, asOf) => {
      const s = foldReports(envelopesOf(events))
      for (const orgId of orgsOf(model)) {
        const f = report<Extract<Report, { report: 'funnel' }>>(s, 'funnel', { orgId, period, asOf })
        for (const c of f.conversion) {
          expect(c.persons).toBe(f[c.from])
          expect(c.converted).toBeLessThanOrEqual(c.persons)
          if (c.persons === 0) expect(c.rate).toBeNull()
          else {
            expect(c.rate).toBeGreaterThanOrEqual(0)
            expect(c.rate).toBeLessThanOrEqual(1)
          }
          if (c.converted === 0) expect(c.medianWorkingDays).toBeNull()
          else expect(c.medianWorkingDays).toBeGreaterThanOrEqual(0)
        }
        const k = f.overdueByKind
        expect(k.confirmation).toEqual(f.overdue)
        const waiting = [...k.decision, ...k.ceremony, ...k.confirmation]
        expect(new Set(waiting).size).toBe(waiting.length)
        expect(k.certificate.filter((id) => k.confirmation.includes(id))).toEqual([])
        for (const list of Object.values(k)) expect([...list].sort()).toEqual(list)
      }
    },
  )

  test.prop([historyArb(), fc.constantFrom(...AS_OF)])(
    'blank villages = villages in scope − villages with an active resident member',
    ({ events, model }, asOf) => {
      const s = foldReports(envelopesOf(events))
      const inhabited = new Set<string>()
      for (const m of model.members) {
        if (m.annulled || m.admittedOn > asOf || (m.leftOn !== null && m.leftOn <= asOf)) continue
        let v: string | null = null
        for (const r of m.residence) if (r.on <= asOf) v = r.villageId
        if (v !== null) inhabited.add(v)
      }
      const r = report<Extract<Report, { report: 'blank-villages' }>>(s, 'blank-villages', {
        orgId: model.province,
        asOf,
      })
      expect(r.villages).toBe(model.villages.length)
      expect(r.blankVillageIds).toEqual(model.villages.filter((v) => !inhabited.has(v)).sort())
      expect(r.withOrganization + r.withoutOrganization).toBe(r.villages)
    },
  )

  test.prop([historyArb(), fc.constantFrom(...AS_OF)])(
    'shares: with and without an organization partition units and villages (sum to 1), each count ÷ its total',
    ({ events, model }, asOf) => {
      const s = foldReports(envelopesOf(events))
      for (const orgId of orgsOf(model)) {
        const c = report<Extract<Report, { report: 'coverage' }>>(s, 'coverage', { orgId, asOf })
        const b = report<Extract<Report, { report: 'blank-villages' }>>(s, 'blank-villages', {
          orgId,
          asOf,
          since: '2016-01-01',
        })
        const partitions = [
          [c.units, c.withOrganization, c.shares.withOrganization, c.shares.withoutOrganization],
          [b.villages, b.withOrganization, b.shares.withOrganization, b.shares.withoutOrganization],
          [
            b.before!.villages,
            b.before!.withOrganization,
            b.before!.shares.withOrganization,
            b.before!.shares.withoutOrganization,
          ],
        ] as const
        for (const [total, part, withShare, withoutShare] of partitions) {
          if (total === 0) {
            expect([withShare, withoutShare]).toEqual([null, null])
            continue
          }
          expect(withShare).toBe(part / total)
          expect(withShare! + withoutShare!).toBeCloseTo(1, 12)
          expect(withShare).toBeGreaterThanOrEqual(0)
          expect(withoutShare).toBeGreaterThanOrEqual(0)
        }
        expect(b.shares.withoutMembers).toBe(b.villages === 0 ? null : b.withoutMembers / b.villages)
      }
    },
  )

  test.prop([historyArb(), fc.constantFrom(...AS_OF)])(
    'organizations: forms and kinds of unit partition the grassroots organizations; their members are on the roll',
    ({ events, model }, asOf) => {
      const s = foldReports(envelopesOf(events))
      for (const orgId of orgsOf(model)) {
        const o = report<Extract<Report, { report: 'organizations' }>>(s, 'organizations', { orgId, asOf })
        const roll = report<Extract<Report, { report: 'roll' }>>(s, 'roll', { orgId, asOf })
        expect(o.byForm.committee + o.byForm.cell).toBe(o.grassroots)
        expect(Object.values(o.byUnitKind).reduce((a, b) => a + b, 0)).toBe(o.grassroots)
        expect(o.rows).toHaveLength(o.grassroots)
        expect(o.rows.every((r) => (r.form === 'committee') === r.cells > 0)).toBe(true)
        expect(o.members).toBeLessThanOrEqual(roll.members)
      }
    },
  )

  test.prop([
    historyArb(),
    fc.array(
      fc.record({
        org: fc.nat(),
        year: fc.integer({ min: 2016, max: 2018 }),
        rating: fc.constantFrom('excellent', 'good', 'fulfilled', 'not-fulfilled'),
        lag: fc.integer({ min: 0, max: 400 }),
      }),
      { maxLength: 25 },
    ),
    fc.constantFrom(...AS_OF),
  ])(
    'ratings: the ratings partition the organizations rated for the year (each once, by its last rating), shares sum to 1',
    ({ events, model }, given, asOf) => {
      const orgs = [...orgsOf(model), ...model.grassrootsParents.keys(), ...model.cellParent.keys()]
      const ratings: DomainEvent[] = given
        .map(({ org, year, rating, lag }) => ({
          type: 'OrganizationRated' as const,
          data: {
            orgId: orgs[org % orgs.length]!,
            year,
            rating: rating as 'excellent',
            on: new Date(Date.UTC(year + 1, 0, 1) + lag * 86_400_000).toISOString().slice(0, 10),
          },
        }))
        .sort((a, b) => (a.data.on < b.data.on ? -1 : a.data.on > b.data.on ? 1 : 0))
      const s = foldReports(envelopesOf([...events, ...ratings]))
      for (const year of ['2016', '2017', '2018']) {
        const r = report<Extract<Report, { report: 'ratings' }>>(s, 'ratings', {
          orgId: model.province,
          period: year,
          asOf,
        })
        const last = new Map<string, string>()
        // The generated history rates organizations too: the last rating in log order counts.
        for (const e of [...events, ...ratings])
          if (e.type === 'OrganizationRated' && String(e.data.year) === year && e.data.on <= asOf)
            last.set(e.data.orgId, e.data.rating)
        expect(r.rated).toBe(last.size)
        expect(r.rows.map((x) => [x.orgId, x.rating])).toEqual([...last].sort(([a], [b]) => (a < b ? -1 : 1)))
        expect(Object.values(r.byRating).reduce((a, b) => a + b, 0)).toBe(r.rated)
        const shares = Object.values(r.shares)
        if (r.rated === 0) expect(shares.every((x) => x === null)).toBe(true)
        else expect(shares.reduce<number>((a, b) => a + (b ?? 0), 0)).toBeCloseTo(1, 12)
        for (const row of r.rows) {
          const a = report<Extract<Report, { report: 'attainment' }>>(s, 'attainment', {
            orgId: row.orgId,
            period: year,
            asOf,
          })
          expect(row.rate).toBe(a.rate)
        }
      }
    },
  )

  test.prop([historyArb(), fc.constantFrom(...AS_OF)])(
    'roll: members = official + probationary = the sum of occupations; the province holds every active member',
    ({ events, model }, asOf) => {
      const s = foldReports(envelopesOf(events))
      for (const orgId of orgsOf(model)) {
        const r = report<Extract<Report, { report: 'roll' }>>(s, 'roll', { orgId, asOf })
        expect(r.official + r.probationary).toBe(r.members)
        expect(Object.values(r.byOccupation).reduce((a, b) => a + b, 0)).toBe(r.members)
        expect(Object.values(r.byReligion).reduce((a, b) => a + b, 0)).toBe(r.members)
        expect(r.byReligion['unknown']).toBe(r.byOccupation['unknown'])
        expect(r.female).toBeLessThanOrEqual(r.members - (r.byOccupation['unknown'] ?? 0))
      }
      const active = model.members.filter(
        (m) => !m.annulled && m.admittedOn <= asOf && (m.leftOn === null || m.leftOn > asOf),
      ).length
      expect(
        report<Extract<Report, { report: 'roll' }>>(s, 'roll', { orgId: model.province, asOf }).members,
      ).toBe(active)
    },
  )

  test.prop([historyArb(), lagsArb, fc.nat()])(
    'replaying twice, or in two chunks with a snapshot between, gives the same state and reports',
    ({ events, model }, lags, cut) => {
      const envs = envelopesOf(events, lags)
      const once = foldReports(envs)
      const twice = foldReports(envs)
      expect(everything(twice, model)).toEqual(everything(once, model))
      const at = cut % (envs.length + 1)
      const decoded = envs.map((e) => ({ event: decoded1(e), at: e }))
      let s = reportsProjection.init()
      for (const { event, at: place } of decoded.slice(0, at)) s = reportsProjection.apply(s, event, place)
      const json = JSON.parse(JSON.stringify(reportsProjection.serialize!(s)))
      s = reportsProjection.deserialize!(json)
      for (const { event, at: place } of decoded.slice(at)) s = reportsProjection.apply(s, event, place)
      expect(reportsProjection.serialize!(s)).toEqual(reportsProjection.serialize!(once))
      expect(everything(s, model)).toEqual(everything(once, model))
    },
  )

  test.prop([historyArb(), fc.array(fc.nat(), { minLength: 1, maxLength: 30 })])(
    'streams may be interleaved in any order that keeps each stream’s order without changing a report',
    ({ events, model }, choices) => {
      const a = foldReports(envelopesOf(events))
      const b = foldReports(envelopesOf(interleave(events, choices)))
      expect(everything(b, model)).toEqual(everything(a, model))
    },
  )

  test.prop([historyArb(), lagsArb, fc.nat()])(
    'cutting by knownAt equals replaying only the events recorded by then',
    ({ events, model }, lags, pick) => {
      const envs = envelopesOf(events, lags)
      if (envs.length === 0) return
      const cut = envs[pick % envs.length]!.recordedAt
      const full = foldReports(envs)
      const prefix = foldReports(envs.filter((e) => e.recordedAt <= cut))
      expect(everything(full, model, cut)).toEqual(everything(prefix, model, cut))
      expect(everything(foldReports(envs, { knownAt: cut }), model, cut)).toEqual(
        everything(prefix, model, cut),
      )
    },
  )

  test.prop([historyArb()])(
    'the projection records the position and instant of the last event',
    ({ events }) => {
      const envs = envelopesOf(events)
      const s = reportsProjection.init()
      for (const e of envs) applyToReports(s, decoded1(e), e)
      expect(s.position).toBe(envs.length)
      expect(s.lastRecordedAt).toBe(envs[envs.length - 1]?.recordedAt ?? null)
    },
  )
})
