/**
 * Generators of valid event histories for property tests: a province of districts, grassroots
 * organizations (some moved to another district), cells covering villages, people going through the
 * pipeline (closures, admissions, confirmations, transfers, moves, departures, annulments), existing
 * members, quotas and revisions, classes, village heads and ratings. Each history comes with the plain facts
 * a model needs, so that tests can compute figures without the projection.
 * @internal
 */
import fc from 'fast-check'
import type { Envelope } from '@ketnap/kernel'
import { addDays, addMonths } from '../../calendar'
import type { DomainEvent, Occupation, Profile } from '../../events'
import { OCCUPATIONS } from '../../events'
import { streamOf } from '../../streams'
import { toEnvelopes, type Recorded } from './envelopes'

/** The day every generated organization, unit and village is registered. */
export const GENESIS = '2015-01-01'

/** What a model needs to know of a generated history. */
export interface HistoryModel {
  readonly province: string
  readonly districts: ReadonlyArray<string>
  /** Grassroots organization → its district, from each date (one move at most). */
  readonly grassrootsParents: ReadonlyMap<string, ReadonlyArray<{ on: string; parentId: string }>>
  /** Cell → its grassroots organization (cells never move). */
  readonly cellParent: ReadonlyMap<string, string>
  readonly villages: ReadonlyArray<string>
  readonly admissions: ReadonlyArray<ModelAdmission>
  /** Members' residence and activity, for blank villages. */
  readonly members: ReadonlyArray<ModelMember>
}

/** An admission that counts (not annulled): who, where, when, and the person's occupation. */
export interface ModelAdmission {
  readonly personId: string
  readonly orgId: string
  readonly on: string
  readonly occupation: Occupation | null
}

/** A member's life as a model sees it. */
export interface ModelMember {
  readonly personId: string
  readonly admittedOn: string
  readonly annulled: boolean
  readonly leftOn: string | null
  readonly residence: ReadonlyArray<{ on: string; villageId: string | null }>
}

/** A generated history: its events in one valid log order, and its model. */
export interface GeneratedHistory {
  readonly events: ReadonlyArray<DomainEvent>
  readonly model: HistoryModel
}

const dateOf = (e: DomainEvent): string => (e.type === 'AwarenessClassHeld' ? e.data.from : e.data.on)

const isStructure = (e: DomainEvent): boolean =>
  e.type === 'OrganizationRegistered' || e.type === 'UnitRegistered' || e.type === 'VillageRegistered'

/**
 * Generated histories. `maxPeople` bounds the candidates (existing members come on top). Only the
 * number of candidates shrinks: shrinking the hundreds of draws of `fc.gen` one by one takes minutes,
 * so the rest of a failing history is reported whole (replay it with its seed).
 */
export const historyArb = (maxPeople = 20): fc.Arbitrary<GeneratedHistory> =>
  fc.integer({ min: 0, max: maxPeople }).chain((people) => fc.noShrink(buildHistoryArb(people)))

