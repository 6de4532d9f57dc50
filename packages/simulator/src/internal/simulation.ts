/**
 * The simulation: a day-by-day walk from 1 January of the first year to the end of the last, over the
 * whole country at once (the record clock is global, so provinces cannot be generated one after the
 * other). Each day writes what happens on it (yearly plans, the 2025 reorganization, classes, the
 * candidates' next steps, departures, transfers and moves), each fact into the bucket of the day it is
 * recorded; then the day's bucket is written out. Candidates' next steps wait in an agenda keyed by
 * business day, as two numbers each, so memory holds the persons' compact state, the agenda and a few
 * weeks of unrecorded lines, never the history.
 * @internal
 */
import { addMonths, OCCUPATIONS, type DomainEvent, type Profile, type Rating } from '@ketnap/core'
import type { Scale } from '../scales'
import { dateOf, dayOf, isWeekend, workday, yearStart } from './days'
import {
  addOrg,
  addUnit,
  buildGeography,
  isActive,
  OrgFlag,
  OrgKind,
  orgId,
  seatGrassroots,
  orgLevel,
  orgName,
  unitId,
  unitKind,
  unitName,
  villageId,
  villageName,
  type Geography,
} from './geography'
import { ETHNICITIES, placeCode, RELIGIONS } from './names'
import { addPerson, Flag, Phase, personId, personsTable, type Persons } from './persons'
import { random, type Random } from './random'
import { recorder, type Recorder } from './recorder'

/** What to simulate. @internal */
export interface SimulationOptions {
  readonly scale: Scale
  readonly from: number
  readonly years: number
  readonly seed: number
}

/** The day the provinces merged, the district level ended and communes merged (Kết luận 137-KL/TW). */
const REORGANIZATION = dayOf('2025-07-01')

/** Admissions a year per active member, about 4 % (150,000 to 210,000 of 4 to 5.6 million). */
const ADMISSION_RATE = 0.04
/** Nominations a year per active member: about three in four candidates are admitted. */
const NOMINATION_RATE = ADMISSION_RATE / 0.76
/** Working days a year. */
const WORKDAYS = 250
/** Departures a year per active member (deaths most, then strikes-off, resignations, expulsions). */
const DEPARTURE_RATE = 0.016
const TRANSFER_RATE = 0.02
const TEMPORARY_TRANSFER_RATE = 0.004
const MOVE_RATE = 0.01
/** Annulments per admission. */
const ANNULMENT_RATE = 0.003
/** Village heads appointed a year per village. */
const HEAD_RATE = 0.35

/** Steps of a candidacy and of probation, as they wait in the agenda. */
const Step = {
  close: 0,
  klass: 1,
  verify: 2,
  cellVote: 3,
  committeeVote: 4,
  decide: 5,
  admit: 6,
  confirm: 7,
} as const

const OCCUPATION_OF_MEMBER = [2, 2, 2, 4, 4, 4, 5, 5, 3, 1, 0] as const
const OCCUPATION_OF_CANDIDATE = [0, 0, 1, 1, 2, 2, 2, 3, 4, 4, 4, 5] as const
const RATINGS: ReadonlyArray<Rating> = ['excellent', 'good', 'good', 'good', 'fulfilled', 'not-fulfilled']
const NOMINATORS = ['youth-union', 'youth-union', 'members', 'trade-union', 'other'] as const

/** The lines of one simulated history, in log order. @internal */
export function* simulation(options: SimulationOptions): Generator<string, void, undefined> {
  const { scale, from, years } = options
  const rnd = random(options.seed)
  const geo = buildGeography(scale, rnd)
  const rec = recorder()
  const start = yearStart(from)
  const end = yearStart(from + years)
  const startDate = dateOf(start)
  const reorganizeOn = REORGANIZATION > start && REORGANIZATION < end ? REORGANIZATION : Infinity
  const sim = state(geo, scale, years, rnd, rec, reorganizeOn)

  yield* sim.bootstrap(start, startDate)
  for (let day = start; day < end; day++) {
    sim.plans(day)
    if (day === reorganizeOn) sim.reorganize(day)
    sim.classes(day)
    sim.agenda(day)
    sim.happenings(day)
    yield* rec.flush(day)
  }
  for (const day of rec.waitingDays()) yield* rec.flush(day)
}

/** JSON of an event without its closing brace, so the recorder can append `recordedAt`. */
const head = (event: DomainEvent): string => JSON.stringify(event).slice(0, -1)

