/**
 * A deterministic province-sized history for benchmarks: districts, grassroots organizations,
 * cells, communes and villages, existing members and candidates going through the pipeline.
 * @internal
 */
import type { Envelope } from '@ketnap/kernel'
import { addDays, addMonths } from '../../calendar'
import { OCCUPATIONS, type DomainEvent } from '../../events'
import { envelopesOf } from './histories'

/** A small seeded PRNG (mulberry32): the same seed gives the same history. */
const prng = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** About `candidates` × 7 + `existing` events of one province, in date order, as envelopes. */
export const largeHistory = (candidates: number, existing: number, seed = 42): Envelope[] => {
  const rnd = prng(seed)
  const int = (n: number): number => Math.floor(rnd() * n)
  const structure: DomainEvent[] = []
  const rest: DomainEvent[] = []
  const on = '2015-01-01'
  structure.push({
    type: 'OrganizationRegistered',
    data: { orgId: 'P', name: 'P', level: 'province', parentId: null, on },
  })
  const cells: string[] = []
  const villages: string[] = []
  for (let d = 0; d < 10; d++) {
    const district = `d${d}`
    structure.push({
      type: 'OrganizationRegistered',
      data: { orgId: district, name: district, level: 'district', parentId: 'P', on },
    })
    for (let x = 0; x < 20; x++) {
      const unit = `${district}-x${x}`
      structure.push({
        type: 'UnitRegistered',
        data: { unitId: unit, name: unit, kind: 'commune', orgId: district, on },
      })
      const g = `${unit}-g`
      structure.push({
        type: 'OrganizationRegistered',
        data: { orgId: g, name: g, level: 'grassroots', parentId: district, unitId: unit, on },
      })
      for (let v = 0; v < 10; v++) {
        const village = `${unit}-t${v}`
        villages.push(village)
        structure.push({
          type: 'VillageRegistered',
          data: { villageId: village, name: village, unitId: unit, on },
        })
        if (v < 4) {
          const cell = `${g}-c${v}`
          cells.push(cell)
          structure.push({
            type: 'OrganizationRegistered',
            data: { orgId: cell, name: cell, level: 'cell', parentId: g, villageId: village, on },
          })
        }
      }
      if (x % 7 === 3)
        rest.push({
          type: 'OrganizationMoved',
          data: { orgId: g, parentId: `d${(d + 1) % 10}`, on: '2019-07-01' },
        })
      rest.push({
        type: 'QuotaAssigned',
        data: { orgId: g, period: '2020', target: 5 + int(20), assignedBy: district, on: '2020-01-05' },
      })
    }
    rest.push({
      type: 'QuotaAssigned',
      data: { orgId: district, period: '2020', target: 200, assignedBy: 'P', on: '2020-01-05' },
    })
  }
  const profile = () => ({
    birthDate: addDays('1960-01-01', int(15000)),
    sex: int(2) === 0 ? ('female' as const) : ('male' as const),
    ethnicMinority: int(3) === 0,
    occupation: OCCUPATIONS[int(OCCUPATIONS.length)]!,
  })
  for (let i = 0; i < existing; i++) {
    rest.push({
      type: 'ExistingMemberRegistered',
      data: {
        personId: `m${i}`,
        orgId: cells[int(cells.length)]!,
        status: 'official',
        admittedOn: addDays('1980-01-01', int(12000)),
        villageId: villages[int(villages.length)]!,
        profile: profile(),
        on,
      },
    })
  }
  for (let i = 0; i < candidates; i++) {
    const personId = `p${i}`
    const orgId = cells[int(cells.length)]!
    let t = addDays('2016-01-01', int(2000))
    const next = () => (t = addDays(t, 5 + int(40)))
    rest.push({
      type: 'CandidateNominated',
      data: {
        personId,
        orgId,
        nominatedBy: 'youth-union',
        profile: profile(),
        villageId: villages[int(villages.length)]!,
        on: t,
      },
    })
    rest.push({ type: 'AwarenessClassCompleted', data: { personId, certificateNo: `G${i}`, on: next() } })
    rest.push({ type: 'BackgroundVerified', data: { personId, outcome: 'cleared', on: next() } })
    rest.push({ type: 'CellVoted', data: { personId, inFavour: 3, eligible: 3, on: next() } })
    rest.push({
      type: 'AdmissionDecided',
      data: { personId, decisionNo: `Q${i}`, decidedBy: 'P', on: next() },
    })
    rest.push({ type: 'MemberAdmitted', data: { personId, orgId, on: next() } })
    if (int(3) > 0)
      rest.push({ type: 'MembershipConfirmed', data: { personId, on: addDays(addMonths(t, 12), int(60)) } })
  }
  const dateOf = (e: DomainEvent): string => (e.type === 'AwarenessClassHeld' ? e.data.from : e.data.on)
  const ordered = rest
    .map((e, i) => ({ e, i, d: dateOf(e) }))
    .sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : a.i - b.i))
    .map((x) => x.e)
  return envelopesOf([...structure, ...ordered])
}