const buildHistoryArb = (people: number): fc.Arbitrary<GeneratedHistory> =>
  fc.gen().map((g) => {
    // Unbiased draws: fast-check's bias toward small values would leave most histories nearly empty.
    const int = (min: number, max: number): number => g((o) => fc.noBias(fc.integer(o)), { min, max })
    const bool = (p = 0.5): boolean => int(0, 999) < p * 1000
    const pick = <A>(xs: ReadonlyArray<A>): A => xs[int(0, xs.length - 1)]!
    const day = (from: string, maxDays: number): string => addDays(from, int(0, maxDays))

    const structure: DomainEvent[] = []
    const rest: DomainEvent[] = []
    const province = 'P'
    structure.push({
      type: 'OrganizationRegistered',
      data: { orgId: province, name: 'Tỉnh P', level: 'province', parentId: null, on: GENESIS },
    })
    const districts = Array.from({ length: int(1, 3) }, (_, i) => `d${i}`)
    const villages: string[] = []
    const villagesOfUnit = new Map<string, string[]>()
    for (const d of districts) {
      structure.push({
        type: 'OrganizationRegistered',
        data: { orgId: d, name: `Huyện ${d}`, level: 'district', parentId: province, on: GENESIS },
      })
      const unit = `${d}-x`
      structure.push({
        type: 'UnitRegistered',
        data: { unitId: unit, name: `Xã ${unit}`, kind: 'commune', orgId: d, on: GENESIS },
      })
      const vs = Array.from({ length: int(1, 3) }, (_, i) => `${unit}-t${i}`)
      villagesOfUnit.set(unit, vs)
      for (const v of vs) {
        villages.push(v)
        structure.push({
          type: 'VillageRegistered',
          data: { villageId: v, name: `Thôn ${v}`, unitId: unit, on: GENESIS },
        })
      }
      if (bool(0.3)) {
        const agency = `${d}-a`
        structure.push({
          type: 'UnitRegistered',
          data: { unitId: agency, name: `Cơ quan ${agency}`, kind: 'agency', orgId: d, on: GENESIS },
        })
      }
    }
    const grassrootsParents = new Map<string, Array<{ on: string; parentId: string }>>()
    const cellParent = new Map<string, string>()
    const cells: string[] = []
    const grassroots = Array.from({ length: int(1, 4) }, (_, i) => `g${i}`)
    for (const gr of grassroots) {
      const parent = pick(districts)
      structure.push({
        type: 'OrganizationRegistered',
        data: {
          orgId: gr,
          name: `Đảng bộ ${gr}`,
          level: 'grassroots',
          parentId: parent,
          unitId: `${parent}-x`,
          on: GENESIS,
        },
      })
      const parents = [{ on: GENESIS, parentId: parent }]
      const others = districts.filter((d) => d !== parent)
      if (others.length > 0 && bool(0.4)) {
        const move = { on: day('2016-01-01', 1800), parentId: pick(others) }
        parents.push(move)
        rest.push({ type: 'OrganizationMoved', data: { orgId: gr, parentId: move.parentId, on: move.on } })
      }
      grassrootsParents.set(gr, parents)
      const unitVillages = villagesOfUnit.get(`${parent}-x`) ?? []
      for (let i = 0, n = int(1, 2); i < n; i++) {
        const cell = `${gr}-c${i}`
        cells.push(cell)
        cellParent.set(cell, gr)
        const villageId = unitVillages[i]
        structure.push({
          type: 'OrganizationRegistered',
          data: {
            orgId: cell,
            name: `Chi bộ ${cell}`,
            level: 'cell',
            parentId: gr,
            on: GENESIS,
            ...(villageId === undefined || !bool(0.7) ? {} : { villageId }),
          },
        })
      }
    }

    const admissions: ModelAdmission[] = []
    const members: ModelMember[] = []
    const memberIds: string[] = []
    const profileArb = (): Profile => ({
      birthDate: day('1960-01-01', 15000),
      sex: bool() ? 'female' : 'male',
      ethnicMinority: bool(0.3),
      occupation: pick(OCCUPATIONS),
    })
    const villageOrNull = (): string | null => (bool(0.85) ? pick(villages) : null)

    // After admission: confirmation, transfer, move, departure, or an annulment, in date order.
    const memberLife = (
      personId: string,
      admittedOn: string,
      probationary: boolean,
      canAnnul: boolean,
      events: DomainEvent[],
    ) => {
      const residence: Array<{ on: string; villageId: string | null }> = []
      let t = admittedOn
      if (canAnnul && bool(0.15)) {
        t = day(t, 400)
        events.push({ type: 'AdmissionAnnulled', data: { personId, reason: 'trái quy định', on: t } })
        return { annulled: true, leftOn: null, residence }
      }
      if (probationary && bool(0.7)) {
        t = day(addMonths(admittedOn, 12), 90)
        events.push({ type: 'MembershipConfirmed', data: { personId, on: t } })
        probationary = false
      }
      if (bool(0.3)) {
        t = day(t, 300)
        events.push({
          type: 'MemberTransferred',
          data: { personId, toOrgId: pick(cells), temporary: bool(0.4), on: t },
        })
      }
      if (bool(0.3)) {
        t = day(t, 300)
        const villageId = villageOrNull()
        residence.push({ on: t, villageId })
        events.push({ type: 'MemberMoved', data: { personId, villageId, on: t } })
      }
      let leftOn: string | null = null
      if (bool(0.2)) {
        t = day(t, 500)
        leftOn = t
        events.push({
          type: 'MemberLeft',
          data: {
            personId,
            reason: probationary ? 'struck-off' : pick(['resigned', 'deceased', 'expelled'] as const),
            on: t,
          },
        })
      }
      return { annulled: false, leftOn, residence }
    }

    for (let i = 0, n = int(0, 4); i < n; i++) {
      const personId = `m${i}`
      const orgId = pick(cells)
      const admittedOn = day('2013-01-01', 880)
      const status = bool(0.7) ? ('official' as const) : ('probationary' as const)
      const profile = bool(0.8) ? profileArb() : undefined
      const villageId = villageOrNull()
      const events: DomainEvent[] = [
        {
          type: 'ExistingMemberRegistered',
          data: {
            personId,
            orgId,
            status,
            admittedOn,
            on: '2015-06-01',
            ...(profile === undefined ? {} : { profile }),
            ...(villageId === null ? {} : { villageId }),
          },
        },
      ]
      const life = memberLife(personId, '2015-06-01', status === 'probationary', false, events)
      rest.push(...events)
      admissions.push({ personId, orgId, on: admittedOn, occupation: profile?.occupation ?? null })
      members.push({
        personId,
        admittedOn,
        ...life,
        residence: [{ on: admittedOn, villageId }, ...life.residence],
      })
      memberIds.push(personId)
    }

    for (let i = 0; i < people; i++) {
      const personId = `p${i}`
      const orgId = pick(cells)
      const profile = profileArb()
      const villageId = villageOrNull()
      let t = day('2016-01-01', 1500)
      const nominatedOn = t
      const events: DomainEvent[] = [
        {
          type: 'CandidateNominated',
          data: {
            personId,
            orgId,
            nominatedBy: pick(['youth-union', 'trade-union', 'members', 'other'] as const),
            profile,
            on: t,
            ...(villageId === null ? {} : { villageId }),
          },
        },
      ]
      const stage = bool(0.6) ? 5 : int(0, 4)
      let closed = false
      const step = (e: (on: string) => DomainEvent) => {
        t = day(t, 40)
        events.push(e(t))
      }
      // Steps recorded more than once, as the rules allow: a second class, a new verification and
      // vote after a passing one, a failing vote before the passing one.
      if (stage >= 1)
        for (let n = bool(0.2) ? 2 : 1; n > 0; n--)
          step((on) => ({
            type: 'AwarenessClassCompleted',
            data: { personId, certificateNo: `GCN-${personId}`, on },
          }))
      for (let round = bool(0.2) ? 2 : 1; round > 0 && !closed; round--) {
        if (stage >= 2) {
          const cleared = bool(0.9)
          step((on) => ({
            type: 'BackgroundVerified',
            data: { personId, outcome: cleared ? 'cleared' : 'not-cleared', on },
          }))
          if (!cleared) closed = true
        }
        if (stage >= 3 && !closed) {
          const eligible = int(3, 9)
          const passes = bool(0.9)
          const passing = Math.ceil((eligible * 2) / 3)
          if (passes && bool(0.2))
            step((on) => ({ type: 'CellVoted', data: { personId, inFavour: passing - 1, eligible, on } }))
          const inFavour = passes ? passing : 0
          step((on) => ({ type: 'CellVoted', data: { personId, inFavour, eligible, on } }))
          if (!passes) closed = true
        }
      }
      if (stage >= 4 && !closed)
        step((on) => ({
          type: 'AdmissionDecided',
          data: { personId, decisionNo: `QD-${personId}`, decidedBy: 'P', on },
        }))
      if (stage >= 5 && !closed) {
        step((on) => ({ type: 'MemberAdmitted', data: { personId, orgId, on } }))
        const admittedOn = t
        const life = memberLife(personId, admittedOn, true, true, events)
        if (!life.annulled)
          admissions.push({ personId, orgId, on: admittedOn, occupation: profile.occupation })
        members.push({
          personId,
          admittedOn,
          ...life,
          residence: [{ on: nominatedOn, villageId }, ...life.residence],
        })
        memberIds.push(personId)
      } else if (closed || bool(0.5)) {
        const close = () =>
          step((on) => ({
            type: 'CandidacyClosed',
            data: { personId, reason: pick(['withdrawn', 'rejected', 'not-eligible'] as const), on },
          }))
        close()
        // Nominated again after a closed candidacy, and closed again: two records of both steps.
        if (bool(0.2)) {
          step((on) => ({
            type: 'CandidateNominated',
            data: { personId, orgId, nominatedBy: 'members', profile, on },
          }))
          close()
        }
      }
      rest.push(...events)
    }

    const orgsWithParent: Array<[string, string]> = [
      ...districts.map((d): [string, string] => [d, province]),
      ...grassroots.map((gr): [string, string] => [gr, grassrootsParents.get(gr)![0]!.parentId]),
    ]
    for (let i = 0, n = int(0, 5); i < n; i++) {
      const [orgId, parent] = pick(orgsWithParent)
      const period = pick(['2016', '2017', '2018', '2019', '2016-2020'])
      const occupation = bool(0.2) ? pick(OCCUPATIONS) : undefined
      const on = `${period.slice(0, 4)}-01-0${int(1, 9)}`
      const assigners = bool(0.3) ? [orgId, parent] : [pick([orgId, parent])]
      for (const assignedBy of assigners) {
        if (
          rest.some(
            (e) =>
              e.type === 'QuotaAssigned' &&
              e.data.orgId === orgId &&
              e.data.period === period &&
              e.data.assignedBy === assignedBy &&
              e.data.occupation === occupation,
          )
        )
          continue
        const occ = occupation === undefined ? {} : { occupation }
        rest.push({
          type: 'QuotaAssigned',
          data: { orgId, period, target: int(1, 30), assignedBy, on, ...occ },
        })
        if (bool(0.3))
          rest.push({
            type: 'QuotaRevised',
            data: {
              orgId,
              period,
              target: int(1, 30),
              reason: 'điều chỉnh',
              assignedBy,
              on: addDays(on, 100),
              ...occ,
            },
          })
      }
    }
    for (let i = 0, n = int(0, 4); i < n; i++) {
      const from = day('2016-01-01', 1500)
      rest.push({
        type: 'AwarenessClassHeld',
        data: {
          classId: `k${i}`,
          orgId: pick([...districts, ...grassroots]),
          from,
          to: addDays(from, 4),
          trainees: int(0, 60),
        },
      })
    }
    for (const v of villages) {
      let t = GENESIS
      for (let i = 0, n = int(0, 2); i < n; i++) {
        t = day(t, 900)
        const personId = memberIds.length > 0 && bool(0.7) ? pick(memberIds) : `stranger-${v}-${i}`
        rest.push({ type: 'VillageHeadAppointed', data: { villageId: v, personId, on: t } })
      }
    }
    // Yearly ratings, given early the next year or late in it, some recorded again.
    const RATINGS = ['excellent', 'good', 'fulfilled', 'not-fulfilled'] as const
    for (let i = 0, n = int(0, 6); i < n; i++) {
      const orgId = pick([province, ...districts, ...grassroots, ...cells])
      const year = int(2015, 2019)
      const on = day(`${year}-11-01`, 150)
      rest.push({ type: 'OrganizationRated', data: { orgId, year, rating: pick(RATINGS), on } })
      if (bool(0.2))
        rest.push({
          type: 'OrganizationRated',
          data: { orgId, year, rating: pick(RATINGS), on: addDays(on, int(1, 60)) },
        })
    }

    // One valid log order: the structure, then everything by business date (stable, so each
    // stream keeps its order).
    const ordered = rest
      .map((e, i) => ({ e, i }))
      .sort((a, b) => (dateOf(a.e) < dateOf(b.e) ? -1 : dateOf(a.e) > dateOf(b.e) ? 1 : a.i - b.i))
      .map((x) => x.e)
    return {
      events: [...structure, ...ordered],
      model: { province, districts, grassrootsParents, cellParent, villages, admissions, members },
    }
  })