const state = (
  geo: Geography,
  scale: Scale,
  years: number,
  rnd: Random,
  rec: Recorder,
  reorganizeOn: number,
) => {
  const { orgs, units, villages, holders } = geo
  const initialMembers = holders.reduce(
    (sum, o) =>
      sum + ((orgs.village[o] ?? -1) >= 0 ? scale.villageCellMembers : scale.agencyCellMembers * 1.6),
    0,
  )
  const persons: Persons = personsTable(Math.ceil(initialMembers * (1.1 + NOMINATION_RATE * years * 1.2)))
  const memberCount = new Int32Array(holders.length)
  const officialCount = new Int32Array(holders.length)
  /** The first person of each holder's initial roll and how many there were (village heads). */
  const rollFirst = new Int32Array(holders.length)
  const rollSize = new Int32Array(holders.length)
  let active = 0
  let reorganized = false
  /** The next steps, by business day: pairs (person, step). */
  const agenda = new Map<number, number[]>()
  /** Classes that have trainees, by their last day. */
  const classesByEnd = new Map<number, Map<string, { org: string; from: number; trainees: number }>>()
  /** Persons struck off or not confirmed, in departure order: candidates for readmission. */
  const formers: number[] = []
  let formerHead = 0
  /** Recent admissions, the pool of the rare annulments. */
  const recent: number[] = []
  let certificates = 0
  let decisions = 0
  let heads = 0
  /** This year's quotas, the pool of mid-year revisions. */
  let quotas: Array<{
    org: number
    by: number
    target: number
    period: string
    occupation?: 'student'
  }> = []

  const idOf = (o: number): string => orgId(geo, o)
  const levelOf = (o: number) => orgLevel(geo, o)
  const parentOf = (o: number): number => orgs.parent[o] ?? -1
  const holderOrg = (h: number): number => holders[h] ?? 0
  const villageIdOf = (v: number): string => villageId(geo, v)
  const provinceOf = new Map(geo.provinces.map((p) => [p.org, p]))
  const districtOf = new Map(geo.provinces.flatMap((p) => p.districts.map((d) => [d.org, d] as const)))

  // ----- recording -----------------------------------------------------------------------------

  /** Days between a fact and its recording: most the same day, some days or weeks late. */
  const delay = (): number => {
    const r = rnd.next()
    return r < 0.7 ? 0 : r < 0.9 ? rnd.between(1, 7) : r < 0.98 ? rnd.between(8, 30) : rnd.between(31, 75)
  }
  /** Records a fact of person `p`, never before the person's previous fact. */
  const personFact = (p: number, day: number, event: DomainEvent): void => {
    const at = Math.max(day + delay(), persons.lastRecord[p] ?? 0)
    persons.lastRecord[p] = at
    rec.record(at, head(event))
  }
  /** Records a fact of a plan or an organization, up to `late` days after `day`. */
  const fact = (day: number, event: DomainEvent, late = 0): void => {
    rec.record(late > 0 && rnd.chance(0.3) ? day + rnd.between(1, late) : day, head(event))
  }

  // ----- persons -------------------------------------------------------------------------------

  const profileOf = (p: number): Profile => {
    const flags = persons.flags[p] ?? 0
    const origin = persons.origin[p] ?? 0
    const ethnicity = ETHNICITIES[(origin & 15) - 1]
    const religion = RELIGIONS[(origin >> 4) - 1]
    return {
      birthDate: dateOf(persons.birth[p] ?? 0),
      sex: (flags & Flag.female) !== 0 ? 'female' : 'male',
      ethnicMinority: (flags & Flag.ethnicMinority) !== 0,
      ...(ethnicity === undefined ? {} : { ethnicity }),
      ...(religion === undefined ? {} : { religion }),
      occupation: OCCUPATIONS[persons.occupation[p] ?? 5] ?? 'other',
    }
  }

  /** Draws sex, ethnicity, religion and occupation for a new person in province `province`. */
  const drawOrigin = (p: number, province: number, female: number, occupations: ReadonlyArray<number>) => {
    const minority = rnd.chance(provinceOf.get(province)?.seed.ethnicShare ?? 0.1)
    persons.flags[p] = (rnd.chance(female) ? Flag.female : 0) | (minority ? Flag.ethnicMinority : 0)
    persons.origin[p] =
      (minority ? rnd.int(ETHNICITIES.length) + 1 : 0) | (rnd.chance(0.06) ? (rnd.int(5) + 1) << 4 : 0)
    persons.occupation[p] = rnd.pick(occupations)
  }

  /** A village of the holder's district for someone of an agency cell (or none), its own for a village cell. */
  const residence = (h: number): number => {
    const o = holderOrg(h)
    const own = orgs.village[o] ?? -1
    if (own >= 0) return own
    if (rnd.chance(0.25)) return -1
    const district = districtOf.get(orgs.district[o] ?? -1)
    if (district === undefined) return -1
    const village = district.villageFrom + rnd.int(district.villageTo - district.villageFrom)
    // Few live in the remote villages that have no cell: those are the blank villages reports count.
    return (villages.cell[village] ?? -1) >= 0 || rnd.chance(0.1) ? village : -1
  }

  const schedule = (day: number, p: number, step: number): void => {
    const d = workday(day)
    const list = agenda.get(d)
    if (list === undefined) agenda.set(d, [p, step])
    else list.push(p, step)
  }

  const becomeMember = (p: number, h: number, official: boolean): void => {
    persons.holder[p] = h
    persons.phase[p] = official ? Phase.official : Phase.probationary
    memberCount[h] = (memberCount[h] ?? 0) + 1
    if (official) officialCount[h] = (officialCount[h] ?? 0) + 1
    active++
  }
  const stopBeingMember = (p: number): void => {
    const h = persons.holder[p] ?? 0
    memberCount[h] = (memberCount[h] ?? 0) - 1
    if (persons.phase[p] === Phase.official) officialCount[h] = (officialCount[h] ?? 0) - 1
    active--
  }

  // ----- day 0 ---------------------------------------------------------------------------------

  /** The structure, the existing roll and the first village heads, recorded on the first day. */
  function* bootstrap(day: number, on: string): Generator<string, void, undefined> {
    for (let o = 0, count = orgs.count; o < count; o++) {
      const parent = parentOf(o)
      const unit = orgs.unit[o] ?? -1
      const village = orgs.village[o] ?? -1
      yield rec.now(
        day,
        head({
          type: 'OrganizationRegistered',
          data: {
            orgId: idOf(o),
            name: orgName(geo, o),
            level: levelOf(o),
            parentId: parent < 0 ? null : idOf(parent),
            ...(unit >= 0 ? { unitId: unitId(geo, unit) } : {}),
            ...(village >= 0 ? { villageId: villageIdOf(village) } : {}),
            on,
          },
        }),
      )
      // A district's units and villages come right after it, before the organizations that sit in them.
      if (orgs.kind[o] === OrgKind.district) yield* districtGeography(o, day, on)
    }
    for (let h = 0; h < holders.length; h++) yield* roll(h, day, on)
    for (let v = 0; v < villages.count; v++) yield rec.now(day, head(appointHead(v, on)))
  }

  function* districtGeography(index: number, day: number, on: string): Generator<string, void, undefined> {
    const district = districtOf.get(index)
    if (district === undefined) return
    const orgId = idOf(index)
    const registered = [
      ...district.communes.map((c) => c.unit),
      ...district.agencies.map((g) => orgs.unit[g] ?? 0),
    ]
    for (const u of registered) {
      yield rec.now(
        day,
        head({
          type: 'UnitRegistered',
          data: { unitId: unitId(geo, u), name: unitName(geo, u), kind: unitKind(geo, u), orgId, on },
        }),
      )
    }
    for (let v = district.villageFrom; v < district.villageTo; v++) {
      yield rec.now(
        day,
        head({
          type: 'VillageRegistered',
          data: {
            villageId: villageIdOf(v),
            name: villageName(geo, v),
            unitId: unitId(geo, villages.unit[v] ?? 0),
            on,
          },
        }),
      )
    }
  }

  /** The existing members of holder `h` (ExistingMemberRegistered), 3.5 % of them still probationary. */
  function* roll(h: number, day: number, on: string): Generator<string, void, undefined> {
    const o = holderOrg(h)
    const orgIdOfRoll = idOf(o)
    const mean = (orgs.village[o] ?? -1) >= 0 ? scale.villageCellMembers : scale.agencyCellMembers
    const size = Math.max(1, Math.round(mean * (0.4 + rnd.next() * 1.2)))
    rollFirst[h] = persons.count
    rollSize[h] = size
    for (let k = 0; k < size; k++) {
      const p = addPerson(persons)
      drawOrigin(p, orgs.province[o] ?? -1, 0.33, OCCUPATION_OF_MEMBER)
      const probationary = rnd.chance(0.035)
      let admitted: number
      let birth: number
      if (probationary) {
        admitted = day - rnd.between(1, 360)
        birth = admitted - rnd.between(18 * 366, 45 * 365)
      } else {
        birth = day - rnd.between(21 * 366, 85 * 365)
        const earliest = Math.max(birth + 18 * 366 + 1, dayOf('1950-01-01'))
        admitted = earliest + rnd.int(Math.max(1, day - 400 - earliest))
      }
      persons.birth[p] = birth
      persons.lastRecord[p] = day
      const village = residence(h)
      persons.village[p] = village
      becomeMember(p, h, !probationary)
      if (probationary) schedule(confirmationDay(admitted, day), p, Step.confirm)
      yield rec.now(
        day,
        head({
          type: 'ExistingMemberRegistered',
          data: {
            personId: personId(p),
            orgId: orgIdOfRoll,
            status: probationary ? 'probationary' : 'official',
            admittedOn: dateOf(admitted),
            ...(village >= 0 ? { villageId: villageIdOf(village) } : {}),
            profile: profileOf(p),
            on,
          },
        }),
      )
    }
  }

  /** A confirmation some days or weeks after probation ends, and not before `notBefore`. */
  const confirmationDay = (admitted: number, notBefore: number): number => {
    const end = dayOf(addMonths(dateOf(admitted), 12))
    const late = rnd.chance(0.06) ? rnd.between(50, 120) : rnd.between(3, 40)
    return Math.max(end + late, notBefore + rnd.between(3, 20))
  }

  /** A head for village `v`: often one of the members of its cell, else someone off the rolls. */
  const appointHead = (v: number, on: string): DomainEvent => {
    const cell = villages.cell[v] ?? -1
    const h = cell >= 0 ? (orgs.holder[cell] ?? -1) : -1
    const size = h >= 0 ? (rollSize[h] ?? 0) : 0
    const person =
      size > 0 && rnd.chance(0.7)
        ? personId((rollFirst[h] ?? 0) + rnd.int(size))
        : `tt-${villageIdOf(v)}-${++heads}`
    return {
      type: 'VillageHeadAppointed',
      data: { villageId: villageIdOf(v), personId: person, on },
    }
  }

  // ----- yearly plans --------------------------------------------------------------------------

  /** Members under each organization today (rolled up the hierarchy as it stands). */
  const membersUnder = (): Float64Array => {
    const sums = new Float64Array(orgs.count)
    for (let h = 0; h < holders.length; h++) {
      const m = memberCount[h] ?? 0
      for (let o = holders[h] ?? -1, depth = 0; o >= 0 && depth < 8; o = parentOf(o), depth++) {
        sums[o] = (sums[o] ?? 0) + m
      }
    }
    return sums
  }

  const quota = (
    day: number,
    target: number,
    by: number,
    period: string,
    expected: number,
    extra: { readonly ref?: string; readonly occupation?: 'student' } = {},
  ): void => {
    const amount = Math.max(1, Math.round(expected * (0.85 + rnd.next() * 0.4)))
    quotas.push({
      org: target,
      by,
      target: amount,
      period,
      ...(extra.occupation === undefined ? {} : { occupation: extra.occupation }),
    })
    fact(
      day,
      {
        type: 'QuotaAssigned',
        data: {
          orgId: idOf(target),
          period,
          target: amount,
          assignedBy: idOf(by),
          ...extra,
          on: dateOf(day),
        },
      },
      10,
    )
  }

  /** The organizations of `kind` not dissolved, in order. */
  const activeOf = (...kinds: ReadonlyArray<number>): number[] => {
    const found: number[] = []
    for (let o = 0; o < orgs.count; o++)
      if (kinds.includes(orgs.kind[o] ?? -1) && isActive(geo, o)) found.push(o)
    return found
  }

  /** Quotas and targets early in January, revisions in July, ratings in December. */
  const plans = (day: number): void => {
    const date = dateOf(day)
    const year = Number(date.slice(0, 4))
    if (day === workday(dayOf(`${year}-01-12`))) {
      quotas = []
      const members = membersUnder()
      const expected = (o: number): number => (members[o] ?? 0) * ADMISSION_RATE
      const period = String(year)
      const term = (year - 2016) % 5 === 0 ? `${year}-${year + 4}` : null
      for (const p of activeOf(OrgKind.province)) {
        if (geo.central >= 0) quota(day, p, geo.central, period, expected(p), { ref: `KH ${year}/BTCTW` })
        if (rnd.chance(0.4)) quota(day, p, p, period, expected(p) * 1.1, { ref: `NQ ${year}-NQ/TU` })
        if (rnd.chance(0.3)) quota(day, p, p, period, expected(p) * 0.08, { occupation: 'student' })
        if (term !== null) quota(day, p, p, term, expected(p) * 5, { ref: `NQ Đại hội nhiệm kỳ ${term}` })
        for (const [indicator, value] of [
          ['villages-with-members-share', (90 + rnd.int(10)) / 100],
          ['village-heads-members-share', (60 + rnd.int(30)) / 100],
          ['blank-villages-yearly-reduction', (10 + rnd.int(20)) / 100],
        ] as const) {
          fact(day, { type: 'TargetSet', data: { orgId: idOf(p), indicator, period, value, on: date } }, 10)
        }
      }
      for (const d of activeOf(OrgKind.district)) {
        quota(day, d, parentOf(d), period, expected(d), { ref: `KH ${year}/TU` })
        if (term !== null) quota(day, d, parentOf(d), term, expected(d) * 5)
        fact(
          day,
          {
            type: 'TargetSet',
            data: {
              orgId: idOf(d),
              indicator: 'village-heads-members-share',
              period,
              value: (50 + rnd.int(40)) / 100,
              on: date,
            },
          },
          10,
        )
      }
      for (const g of activeOf(OrgKind.commune, OrgKind.agency)) {
        quota(day, g, parentOf(g), period, expected(g), { ref: `KH ${year}/${reorganized ? 'TU' : 'HU'}` })
      }
    }
    if (day === workday(dayOf(`${year}-07-15`))) {
      for (const q of quotas) {
        if (!rnd.chance(0.04) || q.period.length !== 4 || !isActive(geo, q.org) || !isActive(geo, q.by))
          continue
        fact(day, {
          type: 'QuotaRevised',
          data: {
            orgId: idOf(q.org),
            period: q.period,
            target: Math.max(1, Math.round(q.target * (0.8 + rnd.next() * 0.4))),
            reason: 'Điều chỉnh chỉ tiêu giữa năm',
            assignedBy: idOf(q.by),
            // The quota so identified: a province's quota for students is revised as that one.
            ...(q.occupation === undefined ? {} : { occupation: q.occupation }),
            on: date,
          },
        })
      }
    }
    if (day === workday(dayOf(`${year}-12-15`))) {
      for (const o of activeOf(OrgKind.province, OrgKind.district, OrgKind.commune, OrgKind.agency)) {
        fact(
          day,
          { type: 'OrganizationRated', data: { orgId: idOf(o), year, rating: rnd.pick(RATINGS), on: date } },
          20,
        )
      }
    }
  }

  // ----- the 2025 reorganization ---------------------------------------------------------------

  /**
   * 1 July 2025: in each province, communes merge in groups of two to four (a few stay as they
   * were) into new communes with new grassroots committees directly under the province; the village
   * cells move under the new committee, the old committees are dissolved into it and the old
   * communes retired into the new one (their villages follow them). Agencies' organizations and units
   * move under the province, the district-level organizations are dissolved, and a province that
   * merges is dissolved into its host once nothing is left under it. Everything is recorded that day:
   * some 200,000 facts nationally, so they are spelled out only when the day is written
   * (`reorganizationHeads`, from the structure as it now stands and the groups decided here).
   */
  const reorganize = (day: number): void => {
    const deactivate = (o: number): void => {
      orgs.flags[o] = (orgs.flags[o] ?? 0) & ~OrgFlag.active
    }
    /** Each group of communes in order: its size, then its new unit and committee (-1 when left as it was). */
    const groups: number[] = []
    let merged = 0
    for (const province of geo.provinces) {
      const host = province.host
      for (const district of province.districts) {
        const communes = district.communes
        for (let i = 0; i < communes.length;) {
          const size = Math.min(communes.length - i, rnd.chance(0.06) ? 1 : rnd.between(2, 4))
          const group = communes.slice(i, i + size)
          i += size
          const only = group[0]
          if (size === 1 && only !== undefined) {
            units.org[only.unit] = host
            orgs.parent[only.grassroots] = host
            groups.push(1, -1, -1)
            continue
          }
          const unit = addUnit(units, 0, host, host, ++merged, placeCode(rnd))
          const g = addOrg(orgs, OrgKind.commune, host, province.org, -1)
          seatGrassroots(orgs, g, unit, true)
          for (const commune of group) {
            for (const cell of commune.cells) {
              orgs.grassroots[cell] = g
              orgs.parent[cell] = g
            }
            deactivate(commune.grassroots)
          }
          groups.push(size, unit, g)
        }
        for (const agency of district.agencies) {
          units.org[orgs.unit[agency] ?? 0] = host
          orgs.parent[agency] = host
        }
        deactivate(district.org)
      }
      if (host !== province.org) deactivate(province.org)
    }
    reorganized = true
    const heads = () => reorganizationHeads(dateOf(day), groups)
    let count = 0
    for (const _ of heads()) count++
    rec.record(day, { count, heads })
  }

  /** The facts of the 2025 reorganization, in the order it took place, from the `groups` of communes. */
  function* reorganizationHeads(
    on: string,
    groups: ReadonlyArray<number>,
  ): Generator<string, void, undefined> {
    const moved = (o: number, parent: number): string =>
      head({ type: 'OrganizationMoved', data: { orgId: idOf(o), parentId: idOf(parent), on } })
    const dissolved = (o: number, into?: number): string =>
      head({
        type: 'OrganizationDissolved',
        data: { orgId: idOf(o), on, ...(into === undefined ? {} : { mergedInto: idOf(into) }) },
      })
    const unitMoved = (unit: number, org: number): string =>
      head({ type: 'UnitMoved', data: { unitId: unitId(geo, unit), orgId: idOf(org), on } })
    let k = 0
    for (const province of geo.provinces) {
      const host = province.host
      const hostId = idOf(host)
      for (const district of province.districts) {
        const communes = district.communes
        for (let i = 0; i < communes.length;) {
          const size = groups[k] ?? 1
          const unit = groups[k + 1] ?? -1
          const g = groups[k + 2] ?? -1
          k += 3
          const group = communes.slice(i, i + size)
          i += size
          const only = group[0]
          if (unit < 0 && only !== undefined) {
            yield unitMoved(only.unit, host)
            yield moved(only.grassroots, host)
            continue
          }
          const newUnitId = unitId(geo, unit)
          yield head({
            type: 'UnitRegistered',
            data: { unitId: newUnitId, name: unitName(geo, unit), kind: 'commune', orgId: hostId, on },
          })
          yield head({
            type: 'OrganizationRegistered',
            data: {
              orgId: idOf(g),
              name: orgName(geo, g),
              level: 'grassroots',
              parentId: hostId,
              unitId: newUnitId,
              on,
            },
          })
          for (const commune of group) {
            for (const cell of commune.cells) yield moved(cell, g)
            yield dissolved(commune.grassroots, g)
            yield head({
              type: 'UnitRetired',
              data: { unitId: unitId(geo, commune.unit), on, mergedInto: newUnitId },
            })
          }
        }
        for (const agency of district.agencies) {
          yield unitMoved(orgs.unit[agency] ?? 0, host)
          yield moved(agency, host)
        }
        yield dissolved(district.org)
      }
      if (host !== province.org) yield dissolved(province.org, host)
    }
  }

  // ----- classes -------------------------------------------------------------------------------

  /** The awareness class (lớp bồi dưỡng nhận thức về Đảng) a candidate of holder `h` attends after `day`. */
  const classFor = (h: number, day: number): number => {
    const o = holderOrg(h)
    let year = Number(dateOf(day).slice(0, 4))
    let month = Number(dateOf(day).slice(5, 7))
    for (;;) {
      month += month % 2 === 0 ? 2 : 1
      if (month > 12) {
        month -= 12
        year++
      }
      const from = workday(dayOf(`${year}-${String(month).padStart(2, '0')}-08`))
      if (from < day + 14) continue
      const to = workday(from + 4)
      const organizer = classOrganizer(o, from)
      const classId = classIdOf(organizer, from)
      let byEnd = classesByEnd.get(to)
      if (byEnd === undefined) {
        byEnd = new Map()
        classesByEnd.set(to, byEnd)
      }
      const entry = byEnd.get(classId)
      if (entry === undefined) byEnd.set(classId, { org: idOf(organizer), from, trainees: 1 })
      else entry.trainees++
      return to
    }
  }

  const hostOf = (o: number): number => {
    const province = orgs.province[o] ?? -1
    return provinceOf.get(province)?.host ?? province
  }
  /** Classes are held by the district-level organization, and by the province once districts are gone. */
  const classOrganizer = (o: number, day: number): number =>
    day >= reorganizeOn ? hostOf(o) : (orgs.district[o] ?? -1)
  /** Classes run early in even months: one class of an organizer a month, named by it. */
  const classIdOf = (organizer: number, day: number): string =>
    `lop-${idOf(organizer)}-${dateOf(day).slice(0, 7)}`

  const classes = (day: number): void => {
    const ending = classesByEnd.get(day)
    if (ending === undefined) return
    classesByEnd.delete(day)
    for (const [classId, c] of ending) {
      fact(
        day,
        {
          type: 'AwarenessClassHeld',
          data: {
            classId,
            orgId: c.org,
            from: dateOf(c.from),
            to: dateOf(day),
            trainees: c.trainees + rnd.int(15),
          },
        },
        7,
      )
    }
  }

  // ----- candidates and members ----------------------------------------------------------------

  const nominate = (day: number): void => {
    // A random member's cell: candidates come where members are.
    let h = -1
    for (let tries = 0; tries < 20 && h < 0; tries++) {
      const p = rnd.int(persons.count)
      const phase = persons.phase[p]
      if (phase === Phase.probationary || phase === Phase.official) h = persons.holder[p] ?? -1
    }
    if (h < 0) return
    const o = holderOrg(h)
    let p = -1
    let readmission = false
    const former = formers[formerHead]
    if (former !== undefined && rnd.chance(0.02)) {
      const since = dayOf(addMonths(dateOf(persons.left[former] ?? 0), 36))
      if (since <= day) {
        formerHead++
        const age = (day - (persons.birth[former] ?? 0)) / 365.25
        if (age < 55 && persons.phase[former] === Phase.left) {
          p = former
          readmission = true
          persons.flags[p] = (persons.flags[p] ?? 0) | Flag.readmitted
        }
      }
    }
    let ageException = false
    if (p < 0) {
      p = addPerson(persons)
      drawOrigin(p, orgs.province[o] ?? -1, 0.5, OCCUPATION_OF_CANDIDATE)
      ageException = rnd.chance(0.004)
      const years = ageException
        ? rnd.between(61, 64)
        : rnd.chance(0.8)
          ? rnd.between(18, 30)
          : rnd.between(31, 54)
      persons.birth[p] = day - years * 365 - rnd.between(30, 330)
      persons.lastRecord[p] = day
    }
    persons.holder[p] = h
    persons.phase[p] = Phase.candidate
    const village = residence(h)
    persons.village[p] = village
    personFact(p, day, {
      type: 'CandidateNominated',
      data: {
        personId: personId(p),
        orgId: idOf(o),
        ...(village >= 0 ? { villageId: villageIdOf(village) } : {}),
        nominatedBy: rnd.pick(NOMINATORS),
        profile: profileOf(p),
        ...(ageException ? { ageException: `CV ${rnd.between(100, 999)}-CV/BTVTU` } : {}),
        ...(readmission ? { readmissionApproval: `CV ${rnd.between(100, 999)}-CV/TU` } : {}),
        on: dateOf(day),
      },
    })
    if (rnd.chance(0.08)) schedule(day + rnd.between(20, 150), p, Step.close)
    else schedule(classFor(h, day), p, Step.klass)
  }

  const close = (p: number, day: number, reason: 'withdrawn' | 'rejected' | 'not-eligible'): void => {
    persons.phase[p] = Phase.closed
    personFact(p, day, { type: 'CandidacyClosed', data: { personId: personId(p), reason, on: dateOf(day) } })
  }

  const decider = (h: number): number => {
    const o = holderOrg(h)
    return (reorganized ? orgs.grassroots[o] : orgs.district[o]) ?? -1
  }

  const step = (p: number, s: number, day: number): void => {
    const phase = persons.phase[p]
    const on = dateOf(day)
    const id = personId(p)
    const h = persons.holder[p] ?? 0
    if (s === Step.confirm) {
      if (phase !== Phase.probationary) return
      if (rnd.chance(0.025)) return leave(p, day, 'not-confirmed')
      personFact(p, day, {
        type: 'MembershipConfirmed',
        data: {
          personId: id,
          on,
          decisionNo: `${++decisions}-QĐ/${levelOf(decider(h)) === 'district' ? 'HU' : 'ĐU'}`,
        },
      })
      persons.phase[p] = Phase.official
      officialCount[h] = (officialCount[h] ?? 0) + 1
      return
    }
    if (phase !== Phase.candidate) return
    switch (s) {
      case Step.close:
        return close(p, day, rnd.chance(0.7) ? 'withdrawn' : 'not-eligible')
      case Step.klass: {
        const classId = classIdOf(classOrganizer(holderOrg(h), day), day)
        personFact(p, day, {
          type: 'AwarenessClassCompleted',
          data: { personId: id, certificateNo: `GCN ${++certificates}`, classId, on },
        })
        if (rnd.chance(0.05)) schedule(day + rnd.between(10, 120), p, Step.close)
        else schedule(day + rnd.between(30, 90), p, Step.verify)
        return
      }
      case Step.verify: {
        const cleared = !rnd.chance(0.04)
        personFact(p, day, {
          type: 'BackgroundVerified',
          data: { personId: id, outcome: cleared ? 'cleared' : 'not-cleared', on },
        })
        if (cleared) schedule(day + rnd.between(15, 45), p, Step.cellVote)
        else if (rnd.chance(0.5)) schedule(day + rnd.between(30, 90), p, Step.verify)
        else schedule(day + rnd.between(5, 30), p, Step.close)
        return
      }
      case Step.cellVote: {
        const eligible = Math.max(1, officialCount[h] ?? 0)
        const passes = rnd.chance(0.94)
        const needed = Math.ceil((eligible * 2) / 3)
        const inFavour = passes ? rnd.between(needed, eligible) : needed > 0 ? rnd.between(0, needed - 1) : 0
        personFact(p, day, { type: 'CellVoted', data: { personId: id, inFavour, eligible, on } })
        if (inFavour * 3 >= eligible * 2) {
          if (levelOf(holderOrg(h)) === 'cell') schedule(day + rnd.between(7, 30), p, Step.committeeVote)
          else schedule(day + rnd.between(14, 60), p, Step.decide)
        } else if (rnd.chance(0.5)) schedule(day + rnd.between(60, 120), p, Step.cellVote)
        else schedule(day + rnd.between(5, 30), p, Step.close)
        return
      }
      case Step.committeeVote: {
        const eligible = rnd.between(7, 15)
        const passes = rnd.chance(0.98)
        const needed = Math.ceil((eligible * 2) / 3)
        const inFavour = passes ? rnd.between(needed, eligible) : rnd.between(0, needed - 1)
        personFact(p, day, { type: 'CommitteeVoted', data: { personId: id, inFavour, eligible, on } })
        if (passes) schedule(day + rnd.between(14, 60), p, Step.decide)
        else schedule(day + rnd.between(5, 30), p, Step.close)
        return
      }
      case Step.decide: {
        const by = decider(h)
        personFact(p, day, {
          type: 'AdmissionDecided',
          data: {
            personId: id,
            decisionNo: `${++decisions}-QĐ/${levelOf(by) === 'district' ? 'HU' : 'ĐU'}`,
            decidedBy: idOf(by),
            on,
          },
        })
        schedule(day + (rnd.chance(0.05) ? rnd.between(45, 80) : rnd.between(5, 35)), p, Step.admit)
        return
      }
      case Step.admit: {
        personFact(p, day, { type: 'MemberAdmitted', data: { personId: id, orgId: idOf(holderOrg(h)), on } })
        becomeMember(p, h, false)
        if (recent.length < 512) recent.push(p)
        else recent[rnd.int(512)] = p
        schedule(confirmationDay(day, day), p, Step.confirm)
        return
      }
    }
  }

  const agendaOf = (day: number): void => {
    const list = agenda.get(day)
    if (list === undefined) return
    agenda.delete(day)
    // Steps scheduled for today while today's are run (none: every step is at least a day later).
    for (let i = 0; i < list.length; i += 2) step(list[i] ?? 0, list[i + 1] ?? 0, day)
  }

  const leave = (
    p: number,
    day: number,
    reason: 'not-confirmed' | 'struck-off' | 'expelled' | 'resigned' | 'deceased',
  ): void => {
    personFact(p, day, { type: 'MemberLeft', data: { personId: personId(p), reason, on: dateOf(day) } })
    stopBeingMember(p)
    persons.phase[p] = Phase.left
    persons.left[p] = day
    if (reason === 'resigned' || reason === 'expelled')
      persons.flags[p] = (persons.flags[p] ?? 0) | Flag.noReadmission
    else if (reason !== 'deceased' && ((persons.flags[p] ?? 0) & Flag.readmitted) === 0) formers.push(p)
  }

  /** A random active member, or -1 after a few misses. */
  const anyMember = (): number => {
    for (let tries = 0; tries < 20; tries++) {
      const p = rnd.int(persons.count)
      const phase = persons.phase[p]
      if (phase === Phase.probationary || phase === Phase.official) return p
    }
    return -1
  }

  /** A random holder, mostly in the same province as holder `h`. */
  const otherHolder = (h: number): number => {
    const province = provinceOf.get(orgs.province[holderOrg(h)] ?? -1)
    if (province === undefined || rnd.chance(0.1)) return rnd.int(holders.length)
    return province.holderFrom + rnd.int(province.holderTo - province.holderFrom)
  }

  /** Departures, transfers, moves, annulments and village heads of one day. */
  const happenings = (day: number): void => {
    const on = dateOf(day)
    const weekday = !isWeekend(day)
    for (let n = rnd.count((active * DEPARTURE_RATE) / 365); n > 0; n--) {
      const p = anyMember()
      if (p < 0) continue
      const official = persons.phase[p] === Phase.official
      const r = rnd.next()
      leave(
        p,
        day,
        official
          ? r < 0.6
            ? 'deceased'
            : r < 0.85
              ? 'struck-off'
              : r < 0.93
                ? 'resigned'
                : 'expelled'
          : r < 0.15
            ? 'deceased'
            : r < 0.85
              ? 'struck-off'
              : 'resigned',
      )
    }
    if (!weekday) return
    for (let n = rnd.count((active * NOMINATION_RATE) / WORKDAYS); n > 0; n--) nominate(day)
    for (let n = rnd.count((active * TRANSFER_RATE) / WORKDAYS); n > 0; n--) {
      const p = anyMember()
      if (p < 0) continue
      const from = persons.holder[p] ?? 0
      const to = otherHolder(from)
      if (to === from) continue
      personFact(p, day, {
        type: 'MemberTransferred',
        data: { personId: personId(p), toOrgId: idOf(holderOrg(to)), on },
      })
      const official = persons.phase[p] === Phase.official
      stopBeingMember(p)
      becomeMember(p, to, official)
      const village = residence(to)
      if (village !== persons.village[p]) {
        persons.village[p] = village
        personFact(p, day, {
          type: 'MemberMoved',
          data: {
            personId: personId(p),
            villageId: village >= 0 ? villageIdOf(village) : null,
            on,
          },
        })
      }
    }
    for (let n = rnd.count((active * TEMPORARY_TRANSFER_RATE) / WORKDAYS); n > 0; n--) {
      const p = anyMember()
      if (p < 0) continue
      const to = otherHolder(persons.holder[p] ?? 0)
      personFact(p, day, {
        type: 'MemberTransferred',
        data: { personId: personId(p), toOrgId: idOf(holderOrg(to)), temporary: true, on },
      })
    }
    for (let n = rnd.count((active * MOVE_RATE) / WORKDAYS); n > 0; n--) {
      const p = anyMember()
      if (p < 0) continue
      const village = residence(persons.holder[p] ?? 0)
      if (village === persons.village[p]) continue
      persons.village[p] = village
      personFact(p, day, {
        type: 'MemberMoved',
        data: {
          personId: personId(p),
          villageId: village >= 0 ? villageIdOf(village) : null,
          on,
        },
      })
    }
    for (let n = rnd.count((active * ADMISSION_RATE * ANNULMENT_RATE) / WORKDAYS); n > 0; n--) {
      const p = recent.length > 0 ? (recent[rnd.int(recent.length)] ?? -1) : -1
      if (p < 0) continue
      const phase = persons.phase[p]
      if (phase !== Phase.probationary && phase !== Phase.official) continue
      personFact(p, day, {
        type: 'AdmissionAnnulled',
        data: { personId: personId(p), reason: 'Quyết định kết nạp không đúng quy định', on },
      })
      stopBeingMember(p)
      persons.phase[p] = Phase.annulled
    }
    for (let n = rnd.count((villages.count * HEAD_RATE) / WORKDAYS); n > 0; n--) {
      const v = rnd.int(villages.count)
      fact(day, appointHead(v, on))
    }
  }

  return { bootstrap, plans, reorganize, classes, agenda: agendaOf, happenings }
}