/**
 * Another valid order of the same events: the structure first, then the streams interleaved as
 * `choices` say, each stream keeping its own order.
 */
export const interleave = (
  events: ReadonlyArray<DomainEvent>,
  choices: ReadonlyArray<number>,
): DomainEvent[] => {
  const head = events.filter(isStructure)
  const queues = new Map<string, DomainEvent[]>()
  for (const e of events) {
    if (isStructure(e)) continue
    const s = streamOf(e)
    const q = queues.get(s)
    if (q === undefined) queues.set(s, [e])
    else q.push(e)
  }
  const live = [...queues.values()]
  const out = [...head]
  let c = 0
  while (live.length > 0) {
    const i = (choices[c++ % Math.max(1, choices.length)] ?? 0) % live.length
    const q = live[i]!
    out.push(q.shift()!)
    if (q.length === 0) live.splice(i, 1)
  }
  return out
}

/**
 * Records events in order: each is recorded `lagDays` (cycled) after its own date, never before the
 * previous one, at 01:00 UTC (08:00 in Vietnam, so never before the fact's day began).
 */
export const record = (
  events: ReadonlyArray<DomainEvent>,
  lagDays: ReadonlyArray<number> = [1],
): Recorded[] => {
  let last = ''
  return events.map((event, i) => {
    const lag = lagDays[i % Math.max(1, lagDays.length)] ?? 1
    let at = `${addDays(dateOf(event), lag)}T01:00:00.000Z`
    if (at < last) at = last
    last = at
    return { event, recordedAt: at }
  })
}

/** Envelopes of a generated history in its own order, recorded as `record` does. */
export const envelopesOf = (
  events: ReadonlyArray<DomainEvent>,
  lagDays?: ReadonlyArray<number>,
): Envelope[] => toEnvelopes(record(events, lagDays))

/** A generated history in which one district was merged into another (`OrganizationDissolved.mergedInto`). */
export interface MergedHistory extends GeneratedHistory {
  /** The district that absorbed the other. */
  readonly host: string
  /** The district dissolved into `host` on `on`. */
  readonly absorbed: string
  readonly on: string
}

/**
 * The history with its last district merged into its first on `on`, as the 2025 reorganization does
 * (docs/simulator.md): that day the grassroots organizations under it and its units move under the host
 * and it is dissolved `mergedInto` the host. A later move of a grassroots organization into it goes to
 * the host instead (or is dropped when it would not move it); quotas and classes of it dated after `on`
 * are dropped. Null when the history has a single district.
 */
export const mergeDistricts = (h: GeneratedHistory, on: string): MergedHistory | null => {
  const { districts } = h.model
  if (districts.length < 2) return null
  const host = districts[0]!
  const absorbed = districts[districts.length - 1]!
  const parentsOf = new Map<string, Array<{ on: string; parentId: string }>>()
  const merge: DomainEvent[] = []
  for (const [gr, list] of h.model.grassrootsParents) {
    const parents = list.map((p) => ({
      ...p,
      parentId: p.parentId === absorbed && p.on > on ? host : p.parentId,
    }))
    let current = ''
    for (const p of parents) if (p.on <= on || current === '') current = p.parentId
    if (current === absorbed) {
      merge.push({ type: 'OrganizationMoved', data: { orgId: gr, parentId: host, on } })
      parents.push({ on, parentId: host })
      parents.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0))
    }
    // A move that would leave it where it is (it went to the host on `on` already) is dropped.
    const kept = parents.filter((p, i) => i === 0 || p.parentId !== parents[i - 1]!.parentId)
    parentsOf.set(gr, kept)
  }
  for (const unit of [`${absorbed}-x`, `${absorbed}-a`])
    if (h.events.some((e) => e.type === 'UnitRegistered' && e.data.unitId === unit))
      merge.push({ type: 'UnitMoved', data: { unitId: unit, orgId: host, on } })
  merge.push({ type: 'OrganizationDissolved', data: { orgId: absorbed, on, mergedInto: host } })
  const events: DomainEvent[] = []
  let merged = false
  for (const e of h.events) {
    const date = dateOf(e)
    if (!merged && !isStructure(e) && date > on) {
      events.push(...merge)
      merged = true
    }
    if (date > on) {
      if (
        (e.type === 'QuotaAssigned' || e.type === 'QuotaRevised') &&
        (e.data.orgId === absorbed || e.data.assignedBy === absorbed)
      )
        continue
      if (e.type === 'AwarenessClassHeld' && e.data.orgId === absorbed) continue
      if (e.type === 'OrganizationMoved') {
        const gr = e.data.orgId
        const target = e.data.parentId === absorbed ? host : e.data.parentId
        if (!(parentsOf.get(gr) ?? []).some((p) => p.on === e.data.on && p.parentId === target)) continue
        events.push({ type: 'OrganizationMoved', data: { ...e.data, parentId: target } })
        continue
      }
    }
    events.push(e)
  }
  if (!merged) events.push(...merge)
  return {
    events,
    model: { ...h.model, grassrootsParents: parentsOf },
    host,
    absorbed,
    on,
  }
}
